//! Members added to objects that are written one member per line: azapi bodies (HCL objects,
//! `key = value` aligned on `=` as `terraform fmt` aligns them) and Bicep objects
//! (`key: value`). The missing properties are merged under the deepest object of each that
//! exists ([`super::group_missing`]): one insertion per object, after its last member and
//! indented like it.

use serde_json::{Map, Value as Json};

use super::{group_missing, indentation, line_start, newline, range};
use crate::findings::TextEdit;
use crate::ir::{Node, Span, Value};

/// How a syntax writes a member.
pub struct Style {
    pub key: fn(&str) -> String,
    pub literal: fn(&Json) -> String,
    /// Between key and value: ` = ` or `: `.
    pub assign: &'static str,
    /// Keys padded so that the `assign`s line up (HCL).
    pub align: bool,
    /// Where the objects are, for the error when one is not written as an object.
    pub within: &'static str,
}

/// Adds the missing properties (ARM keys) below `body`. `body_opens`: the resource's own
/// object starts at the first `{` of its text (a Bicep `resource … = {`), so that a property of
/// the resource itself (`identity`) goes there.
pub fn insert(
    text: &str,
    body: &Node,
    missing: &[(Vec<&str>, Json)],
    style: &Style,
    body_opens: bool,
) -> Result<Vec<TextEdit>, String> {
    let groups = group_missing(text, body, missing, body_opens).map_err(|(keys, no)| {
        let at = keys[..no.depth.min(keys.len())].join(".");
        if at.is_empty() {
            format!(
                "`{}` would be a property of the resource itself, which a fix does not add here; change it by hand",
                keys.join(".")
            )
        } else {
            format!(
                "`{at}` is not written as an object{}; change it by hand",
                style.within
            )
        }
    })?;
    Ok(groups
        .into_iter()
        .map(|(object, tree)| add_to_object(text, object, &tree, style))
        .collect())
}

fn add_to_object(text: &str, object: &Node, tree: &Map<String, Json>, style: &Style) -> TextEdit {
    let nl = newline(text, object.span.start);
    let file = object.span.file;
    let open = object.span.start + text[range(object.span, text)].find('{').unwrap_or(0);
    let outer = indentation(text, open).to_string();
    let members = match &object.value {
        Value::Object(m) => m.as_slice(),
        _ => &[],
    };
    let insertion = |at: usize, s: String| TextEdit {
        span: Span::new(file, at, at),
        text: s,
        uses: Vec::new(),
        used_at: None,
    };
    let (key, assign) = (style.key, style.assign);
    // The members written between the braces: a Bicep resource's object also holds what its
    // declaration writes before them (`type` and `apiVersion`, from the type string).
    let written = members
        .iter()
        .filter(|m| open < m.key_span.start && m.value.span.end <= object.span.end);
    match written.max_by_key(|m| m.key_span.start) {
        Some(m) if text[open..m.key_span.start].contains('\n') => {
            let indent = indentation(text, m.key_span.start).to_string();
            let unit = unit(&indent, &outer);
            // Aligned on the `=` of the element above, as `terraform fmt` aligns them.
            let equals = style
                .align
                .then(|| {
                    text[m.key_span.start..m.value.span.start.max(m.key_span.start)]
                        .find('=')
                        .map(|i| m.key_span.start + i - line_start(text, m.key_span.start))
                })
                .flatten();
            let s: String = tree
                .iter()
                .map(|(k, v)| {
                    let k = key(k);
                    let width = equals
                        .map(|col| col.saturating_sub(indent.len() + 1))
                        .filter(|w| *w >= k.len())
                        .unwrap_or(k.len());
                    format!(
                        "{nl}{indent}{k:<width$}{assign}{}",
                        pretty(v, &indent, &unit, nl, style)
                    )
                })
                .collect();
            insertion(m.value.span.end, s)
        }
        Some(m) => {
            let s: String = tree
                .iter()
                .map(|(k, v)| format!(", {}{assign}{}", key(k), (style.literal)(v)))
                .collect();
            insertion(m.value.span.end, s)
        }
        None => {
            let indent = format!("{outer}  ");
            let inner: String = tree
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{nl}{indent}{}{assign}{}",
                        key(k),
                        pretty(v, &indent, "  ", nl, style)
                    )
                })
                .collect();
            let close = object.span.end.saturating_sub(1).max(open + 1);
            TextEdit {
                span: Span::new(file, open + 1, close),
                text: format!("{inner}{nl}{outer}"),
                uses: Vec::new(),
                used_at: None,
            }
        }
    }
}

/// The indentation step: what `indent` adds to `outer`, two spaces when nothing.
pub fn unit(indent: &str, outer: &str) -> String {
    indent
        .strip_prefix(outer)
        .filter(|u| !u.is_empty())
        .unwrap_or("  ")
        .to_string()
}

/// An object over several lines, one member per line; anything else on one line.
fn pretty(v: &Json, indent: &str, unit: &str, nl: &str, style: &Style) -> String {
    match v {
        Json::Object(m) if !m.is_empty() => {
            let inner = format!("{indent}{unit}");
            let width = if style.align {
                m.keys().map(|k| (style.key)(k).len()).max().unwrap_or(0)
            } else {
                0
            };
            let members: String = m
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{nl}{inner}{:<width$}{}{}",
                        (style.key)(k),
                        style.assign,
                        pretty(v, &inner, unit, nl, style)
                    )
                })
                .collect();
            format!("{{{members}{nl}{indent}}}")
        }
        other => (style.literal)(other),
    }
}
