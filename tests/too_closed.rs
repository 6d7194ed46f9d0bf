//! The "too closed" rules on a realistic subnet: the secure Azure ML quickstart
//! (`Azure/terraform` quickstart `201-machine-learning-moderately-secure`, in the shared corpus).
//! As written, its training subnet NSG allows BatchNodeManagement and AzureMachineLearning and
//! nothing required is blocked. With a catch-all inbound deny placed before those allows, every
//! compute with public IPs gets ML010; with a catch-all outbound deny, every compute gets ML011
//! once per required tag and port (the probes of D14).
//!
//! The quickstart is copied into a temporary directory (the corpus is never copied into the
//! project) and the deny rules are appended as `azurerm_network_security_rule` resources.

mod common;

use batchguard::findings::Finding;
use batchguard::rules::Options;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

const QUICKSTART: &str =
    "corpus/terraform/Azure__terraform/quickstart/201-machine-learning-moderately-secure";

const TOO_CLOSED: &[&str] = &["BATCH040", "BATCH041", "ML010", "ML011", "ML012"];

/// The three computes of the quickstart, all in `snet-training`, none with
/// `node_public_ip_enabled` set (so all have public IPs).
const COMPUTES: &[&str] = &[
    "azurerm_machine_learning_compute_cluster.compute",
    "azurerm_machine_learning_compute_cluster.image-builder",
    "azurerm_machine_learning_compute_instance.compute_instance",
];

fn copy_quickstart(shared: &Path, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = shared.join(QUICKSTART);
    for entry in std::fs::read_dir(&src).expect("quickstart") {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    if !extra.is_empty() {
        std::fs::write(dir.path().join("too_closed.tf"), extra).unwrap();
    }
    dir
}

fn scan_dir(dir: &Path) -> Vec<Finding> {
    let out = scan_paths(dir, &[dir.to_path_buf()], Options::default());
    assert!(
        out.notifications
            .iter()
            .all(|n| n.level != batchguard::findings::Level::Error),
        "{:?}",
        out.notifications
    );
    out.findings
}

/// Per compute, the sorted `tag:port/protocol` labels of a rule's findings.
fn by_compute(findings: &[Finding], rule: &str) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.rule == rule) {
        let (compute, probe) = f
            .discriminator
            .split_once('|')
            .unwrap_or((f.discriminator.as_str(), ""));
        m.entry(compute.to_string())
            .or_default()
            .push(probe.to_string());
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

fn deny(name: &str, priority: u32, direction: &str) -> String {
    format!(
        r#"
resource "azurerm_network_security_rule" "{name}" {{
  name                        = "{name}"
  priority                    = {priority}
  direction                   = "{direction}"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.default.name
  network_security_group_name = azurerm_network_security_group.nsg-training.name
}}
"#
    )
}

#[test]
fn quickstart_as_written_blocks_nothing() {
    let Some(shared) = shared_dir() else { return };
    let dir = copy_quickstart(&shared, "");
    let findings = scan_dir(dir.path());
    let blocked: Vec<_> = findings
        .iter()
        .filter(|f| TOO_CLOSED.contains(&f.rule))
        .collect();
    assert!(blocked.is_empty(), "{blocked:#?}");
}

#[test]
fn catch_all_inbound_deny_reports_ml010_per_public_compute() {
    let Some(shared) = shared_dir() else { return };
    let dir = copy_quickstart(&shared, &deny("deny-all-in", 50, "Inbound"));
    let findings = scan_dir(dir.path());
    let ml010 = by_compute(&findings, "ML010");
    assert_eq!(
        ml010.keys().map(String::as_str).collect::<Vec<_>>(),
        COMPUTES,
        "{findings:#?}"
    );
    assert!(ml010.values().all(|v| v.len() == 1));
    // Outbound is untouched.
    assert!(findings.iter().all(|f| f.rule != "ML011"));
}

#[test]
fn catch_all_outbound_deny_reports_ml011_per_tag_and_port() {
    let Some(shared) = shared_dir() else { return };
    let dir = copy_quickstart(&shared, &deny("deny-all-out", 50, "Outbound"));
    let findings = scan_dir(dir.path());
    let ml011 = by_compute(&findings, "ML011");
    assert!(findings.iter().all(|f| f.rule != "ML010"));

    // The region of every compute is `azurerm_resource_group.default.location`, i.e.
    // `var.location` ("East US"), evaluated: the regional tags are `….eastus`, and
    // AzureFrontDoor.Frontend (skipped only in China regions, D14) is probed.
    let region_known = ml011
        .values()
        .flatten()
        .any(|p| p.starts_with("AzureFrontDoor.Frontend"));
    assert!(
        region_known,
        "the region evaluates from var.location: {ml011:#?}"
    );
    let (bnm, storage) = if region_known {
        (
            "BatchNodeManagement.eastus:443/TCP",
            "Storage.eastus:443/TCP",
        )
    } else {
        ("BatchNodeManagement:443/TCP", "Storage:443/TCP")
    };
    let mut cluster = vec![
        "AzureActiveDirectory:443/TCP",
        "AzureActiveDirectory:80/TCP",
        "AzureFrontDoor.FirstParty:443/TCP",
        "AzureMachineLearning:443/TCP",
        "AzureResourceManager:443/TCP",
        bnm,
        "MicrosoftContainerRegistry:443/TCP",
        storage,
        // The workspace and its dependencies have private endpoints.
        "VirtualNetwork:443/TCP",
    ];
    if region_known {
        cluster.push("AzureFrontDoor.Frontend:443/TCP");
    }
    // Compute instances also need 8787 and 18881 (the workspace has a private endpoint) and
    // UDP 5831.
    let mut instance = cluster.clone();
    instance.extend([
        "AzureMachineLearning:18881/TCP",
        "AzureMachineLearning:5831/UDP",
        "AzureMachineLearning:8787/TCP",
    ]);
    let sorted = |mut v: Vec<&str>| {
        v.sort();
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let mut expected = BTreeMap::new();
    expected.insert(COMPUTES[0].to_string(), sorted(cluster.clone()));
    expected.insert(COMPUTES[1].to_string(), sorted(cluster));
    expected.insert(COMPUTES[2].to_string(), sorted(instance));
    assert_eq!(ml011, expected);
}
