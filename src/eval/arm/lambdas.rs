//! ARM's lambda functions: `map()`, `filter()`, `reduce()`, `sort()`, `toObject()`,
//! `mapValues()` and `groupBy()`, each with a `lambda('x', …, body)` argument whose variables the
//! body reads as `lambdaVariables('x')`. Bicep compiles its lambdas (`x => …`, `(x, i) => …`)
//! to these, and Azure Verified Modules compute names, zones and rule lists with them.
//!
//! A lambda is not a value: written anywhere else it is Unknown. The body is evaluated once per
//! element, with the element (and its index, for a lambda that names one) as its variables,
//! each evaluation charged to the template's budget. A filter or sort whose test is unknown for
//! some element, a key that is not a known string, and two elements with the same key make the
//! whole result Unknown: which elements the result holds, or in which order, is then not known.

use super::expr::{eval_located, Env, EvalValue, Expr, Kind, UserFunction};
use crate::ir::Span;
use std::collections::hash_map::Entry;
use std::rc::Rc;
use EvalValue as V;

/// A `lambda('a', 'b', body)` argument: its variables' names and its body.
struct Lambda<'e> {
    variables: Vec<&'e str>,
    body: &'e Expr,
}

/// The lambda written as `e`, if it is one with between `min` and `max` variables.
fn lambda_of(e: &Expr, min: usize, max: usize) -> Option<Lambda<'_>> {
    let Kind::Call { name, args } = &e.kind else {
        return None;
    };
    let (body, names) = args.split_last()?;
    if !name.eq_ignore_ascii_case("lambda") || names.len() < min || names.len() > max {
        return None;
    }
    let variables = names
        .iter()
        .map(|n| match &n.kind {
            Kind::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Lambda { variables, body })
}

impl Lambda<'_> {
    /// The body's value with the variables bound to `values` in order (a variable past the
    /// values given is Unknown).
    fn apply(&self, values: Vec<EvalValue>, env: &dyn Env) -> EvalValue {
        let mut values = values.into_iter();
        let inner = LambdaEnv {
            outer: env,
            bindings: self
                .variables
                .iter()
                .map(|n| (*n, values.next().unwrap_or(V::Unknown)))
                .collect(),
        };
        eval_located(self.body, &inner)
    }
}

/// Inside a lambda's body: its variables, then the variables of the lambdas around it, then
/// everything the template sees.
struct LambdaEnv<'a> {
    outer: &'a dyn Env,
    bindings: Vec<(&'a str, EvalValue)>,
}

impl Env for LambdaEnv<'_> {
    fn parameter(&self, name: &str) -> EvalValue {
        self.outer.parameter(name)
    }
    fn variable(&self, name: &str) -> EvalValue {
        self.outer.variable(name)
    }
    fn copy_index(&self, name: Option<&str>) -> Option<i64> {
        self.outer.copy_index(name)
    }
    fn charge(&self, units: usize) -> bool {
        self.outer.charge(units)
    }
    fn shared(&self, function: &str, name: &str) -> Option<Rc<EvalValue>> {
        self.outer.shared(function, name)
    }
    fn locate(&self, at: (usize, usize)) -> Option<Span> {
        self.outer.locate(at)
    }
    fn exceeded(&self, what: &str) {
        self.outer.exceeded(what)
    }
    fn deployment(&self, name: &str) -> EvalValue {
        self.outer.deployment(name)
    }
    fn user_function(&self, name: &str) -> Option<Rc<UserFunction>> {
        self.outer.user_function(name)
    }
    fn function_depth(&self) -> usize {
        self.outer.function_depth()
    }
    fn value_limit(&self) -> usize {
        self.outer.value_limit()
    }
    /// A copy of the variable's value, charged by its size: a `reduce()` that reads an
    /// accumulator growing with each element costs what copying it costs.
    fn lambda_variable(&self, name: &str) -> EvalValue {
        match self
            .bindings
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some((_, v)) if self.charge(v.size()) => v.clone(),
            Some(_) => V::Unknown,
            None => self.outer.lambda_variable(name),
        }
    }
}

/// Counts what a lambda function has built so far against the most one value may hold (D39):
/// false, with the limit reported, once `built` passes it.
struct Growth<'e> {
    env: &'e dyn Env,
    function: &'static str,
    built: usize,
}

impl<'e> Growth<'e> {
    fn new(env: &'e dyn Env, function: &'static str) -> Self {
        Growth {
            env,
            function,
            built: 0,
        }
    }
    /// Adds `v` (or, with `replace`, makes it the whole of what is built).
    fn add(&mut self, v: &EvalValue, replace: bool) -> bool {
        let size = v.size();
        self.built = if replace {
            size
        } else {
            self.built.saturating_add(size)
        };
        let limit = self.env.value_limit();
        if self.built > limit {
            self.env.exceeded(&format!(
                "`{}()` building more than {limit} values",
                self.function
            ));
            return false;
        }
        true
    }
}

/// The elements of the array `e` evaluates to, each with its place and origins.
fn elements(e: &Expr, env: &dyn Env) -> Option<Vec<EvalValue>> {
    match eval_located(e, env).open() {
        V::Array(items) => Some(items),
        _ => None,
    }
}

/// A key a lambda computed: a known string.
fn key(v: EvalValue) -> Option<String> {
    match v.plain() {
        V::Str(s) => Some(s),
        _ => None,
    }
}

/// `lambdaVariables('x')`: the value of the variable `x` of the lambda being evaluated.
pub(super) fn lambda_variables(args: &[Expr], env: &dyn Env) -> EvalValue {
    match args {
        [Expr {
            kind: Kind::Str(name),
            ..
        }] => env.lambda_variable(name),
        _ => V::Unknown,
    }
}

/// `map(array, lambda('item'[, 'index'], body))`.
pub(super) fn map(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [input, f] = args else { return V::Unknown };
    let (Some(f), Some(items)) = (lambda_of(f, 1, 2), elements(input, env)) else {
        return V::Unknown;
    };
    let mut growth = Growth::new(env, "map");
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let v = f.apply(vec![item, V::Num(i as f64)], env);
        if !growth.add(&v, false) {
            return V::Unknown;
        }
        out.push(v);
    }
    V::Array(out)
}

/// `filter(array, lambda('item'[, 'index'], test))`: the elements the test is true of.
pub(super) fn filter(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [input, f] = args else { return V::Unknown };
    let (Some(f), Some(items)) = (lambda_of(f, 1, 2), elements(input, env)) else {
        return V::Unknown;
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match f.apply(vec![item.clone(), V::Num(i as f64)], env).truth() {
            Some(true) => out.push(item),
            Some(false) => {}
            None => return V::Unknown,
        }
    }
    V::Array(out)
}

/// `reduce(array, initial, lambda('current', 'next'[, 'index'], body))`.
pub(super) fn reduce(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [input, initial, f] = args else {
        return V::Unknown;
    };
    let (Some(f), Some(items)) = (lambda_of(f, 2, 3), elements(input, env)) else {
        return V::Unknown;
    };
    let mut growth = Growth::new(env, "reduce");
    let mut acc = eval_located(initial, env);
    for (i, item) in items.into_iter().enumerate() {
        acc = f.apply(vec![acc, item, V::Num(i as f64)], env);
        if matches!(acc.bare(), V::Unknown) || !growth.add(&acc, true) {
            return V::Unknown;
        }
    }
    acc
}

/// `sort(array, lambda('a', 'b', a_before_b))`: a stable merge sort, Unknown when a comparison
/// is not known.
pub(super) fn sort(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [input, f] = args else { return V::Unknown };
    let (Some(f), Some(items)) = (lambda_of(f, 2, 2), elements(input, env)) else {
        return V::Unknown;
    };
    let before = |a: &EvalValue, b: &EvalValue| f.apply(vec![a.clone(), b.clone()], env).truth();
    merge_sort(items, &before).map_or(V::Unknown, V::Array)
}

fn merge_sort(
    mut items: Vec<EvalValue>,
    before: &dyn Fn(&EvalValue, &EvalValue) -> Option<bool>,
) -> Option<Vec<EvalValue>> {
    if items.len() < 2 {
        return Some(items);
    }
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(items, before)?;
    let right = merge_sort(right, before)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        // The right one goes first only when it comes strictly before: equal ones keep order.
        if before(b, a)? {
            out.extend(r.next());
        } else {
            out.extend(l.next());
        }
    }
    out.extend(l);
    out.extend(r);
    Some(out)
}

/// `toObject(array, lambda('item', key)[, lambda('item', value)])`: a member per element.
pub(super) fn to_object(args: &[Expr], env: &dyn Env) -> EvalValue {
    let (input, key_of, value_of) = match args {
        [input, k] => (input, k, None),
        [input, k, v] => (input, k, Some(v)),
        _ => return V::Unknown,
    };
    let (Some(key_of), Some(items)) = (lambda_of(key_of, 1, 1), elements(input, env)) else {
        return V::Unknown;
    };
    let value_of = match value_of.map(|v| lambda_of(v, 1, 1)) {
        Some(None) => return V::Unknown,
        Some(Some(f)) => Some(f),
        None => None,
    };
    let mut growth = Growth::new(env, "toObject");
    let mut out: Vec<(String, EvalValue)> = Vec::new();
    let mut seen = crate::hash::HashSet::default();
    for item in items {
        let Some(k) = key(key_of.apply(vec![item.clone()], env)) else {
            return V::Unknown;
        };
        if !seen.insert(k.to_ascii_lowercase()) {
            return V::Unknown;
        }
        let v = match &value_of {
            Some(f) => f.apply(vec![item], env),
            None => item,
        };
        if !growth.add(&v, false) {
            return V::Unknown;
        }
        out.push((k, v));
    }
    V::Object(out)
}

/// `mapValues(object, lambda('value', body))`: the same keys, each value mapped.
pub(super) fn map_values(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [input, f] = args else { return V::Unknown };
    let Some(f) = lambda_of(f, 1, 1) else {
        return V::Unknown;
    };
    let V::Object(members) = eval_located(input, env).open() else {
        return V::Unknown;
    };
    let mut growth = Growth::new(env, "mapValues");
    let mut out = Vec::with_capacity(members.len());
    for (k, v) in members {
        let v = f.apply(vec![v], env);
        if !growth.add(&v, false) {
            return V::Unknown;
        }
        out.push((k, v));
    }
    V::Object(out)
}

/// `groupBy(array, lambda('item', key))`: for each key, the elements that have it, in order.
pub(super) fn group_by(args: &[Expr], env: &dyn Env) -> EvalValue {
    let [input, f] = args else { return V::Unknown };
    let (Some(f), Some(items)) = (lambda_of(f, 1, 1), elements(input, env)) else {
        return V::Unknown;
    };
    // Groups in the order their keys are first met; keys compare case-insensitively.
    let mut out: Vec<(String, Vec<EvalValue>)> = Vec::new();
    let mut group_of: crate::hash::HashMap<String, usize> = Default::default();
    for item in items {
        let Some(k) = key(f.apply(vec![item.clone()], env)) else {
            return V::Unknown;
        };
        match group_of.entry(k.to_ascii_lowercase()) {
            Entry::Occupied(g) => out[*g.get()].1.push(item),
            Entry::Vacant(g) => {
                g.insert(out.len());
                out.push((k, vec![item]));
            }
        }
    }
    V::Object(out.into_iter().map(|(k, g)| (k, V::Array(g))).collect())
}

#[cfg(test)]
mod tests {
    use super::super::expr::{eval, parse};
    use super::*;

    fn ev(text: &str) -> EvalValue {
        eval(&parse(text).unwrap())
    }

    fn json(text: &str) -> serde_json::Value {
        ev(text)
            .to_json()
            .unwrap_or(serde_json::Value::String("?".into()))
    }

    #[test]
    fn lambdas_evaluate_per_element() {
        let cases = [
            (
                "[map(createArray(22, 3389), lambda('p', 'i', createObject('port', lambdaVariables('p'), 'priority', add(100, lambdaVariables('i')))))]",
                r#"[{"port":22,"priority":100},{"port":3389,"priority":101}]"#,
            ),
            (
                "[filter(createArray(1, 2, 3, 4), lambda('x', equals(mod(lambdaVariables('x'), 2), 0)))]",
                "[2,4]",
            ),
            (
                "[reduce(createArray(1, 2, 3), 10, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
                "16",
            ),
            (
                "[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
                "[1,2,3]",
            ),
            (
                "[toObject(createArray('a', 'b'), lambda('x', lambdaVariables('x')), lambda('x', toUpper(lambdaVariables('x'))))]",
                r#"{"a":"A","b":"B"}"#,
            ),
            (
                "[mapValues(createObject('a', 1, 'b', 2), lambda('v', mul(lambdaVariables('v'), 10)))]",
                r#"{"a":10,"b":20}"#,
            ),
            (
                "[groupBy(createArray('ab', 'ac', 'b'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]",
                r#"{"a":["ab","ac"],"b":["b"]}"#,
            ),
            // Nested lambdas see the variables of the lambdas around them.
            (
                "[map(createArray(1, 2), lambda('x', map(createArray(10), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))]",
                "[[11],[12]]",
            ),
        ];
        for (text, want) in cases {
            let want: serde_json::Value = serde_json::from_str(want).unwrap();
            assert_eq!(json(text), want, "{text}");
        }
    }

    #[test]
    fn what_a_lambda_cannot_know_is_unknown() {
        for text in [
            // A lambda alone, a variable outside its lambda.
            "[lambda('x', lambdaVariables('x'))]",
            "[lambdaVariables('x')]",
            // A test or a comparison that is not known, a key that is not a string, two
            // elements with the same key.
            "[filter(createArray(1, reference('x').n), lambda('x', equals(lambdaVariables('x'), 1)))]",
            "[sort(createArray(1, reference('x').n), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
            "[toObject(createArray(1), lambda('x', lambdaVariables('x')))]",
            "[toObject(createArray('a', 'A'), lambda('x', lambdaVariables('x')))]",
            // Not an array, not a lambda, a lambda with too many variables.
            "[map(reference('x').items, lambda('x', 1))]",
            "[map(createArray(1), 1)]",
            "[map(createArray(1), lambda('a', 'b', 'c', 1))]",
        ] {
            assert_eq!(ev(text), EvalValue::Unknown, "{text}");
        }
        // An element that is not known stays an unknown element of a mapped array.
        let v = ev("[map(createArray(1, reference('x').n), lambda('x', lambdaVariables('x')))]");
        assert!(
            matches!(v, EvalValue::Array(ref a) if a.len() == 2 && a[0] == EvalValue::Num(1.0) && a[1] == EvalValue::Unknown),
            "{v:?}"
        );
    }
}
