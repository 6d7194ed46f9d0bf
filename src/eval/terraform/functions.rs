//! Terraform's built-in functions that templates use around networking and naming, on evaluated
//! values. A function the analyzer does not implement, or one called with Unknown arguments,
//! returns Unknown; a call Terraform would reject returns an error value (an Unknown that `try`
//! and `can` recognise), never a panic.

use super::value::{
    as_index, as_number, as_string, equal, error, first_unknown, fmt_num, from_json, member,
    sorted_members, to_json, unknown,
};
use crate::ir::{Member, Node, Span, Value};
use std::net::IpAddr;

fn s(v: String, span: Span) -> Node {
    Node::new(Value::String(v), span)
}
fn num(v: f64, span: Span) -> Node {
    Node::new(Value::Number(v), span)
}
fn arr(v: Vec<Node>, span: Span) -> Node {
    Node::new(Value::Array(v), span)
}
fn boolean(v: bool, span: Span) -> Node {
    Node::new(Value::Bool(v), span)
}

/// Calls function `name` on evaluated arguments (`try`, `can` and `coalesce` are lazy and handled
/// by the caller). Unknown for anything not implemented.
pub fn call(name: &str, args: &[Node], span: Span) -> Node {
    // An Unknown argument gives Unknown; Unknown elements inside a collection only matter to
    // functions that read them.
    let reads_elements = !matches!(
        name,
        "length"
            | "concat"
            | "tolist"
            | "toset"
            | "tomap"
            | "distinct"
            | "element"
            | "keys"
            | "values"
            | "lookup"
            | "merge"
            | "contains"
            | "flatten"
            | "one"
            | "slice"
            | "reverse"
            | "coalescelist"
            | "index"
    );
    let blocking = args.iter().find(|a| a.is_unknown()).or_else(|| {
        if reads_elements {
            args.iter().find_map(first_unknown)
        } else {
            None
        }
    });
    if let Some(u) = blocking {
        let mut u = u.clone();
        u.span = span;
        return u;
    }
    let str_arg = |i: usize| args.get(i).and_then(as_string);
    let bad = || error(format!("invalid arguments to `{name}`"), span);
    match name {
        "lower" | "upper" | "trimspace" | "title" => match (str_arg(0), args.len()) {
            (Some(x), 1) => s(
                match name {
                    "lower" => x.to_lowercase(),
                    "upper" => x.to_uppercase(),
                    "trimspace" => x.trim().to_string(),
                    _ => x
                        .split(' ')
                        .map(|w| {
                            let mut c = w.chars();
                            c.next().map_or(String::new(), |f| {
                                f.to_uppercase().collect::<String>() + c.as_str()
                            })
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                },
                span,
            ),
            _ => bad(),
        },
        "tostring" => match args {
            [a] if a.is_null() => a.clone(),
            [a] => as_string(a).map_or_else(bad, |x| s(x, span)),
            _ => bad(),
        },
        "tonumber" => match args {
            [a] if a.is_null() => a.clone(),
            [a] => as_number(a).map_or_else(bad, |x| num(x, span)),
            _ => bad(),
        },
        "tobool" => match args {
            [a] => a.as_bool().map_or_else(bad, |x| boolean(x, span)),
            _ => bad(),
        },
        "trimprefix" | "trimsuffix" | "startswith" | "endswith" | "split" => {
            match (str_arg(0), str_arg(1), args.len()) {
                (Some(a), Some(b), 2) => match name {
                    "trimprefix" => s(a.strip_prefix(b.as_str()).unwrap_or(&a).to_string(), span),
                    "trimsuffix" => s(a.strip_suffix(b.as_str()).unwrap_or(&a).to_string(), span),
                    "startswith" => boolean(a.starts_with(&b), span),
                    "endswith" => boolean(a.ends_with(&b), span),
                    _ => {
                        // split(separator, string)
                        if a.is_empty() {
                            return unknown("split with an empty separator", span);
                        }
                        arr(
                            b.split(a.as_str()).map(|p| s(p.into(), span)).collect(),
                            span,
                        )
                    }
                },
                _ => bad(),
            }
        }
        "replace" => match (str_arg(0), str_arg(1), str_arg(2)) {
            (Some(x), Some(from), Some(to)) if args.len() == 3 => {
                if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                    unknown("`replace` with a regular expression is not evaluated", span)
                } else if from.is_empty() {
                    s(x, span)
                } else {
                    s(x.replace(&from, &to), span)
                }
            }
            _ => bad(),
        },
        "substr" => match (
            str_arg(0),
            args.get(1).and_then(as_index),
            args.get(2).and_then(as_index),
        ) {
            (Some(x), Some(off), Some(len)) => {
                let chars: Vec<char> = x.chars().collect();
                let n = chars.len() as i64;
                let start = if off < 0 { n + off } else { off };
                if start < 0 || start > n {
                    return bad();
                }
                let end = if len < 0 { n } else { (start + len).min(n) };
                s(chars[start as usize..end as usize].iter().collect(), span)
            }
            _ => bad(),
        },
        "join" => {
            let Some(sep) = str_arg(0) else { return bad() };
            let mut parts = Vec::new();
            for l in &args[1..] {
                let Value::Array(items) = &l.value else {
                    return bad();
                };
                for i in items {
                    match as_string(i) {
                        Some(x) => parts.push(x),
                        None => return bad(),
                    }
                }
            }
            if args.len() < 2 {
                return bad();
            }
            s(parts.join(&sep), span)
        }
        "format" => match str_arg(0) {
            Some(f) => format(&f, &args[1..], span),
            None => bad(),
        },
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                match &l.value {
                    Value::Array(items) => out.extend(items.iter().cloned()),
                    _ => return bad(),
                }
            }
            arr(out, span)
        }
        "length" => match args {
            [a] => match &a.value {
                Value::Array(x) => num(x.len() as f64, span),
                Value::Object(x) => num(x.len() as f64, span),
                Value::String(x) => num(x.chars().count() as f64, span),
                _ => bad(),
            },
            _ => bad(),
        },
        "element" => match args {
            [l, i] => match (&l.value, as_index(i)) {
                (_, _) if i.is_unknown() => unknown("unknown index", span),
                (Value::Array(items), Some(i)) if !items.is_empty() && i >= 0 => {
                    items[(i as usize) % items.len()].clone()
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "index" => match args {
            [l, v] => match &l.value {
                Value::Array(items) => {
                    for (k, it) in items.iter().enumerate() {
                        match equal(it, v) {
                            Some(true) => return num(k as f64, span),
                            None => return unknown("unknown element", span),
                            _ => {}
                        }
                    }
                    bad()
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "contains" => match args {
            [l, v] => match &l.value {
                Value::Array(items) => {
                    let mut undecided = false;
                    for it in items {
                        match equal(it, v) {
                            Some(true) => return boolean(true, span),
                            None => undecided = true,
                            _ => {}
                        }
                    }
                    if undecided {
                        unknown("unknown element", span)
                    } else {
                        boolean(false, span)
                    }
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "keys" | "values" => match args {
            [m] => match &m.value {
                Value::Object(members) => arr(
                    sorted_members(members)
                        .into_iter()
                        .map(|m| {
                            if name == "keys" {
                                s(m.key.clone(), span)
                            } else {
                                m.value.clone()
                            }
                        })
                        .collect(),
                    span,
                ),
                _ => bad(),
            },
            _ => bad(),
        },
        "lookup" => match args {
            [m, k] | [m, k, _] => {
                let (Value::Object(members), Some(key)) = (&m.value, as_string(k)) else {
                    return bad();
                };
                match members.iter().find(|x| x.key == key) {
                    Some(x) => x.value.clone(),
                    None => args.get(2).cloned().unwrap_or_else(bad),
                }
            }
            _ => bad(),
        },
        "merge" => {
            let mut out: Vec<Member> = Vec::new();
            for m in args {
                match &m.value {
                    Value::Object(members) => {
                        for x in members {
                            match out.iter_mut().find(|o| o.key == x.key) {
                                Some(o) => *o = x.clone(),
                                None => out.push(x.clone()),
                            }
                        }
                    }
                    Value::Null => {}
                    _ => return bad(),
                }
            }
            Node::new(Value::Object(out), span)
        }
        "zipmap" => match args {
            [k, v] => match (&k.value, &v.value) {
                (Value::Array(ks), Value::Array(vs)) if ks.len() == vs.len() => {
                    let mut out = Vec::new();
                    for (k, v) in ks.iter().zip(vs) {
                        let Some(k) = as_string(k) else { return bad() };
                        out.push(member(k, v.clone(), span));
                    }
                    Node::new(Value::Object(out), span)
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "flatten" => match args {
            [l] => {
                let mut out = Vec::new();
                if flatten(l, &mut out, 0) {
                    arr(out, span)
                } else {
                    bad()
                }
            }
            _ => bad(),
        },
        "distinct" | "toset" => match args {
            [l] => match &l.value {
                Value::Array(items) => {
                    let mut out: Vec<Node> = Vec::new();
                    for it in items {
                        match out.iter().map(|o| equal(o, it)).find(|e| *e != Some(false)) {
                            Some(Some(true)) => {}
                            Some(None) => return unknown("unknown element", span),
                            _ => out.push(it.clone()),
                        }
                    }
                    if name == "toset" && out.iter().all(|o| matches!(o.value, Value::String(_))) {
                        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                    arr(out, span)
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "tolist" | "tomap" => match args {
            [l] if name == "tolist" && matches!(l.value, Value::Array(_)) => l.clone(),
            [m] if name == "tomap" && matches!(m.value, Value::Object(_)) => m.clone(),
            _ => bad(),
        },
        "reverse" => match args {
            [l] => match &l.value {
                Value::Array(items) => arr(items.iter().rev().cloned().collect(), span),
                _ => bad(),
            },
            _ => bad(),
        },
        "sort" => match args {
            [l] => match &l.value {
                Value::Array(items) => {
                    let mut v: Vec<String> = Vec::new();
                    for i in items {
                        match as_string(i) {
                            Some(x) => v.push(x),
                            None => return bad(),
                        }
                    }
                    v.sort();
                    arr(v.into_iter().map(|x| s(x, span)).collect(), span)
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "slice" => match args {
            [l, a, b] => match (&l.value, as_index(a), as_index(b)) {
                (Value::Array(items), Some(a), Some(b))
                    if 0 <= a && a <= b && b as usize <= items.len() =>
                {
                    arr(items[a as usize..b as usize].to_vec(), span)
                }
                _ => bad(),
            },
            _ => bad(),
        },
        "compact" => match args {
            [l] => match &l.value {
                Value::Array(items) => arr(
                    items
                        .iter()
                        .filter(|i| !(i.is_null() || i.as_str() == Some("")))
                        .cloned()
                        .collect(),
                    span,
                ),
                _ => bad(),
            },
            _ => bad(),
        },
        "one" => match args {
            [l] => match &l.value {
                Value::Array(items) if items.is_empty() => Node::new(Value::Null, span),
                Value::Array(items) if items.len() == 1 => items[0].clone(),
                _ => bad(),
            },
            _ => bad(),
        },
        "coalescelist" => args
            .iter()
            .find(|l| !l.items().is_empty())
            .cloned()
            .unwrap_or_else(|| arr(Vec::new(), span)),
        "abs" | "ceil" | "floor" | "signum" => match args.first().and_then(as_number) {
            Some(x) if args.len() == 1 => num(
                match name {
                    "abs" => x.abs(),
                    "ceil" => x.ceil(),
                    "floor" => x.floor(),
                    _ => {
                        if x == 0.0 {
                            0.0
                        } else {
                            x.signum()
                        }
                    }
                },
                span,
            ),
            _ => bad(),
        },
        "min" | "max" => {
            let mut v = Vec::new();
            for a in args {
                match as_number(a) {
                    Some(x) => v.push(x),
                    None => return bad(),
                }
            }
            let r = if name == "min" {
                v.into_iter().reduce(f64::min)
            } else {
                v.into_iter().reduce(f64::max)
            };
            r.map_or_else(bad, |x| num(x, span))
        }
        "range" => {
            let n: Vec<f64> = args.iter().filter_map(as_number).collect();
            if n.len() != args.len() {
                return bad();
            }
            let (start, end, step) = match n[..] {
                [e] => (0.0, e, 1.0),
                [s0, e] => (s0, e, if e >= s0 { 1.0 } else { -1.0 }),
                [s0, e, st] => (s0, e, st),
                _ => return bad(),
            };
            if step == 0.0 {
                return bad();
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= 1024 {
                    return unknown("`range` result too long", span);
                }
                out.push(num(x, span));
                x += step;
            }
            arr(out, span)
        }
        "jsonencode" => match args {
            [v] => match to_json(v, 0) {
                Some(j) => s(j.to_string(), span),
                None => bad(),
            },
            _ => bad(),
        },
        "jsondecode" => match str_arg(0) {
            Some(x) => match serde_json::from_str::<serde_json::Value>(&x) {
                Ok(j) => from_json(&j, span),
                Err(_) => bad(),
            },
            None => bad(),
        },
        "cidrsubnet" => match (
            str_arg(0),
            args.get(1).and_then(as_index),
            args.get(2).and_then(as_index),
        ) {
            (Some(p), Some(bits), Some(n)) => {
                cidrsubnet(&p, bits, n).map_or_else(bad, |x| s(x, span))
            }
            _ => bad(),
        },
        "cidrhost" => match (str_arg(0), args.get(1).and_then(as_index)) {
            (Some(p), Some(n)) => cidrhost(&p, n).map_or_else(bad, |x| s(x, span)),
            _ => bad(),
        },
        "cidrnetmask" => match str_arg(0).and_then(|p| p.parse::<ipnet::IpNet>().ok()) {
            Some(ipnet::IpNet::V4(n)) => s(n.netmask().to_string(), span),
            _ => bad(),
        },
        _ => unknown(format!("function `{name}` is not evaluated"), span),
    }
}

fn flatten(l: &Node, out: &mut Vec<Node>, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match &l.value {
        Value::Array(items) => items.iter().all(|i| match &i.value {
            Value::Array(_) => flatten(i, out, depth + 1),
            _ => {
                out.push(i.clone());
                true
            }
        }),
        _ => false,
    }
}

/// Terraform's `format` verbs: `%s`, `%d`, `%v`, `%q`, `%f` (with precision), `%%`.
fn format(f: &str, args: &[Node], span: Span) -> Node {
    let mut out = String::new();
    let mut it = f.chars().peekable();
    let mut next = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = it.peek() {
            if d.is_ascii_digit() || d == '.' || d == '-' || d == '+' || d == '#' || d == ' ' {
                spec.push(d);
                it.next();
            } else {
                break;
            }
        }
        let Some(verb) = it.next() else {
            return error("bad format", span);
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = args.get(next) else {
            return error("too few arguments to `format`", span);
        };
        next += 1;
        let text = match verb {
            's' | 'v' => as_string(a),
            'd' => as_number(a).filter(|x| x.fract() == 0.0).map(fmt_num),
            'q' => as_string(a).map(|x| serde_json::Value::String(x).to_string()),
            'f' => as_number(a).map(|x| match spec.split_once('.') {
                Some((_, p)) => format!("{x:.*}", p.parse().unwrap_or(6)),
                None => format!("{x:.6}"),
            }),
            _ => return unknown(format!("format verb `%{verb}` is not evaluated"), span),
        };
        let Some(text) = text else {
            return error("bad argument to `format`", span);
        };
        let width: usize = spec
            .trim_start_matches(['-', '+', '#', ' '])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0)
            .min(1000);
        let pad = width.saturating_sub(text.chars().count());
        if spec.starts_with('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            let fill = if spec.starts_with('0') && verb != 's' {
                '0'
            } else {
                ' '
            };
            out.extend(std::iter::repeat_n(fill, pad));
            out.push_str(&text);
        }
    }
    s(out, span)
}
fn cidrsubnet(prefix: &str, newbits: i64, netnum: i64) -> Option<String> {
    let net: ipnet::IpNet = prefix.parse().ok()?;
    let (bits, max) = match net {
        ipnet::IpNet::V4(_) => (32u32, 32u32),
        ipnet::IpNet::V6(_) => (128, 128),
    };
    let _ = bits;
    let newlen = net.prefix_len() as i64 + newbits;
    if newbits < 0
        || newlen > max as i64
        || netnum < 0
        || (newbits < 64 && netnum >= 1i64 << newbits)
    {
        return None;
    }
    let shift = max as i64 - newlen;
    match net.trunc() {
        ipnet::IpNet::V4(n) => {
            let base = u32::from(n.network()) as u64;
            let addr = base | ((netnum as u64) << shift);
            let ip = std::net::Ipv4Addr::from(addr as u32);
            Some(format!("{ip}/{newlen}"))
        }
        ipnet::IpNet::V6(n) => {
            let base = u128::from(n.network());
            let addr = base | ((netnum as u128).checked_shl(shift as u32)?);
            Some(format!("{}/{newlen}", std::net::Ipv6Addr::from(addr)))
        }
    }
}

fn cidrhost(prefix: &str, hostnum: i64) -> Option<String> {
    let net: ipnet::IpNet = prefix.parse().ok()?;
    let ip: IpAddr = match net.trunc() {
        ipnet::IpNet::V4(n) => {
            let size = 1u64 << (32 - n.prefix_len());
            let h = if hostnum < 0 {
                size as i64 + hostnum
            } else {
                hostnum
            };
            if h < 0 || h as u64 >= size {
                return None;
            }
            IpAddr::V4(std::net::Ipv4Addr::from(
                (u32::from(n.network()) as u64 + h as u64) as u32,
            ))
        }
        ipnet::IpNet::V6(n) => {
            if hostnum < 0 {
                return None;
            }
            IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(n.network()).checked_add(hostnum as u128)?,
            ))
        }
    };
    Some(ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::terraform::value::is_error;

    fn sp() -> Span {
        Span::new(0, 0, 0)
    }
    fn st(x: &str) -> Node {
        s(x.into(), sp())
    }
    fn n(x: f64) -> Node {
        num(x, sp())
    }
    fn l(v: Vec<Node>) -> Node {
        arr(v, sp())
    }
    fn o(v: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Object(
                v.into_iter()
                    .map(|(k, v)| member(k.into(), v, sp()))
                    .collect(),
            ),
            sp(),
        )
    }
    fn c(name: &str, args: Vec<Node>) -> Node {
        call(name, &args, sp())
    }
    fn strs(n: &Node) -> Vec<String> {
        n.items().iter().map(|i| as_string(i).unwrap()).collect()
    }

    #[test]
    fn string_functions() {
        assert_eq!(c("lower", vec![st("AbC")]).as_str(), Some("abc"));
        assert_eq!(c("upper", vec![st("AbC")]).as_str(), Some("ABC"));
        assert_eq!(c("trimspace", vec![st("  a b \n")]).as_str(), Some("a b"));
        assert_eq!(
            c("replace", vec![st("a-b-c"), st("-"), st("_")]).as_str(),
            Some("a_b_c")
        );
        assert!(c("replace", vec![st("a"), st("/a/"), st("b")]).is_unknown());
        assert_eq!(strs(&c("split", vec![st(","), st("a,b")])), ["a", "b"]);
        assert_eq!(
            c("join", vec![st("-"), l(vec![st("a"), n(1.0)])]).as_str(),
            Some("a-1")
        );
        assert_eq!(c("tostring", vec![n(22.0)]).as_str(), Some("22"));
        assert_eq!(c("tonumber", vec![st("3389")]).value, Value::Number(3389.0));
        assert!(is_error(&c("tonumber", vec![st("x")])));
        assert_eq!(
            c("substr", vec![st("hello"), n(1.0), n(3.0)]).as_str(),
            Some("ell")
        );
        assert_eq!(
            c("startswith", vec![st("hello"), st("he")]).as_bool(),
            Some(true)
        );
        assert_eq!(
            c("endswith", vec![st("hello"), st("he")]).as_bool(),
            Some(false)
        );
    }

    #[test]
    fn format_verbs() {
        let f = |fmt: &str, args: Vec<Node>| {
            let mut a = vec![st(fmt)];
            a.extend(args);
            c("format", a).as_str().map(str::to_string)
        };
        assert_eq!(f("%s-%d", vec![st("a"), n(5.0)]).as_deref(), Some("a-5"));
        assert_eq!(f("%03d%%", vec![n(7.0)]).as_deref(), Some("007%"));
        assert_eq!(f("%q", vec![st("x")]).as_deref(), Some("\"x\""));
        assert_eq!(f("%.2f", vec![n(1.5)]).as_deref(), Some("1.50"));
        assert!(is_error(&c("format", vec![st("%s")])));
    }

    #[test]
    fn collection_functions() {
        let list = l(vec![st("a"), st("b"), st("a")]);
        assert_eq!(c("length", vec![list.clone()]).value, Value::Number(3.0));
        assert_eq!(strs(&c("distinct", vec![list.clone()])), ["a", "b"]);
        assert_eq!(
            strs(&c("toset", vec![l(vec![st("b"), st("a"), st("b")])])),
            ["a", "b"]
        );
        assert_eq!(strs(&c("tolist", vec![list.clone()])), ["a", "b", "a"]);
        assert_eq!(
            c("contains", vec![list.clone(), st("b")]).as_bool(),
            Some(true)
        );
        assert_eq!(
            c("contains", vec![list.clone(), st("z")]).as_bool(),
            Some(false)
        );
        assert_eq!(c("element", vec![list.clone(), n(4.0)]).as_str(), Some("b"));
        assert_eq!(
            strs(&c("concat", vec![list.clone(), l(vec![st("c")])])).len(),
            4
        );
        assert_eq!(
            strs(&c(
                "flatten",
                vec![l(vec![l(vec![st("x"), l(vec![st("y")])]), st("z")])]
            )),
            ["x", "y", "z"]
        );
        let m = o(vec![("b", n(2.0)), ("a", n(1.0))]);
        assert_eq!(strs(&c("keys", vec![m.clone()])), ["a", "b"]);
        assert_eq!(strs(&c("values", vec![m.clone()])), ["1", "2"]);
        assert_eq!(
            c("lookup", vec![m.clone(), st("b")]).value,
            Value::Number(2.0)
        );
        assert_eq!(
            c("lookup", vec![m.clone(), st("z"), st("d")]).as_str(),
            Some("d")
        );
        assert!(is_error(&c("lookup", vec![m.clone(), st("z")])));
        let merged = c(
            "merge",
            vec![m.clone(), o(vec![("a", n(9.0)), ("c", n(3.0))])],
        );
        assert_eq!(merged.get("a").unwrap().value, Value::Number(9.0));
        assert_eq!(merged.members().len(), 3);
        assert_eq!(c("tomap", vec![m.clone()]), m);
        let z = c("zipmap", vec![l(vec![st("k")]), l(vec![n(1.0)])]);
        assert_eq!(z.get("k").unwrap().value, Value::Number(1.0));
        assert!(c("one", vec![l(vec![])]).is_null());
        assert_eq!(strs(&c("compact", vec![l(vec![st("a"), st("")])])), ["a"]);
        assert_eq!(strs(&c("range", vec![n(3.0)])), ["0", "1", "2"]);
        assert_eq!(c("max", vec![n(3.0), n(7.0)]).value, Value::Number(7.0));
        assert_eq!(c("min", vec![n(3.0), n(7.0)]).value, Value::Number(3.0));
        assert_eq!(c("abs", vec![n(-3.0)]).value, Value::Number(3.0));
        assert!(c("setproduct", vec![list.clone()]).is_unknown());
    }

    #[test]
    fn unknown_arguments_give_unknown_lengths_stay_known() {
        let u = Node::unknown("x", sp());
        assert!(c("lower", vec![u.clone()]).is_unknown());
        assert!(!is_error(&c("lower", vec![u.clone()])));
        assert_eq!(
            c("length", vec![l(vec![u.clone(), u.clone()])]).value,
            Value::Number(2.0)
        );
        assert!(c("jsonencode", vec![l(vec![u])]).is_unknown());
    }

    #[test]
    fn json_functions() {
        let v = o(vec![
            ("b", l(vec![n(1.0), st("x")])),
            ("a", Node::new(Value::Bool(true), sp())),
        ]);
        let j = c("jsonencode", vec![v]);
        assert_eq!(j.as_str(), Some("{\"a\":true,\"b\":[1,\"x\"]}"));
        let back = c("jsondecode", vec![j]);
        assert_eq!(back.get("b").unwrap().items().len(), 2);
        assert!(is_error(&c("jsondecode", vec![st("{")])));
    }

    #[test]
    fn cidr_functions() {
        assert_eq!(
            c("cidrsubnet", vec![st("10.0.0.0/16"), n(8.0), n(2.0)]).as_str(),
            Some("10.0.2.0/24")
        );
        assert_eq!(
            c("cidrsubnet", vec![st("10.1.0.0/16"), n(4.0), n(15.0)]).as_str(),
            Some("10.1.240.0/20")
        );
        assert!(is_error(&c(
            "cidrsubnet",
            vec![st("10.0.0.0/16"), n(2.0), n(4.0)]
        )));
        assert_eq!(
            c("cidrhost", vec![st("10.0.1.0/24"), n(5.0)]).as_str(),
            Some("10.0.1.5")
        );
        assert_eq!(
            c("cidrhost", vec![st("10.0.1.0/24"), n(-1.0)]).as_str(),
            Some("10.0.1.255")
        );
        assert_eq!(
            c("cidrnetmask", vec![st("10.0.0.0/12")]).as_str(),
            Some("255.240.0.0")
        );
        assert_eq!(
            c("cidrsubnet", vec![st("fd00::/56"), n(8.0), n(1.0)]).as_str(),
            Some("fd00:0:0:1::/64")
        );
    }
}
