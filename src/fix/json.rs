//! Text edits of ARM JSON: values replaced where they are written, members added after the last
//! member of an object (indented like it, with the file's line endings), members removed with
//! their comma.

use serde_json::{Map, Value as Json};

use super::{group_missing, indentation, line_start, newline, range, Why};
use crate::findings::TextEdit;
use crate::ir::{Node, Span, Value};

/// Is `s` a JSON literal — no template expression (`"[…]"`) anywhere in it?
pub fn is_literal(s: &str) -> bool {
    fn plain(v: &Json) -> bool {
        match v {
            Json::String(s) => !s.starts_with('[') || s.starts_with("[["),
            Json::Array(a) => a.iter().all(plain),
            Json::Object(o) => o.values().all(plain),
            _ => true,
        }
    }
    serde_json::from_str::<Json>(s.trim()).is_ok_and(|v| plain(&v))
}

/// The value of a JSON literal.
pub fn literal_value(s: &str) -> Option<Json> {
    serde_json::from_str(s.trim()).ok()
}

/// `v` written as JSON, on one line.
pub fn literal(v: &Json) -> String {
    v.to_string()
}

/// Removes the member at `index` of `parent`, with the comma that separates it from its
/// neighbour.
pub fn remove_member(text: &str, parent: &Node, index: usize) -> Result<TextEdit, String> {
    let Value::Object(members) = &parent.value else {
        return Err("the value to remove is not in an object".into());
    };
    let m = &members[index];
    let next = members
        .iter()
        .filter(|x| x.key_span.start > m.key_span.start)
        .min_by_key(|x| x.key_span.start);
    let previous = members
        .iter()
        .filter(|x| x.key_span.start < m.key_span.start)
        .max_by_key(|x| x.key_span.start);
    let (start, end) = match (next, previous) {
        // `"a": 1, "b": 2` → `"b": 2`, keeping the indentation of the line.
        (Some(n), _) => (m.key_span.start, n.key_span.start),
        // `"a": 1, "b": 2` → `"a": 1`
        (None, Some(p)) => (p.value.span.end, m.value.span.end),
        (None, None) => {
            // The only member: its whole line when it stands alone on it.
            let from = line_start(text, m.key_span.start);
            if text[from..m.key_span.start].trim().is_empty() {
                (
                    from.saturating_sub(1).max(parent.span.start + 1),
                    m.value.span.end,
                )
            } else {
                (m.key_span.start, m.value.span.end)
            }
        }
    };
    Ok(TextEdit {
        span: Span::new(parent.span.file, start, end),
        text: String::new(),
        uses: Vec::new(),
        used_at: None,
    })
}

/// A JSON file's text as IR nodes with spans, to edit a file the front-end did not read as an
/// ARM template (Terraform's JSON syntax); `None` when it does not parse.
pub fn tree(text: &str, file: crate::source::FileId) -> Option<Node> {
    let root = crate::frontend::arm::parse_json(text).ok()??;
    Some(crate::frontend::arm::lower_value(&root, file))
}

/// The object written for a block whose span (from its name key through its object) is `block`:
/// the value of the member whose key starts there, or the element of that member's array that
/// ends where the block does.
pub fn block_object(tree: &Node, block: Span) -> Option<&Node> {
    let mut stack = vec![tree];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Object(members) => {
                for m in members {
                    if m.key_span.start == block.start {
                        return match &m.value.value {
                            Value::Object(_) => Some(&m.value),
                            Value::Array(items) => items.iter().find(|e| e.span.end == block.end),
                            _ => None,
                        };
                    }
                    stack.push(&m.value);
                }
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    None
}

/// The object and index of the member whose key is written at `key`.
pub fn member_at(tree: &Node, key: Span) -> Option<(&Node, usize)> {
    let mut stack = vec![tree];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Object(members) => {
                if let Some(i) = members.iter().position(|m| m.key_span.start == key.start) {
                    return Some((n, i));
                }
                stack.extend(members.iter().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    None
}

/// Adds the missing properties (ARM keys and values), merged under the deepest object of each
/// that exists: one insertion per object. `unit` is the file's indentation step.
pub fn insert(
    text: &str,
    body: &Node,
    missing: &[(Vec<&str>, Json)],
    unit: &str,
) -> Result<Vec<TextEdit>, String> {
    let groups = group_missing(text, body, missing, false).map_err(|(keys, no)| match no.why {
        Why::Computed => format!(
            "`{}` is written as an expression; change it where it is defined",
            keys[..=no.depth.min(keys.len() - 1)].join(".")
        ),
        Why::Element => "the list element to change does not exist".into(),
        Why::NotObject(object) => super::computed(text, object),
    })?;
    Ok(groups
        .into_iter()
        .map(|(object, tree)| add_members(text, object, &tree, unit))
        .collect())
}

/// The members of `tree` added to the object written at `object.span`.
fn add_members(text: &str, object: &Node, tree: &Map<String, Json>, unit: &str) -> TextEdit {
    let nl = newline(text, object.span.start);
    let file = object.span.file;
    let written = &text[range(object.span, text)];
    let open = object.span.start + written.find('{').unwrap_or(0);
    let outer = indentation(text, open).to_string();
    let members = match &object.value {
        Value::Object(m) => m.as_slice(),
        _ => &[],
    };
    let last = members.iter().max_by_key(|m| m.key_span.start);
    let insertion = |at: usize, s: String| TextEdit {
        span: Span::new(file, at, at),
        text: s,
        uses: Vec::new(),
        used_at: None,
    };
    match last {
        Some(m) if text[open..m.key_span.start].contains('\n') => {
            let indent = indentation(text, m.key_span.start).to_string();
            let unit = indent
                .strip_prefix(outer.as_str())
                .filter(|u| !u.is_empty())
                .unwrap_or("  ")
                .to_string();
            let s: String = tree
                .iter()
                .map(|(k, v)| {
                    format!(
                        ",{nl}{indent}{}: {}",
                        literal(&k.as_str().into()),
                        pretty(v, &indent, &unit, nl)
                    )
                })
                .collect();
            insertion(m.value.span.end, s)
        }
        // An object on one line stays on one line.
        Some(m) => {
            let s: String = tree
                .iter()
                .map(|(k, v)| format!(", {}: {}", literal(&k.as_str().into()), literal(v)))
                .collect();
            insertion(m.value.span.end, s)
        }
        None => {
            let indent = format!("{outer}{unit}");
            let inner: Vec<String> = tree
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{indent}{}: {}",
                        literal(&k.as_str().into()),
                        pretty(v, &indent, unit, nl)
                    )
                })
                .collect();
            // Everything between the braces is replaced (it is blank: the object is empty).
            let close = object.span.end.saturating_sub(1).max(open + 1);
            TextEdit {
                span: Span::new(file, open + 1, close),
                text: format!("{nl}{}{nl}{outer}", inner.join(&format!(",{nl}"))),
                uses: Vec::new(),
                used_at: None,
            }
        }
    }
}

/// A value written over several lines the way the file indents: objects open a line per
/// member; lists and scalars stay on one line.
fn pretty(v: &Json, indent: &str, unit: &str, nl: &str) -> String {
    match v {
        Json::Object(m) if !m.is_empty() => {
            let inner = format!("{indent}{unit}");
            let members: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{inner}{}: {}",
                        literal(&k.as_str().into()),
                        pretty(v, &inner, unit, nl)
                    )
                })
                .collect();
            format!("{{{nl}{}{nl}{indent}}}", members.join(&format!(",{nl}")))
        }
        other => literal(other),
    }
}

/// The file's indentation step: the smallest indentation of an indented line, two spaces when
/// none is.
pub(super) fn unit_of(text: &str) -> String {
    text.lines()
        .map(|l| {
            let n = l.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
            &l[..n]
        })
        .filter(|i| !i.is_empty())
        .min_by_key(|i| i.len())
        .unwrap_or("  ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_hold_no_expressions() {
        assert!(is_literal("\"Disabled\""));
        assert!(is_literal("[\"AAD\", \"[[x]\"]"));
        assert!(is_literal("true"));
        assert!(!is_literal("\"[parameters('x')]\""));
        assert!(!is_literal("{\"a\": \"[variables('v')]\"}"));
        assert!(!is_literal("not json"));
    }

    #[test]
    fn the_indentation_step_is_the_smallest_one() {
        assert_eq!(
            unit_of("{\n    \"a\": {\n        \"b\": 1\n    }\n}"),
            "    "
        );
        assert_eq!(unit_of("{\n\t\"a\": 1\n}"), "\t");
        assert_eq!(unit_of("{}"), "  ");
    }
}
