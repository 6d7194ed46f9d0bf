//! The ARM template expression language: parsing of `[...]` expressions and evaluation of the
//! functions whose result does not depend on the deployment (string building and resource ids).
//! Anything else evaluates to Unknown; a partially known string keeps its known parts, so that a
//! resource id built from an unknown subscription still names its provider type and resources
//! (D23).

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
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError("expression nested too deeply".into()));
        }
        let mut e = self.primary()?;
        loop {
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
        self.depth -= 1;
        Ok(e)
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
    Str(String),
    Num(f64),
    Bool(bool),
    /// A string with unknown parts (e.g. `resourceId` under an unknown subscription).
    Partial(Vec<Part>),
    Unknown,
}

impl EvalValue {
    fn parts(&self) -> Option<Vec<Part>> {
        match self {
            EvalValue::Str(s) => Some(vec![Part::Known(s.clone())]),
            EvalValue::Num(n) => Some(vec![Part::Known(num_text(*n))]),
            EvalValue::Bool(b) => Some(vec![Part::Known(if *b { "True" } else { "False" }.into())]),
            EvalValue::Partial(p) => Some(p.clone()),
            EvalValue::Unknown => None,
        }
    }
    fn from_parts(parts: Vec<Part>) -> EvalValue {
        let mut merged: Vec<Part> = Vec::new();
        for p in parts {
            match (merged.last_mut(), p) {
                (Some(Part::Known(a)), Part::Known(b)) => a.push_str(&b),
                (Some(Part::Unknown), Part::Unknown) => {}
                (_, p) => merged.push(p),
            }
        }
        match merged.as_slice() {
            [] => EvalValue::Str(String::new()),
            [Part::Known(s)] => EvalValue::Str(s.clone()),
            _ => EvalValue::Partial(merged),
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            EvalValue::Str(s) => Some(s),
            _ => None,
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

/// Evaluates what can be known without a deployment. `parameters()` and `variables()` are
/// Unknown here; a later evaluation stage supplies them.
pub fn eval(e: &Expr) -> EvalValue {
    match e {
        Expr::Str(s) => EvalValue::Str(s.clone()),
        Expr::Num(n) => EvalValue::Num(*n),
        Expr::Prop(..) | Expr::Index(..) => EvalValue::Unknown,
        Expr::Call { name, args } => call(&name.to_ascii_lowercase(), args),
    }
}

fn call(name: &str, args: &[Expr]) -> EvalValue {
    let vals = || args.iter().map(eval).collect::<Vec<_>>();
    match name {
        "concat" => {
            let mut parts = Vec::new();
            for v in vals() {
                match v.parts() {
                    Some(p) => parts.extend(p),
                    None => parts.push(Part::Unknown),
                }
            }
            EvalValue::from_parts(parts)
        }
        "format" => {
            let v = vals();
            let Some(EvalValue::Str(fmt)) = v.first() else {
                return EvalValue::Unknown;
            };
            format_parts(fmt, &v[1..])
        }
        "tolower" | "toupper" => match vals().first() {
            Some(EvalValue::Str(s)) if name == "tolower" => EvalValue::Str(s.to_lowercase()),
            Some(EvalValue::Str(s)) => EvalValue::Str(s.to_uppercase()),
            _ => EvalValue::Unknown,
        },
        "string" => match vals().first() {
            Some(v @ (EvalValue::Str(_) | EvalValue::Partial(_))) => v.clone(),
            Some(EvalValue::Num(n)) => EvalValue::Str(num_text(*n)),
            Some(EvalValue::Bool(b)) => EvalValue::Str(if *b { "True" } else { "False" }.into()),
            _ => EvalValue::Unknown,
        },
        "true" => EvalValue::Bool(true),
        "false" => EvalValue::Bool(false),
        "resourceid" => resource_id(&vals(), Scope::ResourceGroup),
        "subscriptionresourceid" => resource_id(&vals(), Scope::Subscription),
        "tenantresourceid" => resource_id(&vals(), Scope::Tenant),
        _ => EvalValue::Unknown,
    }
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
                let index: Option<usize> = spec
                    .split([',', ':'])
                    .next()
                    .and_then(|i| i.trim().parse().ok());
                parts.push(Part::Known(std::mem::take(&mut text)));
                match index.and_then(|i| args.get(i)).and_then(EvalValue::parts) {
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

#[derive(Clone, Copy)]
enum Scope {
    ResourceGroup,
    Subscription,
    Tenant,
}

/// `resourceId([subscriptionId], [resourceGroupName], resourceType, name1, name2, …)`.
fn resource_id(args: &[EvalValue], scope: Scope) -> EvalValue {
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
        Scope::ResourceGroup => {
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
        Scope::Subscription => {
            parts.push(Part::Known("/subscriptions/".into()));
            parts.extend(if type_at >= 1 {
                arg(&args[type_at - 1])
            } else {
                vec![Part::Unknown]
            });
        }
        Scope::Tenant => {}
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
}
