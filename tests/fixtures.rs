//! Every rule has fixtures that violate it and fixtures that comply, in each syntax it applies to
//! (`testdata/<RULE>/{arm,azurerm,azapi}`); this test checks the verdicts and snapshots the
//! rendered console and SARIF output per rule.
//!
//! Each check is a test of its own, so that one failure hides no other and one rule can be run
//! alone: `<RULE>::<syntax>` checks the verdicts of that syntax's fixtures, `<RULE>::snapshots`
//! the console and SARIF output of the whole `testdata/<RULE>` folder. For example
//! `cargo test --test fixtures -- BATCH001` (the rule) or `-- --exact NET001::azurerm` (one
//! syntax). The trials come from the rule registry and the testdata folders (`harness = false`,
//! `libtest-mimic`).

mod common;

use batchguard::findings::Level;
use batchguard::frontend::Syntax;
use batchguard::rules::{Options, RuleMeta, RULES};
use common::*;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::PathBuf;

const SYNTAXES: [Syntax; 4] = [Syntax::Arm, Syntax::Azurerm, Syntax::Azapi, Syntax::Bicep];

/// The syntaxes a rule applies to: each must have a violating and a compliant fixture.
fn syntaxes(rule: &RuleMeta) -> Vec<Syntax> {
    batchguard::frontend::syntaxes(rule.needs)
}

fn dir_name(s: Syntax) -> &'static str {
    match s {
        Syntax::Arm => "arm",
        Syntax::Azurerm => "azurerm",
        Syntax::Azapi => "azapi",
        Syntax::Bicep => "bicep",
    }
}

/// The fixtures of one rule in one syntax, each with whether it violates the rule. A syntax the
/// rule does not apply to may have a compliant one (showing that the rule stays silent there).
fn fixture_files(rule: &RuleMeta, syntax: Syntax) -> Result<Vec<(String, bool)>, Failed> {
    let mut out = Vec::new();
    let applies = syntaxes(rule).contains(&syntax);
    let dir = manifest_dir()
        .join("testdata")
        .join(rule.id)
        .join(dir_name(syntax));
    for verdict in ["violating", "compliant"] {
        let json = dir.join(format!("{verdict}.json"));
        let bicep = dir.join(format!("{verdict}.bicep"));
        let tf = dir.join(verdict).join("main.tf");
        let path = if json.is_file() {
            json
        } else if bicep.is_file() {
            bicep
        } else if tf.is_file() {
            tf
        } else if !applies {
            continue;
        } else {
            return Err(format!(
                "{}: missing {} {verdict} fixture ({} or {})",
                rule.id,
                dir_name(syntax),
                json.display(),
                tf.display()
            )
            .into());
        };
        if !applies && verdict == "violating" {
            return Err(format!(
                "{}: a syntax the rule does not apply to has only compliant fixtures",
                rule.id
            )
            .into());
        }
        let rel = path
            .strip_prefix(manifest_dir())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.push((rel, verdict == "violating"));
    }
    Ok(out)
}

/// The fixtures of one syntax parse, and give findings of the rule exactly where they violate it.
fn verdicts(rule: &RuleMeta, syntax: Syntax) -> Result<(), Failed> {
    let id = rule.id;
    let files = fixture_files(rule, syntax)?;
    let out = scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata").join(id).join(dir_name(syntax))],
        Options::default(),
    );
    if out.notifications.iter().any(|n| n.level == Level::Error) {
        return Err(format!("{id}: fixtures must parse: {:?}", out.notifications).into());
    }
    for (rel, violating) in files {
        let hits = out
            .findings
            .iter()
            .filter(|f| f.rule == id && out.files[f.span.file].rel == rel)
            .count();
        if violating && hits == 0 {
            return Err(format!("{id}: {rel} should violate the rule but gave no finding").into());
        }
        if !violating && hits > 0 {
            return Err(format!("{id}: {rel} should comply but gave {hits} finding(s)").into());
        }
    }
    Ok(())
}

/// The inputs of the rule's testdata folder: everything but the expected outputs of its fixes
/// (`fixed…`, checked by `tests/fixes.rs`).
fn inputs(id: &str) -> Vec<PathBuf> {
    let rel = PathBuf::from("testdata").join(id);
    let mut out = Vec::new();
    for e in std::fs::read_dir(manifest_dir().join(&rel)).unwrap() {
        let e = e.unwrap();
        if !e.path().is_dir() {
            out.push(rel.join(e.file_name()));
            continue;
        }
        for inner in std::fs::read_dir(e.path()).unwrap() {
            let name = inner.unwrap().file_name();
            if !name.to_string_lossy().starts_with("fixed") {
                out.push(rel.join(e.file_name()).join(name));
            }
        }
    }
    out.sort();
    out
}

/// The console and SARIF output of the rule's testdata folder, as snapshots; and every console
/// headline (the rule's title and the resource a finding is about) within its bound.
fn snapshots(id: &str) -> Result<(), Failed> {
    let out = scan_paths(&manifest_dir(), &inputs(id), Options::default());
    let console = render_console(&out);
    // The headlines of findings, `level[RULE]: …` (the scan's own notices are `parse`, `info`…).
    let headlines = console.lines().filter(|l| {
        let code = l.split_once('[').and_then(|(_, rest)| rest.split_once(']'));
        code.is_some_and(|(code, _)| RULES.iter().any(|r| r.meta.id == code))
    });
    for line in headlines {
        if line.chars().count() > batchguard::report::console::HEADLINE {
            return Err(format!("{id}: headline longer than its bound: {line}").into());
        }
    }
    insta::assert_snapshot!(format!("{id}_console"), console);
    // SARIF carries every rule's metadata; keep only the results in the snapshot.
    let sarif: serde_json::Value = serde_json::from_str(&render_sarif(&out)).unwrap();
    // `ruleIndex` follows the registry's order, which grows with every rule: leave it out.
    let mut results = sarif["runs"][0]["results"].clone();
    for r in results.as_array_mut().into_iter().flatten() {
        r.as_object_mut().map(|o| o.remove("ruleIndex"));
    }
    let results = serde_json::to_string_pretty(&results).unwrap();
    insta::assert_snapshot!(format!("{id}_sarif_results"), results);
    Ok(())
}

/// `<RULE>::<syntax>` for each syntax the rule applies to or has fixtures in, and
/// `<RULE>::snapshots`.
fn trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for rule in RULES {
        let meta = &rule.meta;
        for syntax in SYNTAXES {
            let dir = manifest_dir()
                .join("testdata")
                .join(meta.id)
                .join(dir_name(syntax));
            if syntaxes(meta).contains(&syntax) || dir.is_dir() {
                trials.push(Trial::test(
                    format!("{}::{}", meta.id, dir_name(syntax)),
                    move || verdicts(meta, syntax),
                ));
            }
        }
        trials.push(Trial::test(format!("{}::snapshots", meta.id), move || {
            snapshots(meta.id)
        }));
    }
    trials
}

fn main() {
    libtest_mimic::run(&Arguments::from_args(), trials()).exit();
}
