//! Every rule has fixtures that violate it and fixtures that comply, in each syntax it applies to
//! (`testdata/<RULE>/{arm,azurerm,azapi}`); this test checks the verdicts and snapshots the
//! rendered console and SARIF output per rule.

mod common;

use batchguard::ir::Syntax;
use batchguard::rules::{Options, RuleMeta, RULES};
use common::*;
use std::path::PathBuf;

fn dir_name(s: Syntax) -> &'static str {
    match s {
        Syntax::Arm => "arm",
        Syntax::Azurerm => "azurerm",
        Syntax::Azapi => "azapi",
    }
}

/// Every syntax the rule applies to must have a violating and a compliant fixture; a syntax it
/// does not apply to may have a compliant one (showing that the rule stays silent there).
fn fixture_files(rule: &RuleMeta) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let base = manifest_dir().join("testdata").join(rule.id);
    for syntax in [Syntax::Arm, Syntax::Azurerm, Syntax::Azapi] {
        let applies = batchguard::frontend::syntaxes(rule.needs).contains(&syntax);
        let syntax = dir_name(syntax);
        for verdict in ["violating", "compliant"] {
            let json = base.join(syntax).join(format!("{verdict}.json"));
            let tf = base.join(syntax).join(verdict).join("main.tf");
            let path = if json.is_file() {
                json
            } else if tf.is_file() {
                tf
            } else if !applies {
                continue;
            } else {
                panic!(
                    "{}: missing {syntax} {verdict} fixture ({} or {})",
                    rule.id,
                    json.display(),
                    tf.display()
                );
            };
            assert!(
                applies || verdict == "compliant",
                "{}: a syntax the rule does not apply to has only compliant fixtures",
                rule.id
            );
            let rel = path
                .strip_prefix(manifest_dir())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, verdict == "violating"));
        }
    }
    out
}

#[test]
fn every_rule_has_violating_and_compliant_fixtures_with_the_right_verdicts() {
    let root = manifest_dir();
    for rule in RULES {
        let id = rule.meta.id;
        let files = fixture_files(&rule.meta);
        let out = scan_paths(
            &root,
            &[PathBuf::from("testdata").join(id)],
            Options::default(),
        );
        assert!(
            out.notifications
                .iter()
                .all(|n| n.level != batchguard::findings::Level::Error),
            "{id}: fixtures must parse: {:?}",
            out.notifications
        );
        for (rel, violating) in files {
            let hits = out
                .findings
                .iter()
                .filter(|f| f.rule == id && out.files[f.span.file].rel == rel)
                .count();
            if violating {
                assert!(
                    hits > 0,
                    "{id}: {rel} should violate the rule but gave no finding"
                );
            } else {
                assert_eq!(
                    hits, 0,
                    "{id}: {rel} should comply but gave {hits} finding(s)"
                );
            }
        }
    }
}

#[test]
fn snapshots_of_console_and_sarif_per_rule() {
    let root = manifest_dir();
    for rule in RULES {
        let id = rule.meta.id;
        let out = scan_paths(
            &root,
            &[PathBuf::from("testdata").join(id)],
            Options::default(),
        );
        insta::assert_snapshot!(format!("{id}_console"), render_console(&out));
        // SARIF carries every rule's metadata; keep only the results in the snapshot.
        let sarif: serde_json::Value = serde_json::from_str(&render_sarif(&out)).unwrap();
        // `ruleIndex` follows the registry's order, which grows with every rule: leave it out.
        let mut results = sarif["runs"][0]["results"].clone();
        for r in results.as_array_mut().into_iter().flatten() {
            r.as_object_mut().map(|o| o.remove("ruleIndex"));
        }
        let results = serde_json::to_string_pretty(&results).unwrap();
        insta::assert_snapshot!(format!("{id}_sarif_results"), results);
    }
}
