//! The BATCH rules: Azure Batch accounts and pools.

pub mod batch001;
pub mod batch002;
pub mod batch003;
pub mod batch004;
pub mod batch005;
pub mod batch006;
pub mod batch010;
pub mod batch011;
pub mod batch012;
pub mod batch013;
pub mod batch014;
pub mod batch020;
pub mod batch021;
pub mod batch022;
pub mod batch023;
pub mod batch030;
pub mod batch031;
pub mod batch032;
pub mod batch033;
pub mod batch034;
pub mod batch035;
pub mod batch040;
pub mod batch041;
