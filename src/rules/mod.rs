//! The rule pack.
pub mod meta;
