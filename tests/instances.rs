//! One result per location, the instances listed: results of one rule at one place that differ
//! only by the `count`, `for_each` or ARM `copy` instance behind them are one result, whose
//! message names five of the instances and says how many more, and whose JSON `instances` and
//! SARIF `properties.instances` hold all of them. Results whose messages differ by more stay
//! apart; baselines and suppressions treat a merged result as one.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

fn scan(dir: &Path, extra: &[&str]) -> Value {
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(["scan", ".", "--fail-on", "never"])
        .args(extra)
        .output()
        .expect("batchguard runs");
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn json(dir: &Path) -> Value {
    scan(dir, &["--format", "json"])
}

/// The findings of one rule.
fn of(v: &Value, rule: &str) -> Vec<Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .cloned()
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// `count` NSGs, or NSGs `for_each` over `keys`, each with one inline rule whose source is
/// `source` (an expression).
fn nsgs(meta: &str, source: &str) -> String {
    format!(
        r#"resource "azurerm_network_security_group" "n" {{
  {meta}
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {{
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = {source}
    destination_address_prefix = "*"
  }}
}}
"#
    )
}

#[test]
fn a_for_each_over_many_keys_is_one_result_that_lists_its_instances() {
    let d = tempfile::tempdir().unwrap();
    let keys: Vec<String> = (1..=12).map(|i| format!("\"s{i}\"")).collect();
    fs::write(
        d.path().join("main.tf"),
        nsgs(&format!("for_each = toset([{}])", keys.join(", ")), "\"*\""),
    )
    .unwrap();
    let v = json(d.path());
    let found = of(&v, "NET001");
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["start"]["line"], 14);
    // Natural order: s2 before s10.
    let want: Vec<String> = (1..=12)
        .map(|i| format!("azurerm_network_security_group.n[\"s{i}\"]"))
        .collect();
    assert_eq!(strings(&f["instances"]), want);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.ends_with(&format!(
            " Reported once for 12 instances: {} and 7 more.",
            want[..5].join(", ")
        )),
        "{message}"
    );
    assert!(message.contains("in azurerm_network_security_group.n[\"s1\"] allows TCP port 22"));

    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(d.path())
        .args(["scan", ".", "--fail-on", "never", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let net001: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "NET001").collect();
    assert_eq!(net001.len(), 1);
    assert_eq!(strings(&net001[0]["properties"]["instances"]), want);
    assert_eq!(net001[0]["properties"]["security-severity"], Value::Null);
    assert_eq!(net001[0]["message"]["text"].as_str(), Some(message));
}

#[test]
fn count_instances_are_one_result() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("main.tf"),
        "resource \"azurerm_batch_account\" \"b\" {\n  count               = 3\n  name                = \"acct${count.index}\"\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n}\n",
    )
    .unwrap();
    let v = json(d.path());
    for rule in ["BATCH001", "BATCH003", "BATCH004"] {
        let found = of(&v, rule);
        assert_eq!(found.len(), 1, "{rule}: {found:#?}");
        assert_eq!(
            strings(&found[0]["instances"]),
            [
                "azurerm_batch_account.b[0]",
                "azurerm_batch_account.b[1]",
                "azurerm_batch_account.b[2]"
            ]
        );
        assert!(found[0]["message"].as_str().unwrap().ends_with(
            " Reported once for 3 instances: azurerm_batch_account.b[0], azurerm_batch_account.b[1], azurerm_batch_account.b[2]."
        ));
    }
}

#[test]
fn arm_copies_are_one_result_that_names_each_copy() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("t.json"),
        r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
 "resources":[
  {"type":"Microsoft.Network/networkSecurityGroups","apiVersion":"2023-09-01","name":"[concat('nsg-', copyIndex())]","location":"westeurope",
   "copy":{"name":"nsgs","count":11},
   "properties":{"securityRules":[{"name":"ssh","properties":{"priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp",
     "sourcePortRange":"*","destinationPortRange":"22","sourceAddressPrefix":"*","destinationAddressPrefix":"*"}}]}}]}
"#,
    )
    .unwrap();
    let v = json(d.path());
    let found = of(&v, "NET001");
    assert_eq!(found.len(), 1, "{found:#?}");
    let want: Vec<String> = (0..11)
        .map(|i| format!("Microsoft.Network/networkSecurityGroups 'nsg-{i}'"))
        .collect();
    assert_eq!(strings(&found[0]["instances"]), want);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("in networkSecurityGroups 'nsg-0' allows"),
        "{message}"
    );
    assert!(
        message.ends_with(&format!(
            " Reported once for 11 instances: {} and 6 more.",
            want[..5].join(", ")
        )),
        "{message}"
    );
}

#[test]
fn instances_whose_messages_differ_by_more_than_their_address_stay_apart() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("main.tf"),
        nsgs(
            "for_each = { a = \"*\", b = \"*\", c = \"0.0.0.0/0\" }",
            "each.value",
        ),
    )
    .unwrap();
    let v = json(d.path());
    let mut got: Vec<(Vec<String>, bool)> = of(&v, "NET001")
        .iter()
        .map(|f| {
            (
                strings(&f["instances"]),
                f["message"].as_str().unwrap().contains("from `0.0.0.0/0`"),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                vec![
                    "azurerm_network_security_group.n[\"a\"]".to_string(),
                    "azurerm_network_security_group.n[\"b\"]".to_string()
                ],
                false
            ),
            (
                vec!["azurerm_network_security_group.n[\"c\"]".to_string()],
                true
            ),
        ]
    );
}

#[test]
fn a_baseline_accepts_a_merged_result_whatever_instances_it_lists() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    fs::write(p.join("main.tf"), nsgs("count = 2", "\"*\"")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(p)
        .args([
            "scan",
            "main.tf",
            "--fail-on",
            "never",
            "--write-baseline",
            "baseline.sarif",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A third instance: still the one accepted result.
    fs::write(p.join("main.tf"), nsgs("count = 3", "\"*\"")).unwrap();
    let v = scan(p, &["--format", "json", "--baseline", "baseline.sarif"]);
    assert_eq!(of(&v, "NET001"), Vec::<Value>::new());
}

#[test]
fn one_suppression_silences_a_merged_result() {
    let d = tempfile::tempdir().unwrap();
    let text = nsgs("count = 4", "\"*\"").replace(
        "    source_address_prefix",
        "    # batchguard:ignore NET001 reason=\"jump hosts, reviewed\"\n    source_address_prefix",
    );
    fs::write(d.path().join("main.tf"), text).unwrap();
    let v = json(d.path());
    assert_eq!(of(&v, "NET001"), Vec::<Value>::new());
    let notes: Vec<&str> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(notes.is_empty(), "{notes:#?}");
}

/// The marks that carry a named resource through `format!` never reach any output.
#[test]
fn no_output_carries_the_marks_of_named_resources() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for format in ["json", "sarif", "console"] {
        let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
            .current_dir(root)
            .args(["scan", "testdata", "--fail-on", "never", "--format", format])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.len() > 1000, "{format}: {out}");
        for mark in ['\u{FDD0}', '\u{FDD1}', '\u{FDD2}'] {
            assert!(!out.contains(mark), "{format} output carries {mark:?}");
        }
    }
}
