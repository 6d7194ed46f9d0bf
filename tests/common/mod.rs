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
