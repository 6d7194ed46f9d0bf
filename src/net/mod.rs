//! The network engine: address sets, port sets and protocols, and first-match-wins NSG
//! evaluation. It answers "can this flow reach that port, and which rule decides?". Depends on
//! `ir` and `tri` only.

pub mod address;
pub mod batch;
pub mod nsg;
pub mod ports;
pub mod shadow;
