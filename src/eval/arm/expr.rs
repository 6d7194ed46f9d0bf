//! The ARM template expression language: parsing of `[...]` expressions, their values
//! ([`EvalValue`]), and evaluation of literals, property access, indexing and calls of the
//! functions in [`super::functions`] (those whose result does not depend on the deployment).
//! Anything else evaluates to Unknown; a partially known string keeps its known parts, so that a
//! resource id built from an unknown subscription still names its provider type and resources
//! (D23), which [`resource_id_of`] reads. Evaluated in a template, each part of a value keeps
//! the place of the smallest expression that produced it and the parameters and variables it
//! came from ([`Located`]), so that a finding on one argument of a long one-line expression
//! points at that argument and names only that argument's origins.

use super::functions;
use crate::ir::armid::ArmId;
use crate::ir::Span;
use std::fmt;
use std::rc::Rc;

/// A parsed expression and where it is written: a byte range of the expression's text (the
/// brackets included), which evaluation turns into a place in the file (`Env::locate`).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: Kind,
    pub at: (usize, usize),
}

/// What an expression is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Str(String),
    Num(f64),
    Call {
        name: String,
        args: Vec<Expr>,
    },
    /// `x.name`
    Prop(Box<Expr>, String),
    /// `x[i]`
    Index(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn new(kind: Kind, start: usize, end: usize) -> Expr {
        Expr {
            kind,
            at: (start, end),
        }
    }
}

impl fmt::Display for Expr {
    /// The expression in canonical form (without the brackets): quotes doubled, no spaces after
    /// commas.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Kind::Num(n) => f.write_str(&num_text(*n)),
            Kind::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            Kind::Prop(e, p) => write!(f, "{e}.{p}"),
            Kind::Index(e, i) => write!(f, "{e}[{i}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the text of an ARM string value that is an expression: `[concat('a', 'b')]`.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or_else(|| ParseError("an expression is written in square brackets".into()))?;
    let mut p = Parser {
        s: inner.as_bytes(),
        i: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(ParseError(format!("unexpected `{}`", &inner[p.i..])));
    }
    Ok(e)
}

/// [`parse`], remembered on each thread: the same expression texts come back again and again
/// (`[parameters('location')]` in every template, a copy loop's body once per instance, and the
/// passes after evaluation read the values it left), and a lookup costs a hash of the text
/// where a parse costs far more. Azure/bicep-registry-modules parses 12 thousand distinct
/// texts 211 thousand times. Parsing is a pure function of the text, so what is remembered
/// changes no result. The memory is bounded: past [`REMEMBERED`] texts or
/// [`REMEMBERED_BYTES`] of them the thread forgets them all, and texts longer than
/// [`REMEMBERED_TEXT`] are parsed each time.
pub fn parsed(text: &str) -> Rc<Result<Expr, ParseError>> {
    /// The texts remembered, and their total length.
    type Remembered = (
        crate::hash::HashMap<Box<str>, Rc<Result<Expr, ParseError>>>,
        usize,
    );
    thread_local! {
        static PARSED: std::cell::RefCell<Remembered> = Default::default();
    }
    if text.len() > REMEMBERED_TEXT {
        return Rc::new(parse(text));
    }
    if let Some(p) = PARSED.with_borrow(|(map, _)| map.get(text).cloned()) {
        return p;
    }
    let p = Rc::new(parse(text));
    PARSED.with_borrow_mut(|(map, bytes)| {
        if map.len() >= REMEMBERED || *bytes + text.len() > REMEMBERED_BYTES {
            map.clear();
            *bytes = 0;
        }
        *bytes += text.len();
        map.insert(text.into(), p.clone());
    });
    p
}

/// How many expression texts a thread remembers at most ([`parsed`]).
const REMEMBERED: usize = 1 << 15;
/// How many bytes of expression text a thread remembers at most.
const REMEMBERED_BYTES: usize = 4 << 20;
/// The longest expression text remembered.
const REMEMBERED_TEXT: usize = 16 << 10;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    /// Skips white space, a non-ASCII one too: a no-break space pasted between two arguments is
    /// white space to Azure Resource Manager (a quickstart template deploys with one).
    fn ws(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            if b.is_ascii_whitespace() {
                self.i += 1;
                continue;
            }
            let len = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => break,
            };
            let c = self
                .s
                .get(self.i..self.i + len)
                .and_then(|c| std::str::from_utf8(c).ok());
            if !c.is_some_and(|c| c.chars().all(char::is_whitespace)) {
                break;
            }
            self.i += len;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expr(&mut self) -> Result<Expr, ParseError> {
        let base = self.depth;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError("expression nested too deeply".into()));
        }
        self.ws();
        let start = self.i;
        let mut e = self.primary()?;
        loop {
            // Each property access or index nests the expression one level deeper.
            if self.peek(b'.') || self.peek(b'[') {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(ParseError("expression nested too deeply".into()));
                }
            }
            if self.eat(b'.') {
                let name = self.ident()?;
                e = self.at(Kind::Prop(Box::new(e), name), start);
            } else if self.eat(b'[') {
                let idx = self.expr()?;
                if !self.eat(b']') {
                    return Err(ParseError("expected `]`".into()));
                }
                e = self.at(Kind::Index(Box::new(e), Box::new(idx)), start);
            } else {
                break;
            }
        }
        self.depth = base;
        Ok(e)
    }
    /// An expression from `start` to here, placed in the text with its brackets.
    fn at(&self, kind: Kind, start: usize) -> Expr {
        Expr::new(kind, start + 1, self.i + 1)
    }
    fn peek(&mut self, c: u8) -> bool {
        self.ws();
        self.s.get(self.i) == Some(&c)
    }
    fn ident(&mut self) -> Result<String, ParseError> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric()
                || self.s[self.i] == b'_'
                || self.s[self.i] == b'$')
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(ParseError("expected a name".into()));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.ws();
        let start = self.i;
        match self.s.get(self.i) {
            Some(b'\'') => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.s.get(self.i) {
                        None => return Err(ParseError("unterminated string".into())),
                        Some(b'\'') if self.s.get(self.i + 1) == Some(&b'\'') => {
                            out.push(b'\'');
                            self.i += 2;
                        }
                        Some(b'\'') => {
                            self.i += 1;
                            break;
                        }
                        Some(&c) => {
                            out.push(c);
                            self.i += 1;
                        }
                    }
                }
                Ok(self.at(Kind::Str(String::from_utf8_lossy(&out).into_owned()), start))
            }
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                let start = self.i;
                self.i += 1;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_digit() || self.s[self.i] == b'.')
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                let n = t
                    .parse()
                    .map_err(|_| ParseError(format!("bad number `{t}`")))?;
                Ok(self.at(Kind::Num(n), start))
            }
            _ => {
                let mut name = self.ident()?;
                // A user-defined function: `namespace.member(...)`.
                if self.s.get(self.i) == Some(&b'.') {
                    self.i += 1;
                    name = format!("{name}.{}", self.ident()?);
                    if !self.eat(b'(') {
                        return Err(ParseError(format!("expected `(` after `{name}`")));
                    }
                    let args = self.arguments()?;
                    return Ok(self.at(Kind::Call { name, args }, start));
                }
                if !self.eat(b'(') {
                    // `true`, `false` and `null` may be written without parentheses.
                    if ["true", "false", "null"]
                        .iter()
                        .any(|k| name.eq_ignore_ascii_case(k))
                    {
                        let name = name.to_ascii_lowercase();
                        return Ok(self.at(
                            Kind::Call {
                                name,
                                args: Vec::new(),
                            },
                            start,
                        ));
                    }
                    return Err(ParseError(format!("expected `(` after `{name}`")));
                }
                let args = self.arguments()?;
                Ok(self.at(Kind::Call { name, args }, start))
            }
        }
    }
    /// A call's arguments, after its `(`, through its `)`.
    fn arguments(&mut self) -> Result<Vec<Expr>, ParseError> {
        let mut args = Vec::new();
        if !self.eat(b')') {
            loop {
                args.push(self.expr()?);
                if self.eat(b')') {
                    break;
                }
                if !self.eat(b',') {
                    return Err(ParseError("expected `,` or `)`".into()));
                }
            }
        }
        Ok(args)
    }
}

/// A piece of a partially known string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Known(String),
    Unknown,
}

/// The value of an expression, as far as it is known.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalValue {
    Null,
    Str(String),
    Num(f64),
    Bool(bool),
    /// A string with unknown parts (e.g. `resourceId` under an unknown subscription).
    Partial(Vec<Part>),
    Array(Vec<EvalValue>),
    /// Members in written order; keys compare case-insensitively.
    Object(Vec<(String, EvalValue)>),
    Unknown,
    /// A value with where it was produced and where it came from ([`Located`]). Only the
    /// evaluator and the functions that pass values on see it: [`eval_in`] and the functions
    /// that compute a value receive values without it ([`EvalValue::plain`]).
    Located(Box<Located>),
}

/// Where a parameter's or variable's value came from, for a related location on findings that
/// use it.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub from: Span,
    pub label: String,
    /// A `securestring` or `secureObject` parameter's value: never quoted.
    pub secret: bool,
}

/// The origins of a value: shared, as many values carry the same.
pub type Origins = Rc<Vec<Origin>>;

/// A value with its place and origins. A place is the smallest expression of the evaluated text
/// that produced the value: a literal argument of `createObject()` keeps its own, a value read
/// from a parameter the `parameters()` call (or the property access) that read it, a computed
/// value the call that computed it. Origins name the parameters and variables the value came
/// from; `Some` of none for a literal, `None` for the origins of the enclosing value.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub value: EvalValue,
    pub at: Option<Span>,
    /// The place was given by an enclosing value (an element of an array read from a
    /// parameter): an expression that selects the value gives it its own.
    pub inherited: bool,
    /// Where the member's key is written, for a member of an object built by `createObject()`.
    pub key_at: Option<Span>,
    pub origins: Option<Origins>,
}

impl EvalValue {
    /// `value` with a place and origins.
    pub fn located(value: EvalValue, at: Option<Span>, origins: Option<Origins>) -> EvalValue {
        match value {
            EvalValue::Located(mut l) => {
                if at.is_some() {
                    l.at = at;
                    l.inherited = false;
                }
                if origins.is_some() {
                    l.origins = origins;
                }
                EvalValue::Located(l)
            }
            value => EvalValue::Located(Box::new(Located {
                value,
                at,
                inherited: false,
                key_at: None,
                origins,
            })),
        }
    }

    /// The value itself, without place and origins at the top.
    pub fn bare(&self) -> &EvalValue {
        match self {
            EvalValue::Located(l) => l.value.bare(),
            v => v,
        }
    }

    /// The value without places and origins anywhere.
    pub fn plain(self) -> EvalValue {
        match self {
            EvalValue::Located(l) => l.value.plain(),
            EvalValue::Array(a) => EvalValue::Array(a.into_iter().map(EvalValue::plain).collect()),
            EvalValue::Object(m) => {
                EvalValue::Object(m.into_iter().map(|(k, v)| (k, v.plain())).collect())
            }
            v => v,
        }
    }

    /// The value without places anywhere, its origins kept: a nested deployment's output read
    /// in the template that deploys it, whose findings stay at the place that reads it while
    /// naming where the value came from.
    pub fn unplaced(self) -> EvalValue {
        match self {
            EvalValue::Located(l) => {
                let value = l.value.unplaced();
                match l.origins {
                    Some(origins) => EvalValue::located(value, None, Some(origins)),
                    None => value,
                }
            }
            EvalValue::Array(a) => {
                EvalValue::Array(a.into_iter().map(EvalValue::unplaced).collect())
            }
            EvalValue::Object(m) => {
                EvalValue::Object(m.into_iter().map(|(k, v)| (k, v.unplaced())).collect())
            }
            v => v,
        }
    }

    /// The value, its place and its origins moved onto its elements or members (those that have
    /// none of their own), for a function that picks or rearranges them.
    pub fn open(&self) -> EvalValue {
        let EvalValue::Located(l) = self else {
            return self.clone();
        };
        let (at, origins) = (l.at, l.origins.clone());
        let down = |v: &EvalValue| -> EvalValue {
            let mut v = match v {
                EvalValue::Located(_) => v.clone(),
                v => EvalValue::located(v.clone(), None, None),
            };
            if let EvalValue::Located(c) = &mut v {
                if c.at.is_none() {
                    c.at = at;
                    c.inherited = true;
                }
                if c.origins.is_none() {
                    c.origins.clone_from(&origins);
                }
            }
            v
        };
        match l.value.bare() {
            EvalValue::Array(a) => EvalValue::Array(a.iter().map(down).collect()),
            EvalValue::Object(m) => {
                EvalValue::Object(m.iter().map(|(k, v)| (k.clone(), down(v))).collect())
            }
            v => v.clone(),
        }
    }

    /// The value, having also come from the values `from` (an index that chose it).
    pub fn also_from(self, from: &[EvalValue]) -> EvalValue {
        let mut extra = Vec::new();
        for f in from {
            f.all_origins(&mut extra);
        }
        match self {
            EvalValue::Located(mut l) if !extra.is_empty() => {
                let mut o: Vec<Origin> = l.origins.as_deref().cloned().unwrap_or_default();
                for x in extra {
                    if !o.contains(&x) {
                        o.push(x);
                    }
                }
                l.origins = Some(Rc::new(o));
                EvalValue::Located(l)
            }
            v => v,
        }
    }

    /// The origins of every part of the value, for a value computed from it.
    pub fn all_origins(&self, out: &mut Vec<Origin>) {
        match self {
            EvalValue::Located(l) => {
                for o in l.origins.iter().flat_map(|o| o.iter()) {
                    if !out.contains(o) {
                        out.push(o.clone());
                    }
                }
                l.value.all_origins(out);
            }
            EvalValue::Array(a) => a.iter().for_each(|v| v.all_origins(out)),
            EvalValue::Object(m) => m.iter().for_each(|(_, v)| v.all_origins(out)),
            _ => {}
        }
    }
}

/// Longest string and array an expression may build; longer results are Unknown. Azure rejects
/// templates far smaller than this, so only a hostile template reaches it.
pub(super) const MAX_STRING: usize = 1 << 20;
pub(super) const MAX_ITEMS: usize = 10_000;

impl EvalValue {
    /// The value as string pieces, for string building; None for values that are not strings.
    pub fn parts(&self) -> Option<Vec<Part>> {
        match self.bare() {
            EvalValue::Str(s) => Some(vec![Part::Known(s.clone())]),
            EvalValue::Num(n) => Some(vec![Part::Known(num_text(*n))]),
            EvalValue::Bool(b) => Some(vec![Part::Known(if *b { "True" } else { "False" }.into())]),
            EvalValue::Partial(p) => Some(p.clone()),
            _ => None,
        }
    }
    pub fn from_parts(parts: Vec<Part>) -> EvalValue {
        let mut merged: Vec<Part> = Vec::new();
        for p in parts {
            match (merged.last_mut(), p) {
                (_, Part::Known(b)) if b.is_empty() => {}
                (Some(Part::Known(a)), Part::Known(b)) => a.push_str(&b),
                (Some(Part::Unknown), Part::Unknown) => {}
                (_, p) => merged.push(p),
            }
        }
        let len: usize = merged
            .iter()
            .map(|p| match p {
                Part::Known(s) => s.len(),
                Part::Unknown => 0,
            })
            .sum();
        if len > MAX_STRING {
            return EvalValue::Unknown;
        }
        match merged.as_slice() {
            [] => EvalValue::Str(String::new()),
            [Part::Known(s)] => EvalValue::Str(s.clone()),
            [Part::Unknown] => EvalValue::Unknown,
            _ => EvalValue::Partial(merged),
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self.bare() {
            EvalValue::Str(s) => Some(s),
            _ => None,
        }
    }
    pub(super) fn as_num(&self) -> Option<f64> {
        match self.bare() {
            EvalValue::Num(n) => Some(*n),
            _ => None,
        }
    }
    /// An integer argument (ARM integers are 64-bit).
    pub(super) fn as_int(&self) -> Option<i64> {
        match self.bare() {
            EvalValue::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        }
    }
    pub fn is_known(&self) -> bool {
        !matches!(self.bare(), EvalValue::Unknown | EvalValue::Partial(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(self.bare(), EvalValue::Null)
    }
    /// Whether the value is known all the way down (no Unknown inside arrays or objects).
    pub fn is_fully_known(&self) -> bool {
        match self.bare() {
            EvalValue::Unknown | EvalValue::Partial(_) => false,
            EvalValue::Array(a) => a.iter().all(EvalValue::is_fully_known),
            EvalValue::Object(m) => m.iter().all(|(_, v)| v.is_fully_known()),
            _ => true,
        }
    }
    /// Member `key` of an object (case-insensitive).
    pub fn member(&self, key: &str) -> Option<&EvalValue> {
        match self.bare() {
            EvalValue::Object(m) => m
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
    /// Number of values inside (1 for a scalar), for the evaluation budget.
    pub fn size(&self) -> usize {
        match self {
            EvalValue::Located(l) => l.value.size(),
            EvalValue::Array(a) => 1 + a.iter().map(EvalValue::size).sum::<usize>(),
            EvalValue::Object(m) => 1 + m.iter().map(|(_, v)| v.size()).sum::<usize>(),
            EvalValue::Str(s) => 1 + s.len() / 64,
            _ => 1,
        }
    }
    /// Three-valued truth of a condition: `true`/`false` or their string forms.
    pub fn truth(&self) -> Option<bool> {
        match self.bare() {
            EvalValue::Bool(b) => Some(*b),
            EvalValue::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            EvalValue::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
    /// Compact JSON text of a fully known value (what `string()` gives for arrays and objects).
    pub(super) fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self.bare() {
            EvalValue::Null => J::Null,
            EvalValue::Str(s) => J::String(s.clone()),
            EvalValue::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => J::from(*n as i64),
            EvalValue::Num(n) => J::from(*n),
            EvalValue::Bool(b) => J::Bool(*b),
            EvalValue::Array(a) => {
                J::Array(a.iter().map(EvalValue::to_json).collect::<Option<_>>()?)
            }
            EvalValue::Object(m) => J::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            EvalValue::Partial(_) | EvalValue::Unknown | EvalValue::Located(_) => return None,
        })
    }
    pub(super) fn from_json(j: &serde_json::Value) -> EvalValue {
        use serde_json::Value as J;
        match j {
            J::Null => EvalValue::Null,
            J::Bool(b) => EvalValue::Bool(*b),
            J::Number(n) => n.as_f64().map_or(EvalValue::Unknown, EvalValue::Num),
            J::String(s) => EvalValue::Str(s.clone()),
            J::Array(a) => EvalValue::Array(a.iter().map(EvalValue::from_json).collect()),
            J::Object(m) => EvalValue::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), EvalValue::from_json(v)))
                    .collect(),
            ),
        }
    }
}

pub(super) fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// What an expression can look up: the template's parameters and variables, the copy loops it
/// is inside, and a budget that keeps a hostile template from taking unbounded time or memory.
pub trait Env {
    /// `parameters('name')`.
    fn parameter(&self, _name: &str) -> EvalValue {
        EvalValue::Unknown
    }
    /// `variables('name')`.
    fn variable(&self, _name: &str) -> EvalValue {
        EvalValue::Unknown
    }
    /// `copyIndex()` (the resource loop) or `copyIndex('name')`, without offset.
    fn copy_index(&self, _name: Option<&str>) -> Option<i64> {
        None
    }
    /// Spends `units` of work; false once the budget is exhausted (everything is Unknown then).
    fn charge(&self, _units: usize) -> bool {
        true
    }
    /// The value of `parameters(name)` or `variables(name)` (`function`), where it is held:
    /// an expression that reads a part of it copies only that part.
    fn shared(&self, _function: &str, _name: &str) -> Option<Rc<EvalValue>> {
        None
    }
    /// The place in the file of a range of the expression being evaluated, when it has one
    /// (the expressions of a resource's properties).
    fn locate(&self, _at: (usize, usize)) -> Option<Span> {
        None
    }
    /// A value would exceed a limit (`what`): it is Unknown, and the limit is reported.
    fn exceeded(&self, _what: &str) {}
    /// `reference()` of the nested deployment named `name` in this template: an object with
    /// its `outputs` (`{"outputs": {NAME: {"value": V}}}`), or Unknown.
    fn deployment(&self, _name: &str) -> EvalValue {
        EvalValue::Unknown
    }
    /// The user-defined function `name` (`namespace.member`, lowercase) of the template: its
    /// parameters' names, in order, and its output's value (an expression or a literal).
    fn user_function(&self, _name: &str) -> Option<Rc<UserFunction>> {
        None
    }
    /// How many user-defined function calls deep the expression being evaluated is.
    fn function_depth(&self) -> usize {
        0
    }
    /// `lambdaVariables('name')`: a variable of the lambdas around the expression.
    fn lambda_variable(&self, _name: &str) -> EvalValue {
        EvalValue::Unknown
    }
    /// The most values ([`EvalValue::size`]) one value may hold: what a variable may (D39).
    fn value_limit(&self) -> usize {
        usize::MAX
    }
}

/// A user-defined function of a template (`functions[].members`).
#[derive(Debug)]
pub struct UserFunction {
    pub parameters: Vec<String>,
    /// The output's value: an expression, or a literal value.
    pub output: Result<Rc<Result<Expr, ParseError>>, EvalValue>,
}

/// How deep user-defined functions call one another (ARM forbids a function to call itself,
/// which a template may do all the same).
const MAX_FUNCTION_DEPTH: usize = 16;

/// Inside a user-defined function: `parameters()` are its arguments; variables, copy loops,
/// `reference()` and the template's parameters are not there (ARM forbids them), and every
/// other user-defined function is the template's.
pub struct FunctionEnv<'a> {
    pub outer: &'a dyn Env,
    pub arguments: Vec<(String, EvalValue)>,
    pub depth: usize,
}

impl Env for FunctionEnv<'_> {
    fn parameter(&self, name: &str) -> EvalValue {
        self.arguments
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map_or(EvalValue::Unknown, |(_, v)| v.clone())
    }
    fn shared(&self, function: &str, name: &str) -> Option<Rc<EvalValue>> {
        match function {
            "parameters" => Some(Rc::new(self.parameter(name))),
            _ => Some(Rc::new(EvalValue::Unknown)),
        }
    }
    fn charge(&self, units: usize) -> bool {
        self.outer.charge(units)
    }
    fn exceeded(&self, what: &str) {
        self.outer.exceeded(what)
    }
    fn user_function(&self, name: &str) -> Option<Rc<UserFunction>> {
        self.outer.user_function(name)
    }
    fn function_depth(&self) -> usize {
        self.depth
    }
    fn value_limit(&self) -> usize {
        self.outer.value_limit()
    }
}

/// The value of a call of the user-defined function `f` on `arguments` (evaluated, with their
/// origins), made from `env` at depth `depth`.
pub fn call_user_function(f: &UserFunction, arguments: Vec<EvalValue>, env: &dyn Env) -> EvalValue {
    let depth = env.function_depth() + 1;
    if depth > MAX_FUNCTION_DEPTH || arguments.len() != f.parameters.len() {
        return EvalValue::Unknown;
    }
    let expr = match &f.output {
        Err(literal) => return literal.clone(),
        Ok(parsed) => match parsed.as_ref() {
            Ok(e) => e,
            Err(_) => return EvalValue::Unknown,
        },
    };
    let inner = FunctionEnv {
        outer: env,
        arguments: f.parameters.iter().cloned().zip(arguments).collect(),
        depth,
    };
    eval_located(expr, &inner)
}

/// No parameters, variables or loops: what is known from the expression alone.
pub struct NoEnv;
impl Env for NoEnv {}

/// Evaluates what can be known without a deployment or template context: `parameters()` and
/// `variables()` are Unknown.
pub fn eval(e: &Expr) -> EvalValue {
    eval_in(e, &NoEnv)
}

/// Evaluates an expression with the template's parameters, variables and copy loops.
pub fn eval_in(e: &Expr, env: &dyn Env) -> EvalValue {
    eval_located(e, env).plain()
}

/// Evaluates an expression, keeping with each part of the value its place and origins
/// ([`Located`]).
pub fn eval_located(e: &Expr, env: &dyn Env) -> EvalValue {
    if !env.charge(1) {
        return EvalValue::Unknown;
    }
    let at = env.locate(e.at);
    match &e.kind {
        Kind::Str(s) => EvalValue::located(EvalValue::Str(s.clone()), at, Some(Rc::default())),
        Kind::Num(n) => EvalValue::located(EvalValue::Num(*n), at, Some(Rc::default())),
        Kind::Prop(..) | Kind::Index(..) if is_held(e) => read_held(e, env, at),
        Kind::Prop(x, name) => {
            let base = eval_located(x, env).open();
            select(base.member(name).cloned(), at)
        }
        Kind::Index(x, i) => {
            let base = eval_located(x, env).open();
            let index = eval_located(i, env);
            let key = index.clone().plain();
            let found = match (&base, &key) {
                (EvalValue::Array(a), EvalValue::Num(_)) => key
                    .as_int()
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| a.get(i).cloned()),
                (EvalValue::Object(_), EvalValue::Str(k)) => base.member(k).cloned(),
                _ => None,
            };
            // The index decides which element the value is: it came from there too.
            select(found, at).also_from(std::slice::from_ref(&index))
        }
        Kind::Call { name, args } => functions::call(&name.to_ascii_lowercase(), args, env, at),
    }
}

/// Whether `e` reads a part of a parameter or variable: `parameters('x').a[0]`.
fn is_held(e: &Expr) -> bool {
    match &e.kind {
        Kind::Prop(x, _) | Kind::Index(x, _) => is_held(x),
        Kind::Call { name, args } => {
            (name.eq_ignore_ascii_case("parameters") || name.eq_ignore_ascii_case("variables"))
                && matches!(
                    args.as_slice(),
                    [Expr {
                        kind: Kind::Str(_),
                        ..
                    }]
                )
        }
        _ => false,
    }
}

/// A part of a parameter or variable (`e` satisfies [`is_held`]), read where the value is held
/// and copied alone; it has the origins of the value around it and of the indexes that chose it.
fn read_held(e: &Expr, env: &dyn Env, at: Option<Span>) -> EvalValue {
    // The accesses, outermost first, down to the call.
    let mut steps = Vec::new();
    let mut root = e;
    while let Kind::Prop(x, _) | Kind::Index(x, _) = &root.kind {
        steps.push(root);
        root = x;
    }
    let Kind::Call { name, args } = &root.kind else {
        return EvalValue::Unknown;
    };
    let [Expr {
        kind: Kind::Str(var),
        ..
    }] = args.as_slice()
    else {
        return EvalValue::Unknown;
    };
    let Some(held) = env.shared(&name.to_ascii_lowercase(), var) else {
        // Without a template (`eval`), nothing is held: evaluate as written.
        return match &e.kind {
            Kind::Prop(x, p) => select(eval_located(x, env).open().member(p).cloned(), at),
            _ => EvalValue::Unknown,
        };
    };
    let mut node: &EvalValue = &held;
    let mut origins: Option<Origins> = None;
    let mut keys = Vec::new();
    for step in steps.iter().rev() {
        if let EvalValue::Located(l) = node {
            if l.origins.is_some() {
                origins.clone_from(&l.origins);
            }
        }
        let base = node.bare();
        let next = match &step.kind {
            Kind::Prop(_, p) => base.member(p),
            Kind::Index(_, i) => {
                let k = eval_located(i, env);
                let found = match (base, k.bare()) {
                    (EvalValue::Array(a), EvalValue::Num(_)) => k
                        .as_int()
                        .and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| a.get(i)),
                    (EvalValue::Object(_), EvalValue::Str(key)) => base.member(key),
                    _ => None,
                };
                keys.push(k);
                found
            }
            _ => None,
        };
        let Some(next) = next else {
            return EvalValue::Unknown;
        };
        node = next;
    }
    if !env.charge(node.size()) {
        return EvalValue::Unknown;
    }
    let mut v = node.clone();
    match &mut v {
        EvalValue::Located(l) => {
            if l.origins.is_none() {
                l.origins = origins;
            }
            l.at = None;
        }
        _ => v = EvalValue::located(v, None, origins),
    }
    select(Some(v), at).also_from(&keys)
}

/// A value selected by a property access, an index or a function that picks a part of a value:
/// placed at the selecting expression unless it has a place of its own.
pub(super) fn select(v: Option<EvalValue>, at: Option<Span>) -> EvalValue {
    match v {
        None => EvalValue::Unknown,
        Some(EvalValue::Located(mut l)) => {
            if l.at.is_none() || l.inherited {
                l.at = at;
                l.inherited = false;
            }
            if matches!(l.value.bare(), EvalValue::Unknown) {
                return EvalValue::Unknown;
            }
            EvalValue::Located(l)
        }
        Some(EvalValue::Unknown) => EvalValue::Unknown,
        Some(v) => EvalValue::located(v, at, None),
    }
}

/// Deep equality of two values; None when either is not known well enough to tell. Strings
/// compare as Azure's `equals` does, case-sensitively.
pub fn equals(a: &EvalValue, b: &EvalValue) -> Option<bool> {
    use EvalValue as V;
    match (a.bare(), b.bare()) {
        (V::Unknown, _) | (_, V::Unknown) | (V::Partial(_), _) | (_, V::Partial(_)) => None,
        (V::Str(x), V::Str(y)) => Some(x == y),
        (V::Num(x), V::Num(y)) => Some(x == y),
        (V::Bool(x), V::Bool(y)) => Some(x == y),
        (V::Null, V::Null) => Some(true),
        (V::Array(x), V::Array(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (V::Object(x), V::Object(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (k, p) in x {
                match b.member(k) {
                    None => return Some(false),
                    Some(q) => match equals(p, q) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    },
                }
            }
            all
        }
        _ => Some(false),
    }
}

/// An expression whose context-free evaluation gives this partially known string, for keeping a
/// partially known value in the IR: the known pieces as literals, the unknown ones as a call to
/// `unknown()`.
pub fn partial_expression(parts: &[Part]) -> String {
    let pieces: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Part::Known(s) => Expr::new(Kind::Str(s.clone()), 0, 0).to_string(),
            Part::Unknown => "unknown()".to_string(),
        })
        .collect();
    format!("[concat({})]", pieces.join(", "))
}

/// Does a partially known string name a resource with every name known (under a subscription
/// or resource group that may not be)?
pub fn names_a_resource(parts: &[Part]) -> bool {
    parse_resource_id(parts).is_some_and(|id| id.names.iter().all(Option::is_some))
}

/// Is `text` an expression that names a resource, or gives a name, by expressions the graph
/// compares as written ([`symbolic_name`]): a parameter or variable (`[variables('vnet')]`), a
/// `resourceId(…)` call, or a child's name after its parent's (`[format('{0}/{1}',
/// parameters('vnet'), 's')]`)?
pub fn names_symbolically(text: &str) -> bool {
    /// Longer texts are not names.
    const LONGEST: usize = 2048;
    if !text.starts_with('[') || text.starts_with("[[") || text.len() > LONGEST {
        return false;
    }
    let root = parsed(text);
    let Ok(e) = root.as_ref().as_ref() else {
        return false;
    };
    match &e.kind {
        Kind::Call { name, args }
            if (name.eq_ignore_ascii_case("parameters")
                || name.eq_ignore_ascii_case("variables"))
                && args.len() == 1
                && matches!(args[0].kind, Kind::Str(_)) =>
        {
            true
        }
        _ => symbolic_resource_id(text).is_some() || parent_name_expression(text).is_some(),
    }
}

/// The variable `text` reads whole (`[variables('subnetId')]`), if it does.
pub fn variable_read(text: &str) -> Option<String> {
    let root = parsed(text);
    let Kind::Call { name, args } = &root.as_ref().as_ref().ok()?.kind else {
        return None;
    };
    match args.as_slice() {
        [Expr {
            kind: Kind::Str(v), ..
        }] if name.eq_ignore_ascii_case("variables") => Some(v.clone()),
        _ => None,
    }
}

/// Reads a resource id from a partially known string ([`ArmId::from_segments`]): a segment with
/// an unknown part is not known. The subscription and resource group may be unknown (D23); a
/// type segment may not.
pub fn parse_resource_id(parts: &[Part]) -> Option<ArmId> {
    // Tokenise into `/`-separated segments, each known text or unknown.
    let mut segs: Vec<Option<String>> = vec![Some(String::new())];
    for p in parts {
        match p {
            Part::Known(t) => {
                for (i, piece) in t.split('/').enumerate() {
                    if i > 0 {
                        segs.push(Some(String::new()));
                    }
                    if let Some(Some(last)) = segs.last_mut() {
                        last.push_str(piece);
                    }
                }
            }
            Part::Unknown => {
                if let Some(last) = segs.last_mut() {
                    *last = None;
                }
            }
        }
    }
    ArmId::from_segments(&segs)
}

/// For a child resource whose name is not known, such as `[format('{0}/{1}',
/// parameters('nsg'), 'rule')]` (what Bicep writes for `parent: nsg`) or
/// `[concat(parameters('nsg'), '/rule')]`: the parent's name expression in canonical form
/// (`parameters('nsg')`) and the child's own name (`rule`). `None` unless the name is one
/// sub-expression, a `/`, and known text without another `/`.
///
/// Within one template, two names built from the same expression are the same name: a child
/// names its parent by the expression that names the parent.
pub fn parent_name_expression(text: &str) -> Option<(String, String)> {
    /// Stands for the parent's name while the rest of the name is evaluated.
    const PARENT: &str = "\u{1}parent\u{1}";
    /// Sub-expressions tried at the most: names are short.
    const MAX_TRIED: usize = 64;
    let root = parsed(text);
    let root = root.as_ref().as_ref().ok()?;
    // The calls, properties and indexes below the root, outermost first.
    let mut candidates: Vec<&Expr> = Vec::new();
    let mut stack: Vec<&Expr> = vec![root];
    while let Some(e) = stack.pop() {
        let children: Vec<&Expr> = match &e.kind {
            Kind::Call { args, .. } => args.iter().collect(),
            Kind::Prop(x, _) => vec![x],
            Kind::Index(x, i) => vec![x, i],
            Kind::Str(_) | Kind::Num(_) => Vec::new(),
        };
        if !std::ptr::eq(e, root) && !matches!(e.kind, Kind::Str(_) | Kind::Num(_)) {
            candidates.push(e);
        }
        stack.extend(children.into_iter().rev());
        if candidates.len() >= MAX_TRIED {
            break;
        }
    }
    for c in candidates {
        let key = c.to_string();
        if let EvalValue::Str(s) = eval(&substituted(root, &key, PARENT)) {
            if let Some(own) = s.strip_prefix(PARENT).and_then(|r| r.strip_prefix('/')) {
                if !own.is_empty() && !own.contains('/') && !own.contains(PARENT) {
                    return Some((key, own.to_string()));
                }
            }
        }
    }
    None
}

/// `e` with each sub-expression whose canonical text is `key` replaced by the string `with`.
fn substituted(e: &Expr, key: &str, with: &str) -> Expr {
    if !matches!(e.kind, Kind::Str(_) | Kind::Num(_)) && e.to_string() == key {
        return Expr::new(Kind::Str(with.to_string()), e.at.0, e.at.1);
    }
    let kind = match &e.kind {
        Kind::Call { name, args } => Kind::Call {
            name: name.clone(),
            args: args.iter().map(|a| substituted(a, key, with)).collect(),
        },
        Kind::Prop(x, p) => Kind::Prop(Box::new(substituted(x, key, with)), p.clone()),
        Kind::Index(x, i) => Kind::Index(
            Box::new(substituted(x, key, with)),
            Box::new(substituted(i, key, with)),
        ),
        k => k.clone(),
    };
    Expr::new(kind, e.at.0, e.at.1)
}

/// The canonical form of an expression's text (`[parameters( 'x' )]` gives `parameters('x')`),
/// for comparing two names that are not known.
pub fn canonical(text: &str) -> Option<String> {
    parsed(text).as_ref().as_ref().ok().map(Expr::to_string)
}

/// Marks a name segment that stands for a name not known by the expression that gives it, in
/// [`symbolic_name`] and [`symbolic_resource_id`].
pub const SYMBOLIC: char = '\u{1}';

/// A name not known, as the expression that gives it: [`SYMBOLIC`] and the expression's
/// canonical text, lowercased (ARM names, parameter and variable names ignore case).
pub fn symbolic_name(expression: &str) -> String {
    format!("{SYMBOLIC}{}", expression.to_ascii_lowercase())
}

/// The type and names of the resource a `resourceId(…)` expression names when some names are
/// not known: each such name as [`symbolic_name`] of its expression, the known ones as they
/// are. Also an id a child's segments are appended to, as Bicep writes `'${vnet.id}/subnets/s'`
/// (`format('{0}/subnets/s', resourceId(…))`) and ARM templates `concat(variables('vnetId'),
/// '/subnets/', 's')` once the variable is read. `None` for another expression, or when the
/// type is not known.
pub fn symbolic_resource_id(text: &str) -> Option<(String, Vec<String>)> {
    let (rtype, names) = symbolic_id_names(text)?;
    let names = names
        .into_iter()
        .map(|n| match n {
            SymbolicName::Known(s) => s,
            SymbolicName::Expr(e) => symbolic_name(&e),
        })
        .collect();
    Some((rtype, names))
}

/// A name segment of [`symbolic_id_names`]: known text, or the canonical text of the
/// expression that gives it.
#[derive(Debug, Clone, PartialEq)]
enum SymbolicName {
    Known(String),
    Expr(String),
}

/// The type and name segments of the id `text` builds, as [`symbolic_resource_id`] reads it.
fn symbolic_id_names(text: &str) -> Option<(String, Vec<SymbolicName>)> {
    /// A piece of the text appended to the id: literal text, or an expression's value.
    enum Piece<'e> {
        Text(String),
        Value(&'e Expr),
    }
    let root = parsed(text);
    let e = root.as_ref().as_ref().ok()?;
    let Kind::Call { name, args } = &e.kind else {
        return None;
    };
    let known = |a: &Expr| match eval(a) {
        EvalValue::Str(s) => Some(s),
        _ => None,
    };
    let named = |a: &Expr| match known(a) {
        Some(s) => SymbolicName::Known(s),
        None => SymbolicName::Expr(a.to_string()),
    };
    // resourceId([subscriptionId], [resourceGroupName], resourceType, name1, name2, …): the
    // type is the first argument with a `/`.
    let of_call = |args: &[Expr]| -> Option<(String, Vec<SymbolicName>)> {
        let at = args
            .iter()
            .position(|a| known(a).is_some_and(|s| s.contains('/')))?;
        let rtype = known(&args[at])?;
        Some((rtype, args[at + 1..].iter().map(named).collect()))
    };
    let head = |a: &Expr| match &a.kind {
        Kind::Call { name, args } if name.eq_ignore_ascii_case("resourceId") => of_call(args),
        _ => None,
    };
    let (base, pieces) = if name.eq_ignore_ascii_case("resourceId") {
        return of_call(args);
    } else if name.eq_ignore_ascii_case("concat") {
        let (first, rest) = args.split_first()?;
        let pieces: Vec<Piece> = rest
            .iter()
            .map(|a| match &a.kind {
                Kind::Str(s) => Piece::Text(s.clone()),
                _ => Piece::Value(a),
            })
            .collect();
        (head(first)?, pieces)
    } else if name.eq_ignore_ascii_case("format") {
        let (fmt, values) = args.split_first()?;
        let fmt = match &fmt.kind {
            Kind::Str(f) => f.strip_prefix("{0}")?,
            _ => return None,
        };
        let base = head(values.first()?)?;
        // The rest of the format string: text and `{i}` holes (i ≥ 1), nothing else.
        let mut pieces = Vec::new();
        let mut rest = fmt;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let close = rest.find('}')?;
                    let i: usize = rest[1..close].parse().ok()?;
                    if i == 0 {
                        return None;
                    }
                    pieces.push(Piece::Value(values.get(i)?));
                    rest = &rest[close + 1..];
                }
                Some(at) => {
                    pieces.push(Piece::Text(rest[..at].to_string()));
                    rest = &rest[at..];
                }
                None => {
                    pieces.push(Piece::Text(rest.to_string()));
                    rest = "";
                }
            }
        }
        (base, pieces)
    } else {
        return None;
    };
    // The pieces as `/`-separated segments, each all text or one expression's value.
    let mut segments: Vec<Option<SymbolicName>> = vec![Some(SymbolicName::Known(String::new()))];
    for p in pieces {
        match p {
            Piece::Text(t) => {
                for (i, part) in t.split('/').enumerate() {
                    if i > 0 {
                        segments.push(Some(SymbolicName::Known(String::new())));
                    }
                    let last = segments.last_mut()?;
                    match last {
                        Some(SymbolicName::Known(k)) => k.push_str(part),
                        _ if part.is_empty() => {}
                        _ => *last = None,
                    }
                }
            }
            Piece::Value(v) => {
                let last = segments.last_mut()?;
                *last = match (&*last, named(v)) {
                    (Some(SymbolicName::Known(k)), SymbolicName::Known(v)) => {
                        Some(SymbolicName::Known(format!("{k}{v}")))
                    }
                    (Some(SymbolicName::Known(k)), expr) if k.is_empty() => Some(expr),
                    _ => None,
                };
            }
        }
    }
    // `/childType/name` pairs after the id: an empty first segment, then types and names.
    let (first, pairs) = segments.split_first()?;
    if first != &Some(SymbolicName::Known(String::new()))
        || pairs.is_empty()
        || pairs.len() % 2 != 0
    {
        return None;
    }
    let (mut rtype, mut names) = base;
    for pair in pairs.chunks(2) {
        let Some(SymbolicName::Known(child)) = &pair[0] else {
            return None;
        };
        if child.is_empty() {
            return None;
        }
        rtype = format!("{rtype}/{child}");
        match &pair[1] {
            Some(SymbolicName::Known(n)) if n.is_empty() => return None,
            Some(n) => names.push(n.clone()),
            None => return None,
        }
    }
    Some((rtype, names))
}

/// For a value known in part that `text` gives: the `resourceId(…)` expression naming what
/// `text` names ([`symbolic_resource_id`]), each name the value knows written as that name and
/// the others as the expressions that give them (`resourceId('…/subnets', variables('vnet'),
/// 's')` for `format('{0}/subnets/{1}', resourceId('…', variables('vnet')),
/// variables('subnet'))` whose `subnet` is `s`). `None` when `text` names nothing so, or when
/// the value's id has another type or depth.
pub fn merged_resource_id(text: &str, parts: &[Part]) -> Option<String> {
    if !text.starts_with('[') || text.starts_with("[[") {
        return None;
    }
    let (rtype, names) = symbolic_id_names(text)?;
    let id = parse_resource_id(parts)?;
    if !id.rtype().eq_ignore_ascii_case(&rtype) || id.names.len() != names.len() {
        return None;
    }
    let quote = |s: &str| Expr::new(Kind::Str(s.to_string()), 0, 0).to_string();
    let mut args = vec![quote(&rtype)];
    for (known, symbolic) in id.names.iter().zip(&names) {
        args.push(match (known, symbolic) {
            (Some(k), _) => quote(k),
            (None, SymbolicName::Known(k)) => quote(k),
            (None, SymbolicName::Expr(e)) => e.clone(),
        });
    }
    Some(format!("[resourceId({})]", args.join(", ")))
}

/// The resource id an ARM string value or expression names, if its type is known.
pub fn resource_id_of(text: &str) -> Option<ArmId> {
    let value = if text.starts_with('[') && !text.starts_with("[[") {
        eval(parsed(text).as_ref().as_ref().ok()?)
    } else {
        EvalValue::Str(text.to_string())
    };
    parse_resource_id(&value.parts()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Option<(String, Vec<Option<String>>)> {
        resource_id_of(text).map(|r| (r.rtype(), r.names))
    }
    fn some(v: &[&str]) -> Vec<Option<String>> {
        v.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn parses_and_evaluates_string_functions() {
        assert_eq!(
            eval(&parse("[concat('a', 'b', 1)]").unwrap()),
            EvalValue::Str("ab1".into())
        );
        assert_eq!(
            eval(&parse("[format('{0}-{1}', 'x', 'y')]").unwrap()),
            EvalValue::Str("x-y".into())
        );
        assert_eq!(
            eval(&parse("['it''s']").unwrap()),
            EvalValue::Str("it's".into())
        );
        assert_eq!(
            eval(&parse("[toLower('AbC')]").unwrap()),
            EvalValue::Str("abc".into())
        );
        assert_eq!(
            eval(&parse("[concat(parameters('p'), '-x')]").unwrap()),
            EvalValue::Partial(vec![Part::Unknown, Part::Known("-x".into())])
        );
        assert!(parse("[concat('a'").is_err());
        // A no-break space or an ideographic space between arguments is white space; a
        // non-ASCII letter where a name belongs is not.
        assert_eq!(
            eval(&parse("[concat('a',\u{a0}'b',\u{3000}'c')]").unwrap()),
            EvalValue::Str("abc".into())
        );
        assert!(parse("[concat('a', \u{e9}'b')]").is_err());
        assert!(parse("[a(b(c(d(e(f(g(h(i(j(k(l(m(n(o(p(q(r(s(t(u(v(w(x(y(z(a(b(c(d(e(f(g(h(i(j(k(l(m(n(o(p(q(r(s(t(u(v(w(x(y(z(a(b(c(d(e(f(g(h(i(j(k(l(m()))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))]").is_err());
        assert_eq!(
            eval(&parse("[parameters('x').y]").unwrap()),
            EvalValue::Unknown
        );
    }

    #[test]
    fn child_ids_appended_to_a_resource_id_are_read_by_their_expressions() {
        let sym = |e: &str| symbolic_name(e);
        let subnets = "Microsoft.Network/virtualNetworks/subnets".to_string();
        assert_eq!(
            symbolic_resource_id("[format('{0}/subnets/s', resourceId('Microsoft.Network/virtualNetworks', parameters('v')))]"),
            Some((subnets.clone(), vec![sym("parameters('v')"), "s".into()]))
        );
        assert_eq!(
            symbolic_resource_id("[format('{0}/subnets/{1}', resourceId('Microsoft.Network/virtualNetworks', parameters('v')), variables('s'))]"),
            Some((subnets.clone(), vec![sym("parameters('v')"), sym("variables('s')")]))
        );
        assert_eq!(
            symbolic_resource_id("[concat(resourceId('Microsoft.Network/virtualNetworks', parameters('v')), '/subnets/', 's')]"),
            Some((subnets.clone(), vec![sym("parameters('v')"), "s".into()]))
        );
        for no in [
            // A name with a known part and an expression's.
            "[format('{0}/subnets/s-{1}', resourceId('Microsoft.Network/virtualNetworks', parameters('v')), variables('s'))]",
            // Not after the id, or no child.
            "[format('x{0}/subnets/s', resourceId('Microsoft.Network/virtualNetworks', parameters('v')))]",
            "[format('{0}/subnets', resourceId('Microsoft.Network/virtualNetworks', parameters('v')))]",
            "[format('{0}', resourceId('Microsoft.Network/virtualNetworks', parameters('v')))]",
            "[concat(variables('vnetId'), '/subnets/s')]",
            "[format('{0}/subnets/{0}', resourceId('Microsoft.Network/virtualNetworks', parameters('v')))]",
        ] {
            assert_eq!(symbolic_resource_id(no), None, "{no}");
        }
        // The value knows the subnet's name, not the network's.
        let parts = vec![
            Part::Known("/subscriptions/".into()),
            Part::Unknown,
            Part::Known("/resourceGroups/".into()),
            Part::Unknown,
            Part::Known("/providers/Microsoft.Network/virtualNetworks/".into()),
            Part::Unknown,
            Part::Known("-vnet/subnets/snet".into()),
        ];
        assert_eq!(
            merged_resource_id("[format('{0}/subnets/{1}', resourceId('Microsoft.Network/virtualNetworks', variables('vnet')), parameters('subnet'))]", &parts).as_deref(),
            Some("[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnet'), 'snet')]")
        );
        // Another type than the value's: nothing.
        assert_eq!(
            merged_resource_id(
                "[resourceId('Microsoft.Network/networkSecurityGroups', variables('vnet'))]",
                &parts
            ),
            None
        );
    }

    #[test]
    fn expressions_that_name_by_expressions() {
        for yes in [
            "[parameters('vnet')]",
            "[variables( 'vnet' )]",
            "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('v'), 's')]",
            "[format('{0}/{1}', parameters('nsg'), 'rule')]",
        ] {
            assert!(names_symbolically(yes), "{yes}");
        }
        for no in [
            "vnet",
            "[[parameters('vnet')]",
            "[concat(parameters('a'), '-vnet')]",
            "[parameters(variables('which'))]",
            "[toLower(parameters('vnet'))]",
        ] {
            assert!(!names_symbolically(no), "{no}");
        }
        assert_eq!(variable_read("[variables('id')]").as_deref(), Some("id"));
        assert_eq!(variable_read("[parameters('id')]"), None);
        assert_eq!(variable_read("[variables('id').x]"), None);
        let partial = |parts: &[Option<&str>]| -> Vec<Part> {
            parts
                .iter()
                .map(|p| p.map_or(Part::Unknown, |t| Part::Known(t.into())))
                .collect()
        };
        // Every name known, under a subscription that is not: named.
        assert!(names_a_resource(&partial(&[
            Some("/subscriptions/"),
            None,
            Some("/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"),
        ])));
        assert!(!names_a_resource(&partial(&[
            Some("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/"),
            None,
            Some("-vnet/subnets/s"),
        ])));
        assert!(!names_a_resource(&partial(&[Some("x-"), None])));
    }

    #[test]
    fn a_child_name_tells_its_parent_name_expression() {
        let p = |t: &str| parent_name_expression(t);
        let nsg = Some(("parameters('nsg')".to_string(), "rule".to_string()));
        assert_eq!(p("[format('{0}/{1}', parameters('nsg'), 'rule')]"), nsg);
        assert_eq!(p("[concat(parameters( 'nsg' ), '/rule')]"), nsg);
        assert_eq!(p("[format('{0}/rule', parameters('nsg'))]"), nsg);
        assert_eq!(
            p("[concat(parameters('prefix'), '-nsg/', variables('r'))]"),
            None,
            "the child's own name is not known"
        );
        assert_eq!(
            p("[format('{0}-nsg/{1}', parameters('prefix'), 'ssh')]"),
            None,
            "the parent's name is more than the expression"
        );
        assert_eq!(p("[concat(parameters('a'), '/x/y')]"), None);
        assert_eq!(p("[parameters('n')]"), None);
        assert_eq!(
            canonical("[parameters( 'nsg' )]").as_deref(),
            Some("parameters('nsg')")
        );
    }

    #[test]
    fn ids_with_names_not_known_name_them_by_their_expressions() {
        assert_eq!(
            symbolic_resource_id(
                "[resourceId('Microsoft.Network/virtualNetworks/subnets', parameters('VNet'), 's')]"
            ),
            Some((
                "Microsoft.Network/virtualNetworks/subnets".to_string(),
                vec![symbolic_name("parameters('VNet')"), "s".to_string()]
            ))
        );
        assert_eq!(
            symbolic_resource_id("[resourceId(parameters('rg'), 'Microsoft.Network/networkSecurityGroups', format('{0}-nsg', parameters('p')))]"),
            Some((
                "Microsoft.Network/networkSecurityGroups".to_string(),
                vec![symbolic_name("format('{0}-nsg', parameters('p'))")]
            ))
        );
        assert_eq!(symbolic_resource_id("[concat('a', parameters('p'))]"), None);
        assert_eq!(
            symbolic_resource_id("[resourceId(parameters('t'), 'n')]"),
            None
        );
    }

    #[test]
    fn resource_ids_from_functions_and_literals() {
        assert_eq!(
            id("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet')]"),
            Some((
                "Microsoft.Network/virtualNetworks/subnets".into(),
                some(&["vnet", "snet"])
            ))
        );
        assert_eq!(
            id("[resourceId('other-rg', 'Microsoft.Network/networkSecurityGroups', 'nsg')]"),
            Some((
                "Microsoft.Network/networkSecurityGroups".into(),
                some(&["nsg"])
            ))
        );
        assert_eq!(
            id("[concat(resourceId('Microsoft.Network/loadBalancers', 'lb'), '/inboundNatPools/natpool')]"),
            Some(("Microsoft.Network/loadBalancers/inboundNatPools".into(), some(&["lb", "natpool"])))
        );
        assert_eq!(
            id("[concat('/subscriptions/', subscription().subscriptionId, '/resourceGroups/', resourceGroup().name, '/providers/Microsoft.Network/networkSecurityGroups/nsg')]"),
            Some(("Microsoft.Network/networkSecurityGroups".into(), some(&["nsg"])))
        );
        assert_eq!(
            id("/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"),
            Some(("Microsoft.Network/virtualNetworks/subnets".into(), some(&["v", "s"])))
        );
        assert_eq!(
            id("[resourceId('Microsoft.Network/networkSecurityGroups', parameters('nsg'))]"),
            Some(("Microsoft.Network/networkSecurityGroups".into(), vec![None]))
        );
        assert_eq!(id("[variables('subnetRef')]"), None);
        assert_eq!(id("not an id"), None);
    }

    fn ev(text: &str) -> EvalValue {
        eval(&parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
    }
    fn s(v: &str) -> EvalValue {
        EvalValue::Str(v.into())
    }
    fn b(v: bool) -> EvalValue {
        EvalValue::Bool(v)
    }

    #[test]
    fn branches_not_taken_are_not_evaluated() {
        assert_eq!(ev("[if(true(), 'a', reference('x').y)]"), s("a"));
        assert_eq!(ev("[if(false, reference('x'), 'b')]"), s("b"));
        assert_eq!(ev("[if(reference('x').on, 'a', 'b')]"), EvalValue::Unknown);
        assert_eq!(ev("[coalesce('a', reference('x'))]"), s("a"));
        assert_eq!(ev("[coalesce(reference('x'), 'a')]"), EvalValue::Unknown);
        assert_eq!(ev("[and(false, reference('x').on)]"), b(false));
        assert_eq!(ev("[or(reference('x').on, true)]"), b(true));
        assert_eq!(ev("[and(true, reference('x').on)]"), EvalValue::Unknown);
    }

    #[test]
    fn partial_strings_keep_known_parts() {
        assert_eq!(
            ev("[toLower(concat('A-', resourceGroup().name))]"),
            EvalValue::Partial(vec![Part::Known("a-".into()), Part::Unknown])
        );
        assert_eq!(ev("[empty(concat('x', resourceGroup().name))]"), b(false));
        assert_eq!(
            ev("[format('{0}/{1}', resourceGroup().name, 'rule')]"),
            EvalValue::Partial(vec![Part::Unknown, Part::Known("/rule".into())])
        );
        let p = ev("[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]");
        let EvalValue::Partial(parts) = &p else {
            panic!("{p:?}")
        };
        assert_eq!(ev(&partial_expression(parts)), p);
    }

    #[test]
    fn escapes_literals_and_errors() {
        assert_eq!(ev("['it''s']"), s("it's"));
        assert_eq!(ev("[concat('a', -1, 2.5)]"), s("a-12.5"));
        assert_eq!(ev("[ equals( 1 , 1 ) ]"), b(true));
        assert_eq!(ev("[createArray(1, 2)[5]]"), EvalValue::Unknown);
        assert_eq!(ev("[createObject('a', 1).b]"), EvalValue::Unknown);
        assert_eq!(ev("[substring('abc', 2, 5)]"), EvalValue::Unknown);
        assert_eq!(ev("[range(0, 100000000)]"), EvalValue::Unknown);
        assert_eq!(ev("[padLeft('x', 100000000)]"), EvalValue::Unknown);
        for bad in [
            "[concat('a']",
            "['open]",
            "[f(,)]",
            "[1 2]",
            "[.x]",
            "[]",
            "[a.]",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        // Deep nesting is refused by the parser, never by the stack.
        let deep = format!("[{}1{}]", "add(".repeat(5000), ", 1)".repeat(5000));
        assert!(parse(&deep).is_err());
        let chain = format!("[createObject('a', 1){}]", ".a".repeat(100_000));
        assert!(parse(&chain).is_err());
        let index = format!("[createArray(1){}]", "[0]".repeat(100_000));
        assert!(parse(&index).is_err());
    }
}
