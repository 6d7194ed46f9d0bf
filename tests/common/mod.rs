//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod lsp;

use batchguard::findings::Report;
use batchguard::report;
use batchguard::rules::{self, Options};
use batchguard::scan::{scan, ScanConfig, ScanOutput};
use std::path::{Path, PathBuf};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans `paths` (relative to the crate) with `root` as the scan root.
pub fn scan_paths(root: &Path, paths: &[PathBuf], options: Options) -> ScanOutput {
    scan(&ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: paths.to_vec(),
        root: root.to_path_buf(),
        options,
    })
    .expect("scan runs")
}

/// A fixed root URI so that snapshots do not depend on where the checkout lives.
pub const SNAPSHOT_ROOT: &str = "file:///checkout/";

pub fn render_console(out: &ScanOutput) -> String {
    let r = Report {
        files: &out.files,
        findings: &out.findings,
        notifications: &out.notifications,
        root_uri: Some(SNAPSHOT_ROOT.into()),
    };
    report::console::render(&r, false)
}

pub fn render_sarif(out: &ScanOutput) -> String {
    let r = Report {
        files: &out.files,
        findings: &out.findings,
        notifications: &out.notifications,
        root_uri: Some(SNAPSHOT_ROOT.into()),
    };
    report::sarif::render(&r, &rules::metas(), "0.0.0-test")
}

/// `../shared` beside the checkout, or `None` (with the reason printed) when it is absent and
/// this is not CI. On CI its absence fails the test.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = manifest_dir().join("../shared");
    if dir.join("corpus").is_dir() {
        return Some(dir.canonicalize().unwrap());
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("../shared/corpus is required on CI but is absent");
    }
    eprintln!("skipped: ../shared/corpus is absent (it sits beside the checkout on CI)");
    None
}

/// (rule, path, start line) of each finding of a JSON report, in report order.
pub fn findings_at(v: &serde_json::Value) -> Vec<(String, String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The first finding of `rule` in a JSON report.
pub fn finding<'v>(v: &'v serde_json::Value, rule: &str) -> &'v serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {v}"))
}

/// The name a location starts with, at 1-based `line` and `column` of `text`: an attribute or
/// block key (quoted or not), or for a `resource`, `data`, `module`, `dynamic` or `variable`
/// block its last label. Compares locations across syntaxes (HCL, Terraform JSON, plans).
pub fn key_at(text: &str, line: u64, column: u64) -> String {
    let l = text.lines().nth(line as usize - 1).unwrap_or("");
    let rest: String = l.chars().skip(column as usize - 1).collect();
    let rest = rest.trim_start();
    let quoted = |s: &str| -> Vec<String> {
        s.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    match word.as_str() {
        "resource" | "data" | "module" | "dynamic" | "variable" => {
            quoted(rest).last().cloned().unwrap_or(word)
        }
        "" => quoted(rest).first().cloned().unwrap_or_default(),
        _ => word,
    }
}
