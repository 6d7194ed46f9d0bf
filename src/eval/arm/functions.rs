//! The ARM template functions the analyzer evaluates, in one table ([`FUNCTIONS`]): each row
//! names a function (lowercase; ARM names are case-insensitive), the number of arguments it
//! takes, whether it evaluates its arguments itself, and the Rust function that implements it.
//!
//! Only functions whose result does not depend on the deployment are here. A call of any other
//! function (`resourceGroup()`, `reference()`, `list*()`, `newGuid()`, `utcNow()`,
//! `environment()`), a call with a number of arguments the function does not take,
//! and one with arguments of the wrong kind, are Unknown. A template's user-defined functions
//! (`namespace.member(...)`) evaluate their output with the arguments as their parameters
//! ([`super::expr::call_user_function`]); the lambda functions are in [`super::lambdas`].

use super::expr::{
    equals, eval_in, eval_located, num_text, select, Env, EvalValue, Expr, Origin, Part, MAX_ITEMS,
    MAX_STRING,
};
use super::lambdas;
use crate::eval::Arity;
use crate::ir::Span;
use std::rc::Rc;
use EvalValue as V;

/// What a function on evaluated arguments may read besides their values.
pub struct Context<'a> {
    /// The arguments as written (`guid()` and `uniqueString()` hash them when a value is unknown).
    pub written: &'a [Expr],
    /// The template's parameters, variables and copy loops.
    pub env: &'a dyn Env,
    /// The arguments as evaluated, each with its place and origins: what a function that passes
    /// its arguments on (`createArray()`, `createObject()`) puts in its result.
    pub located: &'a [EvalValue],
}

/// A function on evaluated arguments.
pub type ValuesFn = fn(&[EvalValue], &Context) -> EvalValue;

/// A function that evaluates its own arguments, only as far as it needs them (D26).
pub type LazyFn = fn(&[Expr], &dyn Env) -> EvalValue;

/// How a function receives its arguments.
#[derive(Clone, Copy)]
pub enum Implementation {
    /// Called on the values of all its arguments, evaluated left to right. Unknown arguments
    /// reach the function, which keeps what it can (a partially known string keeps its known
    /// parts). The result is a new value, placed at the call, from every parameter and variable
    /// the arguments came from.
    Values(ValuesFn),
    /// Like `Values`, for a function whose result holds its arguments or their parts as they are
    /// (`createObject()`, `union()`, `tryGet()`, `first()`, …): it receives each argument with
    /// its place and origins moved onto its elements ([`EvalValue::open`]), so that every part of
    /// the result keeps the place and the origins of the argument it came from.
    Keeps(ValuesFn),
    /// Evaluates its arguments itself: `if()` only the branch taken, `and`, `or` and `coalesce`
    /// up to the argument that decides.
    Lazy(LazyFn),
}

/// One template function.
#[derive(Clone, Copy)]
pub struct Function {
    /// Lowercase.
    pub name: &'static str,
    pub arity: Arity,
    pub imp: Implementation,
}

const fn values(name: &'static str, arity: Arity, f: ValuesFn) -> Function {
    Function {
        name,
        arity,
        imp: Implementation::Values(f),
    }
}

const fn keeps(name: &'static str, arity: Arity, f: ValuesFn) -> Function {
    Function {
        name,
        arity,
        imp: Implementation::Keeps(f),
    }
}

const fn lazy(name: &'static str, arity: Arity, f: LazyFn) -> Function {
    Function {
        name,
        arity,
        imp: Implementation::Lazy(f),
    }
}

const NONE: Arity = Arity::exactly(0);
const ONE: Arity = Arity::exactly(1);
const TWO: Arity = Arity::exactly(2);
const THREE: Arity = Arity::exactly(3);
const ANY: Arity = Arity::at_least(0);

/// Every function the analyzer evaluates, sorted by name ([`find`] searches it).
pub static FUNCTIONS: &[Function] = &[
    values("add", TWO, add),
    lazy("and", ANY, and),
    keeps("array", ONE, array),
    values("bool", ONE, bool),
    values("cidrhost", TWO, cidrhost),
    values("cidrsubnet", THREE, cidrsubnet),
    lazy("coalesce", ANY, coalesce),
    keeps("concat", ANY, concat),
    values("contains", TWO, contains),
    values("copyindex", Arity::between(0, 2), copyindex),
    keeps("createarray", ANY, createarray),
    keeps("createobject", ANY, createobject),
    values("div", TWO, div),
    values("empty", ONE, empty),
    values("endswith", TWO, endswith),
    values("equals", TWO, equals_fn),
    values(
        "extensionresourceid",
        Arity::at_least(3),
        extensionresourceid,
    ),
    values("false", NONE, false_),
    lazy("filter", TWO, lambdas::filter),
    keeps("first", ONE, first),
    keeps("flatten", ONE, flatten),
    values("format", Arity::at_least(1), format),
    values("greater", TWO, greater),
    values("greaterorequals", TWO, greaterorequals),
    lazy("groupby", TWO, lambdas::group_by),
    values("guid", Arity::at_least(1), guid),
    lazy("if", THREE, if_),
    values("indexof", TWO, indexof),
    values("int", ONE, int),
    keeps("intersection", Arity::at_least(1), intersection),
    keeps("items", ONE, items),
    values("join", TWO, join),
    values("json", ONE, json),
    lazy("lambdavariables", ONE, lambdas::lambda_variables),
    keeps("last", ONE, last),
    values("lastindexof", TWO, lastindexof),
    values("length", ONE, length),
    values("less", TWO, less),
    values("lessorequals", TWO, lessorequals),
    lazy("map", TWO, lambdas::map),
    lazy("mapvalues", TWO, lambdas::map_values),
    values("max", Arity::at_least(1), max),
    values("min", Arity::at_least(1), min),
    values("mod", TWO, mod_),
    values("mul", TWO, mul),
    values("not", ONE, not),
    values("null", NONE, null),
    values("objectkeys", ONE, objectkeys),
    lazy("or", ANY, or),
    values("padleft", Arity::between(2, 3), padleft),
    values("parameters", ONE, parameters),
    values("parsecidr", ONE, parsecidr),
    values("range", TWO, range),
    lazy("reduce", THREE, lambdas::reduce),
    lazy("reference", Arity::between(1, 3), reference),
    values("replace", THREE, replace),
    values("resourceid", Arity::at_least(2), resourceid),
    keeps("shallowmerge", ONE, shallowmerge),
    keeps("skip", TWO, skip),
    lazy("sort", TWO, lambdas::sort),
    values("split", TWO, split),
    values("startswith", TWO, startswith),
    values("string", ONE, string),
    values("sub", TWO, sub),
    values(
        "subscriptionresourceid",
        Arity::at_least(2),
        subscriptionresourceid,
    ),
    values("substring", Arity::at_least(1), substring),
    keeps("take", TWO, take),
    values("tenantresourceid", Arity::at_least(2), tenantresourceid),
    values("tolower", ONE, tolower),
    lazy("toobject", Arity::between(2, 3), lambdas::to_object),
    values("toupper", ONE, toupper),
    values("trim", ONE, trim),
    values("true", NONE, true_),
    keeps("tryget", Arity::at_least(2), tryget),
    keeps("union", Arity::at_least(1), union),
    values("uniquestring", Arity::at_least(1), uniquestring),
    values("variables", ONE, variables),
];

/// The function called `name` (lowercase), if the analyzer evaluates it.
pub fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .map(|i| &FUNCTIONS[i])
}

/// Calls function `name` (lowercase) on the arguments as written; the call is at `at`. The
/// arguments of a function that does not evaluate them itself are all evaluated, whether or not
/// the function is known or takes that many.
pub fn call(name: &str, args: &[Expr], env: &dyn Env, at: Option<Span>) -> EvalValue {
    // A bug, on demand: the tests of panic isolation call it (there is no such function outside
    // the unit tests).
    #[cfg(test)]
    if name == "batchguardtestpanic" {
        panic!("batchguardTestPanic() was called");
    }
    // A user-defined function of the template (`namespace.member`): its output, evaluated with
    // the arguments as its parameters; Unknown when the template defines no such function.
    if name.contains('.') {
        let Some(f) = env.user_function(name) else {
            return V::Unknown;
        };
        let located: Vec<EvalValue> = args.iter().map(|a| eval_located(a, env)).collect();
        let from = origins_of(&located);
        return match super::expr::call_user_function(&f, located, env).plain() {
            V::Unknown => V::Unknown,
            v => EvalValue::located(v, at, Some(Rc::new(from))),
        };
    }
    let row = find(name);
    if let Some(Function {
        arity,
        imp: Implementation::Lazy(f),
        ..
    }) = row
    {
        return if arity.allows(args.len()) {
            select(Some(f(args, env)), at)
        } else {
            V::Unknown
        };
    }
    let located: Vec<EvalValue> = args.iter().map(|a| eval_located(a, env)).collect();
    let Some(row) = row.filter(|r| r.arity.allows(located.len())) else {
        return V::Unknown;
    };
    let (f, keeps) = match row.imp {
        Implementation::Values(f) => (f, false),
        Implementation::Keeps(f) => (f, true),
        Implementation::Lazy(_) => return V::Unknown,
    };
    let v: Vec<EvalValue> = if keeps {
        located.iter().map(EvalValue::open).collect()
    } else {
        located.iter().map(|x| x.clone().plain()).collect()
    };
    let cx = Context {
        written: args,
        env,
        located: &located,
    };
    match f(&v, &cx) {
        out @ V::Located(_) => select(Some(out), at),
        V::Unknown => V::Unknown,
        out @ (V::Array(_) | V::Object(_)) if keeps => {
            EvalValue::located(out, at, Some(Rc::default()))
        }
        out => EvalValue::located(out, at, Some(Rc::new(origins_of(&located)))),
    }
}

/// The origins of every part of the values, for a value computed from them.
fn origins_of(values: &[EvalValue]) -> Vec<Origin> {
    let mut out = Vec::new();
    for v in values {
        v.all_origins(&mut out);
    }
    out
}

/// A value computed from `from`: with the origins of all of them.
fn computed(v: EvalValue, from: &[EvalValue]) -> EvalValue {
    EvalValue::located(v, None, Some(Rc::new(origins_of(from))))
}

// Lazy functions (D26).

/// The branch taken, as it is: the condition does not supply the value.
fn if_(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [c, a, b] = args else { return V::Unknown };
    match eval_in(c, env).truth() {
        Some(true) => eval_located(a, env),
        Some(false) => eval_located(b, env),
        None => V::Unknown,
    }
}

/// The first argument that is not null, as it is, or null.
fn coalesce(args: &[Expr], env: &dyn Env) -> EvalValue {
    for a in args {
        match eval_located(a, env) {
            v if v.is_null() => continue,
            v => return v,
        }
    }
    EvalValue::located(V::Null, None, Some(Rc::default()))
}

/// `reference(id)` of a nested deployment of the template (`Microsoft.Resources/deployments`,
/// by id or by name): its outputs. Every other resource's runtime state is not known.
fn reference(args: &[Expr], env: &dyn Env) -> EvalValue {
    // `resourceId()` of a deployment is known from `/providers/…` on, under an unknown
    // subscription and group: the known end of the id names the deployment.
    let id = match eval_located(&args[0], env).plain() {
        V::Str(s) => s,
        V::Partial(parts) => match parts.last() {
            Some(Part::Known(tail)) => tail.clone(),
            _ => return V::Unknown,
        },
        _ => return V::Unknown,
    };
    let marker = "/providers/microsoft.resources/deployments/";
    let name = match id.to_ascii_lowercase().rfind(marker) {
        Some(at) => Some(&id[at + marker.len()..]).filter(|n| !n.is_empty() && !n.contains('/')),
        None if !id.contains('/') => Some(id.as_str()),
        None => None,
    };
    name.map_or(V::Unknown, |n| env.deployment(n))
}

fn and(args: &[Expr], env: &dyn Env) -> EvalValue {
    logic(args, env, false)
}

fn or(args: &[Expr], env: &dyn Env) -> EvalValue {
    logic(args, env, true)
}

/// `and` (`stop` false) and `or` (`stop` true): the first argument equal to `stop` decides.
/// Otherwise they take at least two arguments, all known.
fn logic(args: &[Expr], env: &dyn Env, stop: bool) -> EvalValue {
    let mut unknown = false;
    let mut read = Vec::new();
    for a in args {
        let v = eval_located(a, env);
        let truth = v.truth();
        read.push(v);
        match truth {
            Some(b) if b == stop => return computed(V::Bool(stop), &read),
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown || args.len() < 2 {
        V::Unknown
    } else {
        computed(V::Bool(!stop), &read)
    }
}

// The template's context.

fn parameters(v: &[EvalValue], cx: &Context) -> EvalValue {
    match v {
        [V::Str(n)] => cx.env.parameter(n),
        _ => V::Unknown,
    }
}

fn variables(v: &[EvalValue], cx: &Context) -> EvalValue {
    match v {
        [V::Str(n)] => cx.env.variable(n),
        _ => V::Unknown,
    }
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`.
fn copyindex(v: &[EvalValue], cx: &Context) -> EvalValue {
    let int_arg = |i: usize| v.get(i).and_then(EvalValue::as_int);
    let (loop_name, offset) = match v {
        [] => (None, 0),
        [V::Str(n)] => (Some(n.as_str()), 0),
        [V::Num(_)] => (None, int_arg(0).unwrap_or(0)),
        [V::Str(n), V::Num(_)] => (Some(n.as_str()), int_arg(1).unwrap_or(0)),
        _ => return V::Unknown,
    };
    cx.env
        .copy_index(loop_name)
        .map_or(V::Unknown, |i| V::Num((i + offset) as f64))
}

// Literals and conversions.

fn true_(_: &[EvalValue], _: &Context) -> EvalValue {
    V::Bool(true)
}

fn false_(_: &[EvalValue], _: &Context) -> EvalValue {
    V::Bool(false)
}

fn null(_: &[EvalValue], _: &Context) -> EvalValue {
    V::Null
}

fn string(v: &[EvalValue], _: &Context) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x {
        V::Str(_) | V::Partial(_) => x.clone(),
        V::Num(n) => V::Str(num_text(*n)),
        V::Bool(b) => V::Str(if *b { "True" } else { "False" }.into()),
        V::Array(_) | V::Object(_) => x.to_json().map_or(V::Unknown, |j| V::Str(j.to_string())),
        _ => V::Unknown,
    }
}

fn int(v: &[EvalValue], _: &Context) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x {
        V::Num(n) => V::Num(n.trunc()),
        V::Str(s) => s
            .trim()
            .parse::<i64>()
            .map_or(V::Unknown, |n| V::Num(n as f64)),
        _ => V::Unknown,
    }
}

fn bool(v: &[EvalValue], _: &Context) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x {
        V::Bool(_) => x.clone(),
        V::Str(_) => x.truth().map_or(V::Unknown, V::Bool),
        V::Num(n) => V::Bool(*n != 0.0),
        _ => V::Unknown,
    }
}

fn json(v: &[EvalValue], _: &Context) -> EvalValue {
    match v {
        [V::Str(s)] => serde_json::from_str::<serde_json::Value>(s)
            .map_or(V::Unknown, |j| EvalValue::from_json(&j)),
        _ => V::Unknown,
    }
}

fn array(v: &[EvalValue], cx: &Context) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x {
        V::Array(_) => x.clone(),
        V::Unknown | V::Partial(_) => V::Unknown,
        _ => V::Array(cx.located.to_vec()),
    }
}

fn createarray(_: &[EvalValue], cx: &Context) -> EvalValue {
    limit_array(cx.located.to_vec(), cx)
}

/// `createObject(key1, value1, key2, value2, …)`: each member keeps where its key and its value
/// are written.
fn createobject(v: &[EvalValue], cx: &Context) -> EvalValue {
    if !v.len().is_multiple_of(2) {
        return V::Unknown;
    }
    let mut members = Vec::new();
    for (pair, written) in v.chunks(2).zip(cx.located.chunks(2)) {
        let V::Str(k) = &pair[0] else {
            return V::Unknown;
        };
        let mut value = written[1].clone();
        if let (V::Located(l), V::Located(key)) = (&mut value, &written[0]) {
            l.key_at = key.at;
        }
        members.push((k.clone(), value));
    }
    V::Object(members)
}

// Comparison and logic.

fn equals_fn(v: &[EvalValue], _: &Context) -> EvalValue {
    match v {
        [a, b] => equals(a, b).map_or(V::Unknown, V::Bool),
        _ => V::Unknown,
    }
}

fn not(v: &[EvalValue], _: &Context) -> EvalValue {
    match v {
        [x] => x.truth().map_or(V::Unknown, |b| V::Bool(!b)),
        _ => V::Unknown,
    }
}

/// Numbers compare as numbers, strings ordinally; `test` reads the ordering.
fn compare(v: &[EvalValue], test: fn(std::cmp::Ordering) -> bool) -> EvalValue {
    let [a, b] = v else { return V::Unknown };
    let ord = match (a, b) {
        (V::Num(x), V::Num(y)) => x.partial_cmp(y),
        (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ord) = ord else { return V::Unknown };
    V::Bool(test(ord))
}

fn greater(v: &[EvalValue], _: &Context) -> EvalValue {
    compare(v, std::cmp::Ordering::is_gt)
}

fn greaterorequals(v: &[EvalValue], _: &Context) -> EvalValue {
    compare(v, std::cmp::Ordering::is_ge)
}

fn less(v: &[EvalValue], _: &Context) -> EvalValue {
    compare(v, std::cmp::Ordering::is_lt)
}

fn lessorequals(v: &[EvalValue], _: &Context) -> EvalValue {
    compare(v, std::cmp::Ordering::is_le)
}

// Numbers.

/// Integer arithmetic; Unknown on overflow and division by zero.
fn arithmetic(v: &[EvalValue], op: fn(i64, i64) -> Option<i64>) -> EvalValue {
    let [a, b] = v else { return V::Unknown };
    let (Some(a), Some(b)) = (a.as_int(), b.as_int()) else {
        return V::Unknown;
    };
    op(a, b).map_or(V::Unknown, |r| V::Num(r as f64))
}

fn add(v: &[EvalValue], _: &Context) -> EvalValue {
    arithmetic(v, i64::checked_add)
}

fn sub(v: &[EvalValue], _: &Context) -> EvalValue {
    arithmetic(v, i64::checked_sub)
}

fn mul(v: &[EvalValue], _: &Context) -> EvalValue {
    arithmetic(v, i64::checked_mul)
}

fn div(v: &[EvalValue], _: &Context) -> EvalValue {
    arithmetic(v, i64::checked_div)
}

fn mod_(v: &[EvalValue], _: &Context) -> EvalValue {
    arithmetic(v, i64::checked_rem)
}

/// `min` and `max` of numbers given as arguments or as one array.
fn extreme(v: &[EvalValue], pick: fn(f64, f64) -> f64) -> EvalValue {
    let nums: Option<Vec<f64>> = match v {
        [V::Array(a)] => a.iter().map(EvalValue::as_num).collect(),
        _ => v.iter().map(EvalValue::as_num).collect(),
    };
    let nums = nums.filter(|n| !n.is_empty());
    let Some(nums) = nums else { return V::Unknown };
    V::Num(nums.into_iter().reduce(pick).unwrap_or_default())
}

fn min(v: &[EvalValue], _: &Context) -> EvalValue {
    extreme(v, f64::min)
}

fn max(v: &[EvalValue], _: &Context) -> EvalValue {
    extreme(v, f64::max)
}

/// `range(start, count)`.
fn range(v: &[EvalValue], cx: &Context) -> EvalValue {
    let [start, count] = v else { return V::Unknown };
    let (Some(start), Some(count)) = (start.as_int(), count.as_int()) else {
        return V::Unknown;
    };
    if !(0..=MAX_ITEMS as i64).contains(&count) {
        if count > 0 {
            cx.env.exceeded(&format!(
                "`range()` of {count} items (more than {MAX_ITEMS})"
            ));
        }
        return V::Unknown;
    }
    V::Array((0..count).map(|i| V::Num((start + i) as f64)).collect())
}

// Strings and collections.

fn format(v: &[EvalValue], cx: &Context) -> EvalValue {
    match v {
        [V::Str(fmt), rest @ ..] => format_parts(fmt, rest, cx),
        _ => V::Unknown,
    }
}

/// Arrays when any argument is one, otherwise strings (keeping known parts).
fn concat(v: &[EvalValue], cx: &Context) -> EvalValue {
    if v.iter().any(|x| matches!(x, EvalValue::Array(_))) {
        let mut out = Vec::new();
        for x in v {
            match x {
                EvalValue::Array(a) => out.extend(a.iter().cloned()),
                EvalValue::Null => {}
                _ => return EvalValue::Unknown,
            }
            if out.len() > MAX_ITEMS {
                cx.env.exceeded(&too_many("concat()"));
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
    string_of(parts, "concat()", cx)
}

fn empty(v: &[EvalValue], _: &Context) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x {
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
    }
}

/// Is `item` an element of `items`? None when that is not known.
fn in_array(items: &[EvalValue], item: &EvalValue) -> Option<bool> {
    let mut unknown = false;
    for x in items {
        match equals(x, item) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(false)
}

/// A substring of a string, an element of an array, or a key of an object (case-insensitive).
fn contains(v: &[EvalValue], _: &Context) -> EvalValue {
    let [container, item] = v else {
        return V::Unknown;
    };
    match (container, item) {
        (V::Str(s), _) => match item.parts() {
            Some(p) if p.len() == 1 => {
                let [Part::Known(t)] = p.as_slice() else {
                    return V::Unknown;
                };
                V::Bool(s.contains(t.as_str()))
            }
            _ => V::Unknown,
        },
        (V::Array(a), _) => in_array(a, item).map_or(V::Unknown, V::Bool),
        (V::Object(_), V::Str(k)) => V::Bool(container.member(k).is_some()),
        _ => V::Unknown,
    }
}

fn length(v: &[EvalValue], _: &Context) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x {
        V::Str(s) => V::Num(s.chars().count() as f64),
        V::Array(a) => V::Num(a.len() as f64),
        V::Object(m) => V::Num(m.len() as f64),
        _ => V::Unknown,
    }
}

/// Converts the known parts of a (partially known) string.
fn convert_case(v: &[EvalValue], conv: fn(&str) -> String) -> EvalValue {
    let [x] = v else { return V::Unknown };
    match x.parts() {
        Some(p) if matches!(x, V::Str(_) | V::Partial(_)) => EvalValue::from_parts(
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

fn tolower(v: &[EvalValue], _: &Context) -> EvalValue {
    convert_case(v, str::to_lowercase)
}

fn toupper(v: &[EvalValue], _: &Context) -> EvalValue {
    convert_case(v, str::to_uppercase)
}

fn replace(v: &[EvalValue], cx: &Context) -> EvalValue {
    match v {
        [V::Str(s), V::Str(old), V::Str(new)] if !old.is_empty() => {
            limit_str(s.replace(old.as_str(), new), cx)
        }
        _ => V::Unknown,
    }
}

/// `split(string, delimiter)`, the delimiter a string or an array of strings.
fn split(v: &[EvalValue], cx: &Context) -> EvalValue {
    let [V::Str(s), delims] = v else {
        return V::Unknown;
    };
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
    limit_array(pieces.into_iter().map(V::Str).collect(), cx)
}

/// The first (`first`) or last character of a string or element of an array.
fn end_of(v: &[EvalValue], first: bool) -> EvalValue {
    let [x] = v else { return V::Unknown };
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

fn first(v: &[EvalValue], _: &Context) -> EvalValue {
    end_of(v, true)
}

fn last(v: &[EvalValue], _: &Context) -> EvalValue {
    end_of(v, false)
}

fn union(v: &[EvalValue], cx: &Context) -> EvalValue {
    merge_all(v, cx)
}

/// `shallowMerge(arrayOfObjects)`.
/// `flatten(arrays)`: the items of each array in turn, one level deep (what Bicep compiles an
/// array that spreads others to).
fn flatten(v: &[EvalValue], cx: &Context) -> EvalValue {
    let [V::Array(arrays)] = v else {
        return V::Unknown;
    };
    let mut out = Vec::new();
    for a in arrays {
        match a.open() {
            V::Array(items) => out.extend(items),
            _ => return V::Unknown,
        }
        if out.len() > MAX_ITEMS {
            cx.env.exceeded(&too_many("flatten()"));
            return V::Unknown;
        }
    }
    V::Array(out)
}

fn shallowmerge(v: &[EvalValue], cx: &Context) -> EvalValue {
    match v {
        [V::Array(objects)] => merge_all(objects, cx),
        _ => V::Unknown,
    }
}

/// `tryGet(value, key1, key2, …)`: null where a key or index is missing. The keys decide which
/// part the value is: it came from them too.
fn tryget(v: &[EvalValue], cx: &Context) -> EvalValue {
    let [base, keys @ ..] = v else {
        return V::Unknown;
    };
    if keys.is_empty() {
        return V::Unknown;
    }
    let mut cur = base.clone();
    for k in keys {
        let open = cur.open();
        cur = match (&open, k.bare()) {
            (V::Object(_), V::Str(key)) => open.member(key).cloned().unwrap_or(V::Null),
            (V::Array(a), V::Num(_)) => k
                .as_int()
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| a.get(i).cloned())
                .unwrap_or(V::Null),
            (V::Null, _) => V::Null,
            _ => return V::Unknown,
        };
    }
    cur.also_from(&cx.located[1..])
}

/// `substring(string, start[, length])`.
fn substring(v: &[EvalValue], _: &Context) -> EvalValue {
    let [V::Str(s), ..] = v else {
        return V::Unknown;
    };
    let int_arg = |i: usize| v.get(i).and_then(EvalValue::as_int);
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

/// The first (`take`) or all but the first `n` characters of a string or elements of an array.
fn take_or_skip(v: &[EvalValue], take: bool) -> EvalValue {
    let [x, n] = v else { return V::Unknown };
    let Some(n) = n.as_int() else {
        return V::Unknown;
    };
    let n = n.max(0) as usize;
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

fn take(v: &[EvalValue], _: &Context) -> EvalValue {
    take_or_skip(v, true)
}

fn skip(v: &[EvalValue], _: &Context) -> EvalValue {
    take_or_skip(v, false)
}

/// The first (`first`) or last position of a substring (case-insensitive, in characters) or of
/// an element; -1 when absent.
fn position(v: &[EvalValue], first: bool) -> EvalValue {
    match v {
        [V::Str(s), V::Str(t)] => {
            // Azure compares case-insensitively here; the index counts characters.
            let (s, t) = (s.to_lowercase(), t.to_lowercase());
            let at = if first { s.find(&t) } else { s.rfind(&t) };
            V::Num(at.map_or(-1.0, |i| s[..i].chars().count() as f64))
        }
        [V::Array(a), item] => {
            let mut found = -1.0;
            for (i, x) in a.iter().enumerate() {
                match equals(x, item) {
                    Some(true) => {
                        found = i as f64;
                        if first {
                            break;
                        }
                    }
                    Some(false) => {}
                    None => return V::Unknown,
                }
            }
            V::Num(found)
        }
        _ => V::Unknown,
    }
}

fn indexof(v: &[EvalValue], _: &Context) -> EvalValue {
    position(v, true)
}

fn lastindexof(v: &[EvalValue], _: &Context) -> EvalValue {
    position(v, false)
}

/// Case-insensitive `startsWith` (`start`) and `endsWith`.
fn affix(v: &[EvalValue], start: bool) -> EvalValue {
    let [V::Str(s), V::Str(t)] = v else {
        return V::Unknown;
    };
    let (s, t) = (s.to_lowercase(), t.to_lowercase());
    V::Bool(if start {
        s.starts_with(&t)
    } else {
        s.ends_with(&t)
    })
}

fn startswith(v: &[EvalValue], _: &Context) -> EvalValue {
    affix(v, true)
}

fn endswith(v: &[EvalValue], _: &Context) -> EvalValue {
    affix(v, false)
}

fn trim(v: &[EvalValue], _: &Context) -> EvalValue {
    match v {
        [V::Str(s)] => V::Str(s.trim().to_string()),
        _ => V::Unknown,
    }
}

/// `padLeft(value, width[, character])`.
fn padleft(v: &[EvalValue], cx: &Context) -> EvalValue {
    let [x, width, rest @ ..] = v else {
        return V::Unknown;
    };
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
        cx.env
            .exceeded(&format!("`padLeft()` to {width} characters"));
        return V::Unknown;
    }
    let mut out: String = std::iter::repeat_n(pad, (width - len).max(0) as usize).collect();
    out.push_str(&s);
    V::Str(out)
}

// Networks.

/// A network in CIDR notation: its first address, prefix length and address width (32 or 128).
fn cidr_of(v: &EvalValue) -> Option<(u128, u32, u32)> {
    match v.as_str()?.parse::<ipnet::IpNet>().ok()?.trunc() {
        ipnet::IpNet::V4(n) => Some((
            u128::from(u32::from(n.network())),
            u32::from(n.prefix_len()),
            32,
        )),
        ipnet::IpNet::V6(n) => Some((u128::from(n.network()), u32::from(n.prefix_len()), 128)),
    }
}

fn address(at: u128, width: u32) -> String {
    if width == 32 {
        std::net::Ipv4Addr::from(at as u32).to_string()
    } else {
        std::net::Ipv6Addr::from(at).to_string()
    }
}

/// The number of addresses in a block of prefix length `len`, less one.
fn block_mask(len: u32, width: u32) -> u128 {
    1u128.checked_shl(width - len).map_or(u128::MAX, |n| n - 1)
}

/// `cidrSubnet(network, newCIDR, subnetIndex)`: the `subnetIndex`-th subnet of prefix length
/// `newCIDR` in the network.
fn cidrsubnet(v: &[EvalValue], _: &Context) -> EvalValue {
    let [net, len, index] = v else {
        return V::Unknown;
    };
    let (Some((base, plen, width)), Some(len), Some(index)) =
        (cidr_of(net), len.as_int(), index.as_int())
    else {
        return V::Unknown;
    };
    let Ok(len) = u32::try_from(len) else {
        return V::Unknown;
    };
    if len < plen || len > width || index < 0 {
        return V::Unknown;
    }
    let count_bits = len - plen;
    if count_bits < 64 && index as u128 >= 1u128 << count_bits {
        return V::Unknown;
    }
    let Some(offset) = (index as u128).checked_shl(width - len) else {
        return V::Unknown;
    };
    V::Str(format!("{}/{len}", address(base | offset, width)))
}

/// `cidrHost(network, hostIndex)`: the usable address `hostIndex` (0 is the one after the
/// network's own address).
fn cidrhost(v: &[EvalValue], _: &Context) -> EvalValue {
    let [net, index] = v else {
        return V::Unknown;
    };
    let (Some((base, plen, width)), Some(index)) = (cidr_of(net), index.as_int()) else {
        return V::Unknown;
    };
    // The last usable address: before the broadcast address in IPv4.
    let last = base + block_mask(plen, width) - u128::from(width == 32 && plen < 31);
    match u128::try_from(index)
        .ok()
        .and_then(|i| base.checked_add(1 + i))
    {
        Some(at) if at <= last => V::Str(address(at, width)),
        _ => V::Unknown,
    }
}

/// `parseCidr(network)`: its network address, netmask, broadcast (IPv4), first and last usable
/// addresses and prefix length.
fn parsecidr(v: &[EvalValue], _: &Context) -> EvalValue {
    let [net] = v else { return V::Unknown };
    let Some((base, plen, width)) = cidr_of(net) else {
        return V::Unknown;
    };
    let mask = block_mask(plen, width);
    let netmask = !mask
        & if width == 32 {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
    let s = |x: u128| V::Str(address(x, width));
    let mut out = vec![
        ("network".to_string(), s(base)),
        ("netmask".to_string(), s(netmask)),
    ];
    if width == 32 {
        out.push(("broadcast".into(), s(base + mask)));
        let (first, last) = if plen >= 31 {
            (base, base + mask)
        } else {
            (base + 1, base + mask - 1)
        };
        out.push(("firstUsable".into(), s(first)));
        out.push(("lastUsable".into(), s(last)));
    } else {
        out.push(("firstUsable".into(), s(base)));
        out.push(("lastUsable".into(), s(base + mask)));
    }
    out.push(("cidr".into(), V::Num(f64::from(plen))));
    V::Object(out)
}

/// `join(array, delimiter)`: the strings (or numbers and booleans, as written) of the array.
fn join(v: &[EvalValue], _: &Context) -> EvalValue {
    let [V::Array(items), V::Str(d)] = v else {
        return V::Unknown;
    };
    let mut parts = Vec::with_capacity(items.len());
    for it in items {
        match it.bare() {
            V::Str(x) => parts.push(x.clone()),
            V::Bool(b) => parts.push(b.to_string()),
            V::Num(_) => match it.as_int() {
                Some(i) => parts.push(i.to_string()),
                None => return V::Unknown,
            },
            _ => return V::Unknown,
        }
    }
    V::Str(parts.join(d))
}

/// `objectKeys(object)`: its keys, in order.
fn objectkeys(v: &[EvalValue], _: &Context) -> EvalValue {
    let [V::Object(m)] = v else {
        return V::Unknown;
    };
    V::Array(m.iter().map(|(k, _)| V::Str(k.clone())).collect())
}

/// `intersection(a, b, …)`: the elements of the first array in every other one, or the members
/// of the first object with the same key and value in every other one.
fn intersection(v: &[EvalValue], _: &Context) -> EvalValue {
    let Some(first) = v.first() else {
        return V::Unknown;
    };
    let keep = |x: &EvalValue, other: &EvalValue, key: Option<&str>| -> Option<bool> {
        match (other, key) {
            (V::Array(items), None) => in_array(items, x),
            (V::Object(_), Some(k)) => match other.member(k) {
                Some(y) => equals(x, y),
                None => Some(false),
            },
            _ => None,
        }
    };
    match first {
        V::Array(items) => {
            let mut out: Vec<EvalValue> = Vec::new();
            for it in items {
                let mut all = true;
                for other in &v[1..] {
                    match keep(it, other, None) {
                        Some(b) => all &= b,
                        None => return V::Unknown,
                    }
                }
                let repeated = out.iter().any(|o| equals(o, it) == Some(true));
                if all && !repeated {
                    out.push(it.clone());
                }
            }
            V::Array(out)
        }
        V::Object(members) => {
            let mut out = Vec::new();
            for (k, x) in members {
                let mut all = true;
                for other in &v[1..] {
                    match keep(x, other, Some(k)) {
                        Some(b) => all &= b,
                        None => return V::Unknown,
                    }
                }
                if all {
                    out.push((k.clone(), x.clone()));
                }
            }
            V::Object(out)
        }
        _ => V::Unknown,
    }
}

/// The members of an object as `{key, value}` objects, sorted by key.
fn items(v: &[EvalValue], _: &Context) -> EvalValue {
    let [V::Object(m)] = v else {
        return V::Unknown;
    };
    let mut m = m.clone();
    m.sort_by_key(|(k, _)| k.to_lowercase());
    V::Array(
        m.into_iter()
            .map(|(k, v)| V::Object(vec![("key".into(), V::Str(k)), ("value".into(), v)]))
            .collect(),
    )
}

// Opaque strings (D24).

fn guid(v: &[EvalValue], cx: &Context) -> EvalValue {
    let h = opaque_hash(cx.written, v);
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

/// Thirteen lowercase letters and digits, as Azure's are; equal for identical arguments.
fn uniquestring(v: &[EvalValue], cx: &Context) -> EvalValue {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut h = opaque_hash(cx.written, v);
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

// Resource ids.

fn resourceid(v: &[EvalValue], _: &Context) -> EvalValue {
    resource_id(v, IdScope::ResourceGroup)
}

fn subscriptionresourceid(v: &[EvalValue], _: &Context) -> EvalValue {
    resource_id(v, IdScope::Subscription)
}

fn tenantresourceid(v: &[EvalValue], _: &Context) -> EvalValue {
    resource_id(v, IdScope::Tenant)
}

/// `extensionResourceId(baseId, type, name1, …)`.
fn extensionresourceid(v: &[EvalValue], _: &Context) -> EvalValue {
    let [base, rest @ ..] = v else {
        return V::Unknown;
    };
    let Some(mut parts) = base.parts() else {
        return V::Unknown;
    };
    match resource_id(rest, IdScope::Tenant).parts() {
        Some(p) => parts.extend(p),
        None => return V::Unknown,
    }
    EvalValue::from_parts(parts)
}

// Helpers.

/// What a limit on arrays says, for its warning.
fn too_many(function: &str) -> String {
    format!("`{function}` building more than {MAX_ITEMS} items")
}

fn limit_str(s: String, cx: &Context) -> EvalValue {
    if s.len() > MAX_STRING {
        cx.env
            .exceeded(&format!("a string longer than {MAX_STRING} bytes"));
        EvalValue::Unknown
    } else {
        EvalValue::Str(s)
    }
}

fn limit_array(a: Vec<EvalValue>, cx: &Context) -> EvalValue {
    if a.len() > MAX_ITEMS {
        cx.env.exceeded(&too_many("an array function"));
        EvalValue::Unknown
    } else {
        EvalValue::Array(a)
    }
}

/// `union` and `shallowMerge`: objects merge (later members win), arrays join without
/// duplicates. Members and elements keep their places and origins.
fn merge_all(v: &[EvalValue], cx: &Context) -> EvalValue {
    let v: Vec<EvalValue> = v.iter().map(EvalValue::open).collect();
    match v.first() {
        Some(EvalValue::Object(_)) => {
            let mut out: Vec<(String, EvalValue)> = Vec::new();
            for x in &v {
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
            for x in &v {
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
                        cx.env.exceeded(&too_many("union()"));
                        return EvalValue::Unknown;
                    }
                }
            }
            EvalValue::Array(out)
        }
        _ => EvalValue::Unknown,
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

fn format_parts(fmt: &str, args: &[EvalValue], cx: &Context) -> EvalValue {
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
                // A format string that repeats a long argument stops as soon as it is too long.
                if parts_len(&parts) > MAX_STRING {
                    return string_of(parts, "format()", cx);
                }
            }
            c => text.push(c),
        }
    }
    parts.push(Part::Known(text));
    string_of(parts, "format()", cx)
}

/// The length of the known parts of a string.
fn parts_len(parts: &[Part]) -> usize {
    parts
        .iter()
        .map(|p| match p {
            Part::Known(s) => s.len(),
            Part::Unknown => 0,
        })
        .fold(0, usize::saturating_add)
}

/// The string `function` builds of `parts`; Unknown, with a warning, when it is longer than
/// [`MAX_STRING`].
fn string_of(parts: Vec<Part>, function: &str, cx: &Context) -> EvalValue {
    if parts_len(&parts) > MAX_STRING {
        cx.env.exceeded(&format!(
            "`{function}` building a string longer than {MAX_STRING} bytes"
        ));
        return EvalValue::Unknown;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::arm::expr::{eval, parse};

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
                "[flatten(createArray(createArray(1), createArray(), createArray(2, createArray(3))))]",
                ev("[createArray(1, 2, createArray(3))]"),
            ),
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
            ("[cidrSubnet('10.144.0.0/20', 24, 3)]", s("10.144.3.0/24")),
            (
                "[cidrSubnet('fdad:3236:5555::/48', 52, 1)]",
                s("fdad:3236:5555:1000::/52"),
            ),
            ("[cidrSubnet('10.0.0.0/16', 16, 0)]", s("10.0.0.0/16")),
            ("[cidrHost('10.144.3.0/24', 0)]", s("10.144.3.1")),
            ("[cidrHost('fdad:3236:5555:3000::/52', 4)]", s("fdad:3236:5555:3000::5")),
            ("[parseCidr('10.144.0.0/20').broadcast]", s("10.144.15.255")),
            ("[parseCidr('10.144.0.0/20').lastUsable]", s("10.144.15.254")),
            ("[parseCidr('10.144.0.0/20').netmask]", s("255.255.240.0")),
            ("[parseCidr('fdad:3236:5555::/48').netmask]", s("ffff:ffff:ffff::")),
            ("[parseCidr('10.144.0.0/20').cidr]", n(20.0)),
            ("[join(createArray('a', 'b', 1, true), ',')]", s("a,b,1,true")),
            (
                "[objectKeys(createObject('b', 1, 'a', 2))]",
                ev("[createArray('b', 'a')]"),
            ),
            (
                "[intersection(createArray('a', 'b', 'c'), createArray('c', 'a'))]",
                ev("[createArray('a', 'c')]"),
            ),
            (
                "[intersection(createObject('a', 1, 'b', 2), createObject('a', 1, 'b', 3))]",
                ev("[createObject('a', 1)]"),
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
            // A subnet or host outside the network, a prefix shorter than the network's.
            "[cidrSubnet('10.0.0.0/24', 26, 4)]",
            "[cidrSubnet('10.0.0.0/24', 16, 0)]",
            "[cidrHost('10.0.0.0/30', 2)]",
            "[join(createArray('a', reference('x').name), ',')]",
            // An item that is not an array, or not known: nothing is known of the result.
            "[flatten(createArray(createArray(1), 2))]",
            "[flatten(createArray(createArray(1), reference('x').rules))]",
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
    fn the_table_is_sorted_by_lowercase_name_without_duplicates() {
        for w in FUNCTIONS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        for f in FUNCTIONS {
            assert_eq!(f.name, f.name.to_ascii_lowercase());
            assert_eq!(find(f.name).map(|x| x.name), Some(f.name));
            assert!(
                f.arity.max.is_none_or(|max| f.arity.min <= max),
                "{}",
                f.name
            );
        }
        assert!(find("list").is_none());
    }
}
