//! The source ports of a Batch NAT pool's endpoint rule (`sourcePortRanges`, default `["*"]`): an
//! empty list is the default, so an Allow of `*` with it exposes SSH (BATCH010); a list of some
//! ports misses the internet's ephemeral source ports, and BATCH011 says that is why nothing
//! matched, not that the sources were specific.

mod common;

use batchguard::rules::Options;
use common::scan_paths;

/// `RULE: message` of the BATCH010/BATCH011 findings of a pool whose one endpoint rule allows
/// `*` with `sourcePortRanges` as given (JSON).
fn endpoint_findings(source_ports: &str) -> Vec<String> {
    endpoint_findings_from("*", source_ports, Options::default())
}

/// [`endpoint_findings`] with the rule's source prefix and the rule options given.
fn endpoint_findings_from(source: &str, source_ports: &str, options: Options) -> Vec<String> {
    let d = tempfile::tempdir().unwrap();
    let template = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [{{
    "type": "Microsoft.Batch/batchAccounts/pools",
    "apiVersion": "2024-07-01",
    "name": "acct/pool",
    "properties": {{
      "vmSize": "STANDARD_D2S_V3",
      "networkConfiguration": {{
        "endpointConfiguration": {{
          "inboundNatPools": [{{
            "name": "ssh", "protocol": "TCP", "backendPort": 22,
            "frontendPortRangeStart": 4000, "frontendPortRangeEnd": 4100,
            "networkSecurityGroupRules": [
              {{ "priority": 150, "access": "Allow", "sourceAddressPrefix": "{source}", "sourcePortRanges": {source_ports} }}
            ]
          }}]
        }}
      }}
    }}
  }}]
}}"#
    );
    std::fs::write(d.path().join("pool.json"), template).unwrap();
    let out = scan_paths(d.path(), &[d.path().to_path_buf()], options);
    out.findings
        .iter()
        .filter(|f| f.rule == "BATCH010" || f.rule == "BATCH011")
        .map(|f| format!("{}: {}", f.rule, f.message.as_str()))
        .collect()
}

#[test]
fn empty_source_port_ranges_are_every_port() {
    for ports in ["[]", "null", "[\"*\"]"] {
        let found = endpoint_findings(ports);
        assert_eq!(found.len(), 1, "{ports}: {found:?}");
        assert!(found[0].starts_with("BATCH010: "), "{ports}: {found:?}");
    }
}

#[test]
fn some_source_ports_are_named_as_what_misses_the_internet() {
    let found = endpoint_findings("[\"1000-2000\"]");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("(backend port 22) allow only some source ports, so none of them matches the rest of the internet"),
        "{found:?}"
    );
}

/// A broad public prefix counts as the internet under `broad_prefix_max`, in BATCH011's wording
/// as in its verdict: the Allow misses by its source ports, not by its sources.
#[test]
fn a_broad_prefix_under_the_option_misses_by_its_source_ports() {
    let options = Options {
        broad_prefix_max: Some(8),
        ..Options::default()
    };
    let found = endpoint_findings_from("0.0.0.0/1", "[\"1000-2000\"]", options);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("allow only some source ports"),
        "{found:?}"
    );
    // Without the option the prefix is a specific source.
    let found = endpoint_findings_from("0.0.0.0/1", "[\"1000-2000\"]", Options::default());
    assert!(
        found
            .iter()
            .all(|f| !f.contains("allow only some source ports")),
        "{found:?}"
    );
}
