//! Inline suppressions: `batchguard:ignore RULE[,RULE] reason="…" [until=YYYY-MM-DD]` in a
//! comment on the line before a finding or at the end of its first line (HCL `#`, `//`, `/* */`;
//! ARM `//`, `/* */`; in Terraform JSON, which has no comments, a `"//"` member alone on the line
//! before, `"//": "batchguard:ignore NET001 reason=\"…\""`), or an ARM resource `metadata` entry
//! `"batchguard": {"ignore": [{"rule": "…", "reason": "…", "until": "…"}]}`.
//!
//! A suppression without a reason still applies and is reported; an expired one stops applying
//! and is reported; one that silences nothing is reported as unused.

use crate::findings::{Finding, Level, Notification};
use crate::ir::{Document, Span};
use crate::source::SourceFile;

const MARKER: &str = "batchguard:ignore";

/// A calendar date.
pub type Date = jiff::civil::Date;

#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<Date>,
    /// The directive text (for notifications).
    pub span: Span,
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// A comment: applies to findings starting on `line` (1-based), and on `opener` too: the
    /// line that opens the object a Terraform JSON `"//"` member is the first member of (a
    /// block's name key, where a `"//"` member cannot be written).
    Line {
        file: usize,
        line: usize,
        opener: Option<usize>,
    },
    /// An ARM `metadata` entry: applies to findings inside the resource.
    Resource(Span),
}

/// The inline suppression of `rules` as a comment of the file's syntax (`#` in Terraform, `//`
/// in JSON and Bicep), as `--add-suppressions` writes it; a quote in the reason becomes an
/// apostrophe.
pub fn comment(rules: &[&str], reason: &str, until: Option<&str>, syntax: Syntax) -> String {
    let lead = match syntax {
        Syntax::Hcl => "#",
        Syntax::TfJson => "\"//\": \"",
        Syntax::Json | Syntax::Bicep => "//",
    };
    let quote = if syntax == Syntax::TfJson {
        "\\\""
    } else {
        "\""
    };
    let reason = reason.replace('"', "'").replace('\\', "/");
    let mut s = format!(
        "{lead}{}{MARKER} {} reason={quote}{reason}{quote}",
        if syntax == Syntax::TfJson { "" } else { " " },
        rules.join(","),
    );
    if let Some(u) = until {
        s.push_str(&format!(" until={u}"));
    }
    if syntax == Syntax::TfJson {
        // A member before another member.
        s.push_str("\",");
    }
    s
}

/// Where the rule list of a suppression comment that stands alone on `line` ends (a byte offset
/// in `line`), so that one more rule can be added to it; `None` when the line holds no such
/// comment.
pub fn rule_list_end(line: &str, syntax: Syntax) -> Option<usize> {
    let at = line.find(MARKER)?;
    let before = &line[..at];
    if !alone(before, syntax) || !comment_before(before, syntax) {
        return None;
    }
    let after = at + MARKER.len();
    let ids = after + (line[after..].len() - line[after..].trim_start().len());
    let end = line[ids..]
        .find(|c: char| c.is_whitespace() || c == '"')
        .map_or(line.len(), |i| ids + i);
    (end > ids).then_some(end)
}

/// Today's date (UTC), or `BATCHGUARD_TODAY=YYYY-MM-DD` when set (for reproducible runs).
pub fn today() -> Date {
    if let Some(d) = std::env::var("BATCHGUARD_TODAY")
        .ok()
        .and_then(|v| parse_date(&v))
    {
        return d;
    }
    jiff::tz::TimeZone::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// A date written `YYYY-MM-DD` that exists in the calendar (`2026-02-31` does not).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let (y, m, d) = (
        s[..4].parse::<i16>().ok()?,
        s[5..7].parse::<i8>().ok()?,
        s[8..].parse::<i8>().ok()?,
    );
    jiff::civil::Date::new(y, m, d).ok()
}

/// How a file's syntax writes comments and strings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Syntax {
    /// Terraform: `#`, `//`, `/* */`; strings in double quotes.
    Hcl,
    /// ARM JSON: `//`, `/* */`; strings in double quotes.
    Json,
    /// Terraform JSON: no comments, but `"//"` members, which Terraform ignores.
    TfJson,
    /// Bicep: `//`, `/* */`; strings in single quotes.
    Bicep,
}

impl Syntax {
    /// The syntax of a file, by its name.
    pub fn of(rel: &str) -> Syntax {
        let lower = rel.to_ascii_lowercase();
        if lower.ends_with(".tf.json") {
            Syntax::TfJson
        } else if lower.ends_with(".json") {
            Syntax::Json
        } else if lower.ends_with(".bicep") || lower.ends_with(".bicepparam") {
            Syntax::Bicep
        } else {
            Syntax::Hcl
        }
    }
}

/// Is the marker on this line inside a comment? The text before it must open one (`#` in
/// Terraform, `//`, `/*`) outside a string.
fn comment_before(prefix: &str, syntax: Syntax) -> bool {
    if syntax == Syntax::TfJson {
        return comment_member(prefix);
    }
    let hcl = syntax == Syntax::Hcl;
    let quote = if syntax == Syntax::Bicep { '\'' } else { '"' };
    let mut in_string = false;
    let mut prev = '\0';
    let chars: Vec<char> = prefix.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == quote && prev != '\\' {
            in_string = !in_string;
        } else if !in_string {
            let next = chars.get(i + 1).copied();
            if (c == '/' && (next == Some('/') || next == Some('*'))) || (hcl && c == '#') {
                return true;
            }
        }
        prev = c;
    }
    false
}

/// Does the text before the marker open the string of a `"//"` member (`  "//": "`)?
fn comment_member(prefix: &str) -> bool {
    let Some(rest) = prefix.trim_start().strip_prefix("\"//\"") else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    rest.trim_start() == "\""
}

/// Does the suppression stand alone on its line (then it applies to the next line)?
fn alone(before: &str, syntax: Syntax) -> bool {
    if syntax == Syntax::TfJson {
        return comment_member(before);
    }
    before
        .trim_end()
        .trim_end_matches(['#', '/', '*'])
        .trim()
        .is_empty()
}

/// The directive of a `"//"` member: its string up to the closing quote, unescaped.
fn member_directive(rest: &str) -> String {
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n' | 't' | 'r') => out.push(' '),
                Some(e) => out.push(e),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

/// Parses the text after the marker: rule ids, then `reason="…"` and `until=…`.
/// Rule ids, reason and expiry of one directive.
type Parsed = (Vec<String>, Option<String>, Option<Date>);

fn parse_directive(text: &str) -> Result<Parsed, String> {
    let text = text.trim_end().trim_end_matches("*/").trim();
    let (ids, mut rest) = match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    };
    let rules: Vec<String> = ids
        .split(',')
        .map(|r| r.trim().to_ascii_uppercase())
        .filter(|r| !r.is_empty())
        .collect();
    if rules.is_empty() {
        return Err(
            "a suppression names the rules it silences: `batchguard:ignore RULE_ID reason=\"…\"`"
                .into(),
        );
    }
    let (mut reason, mut until) = (None, None);
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("reason=") {
            let r = r.trim_start();
            let (value, after) = match r.strip_prefix('"') {
                Some(q) => match q.find('"') {
                    Some(end) => (&q[..end], &q[end + 1..]),
                    None => return Err("the reason's closing quote is missing".into()),
                },
                None => r.split_at(r.find(char::is_whitespace).unwrap_or(r.len())),
            };
            reason = Some(value.trim().to_string()).filter(|v| !v.is_empty());
            rest = after.trim_start();
        } else if let Some(u) = rest.strip_prefix("until=") {
            let end = u.find(char::is_whitespace).unwrap_or(u.len());
            until = Some(parse_date(&u[..end]).ok_or_else(|| {
                format!(
                    "`until={}` is not a date of the calendar, written YYYY-MM-DD",
                    &u[..end]
                )
            })?);
            rest = u[end..].trim_start();
        } else if let Some((key, _)) = rest
            .split(char::is_whitespace)
            .next()
            .and_then(|word| word.split_once('='))
        {
            // A mistyped key would otherwise end the directive, and a date after it would be
            // lost: the suppression would never expire.
            return Err(format!(
                "`{key}=` is not a key of a suppression, which takes reason=\"…\" and \
                 until=YYYY-MM-DD"
            ));
        } else {
            // Free text after the directive is allowed (a trailing comment).
            break;
        }
    }
    Ok((rules, reason, until))
}

/// Finds every suppression in the scanned files, and the malformed ones as notifications.
pub fn collect(files: &[SourceFile], docs: &[Document]) -> (Vec<Directive>, Vec<Notification>) {
    let (mut out, mut notes) = collect_lines(files);
    let (metadata, more) = collect_metadata(files, docs);
    out.extend(metadata);
    notes.extend(more);
    (out, notes)
}

/// The suppressions written as comments (or `"//"` members in Terraform JSON) in `files`.
pub fn collect_lines(files: &[SourceFile]) -> (Vec<Directive>, Vec<Notification>) {
    use rayon::prelude::*;
    let finder = memchr::memmem::Finder::new(MARKER);
    // The files in parallel, their suppressions in file order.
    let per_file: Vec<(Vec<Directive>, Vec<Notification>)> =
        files.par_iter().map(|f| collect_file(f, &finder)).collect();
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for (directives, file_notes) in per_file {
        out.extend(directives);
        notes.extend(file_notes);
    }
    (out, notes)
}

/// The suppressions written as comments in one file.
fn collect_file(
    f: &SourceFile,
    finder: &memchr::memmem::Finder,
) -> (Vec<Directive>, Vec<Notification>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let syntax = Syntax::of(&f.rel);
    let mut search = 0;
    while let Some(pos) = finder.find(&f.text.as_bytes()[search..]) {
        let at = search + pos;
        search = at + MARKER.len();
        let line = f.lines().position(&f.text, at).line;
        let range = f.lines().line_range(&f.text, line);
        if !comment_before(&f.text[range.start..at], syntax) {
            continue;
        }
        let span = Span::new(f.id, at, range.end);
        let directive = match syntax {
            Syntax::TfJson => member_directive(&f.text[search..range.end]),
            _ => f.text[search..range.end].to_string(),
        };
        match parse_directive(&directive) {
            Ok((rules, reason, until)) => {
                // Alone on its line: it applies to the next line; after code: to this one.
                let code_before = !alone(&f.text[range.start..at], syntax);
                let target = if code_before { line } else { line + 1 };
                let opener = (syntax == Syntax::TfJson && line > 1)
                    .then(|| f.lines().line_range(&f.text, line - 1))
                    .filter(|r| f.text[r.clone()].trim_end().ends_with('{'))
                    .map(|_| line - 1);
                out.push(Directive {
                    rules,
                    reason,
                    until,
                    span,
                    scope: Scope::Line {
                        file: f.id,
                        line: target,
                        opener,
                    },
                });
            }
            Err(message) => notes.push(Notification {
                level: Level::Error,
                message: format!("suppression ignored: {message}"),
                span: Some(span),
                file: Some(f.id),
            }),
        }
    }
    (out, notes)
}

/// The suppressions written in the metadata (`metadata.batchguard.ignore`) of the resources of
/// `docs`: an ARM template's resource objects as written (a Bicep file's have none), another
/// document's lowered resources.
pub fn collect_metadata(
    files: &[SourceFile],
    docs: &[Document],
) -> (Vec<Directive>, Vec<Notification>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for d in docs {
        let written: Vec<(&crate::ir::Node, crate::ir::Span)> = match &d.root {
            Some(root)
                if d.kind == crate::ir::DocKind::ArmTemplate
                    && !files.get(d.file).is_some_and(|f| {
                        crate::frontend::input_kind(&f.path)
                            == Some(crate::frontend::InputKind::Bicep)
                    }) =>
            {
                crate::frontend::arm::written_resources(root)
                    .into_iter()
                    .map(|obj| (obj, obj.span))
                    .collect()
            }
            _ => d.resources.iter().map(|r| (&r.body, r.span)).collect(),
        };
        for (body, span) in written {
            let Some(list) = body.path(&["metadata", "batchguard", "ignore"]) else {
                continue;
            };
            for entry in list.items() {
                let rule = entry.get("rule").and_then(|n| n.as_str());
                let reason = entry
                    .get("reason")
                    .and_then(|n| n.as_str())
                    .map(str::to_string)
                    .filter(|s| !s.trim().is_empty());
                let until = entry.get("until").and_then(|n| n.as_str());
                let parsed_until = until.map(parse_date);
                match (rule, parsed_until) {
                    (Some(rule), None | Some(Some(_))) => out.push(Directive {
                        rules: rule.split(',').map(|r| r.trim().to_ascii_uppercase()).collect(),
                        reason,
                        until: parsed_until.flatten(),
                        span: entry.span,
                        scope: Scope::Resource(span),
                    }),
                    _ => notes.push(Notification {
                        level: Level::Error,
                        message: "suppression ignored: a metadata entry needs a `rule` and, if it has `until`, a date of the calendar written YYYY-MM-DD".into(),
                        span: Some(entry.span),
                        file: Some(d.file),
                    }),
                }
            }
        }
    }
    (out, notes)
}

fn applies(d: &Directive, f: &Finding, files: &[SourceFile]) -> bool {
    if !d.rules.iter().any(|r| r.eq_ignore_ascii_case(f.rule)) {
        return false;
    }
    match d.scope {
        Scope::Line { file, line, opener } => {
            file == f.span.file
                && files.get(file).is_some_and(|sf| {
                    let at = sf.position(f.span.start).line;
                    at == line || Some(at) == opener
                })
        }
        Scope::Resource(r) => {
            r.file == f.span.file && r.start <= f.span.start && f.span.end <= r.end
        }
    }
}

/// Marks suppressed findings and returns notifications about the suppressions themselves.
pub fn apply(
    findings: &mut [Finding],
    directives: &[Directive],
    files: &[SourceFile],
    known_rules: &[&str],
    today: Date,
) -> Vec<Notification> {
    let mut notes = Vec::new();
    let note = |d: &Directive, message: String| Notification {
        level: Level::Warning,
        message,
        span: Some(d.span),
        file: Some(d.span.file),
    };
    for d in directives {
        for r in &d.rules {
            if !known_rules.iter().any(|k| k.eq_ignore_ascii_case(r)) {
                notes.push(note(d, format!("suppression names an unknown rule `{r}`")));
            }
        }
        if let Some(until) = d.until.filter(|u| *u < today) {
            notes.push(note(
                d,
                format!(
                    "suppression of {} expired on {until} and no longer applies; renew it with a new date or fix the finding",
                    d.rules.join(","),
                ),
            ));
            continue;
        }
        if d.reason.is_none() {
            notes.push(note(d, format!("suppression of {} has no reason; add reason=\"…\" saying why the finding is accepted", d.rules.join(","))));
        }
        let mut used = false;
        for f in findings.iter_mut().filter(|f| applies(d, f, files)) {
            used = true;
            if f.suppression.is_none() {
                f.suppression = Some(
                    d.reason
                        .clone()
                        .unwrap_or_else(|| "suppressed without a reason".into()),
                );
            }
        }
        if !used {
            notes.push(note(
                d,
                format!(
                    "unused suppression: nothing here is reported for {}",
                    d.rules.join(",")
                ),
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_list_of_a_comment_alone_on_its_line_can_grow() {
        let line = "  # batchguard:ignore NET001 reason=\"x\"";
        let at = line.find(" reason").unwrap();
        assert_eq!(rule_list_end(line, Syntax::Hcl), Some(at));
        let json = "// batchguard:ignore NET001";
        assert_eq!(rule_list_end(json, Syntax::Json), Some(27));
        let after_code = "x = 1 # batchguard:ignore NET001";
        assert_eq!(rule_list_end(after_code, Syntax::Hcl), None);
        assert_eq!(rule_list_end("# nothing here", Syntax::Hcl), None);
        assert_eq!(rule_list_end(line, Syntax::Bicep), None);
    }

    #[test]
    fn parses_directives() {
        let (rules, reason, until) =
            parse_directive(" NET001,net002 reason=\"bastion only\" until=2027-01-31").unwrap();
        assert_eq!(rules, vec!["NET001", "NET002"]);
        assert_eq!(reason.as_deref(), Some("bastion only"));
        assert_eq!(until, parse_date("2027-01-31"));
        assert_eq!(parse_directive(" NET001").unwrap().1, None);
        assert!(parse_directive(" NET001 until=tomorrow").is_err());
        // A mistyped key is an error, not the end of the directive (the date after it would
        // be lost); free text without a key is a trailing comment.
        let e = parse_directive(" NET001 reson=\"x\" until=2020-01-01").unwrap_err();
        assert!(e.contains("`reson=`"), "{e}");
        assert!(parse_directive(" NET001 reason=\"x\" -- reviewed").is_ok());
        assert!(parse_directive(" NET001 reason=\"x").is_err());
        assert!(parse_directive(" NET001 until=2026-02-31").is_err());
        assert!(parse_directive("").is_err());
        assert_eq!(
            parse_directive(" NET001 reason=\"x\" */")
                .unwrap()
                .1
                .as_deref(),
            Some("x")
        );
    }

    #[test]
    fn comment_detection() {
        assert!(comment_before("  # ", Syntax::Hcl));
        assert!(comment_before("x = 1 // ", Syntax::Hcl));
        assert!(!comment_before("  name = \"# ", Syntax::Hcl));
        assert!(!comment_before("  # ", Syntax::Json));
        assert!(comment_before("  /* ", Syntax::Json));
        assert!(comment_before("  name: 'x' // ", Syntax::Bicep));
        assert!(!comment_before("  name: 'x // ", Syntax::Bicep));
        assert!(!comment_before("  # ", Syntax::Bicep));
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2000-02-29"),
            Some(jiff::civil::date(2000, 2, 29))
        );
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("2026-1-01"), None);
        assert_eq!(parse_date("+026-01-01"), None);
        assert!(today() > jiff::civil::date(2024, 1, 1));
    }
}
