//! Text edits of Bicep: values replaced where they are written (in Bicep's literal syntax),
//! properties added after the last property of an object (indented like it, `key: value`),
//! elements added to arrays, properties removed with their line (as in Terraform, by
//! [`super::hcl::remove_member`]).

use serde_json::{Map, Value as Json};

use super::{group_missing, indentation, newline, range};
use crate::findings::TextEdit;
use crate::ir::{Node, Span, Value};

/// The value of a Bicep literal: null, a boolean, a number, a string without interpolation, or
/// an array or object of them; `None` for anything else.
pub fn literal_value(s: &str) -> Option<Json> {
    let source = format!("var v = {}\n", s.trim());
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_bicep::LANGUAGE.into())
        .ok()?;
    let tree = parser.parse(&source, None)?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let decl = root.named_child(0)?;
    let mut c = decl.walk();
    let value = decl.named_children(&mut c).last()?;
    to_json(value, &source, 0)
}

fn to_json(n: tree_sitter::Node, src: &str, depth: usize) -> Option<Json> {
    if depth > 64 {
        return None;
    }
    let text = &src[n.byte_range()];
    let mut c = n.walk();
    let named: Vec<tree_sitter::Node> = n
        .named_children(&mut c)
        .filter(|c| c.kind() != "comment")
        .collect();
    Some(match n.kind() {
        "null" => Json::Null,
        "boolean" => Json::Bool(text == "true"),
        "number" => serde_json::Number::from_f64(text.parse().ok()?).map(Json::Number)?,
        "unary_expression" if text.starts_with('-') => {
            serde_json::Number::from_f64(-text[1..].trim().parse::<f64>().ok()?)
                .map(Json::Number)?
        }
        "string" => {
            let mut out = String::new();
            for part in &named {
                match part.kind() {
                    "string_content" => out.push_str(&src[part.byte_range()]),
                    "escape_sequence" => out.push_str(match &src[part.byte_range()] {
                        "\\'" => "'",
                        "\\\\" => "\\",
                        "\\n" => "\n",
                        "\\r" => "\r",
                        "\\t" => "\t",
                        "\\$" => "$",
                        _ => return None,
                    }),
                    _ => return None,
                }
            }
            Json::String(out)
        }
        "array" => Json::Array(
            named
                .iter()
                .map(|e| to_json(*e, src, depth + 1))
                .collect::<Option<_>>()?,
        ),
        "object" => {
            let mut m = Map::new();
            for p in &named {
                let mut pc = p.walk();
                let parts: Vec<tree_sitter::Node> = p.named_children(&mut pc).collect();
                let key = match parts.first()?.kind() {
                    "string" => match to_json(*parts.first()?, src, depth + 1)? {
                        Json::String(s) => s,
                        _ => return None,
                    },
                    _ => src[parts.first()?.byte_range()].to_string(),
                };
                m.insert(key, to_json(*parts.get(1)?, src, depth + 1)?);
            }
            Json::Object(m)
        }
        _ => return None,
    })
}

pub fn is_literal(s: &str) -> bool {
    literal_value(s).is_some()
}

/// `v` written as a Bicep literal, on one line.
pub fn literal(v: &Json) -> String {
    match v {
        Json::String(s) => format!(
            "'{}'",
            s.replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace("${", "\\${")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
                .replace('\t', "\\t")
        ),
        Json::Array(a) => format!("[{}]", a.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Json::Object(o) if o.is_empty() => "{}".into(),
        Json::Object(o) => format!(
            "{{ {} }}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", key(k), literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// An object key: bare when it is an identifier, quoted otherwise.
fn key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident {
        k.to_string()
    } else {
        literal(&Json::String(k.into()))
    }
}

/// Adds the missing properties (ARM keys) below the deepest object of each that exists: one
/// insertion per object.
pub fn insert_into_objects(
    text: &str,
    body: &Node,
    missing: &[(Vec<&str>, Json)],
) -> Result<Vec<TextEdit>, String> {
    let groups = group_missing(text, body, missing).map_err(|(keys, no)| {
        format!(
            "`{}` is not written as an object; change it by hand",
            keys[..no.depth.min(keys.len())].join(".")
        )
    })?;
    Ok(groups
        .into_iter()
        .map(|(object, tree)| add_to_object(text, object, &tree))
        .collect())
}

fn add_to_object(text: &str, object: &Node, tree: &Map<String, Json>) -> TextEdit {
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
    match members.iter().max_by_key(|m| m.value.span.end) {
        Some(m) if text[open..m.key_span.start].contains('\n') => {
            let indent = indentation(text, m.key_span.start).to_string();
            let unit = indent
                .strip_prefix(outer.as_str())
                .filter(|u| !u.is_empty())
                .unwrap_or("  ")
                .to_string();
            let s: String = tree
                .iter()
                .map(|(k, v)| format!("{nl}{indent}{}: {}", key(k), pretty(v, &indent, &unit, nl)))
                .collect();
            insertion(m.value.span.end, s)
        }
        Some(m) => {
            let s: String = tree
                .iter()
                .map(|(k, v)| format!(", {}: {}", key(k), literal(v)))
                .collect();
            insertion(m.value.span.end, s)
        }
        None => {
            let indent = format!("{outer}  ");
            let inner: String = tree
                .iter()
                .map(|(k, v)| format!("{nl}{indent}{}: {}", key(k), pretty(v, &indent, "  ", nl)))
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

/// An object over several lines, one property per line; anything else on one line.
fn pretty(v: &Json, indent: &str, unit: &str, nl: &str) -> String {
    match v {
        Json::Object(m) if !m.is_empty() => {
            let inner = format!("{indent}{unit}");
            let members: String = m
                .iter()
                .map(|(k, v)| format!("{nl}{inner}{}: {}", key(k), pretty(v, &inner, unit, nl)))
                .collect();
            format!("{{{members}{nl}{indent}}}")
        }
        other => literal(other),
    }
}

/// An element added after the last of a written array: on a line of its own in an array over
/// several lines (as Bicep writes them, without commas), after a comma on one line.
pub fn append_element(text: &str, span: Span, items: &[Node], literal: String) -> TextEdit {
    let at_end = |at: usize, s: String| TextEdit {
        span: Span::new(span.file, at, at),
        text: s,
        uses: Vec::new(),
        used_at: None,
    };
    match items.iter().max_by_key(|n| n.span.end) {
        Some(last) if text[range(span, text)].contains('\n') => {
            let nl = newline(text, last.span.start);
            let indent = indentation(text, last.span.start);
            at_end(last.span.end, format!("{nl}{indent}{literal}"))
        }
        Some(last) => at_end(last.span.end, format!(", {literal}")),
        None => {
            let at = span.start + text[range(span, text)].find('[').unwrap_or(0) + 1;
            at_end(at, literal)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_read_and_write_as_bicep_does() {
        assert_eq!(literal_value("'it\\'s'"), Some(Json::String("it's".into())));
        assert_eq!(
            literal_value("[\n  'SharedKey'\n  'AAD'\n]"),
            Some(serde_json::json!(["SharedKey", "AAD"]))
        );
        assert_eq!(
            literal_value("{ a: 1, 'b-c': true }"),
            Some(serde_json::json!({"a": 1.0, "b-c": true}))
        );
        assert_eq!(literal_value("'x${y}'"), None);
        assert_eq!(literal_value("param1"), None);
        assert_eq!(literal(&serde_json::json!("it's ${x}")), "'it\\'s \\${x}'");
        assert_eq!(literal(&serde_json::json!(["AAD"])), "['AAD']");
        assert_eq!(
            literal(&serde_json::json!({"a-b": false})),
            "{ 'a-b': false }"
        );
    }
}
