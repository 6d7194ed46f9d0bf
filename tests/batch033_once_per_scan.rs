//! D19: BATCH033 gives one note per scan on azurerm, on the first `azurerm_batch_pool` in scan
//! order, even when the pools sit in several modules (scopes).

mod common;

use batchguard::rules::Options;
use common::*;
use std::path::PathBuf;

#[test]
fn one_azurerm_note_per_scan_on_the_first_pool() {
    let root = manifest_dir();
    // Four modules with azurerm pools: BATCH031/azurerm/{compliant,violating} and
    // BATCH033/azurerm/{compliant (count = 0), violating}.
    let out = scan_paths(
        &root,
        &[
            PathBuf::from("testdata/BATCH033"),
            PathBuf::from("testdata/BATCH031"),
        ],
        Options::default(),
    );
    let azurerm_notes: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "BATCH033" && out.files[f.span.file].rel.contains("/azurerm/"))
        .collect();
    assert_eq!(azurerm_notes.len(), 1, "{azurerm_notes:?}");
    let f = azurerm_notes[0];
    assert_eq!(
        out.files[f.span.file].rel,
        "testdata/BATCH031/azurerm/compliant/main.tf"
    );
    let text = &out.files[f.span.file].text[f.span.start..f.span.end];
    assert!(
        text.starts_with("resource \"azurerm_batch_pool\" \"host_encryption\""),
        "{text}"
    );
    // ARM and azapi pools are still noted one by one.
    assert!(out.findings.iter().any(
        |f| f.rule == "BATCH033" && out.files[f.span.file].rel.ends_with("arm/violating.json")
    ));
}
