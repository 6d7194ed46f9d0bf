//! Conditions of custom rules and their three-valued evaluation on one resource.
//!
//! A leaf condition selects values with a JSONPath query and tests each with one operator; `each`
//! says whether all of them (the default) or any must pass. A value the analyzer cannot know
//! makes its test Unknown, and a query whose selection depended on one (a filter that read it) is
//! Unknown as a whole, so that an unknown value never becomes a finding.
//!
//! Absence. Nothing selected by a query of names and indexes (`$.identity.type`) is an absent
//! property: `exists = false`, `not_equals` and `not_in` hold, the other operators do not, unless
//! the condition gives a `default`, which is then tested in its place. Nothing selected by a query
//! with wildcards, slices, filters or descendants is an empty selection: all of nothing passes,
//! any of nothing does not. A property set to `null` is absent. An array value is tested element
//! by element, except by `exists` and by `equals`/`not_equals` with an array operand.

use super::doc::{same, Doc, Kind, Query};
use crate::tri::Tri;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub enum Cond {
    Leaf(Box<Leaf>),
    AnyOf(Vec<Cond>),
    AllOf(Vec<Cond>),
    Not(Box<Cond>),
}

#[derive(Debug, Clone)]
pub struct Leaf {
    pub query: Query,
    pub op: Op,
    pub each: Each,
    /// Tested in place of an absent property.
    pub default: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Each {
    All,
    Any,
}

#[derive(Debug, Clone)]
pub enum Op {
    Exists(bool),
    Equals(serde_json::Value),
    NotEquals(serde_json::Value),
    In(Vec<serde_json::Value>),
    NotIn(Vec<serde_json::Value>),
    Matches(regex::Regex),
    LessThan(f64),
    GreaterThan(f64),
    CidrWithin(Vec<ipnet::IpNet>),
}

impl Op {
    /// Does the operator hold of an absent property?
    fn of_absent(&self) -> bool {
        matches!(self, Op::Exists(false) | Op::NotEquals(_) | Op::NotIn(_))
    }

    /// Is an array value compared whole rather than element by element?
    fn whole(&self) -> bool {
        match self {
            Op::Exists(_) => true,
            Op::Equals(v) | Op::NotEquals(v) => v.is_array(),
            _ => false,
        }
    }

    /// What the operator requires, for messages: "be one of `A`, `B`".
    /// `shown` writes a value as the resource's syntax does.
    pub fn requirement(&self, shown: &dyn Fn(&serde_json::Value) -> String) -> String {
        let list = |vs: &[serde_json::Value]| {
            vs.iter()
                .map(|v| format!("`{}`", shown(v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Op::Exists(true) => "be set".into(),
            Op::Exists(false) => "not be set".into(),
            Op::Equals(v) => format!("be `{}`", shown(v)),
            Op::NotEquals(v) => format!("not be `{}`", shown(v)),
            Op::In(vs) => format!("be one of {}", list(vs)),
            Op::NotIn(vs) => format!("be none of {}", list(vs)),
            Op::Matches(re) => format!("match `{}`", re.as_str()),
            Op::LessThan(n) => format!("be less than {n}"),
            Op::GreaterThan(n) => format!("be greater than {n}"),
            Op::CidrWithin(nets) => format!(
                "be within {}",
                nets.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The test of one known value.
    fn test(&self, d: &Doc) -> Tri {
        if d.is_unknown() {
            return Tri::Unknown;
        }
        if let Kind::Id(id) = &d.kind {
            if let Op::Exists(want) = self {
                return Tri::from_bool(*want);
            }
            // Decided when the unknown segments make no difference.
            let one = self.test(&Doc::from(id.one.as_str()));
            let other = self.test(&Doc::from(id.other.as_str()));
            return if one == other { one } else { Tri::Unknown };
        }
        match self {
            Op::Exists(want) => Tri::from_bool(*want),
            Op::Equals(v) => equal(d, v),
            Op::NotEquals(v) => equal(d, v).negate(),
            Op::In(vs) => Tri::any(vs.iter().map(|v| equal(d, v))),
            Op::NotIn(vs) => Tri::any(vs.iter().map(|v| equal(d, v))).negate(),
            Op::Matches(re) => match scalar_text(d) {
                Some(t) => Tri::from_bool(re.is_match(&t)),
                None => Tri::No,
            },
            Op::LessThan(n) => number(d).map_or(Tri::No, |x| Tri::from_bool(x < *n)),
            Op::GreaterThan(n) => number(d).map_or(Tri::No, |x| Tri::from_bool(x > *n)),
            Op::CidrWithin(nets) => within(d, nets),
        }
    }
}

/// A JSON value as messages show it: strings without quotes.
pub fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A scalar's text: a string as it is, a number or boolean as JSON writes it.
pub fn scalar_text(d: &Doc) -> Option<String> {
    match &d.kind {
        Kind::Id(id) => Some(id.shown.clone()),
        Kind::String(s) => Some(s.to_string()),
        Kind::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => Some((*x as i64).to_string()),
        Kind::Number(x) => Some(x.to_string()),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(d: &Doc) -> Option<f64> {
    match &d.kind {
        Kind::Number(x) => Some(*x),
        Kind::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn from_json(v: &serde_json::Value) -> Doc<'static> {
    match v {
        serde_json::Value::Null => Kind::Null.into(),
        serde_json::Value::Bool(b) => (*b).into(),
        serde_json::Value::Number(n) => n.as_f64().unwrap_or(f64::NAN).into(),
        serde_json::Value::String(s) => s.as_str().into(),
        serde_json::Value::Array(a) => Kind::Array(a.iter().map(from_json).collect()).into(),
        serde_json::Value::Object(o) => Kind::Object(
            o.iter()
                .map(|(k, v)| (Cow::Owned(k.clone()), from_json(v)))
                .collect(),
        )
        .into(),
    }
}

/// Equality as Azure compares values ([`same`]), where a number or boolean also equals the
/// string that writes it (a port written `"22"` is port 22).
fn equal(d: &Doc, v: &serde_json::Value) -> Tri {
    match (&d.kind, v) {
        (Kind::String(s), serde_json::Value::Number(n)) => {
            return Tri::from_bool(s.trim().parse::<f64>().ok() == n.as_f64())
        }
        (Kind::Number(x), serde_json::Value::String(s)) => {
            return Tri::from_bool(s.trim().parse::<f64>().ok() == Some(*x))
        }
        (Kind::String(s), serde_json::Value::Bool(b)) => {
            return Tri::from_bool(s.eq_ignore_ascii_case(&b.to_string()))
        }
        (Kind::Bool(b), serde_json::Value::String(s)) => {
            return Tri::from_bool(s.eq_ignore_ascii_case(&b.to_string()))
        }
        _ => {}
    }
    match same(d, &from_json(v)) {
        Some(b) => Tri::from_bool(b),
        None => Tri::Unknown,
    }
}

/// Is an address prefix within one of `nets`? Addresses that stand for everywhere (`*`,
/// `Internet`, `Any`) are not; another service tag (`VirtualNetwork`) cannot be told.
fn within(d: &Doc, nets: &[ipnet::IpNet]) -> Tri {
    let Kind::String(s) = &d.kind else {
        return Tri::No;
    };
    let s = s.trim();
    if s == "*" || s.eq_ignore_ascii_case("internet") || s.eq_ignore_ascii_case("any") {
        return Tri::No;
    }
    let net = match s.parse::<ipnet::IpNet>() {
        Ok(n) => n.trunc(),
        Err(_) => match s.parse::<std::net::IpAddr>() {
            Ok(a) => ipnet::IpNet::from(a),
            Err(_) => return Tri::Unknown,
        },
    };
    Tri::from_bool(nets.iter().any(|n| n.contains(&net)))
}

/// What decided a condition.
#[derive(Debug, Clone)]
pub struct Outcome<'c, 'q, 'r> {
    pub tri: Tri,
    /// The values that decided it: for a failing condition, those that failed; none when the
    /// property is absent.
    pub values: Vec<&'q Doc<'r>>,
    /// The leaf whose test decided it, and whether a `not` above it turned its result.
    pub leaf: Option<&'c Leaf>,
    pub negated: bool,
    /// A query selected more values than it may: the condition was not checked.
    pub too_many: Option<&'c Query>,
    /// The default was tested in place of an absent property.
    pub defaulted: bool,
}

impl<'c, 'q, 'r> Outcome<'c, 'q, 'r> {
    fn unknown() -> Self {
        Outcome {
            tri: Tri::Unknown,
            values: Vec::new(),
            leaf: None,
            negated: false,
            too_many: None,
            defaulted: false,
        }
    }
}

impl Cond {
    /// The condition on the resource object `doc`.
    pub fn eval<'c, 'q, 'r>(&'c self, doc: &'q Doc<'r>) -> Outcome<'c, 'q, 'r> {
        match self {
            Cond::Leaf(leaf) => leaf.eval(doc),
            Cond::Not(c) => {
                let mut o = c.eval(doc);
                o.tri = o.tri.negate();
                o.negated = !o.negated;
                o
            }
            Cond::AllOf(cs) => decide(cs, doc, Tri::No),
            Cond::AnyOf(cs) => decide(cs, doc, Tri::Yes),
        }
    }
}

/// `all_of` (`decisive` No) or `any_of` (`decisive` Yes): the first condition with the decisive
/// result decides; else the first unknown one; else the first, whose result is the other.
fn decide<'c, 'q, 'r>(cs: &'c [Cond], doc: &'q Doc<'r>, decisive: Tri) -> Outcome<'c, 'q, 'r> {
    let mut first = None;
    let mut unknown = None;
    for c in cs {
        let o = c.eval(doc);
        if o.tri == decisive {
            return o;
        }
        if o.tri == Tri::Unknown {
            unknown = unknown.or(Some(o));
        } else {
            first = first.or(Some(o));
        }
    }
    unknown.or(first).unwrap_or_else(|| Outcome {
        tri: decisive.negate(),
        ..Outcome::unknown()
    })
}

impl Leaf {
    /// The values to test: an array value's elements, unless the operator compares it whole.
    fn expand<'q, 'r>(&self, values: Vec<&'q Doc<'r>>) -> Vec<&'q Doc<'r>> {
        let mut tested = Vec::new();
        for d in values {
            match &d.kind {
                Kind::Array(items) if !self.op.whole() => tested.extend(items.iter()),
                _ => tested.push(d),
            }
        }
        tested
    }

    /// The tests of `values` combined as `each` says.
    fn combine(&self, values: &[&Doc]) -> Tri {
        let results = values.iter().map(|d| self.op.test(d));
        match self.each {
            Each::All => Tri::all(results),
            Each::Any => Tri::any(results),
        }
    }

    fn eval<'c, 'q, 'r>(&'c self, doc: &'q Doc<'r>) -> Outcome<'c, 'q, 'r> {
        let sel = self.query.run(doc);
        let mut out = Outcome {
            leaf: Some(self),
            ..Outcome::unknown()
        };
        if sel.too_many {
            out.too_many = Some(&self.query);
            return out;
        }
        if sel.uncertain {
            return out;
        }
        if sel.values.is_empty() {
            // What the resource's syntax sends when the template leaves the property out (an
            // azurerm provider default) is the value Azure gets; else the rule's own default.
            let provider = doc.spelling.and_then(|sp| {
                let names = self.query.names.as_ref()?;
                let keys: Vec<&str> = names.iter().map(String::as_str).collect();
                sp.default_value(&keys)
            });
            out.tri = if let Some(d) = provider.as_ref().or(self.default.as_ref()) {
                out.defaulted = true;
                let d = from_json(d);
                self.combine(&self.expand(vec![&d]))
            } else if self.query.singular || matches!(self.op, Op::Exists(_)) {
                Tri::from_bool(self.op.of_absent())
            } else {
                Tri::from_bool(self.each == Each::All)
            };
            return out;
        }
        if let Op::Exists(want) = self.op {
            // Present if any value is known to be; an unknown value may be null.
            let known: Vec<&Doc> = sel
                .values
                .iter()
                .copied()
                .filter(|d| !d.is_unknown())
                .collect();
            let present = if !known.is_empty() {
                Tri::Yes
            } else {
                Tri::Unknown
            };
            out.tri = if want { present } else { present.negate() };
            out.values = known;
            return out;
        }
        let tested = self.expand(sel.values);
        let results: Vec<Tri> = tested.iter().map(|d| self.op.test(d)).collect();
        match self.each {
            Each::All => {
                out.tri = Tri::all(results.iter().copied());
                out.values = match out.tri {
                    Tri::No => tested
                        .iter()
                        .zip(&results)
                        .filter(|(_, t)| **t == Tri::No)
                        .map(|(d, _)| *d)
                        .collect(),
                    _ => tested,
                };
            }
            Each::Any => {
                out.tri = Tri::any(results.iter().copied());
                out.values = match out.tri {
                    Tri::Yes => tested
                        .iter()
                        .zip(&results)
                        .filter(|(_, t)| **t == Tri::Yes)
                        .map(|(d, _)| *d)
                        .collect(),
                    _ => tested,
                };
            }
        }
        out
    }
}
