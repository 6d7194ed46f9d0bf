//! What rules produce and reporters print.
//!
//! A [`Finding`] is data: where it is, which resource of its scope it is about, the values its
//! message quotes, whether its resource is conditional, whether it is given once per scan, and
//! the fix it suggests. The scan stage completes those facts (instance, provenance, sensitivity)
//! from the fields, never from the message text, and renders the message last.

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
    /// Quoted values in it are redacted like the finding's own.
    pub message: Message,
}

/// A value a message quotes from the scanned text (a name, an address prefix, a port).
#[derive(Debug, Clone, PartialEq)]
pub struct Quoted {
    pub text: String,
    /// Where the value is written, when it is.
    pub span: Option<Span>,
    /// A secret (from an azapi `sensitive_body`, say): rendered as `(sensitive)`.
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Value(Quoted),
}

/// A message as pieces of fixed text and quoted values. [`Message::text`] is the rendered
/// message: built eagerly as the pieces are added, and rendered again by [`Message::render`] once
/// the scan knows which values are sensitive and whether the resource is conditional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    pieces: Vec<Piece>,
    text: String,
}

/// What a message appends when its resource may not exist.
fn conditional_note(why: &str) -> String {
    format!(" (The resource is conditional: {why}; it is analysed as if it exists.)")
}

impl Message {
    pub fn new() -> Message {
        Message::default()
    }

    /// Appends fixed text.
    pub fn text(mut self, s: impl AsRef<str>) -> Message {
        self.push_text(s.as_ref());
        self
    }

    /// Appends a value quoted from the scanned text.
    pub fn value(mut self, text: impl Into<String>, span: Option<Span>) -> Message {
        self.push_value(text.into(), span);
        self
    }

    pub fn push_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.text.push_str(s);
        match self.pieces.last_mut() {
            Some(Piece::Text(t)) => t.push_str(s),
            _ => self.pieces.push(Piece::Text(s.to_string())),
        }
    }

    pub fn push_value(&mut self, text: String, span: Option<Span>) {
        self.text.push_str(&text);
        self.pieces.push(Piece::Value(Quoted {
            text,
            span,
            sensitive: false,
        }));
    }

    /// Appends another message's pieces.
    pub fn append(mut self, other: Message) -> Message {
        for p in other.pieces {
            match p {
                Piece::Text(t) => self.push_text(&t),
                Piece::Value(q) => {
                    self.text.push_str(&q.text);
                    self.pieces.push(Piece::Value(q));
                }
            }
        }
        self
    }

    /// The rendered message.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The quoted values, for the scan to mark the sensitive ones.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Quoted> {
        self.pieces.iter_mut().filter_map(|p| match p {
            Piece::Value(q) => Some(q),
            Piece::Text(_) => None,
        })
    }

    pub fn values(&self) -> impl Iterator<Item = &Quoted> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Value(q) => Some(q),
            Piece::Text(_) => None,
        })
    }

    /// Renders the pieces: sensitive values as `(sensitive)`, and, for a resource that may not
    /// exist, the note that says so.
    pub fn render(&mut self, conditional: Option<&str>) {
        let mut out = String::with_capacity(self.text.len());
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Value(q) if q.sensitive => out.push_str("(sensitive)"),
                Piece::Value(q) => out.push_str(&q.text),
            }
        }
        if let Some(why) = conditional {
            out.push_str(&conditional_note(why));
        }
        self.text = out;
    }
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::new().text(s)
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message::new().text(s)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One step of a structured fix: a property path below the resource object (ARM keys, array
/// positions as numbers) and what to do there.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub path: Vec<String>,
    pub op: EditOp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EditOp {
    /// Set the property to this value (adding it when absent).
    Set(serde_json::Value),
    /// Add this element to the array at the path.
    Add(serde_json::Value),
    /// Remove the property or the array element at the path.
    Remove,
}

/// A structured fix suggestion: edits of the finding's resource that make the finding go away.
/// Nothing applies it yet; reporters may show it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fix {
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn set(path: &[&str], value: serde_json::Value) -> Fix {
        Fix::default().and_set(path, value)
    }
    pub fn remove(path: &[&str]) -> Fix {
        Fix {
            edits: vec![Edit {
                path: path.iter().map(|s| s.to_string()).collect(),
                op: EditOp::Remove,
            }],
        }
    }
    pub fn and_set(mut self, path: &[&str], value: serde_json::Value) -> Fix {
        self.edits.push(Edit {
            path: path.iter().map(|s| s.to_string()).collect(),
            op: EditOp::Set(value),
        });
        self
    }
    pub fn and_add(mut self, path: &[&str], value: serde_json::Value) -> Fix {
        self.edits.push(Edit {
            path: path.iter().map(|s| s.to_string()).collect(),
            op: EditOp::Add(value),
        });
        self
    }
}

/// The index of a resource in its scope's resource list.
pub type ResourceId = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    pub message: Message,
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
    /// The resource the finding is located in, as an index into its scope's resources.
    pub resource: Option<ResourceId>,
    /// The instance address (`x.y[0]`, `module.a.x.y`) when the resource is one of several
    /// instances that share their source text; it joins the discriminator.
    pub instance: Option<String>,
    /// Why the resource may not exist, when it may not (an unresolved `count`, `for_each` or
    /// ARM `condition`); the message says so.
    pub conditional: Option<String>,
    /// A finding given once per scan for its rule and this key (the first in report order).
    pub once_per_scan: Option<String>,
    /// What would make the finding go away, as edits of the resource.
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: &'static str, level: Level, span: Span, message: impl Into<Message>) -> Self {
        Finding {
            rule,
            level,
            message: message.into(),
            span,
            related: Vec::new(),
            discriminator: String::new(),
            security_severity: None,
            suppression: None,
            resource: None,
            instance: None,
            conditional: None,
            once_per_scan: None,
            fix: None,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_values_render_redacted_whatever_quotes_surround_them() {
        let span = Span::new(0, 10, 14);
        let mut m = Message::new()
            .text("source \"")
            .value("10.1.0.0/16", Some(span))
            .text("\" and `")
            .value("*", None)
            .text("`");
        assert_eq!(m.as_str(), "source \"10.1.0.0/16\" and `*`");
        m.values_mut().next().unwrap().sensitive = true;
        m.render(None);
        assert_eq!(m.as_str(), "source \"(sensitive)\" and `*`");
        m.render(Some("`count` is unknown"));
        assert!(m.as_str().ends_with(
            " (The resource is conditional: `count` is unknown; it is analysed as if it exists.)"
        ));
    }
}
