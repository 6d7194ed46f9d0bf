//! Custom rules: an organisation's own policies, read from TOML rule files
//! (`controls::rulefile`), written once against the resource's ARM shape and so holding for ARM,
//! Bicep, azurerm and azapi alike. A rule names a resource type, `where` conditions that select
//! the resources it applies to and `assert` conditions they must meet; conditions address values
//! by JSONPath ([`doc`]) and are three-valued ([`cond`]): a resource is in scope when every
//! `where` condition holds, and violates where an `assert` condition is false. Unknown values
//! never report. A custom rule reports through the [`Checker`], like a built-in rule, so
//! provenance, suppressions, selection, fixes and every reporter treat both alike.

pub mod cond;
pub mod doc;

use super::checker::{At, Checker};
use super::{Ctx, RuleMeta};
use crate::findings::{Finding, Fix, Message};
use crate::ir::spelling::PropPath;
use crate::ir::{Resource, Span};
use crate::tri::Tri;
use cond::{Cond, Op, Outcome};
use doc::{Doc, Query};
use std::path::PathBuf;
use std::sync::Arc;

/// One custom rule, checked and compiled.
#[derive(Debug)]
pub struct CustomRule {
    /// Leaked once per distinct rule file, so that findings carry `&'static` ids like built-in
    /// rules (`controls::rulefile` reads each distinct file once per process).
    pub meta: &'static RuleMeta,
    /// ARM resource types, compared case-insensitively.
    pub types: Vec<String>,
    pub where_: Vec<Cond>,
    pub assert: Vec<Cond>,
    pub message: Option<Template>,
    /// Whether `--fix` may set the property an `equals` condition requires.
    pub fix: FixPolicy,
    pub tests: Vec<TestCase>,
    /// The rule file, and the 1-based line of the rule's `id`.
    pub file: PathBuf,
    pub line: usize,
}

/// What the rule's fix may do: the rule file's `fix` (default `safe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixPolicy {
    /// Applied by `--fix`.
    Safe,
    /// Applied by `--fix` only with `--unsafe-fixes`: setting the property alone may not make a
    /// resource Azure accepts.
    Unsafe,
    /// No fix.
    None,
}

/// A message with `{$.path}` placeholders, each replaced by the values the path selects.
#[derive(Debug, Clone)]
pub struct Template {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    Path(Query),
}

/// An inline test of a rule: a snippet in one syntax and the lines where the rule reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    /// The file name the snippet is read as (`main.tf`, `main.json`, `main.bicep`).
    pub file_name: String,
    pub snippet: String,
    /// 1-based lines of the snippet, sorted.
    pub expect: Vec<usize>,
    /// The 1-based line of the test in its rule file.
    pub line: usize,
}

/// The custom rules of a scan. Two packs are equal when they were read from the same files with
/// the same text.
#[derive(Clone, Default)]
pub struct Pack {
    pub rules: Arc<Vec<Arc<CustomRule>>>,
    /// (file, text) of every rule file read.
    pub sources: Arc<Vec<(PathBuf, String)>>,
}

/// The files and a digest of their texts: what tells two packs apart (the language server keys
/// what it keeps on the settings' debug form), without writing out every compiled rule.
impl std::fmt::Debug for Pack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.sources.hash(&mut h);
        f.debug_struct("Pack")
            .field(
                "files",
                &self.sources.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            )
            .field("texts", &format_args!("{:016x}", h.finish()))
            .finish()
    }
}

impl PartialEq for Pack {
    fn eq(&self, other: &Pack) -> bool {
        Arc::ptr_eq(&self.sources, &other.sources) || self.sources == other.sources
    }
}

impl Pack {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.rules.iter().map(|r| r.meta)
    }
    pub fn find(&self, id: &str) -> Option<&Arc<CustomRule>> {
        self.rules
            .iter()
            .find(|r| r.meta.id.eq_ignore_ascii_case(id))
    }
}

/// Child resources that their parent may declare inline, in a collection of its `properties`:
/// (parent type, collection, child type segment). Azure creates each element as a child
/// resource of that type, so a rule on the child type checks them too.
const INLINE: &[(&str, &str, &str)] = &[
    ("Microsoft.Network/virtualNetworks", "subnets", "subnets"),
    (
        "Microsoft.Network/virtualNetworks",
        "virtualNetworkPeerings",
        "virtualNetworkPeerings",
    ),
    (
        "Microsoft.Network/networkSecurityGroups",
        "securityRules",
        "securityRules",
    ),
    ("Microsoft.Network/routeTables", "routes", "routes"),
    (
        "Microsoft.Network/loadBalancers",
        "inboundNatRules",
        "inboundNatRules",
    ),
    (
        "Microsoft.Network/loadBalancers",
        "inboundNatPools",
        "inboundNatPools",
    ),
    (
        "Microsoft.Network/loadBalancers",
        "loadBalancingRules",
        "loadBalancingRules",
    ),
];

/// Runs one custom rule on a scope: on its resources of the rule's types, and on the elements
/// of those types that other resources declare inline (a virtual network's subnets). A place is
/// reported once, whichever resource or element reaches it.
pub fn run(ctx: &Ctx, rule: &CustomRule) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut reported: std::collections::HashSet<Span> = Default::default();
    let mut cx = Checker::new(ctx, rule.meta, &mut out);
    let index = &ctx.graph.index;
    let ids = |n: &crate::ir::Node| index.unknown_id(n);
    let inline: Vec<&(&str, &str, &str)> = INLINE
        .iter()
        .filter(|(parent, _, child)| {
            let child_type = format!("{parent}/{child}");
            rule.types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&child_type))
        })
        .collect();
    // A Terraform module call that is not followed stands as a deployment only so that checks
    // stay open beside it: it is not one a policy on deployments means.
    for r in ctx
        .resources
        .iter()
        .copied()
        .filter(|r| !r.is_module_call())
    {
        if rule.types.iter().any(|t| r.is_type(t)) {
            let mut doc = Doc::of(r, &ids);
            // What association resources set on it (a subnet's NSG), as Azure deploys it.
            if let Some(e) = index.of_resource(r) {
                for (property, value) in ctx.graph.associated(e) {
                    doc.join(property, value, &ids);
                }
            }
            check(&mut cx, rule, r, &doc, r.header, &mut reported);
        }
        for (parent, collection, child) in &inline {
            if !r.is_type(parent) {
                continue;
            }
            let Some(crate::ir::Value::Array(items)) = r
                .properties()
                .and_then(|p| p.get(collection))
                .map(|n| &n.value)
            else {
                continue;
            };
            let rtype = format!("{parent}/{child}");
            for el in items.iter().filter(|el| !el.members().is_empty()) {
                let doc = Doc::element(el, &rtype, &ids);
                check(&mut cx, rule, r, &doc, el.span, &mut reported);
            }
        }
    }
    out
}

/// Checks one resource, or one element a resource declares inline (`doc`); `header` is where a
/// finding about what it leaves out points.
fn check(
    cx: &mut Checker,
    rule: &CustomRule,
    r: &Resource,
    doc: &Doc,
    header: Span,
    reported: &mut std::collections::HashSet<Span>,
) {
    for c in &rule.where_ {
        let o = c.eval(doc);
        if o.tri != Tri::Yes {
            limit(cx, rule, r, &o);
            return;
        }
    }
    for (i, c) in rule.assert.iter().enumerate() {
        let o = c.eval(doc);
        match o.tri {
            Tri::No => {}
            Tri::Unknown => {
                limit(cx, rule, r, &o);
                continue;
            }
            Tri::Yes => continue,
        }
        // Each failing value is a result at its place; an absent property one at the header.
        let mut places: Vec<(Span, Option<&Doc>)> = o
            .values
            .iter()
            .filter_map(|d| d.at.map(|at| (at, Some(*d))))
            .collect();
        if o.leaf.is_some_and(|l| l.each == cond::Each::Any) {
            places.truncate(1);
        }
        if places.is_empty() {
            places.push((header, None));
        }
        for (at, value) in places {
            if !reported.insert(at) {
                continue;
            }
            let says = match &rule.message {
                Some(t) => render(t, doc),
                None => describe(&o, value, doc),
            };
            let fix = match rule.fix {
                FixPolicy::Safe => fix_of(&o),
                FixPolicy::Unsafe => fix_of(&o).map(|f| {
                    f.changing(
                        "the rule marks its fix unsafe: the property alone may not be enough",
                    )
                }),
                FixPolicy::None => None,
            };
            let found = cx
                .report(At::span(r, at), says)
                .discriminator(format!("assert {}", i + 1));
            if let Some(fix) = fix {
                found.fix(fix);
            }
        }
    }
}

/// A query that selected more values than it may is a limit of the check, said once per place.
fn limit(cx: &Checker, rule: &CustomRule, r: &Resource, o: &Outcome) {
    if let Some(q) = o.too_many {
        cx.ctx.limit(
            r.header,
            format!(
                "custom rule {}: `{}` selects more than {} values of this resource; the rule was not checked here",
                rule.meta.id,
                q.text,
                doc::MAX_SELECTED
            ),
        );
    }
}

/// The facts of a failing condition when the rule gives no message: what the property is and
/// what the rule requires of it.
fn describe(o: &Outcome, value: Option<&Doc>, doc: &Doc) -> Message {
    let Some(leaf) = o.leaf else {
        return Message::from("none of the conditions holds.");
    };
    // A property named by its path is named, and its values written, as the resource's syntax
    // writes them (`public_network_access_enabled` and `true` for an azurerm resource).
    let keys: Option<Vec<&str>> = leaf
        .query
        .names
        .as_ref()
        .map(|n| n.iter().map(String::as_str).collect());
    let spelled = doc.spelling.zip(keys.as_deref());
    let path = match spelled {
        Some((sp, keys)) => sp.name(PropPath::of(keys)),
        None => leaf.query.text.clone(),
    };
    let shown = |v: &serde_json::Value| match spelled {
        Some((sp, keys)) => sp.value(PropPath::of(keys), v),
        None => cond::show(v),
    };
    let require = if o.negated {
        format!(
            "the rule requires it not to {}",
            leaf.op.requirement(&shown)
        )
    } else {
        format!("the rule requires it to {}", leaf.op.requirement(&shown))
    };
    match value {
        Some(d) if !matches!(leaf.op, Op::Exists(_)) || !o.negated => {
            let text = match (spelled, d.to_json()) {
                (Some(_), Some(j)) if !j.is_object() && !j.is_array() => Some(shown(&j)),
                _ => cond::scalar_text(d),
            };
            match text {
                Some(text) => Message::new()
                    .text(format!("{path} is "))
                    .value(text, d.node.map(|n| n.span))
                    .text(format!("; {require}.")),
                None => Message::from(format!("{path} is set; {require}.")),
            }
        }
        Some(_) => Message::from(format!("{path} is set; {require}.")),
        None if o.defaulted => Message::from(format!(
            "{path} is not set, and its default does not pass; {require}."
        )),
        None if leaf.query.singular || matches!(leaf.op, Op::Exists(_)) => {
            Message::from(format!("{path} is not set; {require}."))
        }
        None => Message::from(format!("{path} selects nothing; {require}.")),
    }
}

/// The rule's message with each `{$.path}` replaced by the values it selects.
fn render(t: &Template, doc: &Doc) -> Message {
    let mut m = Message::new();
    for p in &t.parts {
        match p {
            Part::Text(s) => m = m.text(s),
            Part::Path(q) => {
                let sel = q.run(doc);
                if sel.values.is_empty() {
                    m = m.text("(not set)");
                }
                for (i, d) in sel.values.iter().take(20).enumerate() {
                    if i > 0 {
                        m = m.text(", ");
                    }
                    m = match cond::scalar_text(d) {
                        Some(text) => m.value(text, d.node.map(|n| n.span)),
                        None if d.is_unknown() => m.text("(not known)"),
                        None => match d.to_json() {
                            Some(j) => m.value(j.to_string(), d.node.map(|n| n.span)),
                            None => m.text("(not known)"),
                        },
                    };
                }
            }
        }
    }
    m
}

/// Where the failing condition is `equals` (or `in` with one value) on one property named by
/// its path, setting it to that value.
fn fix_of(o: &Outcome) -> Option<Fix> {
    let leaf = o.leaf?;
    if o.negated {
        return None;
    }
    let value = match &leaf.op {
        Op::Equals(v) => v,
        Op::In(vs) if vs.len() == 1 => &vs[0],
        _ => return None,
    };
    if value.is_array() || value.is_object() || value.is_null() {
        return None;
    }
    let names = leaf.query.names.as_ref()?;
    let first = names.first()?;
    if ["name", "type", "apiVersion"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(first))
    {
        return None;
    }
    let path: Vec<&str> = names.iter().map(String::as_str).collect();
    Some(Fix::set(&path, value.clone()))
}

#[cfg(test)]
mod tests;
