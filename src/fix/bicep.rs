//! Text edits of Bicep: values replaced where they are written (in Bicep's literal syntax),
//! properties added after the last property of an object (indented like it, `key: value`),
//! elements added to arrays, properties removed with their line (as in Terraform, by
//! [`super::hcl::remove_member`]).

use serde_json::{Map, Value as Json};

use super::{indentation, newline, range};
use crate::findings::TextEdit;
use crate::ir::{Node, Span};

/// The value of a Bicep literal: null, a boolean, a number, a string without interpolation, or
/// an array or object of them; `None` for anything else.
pub fn literal_value(s: &str) -> Option<Json> {
    let source = format!("var v = {}\n", s.trim());
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&crate::frontend::bicep::language())
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
                    "escape_sequence" => {
                        out.push_str(&crate::frontend::bicep::unescape(&src[part.byte_range()])?)
                    }
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

/// How Bicep writes members: `key: value`.
pub const STYLE: super::objects::Style = super::objects::Style {
    key,
    literal,
    assign: ": ",
    align: false,
    within: "",
};

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
