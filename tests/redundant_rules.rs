//! The option `redundant_rules`: a rule covered by an earlier rule with the same access is
//! silent by default (NET003, BATCH012) and becomes a `note` when the option is on.

mod common;

use batchguard::findings::Level;
use batchguard::rules::Options;
use batchguard::scan::{scan, ScanConfig, ScanOutput};
use common::*;
use std::path::PathBuf;

fn scan_with(redundant_rules: bool, path: &str) -> ScanOutput {
    scan(&ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![PathBuf::from(path)],
        root: manifest_dir(),
        options: Options {
            redundant_rules,
            ..Options::default()
        },
    })
    .expect("scan runs")
}

/// (rule, level, file, the text at the primary location) of every NET003/BATCH012 finding.
fn shadow_findings(out: &ScanOutput) -> Vec<(String, Level, String, String)> {
    out.findings
        .iter()
        .filter(|f| f.rule == "NET003" || f.rule == "BATCH012")
        .map(|f| {
            let file = &out.files[f.span.file];
            let text = file.text[f.span.start..f.span.end].to_string();
            (f.rule.to_string(), f.level, file.rel.clone(), text)
        })
        .collect()
}

#[test]
fn redundant_pairs_are_silent_by_default() {
    for dir in ["testdata/NET003", "testdata/BATCH012"] {
        let out = scan_with(false, dir);
        assert!(
            shadow_findings(&out)
                .iter()
                .all(|(_, level, file, _)| *level == Level::Warning && file.contains("violating")),
            "{dir}: {:?}",
            shadow_findings(&out)
        );
    }
}

#[test]
fn redundant_rules_option_turns_redundant_pairs_into_notes() {
    let out = scan_with(true, "testdata/NET003");
    let notes: Vec<_> = shadow_findings(&out)
        .into_iter()
        .filter(|(_, level, _, _)| *level == Level::Note)
        .map(|(rule, _, file, text)| (rule, file, text))
        .collect();
    assert_eq!(
        notes,
        vec![
            (
                "NET003".to_string(),
                "testdata/NET003/arm/compliant.json".to_string(),
                "\"priority\": 110".to_string()
            ),
            (
                "NET003".to_string(),
                "testdata/NET003/azapi/compliant/main.tf".to_string(),
                "priority                 = 130".to_string()
            ),
            (
                "NET003".to_string(),
                "testdata/NET003/azurerm/compliant/main.tf".to_string(),
                "priority                   = 210".to_string()
            ),
            (
                "NET003".to_string(),
                "testdata/NET003/bicep/compliant.bicep".to_string(),
                "priority: 110".to_string()
            ),
        ]
    );
    let note = out
        .findings
        .iter()
        .find(|f| f.rule == "NET003" && f.level == Level::Note)
        .unwrap();
    assert!(
        note.message.as_str().contains("is redundant"),
        "{}",
        note.message
    );
    assert_eq!(
        note.related[0].message.as_str(),
        "shadowing rule (priority 100)"
    );

    let out = scan_with(true, "testdata/BATCH012");
    let notes: Vec<_> = shadow_findings(&out)
        .into_iter()
        .filter(|(_, level, _, _)| *level == Level::Note)
        .map(|(rule, _, file, text)| (rule, file, text))
        .collect();
    assert_eq!(
        notes,
        vec![
            (
                "BATCH012".to_string(),
                "testdata/BATCH012/arm/compliant.json".to_string(),
                "\"priority\": 160".to_string()
            ),
            (
                "BATCH012".to_string(),
                "testdata/BATCH012/azapi/compliant/main.tf".to_string(),
                "priority = 170".to_string()
            ),
            (
                "BATCH012".to_string(),
                "testdata/BATCH012/azurerm/compliant/main.tf".to_string(),
                "priority              = 160".to_string()
            ),
            (
                "BATCH012".to_string(),
                "testdata/BATCH012/bicep/compliant.bicep".to_string(),
                "priority: 160".to_string()
            ),
        ]
    );
    // The warnings are unchanged by the option.
    let warnings = |o: &ScanOutput| {
        shadow_findings(o)
            .into_iter()
            .filter(|(_, level, _, _)| *level == Level::Warning)
            .count()
    };
    assert_eq!(
        warnings(&out),
        warnings(&scan_with(false, "testdata/BATCH012"))
    );
}
