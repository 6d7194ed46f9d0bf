//! NET001's note about the other layer (§1.6): a scale set whose IP configuration is IPv6 sits in
//! a subnet whose NSG allows SSH from `*`; its network interfaces' NSG denies `0.0.0.0/0` first
//! (testdata/layers/nic_denies_ipv4_only.json) or `*` (nic_denies_both.json). The note that the
//! other layer "denies the same traffic" is true only in the second: IPv6 passes the first.

mod common;

use batchguard::rules::Options;
use common::{manifest_dir, scan_paths};
use std::path::PathBuf;

/// The message of the NET001 result on the subnet's NSG rule in `file`.
fn net001(file: &str) -> String {
    let out = scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata/layers").join(file)],
        Options::default(),
    );
    let found: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.rule == "NET001" && f.message.as_str().contains("'subnsg-r0'"))
        .map(|f| f.message.as_str().to_string())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn the_other_layer_is_named_only_when_it_denies_every_family_let_in() {
    let ipv4_only = net001("nic_denies_ipv4_only.json");
    assert!(
        ipv4_only.contains("IPv4 and IPv6") && !ipv4_only.contains("denies the same traffic"),
        "{ipv4_only}"
    );
    let both = net001("nic_denies_both.json");
    assert!(
        both.contains("Note: the network interface NSG")
            && both.contains("denies the same traffic"),
        "{both}"
    );
}
