//! A rule that allows SSH from the internet to a destination whose value is not known exposes
//! whatever that destination is (§1.5 item 6): the unresolved destination is a candidate of its
//! own, in ARM (`[parameters('destination')]`) and in Terraform (`var.destination` without a
//! value) alike. An earlier Deny of the same traffic to an unknown destination makes the verdict
//! Unknown (Terraform) or decides it (ARM, the same expression text): never a finding.

mod common;

use batchguard::rules::Options;
use common::{manifest_dir, scan_paths};
use std::path::PathBuf;

/// `line:rule` of each finding of a scan of `testdata/unknown_destination/<input>`.
fn findings(input: &str) -> Vec<String> {
    let out = scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata/unknown_destination").join(input)],
        Options::default(),
    );
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
    out.findings
        .iter()
        .map(|f| {
            let file = &out.files[f.span.file];
            format!("{}:{}", file.position(f.span.start).line, f.rule)
        })
        .collect()
}

#[test]
fn an_allow_to_an_unknown_destination_is_exposure_in_every_syntax() {
    assert_eq!(findings("arm_open.json"), ["20:NET001"]);
    assert_eq!(findings("tf_open"), ["19:NET001"]);
}

#[test]
fn an_earlier_deny_to_an_unknown_destination_is_never_a_finding() {
    assert_eq!(findings("arm_denied_first.json"), Vec::<String>::new());
    assert_eq!(findings("tf_denied_first"), Vec::<String>::new());
}
