//! Where batchguard disagrees with a peer analyzer's own fixtures on purpose, the reason is stated
//! here and checked.

mod common;

use batchguard::rules::Options;
use common::*;

/// KICS "SSH Is Exposed To The Internet" counts `source_address_prefix = "/0"` as the whole
/// internet. `/0` is not an address prefix at all: Azure rejects the rule
/// (SecurityRuleInvalidAddressPrefix), so the NSG never deploys and nothing is exposed. batchguard
/// reads the value as malformed, which makes the rule Unknown, and Unknown is never a violation.
/// The other rules in the same fixture, with real internet-equivalent sources, are reported.
#[test]
fn kics_slash_zero_source_is_not_an_internet_prefix() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpus");
    let file = corpus
        .join("peer-tests/kics/terraform_azure_ssh_is_exposed_to_the_internet/test/positive.tf");
    let text = std::fs::read_to_string(&file).unwrap();
    let out = scan_paths(&corpus, &[file], Options::default());
    let lines: Vec<usize> = out
        .findings
        .iter()
        .filter(|f| f.rule == "NET001")
        .map(|f| out.files[f.span.file].position(f.span.start).line)
        .collect();
    let slash_zero: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("source_address_prefix") && l.trim_end().ends_with("\"/0\""))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(slash_zero.len(), 4, "the fixture has four `/0` sources");
    for l in &slash_zero {
        assert!(!lines.contains(l), "`/0` on line {l} must not be reported");
    }
    // The sixteen others (`*`, `0.0.0.0`, `x/0`, `internet`, `any`) are.
    assert_eq!(lines.len(), 16, "{lines:?}");
}
