//! What rules produce and reporters print.

use crate::ir::Span;
use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Another place that explains a finding: the rule that decides, the shadowed deny, the variable
/// default a value came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    pub message: String,
    /// The offending attribute or property.
    pub span: Span,
    pub related: Vec<Related>,
    /// Distinguishes several results of one rule at one location (e.g. the port).
    pub discriminator: String,
    /// `security-severity` override for escalated results.
    pub security_severity: Option<&'static str>,
    /// Set when an inline suppression silences the finding: its justification. Suppressed
    /// findings are reported only in SARIF and only with `--include-suppressed`.
    pub suppression: Option<String>,
}

/// A message about the scan itself: a file that failed to parse (error) or a semantic fault
/// (warning). Carried in SARIF as `toolExecutionNotifications`.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub level: Level,
    pub message: String,
    /// Where it happened; `None` for messages about the whole run.
    pub span: Option<Span>,
    /// The file, when the notice concerns one but has no precise span (e.g. unreadable file).
    pub file: Option<crate::source::FileId>,
}

/// Everything a reporter needs: the files (for snippets, lines and URIs), the findings in report
/// order, and the notifications.
pub struct Report<'a> {
    pub files: &'a [SourceFile],
    pub findings: &'a [Finding],
    pub notifications: &'a [Notification],
    /// The scan root as a `file://` URI ending in `/` (SARIF's `%SRCROOT%`); see
    /// [`crate::report::sarif::root_uri`]. `None` leaves the root out of SARIF output.
    pub root_uri: Option<String>,
}
