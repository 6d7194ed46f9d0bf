//! Terraform expressions evaluated within one module instance ([`super::module::Module`]):
//! literals, collections, operators (with short-circuit, D26), conditionals, `for` expressions,
//! splats, templates, calls of the functions in [`super::functions`], and references: variables,
//! locals, resource attributes written in configuration, outputs of local modules, `count` /
//! `each` / `for` bindings and `dynamic` block iterators. What cannot be known is Unknown, keeping
//! the reference to another resource's attribute for the graph. Evaluation is lazy (a local is
//! evaluated when first used), memoised, cycle-safe, and bounded in depth and work.

use super::functions as func;
use super::module::{InstKey, Instance, Instances, Located, Module, Origin};
use super::value::{
    as_index, as_number, as_string, equal, error, is_error, join_pieces, sorted_members, unknown,
    Piece,
};
use crate::frontend::hcl::Ctx;
use crate::frontend::tfjson::SpanMap;
use crate::ir::{Member, Node, Reference, Span, Value};
use crate::source::FileId;
use hcl_edit::expr::{
    BinaryOperator, Expression, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::Block;
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Decorated;
use std::rc::Rc;

/// Deepest nesting of expression evaluation (locals referring to locals, nested calls): a guard
/// for the stack. The work limit follows the size of the module (D39).
const MAX_DEPTH: usize = 200;
/// Terraform's functions that read files (or list them): never evaluated, batchguard reads only
/// the templates it scans.
const FILE_FUNCTIONS: &[&str] = &[
    "file",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "fileexists",
    "filemd5",
    "fileset",
    "filesha1",
    "filesha256",
    "filesha512",
    "templatefile",
];
/// Bytes of string built or copied that count as one step of work (D39).
pub(super) const BYTES_PER_STEP: usize = 16;

/// Names bound by `for` expressions.
pub(super) struct Bound<'e> {
    name: &'e str,
    value: Node,
    next: Option<&'e Bound<'e>>,
}

/// Where an expression is evaluated: its file, and the bindings in force.
#[derive(Clone, Copy)]
pub struct Env<'e> {
    pub file: FileId,
    pub text: &'e str,
    /// For a `.tf.json` file, from the HCL it was translated to back to `text`.
    pub map: Option<&'e SpanMap>,
    pub each: Option<&'e (Node, Node)>,
    /// Where the `for_each` collection behind `each` came from.
    pub each_origins: &'e [Origin],
    pub count: Option<&'e Node>,
    pub(super) bound: Option<&'e Bound<'e>>,
    /// The lowering context, for `dynamic` block iterators.
    pub(super) iters: Option<&'e Ctx<'e>>,
}

impl<'e> Env<'e> {
    pub fn new(file: FileId, text: &'e str) -> Env<'e> {
        Env {
            file,
            text,
            map: None,
            each: None,
            each_origins: &[],
            count: None,
            bound: None,
            iters: None,
        }
    }
    pub(super) fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        let r = r.unwrap_or(0..0);
        let r = self.map.map_or(r.clone(), |m| m.to_source(r));
        let n = self.text.len();
        Span::new(self.file, r.start.min(n), r.end.min(n))
    }
    pub(super) fn span_of(&self, x: &impl hcl_edit::Span) -> Span {
        self.span(x.span())
    }
    fn snippet(&self, span: Span) -> String {
        crate::findings::snippet(self.text.get(span.start..span.end).unwrap_or(""))
    }
    fn lookup(&self, name: &str) -> Option<&Node> {
        let mut b = self.bound;
        while let Some(x) = b {
            if x.name == name {
                return Some(&x.value);
            }
            b = x.next;
        }
        None
    }
}

/// Gives every node of a value the span where it is used.
pub fn respan(n: &mut Node, span: Span) {
    n.span = span;
    match &mut n.value {
        Value::Array(a) => a.iter_mut().for_each(|i| respan(i, span)),
        Value::Object(m) => m.iter_mut().for_each(|m| {
            m.key_span = span;
            respan(&mut m.value, span)
        }),
        _ => {}
    }
}

fn obj(members: Vec<Member>, span: Span) -> Node {
    Node::new(Value::Object(members), span)
}

/// `META` arguments of `resource` and `module` blocks that are not resource attributes or
/// module inputs.
const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "providers",
    "source",
    "version",
    "lifecycle",
];

impl<'s> Module<'s> {
    /// Evaluates an expression.
    pub fn ev(&self, e: &Expression, env: &Env) -> Node {
        let span = env.span_of(e);
        if let Some(stop) = self.step(span) {
            return stop;
        }
        let depth = self.depth.get();
        self.depth.set(depth + 1);
        let n = self.ev_inner(e, env, span);
        self.depth.set(depth);
        n
    }

    /// Counts one step of work at `span`; the Unknown to return instead when a limit is
    /// reached (reported once, naming the construct being evaluated).
    fn step(&self, span: Span) -> Option<Node> {
        let depth = self.depth.get();
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if depth >= MAX_DEPTH {
            if !self.too_deep.replace(true) {
                let (what, at) = self.construct(span);
                self.shared.warn(
                    format!("{what} nests expressions more than {MAX_DEPTH} deep (locals or calls that refer to each other in a long chain); the values below are treated as unknown"),
                    at,
                );
            }
            return Some(unknown("expression nested too deeply to evaluate", span));
        }
        if steps > self.max_steps.get() {
            if !self.exhausted.replace(true) {
                let (what, at) = self.construct(span);
                self.shared.warn(
                    format!("evaluation of {what} stopped at the work limit of its Terraform module ({} steps, in proportion to the module's size: it grows faster than its input); the values left are treated as unknown", self.max_steps.get()),
                    at,
                );
            }
            return Some(unknown("evaluation limit reached", span));
        }
        None
    }

    /// Evaluates a function's argument. A variable or local (or a part of one) is read where it
    /// is held, not copied: passing a large map to `lookup` costs the member looked up.
    fn ev_arg<'m>(&'m self, e: &Expression, env: &Env) -> Arg<'m> {
        let own = |m: &Self| Arg::Own(m.ev(e, env));
        let Expression::Traversal(t) = e else {
            return own(self);
        };
        let Expression::Variable(root) = &t.expr else {
            return own(self);
        };
        let root = root.as_str();
        let bound = env.lookup(root).is_some()
            || env.iters.is_some_and(|i| i.iterator_value(root).is_some());
        let first = match t.operators.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) if !bound => a.as_str(),
            _ => return own(self),
        };
        let rest = &t.operators[1..];
        let span = env.span_of(e);
        match root {
            "var" => {
                let Some(v) = self.vars.get(first) else {
                    return own(self);
                };
                if let Some(stop) = self.step(span) {
                    return Arg::Own(stop);
                }
                self.touch(&v.origins);
                match self.path(&v.node, rest, env, span) {
                    Ok(p) => Arg::Var(&v.node, p),
                    Err(n) => Arg::Own(n),
                }
            }
            "local" => {
                let Some(l) = self.locals.get(first).copied() else {
                    return own(self);
                };
                if let Some(stop) = self.step(span) {
                    return Arg::Own(stop);
                }
                let v = self.local(first, l, span);
                match self.path(&v, rest, env, span) {
                    Ok(p) => Arg::Held(v, p),
                    Err(n) => Arg::Own(n),
                }
            }
            _ => own(self),
        }
    }

    /// The value of `local.NAME`, defined by `l`, read at `span`.
    fn local(
        &self,
        name: &str,
        l: Located<'s, hcl_edit::structure::Attribute>,
        span: Span,
    ) -> Rc<Node> {
        let lenv = self.env(&l);
        let def = lenv.span_of(&l.item.value);
        self.memoised(format!("local.{name}"), span, def, || {
            let n = self.ev(&l.item.value, &lenv);
            // The local's name, after the values it is built from: its value may span many
            // lines, and what in it matters has an origin of its own.
            self.touch(&[Origin {
                from: lenv.span_of(&l.item.key),
                label: format!("local value `{}local.{name}`", self.prefix),
                secret: false,
            }]);
            n
        })
    }

    fn ev_inner(&self, e: &Expression, env: &Env, span: Span) -> Node {
        match e {
            Expression::Null(_) => Node::new(Value::Null, span),
            Expression::Bool(b) => Node::new(Value::Bool(*b.value()), span),
            Expression::Number(n) => match n.value().as_f64() {
                Some(f) => Node::new(Value::Number(f), span),
                None => unknown("number out of range", span),
            },
            Expression::String(s) => Node::new(Value::String(s.value().clone()), span),
            Expression::Array(a) => Node::new(
                Value::Array(a.iter().map(|x| self.ev(x, env)).collect()),
                span,
            ),
            Expression::Object(o) => {
                let mut members: Vec<Member> = Vec::with_capacity(o.len());
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(x) => {
                            let kn = self.ev(x, env);
                            match as_string(&kn) {
                                Some(s) => s,
                                None if kn.is_unknown() => return kn,
                                None => return error("object key is not a string", span),
                            }
                        }
                    };
                    let value = self.ev(v.expr(), env);
                    match members.iter_mut().find(|m| m.key == key) {
                        Some(m) => m.value = value,
                        None => members.push(Member {
                            key: key.into(),
                            key_span: env.span_of(k),
                            value,
                            written: None,
                        }),
                    }
                }
                obj(members, span)
            }
            Expression::StringTemplate(t) => self.template(t, None, env, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, h.indent(), env, span),
            Expression::Parenthesis(p) => {
                let mut n = self.ev(p.inner(), env);
                n.span = span;
                n
            }
            Expression::Variable(v) => match env.lookup(v.as_str()) {
                Some(n) => n.clone(),
                None => unknown(format!("`{}` is not evaluated", v.as_str()), span),
            },
            Expression::Traversal(t) => self.traversal(t, env, span),
            Expression::FuncCall(f) => self.call(f, env, span),
            Expression::Conditional(c) => {
                let cond = self.ev(&c.cond_expr, env);
                match cond.as_bool() {
                    Some(true) => self.ev(&c.true_expr, env),
                    Some(false) => self.ev(&c.false_expr, env),
                    None if cond.is_unknown() => {
                        let t = self.ev(&c.true_expr, env);
                        let f = self.ev(&c.false_expr, env);
                        if equal(&t, &f) == Some(true) {
                            t
                        } else {
                            unknown(
                                format!(
                                    "conditional expression `{}` depends on an unknown condition",
                                    env.snippet(span)
                                ),
                                span,
                            )
                        }
                    }
                    None => error("condition is not a bool", span),
                }
            }
            Expression::ForExpr(f) => self.for_expr(f, env, span),
            Expression::UnaryOp(u) => {
                let x = self.ev(&u.expr, env);
                if x.is_unknown() {
                    return x;
                }
                match u.operator.value() {
                    UnaryOperator::Neg => as_number(&x).map_or_else(
                        || error("not a number", span),
                        |n| Node::new(Value::Number(-n), span),
                    ),
                    UnaryOperator::Not => x.as_bool().map_or_else(
                        || error("not a bool", span),
                        |b| Node::new(Value::Bool(!b), span),
                    ),
                }
            }
            Expression::BinaryOp(b) => {
                self.binary(*b.operator.value(), &b.lhs_expr, &b.rhs_expr, env, span)
            }
        }
    }

    /// A string template's value; `indent` is what an indented heredoc (`<<-`) strips from
    /// each line.
    fn template(&self, t: &Template, indent: Option<usize>, env: &Env, span: Span) -> Node {
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            let mut n = self.ev(&i.expr, env);
            n.span = span;
            return n;
        }
        let mut pieces = Vec::new();
        if let Err(mut stop) =
            self.template_pieces(t, (false, false), (None, indent), env, span, &mut pieces)
        {
            stop.span = span;
            return stop;
        }
        let len = text_len(&pieces);
        if len > func::MAX_STRING {
            return self.too_large(
                format!(
                    "the string template `{}` would build a string of {len} bytes; strings stop at {} bytes and the value is unknown",
                    env.snippet(span),
                    func::MAX_STRING
                ),
                span,
            );
        }
        self.charge_bytes(len);
        // An id built from another resource's id still links (D38).
        join_pieces(pieces, span)
    }

    /// Appends the pieces of the template `t`: its literals, the values of its interpolations and
    /// what its `%{if}` and `%{for}` directives produce. `strip` says whether the marks around
    /// `t` (the directive parts that enclose it) strip the white space at the start of its first
    /// literal and at the end of its last; a `~` beside an element strips its neighbouring
    /// literal likewise. `dedent` is the indent an indented heredoc strips from the lines of
    /// `t`'s literals (`hcl-edit` strips it from the heredoc's own literals, not from those inside
    /// its directives, which Terraform strips too), `indent` the heredoc's, for the templates
    /// inside `t`'s directives. The value that stops the template (an error, a work limit) is
    /// `Err`.
    fn template_pieces(
        &self,
        t: &Template,
        strip: (bool, bool),
        (dedent, indent): (Option<usize>, Option<usize>),
        env: &Env,
        span: Span,
        out: &mut Vec<Piece>,
    ) -> Result<(), Node> {
        let elements: Vec<&Element> = t.iter().collect();
        for (i, e) in elements.iter().enumerate() {
            match e {
                Element::Literal(l) => {
                    let dedented = dedent.map(|n| dedent_lines(l.value(), n));
                    let mut text = dedented.as_deref().unwrap_or(l.value().as_str());
                    let after_mark = i
                        .checked_sub(1)
                        .map_or(strip.0, |p| strips_next(elements[p]));
                    if after_mark {
                        text = text.trim_start();
                    }
                    let before_mark = elements.get(i + 1).map_or(strip.1, |n| strips_previous(n));
                    if before_mark {
                        text = text.trim_end();
                    }
                    out.push(Piece::Text(text.to_string()));
                }
                Element::Interpolation(i) => {
                    let v = self.ev(&i.expr, env);
                    if is_error(&v) {
                        return Err(v);
                    }
                    if v.is_unknown() {
                        out.push(Piece::Unknown(v));
                        continue;
                    }
                    match as_string(&v) {
                        Some(x) => out.push(Piece::Text(x)),
                        None => return Err(error("template value is not a string", span)),
                    }
                }
                Element::Directive(d) => match &**d {
                    Directive::If(d) => {
                        let cond = self.ev(&d.if_expr.cond_expr, env);
                        if is_error(&cond) {
                            return Err(cond);
                        }
                        let endif = d.endif_expr.strip.strip_start();
                        match cond.as_bool() {
                            Some(true) => {
                                let end = d
                                    .else_expr
                                    .as_ref()
                                    .map_or(endif, |e| e.strip.strip_start());
                                let begin = d.if_expr.strip.strip_end();
                                self.template_pieces(
                                    &d.if_expr.template,
                                    (begin, end),
                                    (indent, indent),
                                    env,
                                    span,
                                    out,
                                )?;
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    let begin = e.strip.strip_end();
                                    self.template_pieces(
                                        &e.template,
                                        (begin, endif),
                                        (indent, indent),
                                        env,
                                        span,
                                        out,
                                    )?;
                                }
                            }
                            None if cond.is_unknown() => out.push(Piece::Unknown(cond)),
                            None => {
                                return Err(error("template `if` condition is not a bool", span))
                            }
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let coll = self.ev(&f.collection_expr, env);
                        if is_error(&coll) {
                            return Err(coll);
                        }
                        if coll.is_unknown() {
                            out.push(Piece::Unknown(coll));
                            continue;
                        }
                        let Some(pairs) = iterated(&coll, span) else {
                            return Err(error(
                                "template `for` over a value that is not a collection",
                                span,
                            ));
                        };
                        let strip = (f.strip.strip_end(), d.endfor_expr.strip.strip_start());
                        let key_var = f.key_var.as_ref().map(|k| k.as_str());
                        let mut len = text_len(out);
                        for (k, v) in pairs {
                            // Each iteration is work, even one that writes nothing.
                            if let Some(stop) = self.step(span) {
                                return Err(stop);
                            }
                            let kb = Bound {
                                name: key_var.unwrap_or(""),
                                value: k,
                                next: env.bound,
                            };
                            let vb = Bound {
                                name: f.value_var.as_str(),
                                value: v.clone(),
                                next: Some(&kb),
                            };
                            let inner = Env {
                                bound: Some(&vb),
                                ..*env
                            };
                            let before = out.len();
                            self.template_pieces(
                                &f.template,
                                strip,
                                (indent, indent),
                                &inner,
                                span,
                                out,
                            )?;
                            len = len.saturating_add(text_len(&out[before..]));
                            if len > func::MAX_STRING {
                                return Err(self.too_large(
                                    format!(
                                        "the string template `{}` would build a string of more than {} bytes; strings stop there and the value is unknown",
                                        env.snippet(span),
                                        func::MAX_STRING
                                    ),
                                    span,
                                ));
                            }
                        }
                    }
                },
            }
        }
        Ok(())
    }

    /// A value that would exceed a size bound (`what` says which and why): Unknown, with a
    /// warning at the construct being evaluated (once per construct and bound).
    pub(super) fn too_large(&self, what: String, span: Span) -> Node {
        self.size_warning(what.clone(), span);
        unknown(format!("value too large to evaluate ({what})"), span)
    }

    /// Warns, at the construct being evaluated, that a value reached a size bound.
    fn size_warning(&self, what: String, span: Span) {
        let (construct, at) = self.construct(span);
        if self.bounded.borrow_mut().insert((at, what.clone())) {
            self.shared.warn(format!("in {construct}, {what}"), at);
        }
    }

    /// Counts `bytes` of string built as work (D39): a module that builds strings of a
    /// runaway size stops at its work limit.
    fn charge_bytes(&self, bytes: usize) {
        self.steps.set(
            self.steps
                .get()
                .saturating_add((bytes / BYTES_PER_STEP) as u64),
        );
    }

    fn binary(
        &self,
        op: BinaryOperator,
        lhs: &Expression,
        rhs: &Expression,
        env: &Env,
        span: Span,
    ) -> Node {
        let l = self.ev(lhs, env);
        let b = |v: bool| Node::new(Value::Bool(v), span);
        match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let stop = op == BinaryOperator::Or;
                if l.as_bool() == Some(stop) {
                    return b(stop);
                }
                let r = self.ev(rhs, env);
                match (l.as_bool(), r.as_bool()) {
                    (_, Some(x)) if x == stop => b(stop),
                    (Some(_), Some(_)) => b(!stop),
                    _ if (!l.is_unknown() && l.as_bool().is_none())
                        || (!r.is_unknown() && r.as_bool().is_none()) =>
                    {
                        error("operand is not a bool", span)
                    }
                    _ => unknown(
                        format!("operation `{}` has an unknown operand", env.snippet(span)),
                        span,
                    ),
                }
            }
            _ => {
                let r = self.ev(rhs, env);
                if let Some(u) = [&l, &r].into_iter().find(|x| x.is_unknown()) {
                    let mut u = u.clone();
                    u.span = span;
                    return u;
                }
                match op {
                    BinaryOperator::Eq | BinaryOperator::NotEq => match equal(&l, &r) {
                        Some(e) => b(e == (op == BinaryOperator::Eq)),
                        None => unknown("comparison with an unknown value", span),
                    },
                    _ => {
                        let (Some(x), Some(y)) = (as_number(&l), as_number(&r)) else {
                            return error("operand is not a number", span);
                        };
                        let n = |v: f64| Node::new(Value::Number(v), span);
                        match op {
                            BinaryOperator::Less => b(x < y),
                            BinaryOperator::LessEq => b(x <= y),
                            BinaryOperator::Greater => b(x > y),
                            BinaryOperator::GreaterEq => b(x >= y),
                            BinaryOperator::Plus => n(x + y),
                            BinaryOperator::Minus => n(x - y),
                            BinaryOperator::Mul => n(x * y),
                            BinaryOperator::Div if y == 0.0 => error("division by zero", span),
                            BinaryOperator::Div => n(x / y),
                            BinaryOperator::Mod if y == 0.0 => error("division by zero", span),
                            _ => n(x % y),
                        }
                    }
                }
            }
        }
    }

    fn for_expr(&self, f: &hcl_edit::expr::ForExpr, env: &Env, span: Span) -> Node {
        let coll = self.ev(&f.intro.collection_expr, env);
        if coll.is_unknown() {
            return coll;
        }
        let Some(pairs) = iterated(&coll, span) else {
            return error("`for` over a value that is not a collection", span);
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str());
        let value_var = f.intro.value_var.as_str();
        let mut list = Vec::new();
        let mut members: Vec<Member> = Vec::new();
        for (k, v) in pairs {
            let kb = Bound {
                name: key_var.unwrap_or(""),
                value: k,
                next: env.bound,
            };
            let vb = Bound {
                name: value_var,
                value: v.clone(),
                next: Some(&kb),
            };
            let inner = Env {
                bound: Some(&vb),
                ..*env
            };
            if let Some(c) = &f.cond {
                let keep = self.ev(&c.expr, &inner);
                match keep.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None if keep.is_unknown() => return keep,
                    None => return error("`for` condition is not a bool", span),
                }
            }
            let value = self.ev(&f.value_expr, &inner);
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let key = self.ev(ke, &inner);
                    let Some(key) = as_string(&key) else {
                        return if key.is_unknown() {
                            key
                        } else {
                            error("`for` key is not a string", span)
                        };
                    };
                    match members.iter_mut().find(|m| m.key == key) {
                        Some(m) if f.grouping => {
                            if let Value::Array(a) = &mut m.value.value {
                                a.push(value);
                            }
                        }
                        Some(_) => return error("duplicate key in `for` expression", span),
                        None => members.push(Member {
                            key: key.into(),
                            key_span: span,
                            value: if f.grouping {
                                Node::new(Value::Array(vec![value]), span)
                            } else {
                                value
                            },
                            written: None,
                        }),
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            obj(members, span)
        } else {
            Node::new(Value::Array(list), span)
        }
    }

    fn call(&self, f: &hcl_edit::expr::FuncCall, env: &Env, span: Span) -> Node {
        let name = f.name.name.as_str();
        if f.name.is_namespaced() {
            return unknown(format!("function `{name}` is not evaluated"), span);
        }
        let args: Vec<&Expression> = f.args.iter().collect();
        if FILE_FUNCTIONS.contains(&name) {
            return self.file_function(name, &args, env, span);
        }
        let expanded = f.args.expand_final();
        if let Some(lazy) = func::lazy_for(name, expanded) {
            let out = lazy(&|i| self.ev(args[i], env), args.len(), span);
            return self.bounded_result(out, span);
        }
        let held: Vec<Arg> = args.iter().map(|a| self.ev_arg(a, env)).collect();
        let mut values: Vec<&Node> = held.iter().map(Arg::get).collect();
        if expanded {
            match values.pop() {
                Some(Node {
                    value: Value::Array(items),
                    ..
                }) => values.extend(items.iter()),
                Some(u) if u.is_unknown() => return u.clone(),
                _ => return error("`...` needs a list", span),
            }
        }
        let out = func::call(name, &values, span);
        self.bounded_result(out, span)
    }

    /// A call of one of Terraform's file functions: Unknown, since batchguard reads no file a
    /// template names. A path outside the scanned tree gets a note that says so.
    fn file_function(&self, name: &str, args: &[&Expression], env: &Env, span: Span) -> Node {
        let Some(first) = args.first() else {
            return error(format!("`{name}` needs a path"), span);
        };
        let path = self.ev(first, env);
        if is_error(&path) {
            return path;
        }
        // Terraform resolves a relative path from the directory it runs in, the root module's.
        let dir = self.stack.first().unwrap_or(&self.dir);
        if let Some(p) = path.as_str() {
            if self.shared.outside(dir, p) {
                self.shared.note(
                    format!("`{name}(...)` names `{p}`, outside the scanned tree: batchguard does not read it, and the value is unknown"),
                    span,
                );
            }
        }
        unknown(
            format!("`{name}(...)` reads a file, which batchguard does not do"),
            span,
        )
    }

    /// The result of a function call, with the size bound it reached (if any) reported, and
    /// what it built counted as work.
    fn bounded_result(&self, out: Node, span: Span) -> Node {
        if let Some(what) = func::take_limit() {
            self.size_warning(what, span);
        }
        self.steps.set(self.steps.get().saturating_add(nodes(&out)));
        out
    }

    /// Applies traversal operators to a value.
    fn apply(
        &self,
        mut v: Node,
        ops: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
    ) -> Node {
        for (i, op) in ops.iter().enumerate() {
            if v.is_unknown() {
                v.span = span;
                return v;
            }
            v = match op.value() {
                TraversalOperator::GetAttr(a) => match &v.value {
                    Value::Object(m) => match m.iter().find(|m| m.key == a.as_str()) {
                        Some(m) => m.value.clone(),
                        None => return error(format!("no attribute `{}`", a.as_str()), span),
                    },
                    _ => return error(format!("no attribute `{}`", a.as_str()), span),
                },
                TraversalOperator::Index(x) => {
                    let idx = self.ev(x, env);
                    if idx.is_unknown() {
                        return unknown("unknown index", span);
                    }
                    index(&v, &idx, span)
                }
                TraversalOperator::LegacyIndex(n) => {
                    index(&v, &Node::new(Value::Number(*n.value() as f64), span), span)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    let items = match v.value {
                        Value::Array(items) => items,
                        Value::Null => Vec::new(),
                        _ => vec![v],
                    };
                    let out = items
                        .into_iter()
                        .map(|x| self.apply(x, rest, env, span))
                        .collect();
                    return Node::new(Value::Array(out), span);
                }
            };
            if is_error(&v) {
                return v;
            }
        }
        v.span = span;
        v
    }

    /// Applies traversal operators to a value that is read, not owned (a variable, a local, a
    /// binding): walks into it and copies only the part selected, counting that copy as work.
    fn select(
        &self,
        v: &Node,
        ops: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
    ) -> Node {
        match self.path(v, ops, env, span) {
            Ok(p) => {
                let mut out = self.copy(at_path(v, &p));
                out.span = span;
                out
            }
            Err(n) => n,
        }
    }

    /// Where traversal operators lead inside a value that is read, not owned: the positions of
    /// the elements or members walked into; otherwise the result as a value of its own (an
    /// error, an Unknown met on the way, or what a splat builds).
    fn path(
        &self,
        v: &Node,
        ops: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
    ) -> Result<Vec<usize>, Node> {
        let mut cur = v;
        let mut path = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            if cur.is_unknown() {
                break;
            }
            let at = match op.value() {
                TraversalOperator::GetAttr(a) => match &cur.value {
                    Value::Object(m) => match m.iter().position(|m| m.key == a.as_str()) {
                        Some(i) => i,
                        None => return Err(error(format!("no attribute `{}`", a.as_str()), span)),
                    },
                    _ => return Err(error(format!("no attribute `{}`", a.as_str()), span)),
                },
                TraversalOperator::Index(x) => {
                    let idx = self.ev(x, env);
                    if idx.is_unknown() {
                        return Err(unknown("unknown index", span));
                    }
                    index_at(cur, &idx, span)?
                }
                TraversalOperator::LegacyIndex(n) => {
                    let idx = Node::new(Value::Number(*n.value() as f64), span);
                    index_at(cur, &idx, span)?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    return Err(self.apply(self.copy(cur), &ops[i..], env, span));
                }
            };
            path.push(at);
            cur = at_path(cur, &[at]);
        }
        if cur.is_unknown() {
            let mut u = cur.clone();
            u.span = span;
            return Err(u);
        }
        Ok(path)
    }

    /// A copy of a value, counted as work in proportion to its size.
    fn copy(&self, v: &Node) -> Node {
        self.steps.set(self.steps.get() + nodes(v));
        v.clone()
    }

    fn traversal(&self, t: &Traversal, env: &Env, span: Span) -> Node {
        let ops = &t.operators[..];
        let Expression::Variable(root) = &t.expr else {
            let base = self.ev(&t.expr, env);
            return self.apply(base, ops, env, span);
        };
        let root = root.as_str();
        if let Some(b) = env.lookup(root) {
            return self.select(b, ops, env, span);
        }
        if let Some(iters) = env.iters {
            if let Some((k, v)) = iters.iterator_value(root) {
                if let Some(o) = self.dyn_origins.borrow().get(root) {
                    self.touch(o);
                }
                let (first, rest) = match ops.split_first().map(|(o, r)| (o.value(), r)) {
                    Some((TraversalOperator::GetAttr(a), rest)) if a.as_str() == "key" => (k, rest),
                    Some((TraversalOperator::GetAttr(a), rest)) if a.as_str() == "value" => {
                        (v, rest)
                    }
                    _ => return error("a dynamic iterator has only `key` and `value`", span),
                };
                return self.select(first, rest, env, span);
            }
        }
        let first = match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => a.as_str(),
            _ => return unknown(format!("`{}` is not evaluated", env.snippet(span)), span),
        };
        let rest = &ops[1..];
        let text = env.snippet(span);
        match root {
            "var" => {
                let Some(v) = self.vars.get(first) else {
                    return if self.declared.contains_key(first) {
                        unknown(format!("variable `var.{first}` has no value"), span)
                    } else {
                        error(format!("variable `{first}` is not declared"), span)
                    };
                };
                self.touch(&v.origins);
                self.select(&v.node, rest, env, span)
            }
            "local" => {
                let Some(l) = self.locals.get(first).copied() else {
                    return error(format!("local value `{first}` is not declared"), span);
                };
                let v = self.local(first, l, span);
                self.select(&v, rest, env, span)
            }
            "count" if first == "index" => match env.count {
                Some(c) => self.select(c, rest, env, span),
                None => error("`count.index` outside a counted block", span),
            },
            "each" if first == "key" || first == "value" => match env.each {
                Some((k, v)) => {
                    self.touch(env.each_origins);
                    let x = if first == "key" { k } else { v };
                    self.select(x, rest, env, span)
                }
                None => error("`each` outside a `for_each` block", span),
            },
            "module" => self.module_output(first, rest, env, span, &text),
            "data" => unknown(
                format!("data source attribute `{text}` is not evaluated"),
                span,
            ),
            "path" | "terraform" | "self" | "count" | "each" => {
                unknown(format!("`{text}` is not evaluated"), span)
            }
            _ if root.contains('_') => self.resource_ref(root, first, rest, env, span, &text),
            _ => unknown(format!("`{text}` is not evaluated"), span),
        }
    }

    /// `TYPE.NAME…`: an attribute written in that resource's configuration, or an Unknown that
    /// refers to it.
    fn resource_ref(
        &self,
        rtype: &str,
        name: &str,
        mut rest: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
        text: &str,
    ) -> Node {
        let addr = format!("{rtype}.{name}");
        let block = self.resources.get(&addr).copied();
        let mut instance: Option<Instance> = None;
        let mut suffix = String::new();
        if block.is_some() {
            match &*self.instances(&addr, span) {
                Instances::Single => {}
                Instances::Unresolved(_) => {
                    if let Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) =
                        rest.first().map(|o| o.value())
                    {
                        rest = &rest[1..];
                    }
                }
                Instances::Keys(keys) => match rest.first().map(|o| o.value()) {
                    Some(TraversalOperator::Index(x)) => {
                        let k = self.ev(x, env);
                        let Some(inst) = keys.iter().find(|i| key_matches(&i.key, &k)) else {
                            return if k.is_unknown() {
                                unknown(format!("`{text}` has an unknown instance key"), span)
                            } else {
                                error(format!("no instance `{text}`"), span)
                            };
                        };
                        suffix = inst.key.suffix();
                        instance = Some(inst.clone());
                        rest = &rest[1..];
                    }
                    Some(TraversalOperator::LegacyIndex(n)) => {
                        let k = Node::new(Value::Number(*n.value() as f64), span);
                        let Some(inst) = keys.iter().find(|i| key_matches(&i.key, &k)) else {
                            return error(format!("no instance `{text}`"), span);
                        };
                        suffix = inst.key.suffix();
                        instance = Some(inst.clone());
                        rest = &rest[1..];
                    }
                    Some(TraversalOperator::FullSplat(_) | TraversalOperator::AttrSplat(_)) => {
                        let keys = keys.clone();
                        let out = keys
                            .iter()
                            .map(|i| {
                                self.instance_attr(block, &addr, i, &rest[1..], env, span, text)
                            })
                            .collect();
                        return Node::new(Value::Array(out), span);
                    }
                    _ => {
                        return unknown(
                            format!("`{text}` refers to all instances of a resource"),
                            span,
                        )
                    }
                },
            }
        }
        match instance {
            Some(i) => self.instance_attr(block, &addr, &i, rest, env, span, text),
            None => self.attr_of(block, &addr, &suffix, None, rest, env, span, text),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn instance_attr(
        &self,
        block: Option<Located<'s, Block>>,
        addr: &str,
        inst: &Instance,
        rest: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
        text: &str,
    ) -> Node {
        let suffix = inst.key.suffix();
        self.attr_of(block, addr, &suffix, Some(inst), rest, env, span, text)
    }

    #[allow(clippy::too_many_arguments)]
    fn attr_of(
        &self,
        block: Option<Located<'s, Block>>,
        addr: &str,
        suffix: &str,
        inst: Option<&Instance>,
        rest: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
        text: &str,
    ) -> Node {
        if let (Some(b), Some(TraversalOperator::GetAttr(a))) =
            (block, rest.first().map(|o| o.value()))
        {
            let attr = a.as_str();
            let written = if META.contains(&attr) {
                None
            } else {
                self.resource_argument(addr, b, attr)
            };
            if let Some((b, x)) = written {
                let key = format!("{addr}{suffix}.{attr}");
                let def = self.env(&b).span_of(&x.value);
                let v = self.memoised(key, span, def, || {
                    let each = inst.and_then(|i| i.each.clone());
                    let count = inst.and_then(|i| i.count.clone());
                    let inner = Env {
                        each: each.as_ref(),
                        each_origins: inst.map_or(&[], |i| &i.origins),
                        count: count.as_ref(),
                        ..self.env(&b)
                    };
                    self.ev(&x.value, &inner)
                });
                // An attribute whose value is not known is still a reference the graph follows.
                if !v.is_unknown() {
                    return self.select(&v, &rest[1..], env, span);
                }
            }
        }
        let mut attribute = Vec::new();
        for op in rest {
            match op.value() {
                TraversalOperator::GetAttr(a) => attribute.push(a.as_str().to_string()),
                TraversalOperator::LegacyIndex(i) => attribute.push(i.value().to_string()),
                TraversalOperator::Index(x) => match as_string(&self.ev(x, env)) {
                    Some(s) => attribute.push(s),
                    None => break,
                },
                _ => break,
            }
        }
        Node::new(
            Value::Unknown(
                crate::ir::Unknown {
                    reason: format!("`{text}` is known only after apply"),
                    reference: Some(Reference::Terraform {
                        address: format!("{}{addr}{suffix}", self.prefix),
                        attribute,
                    }),
                }
                .into(),
            ),
            span,
        )
    }

    /// `module.NAME[key].OUTPUT…` of a local module call.
    fn module_output(
        &self,
        name: &str,
        mut rest: &[Decorated<TraversalOperator>],
        env: &Env,
        span: Span,
        text: &str,
    ) -> Node {
        let not_known = || unknown(format!("module output `{text}` is not evaluated"), span);
        let Some(call) = self.child(name) else {
            return not_known();
        };
        let child = if call.keyed {
            let k = match rest.first().map(|o| o.value()) {
                Some(TraversalOperator::Index(x)) => self.ev(x, env),
                Some(TraversalOperator::LegacyIndex(n)) => {
                    Node::new(Value::Number(*n.value() as f64), span)
                }
                _ => return not_known(),
            };
            rest = &rest[1..];
            match call
                .instances
                .iter()
                .find(|(key, _)| key.as_ref().is_some_and(|key| key_matches(key, &k)))
            {
                Some((_, m)) => m.clone(),
                None => return not_known(),
            }
        } else {
            if let Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) =
                rest.first().map(|o| o.value())
            {
                rest = &rest[1..];
            }
            match call.instances.first() {
                Some((_, m)) => m.clone(),
                None => return not_known(),
            }
        };
        let Some(TraversalOperator::GetAttr(out)) = rest.first().map(|o| o.value()) else {
            return not_known();
        };
        let Some(o) = child.outputs.get(out.as_str()).copied() else {
            return error(format!("module has no output `{}`", out.as_str()), span);
        };
        let oenv = child.env(&o);
        let (v, origins) = child.collect(|| {
            let key = format!("output.{}", out.as_str());
            child.memoised(key, span, oenv.span_of(o.item), || child.ev(o.item, &oenv))
        });
        self.touch(&origins);
        self.select(&v, &rest[1..], env, span)
    }
}

fn key_matches(key: &InstKey, k: &Node) -> bool {
    match key {
        InstKey::Index(i) => as_index(k) == Some(*i as i64),
        InstKey::Key(s) => as_string(k).as_deref() == Some(s.as_str()),
    }
}

/// A function argument: evaluated on its own, or a part of a variable's or a local's value
/// (at a path of element and member positions), read where it is held.
enum Arg<'m> {
    Own(Node),
    Var(&'m Node, Vec<usize>),
    Held(Rc<Node>, Vec<usize>),
}

impl Arg<'_> {
    fn get(&self) -> &Node {
        match self {
            Arg::Own(n) => n,
            Arg::Var(v, p) => at_path(v, p),
            Arg::Held(v, p) => at_path(v, p),
        }
    }
}

/// The node at a path of element and member positions inside `v`.
fn at_path<'v>(mut v: &'v Node, path: &[usize]) -> &'v Node {
    for &i in path {
        v = match &v.value {
            Value::Array(items) => &items[i],
            Value::Object(m) => &m[i].value,
            _ => return v,
        };
    }
    v
}

/// The position of the element or member of `v` at `idx`; the error as a value otherwise.
fn index_at(v: &Node, idx: &Node, span: Span) -> Result<usize, Node> {
    match &v.value {
        Value::Array(items) => match as_index(idx) {
            Some(i) if i >= 0 && (i as usize) < items.len() => Ok(i as usize),
            _ => Err(error("index out of range", span)),
        },
        Value::Object(m) => match as_string(idx) {
            Some(k) => m
                .iter()
                .position(|m| m.key == k)
                .ok_or_else(|| error(format!("no key `{k}`"), span)),
            None => Err(error("bad key", span)),
        },
        _ => Err(error("value cannot be indexed", span)),
    }
}

/// The number of nodes in a value.
/// The work of copying a value: one per node, and one per [`BYTES_PER_STEP`] of its strings.
fn nodes(v: &Node) -> u64 {
    match &v.value {
        Value::Array(a) => 1 + a.iter().map(nodes).sum::<u64>(),
        Value::Object(m) => 1 + m.iter().map(|m| nodes(&m.value)).sum::<u64>(),
        Value::String(s) => 1 + (s.len() / BYTES_PER_STEP) as u64,
        _ => 1,
    }
}

fn index(v: &Node, idx: &Node, span: Span) -> Node {
    match &v.value {
        Value::Array(items) => match as_index(idx) {
            Some(i) if i >= 0 && (i as usize) < items.len() => items[i as usize].clone(),
            _ => error("index out of range", span),
        },
        Value::Object(m) => match as_string(idx) {
            Some(k) => m
                .iter()
                .find(|m| m.key == k)
                .map(|m| m.value.clone())
                .unwrap_or_else(|| error(format!("no key `{k}`"), span)),
            None => error("bad key", span),
        },
        _ => error("value cannot be indexed", span),
    }
}

/// The key and value of each element a `for` iterates over, as Terraform gives them: a list's
/// index and element, an object's or map's keys in lexical order with their values. `None`: not
/// a collection.
fn iterated(coll: &Node, span: Span) -> Option<Vec<(Node, &Node)>> {
    match &coll.value {
        Value::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(Value::Number(i as f64), span), v))
                .collect(),
        ),
        Value::Object(m) => Some(
            sorted_members(m)
                .into_iter()
                .map(|m| (Node::new(Value::String(m.key.to_string()), span), &m.value))
                .collect(),
        ),
        _ => None,
    }
}

/// `text` with up to `n` leading spaces or tabs removed from each line after its first (which
/// continues the line of the directive or interpolation before it).
fn dedent_lines(text: &str, n: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let strip = line
                .char_indices()
                .take(n)
                .take_while(|(_, c)| *c == ' ' || *c == '\t')
                .last()
                .map_or(0, |(at, c)| at + c.len_utf8());
            out.push_str(&line[strip..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// How many bytes the known pieces of a string hold.
fn text_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(x) => x.len(),
            Piece::Unknown(_) => 0,
        })
        .fold(0usize, usize::saturating_add)
}

/// Whether the template element strips the white space at the end of the literal before it
/// (`${~ …}`, `%{~ if …}`, `%{~ for …}`).
fn strips_previous(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

/// Whether the template element strips the white space at the start of the literal after it
/// (`${… ~}`, `%{endif ~}`, `%{endfor ~}`).
fn strips_next(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}
