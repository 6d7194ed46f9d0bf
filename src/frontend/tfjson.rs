//! Terraform's JSON syntax (`*.tf.json`), read as the HCL it stands for.
//!
//! A `.tf.json` file is translated into native HCL text, block by block as Terraform's JSON
//! syntax defines it: `{"resource": {TYPE: {NAME: {…}}}}` is `resource "TYPE" "NAME" {…}`, the
//! labels of `module`, `variable`, `output`, `provider` likewise, `locals` a body of
//! attributes, `dynamic` blocks with their `content`, strings as string templates (`"${var.x}"`),
//! and a nested block written as a JSON object or array of objects as the attribute form
//! (`security_rule = [{…}]`), which the lowering reads as it reads blocks. The variable `type`
//! and the `dynamic` `iterator`, which Terraform reads from a string as an expression, are
//! written as that expression. `"//"` keys are comments. Meta-arguments the analysis never reads
//! (`lifecycle`, `provisioner`, `connection`, `depends_on`, `timeouts`, a resource's `provider`)
//! and the `terraform`, `moved`, `import`, `removed` and `check` blocks are left out.
//!
//! The translation carries a [`SpanMap`] from each offset in the HCL text to the JSON text, so
//! that everything read from it is located in the `.tf.json` file: a value at its JSON value, an
//! attribute from its key (quotes included) to its value, a block from its name key to the
//! closing brace of its object.

use std::ops::Range;

use jsonc_parser::ast::{self, Value as J};
use jsonc_parser::common::Ranged;

use super::azurerm::BlockSchema;

/// One piece of the HCL text and the JSON text it stands for.
#[derive(Debug, Clone)]
struct Seg {
    gen: Range<usize>,
    src: Range<usize>,
}

/// Offsets in the translated HCL text to offsets in the JSON text.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    /// In order of `gen`, not overlapping.
    segs: Vec<Seg>,
}

impl SpanMap {
    /// The map of a part of a text parsed on its own: its offset `p` is `base + p` of the
    /// whole text.
    pub fn shifted(base: usize, len: usize) -> SpanMap {
        SpanMap {
            segs: vec![Seg {
                gen: 0..len,
                src: base..base + len,
            }],
        }
    }

    /// The JSON range a range of the HCL text stands for. A piece copied as written maps offset
    /// by offset; a piece written differently (a key without its quotes, a keyword) maps whole;
    /// text between pieces (spaces, `=`) belongs to the piece that follows for a start and to
    /// the piece before for an end.
    pub fn to_source(&self, r: Range<usize>) -> Range<usize> {
        let start = self.start(r.start);
        let end = self.end(r.end).max(start);
        start..end
    }

    fn start(&self, p: usize) -> usize {
        // First segment that ends after p.
        let i = self.segs.partition_point(|s| s.gen.end <= p);
        match self.segs.get(i) {
            Some(s) if s.gen.start <= p => {
                if s.gen.len() == s.src.len() {
                    s.src.start + (p - s.gen.start)
                } else {
                    s.src.start
                }
            }
            Some(s) => s.src.start,
            None => self.segs.last().map_or(0, |s| s.src.end),
        }
    }

    fn end(&self, p: usize) -> usize {
        // Last segment that starts before p.
        let i = self.segs.partition_point(|s| s.gen.start < p);
        if i == 0 {
            return self.segs.first().map_or(0, |s| s.src.start);
        }
        let s = &self.segs[i - 1];
        if p >= s.gen.end {
            s.src.end
        } else if s.gen.len() == s.src.len() {
            s.src.start + (p - s.gen.start)
        } else {
            s.src.end
        }
    }
}

/// A `.tf.json` file as HCL.
#[derive(Debug, Clone)]
pub struct Translation {
    pub hcl: String,
    pub map: SpanMap,
    /// What the translation left out that Terraform would reject, at its place in the JSON text.
    pub problems: Vec<(Range<usize>, String)>,
}

/// Translates the parsed JSON of a `.tf.json` file. `text` is the JSON text `root` was parsed
/// from. A root that is not an object is a problem and yields an empty translation.
pub fn translate(text: &str, root: Option<&J>) -> Translation {
    let mut t = Out {
        text,
        hcl: String::with_capacity(text.len() + text.len() / 4),
        segs: Vec::new(),
        problems: Vec::new(),
        literal: false,
    };
    match root {
        Some(J::Object(o)) => t.top(o),
        Some(other) => t.problem(
            other.range(),
            "a Terraform JSON file holds one JSON object whose keys are block types \
             (`resource`, `variable`, …); this one holds another value",
        ),
        None => {}
    }
    Translation {
        hcl: t.hcl,
        map: SpanMap { segs: t.segs },
        problems: t.problems,
    }
}

/// Blocks the analysis never reads.
const LEFT_OUT_BLOCKS: &[&str] = &[
    "terraform",
    "moved",
    "import",
    "removed",
    "check",
    "ephemeral",
];
/// Body members the analysis never reads (meta-arguments and their blocks).
const LEFT_OUT_MEMBERS: &[&str] = &[
    "lifecycle",
    "provisioner",
    "connection",
    "depends_on",
    "timeouts",
    "precondition",
    "postcondition",
    "providers",
];

/// What kind of body a JSON object is translated as.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Resource,
    Module,
    Variable,
    Other,
}

struct Out<'t> {
    text: &'t str,
    hcl: String,
    segs: Vec<Seg>,
    problems: Vec<(Range<usize>, String)>,
    /// Strings are values, not templates (a plan's values): `${` is written escaped.
    literal: bool,
}

/// A JSON object, or a non-empty array of objects: what a nested block can be written as.
fn is_objects(v: &J) -> bool {
    match v {
        J::Object(_) => true,
        J::Array(a) => {
            !a.elements.is_empty() && a.elements.iter().all(|e| matches!(e, J::Object(_)))
        }
        _ => false,
    }
}

fn range(r: jsonc_parser::common::Range) -> Range<usize> {
    r.start..r.end
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(f) if f.is_alphabetic() || f == '_')
        && c.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

impl Out<'_> {
    /// Text that stands for the JSON text at `src`.
    fn mapped(&mut self, src: Range<usize>, s: &str) {
        let start = self.hcl.len();
        self.hcl.push_str(s);
        self.segs.push(Seg {
            gen: start..self.hcl.len(),
            src,
        });
    }

    /// Like `mapped`, joined to the piece before when both continue it as written.
    fn piece(&mut self, src: Range<usize>, s: &str) {
        let start = self.hcl.len();
        self.hcl.push_str(s);
        if let Some(last) = self.segs.last_mut() {
            if last.gen.end == start
                && last.src.end == src.start
                && last.gen.len() == last.src.len()
                && s.len() == src.len()
            {
                last.gen.end = self.hcl.len();
                last.src.end = src.end;
                return;
            }
        }
        self.segs.push(Seg {
            gen: start..self.hcl.len(),
            src,
        });
    }

    /// The JSON text at `src`, copied as written.
    fn copy(&mut self, src: Range<usize>) {
        let s = &self.text[src.clone()];
        let start = self.hcl.len();
        self.hcl.push_str(s);
        self.segs.push(Seg {
            gen: start..self.hcl.len(),
            src,
        });
    }

    /// Text of the HCL syntax only (spaces, `=`, line breaks).
    fn raw(&mut self, s: &str) {
        self.hcl.push_str(s);
    }

    fn problem(&mut self, at: jsonc_parser::common::Range, message: impl Into<String>) {
        self.problems.push((range(at), message.into()));
    }

    fn top(&mut self, root: &ast::Object) {
        for p in &root.properties {
            let name = p.name.as_str();
            match name {
                "//" => {}
                "resource" | "data" => self.labelled(p, name, 2, Kind::Resource),
                "module" => self.labelled(p, name, 1, Kind::Module),
                "variable" => self.labelled(p, name, 1, Kind::Variable),
                "output" | "provider" => self.labelled(p, name, 1, Kind::Other),
                "locals" => self.each_object(&p.value, &mut |t, o| {
                    t.mapped(range(p.name.range()), "locals");
                    t.raw(" ");
                    t.body_open(o);
                    t.attributes(o);
                    t.body_close(o);
                }),
                _ if LEFT_OUT_BLOCKS.contains(&name) => {}
                _ => self.problem(
                    p.name.range(),
                    format!(
                        "`{name}` is not a Terraform block type; batchguard leaves it out of this \
                         file"
                    ),
                ),
            }
        }
    }

    /// `f` for an object, or for each object of an array of objects (repeated blocks).
    fn each_object(&mut self, v: &J, f: &mut dyn FnMut(&mut Self, &ast::Object)) {
        match v {
            J::Object(o) => f(self, o),
            J::Array(a) => {
                for e in &a.elements {
                    match e {
                        J::Object(o) => f(self, o),
                        other => self.problem(other.range(), "expected a JSON object here"),
                    }
                }
            }
            other => self.problem(other.range(), "expected a JSON object here"),
        }
    }

    /// A block type with `n` labels: nested objects keyed by each label in turn.
    fn labelled(&mut self, p: &ast::ObjectProp, keyword: &str, n: usize, kind: Kind) {
        let mut labels: Vec<(Range<usize>, String)> = Vec::new();
        self.labels(&p.value, keyword, n, kind, &mut labels);
    }

    fn labels(
        &mut self,
        v: &J,
        keyword: &str,
        n: usize,
        kind: Kind,
        labels: &mut Vec<(Range<usize>, String)>,
    ) {
        if labels.len() == n {
            let labels = labels.clone();
            let schema = match (keyword, labels.first()) {
                ("resource", Some((_, tf_type))) => BlockSchema::of_type(tf_type),
                _ => None,
            };
            self.each_object(v, &mut |t, o| t.block(keyword, &labels, o, kind, schema));
            return;
        }
        let J::Object(o) = v else {
            if let J::Array(a) = v {
                for e in &a.elements {
                    self.labels(e, keyword, n, kind, labels);
                }
                return;
            }
            self.problem(v.range(), "expected a JSON object here");
            return;
        };
        for p in &o.properties {
            if p.name.as_str() == "//" {
                continue;
            }
            labels.push((range(p.name.range()), p.name.as_str().to_string()));
            self.labels(&p.value, keyword, n, kind, labels);
            labels.pop();
        }
    }

    /// `keyword "label" … {` body `}`: the keyword stands for the last label's key, so that the
    /// block spans that key through its object.
    fn block(
        &mut self,
        keyword: &str,
        labels: &[(Range<usize>, String)],
        o: &ast::Object,
        kind: Kind,
        schema: Option<BlockSchema>,
    ) {
        let anchor = labels.last().map_or(range(o.range), |l| l.0.clone());
        self.mapped(anchor.start..anchor.start, keyword);
        for (at, label) in labels {
            self.raw(" ");
            self.mapped(at.clone(), &hcl_quote(label));
        }
        self.raw(" ");
        self.body_open(o);
        self.body(o, kind, schema);
        self.body_close(o);
    }

    /// A nested block written as a JSON object, or as an array of objects for repeated blocks:
    /// `name {` body `}`, the name standing for its key.
    /// The first block stands for the key too; each later one of an array for its own object, so
    /// that blocks do not overlap.
    fn nested(&mut self, p: &ast::ObjectProp, schema: BlockSchema) {
        let key = range(p.name.range());
        let name = p.name.as_str().to_string();
        let mut first = true;
        self.each_object(&p.value, &mut |t, o| {
            let at = if first {
                key.clone()
            } else {
                let r = range(o.range);
                r.start..r.start
            };
            first = false;
            t.mapped(at, &name);
            t.raw(" ");
            t.body_open(o);
            t.body(o, Kind::Other, Some(schema));
            t.body_close(o);
        });
    }

    fn body_open(&mut self, o: &ast::Object) {
        let r = range(o.range);
        self.mapped(r.start..r.start + 1, "{");
        self.raw("\n");
    }

    fn body_close(&mut self, o: &ast::Object) {
        let r = range(o.range);
        self.mapped(r.end - 1..r.end, "}");
        self.raw("\n");
    }

    fn body(&mut self, o: &ast::Object, kind: Kind, schema: Option<BlockSchema>) {
        for p in &o.properties {
            let name = p.name.as_str();
            if name == "//" || LEFT_OUT_MEMBERS.contains(&name) {
                continue;
            }
            let block = schema
                .and_then(|s| s.block(name))
                .filter(|_| is_objects(&p.value));
            match (kind, name, block) {
                (Kind::Resource, "provider", _) => {}
                (Kind::Variable, "validation", _) => {}
                (Kind::Variable, "type", _) => self.expression_in_string(p),
                (_, "dynamic", _) => self.dynamic(p, schema),
                (_, _, Some(sub)) => self.nested(p, sub),
                _ => self.attribute(p),
            }
        }
    }

    /// `locals`: every member an attribute.
    fn attributes(&mut self, o: &ast::Object) {
        for p in &o.properties {
            if p.name.as_str() != "//" {
                self.attribute(p);
            }
        }
    }

    fn key(&mut self, p: &ast::ObjectProp) -> bool {
        let name = p.name.as_str();
        if !is_identifier(name) {
            self.problem(
                p.name.range(),
                format!(
                    "`{name}` is not a valid argument name in Terraform; batchguard leaves it out"
                ),
            );
            return false;
        }
        self.mapped(range(p.name.range()), name);
        self.raw(" = ");
        true
    }

    fn attribute(&mut self, p: &ast::ObjectProp) {
        if self.key(p) {
            self.expr(&p.value);
            self.raw("\n");
        }
    }

    /// A member whose string Terraform reads as an expression (`type = "list(string)"`).
    fn expression_in_string(&mut self, p: &ast::ObjectProp) {
        let J::StringLit(s) = &p.value else {
            return self.problem(
                p.value.range(),
                "expected a string holding a type expression",
            );
        };
        if hcl_edit::parser::parse_expr(&s.value).is_err() {
            return self.problem(s.range, "this is not an expression Terraform can read");
        }
        let r = range(s.range);
        let inner = r.start + 1..r.end.saturating_sub(1).max(r.start + 1);
        if self.key(p) {
            self.mapped(inner, &s.value);
            self.raw("\n");
        }
    }

    /// `"dynamic": {"NAME": {"for_each": …, "iterator": "x", "content": {…}}}`.
    fn dynamic(&mut self, p: &ast::ObjectProp, schema: Option<BlockSchema>) {
        self.each_object(&p.value, &mut |t, o| t.dynamic_blocks(o, schema));
    }

    fn dynamic_blocks(&mut self, o: &ast::Object, schema: Option<BlockSchema>) {
        for d in &o.properties {
            if d.name.as_str() == "//" {
                continue;
            }
            let label = (range(d.name.range()), d.name.as_str().to_string());
            let inner = schema.and_then(|s| s.block(&label.1));
            self.each_object(&d.value, &mut |t, body| {
                t.mapped(label.0.start..label.0.start, "dynamic");
                t.raw(" ");
                t.mapped(label.0.clone(), &hcl_quote(&label.1));
                t.raw(" ");
                t.body_open(body);
                for m in &body.properties {
                    match m.name.as_str() {
                        "for_each" | "labels" => t.attribute(m),
                        "iterator" => match &m.value {
                            J::StringLit(s) if is_identifier(&s.value) => {
                                t.mapped(range(m.name.range()), "iterator");
                                t.raw(" = ");
                                let r = range(s.range);
                                t.mapped(r.start + 1..r.end - 1, &s.value);
                                t.raw("\n");
                            }
                            other => t.problem(other.range(), "an iterator is a name in a string"),
                        },
                        "content" => t.each_object(&m.value, &mut |t, c| {
                            t.mapped(range(m.name.range()), "content");
                            t.raw(" ");
                            t.body_open(c);
                            t.body(c, Kind::Other, inner);
                            t.body_close(c);
                        }),
                        _ => {}
                    }
                }
                t.body_close(body);
            });
        }
    }

    /// A JSON value as the HCL expression Terraform reads it as.
    fn expr(&mut self, v: &J) {
        match v {
            J::StringLit(s) if self.literal => {
                let r = range(s.range);
                if s.value.contains("${") || s.value.contains("%{") {
                    let escaped = s.value.replace("${", "$${").replace("%{", "%%{");
                    self.mapped(r, &hcl_quote(&escaped));
                } else if copies_as_hcl(&self.text[r.clone()]) {
                    self.copy(r);
                } else {
                    self.mapped(r, &hcl_quote(&s.value));
                }
            }
            J::StringLit(s) => {
                let r = range(s.range);
                let chars = decode(self.text, r.clone());
                if let Some(inner) = chars.as_deref().and_then(whole_interpolation) {
                    // `"${x}"` is the value of `x` itself, not a string of it.
                    for (c, at) in inner {
                        let mut b = [0u8; 4];
                        self.piece(at.clone(), c.encode_utf8(&mut b));
                    }
                } else if copies_as_hcl(&self.text[r.clone()]) {
                    self.copy(r);
                } else if let Some(chars) = chars {
                    // Character by character, so that what is read inside keeps its place.
                    self.mapped(r.start..r.start + 1, "\"");
                    for (piece, at) in template_pieces(&chars) {
                        self.piece(at, &piece);
                    }
                    self.mapped(r.end - 1..r.end, "\"");
                } else {
                    self.mapped(r, &template_quote(&s.value));
                }
            }
            J::NumberLit(n) => self.copy(range(n.range)),
            J::BooleanLit(b) => self.copy(range(b.range)),
            J::NullKeyword(n) => self.copy(range(n.range)),
            J::Array(a) => {
                let r = range(a.range);
                self.mapped(r.start..r.start + 1, "[");
                for (i, e) in a.elements.iter().enumerate() {
                    if i > 0 {
                        self.raw(",\n");
                    }
                    self.expr(e);
                }
                self.mapped(r.end - 1..r.end, "]");
            }
            J::Object(o) => {
                let r = range(o.range);
                self.mapped(r.start..r.start + 1, "{");
                self.raw("\n");
                for p in &o.properties {
                    let k = range(p.name.range());
                    let written = &self.text[k.clone()];
                    if written.starts_with('"') && copies_as_hcl(written) {
                        self.copy(k);
                    } else {
                        self.mapped(k, &template_quote(p.name.as_str()));
                    }
                    self.raw(" = ");
                    self.expr(&p.value);
                    self.raw("\n");
                }
                self.mapped(r.end - 1..r.end, "}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Terraform plans (`terraform show -json`).

/// A resource of a plan's planned values, as translated: its block's name label is `r<i>` for the
/// `i`-th of these.
#[derive(Debug, Clone)]
pub struct PlanResource {
    /// `module.net.azurerm_subnet.s["a"]`.
    pub address: String,
}

/// The value of member `key` of an object.
pub(super) fn member<'a, 'b>(v: Option<&'b J<'a>>, key: &str) -> Option<&'b J<'a>> {
    match v? {
        J::Object(o) => o
            .properties
            .iter()
            .find(|p| p.name.as_str() == key)
            .map(|p| &p.value),
        _ => None,
    }
}

fn element<'a, 'b>(v: Option<&'b J<'a>>, i: usize) -> Option<&'b J<'a>> {
    match v? {
        J::Array(a) => a.elements.get(i),
        _ => None,
    }
}

fn string<'b>(v: Option<&'b J>) -> Option<&'b str> {
    match v? {
        J::StringLit(s) => Some(&s.value),
        _ => None,
    }
}

/// `module.a[0].azurerm_x.y["k"]` → `module.a.azurerm_x.y`: the configuration's address.
pub fn config_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted && depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// What a plan says of one resource instance beside its planned values.
struct Change<'b, 'a> {
    actions: Vec<&'b str>,
    unknown: Option<&'b J<'a>>,
    sensitive: Option<&'b J<'a>>,
}

/// Translates a plan's planned values: one `resource` block per managed resource instance that
/// exists after the plan is applied, its attributes and nested blocks from `values`, the
/// attributes `after_unknown` marks as known only after apply (and the sensitive ones) written as
/// the reference the configuration gives them, or as an expression nothing can evaluate. Strings
/// are values. `prior_state` is never read.
pub fn translate_plan(text: &str, root: &J) -> (Translation, Vec<PlanResource>) {
    let mut t = Out {
        text,
        hcl: String::with_capacity(text.len() / 2),
        segs: Vec::new(),
        problems: Vec::new(),
        literal: true,
    };
    let mut changes: std::collections::HashMap<&str, Change> = Default::default();
    if let Some(J::Array(list)) = member(Some(root), "resource_changes") {
        for rc in &list.elements {
            let Some(address) = string(member(Some(rc), "address")) else {
                continue;
            };
            let change = member(Some(rc), "change");
            let actions = match member(change, "actions") {
                Some(J::Array(a)) => a.elements.iter().filter_map(|e| string(Some(e))).collect(),
                _ => Vec::new(),
            };
            changes.insert(
                address,
                Change {
                    actions,
                    unknown: member(change, "after_unknown"),
                    sensitive: member(change, "after_sensitive"),
                },
            );
        }
    }
    let mut config: std::collections::HashMap<String, &J> = Default::default();
    config_resources(
        member(member(Some(root), "configuration"), "root_module"),
        "",
        &mut config,
    );
    let mut out = Vec::new();
    let mut stack = vec![member(member(Some(root), "planned_values"), "root_module")];
    while let Some(m) = stack.pop() {
        if let Some(J::Array(rs)) = member(m, "resources") {
            for r in &rs.elements {
                t.plan_resource(r, &changes, &config, &mut out);
            }
        }
        if let Some(J::Array(cs)) = member(m, "child_modules") {
            stack.extend(cs.elements.iter().rev().map(Some));
        }
    }
    let translation = Translation {
        hcl: t.hcl,
        map: SpanMap { segs: t.segs },
        problems: t.problems,
    };
    (translation, out)
}

/// The `expressions` of every resource of a configuration module, by configuration address.
fn config_resources<'b, 'a>(
    module: Option<&'b J<'a>>,
    prefix: &str,
    out: &mut std::collections::HashMap<String, &'b J<'a>>,
) {
    if let Some(J::Array(rs)) = member(module, "resources") {
        for r in &rs.elements {
            if let (Some(a), Some(e)) = (
                string(member(Some(r), "address")),
                member(Some(r), "expressions"),
            ) {
                out.insert(format!("{prefix}{a}"), e);
            }
        }
    }
    if let Some(J::Object(calls)) = member(module, "module_calls") {
        for c in &calls.properties {
            let inner = member(Some(&c.value), "module");
            config_resources(inner, &format!("{prefix}module.{}.", c.name.as_str()), out);
        }
    }
}

impl Out<'_> {
    fn plan_resource(
        &mut self,
        r: &J,
        changes: &std::collections::HashMap<&str, Change>,
        config: &std::collections::HashMap<String, &J>,
        out: &mut Vec<PlanResource>,
    ) {
        let (Some(address), Some(J::StringLit(ty)), Some(J::Object(values))) = (
            string(member(Some(r), "address")),
            member(Some(r), "type"),
            member(Some(r), "values"),
        ) else {
            return;
        };
        if string(member(Some(r), "mode")).is_some_and(|m| m != "managed") {
            return;
        }
        let change = changes.get(address);
        if change.is_some_and(|c| c.actions == ["delete"]) {
            return;
        }
        let i = out.len();
        out.push(PlanResource {
            address: address.to_string(),
        });
        // The block spans the resource's address through its values.
        let addr_at = member(Some(r), "address").map_or(range(values.range), |a| range(a.range()));
        let start = if addr_at.start < range(values.range).start {
            addr_at.start
        } else {
            range(r.range()).start
        };
        self.mapped(start..start, "resource");
        self.raw(" ");
        self.mapped(range(ty.range), &hcl_quote(&ty.value));
        self.raw(" ");
        self.mapped(addr_at, &format!("\"r{i}\""));
        self.raw(" ");
        self.body_open(values);
        let expressions = config.get(&config_address(address)).copied();
        self.plan_body(
            values,
            change.and_then(|c| c.unknown),
            change.and_then(|c| c.sensitive),
            BlockSchema::of_type(&ty.value),
            expressions,
        );
        self.body_close(values);
    }

    /// A planned object: its known members, then those known only after apply.
    fn plan_body(
        &mut self,
        o: &ast::Object,
        unknown: Option<&J>,
        sensitive: Option<&J>,
        schema: Option<BlockSchema>,
        expressions: Option<&J>,
    ) {
        for p in &o.properties {
            let name = p.name.as_str();
            let unk = member(unknown, name);
            let sens = member(sensitive, name);
            if matches!(sens, Some(J::BooleanLit(b)) if b.value) {
                self.unknown_attribute(p.name.range(), name, member(expressions, name));
                continue;
            }
            if matches!(p.value, J::NullKeyword(_)) || !is_identifier(name) {
                continue;
            }
            match (schema.and_then(|s| s.block(name)), &p.value) {
                (Some(sub), J::Array(a)) if is_objects(&p.value) => {
                    let mut first = true;
                    for (k, e) in a.elements.iter().enumerate() {
                        let J::Object(eo) = e else { continue };
                        let at = if first {
                            range(p.name.range())
                        } else {
                            let r = range(eo.range);
                            r.start..r.start
                        };
                        first = false;
                        self.mapped(at, name);
                        self.raw(" ");
                        self.body_open(eo);
                        self.plan_body(
                            eo,
                            element(unk, k),
                            element(sens, k),
                            Some(sub),
                            element(member(expressions, name), k),
                        );
                        self.body_close(eo);
                    }
                }
                (Some(sub), J::Object(eo)) => {
                    self.mapped(range(p.name.range()), name);
                    self.raw(" ");
                    self.body_open(eo);
                    self.plan_body(eo, unk, sens, Some(sub), member(expressions, name));
                    self.body_close(eo);
                }
                (Some(_), J::Array(a)) if a.elements.is_empty() => {}
                _ => self.attribute(p),
            }
        }
        // Known only after apply: absent (or null) in the planned values.
        if let Some(J::Object(u)) = unknown {
            for p in &u.properties {
                let name = p.name.as_str();
                let present = o
                    .properties
                    .iter()
                    .any(|q| q.name.as_str() == name && !matches!(q.value, J::NullKeyword(_)));
                if matches!(p.value, J::BooleanLit(ref b) if b.value)
                    && !present
                    && is_identifier(name)
                {
                    self.unknown_attribute(p.name.range(), name, member(expressions, name));
                }
            }
        }
    }

    /// `name = <reference>` for a value known only after apply: the resource attribute the
    /// configuration reads it from, so that links between planned resources hold; otherwise an
    /// expression nothing evaluates.
    fn unknown_attribute(
        &mut self,
        at: jsonc_parser::common::Range,
        name: &str,
        expression: Option<&J>,
    ) {
        let reference = match member(expression, "references") {
            Some(J::Array(refs)) => {
                refs.elements
                    .iter()
                    .filter_map(|e| string(Some(e)))
                    .find(|r| {
                        !r.starts_with("var.")
                            && !r.starts_with("local.")
                            && !r.starts_with("data.")
                            && !r.starts_with("each.")
                            && !r.starts_with("count.")
                            && r.matches('.').count() >= 2
                            && hcl_edit::parser::parse_expr(r).is_ok()
                    })
            }
            _ => None,
        };
        self.mapped(range(at), name);
        self.raw(" = ");
        self.mapped(range(at), reference.unwrap_or("known_after_apply"));
        self.raw("\n");
    }
}

/// Is this JSON string literal, as written, also an HCL quoted template with the same meaning?
/// Only when it has no escape at all: an escaped quote inside an interpolation (`"${f(\"k\")}"`)
/// is a plain quote in the template, which HCL writes unescaped there.
fn copies_as_hcl(written: &str) -> bool {
    written.len() >= 2
        && !written[1..written.len() - 1]
            .bytes()
            .any(|c| c == b'\\' || c == b'"' || c < 0x20)
}

/// A decoded Terraform JSON string as an HCL quoted template: its literal parts escaped, its
/// `${…}` and `%{…}` sequences written as they are (line breaks included: an interpolation may
/// span lines). Each piece of the result comes with the range of the character it was made from.
fn template_pieces(chars: &[(char, Range<usize>)]) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::with_capacity(chars.len());
    let at = |i: usize| chars.get(i).map(|c| c.0);
    let mut i = 0;
    while i < chars.len() {
        let (c, r) = (chars[i].0, chars[i].1.clone());
        let opens = matches!(c, '$' | '%') && at(i + 1) == Some('{');
        let escaped = matches!(c, '$' | '%') && at(i + 1) == Some(c) && at(i + 2) == Some('{');
        if escaped {
            for (c, r) in &chars[i..i + 3] {
                out.push((c.to_string(), r.clone()));
            }
            i += 3;
        } else if opens {
            let end = sequence_end(chars, i + 2).unwrap_or(chars.len());
            for (c, r) in &chars[i..end] {
                out.push((c.to_string(), r.clone()));
            }
            i = end;
        } else {
            let mut piece = String::new();
            escape_into(&mut piece, c);
            out.push((piece, r));
            i += 1;
        }
    }
    out
}

/// The expression of a string that is one interpolation and nothing else (`${x}`, no strip
/// markers), with the places of its characters.
fn whole_interpolation(chars: &[(char, Range<usize>)]) -> Option<&[(char, Range<usize>)]> {
    let starts = chars.first()?.0 == '$' && chars.get(1)?.0 == '{';
    if !starts || chars.get(2).is_some_and(|c| c.0 == '~') {
        return None;
    }
    let end = sequence_end(chars, 2)?;
    let inner = &chars[2..end - 1];
    (end == chars.len()
        && inner.last().is_none_or(|c| c.0 != '~')
        && inner.iter().any(|c| !c.0.is_whitespace()))
    .then_some(inner)
}

/// A string as an HCL quoted template ([`template_pieces`]), without locations.
fn template_quote(s: &str) -> String {
    let chars: Vec<(char, Range<usize>)> = s.chars().map(|c| (c, 0..0)).collect();
    let mut out = String::from("\"");
    for (p, _) in template_pieces(&chars) {
        out.push_str(&p);
    }
    out.push('"');
    out
}

/// The characters of a JSON string literal as written at `r` (quotes included), decoded, each
/// with the range of the text it was written as (an escape, a surrogate pair).
fn decode(text: &str, r: Range<usize>) -> Option<Vec<(char, Range<usize>)>> {
    let inner = r.start + 1..r.end.checked_sub(1)?;
    let s = text.get(inner.clone())?;
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.char_indices().peekable();
    let hex = |from: usize| -> Option<u32> { u32::from_str_radix(s.get(from..from + 4)?, 16).ok() };
    while let Some((i, c)) = it.next() {
        if c != '\\' {
            out.push((c, inner.start + i..inner.start + i + c.len_utf8()));
            continue;
        }
        let (_, e) = it.next()?;
        let (ch, len) = match e {
            '"' => ('"', 2),
            '\\' => ('\\', 2),
            '/' => ('/', 2),
            'b' => ('\u{8}', 2),
            'f' => ('\u{c}', 2),
            'n' => ('\n', 2),
            'r' => ('\r', 2),
            't' => ('\t', 2),
            'u' => {
                let hi = hex(i + 2)?;
                if (0xD800..0xDC00).contains(&hi) && s.get(i + 6..i + 8) == Some("\\u") {
                    let lo = hex(i + 8)?;
                    let c = char::from_u32(
                        0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?),
                    )?;
                    (c, 12)
                } else {
                    (char::from_u32(hi).unwrap_or('\u{fffd}'), 6)
                }
            }
            _ => return None,
        };
        // Skip the rest of the escape.
        while it.peek().is_some_and(|(j, _)| *j < i + len) {
            it.next();
        }
        out.push((ch, inner.start + i..inner.start + i + len));
    }
    Some(out)
}

/// Just past the `}` that closes a template sequence whose content starts at `i`, skipping
/// nested braces and quoted strings.
fn sequence_end(chars: &[(char, Range<usize>)], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < chars.len() {
        match chars[i].0 {
            '"' => {
                i += 1;
                while i < chars.len() && chars[i].0 != '"' {
                    if chars[i].0 == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i + 1),
            '}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn escape_into(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push(c),
    }
}

/// A label or object key as an HCL quoted string.
fn hcl_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_into(&mut out, c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

    fn tr(json: &str) -> Translation {
        let p = parse_to_ast(json, &CollectOptions::default(), &ParseOptions::default()).unwrap();
        translate(json, p.value.as_ref())
    }

    #[test]
    fn blocks_attributes_and_spans() {
        let json = r#"{
  "resource": {
    "azurerm_network_security_group": {
      "a": {"name": "${var.n}", "tags": {"k": "v"}},
      "b": [{"name": "x", "security_rule": [{"priority": 100}]}]
    }
  },
  "locals": {"l": 1},
  "variable": {"v": {"type": "list(string)", "default": ["a"]}},
  "terraform": {"required_providers": {}}
}"#;
        let t = tr(json);
        assert!(t.problems.is_empty(), "{:?}", t.problems);
        let body =
            hcl_edit::parser::parse_body(&t.hcl).unwrap_or_else(|e| panic!("{e}\n{}", t.hcl));
        let blocks: Vec<_> = body.blocks().collect();
        assert_eq!(blocks.len(), 4);
        let b = blocks[1];
        assert_eq!(b.labels[1].as_str(), "b");
        let at = |r: Range<usize>| &json[t.map.to_source(r)];
        let span = hcl_edit::Span::span(b).unwrap();
        assert!(
            at(span).starts_with("\"b\": [{\"name\""),
            "{}",
            at(hcl_edit::Span::span(b).unwrap())
        );
        assert!(at(hcl_edit::Span::span(b).unwrap()).ends_with("100}]}"));
        let name = b.body.attributes().next().unwrap();
        assert_eq!(at(hcl_edit::Span::span(name).unwrap()), "\"name\": \"x\"");
        assert_eq!(at(hcl_edit::Span::span(&name.value).unwrap()), "\"x\"");
        let v = blocks[3];
        let ty = v
            .body
            .attributes()
            .find(|a| a.key.as_str() == "type")
            .unwrap();
        assert_eq!(at(hcl_edit::Span::span(&ty.value).unwrap()), "list(string)");
    }

    #[test]
    fn dynamic_blocks_and_escapes() {
        let json = r#"{"resource": {"t": {"n": {
  "//": "a comment",
  "path": "a\/b",
  "dynamic": {"rule": {"for_each": "${var.rules}", "iterator": "r", "content": {"name": "${r.value}"}}}
}}}}"#;
        let t = tr(json);
        let body =
            hcl_edit::parser::parse_body(&t.hcl).unwrap_or_else(|e| panic!("{e}\n{}", t.hcl));
        let r = body.blocks().next().unwrap();
        assert!(r.body.attributes().all(|a| a.key.as_str() != "//"));
        let d = r.body.blocks().next().unwrap();
        assert_eq!(d.ident.as_str(), "dynamic");
        assert_eq!(d.labels[0].as_str(), "rule");
        assert!(t.hcl.contains("\"a/b\""));
        assert_eq!(
            template_quote("say \"${lookup(m, \"k\")}\"\n%{ if x }y%{ endif }$${z}"),
            r#""say \"${lookup(m, "k")}\"\n%{ if x }y%{ endif }$${z}""#
        );
    }

    #[test]
    fn not_an_object_is_a_problem() {
        assert_eq!(tr("[1]").problems.len(), 1);
        assert_eq!(tr(r#"{"resourc": {}}"#).problems.len(), 1);
        assert_eq!(
            tr(r#"{"resource": {"t": {"n": {"a b": 1}}}}"#)
                .problems
                .len(),
            1
        );
    }
}
