//! ARM evaluation end to end: values from parameter defaults, parameters files, variables, copy
//! loops, conditions and nested templates reach the rules, and findings name where the value
//! came from.

mod common;

use batchguard::rules::Options;
use batchguard::scan::ScanOutput;
use common::{manifest_dir, scan_paths};
use std::path::PathBuf;

fn scan() -> ScanOutput {
    scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata/eval/arm")],
        Options::default(),
    )
}

/// (rule, file name, line, related messages) of every finding.
fn summary(out: &ScanOutput) -> Vec<(String, String, usize, Vec<String>)> {
    out.findings
        .iter()
        .map(|f| {
            let file = &out.files[f.span.file];
            let name = file.rel.rsplit('/').next().unwrap_or_default().to_string();
            let line = file.position(f.span.start).line;
            let related = f
                .related
                .iter()
                .map(|r| {
                    let rf = &out.files[r.span.file];
                    format!(
                        "{}:{} {}",
                        rf.rel.rsplit('/').next().unwrap_or_default(),
                        rf.position(r.span.start).line,
                        r.message
                    )
                })
                .collect();
            (f.rule.to_string(), name, line, related)
        })
        .collect()
}

#[test]
fn evaluated_values_are_reported_with_their_origin() {
    let out = scan();
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
    let found = summary(&out);
    let expect = |rule: &str, file: &str, line: usize, related: &[&str]| {
        let hit = found
            .iter()
            .find(|(r, f, l, _)| r == rule && f == file && *l == line)
            .unwrap_or_else(|| panic!("no {rule} at {file}:{line} in {found:#?}"));
        for want in related {
            assert!(
                hit.3.iter().any(|r| r == want),
                "{want} not in {:#?}",
                hit.3
            );
        }
    };
    // A parameter's default `*` (and the port from a variable).
    expect(
        "NET001",
        "default_value.json",
        33,
        &["default_value.json:7 default value of parameter `src`"],
    );
    // The parameters file beside the template overrides the harmless default.
    expect(
        "NET001",
        "parameters_file.json",
        36,
        &["parameters_file.parameters.json:9 value of parameter `sshSource` (parameters_file.parameters.json)"],
    );
    // A property copy loop: the second element opens port 22 from the internet.
    expect("NET001", "copy_and_nested.json", 32, &[]);
    // An inner-scope nested template gets `*` through its own parameter.
    expect(
        "NET002",
        "copy_and_nested.json",
        79,
        &["copy_and_nested.json:53 value of parameter `rdpSource` passed to the nested template"],
    );
    // The admins' array default is private; the RDP rule whose condition is false does not exist.
    assert_eq!(found.len(), 4, "{found:#?}");
}
