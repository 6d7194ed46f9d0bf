//! The real templates in ../shared/corpus (ARM quickstarts, Terraform examples, provider test
//! configurations, peer analyzers' fixtures): everything parses, every result has a sane
//! location, and the SSH/RDP exposures they contain are found.

mod common;

use batchguard::findings::Level;
use batchguard::rules::Options;
use common::*;
use std::collections::BTreeSet;

#[test]
fn corpus_scans_cleanly_and_finds_the_exposures() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpus");
    let out = scan_paths(&corpus, std::slice::from_ref(&corpus), Options::default());
    let errors: Vec<String> = out
        .notifications
        .iter()
        .filter(|n| n.level == Level::Error)
        .map(|n| format!("{:?}: {}", n.file.map(|f| &out.files[f].rel), n.message))
        .collect();
    assert!(errors.is_empty(), "corpus files must parse: {errors:#?}");
    assert!(out.files.len() > 250, "scanned {} files", out.files.len());

    let sarif: serde_json::Value = serde_json::from_str(&render_sarif(&out)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for r in results {
        let pl = &r["locations"][0]["physicalLocation"];
        let uri = pl["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains(".."),
            "relative URI: {uri}"
        );
        assert!(pl["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(pl["region"]["startColumn"].as_u64().unwrap() >= 1);
    }

    // SSH/RDP exposures in real templates (not the peer fixtures), one per NSG rule.
    let exposed: BTreeSet<(String, u64)> = results
        .iter()
        .filter(|r| matches!(r["ruleId"].as_str(), Some("NET001" | "NET002")))
        .map(|r| {
            let pl = &r["locations"][0]["physicalLocation"];
            (
                pl["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                pl["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .filter(|(uri, _)| !uri.starts_with("peer-tests/"))
        .collect();
    let stack = exposed
        .iter()
        .filter(|(u, _)| u.starts_with("arm/Azure__AzureStack"))
        .count();
    let terraform = exposed
        .iter()
        .filter(|(u, _)| u.starts_with("terraform/"))
        .count();
    eprintln!(
        "exposed rules: {} (AzureStack {stack}, Terraform {terraform})",
        exposed.len()
    );
    assert!(stack >= 8, "AzureStack quickstarts: {exposed:#?}");
    assert!(terraform >= 4, "Terraform examples: {exposed:#?}");
    assert!(exposed.len() >= 12, "{exposed:#?}");
}

/// The binary's SARIF, JSON and console output on the corpus is the same, byte for byte, from
/// run to run and whatever the number of threads (`RAYON_NUM_THREADS` 1, 2 and 8).
#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpus");
    let run = |format: &str, threads: &str| -> Vec<u8> {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_batchguard"))
            .current_dir(&corpus)
            .env("RAYON_NUM_THREADS", threads)
            .env("NO_COLOR", "1")
            .args(["scan", ".", "--format", format, "--fail-on", "never"])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    for format in ["sarif", "json", "console"] {
        let first = run(format, "8");
        assert!(first.len() > 1000, "{format}");
        for threads in ["1", "2", "8"] {
            assert!(
                run(format, threads) == first,
                "{format} output differs with RAYON_NUM_THREADS={threads}"
            );
        }
    }
}
