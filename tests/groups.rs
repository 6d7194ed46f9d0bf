//! The scan analyses groups of inputs one at a time (src/scan/islands.rs) to keep memory flat;
//! the result must be what analysing everything at once gives: the same SARIF, byte for byte,
//! for the test data and the real templates of ../shared/corpus, where hundreds of folders are
//! groups of their own and local modules, parameters files and Bicep modules join some of them.

mod common;

use batchguard::rules::Options;
use batchguard::scan::{analyse, load, scan, ScanConfig};
use common::*;
use std::path::Path;

fn both(root: &Path) -> (String, String, usize) {
    let cfg = ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![root.to_path_buf()],
        root: root.to_path_buf(),
        options: Options::default(),
    };
    let grouped = scan(&cfg).expect("scan runs");
    let whole = analyse(load(&cfg).expect("load runs"), &cfg);
    let files = grouped.files.len();
    (render_sarif(&grouped), render_sarif(&whole), files)
}

fn assert_same(root: &Path) {
    let (grouped, whole, files) = both(root);
    assert!(files > 100, "{}: only {files} files", root.display());
    if grouped != whole {
        let diff = similar::TextDiff::from_lines(&whole, &grouped)
            .unified_diff()
            .context_radius(3)
            .to_string();
        panic!(
            "{}: grouped analysis differs from the whole one:\n{}",
            root.display(),
            &diff[..diff.len().min(20_000)]
        );
    }
}

#[test]
fn grouped_scan_of_the_test_data_is_the_whole_scan() {
    assert_same(&manifest_dir().join("testdata").canonicalize().unwrap());
}

#[test]
fn grouped_scan_of_the_corpus_is_the_whole_scan() {
    let Some(shared) = shared_dir() else { return };
    assert_same(&shared.join("corpus"));
}
