//! The unified diff of a fixed file (`--diff`), as `diff -u` and `git diff` print it.

/// The unified diff of `old` and `new`, with `rel` (the path relative to the scan root) in the
/// `a/` and `b/` headers; empty when nothing changed.
pub fn unified(rel: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_change_is_shown_with_its_context() {
        let d = super::unified("main.tf", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            d,
            "--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(super::unified("x", "same\n", "same\n"), "");
    }
}
