//! Suppressions (comments in HCL and ARM, ARM metadata), expiry, unused and reason-less
//! suppressions, SARIF `suppressions`, baselines and `batchguard.toml`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("batchguard runs")
}
fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn suppressions_in_every_syntax() {
    let o = run(
        root(),
        &[
            "scan",
            "testdata/controls",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    let v = json(&o);
    // The rules the fixtures suppress (others, such as BATCH004, report as usual).
    let watched = ["NET001", "NET002", "BATCH001", "BATCH003"];
    let findings: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| watched.contains(&f["rule"].as_str().unwrap()))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Suppressed: NET001 in HCL (comment on the line before), ARM (`//` comment) and azapi
    // (trailing `#`), BATCH001 in HCL (trailing, no reason) and ARM (metadata). Expired: NET002
    // in HCL, BATCH003 in ARM metadata — they are reported again.
    assert_eq!(
        findings,
        vec![
            (
                "BATCH003".to_string(),
                "testdata/controls/arm/template.json".to_string()
            ),
            (
                "NET002".to_string(),
                "testdata/controls/hcl/main.tf".to_string()
            ),
        ]
    );
    let notes: Vec<String> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("BATCH003 expired on 2021-06-30")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("NET002 expired on 2020-01-31")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("unused suppression") && n.contains("NET001")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("BATCH001 has no reason")),
        "{notes:?}"
    );
    assert_eq!(notes.len(), 4, "{notes:?}");
}

#[test]
fn sarif_carries_suppressed_results_only_when_asked() {
    let plain = json(&run(
        root(),
        &[
            "scan",
            "testdata/controls",
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ],
    ));
    let results = plain["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "BATCH003, NET002 and two BATCH004 notes");
    assert!(results.iter().all(|r| r.get("suppressions").is_none()));
    let with = json(&run(
        root(),
        &[
            "scan",
            "testdata/controls",
            "--format",
            "sarif",
            "--include-suppressed",
            "--fail-on",
            "never",
        ],
    ));
    let results = with["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 5);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert!(suppressed
        .iter()
        .any(|r| r["suppressions"][0]["justification"] == "lab network, torn down nightly"));
}

const NSG: &str = r#"resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
"#;

#[test]
fn baseline_accepts_known_findings_even_when_lines_move() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("main.tf"), NSG).unwrap();
    // Writing a baseline accepts what is found: exit 0, and only the rules found are in it.
    let o = run(d.path(), &["scan", "--write-baseline", "baseline.sarif"]);
    assert_eq!(o.status.code(), Some(0));
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("baseline.sarif")).unwrap())
            .unwrap();
    let rules = written["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.is_empty() && rules.len() < 5, "{}", rules.len());
    // Lines move and the indentation changes: still the same finding.
    let moved = format!(
        "# a comment\n\n{}",
        NSG.replace(
            "    source_address_prefix      = \"*\"",
            "      source_address_prefix = \"*\""
        )
    );
    fs::write(d.path().join("main.tf"), &moved).unwrap();
    let o = run(
        d.path(),
        &["scan", "--baseline", "baseline.sarif", "--format", "json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(json(&o)["findings"].as_array().unwrap().len(), 0);
    // A new exposure is reported.
    let with_rdp = format!(
        "{moved}\n{}",
        NSG.replace("\"n\"", "\"m\"").replace("\"22\"", "\"3389\"")
    );
    fs::write(d.path().join("main.tf"), with_rdp).unwrap();
    let o = run(
        d.path(),
        &["scan", "--baseline", "baseline.sarif", "--format", "json"],
    );
    let rules: Vec<String> = json(&o)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, vec!["NET002"]);
    assert_eq!(o.status.code(), Some(1));
    // A baseline that is not SARIF is a usage error.
    fs::write(d.path().join("bad.sarif"), "not json").unwrap();
    assert_eq!(
        run(d.path(), &["scan", "--baseline", "bad.sarif"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn configuration_file_selects_rules_levels_paths_and_options() {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir_all(d.path().join("examples")).unwrap();
    fs::write(d.path().join("main.tf"), NSG).unwrap();
    fs::write(d.path().join("examples/main.tf"), NSG).unwrap();
    fs::write(
        d.path().join("batchguard.toml"),
        "fail_on = \"error\"\nexclude = [\"examples/**\"]\n[rules]\ndisable = [\"NET002\"]\n[rules.level]\nNET001 = \"warning\"\n",
    )
    .unwrap();
    let o = run(d.path(), &["scan", "--format", "json"]);
    let v = json(&o);
    let f: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["level"].as_str().unwrap().into(),
                f["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        f,
        vec![(
            "NET001".to_string(),
            "warning".to_string(),
            "main.tf".to_string()
        )]
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "fail_on = error and the only finding is now a warning"
    );
    assert_eq!(
        run(d.path(), &["scan", "--fail-on", "warning"])
            .status
            .code(),
        Some(1),
        "the command line wins"
    );
    // Outside git the scan root is the repository: a sub-folder used as the root does not read
    // the configuration above it.
    fs::create_dir_all(d.path().join("sub")).unwrap();
    fs::write(d.path().join("sub/main.tf"), NSG).unwrap();
    let o = run(&d.path().join("sub"), &["scan", "--format", "json"]);
    assert_eq!(json(&o)["findings"][0]["level"], "error");
    // In a git work tree it is found upward from a sub-folder, up to the top of the tree.
    fs::create_dir_all(d.path().join(".git")).unwrap();
    let o = run(&d.path().join("sub"), &["scan", "--format", "json"]);
    assert_eq!(json(&o)["findings"][0]["level"], "warning");
    // Unknown keys and rule ids are errors with the file location.
    fs::write(
        d.path().join("batchguard.toml"),
        "[rules]\ndisable = [\"NET999\"]\n",
    )
    .unwrap();
    let o = run(d.path(), &["scan"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("batchguard.toml:2:12: `NET999` is neither a rule id nor the start of one"),
        "{err}"
    );
    fs::write(d.path().join("batchguard.toml"), "colour = true\n").unwrap();
    let o = run(d.path(), &["scan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("batchguard.toml:1:1"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // --config names another file.
    fs::write(
        d.path().join("other.toml"),
        "[options]\nremote_access_ports = [2222]\n",
    )
    .unwrap();
    assert_eq!(
        run(
            d.path(),
            &["scan", "--config", "other.toml", "--fail-on", "never"]
        )
        .status
        .code(),
        Some(0)
    );
}

/// Baselines and configuration in ARM and azapi too: the fingerprint ignores line moves in JSON
/// and in an azapi body, and `batchguard.toml` applies to every syntax.
#[test]
fn baseline_and_configuration_in_arm_and_azapi() {
    let d = tempfile::tempdir().unwrap();
    let arm = fs::read_to_string(root().join("testdata/NET001/arm/violating.json")).unwrap();
    let azapi = fs::read_to_string(root().join("testdata/NET001/azapi/violating/main.tf")).unwrap();
    fs::create_dir_all(d.path().join("azapi")).unwrap();
    fs::write(d.path().join("nsg.json"), &arm).unwrap();
    fs::write(d.path().join("azapi/main.tf"), &azapi).unwrap();
    let before = json(&run(
        d.path(),
        &[
            "scan",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--write-baseline",
            "b.sarif",
        ],
    ));
    assert!(!before["findings"].as_array().unwrap().is_empty());
    // Move every line down and re-indent: all findings stay accepted.
    fs::write(
        d.path().join("nsg.json"),
        format!("// moved\n\n{}", arm.replace("\n  ", "\n    ")),
    )
    .unwrap();
    fs::write(
        d.path().join("azapi/main.tf"),
        format!("# moved\n\n{azapi}"),
    )
    .unwrap();
    let after = json(&run(
        d.path(),
        &["scan", "--format", "json", "--baseline", "b.sarif"],
    ));
    assert_eq!(after["findings"].as_array().unwrap().len(), 0, "{after:#}");
    // The configuration's level override and rule selection hold for ARM and azapi findings.
    fs::write(
        d.path().join("batchguard.toml"),
        "[rules]\nenable = [\"NET001\"]\n[rules.level]\nNET001 = \"note\"\n",
    )
    .unwrap();
    let v = json(&run(
        d.path(),
        &["scan", "--format", "json", "--fail-on", "never"],
    ));
    let found = v["findings"].as_array().unwrap();
    assert!(
        found.iter().any(|f| f["path"] == "nsg.json")
            && found.iter().any(|f| f["path"] == "azapi/main.tf")
    );
    assert!(
        found
            .iter()
            .all(|f| f["rule"] == "NET001" && f["level"] == "note"),
        "{found:#?}"
    );
}

/// A mistyped key, a missing quote or a date not in the calendar: a located error, and the
/// finding stays (a suppression that cannot be read never hides anything).
#[test]
fn malformed_suppressions_are_errors_and_hide_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let rule = |name: &str, comment: &str| {
        format!(
            "resource \"azurerm_network_security_rule\" \"{name}\" {{\n  name = \"{name}\"\n  resource_group_name = \"rg\"\n  network_security_group_name = \"nsg\"\n  priority = 100\n  direction = \"Inbound\"\n  access = \"Allow\"\n  protocol = \"Tcp\"\n  source_port_range = \"*\"\n  destination_port_range = \"22\"\n  destination_address_prefix = \"*\"\n  {comment}\n  source_address_prefix = \"*\"\n}}\n"
        )
    };
    let text = [
        rule(
            "typo",
            "# batchguard:ignore NET001 reson=\"jump host\" until=2020-01-01",
        ),
        rule("quote", "# batchguard:ignore NET001 reason=\"jump host"),
        rule(
            "date",
            "# batchguard:ignore NET001 reason=\"jump host\" until=2099-02-30",
        ),
    ]
    .concat();
    std::fs::write(tmp.path().join("main.tf"), &text).unwrap();
    let out = run(tmp.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let net001 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET001")
        .count();
    assert_eq!(net001, 3, "{v}");
    let errors: Vec<&str> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["level"] == "error" && n["start"]["line"].is_u64())
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors.iter().any(|m| m.contains("`reson=`")), "{errors:?}");
    assert!(
        errors.iter().any(|m| m.contains("2099-02-30")),
        "{errors:?}"
    );
}

/// A baseline written from the repository root accepts the same findings when a subfolder is
/// scanned (paths are matched as absolute paths, from the baseline's `originalUriBaseIds`).
#[test]
fn a_baseline_from_the_root_matches_a_scan_of_a_subfolder() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().canonicalize().unwrap();
    fs::create_dir_all(root.join("infra/net")).unwrap();
    fs::write(root.join("infra/net/main.tf"), NSG).unwrap();
    let o = run(&root, &["scan", ".", "--write-baseline", "baseline.sarif"]);
    assert_eq!(o.status.code(), Some(0));
    let baseline = root.join("baseline.sarif");
    let sub = root.join("infra");
    let o = run(
        &sub,
        &[
            "scan",
            ".",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let v = json(&o);
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(o.status.code(), Some(0));
}
