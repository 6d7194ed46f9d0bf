//! A big Terraform file is parsed in parts cut after top-level blocks (src/frontend/terraform.rs,
//! `PART_BYTES`), each part's offsets mapped back to the file's. The result must be what parsing
//! it whole gives: the same SARIF, byte for byte, for the test data and the real templates of
//! ../shared/corpus, every file cut into the smallest parts (every top-level block its own).
//! The part size is a process-wide setting, so this is the only test of its binary.

mod common;

use batchguard::frontend::terraform::PART_BYTES_IN_FORCE;
use batchguard::rules::Options;
use batchguard::scan::{load, scan, ScanConfig};
use common::*;
use std::path::Path;
use std::sync::atomic::Ordering;

fn config(root: &Path) -> ScanConfig {
    ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![root.to_path_buf()],
        root: root.to_path_buf(),
        options: Options::default(),
    }
}

/// SARIF of a scan of `root` with Terraform files parsed in parts of `bytes`, and how many
/// files were parsed in more than one part.
fn sarif_with_parts(root: &Path, bytes: usize) -> (String, usize) {
    PART_BYTES_IN_FORCE.store(bytes, Ordering::Relaxed);
    let cfg = config(root);
    let loaded = load(&cfg).expect("load runs");
    let cut = loaded.bodies.values().filter(|b| b.parts.len() > 1).count();
    drop(loaded);
    (render_sarif(&scan(&cfg).expect("scan runs")), cut)
}

fn assert_same(root: &Path) {
    let (whole, cut_whole) = sarif_with_parts(root, usize::MAX / 4);
    let (parts, cut) = sarif_with_parts(root, 1);
    assert_eq!(cut_whole, 0);
    assert!(cut > 20, "{}: only {cut} files were cut", root.display());
    if parts != whole {
        let diff = similar::TextDiff::from_lines(&whole, &parts)
            .unified_diff()
            .context_radius(3)
            .to_string();
        panic!(
            "{}: parsing in parts differs from parsing whole:\n{}",
            root.display(),
            &diff[..diff.len().min(20_000)]
        );
    }
}

#[test]
fn parsing_in_parts_gives_the_scan_of_whole_files() {
    assert_same(&manifest_dir().join("testdata").canonicalize().unwrap());
    if let Some(shared) = shared_dir() {
        assert_same(&shared.join("corpus"));
    }
}
