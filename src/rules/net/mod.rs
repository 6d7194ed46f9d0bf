//! The NET rules: network security groups, load balancers and subnets.

pub mod exposure;
pub mod net001;
pub mod net002;
pub mod net003;
pub mod net004;
pub mod net005;
pub mod net006;
pub mod net007;
pub mod net008;
pub mod net009;
pub mod net010;
