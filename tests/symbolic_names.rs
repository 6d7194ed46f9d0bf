//! Names known only in part (`'${prefix}-vnet'` with `prefix` a parameter without a value, or
//! `concat('nsg-', resourceGroup().name)`): a resource named by a parameter or variable and a
//! `resourceId(…)` built from the same parameter or variable name the same resource, whatever
//! value it takes (§1.8), also when the id is read through a variable defined as that
//! `resourceId(…)`. Two names built from different variables are never taken for one another.

use serde_json::Value;
use std::process::Command;

/// The JSON report of a folder holding `files` (relative path, text).
fn scan_files(files: &[(&str, &str)]) -> Value {
    let d = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        std::fs::write(d.path().join(rel), text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(d.path())
        .args(["scan", ".", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, message) of each finding.
fn findings(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A Bicep network named after a parameter without a value, its Bastion subnet a /27, and a
/// Bastion that names the subnet with `resourceId()` of the same variable.
fn bastion(name_of_referenced: &str) -> String {
    format!(
        "param prefix string
var one = '${{prefix}}-one'
var two = '${{prefix}}-two'
resource vnetOne 'Microsoft.Network/virtualNetworks@2024-05-01' = {{
  name: one
  location: 'westeurope'
  properties: {{
    addressSpace: {{ addressPrefixes: ['10.10.0.0/16'] }}
    subnets: [
      {{
        name: 'AzureBastionSubnet'
        properties: {{ addressPrefix: '10.10.15.0/27' }}
      }}
    ]
  }}
}}
resource vnetTwo 'Microsoft.Network/virtualNetworks@2024-05-01' = {{
  name: two
  location: 'westeurope'
  properties: {{
    addressSpace: {{ addressPrefixes: ['10.20.0.0/16'] }}
    subnets: [
      {{
        name: 'AzureBastionSubnet'
        properties: {{ addressPrefix: '10.20.15.0/26' }}
      }}
    ]
  }}
}}
resource bas 'Microsoft.Network/bastionHosts@2024-05-01' = {{
  location: 'westeurope'
  name: 'bas'
  properties: {{
    ipConfigurations: [
      {{
        name: 'IpConf'
        properties: {{
          subnet: {{ id: resourceId('Microsoft.Network/virtualNetworks/subnets', {name_of_referenced}, 'AzureBastionSubnet') }}
        }}
      }}
    ]
  }}
}}
"
    )
}

#[test]
fn a_network_named_in_part_is_the_one_its_variable_names() {
    // The Bastion in the /27 subnet of the network named by `one`.
    let v = scan_files(&[("main.bicep", &bastion("one"))]);
    let found = findings(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "NET006");
    assert!(found[0].1.contains("10.10.15.0/27"), "{}", found[0].1);
    // In the /26 subnet of the network named by `two`: both names are `'?-…'`, but they are
    // different variables, and the subnet the Bastion uses is large enough.
    let v = scan_files(&[("main.bicep", &bastion("two"))]);
    assert_eq!(findings(&v), [], "{v:#}");
}

/// Bicep's `'${vnet.id}/subnets/${subnetName}'`, the network named by a parameter without a
/// value and the subnet by one with a default: the id is the network's, and its subnet's name
/// the parameter's value.
#[test]
fn a_child_id_appended_to_a_network_id_names_the_subnet() {
    let with = |reference: &str| {
        bastion("REF")
            .replace(
                "param prefix string\n",
                "param prefix string\nparam subnetName string = 'AzureBastionSubnet'\n",
            )
            .replace(
                "resourceId('Microsoft.Network/virtualNetworks/subnets', REF, 'AzureBastionSubnet')",
                reference,
            )
    };
    let v = scan_files(&[("main.bicep", &with("'${vnetOne.id}/subnets/${subnetName}'"))]);
    let found = findings(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "NET006");
    assert!(found[0].1.contains("10.10.15.0/27"), "{}", found[0].1);
    let v = scan_files(&[("main.bicep", &with("'${vnetTwo.id}/subnets/${subnetName}'"))]);
    assert_eq!(findings(&v), [], "{v:#}");
    // A subnet the network does not declare: nothing to judge.
    let v = scan_files(&[("main.bicep", &with("'${vnetOne.id}/subnets/other'"))]);
    assert_eq!(findings(&v), [], "{v:#}");
}

/// An ARM quickstart's pattern: the NSG named by a variable that the resource group's name
/// completes, the subnet's NSG reference read from a variable defined as its `resourceId()`.
#[test]
fn an_id_read_from_a_variable_names_what_its_resource_id_names() {
    let template = |nsg_ref: &str| {
        format!(
            r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {{
    "nsgName": "[toLower(concat('vmnsg', resourceGroup().name))]",
    "nsgID": "[resourceId('Microsoft.Network/networkSecurityGroups', variables('nsgName'))]",
    "otherName": "[concat('other', resourceGroup().name)]",
    "otherID": "[resourceId('Microsoft.Network/networkSecurityGroups', variables('otherName'))]",
    "nsgRef": "[variables('{nsg_ref}')]"
  }},
  "resources": [
    {{
      "type": "Microsoft.Network/networkSecurityGroups",
      "apiVersion": "2023-11-01",
      "name": "[variables('nsgName')]",
      "location": "westeurope",
      "properties": {{
        "securityRules": [
          {{
            "name": "ssh",
            "properties": {{
              "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
              "sourceAddressPrefix": "*", "sourcePortRange": "*",
              "destinationAddressPrefix": "*", "destinationPortRange": "22"
            }}
          }}
        ]
      }}
    }},
    {{
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2023-11-01",
      "name": "vnet",
      "location": "westeurope",
      "properties": {{
        "addressSpace": {{ "addressPrefixes": ["10.0.0.0/16"] }},
        "subnets": [
          {{
            "name": "default",
            "properties": {{
              "addressPrefix": "10.0.0.0/24",
              "networkSecurityGroup": {{ "id": "[variables('nsgRef')]" }}
            }}
          }}
        ]
      }}
    }}
  ]
}}"#
        )
    };
    // Through two variables to the NSG's `resourceId()`: the NSG is the subnet's.
    let v = scan_files(&[("azuredeploy.json", &template("nsgID"))]);
    let found = findings(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "NET001");
    assert!(
        found[0]
            .1
            .contains("networkSecurityGroups `[variables('nsgName')]`")
            && !found[0].1.contains("not associated"),
        "{}",
        found[0].1
    );
    // Another NSG's id: this one is associated with nothing here.
    let v = scan_files(&[("azuredeploy.json", &template("otherID"))]);
    let found = findings(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("not associated"), "{}", found[0].1);
}
