//! Evaluated Terraform values as the evaluator and the functions read them: errors (an Unknown
//! that `try` and `can` recognise), Terraform's conversions between primitives, deep equality
//! with Unknowns, the iteration order of objects, and JSON.

use crate::ir::{Member, Node, Reference, Span, Unknown, Value};

/// Prefix of the reason of an Unknown that stands for an evaluation error.
pub const ERROR: &str = "error: ";

pub fn unknown(reason: impl Into<String>, span: Span) -> Node {
    Node::unknown(reason, span)
}

pub fn error(reason: impl std::fmt::Display, span: Span) -> Node {
    Node::unknown(format!("{ERROR}{reason}"), span)
}

pub fn is_error(n: &Node) -> bool {
    matches!(&n.value, Value::Unknown(u) if u.reason.starts_with(ERROR))
}

/// True when no Unknown appears anywhere in the value.
pub fn wholly_known(n: &Node) -> bool {
    match &n.value {
        Value::Unknown(_) => false,
        Value::Array(a) => a.iter().all(wholly_known),
        Value::Object(m) => m.iter().all(|m| wholly_known(&m.value)),
        _ => true,
    }
}

/// The first Unknown inside a value (to pass its reason on).
pub fn first_unknown(n: &Node) -> Option<&Node> {
    match &n.value {
        Value::Unknown(_) => Some(n),
        Value::Array(a) => a.iter().find_map(first_unknown),
        Value::Object(m) => m.iter().find_map(|m| first_unknown(&m.value)),
        _ => None,
    }
}

/// A part of a string that interpolation or `format()` builds: text, or a value that is not known.
pub enum Piece {
    Text(String),
    Unknown(Node),
}

/// Joins the parts of a string built by interpolation or `format()`: the string when every part
/// is known. Otherwise an id built from another resource's `id` and `/`-separated segments
/// (`"${azurerm_virtual_network.v.id}/subnets/${each.key}"`) is an Unknown that keeps the
/// reference and the segments, a segment that is not wholly known being `None`, so that the graph
/// can link it (D38); anything else is the first part that is not known.
pub fn join_pieces(mut pieces: Vec<Piece>, span: Span) -> Node {
    pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
    let Some(first) = pieces.iter().position(|p| matches!(p, Piece::Unknown(_))) else {
        let text = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Unknown(_) => String::new(),
            })
            .collect();
        return Node::new(Value::String(text), span);
    };
    if let Some(n) = built_id(&pieces, span) {
        return n;
    }
    let Piece::Unknown(mut n) = pieces.into_iter().nth(first).expect("an unknown part") else {
        unreachable!("the part found above")
    };
    n.span = span;
    n
}

/// The id of D38, when the parts are one: another resource's `id`, then `/segment`s.
fn built_id(pieces: &[Piece], span: Span) -> Option<Node> {
    let (Piece::Unknown(base), rest) = pieces.split_first()? else {
        return None;
    };
    let Value::Unknown(unknown) = &base.value else {
        return None;
    };
    let Unknown {
        reason,
        reference: Some(Reference::Terraform { address, attribute }),
    } = unknown.as_ref()
    else {
        return None;
    };
    if attribute.len() != 1 || attribute[0] != "id" || rest.is_empty() {
        return None;
    }
    // The text after the base split on `/`; a segment with an unknown part is `None`.
    let mut segments: Vec<Option<String>> = Vec::new();
    let mut current = Some(String::new());
    for p in rest {
        match p {
            Piece::Text(t) => {
                for (i, part) in t.split('/').enumerate() {
                    if i > 0 {
                        segments.push(current.take());
                        current = Some(String::new());
                    }
                    if let Some(c) = current.as_mut() {
                        c.push_str(part);
                    }
                }
            }
            Piece::Unknown(_) => current = None,
        }
    }
    segments.push(current);
    // It must continue the base id with `/`, and no segment may be empty.
    if segments.first() != Some(&Some(String::new())) {
        return None;
    }
    segments.remove(0);
    if segments.is_empty() || segments.iter().any(|s| s.as_deref() == Some("")) {
        return None;
    }
    Some(Node::new(
        Value::Unknown(
            Unknown {
                reason: reason.clone(),
                reference: Some(Reference::BuiltId {
                    address: address.clone(),
                    segments,
                }),
            }
            .into(),
        ),
        span,
    ))
}

/// Terraform's number-to-string conversion: integers without a fraction.
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A primitive as a string, as interpolation and `tostring` convert it.
pub fn as_string(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.clone()),
        Value::Number(x) => Some(fmt_num(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn as_number(n: &Node) -> Option<f64> {
    match &n.value {
        Value::Number(x) => Some(*x),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn as_index(n: &Node) -> Option<i64> {
    as_number(n)
        .filter(|x| x.fract() == 0.0 && x.abs() < 1e15)
        .map(|x| x as i64)
}

/// Deep equality of two values, ignoring spans; `None` when an Unknown makes it undecidable.
pub fn equal(a: &Node, b: &Node) -> Option<bool> {
    match (&a.value, &b.value) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
        (Value::Null, Value::Null) => Some(true),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::String(x), Value::String(y)) => Some(x == y),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    _ => {}
                }
            }
            all
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for m in x {
                let Some(o) = y.iter().find(|o| o.key == m.key) else {
                    return Some(false);
                };
                match equal(&m.value, &o.value) {
                    Some(false) => return Some(false),
                    None => all = None,
                    _ => {}
                }
            }
            all
        }
        _ => Some(false),
    }
}

/// Object members in Terraform's iteration order (lexical by key).
pub fn sorted_members(m: &[Member]) -> Vec<&Member> {
    let mut v: Vec<&Member> = m.iter().collect();
    v.sort_by(|a, b| a.key.cmp(&b.key));
    v
}

/// An object member whose key has the span of its value.
pub fn member(key: String, value: Node, span: Span) -> Member {
    Member {
        key: key.into(),
        key_span: span,
        value,
        written: None,
    }
}

/// A value as JSON (objects with their keys sorted); `None` when it holds an Unknown or nests
/// deeper than 128.
pub fn to_json(n: &Node, depth: usize) -> Option<serde_json::Value> {
    if depth > 128 {
        return None;
    }
    Some(match &n.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(x) => {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                serde_json::Value::from(*x as i64)
            } else {
                serde_json::Number::from_f64(*x).map(serde_json::Value::Number)?
            }
        }
        Value::String(x) => serde_json::Value::String(x.clone()),
        Value::Array(a) => serde_json::Value::Array(
            a.iter()
                .map(|i| to_json(i, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Value::Object(m) => {
            let mut o = serde_json::Map::new();
            for x in sorted_members(m) {
                o.insert(x.key.to_string(), to_json(&x.value, depth + 1)?);
            }
            serde_json::Value::Object(o)
        }
        Value::Unknown(_) => return None,
    })
}

/// A JSON value as IR, every node with `span`.
pub fn from_json(j: &serde_json::Value, span: Span) -> Node {
    let v = match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(x) => match x.as_f64() {
            Some(f) => Value::Number(f),
            None => return unknown("number out of range", span),
        },
        serde_json::Value::String(x) => Value::String(x.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(|i| from_json(i, span)).collect()),
        serde_json::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| member(k.clone(), from_json(v, span), span))
                .collect(),
        ),
    };
    Node::new(v, span)
}
