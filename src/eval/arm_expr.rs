//! The ARM template expression language: parsing of `[...]` expressions and evaluation of the
//! functions whose result does not depend on the deployment (string building and resource ids).
//! Anything else evaluates to Unknown; a partially known string keeps its known parts, so that a
//! resource id built from an unknown subscription still names its provider type and resources
//! (D23).

use crate::ir::armid::ArmId;
use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
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

impl fmt::Display for Expr {
    /// The expression in canonical form (without the brackets): quotes doubled, no spaces after
    /// commas.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Expr::Num(n) => f.write_str(&num_text(*n)),
            Expr::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            Expr::Prop(e, p) => write!(f, "{e}.{p}"),
            Expr::Index(e, i) => write!(f, "{e}[{i}]"),
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

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
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
                e = Expr::Prop(Box::new(e), name);
            } else if self.eat(b'[') {
                let idx = self.expr()?;
                if !self.eat(b']') {
                    return Err(ParseError("expected `]`".into()));
                }
                e = Expr::Index(Box::new(e), Box::new(idx));
            } else {
                break;
            }
        }
        self.depth = base;
        Ok(e)
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
                Ok(Expr::Str(String::from_utf8_lossy(&out).into_owned()))
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
                t.parse()
                    .map(Expr::Num)
                    .map_err(|_| ParseError(format!("bad number `{t}`")))
            }
            _ => {
                let name = self.ident()?;
                if !self.eat(b'(') {
                    // `true`, `false` and `null` may be written without parentheses.
                    if ["true", "false", "null"]
                        .iter()
                        .any(|k| name.eq_ignore_ascii_case(k))
                    {
                        return Ok(Expr::Call {
                            name: name.to_ascii_lowercase(),
                            args: Vec::new(),
                        });
                    }
                    return Err(ParseError(format!("expected `(` after `{name}`")));
                }
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
                Ok(Expr::Call { name, args })
            }
        }
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
}

/// Longest string and array an expression may build; longer results are Unknown. Azure rejects
/// templates far smaller than this, so only a hostile template reaches it.
const MAX_STRING: usize = 1 << 20;
const MAX_ITEMS: usize = 10_000;

impl EvalValue {
    /// The value as string pieces, for string building; None for values that are not strings.
    pub fn parts(&self) -> Option<Vec<Part>> {
        match self {
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
        match self {
            EvalValue::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_num(&self) -> Option<f64> {
        match self {
            EvalValue::Num(n) => Some(*n),
            _ => None,
        }
    }
    /// An integer argument (ARM integers are 64-bit).
    fn as_int(&self) -> Option<i64> {
        match self {
            EvalValue::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        }
    }
    pub fn is_known(&self) -> bool {
        !matches!(self, EvalValue::Unknown | EvalValue::Partial(_))
    }
    /// Whether the value is known all the way down (no Unknown inside arrays or objects).
    pub fn is_fully_known(&self) -> bool {
        match self {
            EvalValue::Unknown | EvalValue::Partial(_) => false,
            EvalValue::Array(a) => a.iter().all(EvalValue::is_fully_known),
            EvalValue::Object(m) => m.iter().all(|(_, v)| v.is_fully_known()),
            _ => true,
        }
    }
    /// Member `key` of an object (case-insensitive).
    pub fn member(&self, key: &str) -> Option<&EvalValue> {
        match self {
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
            EvalValue::Array(a) => 1 + a.iter().map(EvalValue::size).sum::<usize>(),
            EvalValue::Object(m) => 1 + m.iter().map(|(_, v)| v.size()).sum::<usize>(),
            EvalValue::Str(s) => 1 + s.len() / 64,
            _ => 1,
        }
    }
    /// Three-valued truth of a condition: `true`/`false` or their string forms.
    pub fn truth(&self) -> Option<bool> {
        match self {
            EvalValue::Bool(b) => Some(*b),
            EvalValue::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            EvalValue::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
    /// Compact JSON text of a fully known value (what `string()` gives for arrays and objects).
    fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self {
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
            EvalValue::Partial(_) | EvalValue::Unknown => return None,
        })
    }
    fn from_json(j: &serde_json::Value) -> EvalValue {
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

fn num_text(n: f64) -> String {
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
    /// Where the origins of values read so far end, and forgetting those read after a mark: the
    /// condition of an `if()` does not supply the value.
    fn origins_mark(&self) -> usize {
        0
    }
    fn origins_reset(&self, _mark: usize) {}
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
    if !env.charge(1) {
        return EvalValue::Unknown;
    }
    match e {
        Expr::Str(s) => EvalValue::Str(s.clone()),
        Expr::Num(n) => EvalValue::Num(*n),
        Expr::Prop(x, name) => match eval_in(x, env) {
            v @ EvalValue::Object(_) => v.member(name).cloned().unwrap_or(EvalValue::Unknown),
            _ => EvalValue::Unknown,
        },
        Expr::Index(x, i) => {
            let base = eval_in(x, env);
            let index = eval_in(i, env);
            match (&base, &index) {
                (EvalValue::Array(a), EvalValue::Num(_)) => index
                    .as_int()
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| a.get(i).cloned())
                    .unwrap_or(EvalValue::Unknown),
                (EvalValue::Object(_), EvalValue::Str(k)) => {
                    base.member(k).cloned().unwrap_or(EvalValue::Unknown)
                }
                _ => EvalValue::Unknown,
            }
        }
        Expr::Call { name, args } => call(&name.to_ascii_lowercase(), args, env),
    }
}

fn call(name: &str, args: &[Expr], env: &dyn Env) -> EvalValue {
    use EvalValue as V;
    // Functions whose arguments are evaluated lazily (D26).
    match name {
        "if" => {
            let [c, a, b] = args else { return V::Unknown };
            let mark = env.origins_mark();
            let cond = eval_in(c, env).truth();
            env.origins_reset(mark);
            return match cond {
                Some(true) => eval_in(a, env),
                Some(false) => eval_in(b, env),
                None => V::Unknown,
            };
        }
        "coalesce" => {
            for a in args {
                match eval_in(a, env) {
                    V::Null => continue,
                    v => return v,
                }
            }
            return V::Null;
        }
        "and" | "or" => {
            let stop = name == "or";
            let mut unknown = false;
            for a in args {
                match eval_in(a, env).truth() {
                    Some(b) if b == stop => return V::Bool(stop),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            return if unknown || args.len() < 2 {
                V::Unknown
            } else {
                V::Bool(!stop)
            };
        }
        _ => {}
    }
    let v: Vec<EvalValue> = args.iter().map(|a| eval_in(a, env)).collect();
    let int_arg = |i: usize| v.get(i).and_then(EvalValue::as_int);
    match (name, v.as_slice()) {
        ("parameters", [V::Str(n)]) => env.parameter(n),
        ("variables", [V::Str(n)]) => env.variable(n),
        ("copyindex", _) => {
            let (loop_name, offset) = match v.as_slice() {
                [] => (None, 0),
                [V::Str(n)] => (Some(n.as_str()), 0),
                [V::Num(_)] => (None, int_arg(0).unwrap_or(0)),
                [V::Str(n), V::Num(_)] => (Some(n.as_str()), int_arg(1).unwrap_or(0)),
                _ => return V::Unknown,
            };
            env.copy_index(loop_name)
                .map_or(V::Unknown, |i| V::Num((i + offset) as f64))
        }
        ("true", []) => V::Bool(true),
        ("false", []) => V::Bool(false),
        ("null", []) => V::Null,
        ("concat", _) => concat(&v),
        ("format", [V::Str(fmt), rest @ ..]) => format_parts(fmt, rest),
        ("string", [x]) => match x {
            V::Str(_) | V::Partial(_) => x.clone(),
            V::Num(n) => V::Str(num_text(*n)),
            V::Bool(b) => V::Str(if *b { "True" } else { "False" }.into()),
            V::Array(_) | V::Object(_) => x.to_json().map_or(V::Unknown, |j| V::Str(j.to_string())),
            _ => V::Unknown,
        },
        ("int", [x]) => match x {
            V::Num(n) => V::Num(n.trunc()),
            V::Str(s) => s
                .trim()
                .parse::<i64>()
                .map_or(V::Unknown, |n| V::Num(n as f64)),
            _ => V::Unknown,
        },
        ("bool", [x]) => match x {
            V::Bool(_) => x.clone(),
            V::Str(_) => x.truth().map_or(V::Unknown, V::Bool),
            V::Num(n) => V::Bool(*n != 0.0),
            _ => V::Unknown,
        },
        ("json", [V::Str(s)]) => {
            serde_json::from_str::<serde_json::Value>(s).map_or(V::Unknown, |j| V::from_json(&j))
        }
        ("empty", [x]) => match x {
            V::Null => V::Bool(true),
            V::Str(s) => V::Bool(s.is_empty()),
            V::Array(a) => V::Bool(a.is_empty()),
            V::Object(m) => V::Bool(m.is_empty()),
            V::Partial(p)
                if p.iter()
                    .any(|p| matches!(p, Part::Known(s) if !s.is_empty())) =>
            {
                V::Bool(false)
            }
            _ => V::Unknown,
        },
        ("equals", [a, b]) => equals(a, b).map_or(V::Unknown, V::Bool),
        ("not", [x]) => x.truth().map_or(V::Unknown, |b| V::Bool(!b)),
        ("contains", [container, item]) => match (container, item) {
            (V::Str(s), _) => match item.parts() {
                Some(p) if p.len() == 1 => {
                    let [Part::Known(t)] = p.as_slice() else {
                        return V::Unknown;
                    };
                    V::Bool(s.contains(t.as_str()))
                }
                _ => V::Unknown,
            },
            (V::Array(a), _) => {
                let mut unknown = false;
                for x in a {
                    match equals(x, item) {
                        Some(true) => return V::Bool(true),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
                if unknown {
                    V::Unknown
                } else {
                    V::Bool(false)
                }
            }
            (V::Object(_), V::Str(k)) => V::Bool(container.member(k).is_some()),
            _ => V::Unknown,
        },
        ("length", [x]) => match x {
            V::Str(s) => V::Num(s.chars().count() as f64),
            V::Array(a) => V::Num(a.len() as f64),
            V::Object(m) => V::Num(m.len() as f64),
            _ => V::Unknown,
        },
        ("tolower" | "toupper", [x]) => {
            let lower = name == "tolower";
            let conv = |s: &str| {
                if lower {
                    s.to_lowercase()
                } else {
                    s.to_uppercase()
                }
            };
            match x.parts() {
                Some(p) if matches!(x, V::Str(_) | V::Partial(_)) => V::from_parts(
                    p.into_iter()
                        .map(|p| match p {
                            Part::Known(s) => Part::Known(conv(&s)),
                            u => u,
                        })
                        .collect(),
                ),
                _ => V::Unknown,
            }
        }
        ("replace", [V::Str(s), V::Str(old), V::Str(new)]) if !old.is_empty() => {
            limit_str(s.replace(old.as_str(), new))
        }
        ("split", [V::Str(s), delims]) => {
            let delims: Vec<&str> = match delims {
                V::Str(d) => vec![d.as_str()],
                V::Array(a) => match a.iter().map(EvalValue::as_str).collect::<Option<Vec<_>>>() {
                    Some(d) => d,
                    None => return V::Unknown,
                },
                _ => return V::Unknown,
            };
            if delims.iter().any(|d| d.is_empty()) {
                return V::Unknown;
            }
            let mut pieces = vec![s.clone()];
            for d in delims {
                pieces = pieces
                    .iter()
                    .flat_map(|p| p.split(d).map(str::to_string).collect::<Vec<_>>())
                    .collect();
            }
            limit_array(pieces.into_iter().map(V::Str).collect())
        }
        ("first" | "last", [x]) => {
            let first = name == "first";
            match x {
                V::Str(s) => {
                    let c = if first {
                        s.chars().next()
                    } else {
                        s.chars().last()
                    };
                    V::Str(c.map(String::from).unwrap_or_default())
                }
                V::Array(a) => {
                    let e = if first { a.first() } else { a.last() };
                    e.cloned().unwrap_or(V::Null)
                }
                _ => V::Unknown,
            }
        }
        ("union", _) => union(&v),
        ("createarray", _) => limit_array(v),
        ("createobject", _) => {
            if !v.len().is_multiple_of(2) {
                return V::Unknown;
            }
            let mut members = Vec::new();
            for pair in v.chunks(2) {
                let V::Str(k) = &pair[0] else {
                    return V::Unknown;
                };
                members.push((k.clone(), pair[1].clone()));
            }
            V::Object(members)
        }
        ("resourceid", _) => resource_id(&v, IdScope::ResourceGroup),
        ("subscriptionresourceid", _) => resource_id(&v, IdScope::Subscription),
        ("tenantresourceid", _) => resource_id(&v, IdScope::Tenant),
        ("extensionresourceid", [base, rest @ ..]) => {
            let Some(mut parts) = base.parts() else {
                return V::Unknown;
            };
            match resource_id(rest, IdScope::Tenant).parts() {
                Some(p) => parts.extend(p),
                None => return V::Unknown,
            }
            V::from_parts(parts)
        }
        ("tryget", [base, keys @ ..]) if !keys.is_empty() => {
            let mut cur = base.clone();
            for k in keys {
                cur = match (&cur, k) {
                    (V::Object(_), V::Str(key)) => cur.member(key).cloned().unwrap_or(V::Null),
                    (V::Array(a), V::Num(_)) => k
                        .as_int()
                        .and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| a.get(i).cloned())
                        .unwrap_or(V::Null),
                    (V::Null, _) => V::Null,
                    _ => return V::Unknown,
                };
            }
            cur
        }
        ("substring", [V::Str(s), ..]) => {
            let chars: Vec<char> = s.chars().collect();
            let start = int_arg(1).unwrap_or(-1);
            let len = if v.len() > 2 {
                int_arg(2).unwrap_or(-1)
            } else {
                chars.len() as i64 - start
            };
            if start < 0 || len < 0 || (start + len) as usize > chars.len() {
                return V::Unknown;
            }
            V::Str(
                chars[start as usize..(start + len) as usize]
                    .iter()
                    .collect(),
            )
        }
        ("add" | "sub" | "mul" | "div" | "mod", [a, b]) => {
            let (Some(a), Some(b)) = (a.as_int(), b.as_int()) else {
                return V::Unknown;
            };
            let r = match name {
                "add" => a.checked_add(b),
                "sub" => a.checked_sub(b),
                "mul" => a.checked_mul(b),
                "div" => a.checked_div(b),
                _ => a.checked_rem(b),
            };
            r.map_or(V::Unknown, |r| V::Num(r as f64))
        }
        ("greater" | "greaterorequals" | "less" | "lessorequals", [a, b]) => {
            let ord = match (a, b) {
                (V::Num(x), V::Num(y)) => x.partial_cmp(y),
                (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
                _ => None,
            };
            let Some(ord) = ord else { return V::Unknown };
            V::Bool(match name {
                "greater" => ord.is_gt(),
                "greaterorequals" => ord.is_ge(),
                "less" => ord.is_lt(),
                _ => ord.is_le(),
            })
        }
        ("min" | "max", _) => {
            let nums: Option<Vec<f64>> = match v.as_slice() {
                [V::Array(a)] => a.iter().map(EvalValue::as_num).collect(),
                _ => v.iter().map(EvalValue::as_num).collect(),
            };
            let nums = nums.filter(|n| !n.is_empty());
            let Some(nums) = nums else { return V::Unknown };
            let pick = if name == "min" { f64::min } else { f64::max };
            V::Num(nums.into_iter().reduce(pick).unwrap_or_default())
        }
        ("shallowmerge", [V::Array(objects)]) => union(objects),
        ("guid", _) if !v.is_empty() => {
            let h = opaque_hash(args, &v);
            let hex = format!(
                "{:016x}{:016x}",
                h,
                h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15
            );
            V::Str(format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            ))
        }
        ("uniquestring", _) if !v.is_empty() => {
            // Thirteen lowercase letters and digits, as Azure's are; equal for identical arguments
            // (D24).
            const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
            let mut h = opaque_hash(args, &v);
            let mut s = String::with_capacity(13);
            for _ in 0..13 {
                s.push(ALPHABET[(h % 32) as usize] as char);
                h /= 32;
                if h == 0 {
                    h = 0x5bd1_e995;
                }
            }
            V::Str(s)
        }
        ("take" | "skip", [x, n]) => {
            let Some(n) = n.as_int() else {
                return V::Unknown;
            };
            let n = n.max(0) as usize;
            let take = name == "take";
            match x {
                V::Str(s) => {
                    let chars = s.chars();
                    V::Str(if take {
                        chars.take(n).collect()
                    } else {
                        chars.skip(n).collect()
                    })
                }
                V::Array(a) => {
                    let n = n.min(a.len());
                    V::Array(if take {
                        a[..n].to_vec()
                    } else {
                        a[n..].to_vec()
                    })
                }
                _ => V::Unknown,
            }
        }
        ("indexof" | "lastindexof", [V::Str(s), V::Str(t)]) => {
            // Azure compares case-insensitively here; the index counts characters.
            let (s, t) = (s.to_lowercase(), t.to_lowercase());
            let at = if name == "indexof" {
                s.find(&t)
            } else {
                s.rfind(&t)
            };
            V::Num(at.map_or(-1.0, |i| s[..i].chars().count() as f64))
        }
        ("indexof" | "lastindexof", [V::Array(a), item]) => {
            let mut found = -1.0;
            for (i, x) in a.iter().enumerate() {
                match equals(x, item) {
                    Some(true) => {
                        found = i as f64;
                        if name == "indexof" {
                            break;
                        }
                    }
                    Some(false) => {}
                    None => return V::Unknown,
                }
            }
            V::Num(found)
        }
        ("startswith" | "endswith", [V::Str(s), V::Str(t)]) => {
            let (s, t) = (s.to_lowercase(), t.to_lowercase());
            V::Bool(if name == "startswith" {
                s.starts_with(&t)
            } else {
                s.ends_with(&t)
            })
        }
        ("trim", [V::Str(s)]) => V::Str(s.trim().to_string()),
        ("padleft", [x, width, rest @ ..]) => {
            let Some(s) = x
                .parts()
                .filter(|p| p.len() == 1 && x.is_known())
                .map(|_| match x {
                    V::Num(n) => num_text(*n),
                    V::Str(s) => s.clone(),
                    _ => String::new(),
                })
            else {
                return V::Unknown;
            };
            let pad = match rest {
                [] => ' ',
                [V::Str(p)] if p.chars().count() == 1 => p.chars().next().unwrap_or(' '),
                _ => return V::Unknown,
            };
            let Some(width) = width.as_int() else {
                return V::Unknown;
            };
            let len = s.chars().count() as i64;
            if width > MAX_STRING as i64 {
                return V::Unknown;
            }
            let mut out: String = std::iter::repeat_n(pad, (width - len).max(0) as usize).collect();
            out.push_str(&s);
            V::Str(out)
        }
        ("range", [start, count]) => {
            let (Some(start), Some(count)) = (start.as_int(), count.as_int()) else {
                return V::Unknown;
            };
            if !(0..=MAX_ITEMS as i64).contains(&count) {
                return V::Unknown;
            }
            V::Array((0..count).map(|i| V::Num((start + i) as f64)).collect())
        }
        ("array", [x]) => match x {
            V::Array(_) => x.clone(),
            V::Unknown | V::Partial(_) => V::Unknown,
            _ => V::Array(vec![x.clone()]),
        },
        ("items", [V::Object(m)]) => {
            let mut m = m.clone();
            m.sort_by_key(|(k, _)| k.to_lowercase());
            V::Array(
                m.into_iter()
                    .map(|(k, v)| V::Object(vec![("key".into(), V::Str(k)), ("value".into(), v)]))
                    .collect(),
            )
        }
        // Deployment-time values (`resourceGroup()`, `subscription()`, `deployment()`,
        // `reference()`, `list*()`, `newGuid()`, `utcNow()`, `environment()`), lambdas,
        // user-defined functions, and calls with arguments of the wrong kind.
        _ => V::Unknown,
    }
}

fn limit_str(s: String) -> EvalValue {
    if s.len() > MAX_STRING {
        EvalValue::Unknown
    } else {
        EvalValue::Str(s)
    }
}

fn limit_array(a: Vec<EvalValue>) -> EvalValue {
    if a.len() > MAX_ITEMS {
        EvalValue::Unknown
    } else {
        EvalValue::Array(a)
    }
}

/// `concat`: arrays when the first argument is one, otherwise strings (keeping known parts).
fn concat(v: &[EvalValue]) -> EvalValue {
    if v.iter().any(|x| matches!(x, EvalValue::Array(_))) {
        let mut out = Vec::new();
        for x in v {
            match x {
                EvalValue::Array(a) => out.extend(a.iter().cloned()),
                EvalValue::Null => {}
                _ => return EvalValue::Unknown,
            }
            if out.len() > MAX_ITEMS {
                return EvalValue::Unknown;
            }
        }
        return EvalValue::Array(out);
    }
    let mut parts = Vec::new();
    for x in v {
        match x {
            EvalValue::Object(_) => return EvalValue::Unknown,
            EvalValue::Null => {}
            x => match x.parts() {
                Some(p) => parts.extend(p),
                None => parts.push(Part::Unknown),
            },
        }
    }
    EvalValue::from_parts(parts)
}

/// `union` and `shallowMerge`: objects merge (later members win), arrays join without
/// duplicates.
fn union(v: &[EvalValue]) -> EvalValue {
    match v.first() {
        Some(EvalValue::Object(_)) => {
            let mut out: Vec<(String, EvalValue)> = Vec::new();
            for x in v {
                let EvalValue::Object(m) = x else {
                    return EvalValue::Unknown;
                };
                for (k, val) in m {
                    match out.iter_mut().find(|(o, _)| o.eq_ignore_ascii_case(k)) {
                        Some(slot) => slot.1 = val.clone(),
                        None => out.push((k.clone(), val.clone())),
                    }
                }
            }
            EvalValue::Object(out)
        }
        Some(EvalValue::Array(_)) => {
            let mut out: Vec<EvalValue> = Vec::new();
            for x in v {
                let EvalValue::Array(a) = x else {
                    return EvalValue::Unknown;
                };
                for e in a {
                    if !e.is_fully_known() {
                        return EvalValue::Unknown;
                    }
                    if !out.iter().any(|o| equals(o, e) == Some(true)) {
                        out.push(e.clone());
                    }
                    if out.len() > MAX_ITEMS {
                        return EvalValue::Unknown;
                    }
                }
            }
            EvalValue::Array(out)
        }
        _ => EvalValue::Unknown,
    }
}

/// Deep equality of two values; None when either is not known well enough to tell. Strings
/// compare as Azure's `equals` does, case-sensitively.
pub fn equals(a: &EvalValue, b: &EvalValue) -> Option<bool> {
    use EvalValue as V;
    match (a, b) {
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

/// A stable hash for `guid()` and `uniqueString()`: of the argument values when all are known,
/// otherwise of the arguments as written (D24).
fn opaque_hash(args: &[Expr], values: &[EvalValue]) -> u64 {
    let text = match values
        .iter()
        .map(EvalValue::as_str)
        .collect::<Option<Vec<_>>>()
    {
        Some(known) => known.join("\u{1}"),
        None => args
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join("\u{1}"),
    };
    // FNV-1a: the same text gives the same string in every run and build.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn format_parts(fmt: &str, args: &[EvalValue]) -> EvalValue {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    spec.push(d);
                }
                parts.push(Part::Known(std::mem::take(&mut text)));
                match format_item(&spec, args) {
                    Some(p) => parts.extend(p),
                    None => parts.push(Part::Unknown),
                }
            }
            c => text.push(c),
        }
    }
    parts.push(Part::Known(text));
    EvalValue::from_parts(parts)
}

/// One `{index[,alignment][:format]}` item of `format()`. Zero-padding (`D3`, `000`) and
/// alignment are applied to known values; other format strings give an unknown piece.
fn format_item(spec: &str, args: &[EvalValue]) -> Option<Vec<Part>> {
    let (head, fmt) = match spec.split_once(':') {
        Some((h, f)) => (h, Some(f)),
        None => (spec, None),
    };
    let (index, align) = match head.split_once(',') {
        Some((i, a)) => (i, Some(a.trim().parse::<i64>().ok()?)),
        None => (head, None),
    };
    let arg = args.get(index.trim().parse::<usize>().ok()?)?;
    let mut text = match fmt {
        None => return arg.parts().map(|p| pad(p, align)),
        Some(f) => {
            let n = arg.as_int()?;
            let width = if let Some(d) = f.strip_prefix(['D', 'd']) {
                d.parse::<usize>().ok()?
            } else if !f.is_empty() && f.chars().all(|c| c == '0') {
                f.len()
            } else {
                return None;
            };
            let digits = format!("{:0width$}", n.unsigned_abs(), width = width.min(64));
            if n < 0 {
                format!("-{digits}")
            } else {
                digits
            }
        }
    };
    if let Some(a) = align {
        let w = a.unsigned_abs() as usize;
        while text.chars().count() < w.min(1024) {
            if a > 0 {
                text.insert(0, ' ');
            } else {
                text.push(' ');
            }
        }
    }
    Some(vec![Part::Known(text)])
}

fn pad(parts: Vec<Part>, align: Option<i64>) -> Vec<Part> {
    match (align, parts.as_slice()) {
        (None, _) => parts,
        (Some(a), [Part::Known(s)]) => {
            let mut s = s.clone();
            let w = (a.unsigned_abs() as usize).min(1024);
            while s.chars().count() < w {
                if a > 0 {
                    s.insert(0, ' ');
                } else {
                    s.push(' ');
                }
            }
            vec![Part::Known(s)]
        }
        _ => vec![Part::Unknown],
    }
}

#[derive(Clone, Copy)]
enum IdScope {
    ResourceGroup,
    Subscription,
    Tenant,
}

/// `resourceId([subscriptionId], [resourceGroupName], resourceType, name1, name2, …)`.
fn resource_id(args: &[EvalValue], scope: IdScope) -> EvalValue {
    // The resource type is the first argument containing a `/`; before it are the optional
    // subscription and resource group.
    let Some(type_at) = args
        .iter()
        .position(|a| a.as_str().is_some_and(|s| s.contains('/')))
    else {
        return EvalValue::Unknown;
    };
    let rtype = args[type_at]
        .as_str()
        .unwrap_or_default()
        .trim_matches('/')
        .to_string();
    let names = &args[type_at + 1..];
    let segs: Vec<&str> = rtype.split('/').collect();
    if segs.len() < 2 || names.len() != segs.len() - 1 {
        return EvalValue::Unknown;
    }
    let arg = |v: &EvalValue| v.parts().unwrap_or_else(|| vec![Part::Unknown]);
    let mut parts = Vec::new();
    match scope {
        IdScope::ResourceGroup => {
            parts.push(Part::Known("/subscriptions/".into()));
            parts.extend(if type_at >= 2 {
                arg(&args[type_at - 2])
            } else {
                vec![Part::Unknown]
            });
            parts.push(Part::Known("/resourceGroups/".into()));
            parts.extend(if type_at >= 1 {
                arg(&args[type_at - 1])
            } else {
                vec![Part::Unknown]
            });
        }
        IdScope::Subscription => {
            parts.push(Part::Known("/subscriptions/".into()));
            parts.extend(if type_at >= 1 {
                arg(&args[type_at - 1])
            } else {
                vec![Part::Unknown]
            });
        }
        IdScope::Tenant => {}
    }
    parts.push(Part::Known(format!("/providers/{}/{}", segs[0], segs[1])));
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            parts.push(Part::Known(format!("/{}", segs[i + 1])));
        }
        parts.push(Part::Known("/".into()));
        parts.extend(arg(name));
    }
    EvalValue::from_parts(parts)
}

/// An expression whose context-free evaluation gives this partially known string, for keeping a
/// partially known value in the IR: the known pieces as literals, the unknown ones as a call to
/// `unknown()`.
pub fn partial_expression(parts: &[Part]) -> String {
    let pieces: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Part::Known(s) => Expr::Str(s.clone()).to_string(),
            Part::Unknown => "unknown()".to_string(),
        })
        .collect();
    format!("[concat({})]", pieces.join(", "))
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

/// The resource id an ARM string value or expression names, if its type is known.
pub fn resource_id_of(text: &str) -> Option<ArmId> {
    let value = if text.starts_with('[') && !text.starts_with("[[") {
        eval(&parse(text).ok()?)
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
        assert!(parse("[a(b(c(d(e(f(g(h(i(j(k(l(m(n(o(p(q(r(s(t(u(v(w(x(y(z(a(b(c(d(e(f(g(h(i(j(k(l(m(n(o(p(q(r(s(t(u(v(w(x(y(z(a(b(c(d(e(f(g(h(i(j(k(l(m()))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))]").is_err());
        assert_eq!(
            eval(&parse("[parameters('x').y]").unwrap()),
            EvalValue::Unknown
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
    fn n(v: f64) -> EvalValue {
        EvalValue::Num(v)
    }
    fn b(v: bool) -> EvalValue {
        EvalValue::Bool(v)
    }

    #[test]
    fn every_listed_function_evaluates() {
        let cases: Vec<(&str, EvalValue)> = vec![
            (
                "[concat(createArray(1), createArray(2, 3))]",
                ev("[createArray(1, 2, 3)]"),
            ),
            (
                "[format('{0:D3}-{1,4}|{2:000}', 7, 'ab', 5)]",
                s("007-  ab|005"),
            ),
            ("[string(createObject('a', 1))]", s("{\"a\":1}")),
            ("[string(true)]", s("True")),
            ("[int('42')]", n(42.0)),
            ("[bool('TRUE')]", b(true)),
            ("[json('{\"x\": [1, null]}').x[0]]", n(1.0)),
            ("[if(equals(1, 1), 'yes', 'no')]", s("yes")),
            ("[coalesce(null(), null, 'c')]", s("c")),
            ("[empty('')]", b(true)),
            ("[empty(createArray(1))]", b(false)),
            (
                "[equals(createObject('A', 1), createObject('a', 1))]",
                b(true),
            ),
            ("[equals('a', 'A')]", b(false)),
            ("[not(false())]", b(true)),
            ("[and(true, false)]", b(false)),
            ("[or(false, true)]", b(true)),
            ("[contains('abc', 'b')]", b(true)),
            ("[contains(createArray('x', 'y'), 'y')]", b(true)),
            ("[contains(createObject('Key', 1), 'key')]", b(true)),
            ("[length('héllo')]", n(5.0)),
            ("[toUpper('ab')]", s("AB")),
            ("[replace('a-b-c', '-', '/')]", s("a/b/c")),
            ("[split('a,b;c', createArray(',', ';'))[2]]", s("c")),
            ("[first('xyz')]", s("x")),
            ("[last(createArray(1, 2))]", n(2.0)),
            (
                "[union(createObject('a', 1), createObject('a', 2, 'b', 3)).a]",
                n(2.0),
            ),
            (
                "[length(union(createArray(1, 2), createArray(2, 3)))]",
                n(3.0),
            ),
            (
                "[tryGet(createObject('a', createObject('b', 1)), 'a', 'b')]",
                n(1.0),
            ),
            ("[tryGet(createObject('a', 1), 'missing')]", EvalValue::Null),
            ("[substring('abcdef', 2, 3)]", s("cde")),
            ("[add(1, 2)]", n(3.0)),
            ("[sub(1, 2)]", n(-1.0)),
            ("[mul(3, 4)]", n(12.0)),
            ("[div(7, 2)]", n(3.0)),
            ("[mod(7, 2)]", n(1.0)),
            ("[greater(2, 1)]", b(true)),
            ("[greaterOrEquals(1, 1)]", b(true)),
            ("[less('a', 'b')]", b(true)),
            ("[lessOrEquals(2, 1)]", b(false)),
            (
                "[shallowMerge(createArray(createObject('a', 1), createObject('b', 2))).b]",
                n(2.0),
            ),
            ("[take('abc', 2)]", s("ab")),
            ("[skip(createArray(1, 2, 3), 2)[0]]", n(3.0)),
            ("[indexOf('abcB', 'B')]", n(1.0)),
            ("[lastIndexOf('abcB', 'b')]", n(3.0)),
            ("[startsWith('Hello', 'he')]", b(true)),
            ("[endsWith('Hello', 'LO')]", b(true)),
            ("[trim('  x ')]", s("x")),
            ("[padLeft(7, 3, '0')]", s("007")),
            ("[range(5, 2)[1]]", n(6.0)),
            ("[min(3, 1, 2)]", n(1.0)),
            ("[max(createArray(3, 1, 2))]", n(3.0)),
            ("[array('x')[0]]", s("x")),
            ("[items(createObject('b', 2, 'a', 1))[0].key]", s("a")),
            ("[null()]", EvalValue::Null),
            ("[createObject('k', 'v').k]", s("v")),
            (
                "[subscriptionResourceId('Microsoft.Network/dnsZones', 'z')]",
                EvalValue::Partial(vec![
                    Part::Known("/subscriptions/".into()),
                    Part::Unknown,
                    Part::Known("/providers/Microsoft.Network/dnsZones/z".into()),
                ]),
            ),
            (
                "[extensionResourceId('/x', 'Microsoft.Authorization/locks', 'l')]",
                s("/x/providers/Microsoft.Authorization/locks/l"),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(ev(text), want, "{text}");
        }
        // Deployment-time values are Unknown, and so is what is read from them.
        for text in [
            "[resourceGroup().location]",
            "[subscription().subscriptionId]",
            "[deployment().name]",
            "[reference('x').id]",
            "[listKeys('x', '2020-01-01').keys[0]]",
            "[newGuid()]",
            "[utcNow()]",
            "[environment().name]",
            "[copyIndex()]",
            "[div(1, 0)]",
            "[map(createArray(1), lambda('x', lambdaVariables('x')))]",
        ] {
            assert_eq!(ev(text), EvalValue::Unknown, "{text}");
        }
    }

    #[test]
    fn opaque_strings_compare_by_argument_text() {
        let a = ev("[uniqueString(resourceGroup().id, 'x')]");
        assert!(matches!(&a, EvalValue::Str(s) if s.len() == 13));
        assert_eq!(a, ev("[uniqueString(resourceGroup().id,'x')]"));
        assert_ne!(a, ev("[uniqueString(resourceGroup().id, 'y')]"));
        let g = ev("[guid('a', 'b')]");
        assert!(matches!(&g, EvalValue::Str(s) if s.len() == 36));
        assert_eq!(g, ev("[guid('a', 'b')]"));
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
