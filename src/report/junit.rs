//! JUnit XML (`--format junit`), which the test tabs of Azure DevOps, GitLab and Jenkins read:
//! one failed test case per finding, named by its rule and place, with the message and related
//! locations as the failure's text. Notifications (unparsable files) are the suite's
//! `system-err`. A scan without findings is a suite without test cases.
//!
//! ```xml
//! <testsuites name="batchguard" tests="1" failures="1">
//!   <testsuite name="batchguard" tests="1" failures="1" errors="0">
//!     <testcase name="NET001 infra/main.tf:15:5" classname="infra/main.tf" file="infra/main.tf" line="15">
//!       <failure type="NET001" message="NSG allows SSH from the internet: …">…</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```

use super::place;
use crate::findings::{Level, Report};

pub fn render(report: &Report) -> String {
    let n = report.findings.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"batchguard\" tests=\"{n}\" failures=\"{n}\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"batchguard\" tests=\"{n}\" failures=\"{n}\" errors=\"0\" skipped=\"0\">\n"
    ));
    for f in report.findings {
        let at = place(report, Some(f.span), Some(f.span.file));
        let (path, line, column) = match &at {
            Some(p) => (p.path.clone(), p.line.unwrap_or(1), p.column.unwrap_or(1)),
            None => (String::new(), 1, 1),
        };
        let level = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        };
        let mut text = format!(
            "{level}[{}] at {path}:{line}:{column}\n{}",
            f.rule,
            f.message.as_str()
        );
        for r in &f.related {
            let related = place(report, Some(r.span), Some(r.span.file))
                .map(|p| format!("{}:{}", p.path, p.line.unwrap_or(1)))
                .unwrap_or_default();
            text.push_str(&format!("\nrelated: {} ({related})", r.message));
        }
        out.push_str(&format!(
            "    <testcase name=\"{} {}:{line}:{column}\" classname=\"{}\" file=\"{}\" line=\"{line}\">\n",
            f.rule,
            escape(&path),
            escape(&path),
            escape(&path)
        ));
        out.push_str(&format!(
            "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
            f.rule,
            escape(f.message.as_str()),
            escape(&text)
        ));
        out.push_str("    </testcase>\n");
    }
    if !report.notifications.is_empty() {
        let mut err = String::new();
        for n in report.notifications {
            let at = place(report, n.span, n.span.map(|s| s.file).or(n.file));
            err.push_str(&format!(
                "{}: {:?}: {}\n",
                at.map_or_else(|| "batchguard".into(), |p| p.text()),
                n.level,
                n.message
            ));
        }
        out.push_str(&format!("    <system-err>{}</system-err>\n", escape(&err)));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text as XML character data or an attribute value; characters XML 1.0 cannot hold become
/// U+FFFD.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
