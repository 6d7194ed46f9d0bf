//! A resource in ARM shape as JSONPath sees it: the resource's body with its own `name` (the last
//! segment of the name, as every syntax writes it) and its `type`, each value remembering where
//! it is written, queried with `jsonpath-rust`.
//!
//! Member names are matched case-insensitively, as Azure matches property names, and string
//! values compare case-insensitively in filters, as Azure compares enum-like values. A value the
//! analyzer cannot know is a [`Kind::Unknown`] that stands for any value: a member below it is
//! itself, so a path through it selects it; a filter or function that has to read it (its text,
//! number, elements) marks the query [`Query::run`] as uncertain, since the values the filter let
//! through could be others.

use crate::ir::{Member, Node, Resource, Span, Value};
use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::query::queryable::Queryable;
use std::borrow::Cow;
use std::cell::Cell;

thread_local! {
    /// Set when a query reads an unknown value in a way that decides what it selects.
    static READ_UNKNOWN: Cell<bool> = const { Cell::new(false) };
}

fn read_unknown() {
    READ_UNKNOWN.with(|c| c.set(true));
}

/// A value of the resource object.
#[derive(Debug, Clone, Default)]
pub struct Doc<'r> {
    pub kind: Kind<'r>,
    /// Where a finding about this value points: a member from its name to its value (a block
    /// at its opening line), an array element at itself. `None` for values a query made.
    pub at: Option<Span>,
    /// The value as the template writes it, for quoting.
    pub node: Option<&'r Node>,
    /// For the resource object: how its syntax writes it, whose defaults are the values a
    /// property its template leaves out takes when it is deployed (the provider's).
    pub spelling: Option<&'static dyn crate::ir::spelling::Spelling>,
}

impl std::fmt::Debug for dyn crate::ir::spelling::Spelling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.written_type().unwrap_or("ARM"))
    }
}

#[derive(Debug, Clone, Default)]
pub enum Kind<'r> {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(Cow<'r, str>),
    Array(Vec<Doc<'r>>),
    Object(Vec<(Cow<'r, str>, Doc<'r>)>),
    Unknown,
    /// A resource id whose text is not known whole (its subscription, maybe its resource
    /// group) but whose resource is: a reference to a resource's `id`, `resourceId(…)`.
    Id(Box<Id>),
}

/// An id known but for some segments, written twice with different text in them: an operator
/// whose result is the same for both decides it, another is unknown.
#[derive(Debug, Clone)]
pub struct Id {
    pub one: String,
    pub other: String,
    /// As messages show it, `…` for what is not known.
    pub shown: String,
}

/// Resolves an unknown value to the resource id it stands for, when it stands for one.
pub type Ids<'a> = &'a dyn Fn(&Node) -> Option<crate::graph::refs::NamedId>;

impl<'r> Doc<'r> {
    /// The resource object: its body, with `name` its own name and `type` its ARM type.
    pub fn of(r: &'r Resource, ids: Ids) -> Doc<'r> {
        let mut members: Vec<(Cow<'r, str>, Doc<'r>)> = Vec::new();
        let name = match r.name_segments.last() {
            Some(Some(n)) => Kind::String(Cow::Borrowed(n.as_str())),
            _ => Kind::Unknown,
        };
        let written_name = r.body.member("name");
        members.push((
            Cow::Borrowed("name"),
            Doc {
                kind: name,
                at: Some(written_name.map_or(r.name_span, Member::location)),
                node: written_name.map(|m| &m.value),
                spelling: None,
            },
        ));
        members.push((
            Cow::Borrowed("type"),
            Doc {
                kind: Kind::String(Cow::Borrowed(r.rtype.as_str())),
                at: Some(r.header),
                node: None,
                spelling: None,
            },
        ));
        for m in r.body.members() {
            if m.key.eq_ignore_ascii_case("name") || m.key.eq_ignore_ascii_case("type") {
                continue;
            }
            members.push((Cow::Borrowed(&m.key), Doc::member(m, ids)));
        }
        Doc {
            kind: Kind::Object(members),
            at: Some(r.header),
            node: Some(&r.body),
            spelling: Some(r.spelling()),
        }
    }

    /// An element a resource declares inline (a virtual network's subnet), as the child
    /// resource of type `rtype` Azure makes of it: its `name` and `type`, then its members.
    pub fn element(el: &'r Node, rtype: &str, ids: Ids) -> Doc<'r> {
        let mut members: Vec<(Cow<'r, str>, Doc<'r>)> = Vec::new();
        members.push((
            Cow::Borrowed("type"),
            Doc {
                kind: Kind::String(Cow::Owned(rtype.to_string())),
                at: Some(el.span),
                node: None,
                spelling: None,
            },
        ));
        for m in el.members() {
            if m.key.eq_ignore_ascii_case("type") {
                continue;
            }
            members.push((Cow::Borrowed(&m.key), Doc::member(m, ids)));
        }
        Doc {
            kind: Kind::Object(members),
            at: Some(el.span),
            node: Some(el),
            spelling: None,
        }
    }

    /// Sets `properties.<property>` to `{ "id": value }` where the resource does not set it: what
    /// an association resource (`value`, its member naming the associated resource) does.
    pub fn join(&mut self, property: &'r str, value: &'r Member, ids: Ids) {
        let Kind::Object(members) = &mut self.kind else {
            return;
        };
        let at = value.location();
        let props = match members
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("properties"))
        {
            Some((_, p)) => p,
            None => {
                members.push((Cow::Borrowed("properties"), Kind::Object(Vec::new()).into()));
                &mut members.last_mut().expect("just pushed").1
            }
        };
        let Kind::Object(props) = &mut props.kind else {
            return;
        };
        if props
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(property) && !v.is_null())
        {
            return;
        }
        props.retain(|(k, _)| !k.eq_ignore_ascii_case(property));
        let id = Doc {
            at: Some(at),
            ..Doc::node(&value.value, ids)
        };
        props.push((
            Cow::Borrowed(property),
            Doc {
                kind: Kind::Object(vec![(Cow::Borrowed("id"), id)]),
                at: Some(at),
                node: None,
                spelling: None,
            },
        ));
    }

    fn member(m: &'r Member, ids: Ids) -> Doc<'r> {
        Doc {
            at: Some(m.location()),
            ..Doc::node(&m.value, ids)
        }
    }

    fn node(n: &'r Node, ids: Ids) -> Doc<'r> {
        let kind = match &n.value {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(x) => Kind::Number(*x),
            Value::String(s) => Kind::String(Cow::Borrowed(s)),
            Value::Array(items) => Kind::Array(items.iter().map(|n| Doc::node(n, ids)).collect()),
            Value::Object(members) => Kind::Object(
                members
                    .iter()
                    .map(|m| (Cow::Borrowed(&*m.key), Doc::member(m, ids)))
                    .collect(),
            ),
            Value::Unknown(_) => match ids(n) {
                Some(id) => Kind::Id(Box::new(Id {
                    one: id.text("00000000-0000-0000-0000-000000000000", "rg"),
                    other: id.text("ffffffff-ffff-ffff-ffff-ffffffffffff", "RG-_.(9)"),
                    shown: id.text("…", "…"),
                })),
                None => Kind::Unknown,
            },
        };
        Doc {
            kind,
            at: Some(n.span),
            node: Some(n),
            spelling: None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// The value as JSON, `None` when it holds an unknown value.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Kind::String(s) => serde_json::Value::String(s.to_string()),
            Kind::Array(items) => {
                serde_json::Value::Array(items.iter().map(Doc::to_json).collect::<Option<_>>()?)
            }
            Kind::Object(members) => {
                let mut o = serde_json::Map::new();
                for (k, v) in members {
                    o.insert(k.to_string(), v.to_json()?);
                }
                serde_json::Value::Object(o)
            }
            Kind::Unknown | Kind::Id(_) => return None,
        })
    }
}

/// A compiled JSONPath query.
#[derive(Debug, Clone)]
pub struct Query {
    /// As the rule file writes it.
    pub text: String,
    parsed: JpQuery,
    /// Only names and indexes: it selects at most one value, and its absence is the absence of
    /// a property.
    pub singular: bool,
    /// The member names of a singular query below `$`, for a fix that sets the property.
    pub names: Option<Vec<String>>,
}

/// What a query selected.
pub struct Selection<'q, 'r> {
    /// The values selected, `null` ones left out (a property set to `null` is absent).
    pub values: Vec<&'q Doc<'r>>,
    /// A filter or function read an unknown value: the selection could be another.
    pub uncertain: bool,
    /// More values than [`MAX_SELECTED`]: not checked.
    pub too_many: bool,
}

/// The most values one query may select on one resource.
pub const MAX_SELECTED: usize = 10_000;

impl Query {
    pub fn new(text: String, parsed: JpQuery) -> Query {
        use jsonpath_rust::parser::model::{Segment, Selector};
        let mut names = Some(Vec::new());
        let mut singular = true;
        for s in &parsed.segments {
            match s {
                Segment::Selector(Selector::Name(n)) => {
                    if let Some(v) = names.as_mut() {
                        v.push(n.clone())
                    }
                }
                Segment::Selector(Selector::Index(_)) => names = None,
                _ => {
                    singular = false;
                    names = None;
                }
            }
        }
        Query {
            text,
            parsed,
            singular,
            names: names.filter(|n| !n.is_empty()),
        }
    }

    /// The values the query selects in `doc`.
    pub fn run<'q, 'r>(&self, doc: &'q Doc<'r>) -> Selection<'q, 'r> {
        READ_UNKNOWN.with(|c| c.set(false));
        let found = jsonpath_rust::query::js_path_process(&self.parsed, doc).unwrap_or_default();
        let uncertain = READ_UNKNOWN.with(|c| c.replace(false));
        let too_many = found.len() > MAX_SELECTED;
        let values = if too_many {
            Vec::new()
        } else {
            found
                .into_iter()
                .map(|q| q.val())
                .filter(|d| !d.is_null())
                .collect()
        };
        Selection {
            values,
            uncertain,
            too_many,
        }
    }
}

/// `a == b` as Azure compares values: strings without regard to case, numbers by value, objects
/// by their members' names without regard to case; `None` when either holds an unknown value.
pub fn same(a: &Doc, b: &Doc) -> Option<bool> {
    Some(match (&a.kind, &b.kind) {
        (Kind::Unknown | Kind::Id(_), _) | (_, Kind::Unknown | Kind::Id(_)) => return None,
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Number(x), Kind::Number(y)) => x == y,
        (Kind::String(x), Kind::String(y)) => x.eq_ignore_ascii_case(y),
        // A number written as a string (`"priority": "100"`) is that number.
        (Kind::Number(x), Kind::String(s)) | (Kind::String(s), Kind::Number(x)) => {
            s.trim().parse::<f64>().ok() == Some(*x)
        }
        (Kind::Array(x), Kind::Array(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for (a, b) in x.iter().zip(y) {
                all &= same(a, b)?;
            }
            all
        }
        (Kind::Object(x), Kind::Object(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for (k, v) in x {
                match y.iter().find(|(k2, _)| k2.eq_ignore_ascii_case(k)) {
                    Some((_, w)) => all &= same(v, w)?,
                    None => return Some(false),
                }
            }
            all
        }
        _ => false,
    })
}

impl PartialEq for Doc<'_> {
    fn eq(&self, other: &Self) -> bool {
        same(self, other).unwrap_or_else(|| {
            read_unknown();
            false
        })
    }
}

impl From<&str> for Doc<'_> {
    fn from(s: &str) -> Self {
        Kind::String(Cow::Owned(s.to_string())).into()
    }
}
impl From<String> for Doc<'_> {
    fn from(s: String) -> Self {
        Kind::String(Cow::Owned(s)).into()
    }
}
impl From<bool> for Doc<'_> {
    fn from(b: bool) -> Self {
        Kind::Bool(b).into()
    }
}
impl From<i64> for Doc<'_> {
    fn from(x: i64) -> Self {
        Kind::Number(x as f64).into()
    }
}
impl From<f64> for Doc<'_> {
    fn from(x: f64) -> Self {
        Kind::Number(x).into()
    }
}
impl<'r> From<Vec<Doc<'r>>> for Doc<'r> {
    fn from(items: Vec<Doc<'r>>) -> Self {
        Kind::Array(items).into()
    }
}
impl<'r> From<Kind<'r>> for Doc<'r> {
    fn from(kind: Kind<'r>) -> Self {
        Doc {
            kind,
            at: None,
            node: None,
            spelling: None,
        }
    }
}

impl<'r> Queryable for Doc<'r> {
    fn get(&self, key: &str) -> Option<&Self> {
        match &self.kind {
            Kind::Object(members) => members
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            // An unknown object may have the member; the member is as unknown.
            Kind::Unknown => Some(self),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&Vec<Self>> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            Kind::Unknown => {
                read_unknown();
                None
            }
            _ => None,
        }
    }

    fn as_object(&self) -> Option<Vec<(&str, &Self)>> {
        match &self.kind {
            Kind::Object(members) => Some(members.iter().map(|(k, v)| (&**k, v)).collect()),
            Kind::Unknown => {
                read_unknown();
                None
            }
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            Kind::Unknown | Kind::Id(_) => {
                read_unknown();
                None
            }
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match &self.kind {
            Kind::Number(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Some(*x as i64),
            Kind::String(s) => s.trim().parse().ok(),
            Kind::Unknown => {
                read_unknown();
                None
            }
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(x) => Some(*x),
            Kind::String(s) => s.trim().parse().ok().filter(|x: &f64| x.is_finite()),
            Kind::Unknown => {
                read_unknown();
                None
            }
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::Unknown => {
                read_unknown();
                None
            }
            _ => None,
        }
    }

    fn null() -> Self {
        Doc::default()
    }
}
