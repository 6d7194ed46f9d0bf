//! Terraform's built-in functions that templates use around networking and naming, on evaluated
//! values, in one table ([`FUNCTIONS`]): each row names a function, the number of arguments it
//! takes, how Unknown arguments reach it, and the Rust function that implements it.
//!
//! A function the analyzer does not implement, or one called with Unknown arguments, returns
//! Unknown; a call Terraform would reject returns an error value (an Unknown that `try` and `can`
//! recognise), never a panic.

use super::value::{
    as_index, as_number, as_string, equal, error, first_unknown, fmt_num, from_json, is_error,
    join_pieces, member, sorted_members, to_json, unknown, Piece,
};
use crate::eval::Arity;
use crate::ir::{Member, Node, Span, Value};
use std::cell::RefCell;
use std::net::IpAddr;

/// Longest string a function or template may build (as for ARM): longer ones are Unknown, with
/// a warning. Azure and Terraform reject far smaller values, so only hostile input reaches it.
pub const MAX_STRING: usize = 1 << 20;
/// Most elements a function may build into one list.
pub const MAX_ITEMS: usize = 10_000;
/// Most elements `range` gives: Terraform's own limit.
const MAX_RANGE: usize = 1024;

thread_local! {
    /// The size bound the last function call reached, for the evaluator's warning.
    static LIMIT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The value of a call that would exceed a size bound: Unknown; `what` says which bound and
/// why, for the warning the evaluator reports at the construct being evaluated ([`take_limit`]).
fn too_large(what: String, span: Span) -> Node {
    let n = unknown(format!("value too large to evaluate ({what})"), span);
    LIMIT.with(|l| *l.borrow_mut() = Some(what));
    n
}

/// The size bound the last call reached (`"\`range(...)\` would have …"`), once.
pub fn take_limit() -> Option<String> {
    LIMIT.with(|l| l.borrow_mut().take())
}

/// A string result of `len` bytes built by `function`, refused when over [`MAX_STRING`].
fn string_bound(function: &str, len: usize, span: Span) -> Option<Node> {
    (len > MAX_STRING).then(|| {
        too_large(
            format!("`{function}(...)` would build a string of {len} bytes; strings stop at {MAX_STRING} bytes and the value is unknown"),
            span,
        )
    })
}

/// A list result of `len` elements built by `function`, refused when over [`MAX_ITEMS`].
fn list_bound(function: &str, len: usize, span: Span) -> Option<Node> {
    (len > MAX_ITEMS).then(|| {
        too_large(
            format!("`{function}(...)` would have {len} elements; lists stop at {MAX_ITEMS} and the value is unknown"),
            span,
        )
    })
}

/// A function on evaluated arguments; `None` when Terraform would reject the arguments.
pub type ValuesFn = fn(&[&Node], Span) -> Option<Node>;

/// A function that evaluates its own arguments, only as far as it needs them (D26): `arg(i)`
/// evaluates argument `i` of `n`.
pub type LazyFn = fn(arg: &dyn Fn(usize) -> Node, n: usize, span: Span) -> Node;

/// How a function receives its arguments.
#[derive(Clone, Copy)]
pub enum Implementation {
    /// Called on the evaluated arguments (`list...` expanded). An Unknown argument makes the
    /// result Unknown without calling the function; so does an Unknown anywhere inside an
    /// argument when `reads_elements`. Functions that only count, select or rearrange elements
    /// pass Unknown elements on instead.
    Values { reads_elements: bool, f: ValuesFn },
    /// Evaluates its arguments itself and reports its own errors. With `expands`, a call
    /// `name(list...)` evaluates every argument, expands the list, and hands the values on;
    /// without it the arguments are taken as written.
    Lazy { expands: bool, f: LazyFn },
}

/// One built-in function.
#[derive(Clone, Copy)]
pub struct Function {
    pub name: &'static str,
    pub arity: Arity,
    pub imp: Implementation,
}

const fn reads(name: &'static str, arity: Arity, f: ValuesFn) -> Function {
    Function {
        name,
        arity,
        imp: Implementation::Values {
            reads_elements: true,
            f,
        },
    }
}

const fn passes(name: &'static str, arity: Arity, f: ValuesFn) -> Function {
    Function {
        name,
        arity,
        imp: Implementation::Values {
            reads_elements: false,
            f,
        },
    }
}

/// A lazy function takes any number of arguments and reports a missing one itself.
const fn lazy(name: &'static str, expands: bool, f: LazyFn) -> Function {
    Function {
        name,
        arity: Arity::at_least(0),
        imp: Implementation::Lazy { expands, f },
    }
}

const ONE: Arity = Arity::exactly(1);
const TWO: Arity = Arity::exactly(2);
const THREE: Arity = Arity::exactly(3);
const ANY: Arity = Arity::at_least(0);

/// Every function the analyzer evaluates, sorted by name ([`find`] searches it). `reads` rows
/// give Unknown when any part of an argument is Unknown, `passes` rows only when an argument
/// itself is (see [`Implementation::Values`]), `lazy` rows evaluate their arguments themselves.
pub static FUNCTIONS: &[Function] = &[
    reads("abs", ONE, abs),
    reads("alltrue", ONE, alltrue),
    reads("anytrue", ONE, anytrue),
    lazy("can", false, can),
    reads("ceil", ONE, ceil),
    reads("chomp", ONE, chomp),
    passes("chunklist", TWO, chunklist),
    reads("cidrhost", Arity::at_least(2), cidrhost),
    reads("cidrnetmask", Arity::at_least(1), cidrnetmask),
    reads("cidrsubnet", Arity::at_least(3), cidrsubnet),
    reads("cidrsubnets", Arity::at_least(1), cidrsubnets),
    lazy("coalesce", true, coalesce),
    passes("coalescelist", ANY, coalescelist),
    reads("compact", ONE, compact),
    passes("concat", ANY, concat),
    passes("contains", TWO, contains),
    passes("distinct", ONE, distinct),
    passes("element", TWO, element),
    reads("endswith", TWO, endswith),
    passes("flatten", ONE, flatten),
    reads("floor", ONE, floor),
    lazy("format", true, format),
    reads("formatlist", Arity::at_least(1), formatlist),
    reads("indent", TWO, indent),
    passes("index", TWO, index),
    reads("join", Arity::at_least(2), join),
    reads("jsondecode", Arity::at_least(1), jsondecode),
    reads("jsonencode", ONE, jsonencode),
    passes("keys", ONE, keys),
    passes("length", ONE, length),
    passes("lookup", Arity::between(2, 3), lookup),
    reads("lower", ONE, lower),
    reads("matchkeys", THREE, matchkeys),
    reads("max", Arity::at_least(1), max),
    passes("merge", ANY, merge),
    reads("min", Arity::at_least(1), min),
    passes("nonsensitive", ONE, nonsensitive),
    passes("one", ONE, one),
    reads("parseint", TWO, parseint),
    reads("pow", TWO, pow),
    reads("range", Arity::between(1, 3), range),
    reads("regex", TWO, regex),
    reads("regexall", TWO, regexall),
    reads("replace", THREE, replace),
    passes("reverse", ONE, reverse),
    reads("setintersection", Arity::at_least(1), setintersection),
    passes("setproduct", Arity::at_least(1), setproduct),
    reads("setsubtract", TWO, setsubtract),
    reads("setunion", Arity::at_least(1), setunion),
    reads("signum", ONE, signum),
    passes("slice", THREE, slice),
    reads("sort", ONE, sort),
    reads("split", TWO, split),
    reads("startswith", TWO, startswith),
    reads("strcontains", TWO, strcontains),
    reads("strrev", ONE, strrev),
    reads("substr", Arity::at_least(3), substr),
    reads("sum", ONE, sum),
    reads("title", ONE, title),
    reads("tobool", ONE, tobool),
    passes("tolist", ONE, tolist),
    passes("tomap", ONE, tomap),
    reads("tonumber", ONE, tonumber),
    passes("toset", ONE, toset),
    reads("tostring", ONE, tostring),
    reads("transpose", ONE, transpose),
    reads("trim", TWO, trim),
    reads("trimprefix", TWO, trimprefix),
    reads("trimspace", ONE, trimspace),
    reads("trimsuffix", TWO, trimsuffix),
    lazy("try", false, try_),
    reads("upper", ONE, upper),
    passes("values", ONE, values),
    reads("zipmap", TWO, zipmap),
];

/// The function called `name`, if the analyzer evaluates it.
pub fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .map(|i| &FUNCTIONS[i])
}

/// The lazy function to call on the arguments as written for `name(…)` (`expanded` when the
/// final argument is followed by `...`); `None` when the arguments are evaluated first.
pub fn lazy_for(name: &str, expanded: bool) -> Option<LazyFn> {
    match find(name)?.imp {
        Implementation::Lazy { expands, f } if !(expanded && expands) => Some(f),
        _ => None,
    }
}

/// Calls function `name` on evaluated arguments: Unknown for a function not implemented, or as
/// its row says for Unknown arguments; an error for a number of arguments it does not take, or
/// arguments it rejects.
pub fn call(name: &str, args: &[&Node], span: Span) -> Node {
    // A bug, on demand: the tests of panic isolation call it (there is no such function outside
    // the unit tests).
    #[cfg(test)]
    if name == "batchguard_test_panic" {
        panic!("batchguard_test_panic() was called");
    }
    let row = find(name);
    let reads_elements = match row.map(|r| r.imp) {
        Some(Implementation::Lazy { f, .. }) => {
            return f(&|i| (*args[i]).clone(), args.len(), span)
        }
        Some(Implementation::Values { reads_elements, .. }) => reads_elements,
        None => true,
    };
    let blocking = args.iter().copied().find(|a| a.is_unknown()).or_else(|| {
        if reads_elements {
            args.iter().copied().find_map(first_unknown)
        } else {
            None
        }
    });
    if let Some(u) = blocking {
        let mut u = u.clone();
        u.span = span;
        return u;
    }
    let Some(row) = row else {
        return unknown(format!("function `{name}` is not evaluated"), span);
    };
    let invalid = || error(format!("invalid arguments to `{name}`"), span);
    let Implementation::Values { f, .. } = row.imp else {
        return invalid();
    };
    if !row.arity.allows(args.len()) {
        return invalid();
    }
    f(args, span).unwrap_or_else(invalid)
}

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

/// Argument `i`, when given.
fn arg<'a>(a: &[&'a Node], i: usize) -> Option<&'a Node> {
    a.get(i).copied()
}

fn str_arg(a: &[&Node], i: usize) -> Option<String> {
    arg(a, i).and_then(as_string)
}

/// The elements of argument `i`, when it is a list.
fn list_arg<'a>(a: &[&'a Node], i: usize) -> Option<&'a [Node]> {
    match &arg(a, i)?.value {
        Value::Array(items) => Some(items),
        _ => None,
    }
}

// Lazy functions.

fn try_(arg: &dyn Fn(usize) -> Node, n: usize, span: Span) -> Node {
    for i in 0..n {
        let v = arg(i);
        if !is_error(&v) {
            return v;
        }
    }
    error("no argument of `try` evaluated", span)
}

fn can(arg: &dyn Fn(usize) -> Node, n: usize, span: Span) -> Node {
    if n == 0 {
        return error("`can` needs an argument", span);
    }
    let v = arg(0);
    if is_error(&v) {
        boolean(false, span)
    } else if v.is_unknown() {
        v
    } else {
        boolean(true, span)
    }
}

/// The first argument that is set (not null or ""), or the first Unknown before it.
fn coalesce(arg: &dyn Fn(usize) -> Node, n: usize, span: Span) -> Node {
    for i in 0..n {
        let v = arg(i);
        if v.is_unknown() || !(v.is_null() || v.as_str() == Some("")) {
            return v;
        }
    }
    error("no argument of `coalesce` is set", span)
}

// Strings.

fn lower(a: &[&Node], span: Span) -> Option<Node> {
    Some(s(str_arg(a, 0)?.to_lowercase(), span))
}

fn upper(a: &[&Node], span: Span) -> Option<Node> {
    Some(s(str_arg(a, 0)?.to_uppercase(), span))
}

fn trimspace(a: &[&Node], span: Span) -> Option<Node> {
    Some(s(str_arg(a, 0)?.trim().to_string(), span))
}

fn title(a: &[&Node], span: Span) -> Option<Node> {
    let x = str_arg(a, 0)?;
    let words: Vec<String> = x
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect();
    Some(s(words.join(" "), span))
}

fn tostring(a: &[&Node], span: Span) -> Option<Node> {
    match a {
        [x] if x.is_null() => Some((*x).clone()),
        [x] => as_string(x).map(|v| s(v, span)),
        _ => None,
    }
}

fn tonumber(a: &[&Node], span: Span) -> Option<Node> {
    match a {
        [x] if x.is_null() => Some((*x).clone()),
        [x] => as_number(x).map(|v| num(v, span)),
        _ => None,
    }
}

fn tobool(a: &[&Node], span: Span) -> Option<Node> {
    match a {
        [x] => x.as_bool().map(|v| boolean(v, span)),
        _ => None,
    }
}

fn trimprefix(a: &[&Node], span: Span) -> Option<Node> {
    let (x, p) = (str_arg(a, 0)?, str_arg(a, 1)?);
    Some(s(
        x.strip_prefix(p.as_str()).unwrap_or(&x).to_string(),
        span,
    ))
}

fn trimsuffix(a: &[&Node], span: Span) -> Option<Node> {
    let (x, p) = (str_arg(a, 0)?, str_arg(a, 1)?);
    Some(s(
        x.strip_suffix(p.as_str()).unwrap_or(&x).to_string(),
        span,
    ))
}

fn startswith(a: &[&Node], span: Span) -> Option<Node> {
    let (x, p) = (str_arg(a, 0)?, str_arg(a, 1)?);
    Some(boolean(x.starts_with(&p), span))
}

fn endswith(a: &[&Node], span: Span) -> Option<Node> {
    let (x, p) = (str_arg(a, 0)?, str_arg(a, 1)?);
    Some(boolean(x.ends_with(&p), span))
}

/// `split(separator, string)`.
fn split(a: &[&Node], span: Span) -> Option<Node> {
    let (sep, x) = (str_arg(a, 0)?, str_arg(a, 1)?);
    if sep.is_empty() {
        return Some(unknown("split with an empty separator", span));
    }
    Some(arr(
        x.split(sep.as_str()).map(|p| s(p.into(), span)).collect(),
        span,
    ))
}

fn replace(a: &[&Node], span: Span) -> Option<Node> {
    let (x, from, to) = (str_arg(a, 0)?, str_arg(a, 1)?, str_arg(a, 2)?);
    Some(if let Some(pattern) = slashed(&from) {
        let re = match compiled(pattern, span) {
            Ok(re) => re,
            Err(n) => return Some(n),
        };
        // Each match is replaced by `to` with its `$1` / `${name}` references expanded: at most
        // `to` with each reference as long as the whole string.
        let references = to.matches('$').count();
        let each = to.len().saturating_add(references.saturating_mul(x.len()));
        let len = x
            .len()
            .saturating_add(re.find_iter(&x).count().saturating_mul(each));
        if let Some(n) = string_bound("replace", len, span) {
            return Some(n);
        }
        s(re.replace_all(&x, to.as_str()).into_owned(), span)
    } else if from.is_empty() {
        s(x, span)
    } else {
        let grows = to.len().saturating_sub(from.len());
        let len = x.len() + x.matches(from.as_str()).count().saturating_mul(grows);
        if let Some(n) = string_bound("replace", len, span) {
            return Some(n);
        }
        s(x.replace(&from, &to), span)
    })
}

/// The pattern of a `replace` substring written between slashes (`"/[0-9]+/"`), which
/// Terraform reads as a regular expression.
fn slashed(from: &str) -> Option<&str> {
    (from.len() > 1 && from.starts_with('/') && from.ends_with('/'))
        .then(|| &from[1..from.len() - 1])
}

/// Most bytes a compiled regular expression may take: templates' patterns are a few dozen
/// characters; a bigger one is Unknown rather than compiled.
const MAX_REGEX_BYTES: usize = 1 << 20;

/// A regular expression of Terraform's syntax (RE2, which the `regex` crate reads alike but for
/// `\d`, `\s`, `\w` and `\b`, Unicode-aware here and ASCII-only in RE2, a difference only
/// non-ASCII digits and spaces see). A pattern the crate cannot compile is Unknown, not an
/// error: RE2 takes a few forms the crate does not (`\Q…\E`, `\C`), and one too big to compile
/// within [`MAX_REGEX_BYTES`] is no error of the template's.
fn compiled(pattern: &str, span: Span) -> Result<regex::Regex, Node> {
    regex::RegexBuilder::new(pattern)
        .size_limit(MAX_REGEX_BYTES)
        .dfa_size_limit(MAX_REGEX_BYTES)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                unknown("a regular expression too big to evaluate", span)
            }
            _ => unknown(
                format!("the regular expression `{pattern}` is not evaluated"),
                span,
            ),
        })
}

/// What each match of `regex` and `regexall` gives, as Terraform decides it from the pattern:
/// the matched text when the pattern has no capture groups, the list of captures when they are
/// unnamed, an object by name when they are all named; mixing both is an error.
enum Shape {
    Whole,
    List,
    Named,
}

/// The compiled pattern of `regex` / `regexall` and the [`Shape`] of its matches.
fn pattern_of(pattern: &str, span: Span) -> Result<(regex::Regex, Shape), Node> {
    let re = compiled(pattern, span)?;
    let groups = re.captures_len() - 1;
    let named = re.capture_names().flatten().count();
    let shape = if groups == 0 {
        Shape::Whole
    } else if named == 0 {
        Shape::List
    } else if named == groups {
        Shape::Named
    } else {
        return Err(error(
            format!("the regular expression `{pattern}` mixes named and unnamed capture groups"),
            span,
        ));
    };
    Ok((re, shape))
}

/// One match as [`Shape`] says; a group that took no part in the match is null.
fn matched(re: &regex::Regex, caps: &regex::Captures, shape: &Shape, span: Span) -> Node {
    let group = |i: usize| {
        caps.get(i).map_or(Node::new(Value::Null, span), |m| {
            s(m.as_str().to_string(), span)
        })
    };
    match shape {
        Shape::Whole => group(0),
        Shape::List => arr((1..caps.len()).map(group).collect(), span),
        Shape::Named => Node::new(
            Value::Object(
                re.capture_names()
                    .enumerate()
                    .filter_map(|(i, name)| Some(member(name?.to_string(), group(i), span)))
                    .collect(),
            ),
            span,
        ),
    }
}

/// `regex(pattern, string)`: the first match; no match is an error, as in Terraform.
fn regex(a: &[&Node], span: Span) -> Option<Node> {
    let (pattern, x) = (str_arg(a, 0)?, str_arg(a, 1)?);
    let (re, shape) = match pattern_of(&pattern, span) {
        Ok(v) => v,
        Err(n) => return Some(n),
    };
    Some(match re.captures(&x) {
        Some(caps) => matched(&re, &caps, &shape, span),
        None => error(format!("`{pattern}` does not match the string"), span),
    })
}

/// `regexall(pattern, string)`: every match, in order.
fn regexall(a: &[&Node], span: Span) -> Option<Node> {
    let (pattern, x) = (str_arg(a, 0)?, str_arg(a, 1)?);
    let (re, shape) = match pattern_of(&pattern, span) {
        Ok(v) => v,
        Err(n) => return Some(n),
    };
    let mut out = Vec::new();
    for caps in re.captures_iter(&x) {
        if let Some(n) = list_bound("regexall", out.len() + 1, span) {
            return Some(n);
        }
        out.push(matched(&re, &caps, &shape, span));
    }
    Some(arr(out, span))
}

fn substr(a: &[&Node], span: Span) -> Option<Node> {
    let x = str_arg(a, 0)?;
    let off = arg(a, 1).and_then(as_index)?;
    let len = arg(a, 2).and_then(as_index)?;
    let chars: Vec<char> = x.chars().collect();
    let n = chars.len() as i64;
    let start = if off < 0 { n + off } else { off };
    if start < 0 || start > n {
        return None;
    }
    let end = if len < 0 { n } else { (start + len).min(n) };
    Some(s(
        chars[start as usize..end as usize].iter().collect(),
        span,
    ))
}

/// `join(separator, list…)`.
fn join(a: &[&Node], span: Span) -> Option<Node> {
    let sep = str_arg(a, 0)?;
    let mut parts = Vec::new();
    let mut len = 0usize;
    for i in 1..a.len() {
        for item in list_arg(a, i)? {
            let p = as_string(item)?;
            len = len.saturating_add(p.len() + sep.len());
            if let Some(n) = string_bound("join", len, span) {
                return Some(n);
            }
            parts.push(p);
        }
    }
    Some(s(parts.join(&sep), span))
}

/// `format(spec, args…)`. Lazy only to see its arguments when some are not known: a `%s` of
/// another resource's id followed by `/`-separated segments still builds an id the graph can link
/// (D38); otherwise the first unknown argument is the result, as for any function that reads its
/// arguments.
fn format(arg: &dyn Fn(usize) -> Node, n: usize, span: Span) -> Node {
    if n == 0 {
        return error("`format` needs a format string", span);
    }
    let args: Vec<Node> = (0..n).map(arg).collect();
    // An argument that is not known as a whole can still be one part of the string; unknown
    // elements inside an argument make the result unknown.
    if let Some(u) = args
        .iter()
        .find(|a| is_error(a))
        .or_else(|| args[0].is_unknown().then_some(&args[0]))
        .or_else(|| {
            args.iter()
                .filter(|a| !a.is_unknown())
                .find_map(first_unknown)
        })
    {
        let mut u = u.clone();
        u.span = span;
        return u;
    }
    let Some(f) = as_string(&args[0]) else {
        return error("invalid arguments to `format`", span);
    };
    format_verbs(&f, &args[1..], span)
}

// Collections.

fn concat(a: &[&Node], span: Span) -> Option<Node> {
    let mut len = 0usize;
    for i in 0..a.len() {
        len = len.saturating_add(list_arg(a, i)?.len());
    }
    if let Some(n) = list_bound("concat", len, span) {
        return Some(n);
    }
    let mut out = Vec::with_capacity(len);
    for i in 0..a.len() {
        out.extend(list_arg(a, i)?.iter().cloned());
    }
    Some(arr(out, span))
}

fn length(a: &[&Node], span: Span) -> Option<Node> {
    match &arg(a, 0)?.value {
        Value::Array(x) => Some(num(x.len() as f64, span)),
        Value::Object(x) => Some(num(x.len() as f64, span)),
        Value::String(x) => Some(num(x.chars().count() as f64, span)),
        _ => None,
    }
}

/// `element(list, index)`: the index wraps around.
fn element(a: &[&Node], _span: Span) -> Option<Node> {
    let items = list_arg(a, 0)?;
    let i = arg(a, 1).and_then(as_index)?;
    if items.is_empty() || i < 0 {
        return None;
    }
    Some(items[(i as usize) % items.len()].clone())
}

fn index(a: &[&Node], span: Span) -> Option<Node> {
    let (items, v) = (list_arg(a, 0)?, arg(a, 1)?);
    for (k, it) in items.iter().enumerate() {
        match equal(it, v) {
            Some(true) => return Some(num(k as f64, span)),
            None => return Some(unknown("unknown element", span)),
            _ => {}
        }
    }
    None
}

fn contains(a: &[&Node], span: Span) -> Option<Node> {
    let (items, v) = (list_arg(a, 0)?, arg(a, 1)?);
    Some(match set_has(items, v) {
        Some(b) => boolean(b, span),
        None => unknown("unknown element", span),
    })
}

/// The members of an object argument, in Terraform's order.
fn sorted_object<'a>(a: &[&'a Node]) -> Option<Vec<&'a Member>> {
    match &arg(a, 0)?.value {
        Value::Object(members) => Some(sorted_members(members)),
        _ => None,
    }
}

fn keys(a: &[&Node], span: Span) -> Option<Node> {
    let members = sorted_object(a)?;
    Some(arr(
        members
            .into_iter()
            .map(|m| s(m.key.to_string(), span))
            .collect(),
        span,
    ))
}

fn values(a: &[&Node], span: Span) -> Option<Node> {
    let members = sorted_object(a)?;
    Some(arr(
        members.into_iter().map(|m| m.value.clone()).collect(),
        span,
    ))
}

/// `lookup(map, key[, default])`.
fn lookup(a: &[&Node], _span: Span) -> Option<Node> {
    let (Value::Object(members), Some(key)) = (&arg(a, 0)?.value, as_string(arg(a, 1)?)) else {
        return None;
    };
    match members.iter().find(|x| x.key == key) {
        Some(x) => Some(x.value.clone()),
        None => arg(a, 2).cloned(),
    }
}

/// Objects merged left to right (later keys win); null arguments are skipped.
fn merge(a: &[&Node], span: Span) -> Option<Node> {
    let mut out: Vec<Member> = Vec::new();
    for m in a {
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
            _ => return None,
        }
    }
    Some(Node::new(Value::Object(out), span))
}

fn zipmap(a: &[&Node], span: Span) -> Option<Node> {
    let (ks, vs) = (list_arg(a, 0)?, list_arg(a, 1)?);
    if ks.len() != vs.len() {
        return None;
    }
    let mut out = Vec::new();
    for (k, v) in ks.iter().zip(vs) {
        out.push(member(as_string(k)?, v.clone(), span));
    }
    Some(Node::new(Value::Object(out), span))
}

fn flatten(a: &[&Node], span: Span) -> Option<Node> {
    let mut out = Vec::new();
    match flatten_into(arg(a, 0)?, &mut out, 0) {
        Flattened::Done => {}
        Flattened::Invalid => return None,
        Flattened::TooLong => {
            return Some(too_large(
                format!("`flatten(...)` would have more than {MAX_ITEMS} elements; lists stop there and the value is unknown"),
                span,
            ))
        }
    }
    // An unknown element may be a list: how many elements the result has is unknown.
    if let Some(u) = out.iter().find(|x| x.is_unknown()) {
        let mut u = u.clone();
        u.span = span;
        return Some(u);
    }
    Some(arr(out, span))
}

/// The distinct elements in order; `sort` sorts them when all are strings (a set of strings).
fn distinct_of(a: &[&Node], span: Span, sort: bool) -> Option<Node> {
    let Some(out) = unique(list_arg(a, 0)?) else {
        return Some(unknown("unknown element", span));
    };
    Some(if sort { set(out, span) } else { arr(out, span) })
}

fn distinct(a: &[&Node], span: Span) -> Option<Node> {
    distinct_of(a, span, false)
}

fn toset(a: &[&Node], span: Span) -> Option<Node> {
    distinct_of(a, span, true)
}

fn tolist(a: &[&Node], _span: Span) -> Option<Node> {
    match a {
        [l] if matches!(l.value, Value::Array(_)) => Some((*l).clone()),
        _ => None,
    }
}

fn tomap(a: &[&Node], _span: Span) -> Option<Node> {
    match a {
        [m] if matches!(m.value, Value::Object(_)) => Some((*m).clone()),
        _ => None,
    }
}

fn reverse(a: &[&Node], span: Span) -> Option<Node> {
    Some(arr(list_arg(a, 0)?.iter().rev().cloned().collect(), span))
}

/// A list of strings (or values that convert to strings), sorted.
fn sort(a: &[&Node], span: Span) -> Option<Node> {
    let mut v: Vec<String> = Vec::new();
    for i in list_arg(a, 0)? {
        v.push(as_string(i)?);
    }
    v.sort();
    Some(arr(v.into_iter().map(|x| s(x, span)).collect(), span))
}

/// `slice(list, start, end)`.
fn slice(a: &[&Node], span: Span) -> Option<Node> {
    let items = list_arg(a, 0)?;
    let (from, to) = (arg(a, 1).and_then(as_index)?, arg(a, 2).and_then(as_index)?);
    if 0 <= from && from <= to && to as usize <= items.len() {
        Some(arr(items[from as usize..to as usize].to_vec(), span))
    } else {
        None
    }
}

/// The list without null and "" elements.
fn compact(a: &[&Node], span: Span) -> Option<Node> {
    let items = list_arg(a, 0)?;
    Some(arr(
        items
            .iter()
            .filter(|i| !(i.is_null() || i.as_str() == Some("")))
            .cloned()
            .collect(),
        span,
    ))
}

/// The only element of a list, or null for an empty one.
fn one(a: &[&Node], span: Span) -> Option<Node> {
    match list_arg(a, 0)? {
        [] => Some(Node::new(Value::Null, span)),
        [x] => Some(x.clone()),
        _ => None,
    }
}

/// The first argument that is a non-empty list, or an empty list.
fn coalescelist(a: &[&Node], span: Span) -> Option<Node> {
    Some(
        a.iter()
            .find(|l| !l.items().is_empty())
            .map(|l| (*l).clone())
            .unwrap_or_else(|| arr(Vec::new(), span)),
    )
}

// Numbers.

fn number_fn(a: &[&Node], span: Span, f: fn(f64) -> f64) -> Option<Node> {
    Some(num(f(arg(a, 0).and_then(as_number)?), span))
}

fn abs(a: &[&Node], span: Span) -> Option<Node> {
    number_fn(a, span, f64::abs)
}

fn ceil(a: &[&Node], span: Span) -> Option<Node> {
    number_fn(a, span, f64::ceil)
}

fn floor(a: &[&Node], span: Span) -> Option<Node> {
    number_fn(a, span, f64::floor)
}

fn signum(a: &[&Node], span: Span) -> Option<Node> {
    number_fn(a, span, |x| if x == 0.0 { 0.0 } else { x.signum() })
}

fn numbers(a: &[&Node]) -> Option<Vec<f64>> {
    a.iter().map(|n| as_number(n)).collect()
}

fn min(a: &[&Node], span: Span) -> Option<Node> {
    numbers(a)?
        .into_iter()
        .reduce(f64::min)
        .map(|x| num(x, span))
}

fn max(a: &[&Node], span: Span) -> Option<Node> {
    numbers(a)?
        .into_iter()
        .reduce(f64::max)
        .map(|x| num(x, span))
}

/// `range(end)`, `range(start, end)`, `range(start, end, step)`; at most 1024 elements, as in
/// Terraform (more is Unknown, with a warning).
fn range(a: &[&Node], span: Span) -> Option<Node> {
    let (start, end, step) = match numbers(a)?[..] {
        [e] => (0.0, e, 1.0),
        [s0, e] => (s0, e, if e >= s0 { 1.0 } else { -1.0 }),
        [s0, e, st] => (s0, e, st),
        _ => return None,
    };
    if step == 0.0 {
        return None;
    }
    let n = ((end - start) / step).ceil();
    if n > MAX_RANGE as f64 {
        return Some(too_large(
            format!("`range(...)` would have {} elements; Terraform allows {MAX_RANGE} and the value is unknown", fmt_num(n)),
            span,
        ));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        if out.len() >= MAX_RANGE {
            break;
        }
        out.push(num(x, span));
        x += step;
    }
    Some(arr(out, span))
}

// Encoding.

fn jsonencode(a: &[&Node], span: Span) -> Option<Node> {
    Some(s(to_json(arg(a, 0)?, 0)?.to_string(), span))
}

fn jsondecode(a: &[&Node], span: Span) -> Option<Node> {
    let j = serde_json::from_str::<serde_json::Value>(&str_arg(a, 0)?).ok()?;
    Some(from_json(&j, span))
}

// Sets, as Terraform builds them: lists without repeated elements, in the order first met.

/// `items` without repeats, in the order first met; None when an element's equality to another
/// is not known.
fn unique(items: &[Node]) -> Option<Vec<Node>> {
    let mut out: Vec<Node> = Vec::new();
    for it in items {
        match out.iter().map(|o| equal(o, it)).find(|e| *e != Some(false)) {
            Some(Some(true)) => {}
            Some(None) => return None,
            _ => out.push(it.clone()),
        }
    }
    Some(out)
}

/// The elements of argument `i` without repeats; None when it is not a list, or when an
/// element's equality to another is not known.
fn set_arg(a: &[&Node], i: usize) -> Option<Vec<Node>> {
    unique(list_arg(a, i)?)
}

/// Is `it` in `set`? None when not known.
fn set_has(set: &[Node], it: &Node) -> Option<bool> {
    let mut unknown = false;
    for o in set {
        match equal(o, it) {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    (!unknown).then_some(false)
}

fn setunion(a: &[&Node], span: Span) -> Option<Node> {
    let mut out: Vec<Node> = Vec::new();
    for i in 0..a.len() {
        for it in set_arg(a, i)? {
            if !set_has(&out, &it)? {
                out.push(it);
            }
        }
    }
    list_bound("setunion", out.len(), span).or(Some(set(out, span)))
}

/// A set's elements as Terraform orders them: strings sorted, other elements as met.
fn set(mut items: Vec<Node>, span: Span) -> Node {
    if items.iter().all(|o| matches!(o.value, Value::String(_))) {
        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    arr(items, span)
}

fn setintersection(a: &[&Node], span: Span) -> Option<Node> {
    let mut out = set_arg(a, 0)?;
    for i in 1..a.len() {
        let other = set_arg(a, i)?;
        let mut kept = Vec::new();
        for it in out {
            if set_has(&other, &it)? {
                kept.push(it);
            }
        }
        out = kept;
    }
    Some(set(out, span))
}

fn setsubtract(a: &[&Node], span: Span) -> Option<Node> {
    let (from, minus) = (set_arg(a, 0)?, set_arg(a, 1)?);
    let mut out = Vec::new();
    for it in from {
        if !set_has(&minus, &it)? {
            out.push(it);
        }
    }
    Some(set(out, span))
}

/// `setproduct(a, b, …)`: every combination of one element of each, the first argument's
/// changing slowest. Unknown elements are passed on in place.
fn setproduct(a: &[&Node], span: Span) -> Option<Node> {
    let lists: Vec<&[Node]> = (0..a.len())
        .map(|i| list_arg(a, i))
        .collect::<Option<_>>()?;
    let total = lists
        .iter()
        .try_fold(1usize, |n, l| n.checked_mul(l.len()))
        .unwrap_or(usize::MAX);
    if let Some(n) = list_bound("setproduct", total, span) {
        return Some(n);
    }
    let mut out: Vec<Vec<Node>> = vec![Vec::new()];
    for l in &lists {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                l.iter().map(move |it| {
                    let mut p = prefix.clone();
                    p.push(it.clone());
                    p
                })
            })
            .collect();
    }
    Some(arr(out.into_iter().map(|p| arr(p, span)).collect(), span))
}

/// `chunklist(list, size)`: the list in runs of `size` (0: one run).
fn chunklist(a: &[&Node], span: Span) -> Option<Node> {
    let items = list_arg(a, 0)?;
    let size = arg(a, 1).and_then(as_index)?;
    if size < 0 {
        return None;
    }
    let size = if size == 0 {
        items.len().max(1)
    } else {
        size as usize
    };
    Some(arr(
        items.chunks(size).map(|c| arr(c.to_vec(), span)).collect(),
        span,
    ))
}

/// `matchkeys(values, keys, searchset)`: the values whose key at the same index is in the set.
fn matchkeys(a: &[&Node], span: Span) -> Option<Node> {
    let (values, keys, search) = (list_arg(a, 0)?, list_arg(a, 1)?, list_arg(a, 2)?);
    if values.len() != keys.len() {
        return None;
    }
    let mut out = Vec::new();
    for (v, k) in values.iter().zip(keys) {
        if set_has(search, k)? {
            out.push(v.clone());
        }
    }
    Some(arr(out, span))
}

/// `transpose(map of lists of strings)`: each string to the keys that list it.
fn transpose(a: &[&Node], span: Span) -> Option<Node> {
    let mut out: Vec<(String, Vec<Node>)> = Vec::new();
    for m in arg(a, 0)?.members() {
        for it in m.value.items() {
            let v = as_string(it)?;
            let key = s(m.key.to_string(), span);
            match out.iter_mut().find(|(k, _)| *k == v) {
                Some((_, keys)) => keys.push(key),
                None => out.push((v, vec![key])),
            }
        }
    }
    out.sort_by(|x, y| x.0.cmp(&y.0));
    Some(Node::new(
        Value::Object(
            out.into_iter()
                .map(|(k, v)| member(k, arr(v, span), span))
                .collect(),
        ),
        span,
    ))
}

/// `alltrue(list)`: every element true (`"true"` counts); true for an empty list.
fn alltrue(a: &[&Node], span: Span) -> Option<Node> {
    let mut all = true;
    for it in list_arg(a, 0)? {
        all &= truth(it)?;
    }
    Some(boolean(all, span))
}

/// `anytrue(list)`: some element true.
fn anytrue(a: &[&Node], span: Span) -> Option<Node> {
    let mut any = false;
    for it in list_arg(a, 0)? {
        any |= truth(it)?;
    }
    Some(boolean(any, span))
}

/// A bool, or a string Terraform converts to one.
fn truth(n: &Node) -> Option<bool> {
    match &n.value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// `nonsensitive(value)`: the value itself.
fn nonsensitive(a: &[&Node], _span: Span) -> Option<Node> {
    arg(a, 0).cloned()
}

fn sum(a: &[&Node], span: Span) -> Option<Node> {
    let items = list_arg(a, 0)?;
    if items.is_empty() {
        return None;
    }
    let mut total = 0.0;
    for it in items {
        total += as_number(it)?;
    }
    Some(num(total, span))
}

fn pow(a: &[&Node], span: Span) -> Option<Node> {
    let (x, y) = (
        arg(a, 0).and_then(as_number)?,
        arg(a, 1).and_then(as_number)?,
    );
    let v = x.powf(y);
    v.is_finite().then(|| num(v, span))
}

/// `parseint(string, base)`, base 2 to 62 (digits, then lower-case, then upper-case letters).
fn parseint(a: &[&Node], span: Span) -> Option<Node> {
    let text = str_arg(a, 0)?;
    let base = arg(a, 1).and_then(as_index)?;
    if !(2..=62).contains(&base) {
        return None;
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: f64 = 0.0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' if base <= 36 => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        v = v * base as f64 + d as f64;
    }
    Some(num(if negative { -v } else { v }, span))
}

// Strings.

fn strcontains(a: &[&Node], span: Span) -> Option<Node> {
    Some(boolean(str_arg(a, 0)?.contains(&str_arg(a, 1)?), span))
}

fn strrev(a: &[&Node], span: Span) -> Option<Node> {
    Some(s(str_arg(a, 0)?.chars().rev().collect(), span))
}

/// `trim(string, characters)`: every character of the second taken off both ends.
fn trim(a: &[&Node], span: Span) -> Option<Node> {
    let (text, chars) = (str_arg(a, 0)?, str_arg(a, 1)?);
    Some(s(
        text.trim_matches(|c| chars.contains(c)).to_string(),
        span,
    ))
}

/// `chomp(string)`: the line breaks at its end taken off.
fn chomp(a: &[&Node], span: Span) -> Option<Node> {
    Some(s(
        str_arg(a, 0)?.trim_end_matches(['\n', '\r']).to_string(),
        span,
    ))
}

/// `indent(spaces, string)`: every line but the first indented.
fn indent(a: &[&Node], span: Span) -> Option<Node> {
    let n = arg(a, 0).and_then(as_index)?;
    let text = str_arg(a, 1)?;
    if n < 0 {
        return None;
    }
    let pad = " ".repeat(n as usize);
    let out = text.replace('\n', &format!("\n{pad}"));
    string_bound("indent", out.len(), span).or(Some(s(out, span)))
}

/// `formatlist(spec, args…)`: `format` once per element of the list arguments (all of one
/// length), a scalar argument the same for each.
fn formatlist(a: &[&Node], span: Span) -> Option<Node> {
    let spec = str_arg(a, 0)?;
    let rest = &a[1..];
    let mut len: Option<usize> = None;
    for r in rest {
        if let Value::Array(items) = &r.value {
            match len {
                Some(l) if l != items.len() => return None,
                _ => len = Some(items.len()),
            }
        }
    }
    let len = len.unwrap_or(1);
    if let Some(n) = list_bound("formatlist", len, span) {
        return Some(n);
    }
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let args: Vec<Node> = rest
            .iter()
            .map(|r| match &r.value {
                Value::Array(items) => items[i].clone(),
                _ => (*r).clone(),
            })
            .collect();
        let v = format_verbs(&spec, &args, span);
        if is_error(&v) {
            return None;
        }
        out.push(v);
    }
    Some(arr(out, span))
}

/// `cidrsubnets(prefix, newbits…)`: consecutive subnets of the prefix, each as many bits
/// longer as its argument says and aligned to its own size, as Terraform allocates them.
fn cidrsubnets(a: &[&Node], span: Span) -> Option<Node> {
    let net: ipnet::IpNet = str_arg(a, 0)?.parse().ok()?;
    let (width, base) = match net.trunc() {
        ipnet::IpNet::V4(n) => (32u32, u128::from(u32::from(n.network()))),
        ipnet::IpNet::V6(n) => (128, u128::from(n.network())),
    };
    let plen = u32::from(net.prefix_len());
    // The first address past block `at`/`len`.
    let end = |at: u128, len: u32| at.checked_add(1u128.checked_shl(width - len).unwrap_or(0));
    let within = |at: u128| plen == 0 || at >> (width - plen) == base >> (width - plen);
    let mut out = Vec::new();
    let mut next: Option<u128> = Some(base);
    for i in 1..a.len() {
        let bits = arg(a, i).and_then(as_index)?;
        let len = u32::try_from(bits).ok()?.checked_add(plen)?;
        if bits < 1 || len > width {
            return None;
        }
        let size_mask = 1u128.checked_shl(width - len).map_or(u128::MAX, |s| s - 1);
        // After the previous subnet, rounded up to this one's alignment.
        let at = next?.checked_add(size_mask)? & !size_mask;
        if !within(at) || (width == 32 && at > u128::from(u32::MAX)) {
            return None;
        }
        let text = if width == 32 {
            format!("{}/{len}", std::net::Ipv4Addr::from(at as u32))
        } else {
            format!("{}/{len}", std::net::Ipv6Addr::from(at))
        };
        out.push(s(text, span));
        next = end(at, len);
    }
    Some(arr(out, span))
}

// Networks.

/// `cidrsubnet(prefix, newbits, netnum)`.
fn cidrsubnet(a: &[&Node], span: Span) -> Option<Node> {
    let p = str_arg(a, 0)?;
    let bits = arg(a, 1).and_then(as_index)?;
    let n = arg(a, 2).and_then(as_index)?;
    Some(s(cidr_subnet(&p, bits, n)?, span))
}

/// `cidrhost(prefix, hostnum)`; a negative number counts from the end of the range.
fn cidrhost(a: &[&Node], span: Span) -> Option<Node> {
    let p = str_arg(a, 0)?;
    let n = arg(a, 1).and_then(as_index)?;
    Some(s(cidr_host(&p, n)?, span))
}

/// The IPv4 netmask of a prefix.
fn cidrnetmask(a: &[&Node], span: Span) -> Option<Node> {
    match str_arg(a, 0)?.parse::<ipnet::IpNet>().ok()? {
        ipnet::IpNet::V4(n) => Some(s(n.netmask().to_string(), span)),
        ipnet::IpNet::V6(_) => None,
    }
}

enum Flattened {
    Done,
    Invalid,
    TooLong,
}

fn flatten_into(l: &Node, out: &mut Vec<Node>, depth: usize) -> Flattened {
    let Value::Array(items) = &l.value else {
        return Flattened::Invalid;
    };
    if depth > 64 {
        return Flattened::Invalid;
    }
    for i in items {
        if let Value::Array(_) = &i.value {
            match flatten_into(i, out, depth + 1) {
                Flattened::Done => {}
                other => return other,
            }
        } else if out.len() >= MAX_ITEMS {
            return Flattened::TooLong;
        } else {
            out.push(i.clone());
        }
    }
    Flattened::Done
}

/// Terraform's `format` verbs: `%s`, `%d`, `%v`, `%q`, `%f` (with precision), `%%`. An unknown
/// argument of `%s` or `%v` is a part of the string that is not known ([`join_pieces`]); of any other
/// verb, the result.
fn format_verbs(f: &str, args: &[Node], span: Span) -> Node {
    let mut pieces = Vec::new();
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
        if a.is_unknown() {
            if !matches!(verb, 's' | 'v') || !spec.is_empty() {
                let mut u = a.clone();
                u.span = span;
                return u;
            }
            pieces.push(Piece::Text(std::mem::take(&mut out)));
            pieces.push(Piece::Unknown(a.clone()));
            continue;
        }
        let text = match verb {
            's' | 'v' => as_string(a),
            'd' => as_number(a).filter(|x| x.fract() == 0.0).map(fmt_num),
            'q' => as_string(a).map(|x| serde_json::Value::String(x).to_string()),
            'f' => {
                let precision = match spec.split_once('.') {
                    Some((_, p)) => p.parse::<usize>().unwrap_or(usize::MAX),
                    None => 6,
                };
                // Rust's formatting takes at most u16::MAX digits; more is of no use either.
                if precision > usize::from(u16::MAX) {
                    return too_large(
                        format!("`format(...)` with a precision of {} digits; precisions stop at {} and the value is unknown", spec.split_once('.').map_or("", |(_, p)| p), u16::MAX),
                        span,
                    );
                }
                as_number(a).map(|x| format!("{x:.precision$}"))
            }
            _ => return unknown(format!("format verb `%{verb}` is not evaluated"), span),
        };
        let Some(text) = text else {
            return error("bad argument to `format`", span);
        };
        let width_text = spec
            .trim_start_matches(['-', '+', '#', ' '])
            .split('.')
            .next()
            .unwrap_or("");
        let width: usize = if width_text.is_empty() {
            0
        } else {
            width_text.parse().unwrap_or(usize::MAX)
        };
        let pad = width.saturating_sub(text.chars().count());
        let len = out.len().saturating_add(text.len()).saturating_add(pad);
        if len > MAX_STRING {
            return too_large(
                format!("`format(...)` would build a string of more than {MAX_STRING} bytes (here with a width of {}); strings stop there and the value is unknown", if width_text.is_empty() { "0" } else { width_text }),
                span,
            );
        }
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
    pieces.push(Piece::Text(out));
    join_pieces(pieces, span)
}
fn cidr_subnet(prefix: &str, newbits: i64, netnum: i64) -> Option<String> {
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

fn cidr_host(prefix: &str, hostnum: i64) -> Option<String> {
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
        let refs: Vec<&Node> = args.iter().collect();
        call(name, &refs, sp())
    }

    fn strings(n: &Node) -> Vec<String> {
        n.items()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn cidrsubnets_allocates_as_terraform_does() {
        let r = c(
            "cidrsubnets",
            vec![st("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)],
        );
        assert_eq!(
            strings(&r),
            [
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]
        );
        let r = c(
            "cidrsubnets",
            vec![st("fd00:fd12:3456:7890::/56"), n(16.0), n(16.0)],
        );
        assert_eq!(
            strings(&r),
            ["fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72"]
        );
        // No room left, a prefix past the address's width, no bits added.
        assert!(is_error(&c(
            "cidrsubnets",
            vec![st("10.0.0.0/30"), n(1.0), n(1.0), n(1.0)]
        )));
        assert!(is_error(&c("cidrsubnets", vec![st("10.0.0.0/30"), n(3.0)])));
        assert!(is_error(&c("cidrsubnets", vec![st("10.0.0.0/16"), n(0.0)])));
        assert!(c("cidrsubnets", vec![st("10.0.0.0/16")]).items().is_empty());
    }

    #[test]
    fn set_functions_and_formatlist() {
        let ab = l(vec![st("b"), st("a"), st("b")]);
        let bc = l(vec![st("c"), st("b")]);
        assert_eq!(
            strings(&c("setunion", vec![ab.clone(), bc.clone()])),
            ["a", "b", "c"]
        );
        assert_eq!(
            strings(&c("setintersection", vec![ab.clone(), bc.clone()])),
            ["b"]
        );
        assert_eq!(
            strings(&c("setsubtract", vec![ab.clone(), bc.clone()])),
            ["a"]
        );
        let p = c(
            "setproduct",
            vec![l(vec![st("x"), st("y")]), l(vec![n(22.0), n(3389.0)])],
        );
        assert_eq!(p.items().len(), 4);
        assert_eq!(p.items()[1].items()[0].as_str(), Some("x"));
        assert_eq!(p.items()[1].items()[1].as_i64(), Some(3389));
        assert_eq!(
            strings(&c(
                "formatlist",
                vec![st("%s/32"), l(vec![st("10.0.0.1"), st("10.0.0.2")])]
            )),
            ["10.0.0.1/32", "10.0.0.2/32"]
        );
        assert_eq!(
            strings(&c(
                "formatlist",
                vec![st("%s-%s"), st("a"), l(vec![st("x"), st("y")])]
            )),
            ["a-x", "a-y"]
        );
        // Lists of different lengths, and an unknown element.
        assert!(is_error(&c(
            "formatlist",
            vec![st("%s%s"), l(vec![st("a")]), l(vec![])]
        )));
        let u = unknown("u", sp());
        assert!(c("setunion", vec![l(vec![u.clone()]), bc.clone()]).is_unknown());
        assert!(c("formatlist", vec![st("%s"), l(vec![u])]).is_unknown());
    }

    #[test]
    fn more_list_number_and_string_functions() {
        let t = boolean(true, sp());
        let f = boolean(false, sp());
        assert_eq!(
            c("alltrue", vec![l(vec![t.clone(), st("true")])]).as_bool(),
            Some(true)
        );
        assert_eq!(c("alltrue", vec![l(vec![])]).as_bool(), Some(true));
        assert_eq!(
            c("anytrue", vec![l(vec![f.clone(), f.clone()])]).as_bool(),
            Some(false)
        );
        assert_eq!(c("anytrue", vec![l(vec![f, t])]).as_bool(), Some(true));
        let chunks = c("chunklist", vec![l(vec![n(1.0), n(2.0), n(3.0)]), n(2.0)]);
        assert_eq!(chunks.items().len(), 2);
        assert_eq!(chunks.items()[1].items().len(), 1);
        assert_eq!(
            strings(&c(
                "matchkeys",
                vec![
                    l(vec![st("i-1"), st("i-2")]),
                    l(vec![st("a"), st("b")]),
                    l(vec![st("b")])
                ]
            )),
            ["i-2"]
        );
        let tr = c(
            "transpose",
            vec![o(vec![
                ("a", l(vec![st("1"), st("2")])),
                ("b", l(vec![st("2")])),
            ])],
        );
        assert_eq!(strings(tr.get("2").unwrap()), ["a", "b"]);
        assert_eq!(
            c("sum", vec![l(vec![n(1.0), n(2.5)])]).value,
            Value::Number(3.5)
        );
        assert_eq!(c("pow", vec![n(2.0), n(10.0)]).as_i64(), Some(1024));
        assert_eq!(c("parseint", vec![st("FF"), n(16.0)]).as_i64(), Some(255));
        assert_eq!(c("parseint", vec![st("-101"), n(2.0)]).as_i64(), Some(-5));
        assert!(is_error(&c("parseint", vec![st("12"), n(2.0)])));
        assert_eq!(
            c("strcontains", vec![st("hello"), st("ell")]).as_bool(),
            Some(true)
        );
        assert_eq!(c("strrev", vec![st("abc")]).as_str(), Some("cba"));
        assert_eq!(c("trim", vec![st("?!hi!?"), st("!?")]).as_str(), Some("hi"));
        assert_eq!(c("chomp", vec![st("x\r\n\n")]).as_str(), Some("x"));
        assert_eq!(
            c("indent", vec![n(2.0), st("a\nb")]).as_str(),
            Some("a\n  b")
        );
        assert_eq!(c("nonsensitive", vec![st("x")]).as_str(), Some("x"));
    }
    fn strs(n: &Node) -> Vec<String> {
        n.items().iter().map(|i| as_string(i).unwrap()).collect()
    }

    #[test]
    fn regular_expressions_are_evaluated_as_terraform_does() {
        let text = |n: Node| as_string(&n).unwrap();
        // `replace` with a pattern between slashes, `$1` / `${name}` expanded.
        assert_eq!(
            text(c(
                "replace",
                vec![st("10.0.0.0/16"), st(r"/0/16$/"), st("0/24")]
            )),
            "10.0.0.0/24"
        );
        assert_eq!(
            text(c(
                "replace",
                vec![st("vm-01-a"), st(r"/-(\d+)-/"), st("_${1}_")]
            )),
            "vm_01_a"
        );
        assert_eq!(
            text(c("replace", vec![st("a.b.c"), st("/[.]/"), st("-")])),
            "a-b-c"
        );
        // Without both slashes the substring is literal.
        assert_eq!(text(c("replace", vec![st("a/b"), st("/"), st("-")])), "a-b");
        // A pattern the `regex` crate cannot read (`\Q…\E` is RE2's) is Unknown, not an error.
        let unread = c("replace", vec![st("abc"), st(r"/\Qa.b\E/"), st("x")]);
        assert!(unread.is_unknown() && !is_error(&unread));
        assert!(!is_error(&c(
            "replace",
            vec![st("abc"), st("/[/"), st("x")]
        )));
        // `regex`: the match, the captures as a list, or by name.
        assert_eq!(text(c("regex", vec![st(r"\d+"), st("port 22")])), "22");
        assert_eq!(
            strs(&c("regex", vec![st(r"^(\d+)-(\d+)$"), st("22-23")])),
            ["22", "23"]
        );
        let named = c("regex", vec![st(r"(?P<lo>\d+)-(?P<hi>\d+)"), st("22-23")]);
        assert_eq!(as_string(named.get("lo").unwrap()).unwrap(), "22");
        assert_eq!(as_string(named.get("hi").unwrap()).unwrap(), "23");
        assert_eq!(named.members().len(), 2);
        // A group that takes no part in the match is null.
        let optional = c("regex", vec![st("(a)?(b)"), st("b")]);
        assert!(optional.items()[0].is_null());
        assert_eq!(as_string(&optional.items()[1]).unwrap(), "b");
        // No match, or named and unnamed groups together: Terraform rejects them.
        assert!(is_error(&c("regex", vec![st("x"), st("abc")])));
        assert!(!is_error(&c("regex", vec![st("("), st("abc")])));
        assert!(is_error(&c("regex", vec![st(r"(?P<a>\d)(\d)"), st("12")])));
        // `regexall`: every match, none an empty list.
        assert_eq!(
            strs(&c("regexall", vec![st(r"\d+"), st("1,22,333")])),
            ["1", "22", "333"]
        );
        assert!(c("regexall", vec![st("x"), st("abc")]).items().is_empty());
        let pairs = c("regexall", vec![st(r"(\w)=(\d)"), st("a=1 b=2")]);
        assert_eq!(strs(&pairs.items()[1]), ["b", "2"]);
        // Unknown arguments give Unknown, not an error.
        let u = Node::unknown("x", sp());
        assert!(c("regex", vec![st("a"), u.clone()]).is_unknown());
        assert!(!is_error(&c("replace", vec![u, st("/a/"), st("b")])));
    }

    #[test]
    fn the_table_is_sorted_by_name_without_duplicates() {
        for w in FUNCTIONS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        for f in FUNCTIONS {
            assert_eq!(find(f.name).map(|x| x.name), Some(f.name));
            assert!(
                f.arity.max.is_none_or(|max| f.arity.min <= max),
                "{}",
                f.name
            );
        }
        assert!(find("base64encode").is_none());
    }

    #[test]
    fn arity_is_checked_after_unknown_arguments() {
        let u = Node::unknown("x", sp());
        assert!(!is_error(&c("lower", vec![u, st("extra")])));
        assert_eq!(
            c("lower", vec![st("a"), st("b")]),
            error("invalid arguments to `lower`", sp())
        );
        assert!(is_error(&c("max", vec![])));
        assert_eq!(c("concat", vec![]), l(vec![]));
    }

    #[test]
    fn lazy_functions_on_values() {
        let u = Node::unknown("x", sp());
        let null = Node::new(Value::Null, sp());
        assert_eq!(
            c("coalesce", vec![null.clone(), st(""), st("a")]).as_str(),
            Some("a")
        );
        assert!(c("coalesce", vec![null.clone(), u, st("a")]).is_unknown());
        assert!(is_error(&c("coalesce", vec![null])));
        assert_eq!(c("can", vec![error("e", sp())]).as_bool(), Some(false));
        assert_eq!(
            c("try", vec![error("e", sp()), n(1.0)]).value,
            Value::Number(1.0)
        );
        assert!(lazy_for("try", true).is_some());
        assert!(lazy_for("coalesce", false).is_some());
        assert!(lazy_for("coalesce", true).is_none());
        assert!(lazy_for("lower", false).is_none());
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
        assert_eq!(
            c("replace", vec![st("a"), st("/a/"), st("b")]).as_str(),
            Some("b")
        );
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
        assert!(c("regexall", vec![st("a"), list.clone()]).is_unknown());
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
