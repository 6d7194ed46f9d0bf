//! What rules produce and reporters print.
//!
//! A [`Finding`] is data: where it is, which resource of its scope it is about, the values its
//! message quotes, whether its resource is conditional, whether it is given once per scan, and
//! the fix it suggests. The scan stage completes those facts (instances, provenance, sensitivity)
//! from the fields, never from the message text, merges the results that differ only by the
//! instance behind them (D37), and renders the message last.

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

/// A resource a message names by its address (`azurerm_x.y["k"]`, `module.m.azurerm_x.y`,
/// `Microsoft.Batch/batchAccounts 'acct0'`), with the source block it comes from: the instances
/// of one `count`/`for_each` block, of one ARM `copy` and of one module called twice share their
/// block, so messages that differ only by which instance they name can be recognised (D37).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub address: String,
    /// The resource's whole text (block or object).
    pub block: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Value(Quoted),
    /// A resource named by [`named`] (the rules' `checker::who`).
    Resource(Named),
    /// Where a part of the message begins or ends; renders as nothing.
    Mark(Mark),
}

/// The parts of a message a reader tells apart: the rule's title (before the `: ` that the
/// checker writes after it), the facts, and the help (what to do about the finding). The text of
/// the whole message keeps them in the order they were written; the console shows them apart
/// ([`Message::title`], [`Message::facts`], [`Message::help_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// The title ends here.
    TitleEnd,
    /// A help section begins here, with the space that separates it from the facts before it.
    HelpStart,
    /// The help section ends here; text after it is facts again.
    HelpEnd,
}

// A resource's name travels through `format!` as the address between these noncharacters
// (reserved by Unicode for internal use), after its block span: `\u{FDD0}file:start:end\u{FDD1}
// address\u{FDD2}`. A [`Message`] turns it back into a [`Piece::Resource`]; nothing else sees it.
const NAME_OPEN: char = '\u{FDD0}';
const NAME_ADDRESS: char = '\u{FDD1}';
const NAME_CLOSE: char = '\u{FDD2}';

/// A resource's name for a message: `address`, marked as naming the resource whose text is
/// `block`, so that the message keeps it as a [`Piece::Resource`] however the rule formats it.
/// Use it (through `checker::who`) wherever a message names a resource.
pub fn named(block: Span, address: &str) -> String {
    format!(
        "{NAME_OPEN}{}:{}:{}{NAME_ADDRESS}{address}{NAME_CLOSE}",
        block.file, block.start, block.end
    )
}

/// Does the text name a resource through [`named`]?
pub fn names_resources(s: &str) -> bool {
    s.contains(NAME_OPEN)
}

/// Text and the resources [`named`] in it, in order. A malformed mark stays text.
fn split_names(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(open) = rest.find(NAME_OPEN) {
        let (before, marked) = rest.split_at(open);
        text.push_str(before);
        match parse_name(&marked[NAME_OPEN.len_utf8()..]) {
            Some((name, after)) => {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Resource(name));
                rest = after;
            }
            None => {
                text.push(NAME_OPEN);
                rest = &marked[NAME_OPEN.len_utf8()..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// `file:start:end\u{FDD1}address\u{FDD2}…` → the name and the text after it.
fn parse_name(s: &str) -> Option<(Named, &str)> {
    let (span, rest) = s.split_once(NAME_ADDRESS)?;
    let (address, after) = rest.split_once(NAME_CLOSE)?;
    let mut parts = span.splitn(3, ':').map(|p| p.parse::<usize>().ok());
    let (file, start, end) = (parts.next()??, parts.next()??, parts.next()??);
    if address.contains(NAME_OPEN) {
        return None;
    }
    Some((
        Named {
            address: address.to_string(),
            block: Span::new(file, start, end),
        },
        after,
    ))
}

/// `text` cut after `max` characters, with `…` where it was cut: how messages quote text that
/// may be long (an expression, a link, a message of another tool).
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// `raw` on one line (each run of white space one space) for a message, shortened when it is
/// longer than 60 characters: the source text of an expression a message quotes.
pub fn snippet(raw: &str) -> String {
    let one_line: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        shorten(&one_line, 57)
    } else {
        one_line
    }
}

/// A text that may name resources, as plain text: each resource by its address.
pub fn plain(s: &str) -> String {
    if !s.contains(NAME_OPEN) {
        return s.to_string();
    }
    split_names(s).iter().map(piece_text).collect()
}

/// A message as pieces of fixed text, quoted values, named resources and the marks of its parts
/// ([`Mark`]). Its text is made from
/// the pieces when it is first asked for ([`Message::as_str`]) and again by [`Message::render`],
/// once the scan knows which values are sensitive, whether the resource is conditional and which
/// instances the result stands for. [`Message::settle`] then lets the fixed text go from the
/// pieces: a scan holds every finding until it is reported, so each message's text is held once.
///
/// A message made by the rules' checker has a title (the rule's) and may have a help section
/// ([`Message::help`]): its text reads "title: facts help", which one-line formats print whole,
/// and the console shows as a headline, a label and a `help:` line.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pieces: Vec<Piece>,
    text: std::sync::OnceLock<Rendered>,
}

/// A message's text and where its parts are in it (byte offsets).
#[derive(Debug, Clone, Default)]
struct Rendered {
    text: String,
    /// Where the title ends, when the message has one.
    title_end: Option<usize>,
    /// The help sections, each with the space before it.
    help: Vec<std::ops::Range<usize>>,
}

impl Rendered {
    /// The pieces' text; sensitive values as `(sensitive)` when `redact`.
    fn of(pieces: &[Piece], redact: bool) -> Rendered {
        let mut r = Rendered::default();
        let mut help_start = None;
        for p in pieces {
            match p {
                Piece::Value(q) if redact && q.sensitive => r.text.push_str("(sensitive)"),
                Piece::Mark(Mark::TitleEnd) => r.title_end = Some(r.text.len()),
                Piece::Mark(Mark::HelpStart) => help_start = Some(r.text.len()),
                Piece::Mark(Mark::HelpEnd) => {
                    if let Some(start) = help_start.take() {
                        r.help.push(start..r.text.len());
                    }
                }
                p => r.text.push_str(piece_text(p)),
            }
        }
        if let Some(start) = help_start {
            r.help.push(start..r.text.len());
        }
        r
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.pieces == other.pieces && self.as_str() == other.as_str()
    }
}

/// The separator the checker writes between a rule's title and the facts.
const TITLE_SEPARATOR: &str = ": ";

/// What a message appends when what it is about may not exist (`The resource is conditional:
/// its count is not known`).
fn conditional_note(what: &str) -> String {
    format!(" ({what}; it is analysed as if it exists.)")
}

/// How many instance addresses a merged message lists before "and N more" (D37).
pub const LISTED_INSTANCES: usize = 5;

/// What a message appends when it stands for several instances (D37): the first
/// [`LISTED_INSTANCES`] addresses, then how many more.
fn instances_note(instances: &[String]) -> String {
    let listed = &instances[..instances.len().min(LISTED_INSTANCES)];
    let mut s = format!(
        " Reported once for {} instances: {}",
        instances.len(),
        listed.join(", ")
    );
    if instances.len() > listed.len() {
        s.push_str(&format!(" and {} more", instances.len() - listed.len()));
    }
    s.push('.');
    s
}

impl Message {
    pub fn new() -> Message {
        Message::default()
    }

    /// A rule's title, then what the rule says: "title: says".
    pub fn titled(title: &str, says: Message) -> Message {
        let mut m = Message::new().text(title);
        m.push_mark(Mark::TitleEnd);
        m.text(TITLE_SEPARATOR).append(says)
    }

    /// Appends the help: what the user can do about the finding (set a property, add an
    /// endpoint), after a space. Text appended after it is facts again.
    pub fn help(mut self, help: impl Into<Message>) -> Message {
        self.push_mark(Mark::HelpStart);
        self.push_plain(" ");
        let mut m = self.append(help.into());
        m.push_mark(Mark::HelpEnd);
        m
    }

    fn push_mark(&mut self, mark: Mark) {
        self.text.take();
        self.pieces.push(Piece::Mark(mark));
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

    /// Appends fixed text; the resources [`named`] in it become [`Piece::Resource`] pieces.
    pub fn push_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if !s.contains(NAME_OPEN) {
            self.push_plain(s);
            return;
        }
        for p in split_names(s) {
            match p {
                Piece::Text(t) => self.push_plain(&t),
                p => {
                    self.text.take();
                    self.pieces.push(p);
                }
            }
        }
    }

    fn push_plain(&mut self, s: &str) {
        self.text.take();
        match self.pieces.last_mut() {
            Some(Piece::Text(t)) => t.push_str(s),
            _ => self.pieces.push(Piece::Text(s.to_string())),
        }
    }

    pub fn push_value(&mut self, text: String, span: Option<Span>) {
        self.text.take();
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
                Piece::Text(t) => self.push_plain(&t),
                p => {
                    self.text.take();
                    self.pieces.push(p);
                }
            }
        }
        self
    }

    fn rendered(&self) -> &Rendered {
        self.text.get_or_init(|| Rendered::of(&self.pieces, false))
    }

    /// The rendered message: the pieces as written until [`Message::render`].
    pub fn as_str(&self) -> &str {
        &self.rendered().text
    }

    /// The rule's title, when the message was made with one ([`Message::titled`]).
    pub fn title(&self) -> Option<&str> {
        let r = self.rendered();
        r.title_end.map(|end| &r.text[..end])
    }

    /// What the message says after its title, without its help: the facts, with the notes the
    /// scan adds (the instances it stands for, a conditional resource).
    pub fn facts(&self) -> String {
        let r = self.rendered();
        let start = match r.title_end {
            Some(end) if r.text[end..].starts_with(TITLE_SEPARATOR) => end + TITLE_SEPARATOR.len(),
            Some(end) => end,
            None => 0,
        };
        let mut out = String::new();
        let mut at = start;
        for h in r.help.iter().filter(|h| h.start >= start) {
            out.push_str(&r.text[at..h.start]);
            at = h.end;
        }
        out.push_str(&r.text[at..]);
        out.trim().to_string()
    }

    /// The help ([`Message::help`]), when the message has some: its sections joined by a space.
    pub fn help_text(&self) -> Option<String> {
        let r = self.rendered();
        let parts: Vec<&str> = r
            .help
            .iter()
            .map(|h| r.text[h.clone()].trim())
            .filter(|h| !h.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Keeps the rendered text and lets the fixed-text pieces go (the larger part of a message);
    /// its quoted values and named resources stay readable. The last step of a message: it is
    /// not rendered again after it.
    pub fn settle(&mut self) {
        self.rendered();
        self.pieces
            .retain(|p| !matches!(p, Piece::Text(_) | Piece::Mark(_)));
        self.pieces.shrink_to_fit();
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The quoted values, for the scan to mark the sensitive ones.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Quoted> {
        self.pieces.iter_mut().filter_map(|p| match p {
            Piece::Value(q) => Some(q),
            _ => None,
        })
    }

    pub fn values(&self) -> impl Iterator<Item = &Quoted> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Value(q) => Some(q),
            _ => None,
        })
    }

    /// The resources the message names, in order.
    pub fn names(&self) -> impl Iterator<Item = &Named> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Resource(n) => Some(n),
            _ => None,
        })
    }

    /// Renders the pieces: sensitive values as `(sensitive)`; for a result that stands for
    /// several instances (D37), the list of their addresses; and, for a resource that may not
    /// exist, the note that says so.
    pub fn render(&mut self, conditional: Option<&str>, instances: &[String]) {
        let mut out = Rendered::of(&self.pieces, true);
        if instances.len() > 1 {
            out.text.push_str(&instances_note(instances));
        }
        if let Some(what) = conditional {
            out.text.push_str(&conditional_note(what));
        }
        self.text = std::sync::OnceLock::from(out);
    }
}

/// A piece as written, before redaction.
fn piece_text(p: &Piece) -> &str {
    match p {
        Piece::Text(t) => t,
        Piece::Value(q) => &q.text,
        Piece::Resource(n) => &n.address,
        Piece::Mark(_) => "",
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
        f.write_str(self.as_str())
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

/// A structured fix suggestion: edits of the finding's resource that make the finding go away,
/// and, once the scan has planned it (`fix::plan`), the same edits as text in the files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fix {
    pub edits: Vec<Edit>,
    /// Safe unless it changes behaviour beyond the finding; an unsafe fix is applied only with
    /// `--unsafe-fixes`.
    pub safety: Safety,
    /// The text edits that make the fix, or why it cannot be made (the value is computed, one
    /// definition feeds other uses, …). `None` until the scan plans it.
    pub planned: Option<Result<Planned, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Safety {
    #[default]
    Safe,
    /// Why applying it changes more than the finding, e.g. "turns the workspace private while
    /// no private endpoint reaches it yet".
    Unsafe(&'static str),
}

/// A fix as text edits, in the files that hold the values to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub edits: Vec<TextEdit>,
    /// What the fix does, in the resource's own spelling: "set public_network_access_enabled =
    /// false", "remove sourceAddressPrefixes" (editor quick fixes and SARIF show it).
    pub title: String,
    /// Where the fix edits a definition rather than the resource (a variable default, a tfvars
    /// entry, a parameter's `defaultValue`, a parameters-file value): which, in prose.
    pub note: Option<String>,
}

/// Replace the text of `span` with `text` (an insertion when `span` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
    /// For an edit of a definition: the places that use it, all of which this edit changes. The
    /// fix is applied only when every one of them is fixed the same way in the same run.
    pub uses: Vec<Span>,
    /// The place this fix fixes, when it edits a definition: one of `uses`.
    pub used_at: Option<Span>,
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
            ..Fix::default()
        }
    }
    /// Marks the fix unsafe: applying it changes more than the finding, as `why` says.
    pub fn changing(mut self, why: &'static str) -> Fix {
        self.safety = Safety::Unsafe(why);
        self
    }
    /// The planned edits, when the fix could be planned.
    pub fn text_edits(&self) -> Option<&Planned> {
        self.planned.as_ref().and_then(|p| p.as_ref().ok())
    }
    pub fn and_set(mut self, path: &[&str], value: serde_json::Value) -> Fix {
        self.edits.push(Edit {
            path: path.iter().map(|s| s.to_string()).collect(),
            op: EditOp::Set(value),
        });
        self
    }
    pub fn and_remove(mut self, path: &[&str]) -> Fix {
        self.edits.push(Edit {
            path: path.iter().map(|s| s.to_string()).collect(),
            op: EditOp::Remove,
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
    /// Distinguishes several results of one rule at one location (e.g. the port). Set it with
    /// [`Finding::set_discriminator`].
    pub discriminator: String,
    /// The discriminator as pieces when it names resources ([`named`]), so that results whose
    /// discriminators differ only by the instance they name can be merged (D37); empty
    /// otherwise.
    pub discriminator_pieces: Vec<Piece>,
    /// `security-severity` override for escalated results.
    pub security_severity: Option<&'static str>,
    /// Set when an inline suppression silences the finding: its justification. Suppressed
    /// findings are reported only in SARIF and only with `--include-suppressed`.
    pub suppression: Option<String>,
    /// The resource the finding is located in, as an index into its scope's resources.
    pub resource: Option<ResourceId>,
    /// That resource in a few words, set by the scan: its Terraform address, or its ARM type's
    /// last segment and its name (`batchAccounts 'acct'`); for a result that stands for several
    /// resources (D37), the first and how many more. The console's headline names it.
    pub subject: Option<String>,
    /// The addresses of the instances the result stands for (`x.y[0]`, `module.a.x.y`,
    /// `Microsoft.Network/networkSecurityGroups 'nsg-1'`), in natural order: results of one rule
    /// at one location that differ only by the `count`/`for_each`/`copy` instance or module call
    /// path behind them are one result (D37). Empty when the result is about no such instance.
    pub instances: Vec<String>,
    /// What may not exist and why, when the resource or the block the result is in may not
    /// (an unresolved `count`, `for_each` or ARM `condition`, a `dynamic` block whose `for_each`
    /// is not known): `The resource is conditional: its count is not known`. The message says
    /// so.
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
            discriminator_pieces: Vec::new(),
            security_severity: None,
            suppression: None,
            resource: None,
            subject: None,
            instances: Vec::new(),
            conditional: None,
            once_per_scan: None,
            fix: None,
        }
    }
}

impl Finding {
    /// Sets the discriminator; the resources it names ([`named`]) are kept as pieces.
    pub fn set_discriminator(&mut self, d: &str) {
        let pieces = split_names(d);
        if pieces.iter().any(|p| matches!(p, Piece::Resource(_))) {
            self.discriminator = pieces.iter().map(piece_text).collect();
            self.discriminator_pieces = pieces;
        } else {
            self.discriminator = d.to_string();
            self.discriminator_pieces.clear();
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
    fn shortened_text_keeps_whole_characters_and_marks_the_cut() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…");
        assert_eq!(shorten("ééé€", 2), "éé…");
        assert_eq!(shorten("", 0), "");
        let long = format!("x = {}", "a ".repeat(40));
        assert_eq!(snippet("a  =\n  b"), "a = b");
        assert_eq!(snippet(&long).chars().count(), 58);
        assert!(snippet(&long).ends_with('…'));
        assert_eq!(snippet(&"a".repeat(60)), "a".repeat(60));
    }

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
        m.render(None, &[]);
        assert_eq!(m.as_str(), "source \"(sensitive)\" and `*`");
        m.render(Some("The resource is conditional: `count` is unknown"), &[]);
        assert!(m.as_str().ends_with(
            " (The resource is conditional: `count` is unknown; it is analysed as if it exists.)"
        ));
    }

    #[test]
    fn a_titled_message_tells_its_title_facts_and_help_apart() {
        let who = named(Span::new(0, 5, 9), "azurerm_x.y");
        let mut m = Message::titled(
            "Public access",
            Message::new()
                .text(format!("{who} allows `"))
                .value("*", Some(Span::new(0, 20, 21)))
                .text("`.")
                .help(
                    Message::new()
                        .text("Set it to ")
                        .value("10.0.0.0/8", None)
                        .text("."),
                )
                .text(" Note: the subnet's NSG denies it."),
        );
        // The whole text is as written, for the formats that print one line.
        assert_eq!(
            m.as_str(),
            "Public access: azurerm_x.y allows `*`. Set it to 10.0.0.0/8. Note: the subnet's NSG denies it."
        );
        assert_eq!(m.title(), Some("Public access"));
        assert_eq!(
            m.facts(),
            "azurerm_x.y allows `*`. Note: the subnet's NSG denies it."
        );
        assert_eq!(m.help_text().as_deref(), Some("Set it to 10.0.0.0/8."));
        // The parts survive rendering (redaction, the notes the scan adds) and settling.
        m.values_mut().for_each(|v| v.sensitive = true);
        m.render(Some("The resource is conditional: `count` is unknown"), &[]);
        m.settle();
        assert_eq!(m.title(), Some("Public access"));
        assert!(m.facts().starts_with(
            "azurerm_x.y allows `(sensitive)`. Note: the subnet's NSG denies it. (The resource is conditional"
        ));
        assert_eq!(m.help_text().as_deref(), Some("Set it to (sensitive)."));
        // A message without them is facts only.
        let plain = Message::from("Title: facts");
        assert_eq!((plain.title(), plain.help_text()), (None, None));
        assert_eq!(plain.facts(), "Title: facts");
    }

    #[test]
    fn named_resources_survive_format_as_pieces() {
        let block = Span::new(1, 10, 90);
        let who = named(block, "azurerm_x.y[\"a\"]");
        let m = Message::new()
            .text(format!("{who} and {who} are named"))
            .value("v", None);
        assert_eq!(
            m.as_str(),
            "azurerm_x.y[\"a\"] and azurerm_x.y[\"a\"] are named".to_string() + "v"
        );
        let names: Vec<&Named> = m.names().collect();
        assert_eq!(names.len(), 2);
        assert_eq!(names[0].address, "azurerm_x.y[\"a\"]");
        assert_eq!(names[0].block, block);
        assert!(matches!(m.pieces()[1], Piece::Text(ref t) if t == " and "));
        // Appending keeps them; plain text renders them by address.
        let m2 = Message::new().text("x: ").append(m.clone());
        assert_eq!(m2.names().count(), 2);
        assert_eq!(plain(&format!("<{who}>")), "<azurerm_x.y[\"a\"]>");
        // A stray mark is text.
        let stray = "a\u{FDD0}b";
        assert_eq!(Message::new().text(stray).as_str(), stray);
        assert_eq!(Message::new().text(stray).names().count(), 0);
    }

    #[test]
    fn discriminators_keep_the_resources_they_name() {
        let mut f = Finding::new("X", Level::Note, Span::new(0, 0, 1), "m");
        f.set_discriminator(&format!("{}|443", named(Span::new(0, 5, 9), "c[1]")));
        assert_eq!(f.discriminator, "c[1]|443");
        assert_eq!(f.discriminator_pieces.len(), 2);
        f.set_discriminator("22");
        assert_eq!(f.discriminator, "22");
        assert!(f.discriminator_pieces.is_empty());
    }

    #[test]
    fn several_instances_are_listed_five_then_how_many_more() {
        let mut m = Message::new().text("m.");
        let two: Vec<String> = vec!["x[0]".into(), "x[1]".into()];
        m.render(None, &two);
        assert_eq!(m.as_str(), "m. Reported once for 2 instances: x[0], x[1].");
        let seven: Vec<String> = (0..7).map(|i| format!("x[{i}]")).collect();
        m.render(
            Some("The resource is conditional: `count` is unknown"),
            &seven,
        );
        assert_eq!(
            m.as_str(),
            "m. Reported once for 7 instances: x[0], x[1], x[2], x[3], x[4] and 2 more. (The resource is conditional: `count` is unknown; it is analysed as if it exists.)"
        );
        m.render(None, &two[..1]);
        assert_eq!(m.as_str(), "m.");
    }

    #[test]
    fn a_settled_message_keeps_its_text_values_and_names_but_not_its_fixed_text() {
        let who = named(Span::new(0, 5, 9), "azurerm_x.y");
        let mut m = Message::new()
            .text(format!("{who} allows "))
            .value("22", Some(Span::new(0, 20, 22)))
            .text(" from the internet.");
        // Asked before rendering, the text is the pieces as written; a new piece changes it.
        assert_eq!(m.as_str(), "azurerm_x.y allows 22 from the internet.");
        m = m.text(" Really.");
        assert_eq!(
            m.as_str(),
            "azurerm_x.y allows 22 from the internet. Really."
        );
        m.values_mut().for_each(|v| v.sensitive = true);
        m.render(None, &[]);
        m.settle();
        assert_eq!(
            m.as_str(),
            "azurerm_x.y allows (sensitive) from the internet. Really."
        );
        assert_eq!(m.to_string(), m.as_str());
        assert_eq!(
            m.values().map(|v| v.text.as_str()).collect::<Vec<_>>(),
            ["22"]
        );
        assert_eq!(m.names().count(), 1);
        assert!(!m.pieces().iter().any(|p| matches!(p, Piece::Text(_))));
    }
}
