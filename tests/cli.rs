//! The command line as a user runs it: exit codes, formats, bad input, spans after BOM, CRLF and
//! non-ASCII text.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_batchguard"));
    c.env_remove("NO_COLOR");
    c.env_remove("CLICOLOR_FORCE");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("batchguard runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const NSG_SSH_ANY: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Network/networkSecurityGroups",
      "apiVersion": "2023-09-01",
      "name": "nsg",
      "properties": {
        "securityRules": [
          { "name": "ssh", "properties": { "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22" } }
        ]
      }
    }
  ]
}
"#;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn rules_and_explain() {
    let d = tmp();
    let o = run(d.path(), &["rules"]);
    assert!(o.status.success());
    for id in [
        "BATCH001", "BATCH003", "BATCH010", "ML001", "ML007", "NET001", "NET002",
    ] {
        assert!(stdout(&o).contains(id), "{id} listed");
    }
    let o = run(d.path(), &["explain", "net001"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("# NET001 — NSG allows SSH from the internet"));
    let o = run(d.path(), &["explain", "NOPE999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown rule `NOPE999`"));
}

#[test]
fn exit_codes_follow_fail_on() {
    let d = tmp();
    fs::write(d.path().join("nsg.json"), NSG_SSH_ANY).unwrap();
    assert_eq!(run(d.path(), &["scan"]).status.code(), Some(1));
    assert_eq!(
        run(d.path(), &["scan", "--fail-on", "never"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(d.path(), &["scan", "--fail-on", "error"]).status.code(),
        Some(1)
    );
    // A warning-only finding passes --fail-on error and fails --fail-on note.
    fs::remove_file(d.path().join("nsg.json")).unwrap();
    fs::write(
        d.path().join("ws.json"),
        r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
           "resources":[{"type":"Microsoft.MachineLearningServices/workspaces","apiVersion":"2024-04-01","name":"ws","properties":{}}]}"#,
    )
    .unwrap();
    assert_eq!(
        run(d.path(), &["scan", "--fail-on", "error"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(d.path(), &["scan", "--fail-on", "note"]).status.code(),
        Some(1)
    );
    let empty = tmp();
    let o = run(empty.path(), &["scan"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("nothing to scan: no Terraform, Bicep or ARM template files"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_syntax_error_in_one_file_does_not_stop_the_others() {
    let d = tmp();
    fs::write(d.path().join("a_nsg.json"), NSG_SSH_ANY).unwrap();
    fs::write(
        d.path().join("broken.tf"),
        "resource \"azurerm_batch_account\" \"a\" {\n  name = \n",
    )
    .unwrap();
    fs::write(
        d.path().join("broken_template.json"),
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [ 'x' ]\n}\n",
    )
    .unwrap();
    // Other JSON, even broken, is not ours to judge.
    fs::write(d.path().join("package.json"), "{ not json").unwrap();
    fs::write(
        d.path().join("junk.tf"),
        [0xff_u8, 0xfe, 0x00, 0x01, b'{', 0x80],
    )
    .unwrap();
    let o = run(
        d.path(),
        &["scan", "--format", "sarif", "--fail-on", "never"],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "input errors exit 2 whatever --fail-on says"
    );
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let run0 = &sarif["runs"][0];
    assert_eq!(
        run0["results"].as_array().unwrap().len(),
        1,
        "the good file is still reported"
    );
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let uris: Vec<&str> = notes
        .iter()
        .map(|n| {
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris,
        vec!["broken.tf", "broken_template.json", "junk.tf"],
        "{notes:#?}"
    );
    for n in notes {
        assert_eq!(n["level"], "error");
    }
    // The Terraform error points at its line.
    assert!(
        notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 2
    );
    let o = run(d.path(), &["scan"]);
    let text = stdout(&o);
    assert!(text.contains("broken.tf:"), "{text}");
    assert!(text.contains("error[NET001]"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let d = tmp();
    fs::create_dir(d.path().join("sub")).unwrap();
    // A path outside the root given with `--root`; without it, the root is the path's folder.
    let o = run(&d.path().join("sub"), &["scan", "..", "--root", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--root"), "{}", stderr(&o));
    let o = run(&d.path().join("sub"), &["scan", ".."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(d.path(), &["scan", "--option", "no_such=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown option `no_such`"));
    let o = run(d.path(), &["scan", "--option", "redundant_rules"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(d.path(), &["scan", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(d.path(), &["scan", "does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("does-not-exist"), "{}", stdout(&o));
}

#[test]
fn output_file_and_json_format() {
    let d = tmp();
    fs::write(d.path().join("nsg.json"), NSG_SSH_ANY).unwrap();
    let o = run(
        d.path(),
        &["scan", "--format", "json", "--output", "out.json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("out.json")).unwrap()).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "NET001");
    assert_eq!(f["path"], "nsg.json");
    assert_eq!(f["start"]["line"], 12);
}

#[test]
fn gitignore_and_tool_folders_are_skipped() {
    let d = tmp();
    for sub in [
        ".terraform/modules/x",
        "node_modules/pkg",
        "ignored",
        "kept",
    ] {
        fs::create_dir_all(d.path().join(sub)).unwrap();
        fs::write(d.path().join(sub).join("nsg.json"), NSG_SSH_ANY).unwrap();
    }
    fs::write(d.path().join(".gitignore"), "ignored/\n").unwrap();
    let o = run(d.path(), &["scan", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["kept/nsg.json"]);
}

/// Region of the first SARIF result: (startLine, startColumn, endLine, endColumn).
fn first_region(dir: &Path) -> (u64, u64, u64, u64) {
    let o = run(dir, &["scan", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    let n = |k: &str| r[k].as_u64().unwrap();
    (
        n("startLine"),
        n("startColumn"),
        n("endLine"),
        n("endColumn"),
    )
}

#[test]
fn spans_after_bom_crlf_and_non_ascii_text() {
    // BOM and CRLF: the BOM is never counted; regions never end inside CRLF.
    let d = tmp();
    let crlf = NSG_SSH_ANY.replace('\n', "\r\n");
    fs::write(d.path().join("nsg.json"), format!("\u{feff}{crlf}")).unwrap();
    let line12 = NSG_SSH_ANY.lines().nth(11).unwrap();
    let col = line12.find("\"sourceAddressPrefix\"").unwrap() as u64 + 1;
    let len = "\"sourceAddressPrefix\": \"*\"".len() as u64;
    assert_eq!(first_region(d.path()), (12, col, 12, col + len));

    // Non-ASCII text before the finding on the same line: columns are UTF-16 code units.
    let d = tmp();
    let line = r#"          { "name": "ñ€𝄞", "properties": { "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp","#;
    let text = NSG_SSH_ANY.replace(r#"          { "name": "ssh", "properties": { "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp","#, line)
        .replace("\n            \"sourceAddressPrefix\"", " \"sourceAddressPrefix\"");
    fs::write(d.path().join("nsg.json"), &text).unwrap();
    let utf16_col = line.encode_utf16().count() as u64 + 2; // one space, then 1-based
    assert_eq!(first_region(d.path()), (11, utf16_col, 11, utf16_col + len));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run_with = |threads: &str| {
        let o = bin()
            .current_dir(root)
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "scan",
                "testdata",
                "--format",
                "sarif",
                "--fail-on",
                "never",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o.stdout
    };
    let one = run_with("1");
    assert!(!one.is_empty());
    assert_eq!(one, run_with("4"));
    assert_eq!(one, run_with("4"));
}

#[test]
fn github_format_annotates_each_finding_relative_to_the_root() {
    let d = tmp();
    fs::create_dir(d.path().join("arm")).unwrap();
    fs::write(d.path().join("arm/nsg.json"), NSG_SSH_ANY).unwrap();
    let o = run(d.path(), &["scan", ".", "--format", "github"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=arm/nsg.json,line=")
            && first.contains(",title=NET001::NSG allows SSH"),
        "{out}"
    );
    assert!(out.lines().last().unwrap().starts_with("batchguard: "));
    let help = stdout(&run(d.path(), &["scan", "--help"]));
    assert!(help.contains("github"), "{help}");
}

/// Values from an azapi `sensitive_body` are located in that attribute and never quoted in the
/// message (§0).
#[test]
fn sensitive_body_values_are_never_echoed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = bin()
        .current_dir(root)
        .args(["scan", "testdata/azapi_sensitive", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "NET001");
    let text = std::fs::read_to_string(root.join("testdata/azapi_sensitive/main.tf")).unwrap();
    let sensitive_line = text
        .lines()
        .position(|l| l.contains("sensitive_body"))
        .unwrap()
        + 1;
    // The finding is about a value inside `sensitive_body`, and points at the attribute's name,
    // so that no snippet shows the lines that hold the secrets.
    assert_eq!(
        f["start"]["line"].as_u64().unwrap() as usize,
        sensitive_line
    );
    assert_eq!(f["end"]["line"].as_u64().unwrap() as usize, sensitive_line);
    for r in f["related"].as_array().unwrap() {
        let line = r["start"]["line"].as_u64().unwrap() as usize;
        assert!(
            line <= sensitive_line,
            "a related location inside `sensitive_body`: {r}"
        );
    }
    let message = f["message"].as_str().unwrap();
    assert!(
        !message.contains("0.0.0.0/0") && message.contains("`(sensitive)`"),
        "{message}"
    );
}

/// The ML rules quote no value that `sensitive_body` holds: public network access, the managed
/// network's isolation mode, remote login and local authentication are `(sensitive)`.
#[test]
fn ml_settings_in_a_sensitive_body_are_never_quoted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run(
        root,
        &[
            "scan",
            "testdata/azapi_sensitive_ml",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    for rule in ["ML001", "ML008", "ML009", "ML015"] {
        let f = findings
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {v}"));
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("(sensitive)"), "{message}");
        let facts = message.split(". Set ").next().unwrap();
        for secret in ["Enabled", "AllowInternetOutbound", "false"] {
            assert!(!facts.contains(secret), "{rule} quotes {secret}: {message}");
        }
    }
}

/// Command-line flags win over `batchguard.toml`: a parameters file given with `--parameters`
/// replaces the one the file's `[parameters]` names for the same template.
#[test]
fn command_line_parameters_win_over_the_config_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/settings");
    let json = |args: &[&str]| {
        let o = run(&dir, args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"].as_str().unwrap().starts_with("arm/"))
            .count()
    };
    let base = ["scan", "arm", "--format", "json", "--fail-on", "never"];
    // batchguard.toml names nsg.parameters.prod.json, which opens SSH to the internet.
    assert!(json(&base) > 0);
    // The default parameters file beside the template keeps it closed, and the flag wins.
    let mut with_flag = base.to_vec();
    with_flag.extend(["--parameters", "arm/nsg.json=arm/nsg.parameters.json"]);
    assert_eq!(json(&with_flag), 0);
}

/// A bare `--parameters FILE`, as `az deployment group create` takes it, is the parameters file of
/// the one template file given to scan; with a folder to scan it names no template (exit 2).
#[test]
fn a_bare_parameters_file_is_for_the_one_template_scanned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/settings");
    let count = |args: &[&str]| {
        let o = run(&dir, args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
        v["findings"].as_array().unwrap().len()
    };
    let base = [
        "scan",
        "arm/nsg.json",
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    let mut open = base.to_vec();
    open.extend(["--parameters", "arm/nsg.parameters.prod.json"]);
    let mut closed = base.to_vec();
    closed.extend(["--parameters", "arm/nsg.parameters.json"]);
    assert!(count(&open) > 0);
    assert_eq!(count(&closed), 0);
    let o = run(
        &dir,
        &["scan", "arm", "--parameters", "arm/nsg.parameters.json"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`--parameters arm/nsg.parameters.json` names no template"),
        "{err}"
    );
}

/// A value from `sensitive_body` quoted in double quotes is redacted too: the scan marks the
/// message's quoted values by where they are written, not by the quotes around them.
#[test]
fn sensitive_values_in_double_quotes_are_redacted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run(
        root,
        &[
            "scan",
            "testdata/azapi_sensitive_pool",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "BATCH021")
        .expect("the endpoint rule's bad source port range is found");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("source port range \"(sensitive)\"")
            && message.contains("NAT pool '(sensitive)'")
            && !message.contains("70000")
            && !message.contains("'app'"),
        "{message}"
    );
}

/// A path outside the working directory is scanned with the folder that holds it as the root
/// (paths in the report relative to it); `--root` still decides when it is given.
#[test]
fn a_path_outside_the_working_directory_is_scanned() {
    let here = tmp();
    let there = tmp();
    fs::create_dir_all(there.path().join("infra")).unwrap();
    fs::write(
        there.path().join("infra/nsg.json"),
        r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
           "resources":[{"type":"Microsoft.Network/networkSecurityGroups","apiVersion":"2023-09-01","name":"n","properties":{"securityRules":[
           {"name":"ssh","properties":{"priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourcePortRange":"*","destinationPortRange":"22","sourceAddressPrefix":"*","destinationAddressPrefix":"*"}}]}}]}"#,
    )
    .unwrap();
    let dir = there.path().join("infra");
    let o = run(
        here.path(),
        &["scan", dir.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["path"], "nsg.json", "{v:#}");
    let root = there.path().to_str().unwrap();
    let o = run(
        here.path(),
        &[
            "scan",
            dir.to_str().unwrap(),
            "--root",
            root,
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["path"], "infra/nsg.json", "{v:#}");
}

/// The rule ids of a JSON report's findings, sorted and deduplicated.
fn rule_ids(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    let mut ids: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// `--select`, `--extend-select` and `--ignore` take ids and prefixes, as `select`,
/// `extend-select` and `ignore` of batchguard.toml do; the command line replaces the file's
/// selection and adds to its ignores.
#[test]
fn rules_are_selected_by_id_and_prefix() {
    // NET001, BATCH001, BATCH004, BATCH020, BATCH022, BATCH030, BATCH031, BATCH033.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tfjson");
    let json = ["scan", ".", "--format", "json", "--fail-on", "never"];
    let all = rule_ids(&run(&dir, &json));
    assert!(
        all.contains(&"NET001".to_string()) && all.len() >= 6,
        "{all:?}"
    );
    let with = |d: &Path, extra: &[&str]| rule_ids(&run(d, &[&json[..], extra].concat()));
    assert_eq!(with(&dir, &["--select", "net001"]), ["NET001"]);
    let batch = with(&dir, &["--select", "BATCH"]);
    assert_eq!(batch.len(), all.len() - 1, "{batch:?}");
    assert_eq!(with(&dir, &["--ignore", "BATCH"]), ["NET001"]);
    assert_eq!(
        with(&dir, &["--select", "NET001", "--extend-select", "BATCH00"]),
        ["BATCH001", "BATCH004", "NET001"]
    );
    assert_eq!(
        with(&dir, &["--select", "NET001,BATCH001"]),
        ["BATCH001", "NET001"]
    );
    let bad = run(&dir, &["scan", ".", "--select", "NET9"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`NET9`"), "{}", stderr(&bad));
    // The same in batchguard.toml, with `extend-select`.
    let t = tmp();
    for f in ["main.tf.json", "variables.tf", "terraform.tfvars.json"] {
        fs::copy(dir.join(f), t.path().join(f)).unwrap();
    }
    fs::write(
        t.path().join("batchguard.toml"),
        "[rules]\nselect = [\"NET00\"]\nextend-select = [\"BATCH03\"]\nignore = [\"BATCH031\"]\n",
    )
    .unwrap();
    assert_eq!(with(t.path(), &[]), ["BATCH030", "BATCH033", "NET001"]);
    // The command line's selection replaces the file's; its ignores add to the file's.
    assert_eq!(
        with(t.path(), &["--select", "BATCH03"]),
        ["BATCH030", "BATCH033"]
    );
    assert_eq!(
        with(t.path(), &["--ignore", "NET"]),
        ["BATCH030", "BATCH033"]
    );
}

/// `-q` prints the findings only; `--statistics` counts per rule; `-o` and `-f` are the short
/// forms of `--output` and `--format`.
#[test]
fn quiet_statistics_and_short_flags() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/NET001/azurerm/violating");
    let summary = |s: &str| {
        s.lines()
            .any(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(" scanned"))
    };
    let normal = stdout(&run(&dir, &["scan", "."]));
    assert!(summary(&normal), "{normal}");
    let quiet = stdout(&run(&dir, &["scan", ".", "-q"]));
    assert!(quiet.contains("error[NET001]"), "{quiet}");
    assert!(!summary(&quiet), "{quiet}");
    let stats = run(&dir, &["scan", ".", "--statistics"]);
    assert_eq!(stats.status.code(), Some(1));
    let table = stdout(&stats);
    let net001 = table
        .lines()
        .find(|l| l.contains("NET001"))
        .unwrap_or_else(|| panic!("{table}"));
    let count: usize = net001.split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(count, quiet.matches("error[NET001]").count());
    assert!(!table.contains("-->"), "{table}");
    let t = tmp();
    let out = t.path().join("r.sarif");
    let o = run(
        &dir,
        &[
            "scan",
            ".",
            "-f",
            "sarif",
            "-o",
            out.to_str().unwrap(),
            "--statistics",
        ],
    );
    assert!(stdout(&o).contains("NET001"));
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

/// Several reports from one scan: each `--output` takes the `--format` before it, one format goes
/// to standard output; two formats for standard output, or two outputs for one format, are usage
/// errors (exit 2) that write nothing.
#[test]
fn several_reports_from_one_scan() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/NET001/azurerm/violating");
    let t = tmp();
    let sarif = t.path().join("r.sarif");
    let junit = t.path().join("r.xml");
    let o = run(
        &dir,
        &[
            "scan",
            ".",
            "--format",
            "sarif",
            "--output",
            sarif.to_str().unwrap(),
            "-f",
            "concise",
            "-o",
            junit.to_str().unwrap(),
            "-f",
            "junit",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    assert!(results > 0);
    // The output after `-f concise` holds the concise report; junit went to standard output.
    let concise = fs::read_to_string(&junit).unwrap();
    assert_eq!(
        concise.lines().filter(|l| l.contains(": NET")).count(),
        results,
        "{concise}"
    );
    assert!(stdout(&o).starts_with("<?xml"), "{}", stdout(&o));

    // An output before every format belongs to the first one.
    let json = t.path().join("first.json");
    let o = run(
        &dir,
        &[
            "scan",
            ".",
            "-o",
            json.to_str().unwrap(),
            "-f",
            "json",
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(fs::read_to_string(&json).unwrap().contains("\"findings\""));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));

    let none = t.path().join("never.json");
    for args in [
        vec!["scan", ".", "-f", "sarif", "-f", "console"],
        vec![
            "scan",
            ".",
            "-f",
            "json",
            "-o",
            none.to_str().unwrap(),
            "-o",
            "other.json",
        ],
    ] {
        let o = run(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("error:"), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    assert!(!none.exists());
}

/// `rules --format json` lists every rule for machines; `--color` decides the console's colors
/// whatever the terminal, and `auto` follows NO_COLOR and CLICOLOR_FORCE.
#[test]
fn rules_as_json_and_color_choice() {
    let t = tmp();
    let o = run(t.path(), &["rules", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() >= 40);
    let net001 = rules.iter().find(|r| r["id"] == "NET001").unwrap();
    assert_eq!(net001["title"], "NSG allows SSH from the internet");
    assert!(net001["syntaxes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "Bicep"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/NET001/arm");
    let esc = |o: &Output| stdout(o).contains('\u{1b}');
    assert!(esc(&run(&dir, &["scan", ".", "--color", "always"])));
    assert!(!esc(&run(&dir, &["scan", ".", "--color", "never"])));
    // Not a terminal: no color, unless forced.
    assert!(!esc(&run(&dir, &["scan", "."])));
    let forced = bin()
        .current_dir(&dir)
        .env("CLICOLOR_FORCE", "1")
        .args(["scan", "."])
        .output()
        .unwrap();
    assert!(esc(&forced));
    let both = bin()
        .current_dir(&dir)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["scan", "."])
        .output()
        .unwrap();
    assert!(!esc(&both));
}

/// A value for a variable nothing declares is named, as Terraform warns about it: a `--var`
/// that no scanned module declares (without a place), an entry of a `--var-file` that no root
/// module declares, an entry of a module's own `terraform.tfvars` or `*.auto.tfvars.json` its
/// module does not declare. Declared ones are not, and the exit code is unchanged.
#[test]
fn values_for_undeclared_variables_are_named() {
    let d = tmp();
    let root = d.path();
    fs::create_dir_all(root.join("app")).unwrap();
    fs::create_dir_all(root.join("other")).unwrap();
    fs::write(
        root.join("app/main.tf"),
        "variable \"port\" {\n  type    = number\n  default = 22\n}\n",
    )
    .unwrap();
    fs::write(root.join("other/main.tf"), "variable region {}\n").unwrap();
    fs::write(root.join("app/terraform.tfvars"), "port = 23\nnope = 1\n").unwrap();
    fs::write(
        root.join("app/x.auto.tfvars.json"),
        "{\"port\": 24, \"nope_json\": 1}\n",
    )
    .unwrap();
    fs::write(root.join("dev.tfvars"), "region = \"x\"\nprot = 1\n").unwrap();
    let out = run(
        root,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--var",
            "other=3",
            "--var",
            "port=25",
            "--var",
            "region=y",
            "--var-file",
            "dev.tfvars",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes: Vec<(String, u64, String)> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap_or("").to_string(),
                n["start"]["line"].as_u64().unwrap_or(0),
                n["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "",
            0,
            "`--var other=…`: no scanned Terraform module declares a variable `other`, so the \
             value is not used (Terraform refuses a value for an undeclared variable)",
        ),
        (
            "app/terraform.tfvars",
            2,
            "`terraform.tfvars` gives a value for `nope`, but the module declares no variable \
             `nope`: Terraform ignores the value, with a warning",
        ),
        (
            "app/x.auto.tfvars.json",
            1,
            "`x.auto.tfvars.json` gives a value for `nope_json`, but the module declares no \
             variable `nope_json`: Terraform ignores the value, with a warning",
        ),
        (
            "dev.tfvars",
            2,
            "`dev.tfvars` gives a value for `prot`, but no scanned root module declares a \
             variable `prot`: Terraform ignores the value, with a warning",
        ),
    ];
    let mut got = notes.clone();
    got.sort();
    let mut want: Vec<(String, u64, String)> = expected
        .iter()
        .map(|(p, l, m)| (p.to_string(), *l, m.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
}
