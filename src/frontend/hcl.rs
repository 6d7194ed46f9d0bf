//! Generic HCL lowering: `hcl-edit` syntax trees into IR [`Node`]s with byte spans.
//!
//! What is written literally is read literally: string, number, bool and null literals, arrays,
//! objects, string templates and heredocs without interpolation. Everything else (variables,
//! locals, data sources, function calls, conditionals, `for` expressions, operations, templates
//! with interpolation) is [`Value::Unknown`] with a short reason; a traversal to another resource
//! (`azurerm_subnet.s.id`) also carries a [`Reference::Terraform`] so the resource graph can follow
//! it. An [`Evaluator`] placed in the [`Ctx`] is asked first about every expression that is not a
//! literal, so that variable and function evaluation plugs in without changing this module.
//!
//! Blocks lower to objects: attributes become members (the key span is the attribute name, the
//! value span the expression), nested blocks become one member per block name whose value is an
//! array of block objects in source order (the key span is the first block's opening line, each
//! element spans its whole block). The attribute form `security_rule = [{…}, {…}]` lowers to the
//! same shape. A `dynamic "x"` block whose `for_each` the evaluator knows expands to one element
//! of `x` per collection element (attributes keep the spans of `content`); otherwise it lowers to
//! one element built from its `content`, in which references to the iterator are Unknown.

use std::ops::Range;
use std::rc::Rc;

use hcl_edit::expr::{Expression, Object, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, Template};

use super::tfjson::SpanMap;
use crate::ir::{Member, Node, Reference, Span, Unknown, Value};
use crate::source::FileId;

/// Resolves expressions that are not literals (variables, locals, functions, …). Returning `None`
/// leaves the expression Unknown. The returned node should normally keep the span of the
/// expression (the place where the value is used).
pub trait Evaluator {
    fn eval(&self, expr: &Expression, ctx: &Ctx) -> Option<Node>;

    /// The elements a `dynamic` block's `for_each` iterates over, as `(key, value)` pairs in
    /// iteration order, when the collection is known. `None` makes the blocks it writes one
    /// Unknown element: neither how many there are nor what they hold is known.
    fn for_each(
        &self,
        _expr: &Expression,
        _iterator: &str,
        _ctx: &Ctx,
    ) -> Option<Vec<(Node, Node)>> {
        None
    }

    /// Told about each element of an expanded `dynamic` block: the `dynamic` block's and the
    /// `content` block's spans, the element's key and value, and the element as lowered.
    fn dynamic_element(
        &self,
        _block: Span,
        _content: Span,
        _key: &Node,
        _value: &Node,
        _element: &Node,
    ) {
    }
}

/// Largest number of blocks one `dynamic` block expands to; beyond it the blocks are Unknown.
pub const MAX_DYNAMIC_ELEMENTS: usize = 1000;

/// What the lowering needs to know about where it is.
#[derive(Clone)]
pub struct Ctx<'a> {
    pub file: FileId,
    /// The whole file text. Every `hcl-edit` span is an offset into it, or, for a `.tf.json`
    /// file, into the HCL it was translated to, which `map` maps back to this text.
    pub text: &'a str,
    pub map: Option<&'a SpanMap>,
    /// Iterator names of the enclosing `dynamic` blocks, innermost last.
    pub iterators: Vec<String>,
    /// For each entry of `iterators`, the `(key, value)` of the element being expanded.
    pub iterator_values: Vec<Rc<(Node, Node)>>,
    pub evaluator: Option<&'a dyn Evaluator>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: FileId, text: &'a str) -> Ctx<'a> {
        Ctx {
            file,
            text,
            map: None,
            iterators: Vec::new(),
            iterator_values: Vec::new(),
            evaluator: None,
        }
    }

    /// The same context inside one expanded element of a `dynamic` block.
    pub fn with_iterator_value(&self, name: &str, key: Node, value: Node) -> Ctx<'a> {
        let mut c = self.clone();
        c.iterators.push(name.to_string());
        c.iterator_values.push(Rc::new((key, value)));
        c
    }

    /// The `(key, value)` bound to iterator `name` (innermost first), if it is being expanded.
    pub fn iterator_value(&self, name: &str) -> Option<&(Node, Node)> {
        let i = self.iterators.iter().rposition(|n| n == name)?;
        self.iterator_values.get(i).map(|v| &**v)
    }

    /// Read through `map`, for a `.tf.json` file.
    pub fn mapped(mut self, map: Option<&'a SpanMap>) -> Ctx<'a> {
        self.map = map;
        self
    }

    pub fn span(&self, r: Option<Range<usize>>) -> Span {
        let r = r.unwrap_or(0..0);
        let r = self.map.map_or(r.clone(), |m| m.to_source(r));
        Span::new(
            self.file,
            r.start.min(self.text.len()),
            r.end.min(self.text.len()),
        )
    }

    /// The span of anything `hcl-edit` parsed.
    pub fn span_of(&self, x: &impl hcl_edit::Span) -> Span {
        self.span(x.span())
    }

    /// The source text of a span, on one line and shortened for messages.
    pub fn snippet(&self, span: Span) -> String {
        crate::findings::snippet(self.text.get(span.start..span.end).unwrap_or(""))
    }
}

/// Lowers one expression.
pub fn lower_expr(expr: &Expression, ctx: &Ctx) -> Node {
    let span = ctx.span_of(expr);
    match expr {
        Expression::Null(_) => Node::new(Value::Null, span),
        Expression::Bool(b) => Node::new(Value::Bool(*b.value()), span),
        Expression::Number(n) => match n.value().as_f64() {
            Some(f) => Node::new(Value::Number(f), span),
            None => Node::unknown("number out of range", span),
        },
        Expression::String(s) => Node::new(Value::String(s.value().clone()), span),
        Expression::Array(a) => Node::new(
            Value::Array(a.iter().map(|e| lower_expr(e, ctx)).collect()),
            span,
        ),
        Expression::Object(o) => lower_object(o, ctx, span),
        Expression::StringTemplate(t) => lower_template(t, expr, ctx, span),
        Expression::HeredocTemplate(h) => lower_template(&h.template, expr, ctx, span),
        Expression::Parenthesis(p) => {
            let mut n = lower_expr(p.inner(), ctx);
            n.span = span;
            n
        }
        Expression::UnaryOp(u) => {
            let inner = lower_expr(&u.expr, ctx);
            match (u.operator.value(), &inner.value) {
                (UnaryOperator::Neg, Value::Number(n)) => Node::new(Value::Number(-n), span),
                (UnaryOperator::Not, Value::Bool(b)) => Node::new(Value::Bool(!b), span),
                _ => not_literal(expr, ctx, span),
            }
        }
        _ => not_literal(expr, ctx, span),
    }
}

/// An expression that is not a literal: the evaluator's answer, or Unknown.
fn not_literal(expr: &Expression, ctx: &Ctx, span: Span) -> Node {
    if let Some(ev) = ctx.evaluator {
        if let Some(n) = ev.eval(expr, ctx) {
            return n;
        }
    }
    Node::new(Value::Unknown(describe(expr, ctx, span).into()), span)
}

fn unknown(reason: String) -> Unknown {
    Unknown {
        reason,
        reference: None,
    }
}

/// Why an expression is not known, and what it refers to.
fn describe(expr: &Expression, ctx: &Ctx, span: Span) -> Unknown {
    let text = ctx.snippet(span);
    match expr {
        Expression::Variable(v) => {
            if ctx.iterators.iter().any(|i| i == v.as_str()) {
                unknown("dynamic block iterator".into())
            } else {
                unknown(format!("`{text}` is not evaluated"))
            }
        }
        Expression::Traversal(t) => {
            let root = match &t.expr {
                Expression::Variable(v) => v.as_str(),
                _ => return unknown(format!("expression `{text}` is not evaluated")),
            };
            if ctx.iterators.iter().any(|i| i == root) {
                return unknown("dynamic block iterator".into());
            }
            match root {
                "var" => unknown(format!("variable `{text}` is not evaluated")),
                "local" => unknown(format!("local value `{text}` is not evaluated")),
                "data" => unknown(format!("data source attribute `{text}` is not evaluated")),
                "module" => unknown(format!("module output `{text}` is not evaluated")),
                "each" | "count" | "self" | "path" | "terraform" => {
                    unknown(format!("`{text}` is not evaluated"))
                }
                _ => resource_reference(root, &t.operators, &text),
            }
        }
        Expression::FuncCall(f) => unknown(format!(
            "function call `{}(…)` is not evaluated",
            f.name.name.as_str()
        )),
        Expression::Conditional(_) => {
            unknown(format!("conditional expression `{text}` is not evaluated"))
        }
        Expression::ForExpr(_) => unknown(format!("`for` expression `{text}` is not evaluated")),
        Expression::UnaryOp(_) | Expression::BinaryOp(_) => {
            unknown(format!("operation `{text}` is not evaluated"))
        }
        Expression::StringTemplate(_) => {
            unknown(format!("string template `{text}` is not evaluated"))
        }
        Expression::HeredocTemplate(_) => unknown("heredoc template is not evaluated".into()),
        _ => unknown(format!("expression `{text}` is not evaluated")),
    }
}

/// `TYPE.NAME[index].attr…`: a computed attribute of another resource. Index operators right
/// after the name select an instance and are dropped; later ones are kept as attribute steps.
fn resource_reference(
    root: &str,
    ops: &[hcl_edit::Decorated<TraversalOperator>],
    text: &str,
) -> Unknown {
    let name = match ops.first().map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(n)) if root.contains('_') => n.as_str(),
        _ => return unknown(format!("`{text}` is not evaluated")),
    };
    let mut attribute = Vec::new();
    for op in &ops[1..] {
        match op.value() {
            TraversalOperator::GetAttr(a) => attribute.push(a.as_str().to_string()),
            TraversalOperator::LegacyIndex(i) => {
                if !attribute.is_empty() {
                    attribute.push(i.value().to_string());
                }
            }
            TraversalOperator::Index(Expression::Number(n)) => {
                if !attribute.is_empty() {
                    attribute.push(n.value().to_string());
                }
            }
            TraversalOperator::Index(Expression::String(s)) => {
                if !attribute.is_empty() {
                    attribute.push(s.value().clone());
                }
            }
            TraversalOperator::Index(_) => {
                if !attribute.is_empty() {
                    return unknown(format!("`{text}` is not evaluated"));
                }
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                return unknown(format!("splat expression `{text}` is not evaluated"));
            }
        }
    }
    Unknown {
        reason: format!("`{text}` is known only after apply"),
        reference: Some(Reference::Terraform {
            address: format!("{root}.{name}"),
            attribute,
        }),
    }
}

fn lower_object(o: &Object, ctx: &Ctx, span: Span) -> Node {
    let mut members = Vec::with_capacity(o.len());
    for (k, v) in o.iter() {
        let key_span = ctx.span_of(k);
        let key = match k {
            ObjectKey::Ident(id) => id.as_str().to_string(),
            ObjectKey::Expression(e) => match lower_expr(e, ctx).value {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    let text = ctx.snippet(key_span);
                    return Node::unknown(format!("object key `{text}` is not evaluated"), span);
                }
            },
        };
        members.push(Member {
            key: key.into(),
            key_span,
            value: lower_expr(v.expr(), ctx),
            written: None,
        });
    }
    Node::new(Value::Object(members), span)
}

/// A template of literal parts only is a string; `"${x}"` is the value of `x` (HCL returns a lone
/// interpolation unconverted); anything else is not evaluated here.
fn lower_template(t: &Template, expr: &Expression, ctx: &Ctx, span: Span) -> Node {
    if let Some(Element::Interpolation(i)) = t.as_single_element() {
        let mut n = lower_expr(&i.expr, ctx);
        n.span = span;
        return n;
    }
    let mut s = String::new();
    for e in t.iter() {
        match e {
            Element::Literal(l) => s.push_str(l.value()),
            _ => return not_literal(expr, ctx, span),
        }
    }
    Node::new(Value::String(s), span)
}

/// Lowers a block to an object spanning the whole block.
pub fn lower_block(block: &Block, ctx: &Ctx) -> Node {
    lower_body(&block.body, ctx, ctx.span_of(block))
}

/// Lowers a body to an object node with the given span.
pub fn lower_body(body: &Body, ctx: &Ctx, span: Span) -> Node {
    let mut members: Vec<Member> = Vec::new();
    // Members holding blocks, by block name (so attributes of the same name stay separate).
    let mut block_members: Vec<(String, usize)> = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => members.push(Member {
                key: a.key.as_str().to_string().into(),
                key_span: ctx.span_of(&a.key),
                value: lower_expr(&a.value, ctx),
                written: None,
            }),
            Structure::Block(b) => {
                let open = block_open_span(b, ctx);
                let (name, elements) = if b.ident.as_str() == "dynamic" {
                    match lower_dynamic(b, ctx) {
                        Some(x) => x,
                        None => continue,
                    }
                } else {
                    (b.ident.as_str().to_string(), vec![lower_block(b, ctx)])
                };
                for element in elements {
                    match block_members.iter().find(|(n, _)| *n == name) {
                        Some(&(_, i)) => {
                            let arr = &mut members[i].value;
                            arr.span = arr.span.to(element.span);
                            if let Value::Array(items) = &mut arr.value {
                                items.push(element);
                            }
                        }
                        None => {
                            block_members.push((name.clone(), members.len()));
                            let arr_span = element.span;
                            members.push(Member {
                                key: name.clone().into(),
                                key_span: open,
                                value: Node::new(Value::Array(vec![element]), arr_span),
                                written: None,
                            });
                        }
                    }
                }
            }
        }
    }
    Node::new(Value::Object(members), span)
}

/// `dynamic "x" { for_each = … iterator = it content { … } }`: one element of `x` per element of
/// a known `for_each` (attributes keep the spans of `content`; each element spans the whole
/// `dynamic` block), or, when the collection is not known, one Unknown element: whether any
/// block exists, and how many, is not known, so nothing is read from `content` (§1.2; D21 makes
/// an exception for whole resources only). `None` when the block is malformed; no elements when
/// its `for_each` is empty (then no block exists).
fn lower_dynamic(b: &Block, ctx: &Ctx) -> Option<(String, Vec<Node>)> {
    let name = b.labels.first()?.as_str().to_string();
    let mut iterator = name.clone();
    let mut content = None;
    let mut for_each = None;
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) if a.key.as_str() == "iterator" => {
                if let Expression::Variable(v) = &a.value {
                    iterator = v.as_str().to_string();
                }
            }
            Structure::Attribute(a) if a.key.as_str() == "for_each" => {
                if is_empty_collection(&lower_expr(&a.value, ctx)) {
                    return Some((name, Vec::new()));
                }
                for_each = Some(&a.value);
            }
            Structure::Block(c) if c.ident.as_str() == "content" && content.is_none() => {
                content = Some(c)
            }
            _ => {}
        }
    }
    let content = content?;
    let span = ctx.span_of(b);
    let elements = match (for_each, ctx.evaluator) {
        (Some(fe), Some(ev)) => ev
            .for_each(fe, &iterator, ctx)
            .filter(|e| e.len() <= MAX_DYNAMIC_ELEMENTS),
        _ => None,
    };
    let Some(elements) = elements else {
        let why = format!("the `dynamic \"{name}\"` block's `for_each` is not known");
        return Some((name, vec![Node::unknown(why, span)]));
    };
    let out = elements
        .into_iter()
        .map(|(k, v)| {
            let (key, value) = (k.clone(), v.clone());
            let inner = ctx.with_iterator_value(&iterator, k, v);
            let mut element = lower_block(content, &inner);
            element.span = span;
            if let Some(ev) = ctx.evaluator {
                ev.dynamic_element(span, ctx.span_of(content), &key, &value, &element);
            }
            element
        })
        .collect();
    Some((name, out))
}

/// A literal `[]` or `{}`.
pub fn is_empty_collection(n: &Node) -> bool {
    match &n.value {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The opening line of a block: from its identifier through its `{`.
pub fn block_open_span(b: &Block, ctx: &Ctx) -> Span {
    open_span(ctx.text, ctx.span_of(b))
}

/// From the start of `span` through the first `{` that is not inside a quoted label or a
/// comment: the opening line of a block, or the `{` of an object. Usable on any block or object
/// span; falls back to the first line of the span.
pub fn open_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let end = span.end.min(bytes.len());
    let mut i = span.start.min(end);
    while i < end {
        match bytes[i] {
            b'{' => return Span::new(span.file, span.start, i + 1),
            b'"' => {
                i += 1;
                while i < end && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'#' => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < end && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    let line_end = text[span.start.min(end)..end]
        .find(['\r', '\n'])
        .map_or(end, |p| span.start + p);
    Span::new(span.file, span.start, line_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Node {
        let b = hcl_edit::parser::parse_body(text).expect("parses");
        let ctx = Ctx::new(0, text);
        lower_body(&b, &ctx, Span::new(0, 0, text.len()))
    }

    fn at(text: &str, s: Span) -> &str {
        &text[s.start..s.end]
    }

    #[test]
    fn literals_and_spans() {
        let t = "# é ünïcödé\nname = \"x\" # c\nn = 5\nneg = -2\nb = true\nz = null\nl = [1, \"a\"]\no = { k = 1, \"q r\" = false }\nh = <<-EOT\n  hi\n  EOT\n";
        let n = body(t);
        let m = n.member("name").unwrap();
        assert_eq!(at(t, m.key_span), "name");
        assert_eq!(at(t, m.value.span), "\"x\"");
        assert_eq!(at(t, m.span()), "name = \"x\"");
        assert_eq!(n.get("n").unwrap().value, Value::Number(5.0));
        assert_eq!(n.get("neg").unwrap().value, Value::Number(-2.0));
        assert_eq!(n.get("b").unwrap().as_bool(), Some(true));
        assert!(n.member("z").unwrap().value.is_null());
        assert_eq!(n.get("l").unwrap().items().len(), 2);
        let o = n.get("o").unwrap();
        assert_eq!(o.get("q r").unwrap().as_bool(), Some(false));
        assert_eq!(at(t, o.member("q r").unwrap().key_span), "\"q r\"");
        assert_eq!(n.get("h").unwrap().as_str(), Some("hi\n"));
    }

    #[test]
    fn crlf_spans() {
        let t = "a = 1\r\nblk {\r\n  b = \"x\"\r\n}\r\n";
        let n = body(t);
        assert_eq!(at(t, n.member("a").unwrap().span()), "a = 1");
        let blk = n.member("blk").unwrap();
        assert_eq!(at(t, blk.key_span), "blk {");
        let el = &blk.value.items()[0];
        assert_eq!(at(t, el.span), "blk {\r\n  b = \"x\"\r\n}");
        assert_eq!(at(t, el.member("b").unwrap().span()), "b = \"x\"");
    }

    #[test]
    fn references_and_unknowns() {
        let t = "a = azurerm_subnet.s.id\nb = azurerm_x.y[0].id\nc = var.x\nd = local.y\ne = data.azurerm_client_config.c.tenant_id\nf = \"x-${var.y}\"\ng = \"${azurerm_batch_account.a.name}\"\nh = lower(\"A\")\ni = var.a ? 1 : 2\nj = [for x in var.l : x]\nk = azapi_resource.w.output.properties.id\nl = azurerm_lb.l.frontend_ip_configuration[0].id\nm = azurerm_x.y[*].id\n";
        let n = body(t);
        let reference = |k: &str| match &n.get(k).unwrap().value {
            Value::Unknown(u) => u.reference.clone(),
            v => panic!("{k}: {v:?}"),
        };
        let tf = |a: &str, attrs: &[&str]| {
            Some(Reference::Terraform {
                address: a.into(),
                attribute: attrs.iter().map(|s| s.to_string()).collect(),
            })
        };
        assert_eq!(reference("a"), tf("azurerm_subnet.s", &["id"]));
        assert_eq!(reference("b"), tf("azurerm_x.y", &["id"]));
        assert_eq!(reference("g"), tf("azurerm_batch_account.a", &["name"]));
        assert_eq!(
            reference("k"),
            tf("azapi_resource.w", &["output", "properties", "id"])
        );
        assert_eq!(
            reference("l"),
            tf("azurerm_lb.l", &["frontend_ip_configuration", "0", "id"])
        );
        for k in ["c", "d", "e", "f", "h", "i", "j", "m"] {
            assert_eq!(reference(k), None, "{k}");
        }
        match &n.get("c").unwrap().value {
            Value::Unknown(u) => assert_eq!(u.reason, "variable `var.x` is not evaluated"),
            _ => unreachable!(),
        }
        assert_eq!(
            at(t, n.get("g").unwrap().span),
            "\"${azurerm_batch_account.a.name}\""
        );
    }

    #[test]
    fn repeated_blocks_collect_in_source_order() {
        let t = "r {\n  n = 1\n}\nx = 2\nr { n = 2 }\n";
        let n = body(t);
        let r = n.member("r").unwrap();
        assert_eq!(at(t, r.key_span), "r {");
        let items = r.value.items();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].get("n").unwrap().value, Value::Number(2.0));
        assert_eq!(at(t, items[1].span), "r { n = 2 }");
        assert_eq!(
            n.members()
                .iter()
                .map(|m| m.key.as_ref())
                .collect::<Vec<_>>(),
            ["r", "x"]
        );
    }

    #[test]
    fn dynamic_block_over_an_unknown_collection_is_unknown() {
        let t = "rule { a = 1 }\ndynamic \"rule\" {\n  for_each = var.rules\n  content {\n    a = rule.value.a\n    k = rule.key\n    c = \"lit\"\n  }\n}\ndynamic \"other\" {\n  for_each = []\n  content { a = 1 }\n}\ndynamic \"it\" {\n  for_each = var.x\n  iterator = r\n  content { a = r.value }\n}\n";
        let n = body(t);
        let items = n.get("rule").unwrap().items();
        assert_eq!(items.len(), 2);
        // Whether it writes blocks, how many and what they hold are not known.
        let d = &items[1];
        assert!(at(t, d.span).starts_with("dynamic \"rule\" {"));
        match &d.value {
            Value::Unknown(u) => {
                assert_eq!(
                    u.reason,
                    "the `dynamic \"rule\"` block's `for_each` is not known"
                );
                assert!(u.reference.is_none());
            }
            v => panic!("{v:?}"),
        }
        assert!(n.member("other").is_none());
        assert!(n.get("it").unwrap().items()[0].is_unknown());
    }

    #[test]
    fn non_literal_object_key_makes_object_unknown() {
        let n = body("o = { (var.k) = 1 }\n");
        assert!(n.get("o").unwrap().is_unknown());
    }

    #[test]
    fn open_span_skips_labels_and_comments() {
        let t = "resource \"a{\" /* { */ \"b\" # {\n{\n}\n";
        let s = open_span(t, Span::new(0, 0, t.len()));
        assert_eq!(at(t, s), "resource \"a{\" /* { */ \"b\" # {\n{");
    }

    struct Fixed;
    impl Evaluator for Fixed {
        fn eval(&self, expr: &Expression, ctx: &Ctx) -> Option<Node> {
            Some(Node::new(
                Value::String("evaluated".into()),
                ctx.span_of(expr),
            ))
        }
    }

    #[test]
    fn evaluator_is_asked_about_non_literals() {
        let t = "a = var.x\nb = 1\n";
        let b = hcl_edit::parser::parse_body(t).unwrap();
        let mut ctx = Ctx::new(0, t);
        ctx.evaluator = Some(&Fixed);
        let n = lower_body(&b, &ctx, Span::new(0, 0, t.len()));
        assert_eq!(n.get("a").unwrap().as_str(), Some("evaluated"));
        assert_eq!(n.get("b").unwrap().value, Value::Number(1.0));
    }
}
