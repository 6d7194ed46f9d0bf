//! Rule metadata: what SARIF's rule descriptors, `batchguard rules` and `explain` print.

use crate::findings::Level;
use crate::ir::spelling::Need;

#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable public id, e.g. `NET001`.
    pub id: &'static str,
    /// PascalCase name, e.g. `NsgAllowsSshFromInternet`.
    pub name: &'static str,
    /// One-line title, e.g. "NSG allows SSH from the internet".
    pub title: &'static str,
    pub level: Level,
    /// GitHub `security-severity`, as a string, e.g. "7.5".
    pub security_severity: &'static str,
    pub tags: &'static [&'static str],
    /// `very-high` for single-property rules, `high` for engine and graph rules.
    pub precision: &'static str,
    pub help_uri: &'static str,
    pub peers: &'static [&'static str],
    /// What the rule reads that some syntax may not be able to write; the rule applies to the
    /// syntaxes that can write all of it (each has violating and compliant fixtures). Empty for
    /// rules that hold in every syntax.
    pub needs: &'static [Need],
    /// The rule's documentation page (Markdown), from `rules/<ID>.md`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The first paragraph of the doc page after its title: SARIF's `fullDescription`.
    pub fn full_description(&self) -> String {
        let mut para = Vec::new();
        for line in self
            .doc
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        {
            if line.trim().is_empty() || line.starts_with('#') {
                break;
            }
            para.push(line.trim());
        }
        para.join(" ")
    }
}
