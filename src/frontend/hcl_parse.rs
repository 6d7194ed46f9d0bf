//! HCL text parsed as Terraform reads it, where `hcl-edit` is stricter:
//!
//! - An object constructor that repeats a key (`{ a = 1, a = 2 }`). Terraform takes the last of
//!   those items; `hcl-edit` refuses the whole file. Every earlier item is blanked out (its
//!   characters replaced by spaces, line breaks kept, so every offset and line of the text stays)
//!   and the text parsed again, so the object holds what Terraform makes of it.
//! - A line break inside an expression of a `for` object (`{ for k in x : k => a &&⏎ b }`),
//!   after an operator or before one. Terraform ignores line breaks inside `for` expressions;
//!   `hcl-edit` 0.10 refuses them there (it takes them inside parentheses and `for` lists). The
//!   line break the parser stops at, with the comments beside it, is replaced by spaces (one
//!   byte for one, so every offset stays) and the text parsed again.

use std::ops::Range;

use hcl_edit::expr::{Expression, Object, ObjectKey, ObjectValue, ObjectValueTerminator};
use hcl_edit::parser::Error;
use hcl_edit::structure::Body;
use hcl_edit::visit::{self, Visit};
use hcl_edit::Span;

/// Repeated keys mended in one text at most: each costs a parse of it.
const MAX_REPEATED_KEYS: usize = 32;

/// The names a repeated key takes while the objects are found.
const FILLS: [char; 6] = ['Z', 'Q', 'X', 'J', 'K', 'V'];

/// Line breaks mended in one text at most, and the most text parsed again for them: each costs a
/// parse of the text.
const MAX_LINE_BREAKS: usize = 256;
const MAX_MENDED_BYTES: usize = 64 << 20;

/// `text` parsed; a repeated object key is read as Terraform reads it (the last item wins), and
/// so is a line break inside a `for` object's expression. When the text does not parse for
/// another reason, the error is that one.
pub fn parse_body(text: &str) -> Result<Body, Error> {
    let mut error = match hcl_edit::parser::parse_body(text) {
        Ok(body) => return Ok(body),
        Err(e) => e,
    };
    let mut mended: Option<String> = None;
    for n in 1..=MAX_LINE_BREAKS {
        let current = mended.as_deref().unwrap_or(text);
        if n.saturating_mul(current.len()) > MAX_MENDED_BYTES {
            break;
        }
        let Some(next) = line_break_mended(current, error.location().offset()) else {
            break;
        };
        match hcl_edit::parser::parse_body(&next) {
            Ok(body) => return Ok(body),
            Err(e) => {
                error = e;
                mended = Some(next);
            }
        }
    }
    with_repeated_keys(mended.as_deref().unwrap_or(text), error)
}

/// Binary and conditional operators, longest first: an expression that one of them ends, or
/// starts, a line of goes on across the line break.
const OPERATORS: [&str; 15] = [
    "&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "?", ":",
];

/// `text` with the line breaks at the parse error at `at` replaced by spaces, when the parser
/// stopped at a line break (or a comment before one) that an operator ends the line before
/// (`a &&⏎`), or at an operator that starts the line after one (`⏎ && b`). The comments
/// between the two lines are blanked too: a line comment would otherwise swallow the line joined
/// to it. `None` otherwise.
fn line_break_mended(text: &str, at: usize) -> Option<String> {
    text.get(..at)?;
    let (end, start) = (code_before(text, at)?, code_after(text, at));
    let gap = &text[end..start];
    if !gap.contains('\n') || gap.contains("/*") {
        return None;
    }
    let next = &text[start..];
    let ends = OPERATORS.iter().any(|op| text[..end].ends_with(op));
    let starts = !next.starts_with("//")
        && !next.starts_with("/*")
        && OPERATORS.iter().any(|op| next.starts_with(op));
    if !ends && !starts {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..end]);
    out.extend(
        gap.chars()
            .flat_map(|c| std::iter::repeat_n(' ', c.len_utf8())),
    );
    out.push_str(next);
    Some(out)
}

/// Where the code before `at` ends: back over blanks, and over the comment that ends a line.
/// `None` when a line there holds a block comment, which may span lines.
fn code_before(text: &str, at: usize) -> Option<usize> {
    let mut p = at;
    loop {
        p = text[..p].trim_end_matches([' ', '\t', '\r', '\n']).len();
        let line_start = text[..p].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..p];
        if line.contains("/*") || line.contains("*/") {
            return None;
        }
        match comment_start(line) {
            Some(c) => p = line_start + c,
            None => return Some(p),
        }
    }
}

/// Where the code after `at` starts: over blanks and line comments.
fn code_after(text: &str, at: usize) -> usize {
    let mut p = at;
    loop {
        p = text.len() - text[p..].trim_start_matches([' ', '\t', '\r', '\n']).len();
        let rest = &text[p..];
        if rest.starts_with('#') || rest.starts_with("//") {
            p += rest.find('\n').unwrap_or(rest.len());
        } else {
            return p;
        }
    }
}

/// Where a line comment (`#`, `//`) starts in one line of code, outside quoted strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return Some(i),
            '/' if !quoted && line[i..].starts_with("//") => return Some(i),
            _ => {}
        }
    }
    None
}

/// `text`, whose parse failed with `first`, parsed with a repeated object key read as Terraform
/// reads it.
fn with_repeated_keys(text: &str, first: Error) -> Result<Body, Error> {
    if !repeats_a_key(&first) {
        return Err(first);
    }
    // Each repeated key renamed (same length) until the text parses, to find the objects.
    let mut renamed_text = text.to_string();
    let mut renamed: Vec<(usize, String)> = Vec::new();
    let mut error = first.clone();
    let body = loop {
        if !repeats_a_key(&error) {
            // Another error behind the repeated keys, at the same offset in the text as written.
            return Err(error);
        }
        if renamed.len() >= MAX_REPEATED_KEYS {
            return Err(first);
        }
        let at = error.location().offset();
        let Some((name, inner)) = key_at(&renamed_text, at) else {
            return Err(first);
        };
        let mut next = None;
        for fill in FILLS {
            let candidate = format!(
                "{}{}{}",
                &renamed_text[..inner.start],
                fill.to_string().repeat(inner.len()),
                &renamed_text[inner.end..]
            );
            match hcl_edit::parser::parse_body(&candidate) {
                // The new name is taken in that object too.
                Err(e) if repeats_a_key(&e) && e.location().offset() == at => continue,
                result => {
                    next = Some((candidate, result));
                    break;
                }
            }
        }
        let Some((candidate, result)) = next else {
            return Err(first);
        };
        renamed_text = candidate;
        renamed.push((at, name));
        match result {
            Ok(body) => break body,
            Err(e) => error = e,
        }
    };
    // In each object with a renamed key, every item but the last of each name blanked out.
    let mut find = Earlier {
        renamed: &renamed,
        text,
        ranges: Vec::new(),
    };
    find.visit_body(&body);
    hcl_edit::parser::parse_body(&blanked(text, find.ranges)).map_err(|_| first)
}

fn repeats_a_key(e: &Error) -> bool {
    e.message().contains("redefined object key")
}

/// `text` with the characters of `ranges` replaced by spaces, line breaks kept.
fn blanked(text: &str, ranges: Vec<Range<usize>>) -> String {
    let mut out = text.to_string().into_bytes();
    for range in ranges {
        for b in &mut out[range] {
            // Every byte of a character, so that the text stays UTF-8 and every offset stays.
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Ranges hold whole characters (they come from spans and a comma); were one to cut a
    // character, the text stays as written and does not parse, as before.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The key written at `at` (an identifier, or a string without escapes or interpolation) and
/// the range of its name (inside the quotes of a string).
fn key_at(text: &str, at: usize) -> Option<(String, Range<usize>)> {
    let rest = text.get(at..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let close = quoted.find(['"', '\\', '$', '%', '\n'])?;
        if quoted.as_bytes()[close] != b'"' || close == 0 {
            return None;
        }
        return Some((quoted[..close].to_string(), at + 1..at + 1 + close));
    }
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| (rest[..len].to_string(), at..at + len))
}

/// The items to blank out: in each object that holds a renamed key, every item but the last of
/// each name (a renamed key counts under its name as written).
struct Earlier<'r> {
    renamed: &'r [(usize, String)],
    text: &'r str,
    ranges: Vec<Range<usize>>,
}

fn key_start(key: &ObjectKey) -> Option<usize> {
    match key {
        ObjectKey::Ident(i) => i.span().map(|s| s.start),
        ObjectKey::Expression(e) => e.span().map(|s| s.start),
    }
}

fn key_name(key: &ObjectKey) -> Option<&str> {
    match key {
        ObjectKey::Ident(i) => Some(i.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str()),
        ObjectKey::Expression(_) => None,
    }
}

impl Earlier<'_> {
    fn renamed_at(&self, k: &ObjectKey) -> Option<&str> {
        let start = key_start(k)?;
        self.renamed
            .iter()
            .find(|(at, _)| *at == start)
            .map(|(_, name)| name.as_str())
    }

    /// The item's range: its key through its value and the comma that ends it, if one does.
    fn item_range(&self, k: &ObjectKey, v: &ObjectValue) -> Option<Range<usize>> {
        let start = key_start(k)?;
        let mut end = v.expr().span()?.end;
        if v.terminator() == ObjectValueTerminator::Comma {
            let rest = &self.text[end..];
            if let Some(comma) = rest.find(',') {
                if rest[..comma].trim().is_empty() {
                    end += comma + 1;
                }
            }
        }
        Some(start..end)
    }
}

impl Visit for Earlier<'_> {
    fn visit_object(&mut self, node: &Object) {
        if node.iter().any(|(k, _)| self.renamed_at(k).is_some()) {
            let names: Vec<Option<&str>> = node
                .iter()
                .map(|(k, _)| self.renamed_at(k).or_else(|| key_name(k)))
                .collect();
            let earlier: Vec<Range<usize>> = node
                .iter()
                .enumerate()
                .filter(|(i, _)| names[*i].is_some_and(|n| names[i + 1..].contains(&Some(n))))
                .filter_map(|(_, (k, v))| self.item_range(k, v))
                .collect();
            self.ranges.extend(earlier);
        }
        visit::visit_object(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcl_edit::structure::Attribute;

    /// The object assigned to `x`, as (key, value text) pairs.
    fn items(text: &str) -> Vec<(String, String)> {
        let body = parse_body(text).unwrap_or_else(|e| panic!("{e}"));
        let a: &Attribute = body.get_attribute("x").expect("x");
        let Expression::Object(o) = &a.value else {
            panic!("not an object")
        };
        o.iter()
            .map(|(k, v)| {
                let span = v.expr().span().unwrap();
                (
                    key_name(k).unwrap().to_string(),
                    text[span].trim().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn the_last_of_repeated_keys_is_kept_and_offsets_stay() {
        let text = "x = {\n  a = 1\n  b = var.b\n  a = { c = 2 }\n}\n";
        assert_eq!(
            items(text),
            [
                ("b".into(), "var.b".into()),
                ("a".into(), "{ c = 2 }".into())
            ]
        );
        // Commas, quoted keys, a key repeated three times, and an object inside another.
        let text = "x = { \"a\" = 1, b = 2, a = 3, b = { b = 4, b = 5 }, b = 6 }\n";
        assert_eq!(
            items(text),
            [("a".into(), "3".into()), ("b".into(), "6".into())]
        );
        let text = "y = 1\nx = {\n  k = [\n    1,\n  ]\n  k = \"é\"\n}\nz = 2\n";
        let body = parse_body(text).unwrap();
        assert_eq!(items(text), [("k".into(), "\"é\"".into())]);
        let z = body.get_attribute("z").unwrap();
        assert_eq!(&text[z.value.span().unwrap()], "2");
    }

    /// The value of the `for` object assigned to `x`, as written.
    fn for_value(text: &str) -> String {
        let body = parse_body(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let a: &Attribute = body.get_attribute("x").expect("x");
        let Expression::ForExpr(f) = &a.value else {
            panic!("not a for expression")
        };
        text[f.value_expr.span().unwrap()].to_string()
    }

    #[test]
    fn line_breaks_inside_for_objects_are_read_as_terraform_reads_them() {
        let cases = [
            // An operator ends the line.
            (
                "x = {\n  for k in v :\n  k =>\n  a &&\n  b\n}\n",
                "a &&\n  b",
            ),
            (
                "x = {\n  for k in v : k => a ||\n    b ||\n    c\n}\n",
                "a ||\n    b ||\n    c",
            ),
            (
                "x = {\n  for k in v : k => a ?\n  1 :\n  2\n}\n",
                "a ?\n  1 :\n  2",
            ),
            // An operator starts the line.
            ("x = {\n  for k in v : k => a\n  && b\n}\n", "a\n  && b"),
            // Comments between the lines, one after a string holding `#`.
            (
                "x = {\n  for k in v : k => \"#\" == a && # why\n  b // and\n  && c\n}\n",
                "\"#\" == a && # why\n  b // and\n  && c",
            ),
            // CRLF line ends.
            (
                "x = {\r\n  for k in v : k => a &&\r\n  b\r\n}\r\n",
                "a &&\r\n  b",
            ),
        ];
        for (text, value) in cases {
            assert!(hcl_edit::parser::parse_body(text).is_err(), "{text}");
            assert_eq!(for_value(text), value, "{text}");
        }
        // A line break that an operator does not continue is an error still.
        assert!(parse_body("x = {\n  for k in v : k =>\n}\ny = 1\n").is_err());
        assert!(parse_body("x = 1 +\n\ny =\n").is_err());
        // A block comment between the lines is left alone.
        assert!(parse_body("x = {\n  for k in v : k => a && /* c\n */\n  b\n}\n").is_err());
    }

    #[test]
    fn another_error_behind_repeated_keys_is_the_one_named() {
        let text = "x = { a = 1, a = 2 }\ny = {\n";
        let e = parse_body(text).unwrap_err();
        assert!(!repeats_a_key(&e), "{e}");
        assert_eq!(e.location().line(), 2, "{e}");
        // A repeated attribute of a body is an error in Terraform too.
        assert!(parse_body("a = 1\na = 2\n").is_err());
    }
}
