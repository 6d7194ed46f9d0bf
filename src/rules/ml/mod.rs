//! The ML rules: Azure Machine Learning workspaces, computes and endpoints.

pub mod ml001;
pub mod ml002;
pub mod ml003;
pub mod ml004;
pub mod ml005;
pub mod ml006;
pub mod ml007;
pub mod ml008;
pub mod ml009;
pub mod ml010;
pub mod ml011;
pub mod ml012;
pub mod ml013;
pub mod ml014;
pub mod ml015;
pub mod ml016;
