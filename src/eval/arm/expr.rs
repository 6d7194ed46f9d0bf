//! The ARM template expression language: parsing of `[...]` expressions, their values
//! ([`EvalValue`]), and evaluation of literals, property access, indexing and calls of the
//! functions in [`super::functions`] (those whose result does not depend on the deployment).
//! Anything else evaluates to Unknown; a partially known string keeps its known parts, so that a
//! resource id built from an unknown subscription still names its provider type and resources
//! (D23), which [`resource_id_of`] reads.

use super::functions;
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
pub(super) const MAX_STRING: usize = 1 << 20;
pub(super) const MAX_ITEMS: usize = 10_000;

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
    pub(super) fn as_num(&self) -> Option<f64> {
        match self {
            EvalValue::Num(n) => Some(*n),
            _ => None,
        }
    }
    /// An integer argument (ARM integers are 64-bit).
    pub(super) fn as_int(&self) -> Option<i64> {
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
    pub(super) fn to_json(&self) -> Option<serde_json::Value> {
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
        Expr::Call { name, args } => functions::call(&name.to_ascii_lowercase(), args, env),
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

/// A resource id read from a (partially known) string: the provider namespace with its type
/// segments, and the resource names (`None` where unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId {
    /// Full type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    pub rtype: String,
    pub names: Vec<Option<String>>,
}

/// Reads the `/providers/Namespace/type/name[/type/name…]` part of an id. The subscription and
/// resource group may be unknown (D23); a type segment may not.
pub fn parse_resource_id(parts: &[Part]) -> Option<ResourceId> {
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
    let at = segs.iter().rposition(|s| {
        s.as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("providers"))
    })?;
    let rest = &segs[at + 1..];
    let namespace = rest.first()?.clone()?;
    let mut types = vec![namespace];
    let mut names = Vec::new();
    for pair in rest[1..].chunks(2) {
        types.push(pair.first()?.clone()?);
        names.push(pair.get(1)?.clone().filter(|n| !n.is_empty()));
    }
    if names.is_empty() {
        return None;
    }
    let rtype = format!("{}/{}", types[0], types[1..].join("/"));
    Some(ResourceId { rtype, names })
}

/// The resource id an ARM string value or expression names, if its type is known.
pub fn resource_id_of(text: &str) -> Option<ResourceId> {
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
        resource_id_of(text).map(|r| (r.rtype, r.names))
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
