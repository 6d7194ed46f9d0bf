//! `rules/README.md` is the coverage table generated from the rule metadata; it must not drift.

use batchguard::catalogue::coverage_markdown;
use batchguard::rules::RULES;

#[test]
fn coverage_page_matches_the_rule_metadata() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md");
    let want = coverage_markdown();
    if std::env::var_os("BATCHGUARD_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "rules/README.md is out of date; run `BATCHGUARD_UPDATE_DOCS=1 cargo test --test coverage`"
    );
    for r in RULES {
        assert!(want.contains(&format!("[{}]", r.meta.id)));
    }
}
