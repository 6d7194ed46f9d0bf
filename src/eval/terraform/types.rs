//! Variable type constraints: the part of Terraform's conversion of a value to a variable's
//! declared `type` that rules can see. An object type fills each `optional(T, default)`
//! attribute the value leaves out with its default (converted to `T`), or with `null` when it
//! has none, and drops the attributes it does not declare; lists, sets, maps and tuples convert
//! their elements. A module that copies `each.value.source_port_ranges` from an object whose
//! callers leave that attribute out reads `null` there, as Terraform does, not an attribute
//! that does not exist.
//!
//! Primitive conversions (`"22"` for a `number`) are left out: the rules read a port or a flag
//! written either way. A type expression this module does not understand converts nothing.
//!
//! [`Ty::refusal`] tells where a value given to a root module cannot be converted at all (a
//! word for a `number`, an object without a required attribute): Terraform refuses it.

use super::expr::Env;
use super::module::Module;
use crate::ir::{Member, Node, Span, Value};
use hcl_edit::expr::{Expression, ObjectKey};

/// A type constraint, as far as conversion changes what rules read.
#[derive(Debug)]
pub(super) enum Ty<'e> {
    /// `any`, or an expression that is not a type: the value as it is.
    Any,
    String,
    Number,
    Bool,
    /// `list(T)` or `set(T)`.
    List(Box<Ty<'e>>),
    /// `map(T)`.
    Map(Box<Ty<'e>>),
    Object(Vec<Attr<'e>>),
    Tuple(Vec<Ty<'e>>),
}

/// An attribute of an object type.
#[derive(Debug)]
pub(super) struct Attr<'e> {
    name: String,
    /// The attribute's name in the type expression: where a default it fills in is declared.
    key: &'e ObjectKey,
    ty: Ty<'e>,
    /// `optional(…)`: the expression, and its default when it has one.
    optional: Option<(&'e Expression, Option<&'e Expression>)>,
}

/// Type constraints nest at most this deep; deeper ones convert nothing.
const MAX_DEPTH: usize = 32;

impl<'e> Ty<'e> {
    /// The type an expression of a `type` argument stands for.
    pub(super) fn of(e: &'e Expression) -> Ty<'e> {
        Ty::parse(e, 0)
    }

    fn parse(e: &'e Expression, depth: usize) -> Ty<'e> {
        if depth > MAX_DEPTH {
            return Ty::Any;
        }
        let f = match e {
            Expression::FuncCall(f) => f,
            Expression::Variable(v) => {
                return match v.as_str() {
                    "string" => Ty::String,
                    "number" => Ty::Number,
                    "bool" => Ty::Bool,
                    // `list` alone is `list(any)`.
                    "list" | "set" => Ty::List(Box::new(Ty::Any)),
                    "map" => Ty::Map(Box::new(Ty::Any)),
                    _ => Ty::Any,
                };
            }
            _ => return Ty::Any,
        };
        if f.name.is_namespaced() {
            return Ty::Any;
        }
        let args: Vec<&Expression> = f.args.iter().collect();
        match (f.name.name.as_str(), args.as_slice()) {
            ("list" | "set", [t]) => Ty::List(Box::new(Ty::parse(t, depth + 1))),
            ("map", [t]) => Ty::Map(Box::new(Ty::parse(t, depth + 1))),
            ("tuple", [Expression::Array(items)]) => {
                Ty::Tuple(items.iter().map(|t| Ty::parse(t, depth + 1)).collect())
            }
            ("object", [Expression::Object(o)]) => {
                let mut attrs = Vec::with_capacity(o.len());
                for (key, value) in o.iter() {
                    let name = match key {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                        ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
                        // Not a type Terraform accepts: convert nothing.
                        ObjectKey::Expression(_) => return Ty::Any,
                    };
                    let (ty, optional) = match value.expr() {
                        Expression::FuncCall(o)
                            if !o.name.is_namespaced() && o.name.name.as_str() == "optional" =>
                        {
                            let args: Vec<&Expression> = o.args.iter().collect();
                            match args.as_slice() {
                                [t] => (Ty::parse(t, depth + 1), Some((value.expr(), None))),
                                [t, d] => (Ty::parse(t, depth + 1), Some((value.expr(), Some(*d)))),
                                _ => return Ty::Any,
                            }
                        }
                        t => (Ty::parse(t, depth + 1), None),
                    };
                    attrs.push(Attr {
                        name,
                        key,
                        ty,
                        optional,
                    });
                }
                Ty::Object(attrs)
            }
            _ => Ty::Any,
        }
    }

    /// Where and why Terraform refuses to convert `node` to this type, as far as the known parts
    /// of the value tell: the path inside the value (`[0].priority`, empty for the value
    /// itself), what is wrong there (`is not a number`) and the refused part's span. Unknown
    /// parts and `null` are never refused; neither is an attribute the type does not declare
    /// (conversion drops it), nor a tuple of another length.
    pub(super) fn refusal(&self, node: &Node) -> Option<(String, String, Span)> {
        let mut path = String::new();
        let (what, span) = self.refuses(node, &mut path, 0)?;
        Some((path, what, span))
    }

    fn refuses(&self, node: &Node, path: &mut String, depth: usize) -> Option<(String, Span)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let want = |s: &str| Some((format!("is not {s}"), node.span));
        match (self, &node.value) {
            (_, Value::Null | Value::Unknown(_)) | (Ty::Any, _) => None,
            (Ty::String, Value::String(_) | Value::Number(_) | Value::Bool(_)) => None,
            (Ty::String, _) => want("a string"),
            (Ty::Number, Value::Number(_)) => None,
            (Ty::Number, Value::String(s)) if number_of(s).is_some() => None,
            (Ty::Number, _) => want("a number"),
            (Ty::Bool, Value::Bool(_)) => None,
            (Ty::Bool, Value::String(s)) if bool_of(s).is_some() => None,
            (Ty::Bool, _) => want("a bool"),
            (Ty::List(t), Value::Array(items)) => items
                .iter()
                .enumerate()
                .find_map(|(i, n)| within(path, format!("[{i}]"), |p| t.refuses(n, p, depth + 1))),
            (Ty::List(_), _) => want("a list"),
            (Ty::Tuple(ts), Value::Array(items)) => {
                items.iter().zip(ts).enumerate().find_map(|(i, (n, t))| {
                    within(path, format!("[{i}]"), |p| t.refuses(n, p, depth + 1))
                })
            }
            (Ty::Tuple(_), _) => want("a tuple"),
            (Ty::Map(t), Value::Object(members)) => members.iter().find_map(|m| {
                let key = format!("[{:?}]", m.key.as_ref());
                within(path, key, |p| t.refuses(&m.value, p, depth + 1))
            }),
            (Ty::Map(_), _) => want("a map"),
            (Ty::Object(attrs), Value::Object(members)) => attrs.iter().find_map(|a| {
                let Some(m) = members.iter().find(|m| m.key == a.name.as_str()) else {
                    return match a.optional {
                        Some(_) => None,
                        None => Some((
                            format!("has no attribute `{}`, which the type requires", a.name),
                            node.span,
                        )),
                    };
                };
                let key = format!(".{}", a.name);
                within(path, key, |p| a.ty.refuses(&m.value, p, depth + 1))
            }),
            (Ty::Object(_), _) => want("an object"),
        }
    }

    /// Does converting to this type change anything rules read?
    fn converts(&self) -> bool {
        match self {
            Ty::Any | Ty::String | Ty::Number | Ty::Bool => false,
            Ty::List(t) | Ty::Map(t) => t.converts(),
            Ty::Object(_) => true,
            Ty::Tuple(ts) => ts.iter().any(Ty::converts),
        }
    }
}

/// `f` on `path` with `segment` appended; the segment stays when `f` finds a refusal there.
fn within<T>(
    path: &mut String,
    segment: String,
    f: impl FnOnce(&mut String) -> Option<T>,
) -> Option<T> {
    let len = path.len();
    path.push_str(&segment);
    let found = f(path);
    if found.is_none() {
        path.truncate(len);
    }
    found
}

/// The number a string stands for, as Terraform converts it.
pub(super) fn number_of(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

/// The bool a string stands for: Terraform converts these strings, and no others, to a bool.
pub(super) fn bool_of(s: &str) -> Option<bool> {
    match s {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

impl<'s> Module<'s> {
    /// `node` converted to `ty`, the defaults of `optional` attributes evaluated in `env` (the
    /// variable declaration's file). A value that does not have the type's shape (Unknown,
    /// `null`, a string for an object) is left as it is: Terraform would reject what it can
    /// tell is wrong, and what it cannot tell is unknown.
    pub(super) fn conform(&self, node: Node, ty: &Ty, env: &Env) -> Node {
        if !ty.converts() {
            return node;
        }
        let Node { value, span } = node;
        let value = match (ty, value) {
            (Ty::List(t), Value::Array(items)) => {
                Value::Array(items.into_iter().map(|n| self.conform(n, t, env)).collect())
            }
            (Ty::Tuple(ts), Value::Array(items)) if ts.len() == items.len() => Value::Array(
                items
                    .into_iter()
                    .zip(ts)
                    .map(|(n, t)| self.conform(n, t, env))
                    .collect(),
            ),
            (Ty::Map(t), Value::Object(members)) => Value::Object(
                members
                    .into_iter()
                    .map(|m| Member {
                        value: self.conform(m.value, t, env),
                        ..m
                    })
                    .collect(),
            ),
            (Ty::Object(attrs), Value::Object(mut members)) => {
                // Terraform matches attribute names exactly.
                let mut out = Vec::with_capacity(attrs.len());
                for a in attrs {
                    match members.iter().position(|m| m.key == a.name.as_str()) {
                        Some(i) => {
                            let m = members.swap_remove(i);
                            let value = match (&m.value.value, a.optional) {
                                // A null given for an optional attribute with a default takes
                                // the default.
                                (Value::Null, Some((_, Some(d)))) => self.default(d, &a.ty, env),
                                _ => self.conform(m.value, &a.ty, env),
                            };
                            out.push(Member { value, ..m });
                        }
                        None => {
                            let Some((call, default)) = a.optional else {
                                // A required attribute left out: Terraform rejects the value.
                                // What the value does hold is kept for the rules to read.
                                continue;
                            };
                            let value = match default {
                                Some(d) => self.default(d, &a.ty, env),
                                None => Node::new(Value::Null, env.span_of(call)),
                            };
                            out.push(Member {
                                key: a.name.clone().into(),
                                key_span: env.span_of(a.key),
                                value,
                                written: None,
                            });
                        }
                    }
                }
                // The attributes left are not in the type, and conversion drops them. `out` is
                // in the type's order: Terraform iterates an object's attributes by name anyway.
                Value::Object(out)
            }
            (_, value) => value,
        };
        Node { value, span }
    }

    /// The default of an `optional` attribute, converted to the attribute's type.
    fn default(&self, d: &Expression, ty: &Ty, env: &Env) -> Node {
        let n = self.ev(d, env);
        self.conform(n, ty, env)
    }
}
