//! One line per finding (`--format concise`), as compilers and ruff print them, for terminals
//! and for tools that read `path:line:column: message` lines:
//!
//! ```text
//! infra/main.tf:15:5: NET001 NSG allows SSH from the internet: rule 'ssh' (priority 100) …
//! infra/arm/broken.json:4:1: error: invalid JSON: …
//! ```
//!
//! A finding's line is its place, its rule and its message (on one line: line breaks become
//! spaces); a notification's is its place (the file alone when it has no position), its level
//! and its message. Lines and columns are 1-based, columns in UTF-16 code units as in SARIF.

use super::{place, Place};
use crate::findings::{Level, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings {
        let at = place(report, Some(f.span), Some(f.span.file));
        out.push_str(&format!(
            "{}: {} {}\n",
            located(&at),
            f.rule,
            one_line(f.message.as_str())
        ));
    }
    for n in report.notifications {
        let at = place(report, n.span, n.span.map(|s| s.file).or(n.file));
        let level = match n.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        };
        out.push_str(&format!(
            "{}: {level}: {}\n",
            located(&at),
            one_line(&n.message)
        ));
    }
    out
}

fn located(at: &Option<Place>) -> String {
    at.as_ref().map_or_else(|| "batchguard".into(), Place::text)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
