//! Each fix has fixtures: the rule's violating fixture is the input, and
//! `testdata/<RULE>/<syntax>/fixed.json` (or `fixed/`, a folder like `violating/`) the expected
//! output of `scan --fix` with only that rule enabled; `fixed-unsafe…` the output with
//! `--unsafe-fixes`. The fixed files must match byte for byte, the findings that had a fix must be
//! gone, and a second run must change nothing.
//!
//! `BATCHGUARD_BLESS=1 cargo test --test fixes` writes the expected files from what the fixes do
//! now, for review in `git diff`.

mod common;

use batchguard::fix::run::run;
use batchguard::rules::RULES;
use batchguard::settings::{scan_config, Given};
use common::manifest_dir;
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of `from` (a file or a folder) in `to`, with a configuration that enables `rule` only.
fn stage(from: &Path, to: &Path, rule: &str) {
    fs::write(
        to.join("batchguard.toml"),
        format!("[rules]\nenable = [\"{rule}\"]\n"),
    )
    .unwrap();
    if from.is_dir() {
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    } else {
        fs::copy(from, to.join(from.file_name().unwrap())).unwrap();
    }
}

/// The files of `dir` other than the configuration, by name, with their text.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != "batchguard.toml")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Runs the fixes in `dir` and writes the files, as `scan --fix` does.
fn fix(dir: &Path, unsafe_fixes: bool) -> batchguard::fix::run::FixRun {
    let cfg = scan_config(dir, vec![dir.to_path_buf()], &Given::default()).unwrap();
    let r = run(&cfg, unsafe_fixes).unwrap();
    for c in &r.changed {
        fs::write(&c.path, &c.after).unwrap();
    }
    r
}

/// The violating fixture and the expected outputs of one rule and syntax.
fn cases(rule: &str, syntax: &str) -> Vec<(PathBuf, PathBuf, bool)> {
    let dir = manifest_dir().join("testdata").join(rule).join(syntax);
    let mut out = Vec::new();
    for (name, unsafe_fixes) in [("fixed", false), ("fixed-unsafe", true)] {
        for (input, expected) in [
            (dir.join("violating.json"), dir.join(format!("{name}.json"))),
            (
                dir.join("violating.bicep"),
                dir.join(format!("{name}.bicep")),
            ),
            (dir.join("violating"), dir.join(name)),
        ] {
            let bless = std::env::var_os("BATCHGUARD_BLESS").is_some();
            if expected.exists() || (bless && input.exists()) {
                out.push((input, expected, unsafe_fixes));
            }
        }
    }
    out
}

#[test]
fn fixes_match_their_fixtures_and_are_complete() {
    let bless = std::env::var_os("BATCHGUARD_BLESS").is_some();
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in RULES.iter().map(|r| r.meta.id) {
        for syntax in ["arm", "azurerm", "azapi", "bicep"] {
            for (input, expected, unsafe_fixes) in cases(rule, syntax) {
                let tmp = tempfile::tempdir().unwrap();
                let dir = tmp.path().canonicalize().unwrap();
                stage(&input, &dir, rule);
                let first = fix(&dir, unsafe_fixes);
                let got = texts(&dir);
                let label = format!("{rule} {syntax} {}", expected.display());
                if bless {
                    if first.changed.is_empty() {
                        continue;
                    }
                    if unsafe_fixes {
                        // Kept only where unsafe fixes change more than the safe ones.
                        let safe = tempfile::tempdir().unwrap();
                        let safe_dir = safe.path().canonicalize().unwrap();
                        stage(&input, &safe_dir, rule);
                        fix(&safe_dir, false);
                        if texts(&safe_dir) == got {
                            continue;
                        }
                    }
                    if input.is_dir() {
                        fs::create_dir_all(&expected).unwrap();
                        for (name, text) in &got {
                            fs::write(expected.join(name), text).unwrap();
                        }
                    } else {
                        fs::write(&expected, &got[0].1).unwrap();
                    }
                    continue;
                }
                checked += 1;
                let want = if expected.is_dir() {
                    texts(&expected)
                } else {
                    vec![(
                        input.file_name().unwrap().to_string_lossy().into_owned(),
                        fs::read_to_string(&expected).unwrap(),
                    )]
                };
                if got != want {
                    failures.push(format!("{label}: the fixed files differ from the fixture"));
                    continue;
                }
                // Every finding of the rule that had a fix it could apply is gone.
                let left: Vec<String> = first
                    .output
                    .findings
                    .iter()
                    .filter(|f| f.rule == rule)
                    .filter(|f| {
                        f.fix.as_ref().is_some_and(|x| {
                            x.text_edits().is_some()
                                && (unsafe_fixes || x.safety == batchguard::findings::Safety::Safe)
                        })
                    })
                    .map(|f| f.message.to_string())
                    .collect();
                if !left.is_empty() {
                    failures.push(format!("{label}: fixable findings remain: {left:#?}"));
                }
                if first
                    .notes
                    .iter()
                    .any(|n| n.level == batchguard::findings::Level::Error)
                {
                    failures.push(format!("{label}: a fix failed: {:#?}", first.notes));
                }
                let second = fix(&dir, unsafe_fixes);
                if !second.changed.is_empty() {
                    failures.push(format!(
                        "{label}: a second run changed {:?}",
                        second.changed.iter().map(|c| &c.rel).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(bless || checked >= 20, "only {checked} fix fixtures");
}

/// A value that comes from a definition (a variable default, a module argument) is fixed there,
/// and only when every place that uses the definition is fixed the same way; otherwise the
/// finding stays and a note says why.
#[test]
fn definitions_are_fixed_where_every_use_is_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let account = |name: &str| {
        format!(
            "resource \"azurerm_batch_account\" \"{name}\" {{\n  name                          = \"{name}\"\n  resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  public_network_access_enabled = var.public\n  allowed_authentication_modes  = [\"AAD\"]\n}}\n"
        )
    };
    let variable = "variable \"public\" {\n  default = true # kept\n}\n";
    fs::write(
        dir.join("batchguard.toml"),
        "[rules]\nenable = [\"BATCH001\"]\n",
    )
    .unwrap();
    // Two accounts that both violate: the default is fixed, once, with its comment kept.
    fs::write(
        dir.join("main.tf"),
        format!("{variable}{}{}", account("x"), account("y")),
    )
    .unwrap();
    let r = fix(&dir, true);
    assert_eq!(r.fixed, 2, "{:#?}", r.notes);
    let text = fs::read_to_string(dir.join("main.tf")).unwrap();
    assert!(
        text.starts_with("variable \"public\" {\n  default = false # kept\n}\n"),
        "{text}"
    );
    assert_eq!(text.matches("= var.public").count(), 2);
    // One use that violates and one that does not: nothing is changed, and the note says why.
    let pool = "resource \"azurerm_batch_pool\" \"p\" {\n  name                = \"p\"\n  resource_group_name = \"rg\"\n  account_name        = \"x\"\n  vm_size             = \"STANDARD_D2S_V3\"\n  node_agent_sku_id   = \"batch.node.ubuntu 22.04\"\n  network_configuration {\n    subnet_id                      = \"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b\"\n    accelerated_networking_enabled = var.public\n  }\n}\n";
    let before = format!("{variable}{}{pool}", account("x"));
    fs::write(dir.join("main.tf"), &before).unwrap();
    let r = fix(&dir, true);
    assert_eq!(fs::read_to_string(dir.join("main.tf")).unwrap(), before);
    assert!(
        r.notes
            .iter()
            .any(|n| n.message.contains("BATCH001 was not fixed")
                && n.message
                    .contains("default of variable `public`, which 1 other place also uses")),
        "{:#?}",
        r.notes
    );
    assert!(r.output.findings.iter().any(|f| f.rule == "BATCH001"));
    // A value computed from a definition (here through a condition) is not the definition's.
    let computed = format!(
        "variable \"private\" {{\n  default = false\n}}\n{}",
        account("x").replace("var.public", "var.private ? false : true")
    );
    fs::write(dir.join("main.tf"), &computed).unwrap();
    let r = fix(&dir, true);
    assert_eq!(fs::read_to_string(dir.join("main.tf")).unwrap(), computed);
    assert!(
        r.notes
            .iter()
            .any(|n| n.message.contains("the value is computed from")),
        "{:#?}",
        r.notes
    );
}

/// Each rule's page says whether it has a fix and whether it is safe, and agrees with the
/// fixtures: a rule with `fixed…` outputs says its safe fix, one with `fixed-unsafe…` outputs
/// says that fix is unsafe.
#[test]
fn rule_pages_say_whether_their_fix_is_safe() {
    for rule in RULES.iter().map(|r| &r.meta) {
        let doc = rule.doc;
        let at = doc
            .find("**Automatic fix.**")
            .unwrap_or_else(|| panic!("{}: the page does not say whether it has a fix", rule.id));
        let para = doc[at..].split("\n\n").next().unwrap().to_lowercase();
        let dir = manifest_dir().join("testdata").join(rule.id);
        let has = |name: &str| {
            ["arm", "azurerm", "azapi", "bicep"].iter().any(|s| {
                dir.join(s).join(name).exists() || dir.join(s).join(format!("{name}.json")).exists()
            })
        };
        if has("fixed") {
            assert!(para.contains("safe"), "{}: {para}", rule.id);
        }
        if has("fixed-unsafe") {
            assert!(para.contains("unsafe"), "{}: {para}", rule.id);
        }
        if !has("fixed") && !has("fixed-unsafe") && !para.contains("unsafe") {
            assert!(
                para.contains("none") || para.contains("where"),
                "{}: {para}",
                rule.id
            );
        }
    }
}

/// `--add-suppressions` writes one comment per finding line, in each syntax's comment form and
/// indented like the line; a scan afterwards reports nothing, and a second run adds nothing.
#[test]
fn suppressions_are_added_before_each_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    for (from, to) in [
        ("testdata/NET001/arm/violating.json", "azuredeploy.json"),
        ("testdata/NET001/azurerm/violating/main.tf", "main.tf"),
    ] {
        fs::copy(manifest_dir().join(from), dir.join(to)).unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_batchguard");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .current_dir(&dir)
            .args(["scan", ".", "--format", "json", "--fail-on", "note"])
            .args(args)
            .output()
            .unwrap()
    };
    let bad = run(&["--add-suppressions", "--reason", "x", "--until", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    let o = run(&[
        "--add-suppressions",
        "--reason",
        "reached only through \"bastion\"",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("suppressed"));
    let tf = fs::read_to_string(dir.join("main.tf")).unwrap();
    assert!(
        tf.contains("\n    # batchguard:ignore NET001 reason=\"reached only through 'bastion'\"\n    source_address_prefix"),
        "{tf}"
    );
    let arm = fs::read_to_string(dir.join("azuredeploy.json")).unwrap();
    assert!(arm.contains("// batchguard:ignore NET001 reason="), "{arm}");
    let after: serde_json::Value = serde_json::from_slice(&run(&[]).stdout).unwrap();
    assert_eq!(after["findings"].as_array().unwrap().len(), 0, "{after:#}");
    let again = run(&["--add-suppressions", "--reason", "again"]);
    assert_eq!(fs::read_to_string(dir.join("main.tf")).unwrap(), tf);
    assert!(String::from_utf8_lossy(&again.stderr).contains("suppressed 0 findings in 0 files"));
}

/// Where the line before a finding already holds a suppression, `--add-suppressions` adds the
/// rule to its list: a comment of its own would push that suppression off the line it silences.
#[test]
fn an_added_suppression_joins_the_one_on_the_line_before() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let text = fs::read_to_string(manifest_dir().join("testdata/NET001/azurerm/violating/main.tf"))
        .unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("source_address_prefix ") && l.contains("\"*\""))
        .unwrap();
    let indent = &line[..line.len() - line.trim_start().len()];
    let with = text.replacen(
        &format!("{line}\n"),
        &format!("{indent}# batchguard:ignore NET004 reason=\"kept\"\n{line}\n"),
        1,
    );
    fs::write(dir.join("main.tf"), &with).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(&dir)
        .args([
            "scan",
            ".",
            "--add-suppressions",
            "--reason",
            "bastion only",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tf = fs::read_to_string(dir.join("main.tf")).unwrap();
    assert!(
        tf.contains(&format!(
            "{indent}# batchguard:ignore NET004,NET001 reason=\"kept\"\n{line}\n"
        )),
        "{tf}"
    );
}

/// A Bicep resource with nothing between its braces gets the property its fix adds between
/// them; the members its declaration writes before the braces (`type`, `apiVersion`, from the
/// type string) are not taken for written ones (that was an internal error, found by fuzzing).
#[test]
fn a_bicep_resource_without_members_is_fixed_between_its_braces() {
    for body in ["{}", "{\n\n}"] {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("main.bicep");
        fs::write(
            &file,
            format!(
                "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {body}\n"
            ),
        )
        .unwrap();
        let r = fix(d.path(), true);
        assert!(
            r.output
                .notifications
                .iter()
                .all(|n| !n.message.contains("internal error")),
            "{:?}",
            r.output.notifications
        );
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {\n  properties: {\n    publicNetworkAccess: 'Disabled'\n  }\n}\n",
            "{body:?}"
        );
    }
}
