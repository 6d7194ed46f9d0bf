//! The "too closed" rules on a realistic subnet: the secure Azure ML quickstart
//! (`Azure/terraform` quickstart `201-machine-learning-moderately-secure`, in the shared corpus).
//! As written, its training subnet NSG allows BatchNodeManagement and AzureMachineLearning and
//! nothing required is blocked. With a catch-all inbound deny placed before those allows, every
//! compute with public IPs gets ML010; with a catch-all outbound deny, every compute gets ML011
//! once per required tag and port (the probes of D14).
//!
//! Its converse, NET010, stays silent as written (the management ports admit only their service
//! tags) and reports every compute once an earlier rule admits the internet on 44224.
//!
//! The quickstart is copied into a temporary directory (the corpus is never copied into the
//! project) and the deny rules are appended as `azurerm_network_security_rule` resources.
//!
//! The small templates at the end check what the messages of these rules and of the egress rule
//! NET008 quote: values of the scanned text as quoted values located where they are written
//! (so that secrets stay redacted), and property names as the resource's syntax writes them;
//! and the structured fix of ML013.

mod common;

use batchguard::findings::Finding;
use batchguard::rules::Options;
use batchguard::scan::ScanOutput;
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

/// Scans a directory whose files must all parse.
fn scan_out(dir: &Path) -> ScanOutput {
    let out = scan_paths(dir, &[dir.to_path_buf()], Options::default());
    assert!(
        out.notifications
            .iter()
            .all(|n| n.level != batchguard::findings::Level::Error),
        "{:?}",
        out.notifications
    );
    out
}

fn scan_dir(dir: &Path) -> Vec<Finding> {
    scan_out(dir).findings
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
    // The management ports admit BatchNodeManagement and AzureMachineLearning only.
    assert!(findings.iter().all(|f| f.rule != "NET010"), "{findings:#?}");
}

#[test]
fn internet_allow_on_44224_reports_net010_per_compute_at_the_source() {
    let Some(shared) = shared_dir() else { return };
    let extra = r#"
resource "azurerm_network_security_rule" "aml-from-internet" {
  name                        = "aml-from-internet"
  priority                    = 50
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "44224"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.default.name
  network_security_group_name = azurerm_network_security_group.nsg-training.name
}
"#;
    let dir = copy_quickstart(&shared, extra);
    let out = scan_out(dir.path());
    let net010: Vec<&Finding> = out.findings.iter().filter(|f| f.rule == "NET010").collect();
    let mut computes: Vec<&str> = net010.iter().map(|f| f.discriminator.as_str()).collect();
    computes.sort();
    assert_eq!(computes, COMPUTES, "{net010:#?}");
    for f in &net010 {
        // At the added rule's source, quoted; related to the compute's subnet reference.
        let file = &out.files[f.span.file];
        assert!(file.rel.ends_with("too_closed.tf"), "{}", file.rel);
        assert_eq!(
            &file.text[f.span.start..f.span.end],
            r#"source_address_prefix       = "Internet""#
        );
        assert!(
            f.message.as_str().contains(
                "rule 'aml-from-internet' (priority 50) in azurerm_network_security_group.nsg-training allows TCP port 44224 from `Internet`"
            ),
            "{}",
            f.message
        );
        assert_eq!(f.related.len(), 1);
        let at = f.related[0].span;
        assert!(out.files[at.file].text[at.start..at.end].starts_with("subnet_resource_id"));
    }
    // The allow precedes nothing that is denied: no "too closed" result.
    assert!(out.findings.iter().all(|f| !TOO_CLOSED.contains(&f.rule)));
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

/// Writes `files` into a temporary directory and scans it.
fn scan_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Finding>, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = scan_out(dir.path());
    let texts = out.files.iter().map(|f| f.text.clone()).collect();
    (dir, out.findings, texts)
}

/// An azapi network, ML workspace and compute cluster (with public IPs) in `westeurope`, whose
/// subnet NSG is `nsg`.
fn azapi_ml(nsg: &str) -> String {
    format!(
        r#"
resource "azapi_resource" "vnet" {{
  type      = "Microsoft.Network/virtualNetworks@2023-09-01"
  name      = "vnet"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  location  = "westeurope"
  body = {{
    properties = {{
      addressSpace = {{
        addressPrefixes = ["10.0.0.0/16"]
      }}
    }}
  }}
}}

resource "azapi_resource" "ws" {{
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "ws"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  location  = "westeurope"
  body = {{
    properties = {{}}
  }}
}}

{nsg}

resource "azapi_resource" "subnet" {{
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-09-01"
  name      = "training"
  parent_id = azapi_resource.vnet.id
  body = {{
    properties = {{
      addressPrefix        = "10.0.1.0/24"
      networkSecurityGroup = {{
        id = azapi_resource.nsg.id
      }}
    }}
  }}
}}

resource "azapi_resource" "cluster" {{
  type      = "Microsoft.MachineLearningServices/workspaces/computes@2024-04-01"
  name      = "cluster"
  parent_id = azapi_resource.ws.id
  location  = "westeurope"
  body = {{
    properties = {{
      computeType = "AmlCompute"
      properties  = {{
        vmSize = "STANDARD_DS3_V2"
        subnet = {{
          id = azapi_resource.subnet.id
        }}
      }}
    }}
  }}
}}
"#
    )
}

/// An azapi NSG with one catch-all deny rule, written in `body` or in `sensitive_body`.
fn azapi_nsg(rule: &str, direction: &str, attribute: &str) -> String {
    format!(
        r#"
resource "azapi_resource" "nsg" {{
  type      = "Microsoft.Network/networkSecurityGroups@2023-09-01"
  name      = "nsg"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  location  = "westeurope"
  {attribute} = {{
    properties = {{
      securityRules = [
        {{
          name = "{rule}"
          properties = {{
            priority                 = 100
            direction                = "{direction}"
            access                   = "Deny"
            protocol                 = "*"
            sourceAddressPrefix      = "*"
            sourcePortRange          = "*"
            destinationAddressPrefix = "*"
            destinationPortRange     = "*"
          }}
        }}
      ]
    }}
  }}
}}
"#
    )
}

#[test]
fn denying_rule_and_region_are_quoted_where_they_are_written() {
    let nsg = azapi_nsg("deny-all-out", "Outbound", "body");
    let (_dir, findings, texts) = scan_files(&[("main.tf", &azapi_ml(&nsg))]);
    let f = findings
        .iter()
        .find(|f| f.rule == "ML011" && f.discriminator.ends_with("|Storage.westeurope:443/TCP"))
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert!(
        f.message
            .as_str()
            .contains("to `Storage.westeurope`, but rule 'deny-all-out' (priority 100) in azapi_resource.nsg denies it"),
        "{}",
        f.message
    );
    // Each quoted value points at its text: the rule's name, its priority, the compute's
    // `location`.
    let quoted: Vec<(String, String)> = f
        .message
        .values()
        .map(|v| {
            let at = v.span.expect("a quoted value is located");
            (v.text.clone(), texts[at.file][at.start..at.end].to_string())
        })
        .collect();
    assert_eq!(
        quoted,
        [
            ("westeurope".to_string(), "\"westeurope\"".to_string()),
            ("deny-all-out".to_string(), "\"deny-all-out\"".to_string()),
            ("100".to_string(), "100".to_string()),
        ]
    );
}

#[test]
fn a_denying_rule_in_a_sensitive_body_is_never_named() {
    let nsg = azapi_nsg("secret-deny", "Inbound", "sensitive_body");
    let (_dir, findings, _) = scan_files(&[("main.tf", &azapi_ml(&nsg))]);
    let f = findings
        .iter()
        .find(|f| f.rule == "ML010")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    let m = f.message.as_str();
    assert!(!m.contains("secret-deny"), "{m}");
    assert!(
        m.contains("rule '(sensitive)' (priority (sensitive)) in azapi_resource.nsg"),
        "{m}"
    );
}

#[test]
fn net008_names_default_outbound_access_of_an_inline_subnet_as_written() {
    let tf = r#"
resource "azurerm_virtual_network" "vnet" {
  name                = "vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
  subnet {
    name             = "first"
    address_prefixes = ["10.0.1.0/24"]
  }
  subnet {
    name             = "training"
    address_prefixes = ["10.0.2.0/24"]
  }
}

resource "azurerm_machine_learning_compute_cluster" "cluster" {
  name                          = "cluster"
  location                      = "westeurope"
  machine_learning_workspace_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  node_public_ip_enabled        = false
  subnet_resource_id            = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/training"
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
"#;
    let arm = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2024-05-01",
      "name": "arm-vnet",
      "location": "westeurope",
      "properties": {
        "addressSpace": { "addressPrefixes": ["10.1.0.0/16"] },
        "subnets": [
          { "name": "first", "properties": { "addressPrefix": "10.1.1.0/24" } },
          { "name": "training", "properties": { "addressPrefix": "10.1.2.0/24" } }
        ]
      }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-04-01",
      "name": "ws/arm-cluster",
      "location": "westeurope",
      "properties": {
        "computeType": "AmlCompute",
        "properties": {
          "vmSize": "STANDARD_DS3_V2",
          "subnet": {
            "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'arm-vnet', 'training')]"
          },
          "enableNodePublicIp": false
        }
      }
    }
  ]
}"#;
    let (_dir, findings, texts) = scan_files(&[("main.tf", tf), ("template.json", arm)]);
    let net008: Vec<&Finding> = findings.iter().filter(|f| f.rule == "NET008").collect();
    assert_eq!(net008.len(), 2, "{findings:#?}");
    for f in net008 {
        let m = f.message.as_str();
        let name = f
            .message
            .values()
            .next()
            .expect("the subnet's name is quoted");
        let at = name.span.unwrap();
        assert_eq!(name.text, "training");
        assert_eq!(&texts[at.file][at.start..at.end], "\"training\"");
        if m.contains("azurerm_machine_learning_compute_cluster.cluster") {
            // The provider's default, named as the provider writes it.
            assert!(
                m.contains("subnet 'training' leaves default_outbound_access_enabled at its default, true,"),
                "{m}"
            );
            assert!(
                m.ends_with("then set default_outbound_access_enabled = false."),
                "{m}"
            );
        } else {
            // The default of the API version the ARM network is written with.
            assert!(
                m.contains("subnet 'training' leaves defaultOutboundAccess at its default for this API version, true,"),
                "{m}"
            );
            assert!(
                m.ends_with("then set defaultOutboundAccess to false."),
                "{m}"
            );
        }
        assert!(!m.contains("azurerm:"), "{m}");
    }
}

#[test]
fn ml013_fix_adds_the_internet_route_to_a_table_that_writes_its_routes_inline() {
    let arm = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Network/routeTables",
      "apiVersion": "2023-09-01",
      "name": "inline",
      "location": "westeurope",
      "properties": {
        "routes": [
          { "name": "fw", "properties": { "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.0.4" } }
        ]
      }
    },
    {
      "type": "Microsoft.Network/routeTables",
      "apiVersion": "2023-09-01",
      "name": "children",
      "location": "westeurope",
      "properties": {}
    },
    {
      "type": "Microsoft.Network/routeTables/routes",
      "apiVersion": "2023-09-01",
      "name": "children/fw",
      "properties": { "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.0.4" }
    },
    {
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2024-05-01",
      "name": "vnet",
      "location": "westeurope",
      "properties": {
        "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
        "subnets": [
          { "name": "a", "properties": { "addressPrefix": "10.0.1.0/24", "routeTable": { "id": "[resourceId('Microsoft.Network/routeTables', 'inline')]" } } },
          { "name": "b", "properties": { "addressPrefix": "10.0.2.0/24", "routeTable": { "id": "[resourceId('Microsoft.Network/routeTables', 'children')]" } } }
        ]
      }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-04-01",
      "name": "ws/in-a",
      "location": "westeurope",
      "properties": {
        "computeType": "AmlCompute",
        "properties": {
          "vmSize": "STANDARD_DS3_V2",
          "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'a')]" }
        }
      }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-04-01",
      "name": "ws/in-b",
      "location": "westeurope",
      "properties": {
        "computeType": "AmlCompute",
        "properties": {
          "vmSize": "STANDARD_DS3_V2",
          "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'b')]" }
        }
      }
    }
  ]
}"#;
    let (_dir, findings, _) = scan_files(&[("template.json", arm)]);
    let ml013 = |compute: &str| {
        findings
            .iter()
            .find(|f| f.rule == "ML013" && f.discriminator.ends_with(compute))
            .unwrap_or_else(|| panic!("{compute}: {findings:#?}"))
    };
    let inline = ml013("'ws/in-a'");
    assert!(
        inline
            .message
            .as_str()
            .contains("in subnet 'a', whose route table"),
        "{}",
        inline.message
    );
    let fix = inline.fix.as_ref().expect("a route to add");
    assert_eq!(fix.edits.len(), 1);
    assert_eq!(fix.edits[0].path, ["properties", "routes"]);
    assert_eq!(
        fix.edits[0].op,
        batchguard::findings::EditOp::Add(serde_json::json!({
            "name": "AzureMachineLearning-Internet",
            "properties": { "addressPrefix": "AzureMachineLearning", "nextHopType": "Internet" },
        }))
    );
    // A route resource of its own cannot gain a sibling route: no fix of its resource.
    assert!(ml013("'ws/in-b'").fix.is_none());
}

/// A pool whose existence is not known is analysed as if it exists (D21): a finding about it
/// located at its subnet NSG's rule says that the pool is conditional, not the NSG.
#[test]
fn a_conditional_pool_is_named_conditional_where_its_nsg_blocks_it() {
    let (_d, findings, _) = scan_files(&[("main.tf", "variable \"c\" {}\n\nresource \"azurerm_batch_account\" \"a\" {\n  name                = \"acct\"\n  resource_group_name = \"rg\"\n  location            = \"westeurope\"\n}\n\nresource \"azurerm_batch_pool\" \"p\" {\n  count               = var.c\n  name                = \"pool\"\n  resource_group_name = \"rg\"\n  account_name        = azurerm_batch_account.a.name\n  vm_size             = \"Standard_D2s_v3\"\n  node_agent_sku_id   = \"batch.node.ubuntu 22.04\"\n  storage_image_reference {\n    publisher = \"canonical\"\n    offer     = \"ubuntu\"\n    sku       = \"22_04-lts\"\n    version   = \"latest\"\n  }\n  network_configuration {\n    subnet_id = azurerm_subnet.s.id\n  }\n}\n\nresource \"azurerm_network_security_group\" \"nsg\" {\n  name                = \"nsg\"\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n  security_rule {\n    name                       = \"deny-out\"\n    direction                  = \"Outbound\"\n    access                     = \"Deny\"\n    priority                   = 200\n    protocol                   = \"*\"\n    source_address_prefix      = \"*\"\n    source_port_range          = \"*\"\n    destination_address_prefix = \"*\"\n    destination_port_range     = \"*\"\n  }\n}\n\nresource \"azurerm_subnet\" \"s\" {\n  name                 = \"sub\"\n  resource_group_name  = \"rg\"\n  virtual_network_name = \"vnet\"\n  address_prefixes     = [\"10.0.1.0/24\"]\n}\n\nresource \"azurerm_subnet_network_security_group_association\" \"as\" {\n  subnet_id                 = azurerm_subnet.s.id\n  network_security_group_id = azurerm_network_security_group.nsg.id\n}\n")]);
    let f = findings
        .iter()
        .find(|f| f.rule == "BATCH041")
        .expect("the pool's outbound traffic is denied");
    assert!(
        f.message.as_str().ends_with(
            "(azurerm_batch_pool.p is conditional: its count is not known; it is analysed as if it exists.)"
        ),
        "{}",
        f.message
    );
}
