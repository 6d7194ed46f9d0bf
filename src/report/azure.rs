//! Azure Pipelines logging commands (`--format azure`): one `task.logissue` per finding, which
//! Azure DevOps shows as an error or a warning on the run, with the file and line:
//!
//! ```text
//! ##vso[task.logissue type=error;sourcepath=infra/main.tf;linenumber=15;columnnumber=5;code=NET001;]NSG allows SSH …
//! ```
//!
//! Azure knows errors and warnings; a note is a warning. Notifications (unparsable files) are
//! issues too, with code `batchguard-parse` or `batchguard-semantic`. Properties and messages are
//! escaped as the agent reads them (`%AZP25`, `%0D`, `%0A`, and in properties `%3B`, `%5D`). The
//! last line is a plain summary.

use super::{place, Summary};
use crate::findings::{Level, Report};
use crate::ir::Span;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings {
        let mut message = f.message.to_string();
        for r in &f.related {
            message.push_str(&format!(" (related: {})", r.message));
        }
        issue(
            &mut out,
            report,
            f.level,
            Some(f.span),
            Some(f.span.file),
            f.rule,
            &message,
        );
    }
    for n in report.notifications {
        let code = match n.level {
            Level::Error => "batchguard-parse",
            _ => "batchguard-semantic",
        };
        let file = n.span.map(|s| s.file).or(n.file);
        issue(&mut out, report, n.level, n.span, file, code, &n.message);
    }
    let s = Summary::of(report);
    out.push_str(&format!(
        "batchguard: {} errors, {} warnings, {} notes in {} files scanned\n",
        s.errors, s.warnings, s.notes, s.files
    ));
    out
}

fn issue(
    out: &mut String,
    report: &Report,
    level: Level,
    span: Option<Span>,
    file: Option<usize>,
    code: &str,
    message: &str,
) {
    let kind = if level == Level::Error {
        "error"
    } else {
        "warning"
    };
    out.push_str(&format!("##vso[task.logissue type={kind};"));
    if let Some(at) = place(report, span, file) {
        out.push_str(&format!("sourcepath={};", property(&at.path)));
        if let (Some(l), Some(c)) = (at.line, at.column) {
            out.push_str(&format!("linenumber={l};columnnumber={c};"));
        }
    }
    out.push_str(&format!("code={};]{}\n", property(code), data(message)));
}

/// A message as the agent reads it.
pub fn data(s: &str) -> String {
    s.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as a message, and `;` and `]` escaped too.
pub fn property(s: &str) -> String {
    data(s).replace(';', "%3B").replace(']', "%5D")
}
