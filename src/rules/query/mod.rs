//! Queries shared by rules: property lookups, and (in the submodules) what several rules ask of
//! pools, ML computes, private-endpoint coverage, workloads, NSG exposure and required traffic.
//! No rule imports another rule; what two rules share lives here.

pub mod endpoints;
pub mod exposure;
pub mod ipv6;
pub mod ml;
pub mod nsg;
pub mod pool;
pub mod shadow;
pub mod traffic;
pub mod verdicts;
pub mod workloads;

use crate::ir::{Member, Node, Value};

pub const URI_RA: &str = "https://learn.microsoft.com/azure/batch/pool-endpoint-configuration";
pub const URI_BP: &str = "https://learn.microsoft.com/azure/batch/security-best-practices";
pub const URI_BE: &str =
    "https://learn.microsoft.com/azure/machine-learning/how-to-secure-batch-endpoint";
pub const URI_NT: &str =
    "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall";
pub const URI_VN: &str = "https://learn.microsoft.com/azure/batch/batch-virtual-network";
pub const URI_NSG: &str =
    "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview";

/// A property looked up by path: absent (or `null`), known, or unknown.
pub enum Prop<'a> {
    Absent,
    Known(&'a Member),
    Unknown,
}

/// Looks up `path` below `node`: absent when a member on the way is absent or `null`, unknown when
/// a value on the way is unknown. The one lookup rules use for resource bodies, NAT pools, rules.
pub fn lookup<'a>(node: &'a Node, path: &[&str]) -> Prop<'a> {
    let mut node = node;
    for (i, key) in path.iter().enumerate() {
        if node.is_unknown() {
            return Prop::Unknown;
        }
        let Some(m) = node.member(key).filter(|m| !m.value.is_null()) else {
            return Prop::Absent;
        };
        if i + 1 == path.len() {
            return if m.value.is_unknown() {
                Prop::Unknown
            } else {
                Prop::Known(m)
            };
        }
        node = &m.value;
    }
    Prop::Unknown
}

/// Is a string-valued property one of `values` (case-insensitive)? `None` when it is not a string.
pub fn str_in(m: &Member, values: &[&str]) -> Option<bool> {
    match &m.value.value {
        Value::String(s) => Some(values.iter().any(|v| v.eq_ignore_ascii_case(s))),
        _ => None,
    }
}

/// "SSH" for 22, "RDP" for 3389, otherwise "remote access".
pub fn service_name(port: u32) -> &'static str {
    match port {
        22 => "SSH",
        3389 => "RDP",
        _ => "remote access",
    }
}

/// The network interface configurations of a virtual machine scale set.
pub const NIC_CONFIGS: [&str; 4] = [
    "properties",
    "virtualMachineProfile",
    "networkProfile",
    "networkInterfaceConfigurations",
];
