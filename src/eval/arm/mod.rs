//! ARM template evaluation: parameters (parameters file, `defaultValue`), variables, the template
//! functions, copy loops, conditions and nested templates.
//!
//! Each template is evaluated into the resources Azure would deploy: every expression is replaced
//! by its value where that value can be known (the value at the span of the property that holds
//! the expression, each part of it at the smallest expression inside that produced it), copy
//! loops expand, resources whose condition is false disappear, and the resources of nested
//! templates join their parent's scope. Values that depend on the deployment
//! (`resourceGroup()`, `reference()`, a parameter without value) stay Unknown; a parameter of a
//! nullable type without a value is null.
//!
//! - [`expr`]: the expression language (parser, values, evaluator, resource ids).
//! - [`functions`]: the template functions, one table row each.

pub mod bicep;
pub mod expr;
pub mod functions;
mod lambdas;
mod linked;

use super::{guard, EvalOptions, Scope};
use crate::findings::{Level, Notification};
use crate::frontend::arm::{template_resources, Instance};
use crate::hash::HashMap;
use crate::ir::types;
use crate::ir::{
    DocKind, Document, Member, Node, Provenance, Reference, Resource, Span, Unknown, Value,
};
use crate::source::{FileId, SourceFile};
use expr::{Env, EvalValue, Origin, Origins};
use rayon::prelude::*;
use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;

/// Most iterations of one copy loop (Azure's own limit).
const MAX_COPY: i64 = 800;
/// Deepest chain of parameters and variables defined through each other, and of nested
/// templates; deeper ones are Unknown, with a warning.
const MAX_CHAIN: usize = 32;
const MAX_NESTED_TEMPLATES: usize = 12;
/// Units of work (expression nodes and values built) a template and its nested templates may
/// spend: a fixed minimum and an amount in proportion to the template's size (D39). A template
/// whose evaluation is linear in its size spends a few units per byte; one that needs more than
/// its budget grows faster than its input, and is left partly unknown, with a warning that
/// names what was being evaluated.
const MIN_BUDGET: usize = 4_000_000;
const BUDGET_PER_BYTE: usize = 200;
/// Deepest value turned back into IR nodes.
const MAX_VALUE_DEPTH: usize = 128;
/// The largest parameter or variable value held: a fixed minimum and an amount per byte of the
/// template (in [`EvalValue::size`] units).
const MIN_VALUE_SIZE: usize = 200_000;
const VALUE_SIZE_PER_BYTE: usize = 8;
/// Most resource instances a template builds, its nested templates included: copy loops of
/// nested deployments multiply them (800 × 800 × …).
const MAX_INSTANCES: usize = 20_000;
/// The work of building one node of an evaluated resource body, in budget units: a copy loop
/// of 800 resources with 800 rules each stops at the budget after about a million nodes.
const NODE_COST: usize = 4;

/// One scope per ARM template, evaluated with its parameters file.
pub fn scopes(
    files: &[SourceFile],
    docs: &[Document],
    opts: &EvalOptions,
    notes: &mut Vec<Notification>,
) -> Vec<Scope> {
    let bicep_plan = bicep::plan(files, docs, notes);
    // Each template evaluates on its own (its context, budget and warnings are its own): the
    // templates in parallel, their scopes and notifications in document order.
    let evaluated: Vec<(Scope, Vec<Notification>)> = docs
        .par_iter()
        .enumerate()
        .filter(|(i, d)| d.kind == DocKind::ArmTemplate && !bicep_plan.skip.contains(i))
        .map(|(i, d)| template_scope(files, docs, i, d, &bicep_plan, opts))
        .collect();
    let mut out = Vec::with_capacity(evaluated.len());
    for (scope, n) in evaluated {
        notes.extend(n);
        out.push(scope);
    }
    out
}

/// The scope of the template `d` (document `i`): its resources evaluated with its parameters
/// file, or, for a Bicep file, with the modules the Bicep plan gives it; and the notifications.
fn template_scope(
    files: &[SourceFile],
    docs: &[Document],
    i: usize,
    d: &Document,
    bicep_plan: &bicep::Plan,
    opts: &EvalOptions,
) -> (Scope, Vec<Notification>) {
    let is_bicep = bicep::is_bicep(&files[d.file]);
    let label = if is_bicep {
        format!("the Bicep file `{}`", files[d.file].rel)
    } else {
        format!("the ARM template `{}`", files[d.file].rel)
    };
    let (root, module_files) = match bicep_plan.roots.get(&i) {
        Some((root, modules)) => (Some(root), modules.clone()),
        None => (d.root.as_ref(), Vec::new()),
    };
    let Some(root) = root else {
        let scope = Scope {
            label,
            resources: d.resources.clone(),
            files: vec![d.file],
            failed: None,
        };
        return (scope, Vec::new());
    };
    let params_doc = parameters_file(files, docs, d, opts);
    let scope_files: Vec<FileId> = std::iter::once(d.file)
        .chain(params_doc.map(|p| p.file))
        .chain(module_files)
        .collect();
    // A panic while evaluating one template (a bug) is an error at the template, which then
    // has no resources; the other templates go on.
    let evaluated = guard::isolate(|| {
        let mut notes = Vec::new();
        let resources = template(files, d, root, params_doc, &mut notes);
        (resources, notes)
    });
    match evaluated {
        Ok((resources, notes)) => {
            let scope = Scope {
                label,
                resources,
                files: scope_files,
                failed: None,
            };
            (scope, notes)
        }
        Err(caught) => {
            let n = caught.notification(&format!("evaluating {label}"), &scope_files);
            let failed = Some((n.message.clone(), n.span));
            let scope = Scope {
                label,
                resources: Vec::new(),
                files: scope_files,
                failed,
            };
            (scope, vec![n])
        }
    }
}

/// One template evaluated with its parameters file: its resources and those of its nested
/// templates.
fn template(
    files: &[SourceFile],
    d: &Document,
    root: &Node,
    params_doc: Option<&Document>,
    notes: &mut Vec<Notification>,
) -> Vec<Resource> {
    let supplied = params_doc.map_or_else(HashMap::default, |p| {
        let label = files[p.file]
            .path
            .file_name()
            .map_or_else(|| files[p.file].rel.clone(), |n| n.to_string_lossy().into());
        file_values(p.root.as_ref(), &label)
    });
    // A value for a parameter the template does not declare: Azure rejects the deployment.
    if let Some(p) = params_doc {
        let declared = root.get("parameters");
        let given = p.root.as_ref().and_then(|r| r.get("parameters"));
        for m in given.map_or(&[][..], Node::members) {
            if declared.and_then(|d| d.member(&m.key)).is_none() {
                notes.push(Notification {
                    level: Level::Warning,
                    message: format!(
                        "the parameters file gives a value for `{}`, which `{}` does not \
                         declare; Azure rejects a deployment with a parameter the template does \
                         not have",
                        m.key, files[d.file].rel
                    ),
                    span: Some(m.key_span),
                    file: Some(p.file),
                });
            }
        }
    }
    let text = files[d.file].text.as_str();
    let budget = Budget::new(MIN_BUDGET.saturating_add(BUDGET_PER_BYTE.saturating_mul(text.len())));
    let ctx = Ctx::new(root, supplied, d.file, text, &budget);
    let mut resources = ctx.resources(root, false);
    nested_templates(&ctx, &mut resources, 0, &budget);
    notes.extend(ctx.warnings.into_inner());
    unreadable_unused(root, d.file, notes);
    if let Some((what, at)) = budget.hit.into_inner() {
        notes.push(Notification {
            level: Level::Warning,
            message: format!(
                "evaluation of {what} stopped at the work limit of this template ({} units, in \
                 proportion to its size: it grows faster than its input); values it did not \
                 reach are unknown",
                budget.total
            ),
            span: Some(at),
            file: Some(d.file),
        });
    }
    resources
}

/// Expressions that evaluation never read but that cannot be read (nested too deep,
/// malformed) are named too, as they are wherever a value is evaluated: in outputs (evaluated
/// only when a caller reads them through `reference()`), and in variables and parameter defaults that nothing used.
/// Those evaluation read already carry their warning.
fn unreadable_unused(root: &Node, file: FileId, notes: &mut Vec<Notification>) {
    fn walk(node: &Node, file: FileId, what: &str, warned: &[Span], out: &mut Vec<Notification>) {
        match &node.value {
            Value::Unknown(u) if u.arm_expression().is_some() => {
                let text = u.arm_expression().unwrap_or_default();
                if warned
                    .iter()
                    .any(|w| w.start < node.span.end && node.span.start < w.end)
                {
                    return;
                }
                if let Err(e) = expr::parsed(text).as_ref() {
                    out.push(Notification {
                        level: Level::Warning,
                        message: format!(
                            "this {what} template expression cannot be read ({e}); {}",
                            if what == "output's" {
                                "its value is unknown"
                            } else {
                                "nothing evaluated uses it, so no finding depends on it"
                            }
                        ),
                        span: Some(node.span),
                        file: Some(file),
                    });
                }
            }
            Value::Array(items) => items.iter().for_each(|n| walk(n, file, what, warned, out)),
            Value::Object(members) => members
                .iter()
                .for_each(|m| walk(&m.value, file, what, warned, out)),
            _ => {}
        }
    }
    let warned: Vec<Span> = notes
        .iter()
        .filter_map(|n| n.span)
        .filter(|s| s.file == file)
        .collect();
    let mut out = Vec::new();
    if let Some(outputs) = root.get("outputs") {
        walk(outputs, file, "output's", &warned, &mut out);
    }
    if let Some(variables) = root.get("variables") {
        walk(variables, file, "variable's", &warned, &mut out);
    }
    if let Some(Value::Object(parameters)) = root.get("parameters").map(|p| &p.value) {
        for p in parameters {
            if let Some(default) = p.value.get("defaultValue") {
                walk(default, file, "parameter default's", &warned, &mut out);
            }
        }
    }
    notes.extend(out);
}

/// The parameters file of a template: the one named by `--parameters TEMPLATE=FILE`, else
/// `X.parameters.json` beside `X.json`.
pub(crate) fn parameters_file<'a>(
    files: &[SourceFile],
    docs: &'a [Document],
    template: &Document,
    opts: &EvalOptions,
) -> Option<&'a Document> {
    let path = &files[template.file].path;
    let is_params = |d: &&Document| d.kind == DocKind::ArmParameters;
    if let Some((_, file)) = opts.parameters.iter().find(|(t, _)| t == path) {
        return docs
            .iter()
            .filter(is_params)
            .find(|d| &files[d.file].path == file);
    }
    if bicep::is_bicep(&files[template.file]) {
        if let Some(p) = bicep::bicepparam_for(files, docs, template) {
            return Some(p);
        }
    }
    let name = path.file_name()?.to_str()?;
    let ext = if bicep::is_bicep(&files[template.file]) {
        ".bicep"
    } else {
        ".json"
    };
    let stem = name.get(..name.len().checked_sub(ext.len())?)?;
    let dir = path.parent();
    let beside = |wanted: &str| {
        docs.iter().find(|d| {
            let p: &Path = &files[d.file].path;
            p.parent() == dir
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
        })
    };
    let own = beside(&format!("{stem}.parameters.json")).filter(is_params);
    // The quickstarts' `main.bicep` is deployed as the `azuredeploy.json` compiled from it, with
    // that template's `azuredeploy.parameters.json`.
    let compiled = || {
        let template = beside("azuredeploy.json")?;
        let compiled = template.kind == DocKind::ArmTemplate
            && template
                .root
                .as_ref()
                .is_some_and(crate::frontend::bicep::is_compiled);
        compiled.then(|| beside("azuredeploy.parameters.json").filter(is_params))?
    };
    match own {
        Some(p) => Some(p),
        None if ext == ".bicep" && stem.eq_ignore_ascii_case("main") => compiled(),
        None => None,
    }
}

/// A parameter value supplied from outside the template: a parameters file, or the `parameters`
/// of a nested deployment.
#[derive(Clone)]
struct Supplied {
    /// None for a Key Vault `reference`, whose value is not known.
    value: Option<Node>,
    /// The value was evaluated in the parent template already (a nested deployment's
    /// parameters): what is left unknown in it is not an expression of this template.
    evaluated: bool,
    from: Span,
    label: String,
    /// For an object or array written in the call (whose own origin is that place, `from`), the
    /// parts of it that came from the caller's parameters or variables, each by where it is
    /// written (its node's span, or its member's from key to value) with its origin. `None`:
    /// the whole value has the one origin `from`.
    parts: Option<Vec<(Span, Origin)>>,
}

/// What a nested deployment's `properties` deploy, as the label of a value passed to it names
/// it: the path of a joined module or linked template (its `templateLink.relativePath`, which
/// joining sets), else "the nested template".
fn passed_to(props: &Node) -> String {
    match props
        .path(&["templateLink", "relativePath"])
        .and_then(Node::as_str)
    {
        Some(path) if props.get("template").is_some() => format!("`{path}`"),
        _ => "the nested template".into(),
    }
}

/// For a nested deployment whose `parameters` are not known (a Bicep module's `params` that
/// spread another object, a linked template's `parametersLink`): each parameter of its template, supplied with a value not known,
/// rather than its default.
fn unknown_parameters(props: &Node, template: &Node, supplied: &mut HashMap<String, Supplied>) {
    // Parameters not known: an expression, or a parameters file given by address
    // (`parametersLink`), which is not read.
    let Some(passed) = props
        .get("parameters")
        .filter(|p| matches!(p.value, Value::Unknown(_)))
        .or_else(|| props.get("parametersLink"))
    else {
        return;
    };
    let to = passed_to(props);
    for m in template.get("parameters").map_or(&[][..], Node::members) {
        supplied.insert(
            m.key.to_ascii_lowercase(),
            Supplied {
                value: None,
                evaluated: true,
                from: passed.span,
                label: format!("value of parameter `{}` passed to {to}", m.key),
                parts: None,
            },
        );
    }
}

/// The values of a parameters file (`parameters.{name}.value`), keyed by lowercase name.
fn file_values(root: Option<&Node>, file_label: &str) -> HashMap<String, Supplied> {
    let mut out = HashMap::default();
    let Some(params) = root.and_then(|r| r.get("parameters")) else {
        return out;
    };
    for m in params.members() {
        let label = format!("value of parameter `{}` ({file_label})", m.key);
        let supplied = match m.value.member("value") {
            Some(v) => Supplied {
                value: Some(v.value.clone()),
                evaluated: false,
                from: v.span(),
                label,
                parts: None,
            },
            None => Supplied {
                value: None,
                evaluated: false,
                from: m.span(),
                label,
                parts: None,
            },
        };
        out.insert(m.key.to_ascii_lowercase(), supplied);
    }
    out
}

enum Slot {
    InProgress,
    /// Shared: an expression that reads a part of it copies only that part.
    Done(Rc<EvalValue>),
}

/// The work a template and its nested templates may spend (D39), and the construct that was
/// being evaluated when it ran out.
struct Budget {
    left: Cell<usize>,
    total: usize,
    hit: RefCell<Option<(String, Span)>>,
    /// Resource instances built so far, nested templates included ([`MAX_INSTANCES`]), and
    /// whether reaching the limit was reported.
    instances: Cell<usize>,
    instances_warned: Cell<bool>,
    /// Nested deployments whose outputs are being evaluated, one inside another.
    outputs_depth: Cell<usize>,
}

impl Budget {
    fn new(total: usize) -> Budget {
        Budget {
            left: Cell::new(total),
            total,
            hit: RefCell::new(None),
            instances: Cell::new(0),
            instances_warned: Cell::new(false),
            outputs_depth: Cell::new(0),
        }
    }
}

/// Where the characters of an expression's text are in the file: the JSON string that holds it
/// starts at `start`; `table` maps each byte of the text to its place when the string has escapes.
struct Mapping {
    file: FileId,
    start: usize,
    table: Option<Vec<usize>>,
}

impl Mapping {
    /// The mapping of the JSON string at `span` of `file_text` whose value is `text`; `None` when
    /// the file does not hold that string there.
    fn of(file_text: &str, span: Span, text: &str) -> Option<Mapping> {
        let raw = file_text.get(span.start..span.end)?;
        let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
        let start = span.start + 1;
        if inner == text {
            return Some(Mapping {
                file: span.file,
                start,
                table: None,
            });
        }
        // Decode the escapes, remembering where each decoded byte is written.
        let mut out = String::with_capacity(text.len());
        let mut table = Vec::with_capacity(text.len() + 1);
        let mut chars = inner.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let decoded = if c == '\\' {
                let (_, e) = chars.next()?;
                match e {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hex = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
                            let h: String =
                                (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                            u32::from_str_radix(&h, 16).ok()
                        };
                        let hi = hex(&mut chars)?;
                        let code = if (0xD800..0xDC00).contains(&hi) {
                            chars.next()?;
                            chars.next()?;
                            let lo = hex(&mut chars)?;
                            0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?)
                        } else {
                            hi
                        };
                        char::from_u32(code)?
                    }
                    _ => return None,
                }
            } else {
                c
            };
            for b in 0..decoded.len_utf8() {
                table.push(start + i + if c == '\\' { 0 } else { b });
            }
            out.push(decoded);
        }
        table.push(start + inner.len());
        (out == text).then_some(Mapping {
            file: span.file,
            start,
            table: Some(table),
        })
    }

    fn place(&self, at: (usize, usize)) -> Option<Span> {
        let (s, e) = match &self.table {
            None => (self.start + at.0, self.start + at.1),
            Some(t) => (*t.get(at.0)?, *t.get(at.1)?),
        };
        (s <= e).then_some(Span::new(self.file, s, e))
    }
}

/// One copy loop being expanded: its name (lowercase), whether it is the resource's own loop
/// (which `copyIndex()` without a name refers to), and the index (None when the count is not
/// known).
struct Loop {
    name: String,
    resource: bool,
    index: Option<i64>,
}

/// The evaluation context of one template: its parameters and variables, evaluated lazily and
/// once each.
struct Ctx<'a> {
    root: &'a Node,
    supplied: HashMap<String, Supplied>,
    file: FileId,
    /// The text of the template's file.
    text: &'a str,
    cache: RefCell<HashMap<String, Slot>>,
    loops: RefCell<Vec<Loop>>,
    chain: Cell<usize>,
    /// Span of the value being evaluated, for warnings.
    at: Cell<Span>,
    /// Where the expression being evaluated is written, while it is a resource's property: its
    /// values keep their places ([`expr::Located`]).
    mapping: RefCell<Option<Mapping>>,
    /// What is being evaluated, innermost last, with where it is defined: a limit names it.
    doing: RefCell<Vec<(String, Span)>>,
    budget: &'a Budget,
    warnings: RefCell<Vec<Notification>>,
    /// The template's user-defined functions by `namespace.member` (lowercase), read on first
    /// use.
    functions: std::cell::OnceCell<HashMap<String, Rc<expr::UserFunction>>>,
}

impl<'a> Ctx<'a> {
    fn new(
        root: &'a Node,
        supplied: HashMap<String, Supplied>,
        file: FileId,
        text: &'a str,
        budget: &'a Budget,
    ) -> Ctx<'a> {
        Ctx {
            root,
            supplied,
            file,
            text,
            cache: RefCell::new(HashMap::default()),
            loops: RefCell::new(Vec::new()),
            chain: Cell::new(0),
            at: Cell::new(root.span),
            mapping: RefCell::new(None),
            doing: RefCell::new(Vec::new()),
            budget,
            warnings: RefCell::new(Vec::new()),
            functions: std::cell::OnceCell::new(),
        }
    }

    /// Evaluates `f` as the construct `what` defined at `at`: a limit reached inside names it.
    fn doing<T>(&self, what: String, at: Span, f: impl FnOnce() -> T) -> T {
        self.doing.borrow_mut().push((what.clone(), at));
        let out = guard::doing(what, at, f);
        self.doing.borrow_mut().pop();
        out
    }

    /// The construct being evaluated (the innermost) and where it is defined.
    fn construct(&self) -> (String, Span) {
        self.doing
            .borrow()
            .last()
            .cloned()
            .unwrap_or_else(|| ("this template".to_string(), self.at.get()))
    }

    fn warn(&self, message: String) {
        let span = self.at.get();
        let mut w = self.warnings.borrow_mut();
        if !w
            .iter()
            .any(|n| n.message == message && n.span == Some(span))
        {
            w.push(Notification {
                level: Level::Warning,
                message,
                span: Some(span),
                file: Some(self.file),
            });
        }
    }

    /// Evaluates the text of an expression (`[...]`); Unknown, with a warning saying why, when
    /// it does not parse.
    fn eval_text(&self, text: &str) -> EvalValue {
        match expr::parsed(text).as_ref() {
            Ok(e) => expr::eval_located(e, self),
            Err(e) => {
                self.warn(format!(
                    "this template expression cannot be read ({e}); its value is unknown"
                ));
                EvalValue::Unknown
            }
        }
    }

    /// A parameter's or variable's value (`what`, defined at `def`), evaluated once, with cycle
    /// and depth protection. `compute` returns the value and the origin it stands for where no
    /// inner parameter or variable supplied it; the value keeps, part by part, the origins of the
    /// values it was built from.
    fn resolve(
        &self,
        key: String,
        what: impl FnOnce() -> String,
        def: Span,
        compute: impl FnOnce() -> (EvalValue, Option<Origin>),
    ) -> Rc<EvalValue> {
        match self.cache.borrow().get(&key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::InProgress) => {
                let (kind, name) = match key.split_once(':') {
                    Some(("p", n)) => ("parameter", n),
                    Some((_, n)) => ("variable", n),
                    None => ("value", key.as_str()),
                };
                self.warn(format!(
                    "{kind} `{name}` refers to itself; its value is unknown"
                ));
                return Rc::new(EvalValue::Unknown);
            }
            None => {}
        }
        if self.chain.get() >= MAX_CHAIN {
            let at = self.at.replace(def);
            self.warn(format!(
                "{} is defined through a chain of more than {MAX_CHAIN} parameters and variables; its value is unknown",
                what()
            ));
            self.at.set(at);
            return Rc::new(EvalValue::Unknown);
        }
        self.cache
            .borrow_mut()
            .insert(key.clone(), Slot::InProgress);
        // Parameters and variables do not see the copy loops of the place that uses them, and
        // their values have no place in the expression that reads them.
        let loops = std::mem::take(&mut *self.loops.borrow_mut());
        let mapping = self.mapping.take();
        let at = self.at.get();
        self.chain.set(self.chain.get() + 1);
        let name = what();
        let (value, own) = self.doing(name.clone(), def, compute);
        let value = match (value.bare(), own) {
            (EvalValue::Unknown, _) => EvalValue::Unknown,
            (_, Some(own)) => adopt(value, &Rc::new(vec![own]), 0),
            (_, None) => value,
        };
        // A value that keeps growing (doubled again and again) stops at a size in proportion
        // to the template, before it fills the memory (D39).
        let max = self.value_limit();
        let value = if value.size() > max {
            self.at.set(def);
            self.warn(format!(
                "{name} holds more than {max} values (a string counts one per 64 bytes; it keeps growing, as a value doubled again and again does); it is treated as unknown"
            ));
            EvalValue::Unknown
        } else {
            value
        };
        self.chain.set(self.chain.get() - 1);
        self.at.set(at);
        *self.mapping.borrow_mut() = mapping;
        *self.loops.borrow_mut() = loops;
        let value = Rc::new(value);
        self.cache
            .borrow_mut()
            .insert(key, Slot::Done(value.clone()));
        value
    }

    /// The value of a JSON node, its expressions evaluated and property copy loops expanded.
    fn value_of(&self, node: &Node) -> EvalValue {
        if !self.charge(1) {
            return EvalValue::Unknown;
        }
        match &node.value {
            Value::Null => EvalValue::Null,
            Value::Bool(b) => EvalValue::Bool(*b),
            Value::Number(n) => EvalValue::Num(*n),
            Value::String(s) => EvalValue::Str(s.clone()),
            Value::Unknown(u) if u.arm_expression().is_some() => {
                let text = u.arm_expression().unwrap_or_default();
                let at = self.at.replace(node.span);
                let v = self.eval_text(text);
                self.at.set(at);
                v
            }
            Value::Unknown(_) => EvalValue::Unknown,
            Value::Array(items) => {
                EvalValue::Array(items.iter().map(|n| self.value_of(n)).collect())
            }
            Value::Object(members) => {
                let mut out = Vec::new();
                for m in members {
                    if let Some(loops) = property_copy(m) {
                        for c in loops {
                            let value = match self.copy_count(c.count) {
                                Some(n) => EvalValue::Array(
                                    (0..n)
                                        .map(|i| {
                                            self.in_loop(&c.name, false, Some(i), || {
                                                c.input
                                                    .map_or(EvalValue::Null, |x| self.value_of(x))
                                            })
                                        })
                                        .collect(),
                                ),
                                None => EvalValue::Unknown,
                            };
                            out.push((c.name.clone(), value));
                        }
                    } else {
                        out.push((m.key.to_string(), self.value_of(&m.value)));
                    }
                }
                EvalValue::Object(out)
            }
        }
    }

    /// The number of iterations of a copy loop, when known (at most Azure's limit).
    fn copy_count(&self, count: Option<&Node>) -> Option<i64> {
        let count = count?;
        let v = self.value_of(count);
        let n = match v.bare() {
            EvalValue::Num(n) if n.fract() == 0.0 => *n as i64,
            EvalValue::Str(s) => s.trim().parse().ok()?,
            _ => return None,
        };
        if n > MAX_COPY {
            // At the loop's `count`, wherever evaluation stands.
            let at = self.at.replace(count.span);
            self.warn(format!(
                "a copy loop of {n} iterations exceeds Azure's limit of {MAX_COPY}; only the first {MAX_COPY} are analysed"
            ));
            self.at.set(at);
        }
        Some(n.clamp(0, MAX_COPY))
    }

    fn in_loop<T>(
        &self,
        name: &str,
        resource: bool,
        index: Option<i64>,
        f: impl FnOnce() -> T,
    ) -> T {
        self.loops.borrow_mut().push(Loop {
            name: name.to_ascii_lowercase(),
            resource,
            index,
        });
        let out = f();
        self.loops.borrow_mut().pop();
        out
    }

    /// A node with its expressions replaced by their values. Each evaluated node keeps the span
    /// of the expression it replaces; where a parameter or variable supplied the value, a
    /// provenance entry says so.
    fn eval_node(&self, node: &Node, prov: &mut Vec<Provenance>) -> Node {
        // Each node built counts as work, so that copy loops inside copy loops stop at the
        // template's budget (in memory as in time) instead of building millions of nodes.
        // The structure written is kept whatever the budget left (expressions and copy loops
        // are what it stops), so that no resource is lost.
        let _ = self.charge(NODE_COST);
        match &node.value {
            Value::Unknown(u) if u.arm_expression().is_some() => {
                let text = u.arm_expression().unwrap_or_default();
                let at = self.at.replace(node.span);
                let mapping = self
                    .mapping
                    .replace(Mapping::of(self.text, node.span, text));
                let v = self.eval_text(text);
                *self.mapping.borrow_mut() = mapping;
                self.at.set(at);
                let symbolic = match v.bare() {
                    EvalValue::Unknown | EvalValue::Partial(_) => self.symbolic_definition(text),
                    _ => None,
                };
                let n = to_node(
                    &v,
                    node.span,
                    Some(symbolic.as_deref().unwrap_or(text)),
                    0,
                    None,
                    prov,
                );
                if let EvalValue::Located(l) = &v {
                    if !matches!(l.value.bare(), EvalValue::Unknown) {
                        note(prov, l.origins.as_ref(), node.span);
                    }
                }
                n
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match spread_of(item) {
                        // A Bicep spread: the items of the array spread in its place.
                        Some(spread) => match self.eval_node(spread, prov).value {
                            Value::Array(spread) => out.extend(spread),
                            _ => {
                                return Node::unknown(
                                    "the value this array spreads is not known",
                                    node.span,
                                )
                            }
                        },
                        None => out.push(self.eval_node(item, prov)),
                    }
                }
                Node::new(Value::Array(out), node.span)
            }
            Value::Object(members) => {
                let mut out = Vec::with_capacity(members.len());
                // A spread has put members in: later ones replace those of the same key.
                let mut merged = false;
                for m in members {
                    match property_copy(m) {
                        Some(loops) => {
                            for c in loops {
                                let value = match self.copy_count(c.count) {
                                    // The budget is spent: the loop's values are not reached.
                                    Some(_) if self.budget.left.get() == 0 => {
                                        Node::unknown("evaluation limit reached", c.span)
                                    }
                                    Some(n) => Node::new(
                                        Value::Array(
                                            (0..n)
                                                .map(|i| {
                                                    self.in_loop(&c.name, false, Some(i), || {
                                                        c.input.map_or(
                                                            Node::new(Value::Null, c.span),
                                                            |x| self.eval_node(x, prov),
                                                        )
                                                    })
                                                })
                                                .collect(),
                                        ),
                                        c.span,
                                    ),
                                    None => Node::unknown(
                                        format!("the count of copy loop `{}` is not known", c.name),
                                        c.span,
                                    ),
                                };
                                out.push(Member {
                                    key: c.name.into(),
                                    key_span: c.key_span,
                                    value,
                                    written: None,
                                });
                            }
                        }
                        None if m.key == crate::ir::SPREAD_KEY => {
                            // A Bicep spread: the object's members in its place.
                            let spread = self.eval_node(&m.value, prov);
                            let Value::Object(members) = spread.value else {
                                return Node::unknown(
                                    "the value this object spreads is not known",
                                    node.span,
                                );
                            };
                            for m in members {
                                put_member(&mut out, m);
                            }
                            merged = true;
                        }
                        None => {
                            let m = Member {
                                key: m.key.clone(),
                                key_span: m.key_span,
                                value: self.eval_node(&m.value, prov),
                                written: None,
                            };
                            if merged {
                                put_member(&mut out, m);
                            } else {
                                out.push(m);
                            }
                        }
                    }
                }
                Node::new(Value::Object(out), node.span)
            }
            _ => node.clone(),
        }
    }

    /// The resources of a template object, evaluated in this context. `report` keeps the
    /// warnings about objects that are not resources (the front-end already reported those of a
    /// top-level template).
    fn resources(&self, template: &Node, report: bool) -> Vec<Resource> {
        let (mut resources, notices) =
            template_resources(template, true, &mut |obj| self.instances(obj));
        for r in &mut resources {
            known_name_parts(r);
        }
        if report {
            for n in notices {
                self.warnings.borrow_mut().push(Notification {
                    level: Level::Warning,
                    message: n.message,
                    span: Some(n.span),
                    file: Some(n.span.file),
                });
            }
        }
        resources
    }

    /// The instances Azure deploys for one written resource object: one per iteration of its
    /// copy loop, without those whose condition is false.
    fn instances(&self, obj: &Node) -> Vec<Instance<'static>> {
        let what = format!(
            "the resource {} {}",
            written(obj.get("type")),
            written(obj.get("name"))
        );
        self.doing(what, obj.span, || self.instances_of(obj))
    }

    fn instances_of(&self, obj: &Node) -> Vec<Instance<'static>> {
        let copy = obj
            .get("copy")
            .filter(|c| matches!(c.value, Value::Object(_)));
        let Some(copy) = copy else {
            if self.admit(1) == 0 {
                return Vec::new();
            }
            return self.instance(obj, None).into_iter().collect();
        };
        let name = copy
            .get("name")
            .and_then(|n| self.value_of(n).as_str().map(str::to_string))
            .unwrap_or_default();
        match self.copy_count(copy.get("count")) {
            Some(n) => (0..self.admit(n as usize))
                .filter_map(|i| {
                    self.in_loop(&name, true, Some(i as i64), || self.instance(obj, None))
                })
                .collect(),
            None => {
                let why = format!(
                    "the count of copy loop `{name}` ({}) is not known",
                    written(copy.get("count"))
                );
                self.in_loop(&name, true, None, || self.instance(obj, Some(why)))
                    .into_iter()
                    .collect()
            }
        }
    }

    fn instance(&self, obj: &Node, mut conditional: Option<String>) -> Option<Instance<'static>> {
        if let Some(cond) = obj.get("condition") {
            match self.value_of(cond).truth() {
                Some(false) => return None,
                Some(true) => {}
                None => {
                    conditional.get_or_insert_with(|| {
                        format!("condition {} is not known", written(Some(cond)))
                    });
                }
            }
        }
        let deployment = obj
            .get("type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case(types::DEPLOYMENT));
        let mut provenance = Vec::new();
        let members = obj
            .members()
            .iter()
            .map(|m| {
                let key = m.key.to_ascii_lowercase();
                let value = match key.as_str() {
                    // Children are walked (and evaluated) as resources of their own; the loop
                    // and condition have been applied.
                    "resources" | "copy" | "condition" => m.value.clone(),
                    // A nested template is evaluated with its own resources below.
                    "properties" if deployment => {
                        let members = m
                            .value
                            .members()
                            .iter()
                            .map(|p| Member {
                                key: p.key.clone(),
                                key_span: p.key_span,
                                value: if p.key.eq_ignore_ascii_case("template") {
                                    p.value.clone()
                                } else {
                                    self.eval_node(&p.value, &mut provenance)
                                },
                                written: None,
                            })
                            .collect();
                        match &m.value.value {
                            Value::Object(_) => Node::new(Value::Object(members), m.value.span),
                            _ => self.eval_node(&m.value, &mut provenance),
                        }
                    }
                    _ => self.eval_node(&m.value, &mut provenance),
                };
                Member {
                    key: m.key.clone(),
                    key_span: m.key_span,
                    value,
                    written: None,
                }
            })
            .collect();
        Some(Instance {
            body: std::borrow::Cow::Owned(Node::new(Value::Object(members), obj.span)),
            conditional,
            provenance,
        })
    }
}

impl Ctx<'_> {
    /// The value of `parameters(name)`, shared.
    fn parameter_shared(&self, name: &str) -> Rc<EvalValue> {
        let Some(decl) = self
            .root
            .get("parameters")
            .and_then(|p| p.member(name))
            .map(|m| &m.value)
        else {
            self.warn(format!(
                "parameter `{name}` is used but not declared in the template's `parameters`; its \
                 value is unknown"
            ));
            return Rc::new(EvalValue::Unknown);
        };
        let lower = name.to_ascii_lowercase();
        let what = || format!("the parameter `{name}`");
        let def = self
            .root
            .get("parameters")
            .and_then(|p| {
                p.members()
                    .iter()
                    .find(|m| m.key.eq_ignore_ascii_case(name))
            })
            .map_or(decl.span, Member::span);
        let secret = decl
            .get("type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("secure"));
        self.resolve(format!("p:{lower}"), what, def, || {
            let default = decl.member("defaultValue");
            if let Some(s) = self.supplied.get(&lower) {
                let Some(value) = &s.value else {
                    return (EvalValue::Unknown, None);
                };
                let v = if s.evaluated {
                    evaluated_value_from(value, s, 0)
                } else {
                    self.value_of(value)
                };
                // ARM takes a null value as no value supplied: the default applies (Bicep
                // passes `options.?name` to a module parameter with a default this way).
                if !(v.is_null() && default.is_some()) {
                    self.at.set(value.span);
                    let origin = Origin {
                        from: s.from,
                        label: s.label.clone(),
                        secret,
                    };
                    return (v, Some(origin));
                }
            }
            if let Some(default) = default {
                self.at.set(default.value.span);
                let origin = Origin {
                    from: default.span(),
                    label: format!("default value of parameter `{name}`"),
                    secret,
                };
                return (self.value_of(&default.value), Some(origin));
            }
            if self.nullable(decl) {
                return (EvalValue::Null, None);
            }
            (EvalValue::Unknown, None)
        })
    }

    /// For a value not known that `text` reads whole from a variable (`[variables('subnetId')]`,
    /// through other variables so read), the `resourceId(…)` expression the variable is defined
    /// as, when it is one: what the value names, which the graph compares by its expressions
    /// (`resourceId(…, variables('vnet'), 's')` names the subnet `s` of the network named
    /// `[variables('vnet')]`), where the variable's name says nothing.
    fn symbolic_definition(&self, text: &str) -> Option<String> {
        /// Variables read through at the most.
        const MAX_HOPS: usize = 8;
        let mut at = text;
        for _ in 0..MAX_HOPS {
            let def = self.declared_variable(&expr::variable_read(at)?)?;
            let Value::Unknown(u) = &def.value.value else {
                return None;
            };
            at = u.arm_expression()?;
            if expr::symbolic_resource_id(at).is_some() {
                return Some(at.to_string());
            }
        }
        None
    }

    /// The value of `variables(name)`, shared.
    /// The variable `name` as the template declares it (names ignore case; `copy` is not one).
    fn declared_variable(&self, name: &str) -> Option<&Member> {
        self.root
            .get("variables")?
            .members()
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case(name) && !m.key.eq_ignore_ascii_case("copy"))
    }

    fn variable_shared(&self, name: &str) -> Rc<EvalValue> {
        let declared = self.declared_variable(name);
        let lower = name.to_ascii_lowercase();
        if let Some(m) = declared {
            let what = || format!("the variable `{}`", m.key);
            return self.resolve(format!("v:{lower}"), what, m.span(), || {
                self.at.set(m.value.span);
                let origin = Origin {
                    from: m.value.span,
                    label: format!("value of variable `{}`", m.key),
                    secret: false,
                };
                (self.value_of(&m.value), Some(origin))
            });
        }
        // Variables defined by a `copy` loop in `variables`.
        let looped = self
            .root
            .get("variables")
            .and_then(|v| v.member("copy"))
            .and_then(property_copy)
            .and_then(|loops| {
                loops
                    .into_iter()
                    .find(|c| c.name.eq_ignore_ascii_case(name))
            });
        let Some(c) = looped else {
            self.warn(format!(
                "variable `{name}` is used but not declared in the template's `variables`; its \
                 value is unknown"
            ));
            return Rc::new(EvalValue::Unknown);
        };
        let what = || format!("the variable `{}`", c.name);
        self.resolve(format!("v:{lower}"), what, c.span, || {
            self.at.set(c.span);
            let value = match self.copy_count(c.count) {
                Some(n) => EvalValue::Array(
                    (0..n)
                        .map(|i| {
                            self.in_loop(&c.name, false, Some(i), || {
                                c.input.map_or(EvalValue::Null, |x| self.value_of(x))
                            })
                        })
                        .collect(),
                ),
                None => EvalValue::Unknown,
            };
            let origin = Origin {
                from: c.span,
                label: format!("value of variable `{}`", c.name),
                secret: false,
            };
            (value, Some(origin))
        })
    }
}

/// The user-defined functions of a template (`functions`: namespaces with their `members`), by
/// `namespace.member` (lowercase).
fn user_functions(root: &Node) -> HashMap<String, Rc<expr::UserFunction>> {
    let mut out = HashMap::default();
    for ns in root.get("functions").map_or(&[][..], Node::items) {
        let Some(namespace) = ns.get("namespace").and_then(Node::as_str) else {
            continue;
        };
        for m in ns.get("members").map_or(&[][..], Node::members) {
            let parameters = m
                .value
                .get("parameters")
                .map_or(&[][..], Node::items)
                .iter()
                .map(|p| p.get("name").and_then(Node::as_str).map(str::to_string))
                .collect::<Option<Vec<String>>>();
            let (Some(parameters), Some(value)) = (parameters, m.value.path(&["output", "value"]))
            else {
                continue;
            };
            let output = match &value.value {
                Value::Unknown(u) => match u.arm_expression() {
                    Some(text) => Ok(expr::parsed(text)),
                    None => Err(EvalValue::Unknown),
                },
                _ => Err(evaluated_value(value, 0)),
            };
            out.insert(
                format!("{namespace}.{}", m.key).to_ascii_lowercase(),
                Rc::new(expr::UserFunction { parameters, output }),
            );
        }
    }
    out
}

impl Env for Ctx<'_> {
    fn user_function(&self, name: &str) -> Option<Rc<expr::UserFunction>> {
        self.functions
            .get_or_init(|| user_functions(self.root))
            .get(name)
            .cloned()
    }

    fn parameter(&self, name: &str) -> EvalValue {
        self.copied(&self.parameter_shared(name))
    }

    fn variable(&self, name: &str) -> EvalValue {
        self.copied(&self.variable_shared(name))
    }

    fn shared(&self, function: &str, name: &str) -> Option<Rc<EvalValue>> {
        match function {
            "parameters" => Some(self.parameter_shared(name)),
            "variables" => Some(self.variable_shared(name)),
            _ => None,
        }
    }

    fn copy_index(&self, name: Option<&str>) -> Option<i64> {
        let loops = self.loops.borrow();
        let found = match name {
            None => loops.iter().rev().find(|l| l.resource),
            Some(n) => loops.iter().rev().find(|l| l.name.eq_ignore_ascii_case(n)),
        };
        found.and_then(|l| l.index)
    }

    fn charge(&self, units: usize) -> bool {
        let left = self.budget.left.get();
        if left < units {
            self.budget.left.set(0);
            let mut hit = self.budget.hit.borrow_mut();
            if hit.is_none() {
                *hit = Some(self.construct());
            }
            return false;
        }
        self.budget.left.set(left - units);
        true
    }

    fn locate(&self, at: (usize, usize)) -> Option<Span> {
        self.mapping.borrow().as_ref()?.place(at)
    }

    fn value_limit(&self) -> usize {
        MIN_VALUE_SIZE.saturating_add(VALUE_SIZE_PER_BYTE.saturating_mul(self.text.len()))
    }

    fn exceeded(&self, what: &str) {
        let (construct, span) = self.construct();
        let at = self.at.replace(span);
        self.warn(format!(
            "{what} in {construct} exceeds what batchguard evaluates; that value is unknown"
        ));
        self.at.set(at);
    }

    fn deployment(&self, name: &str) -> EvalValue {
        let key = format!("d:{}", name.to_ascii_lowercase());
        match self.cache.borrow().get(&key) {
            Some(Slot::Done(v)) => return (**v).clone(),
            // Outputs that read themselves.
            Some(Slot::InProgress) => return EvalValue::Unknown,
            None => {}
        }
        let depth = self.budget.outputs_depth.get();
        if depth >= MAX_NESTED_TEMPLATES {
            return EvalValue::Unknown;
        }
        self.cache
            .borrow_mut()
            .insert(key.clone(), Slot::InProgress);
        self.budget.outputs_depth.set(depth + 1);
        let v = self.outputs_of(name).unwrap_or(EvalValue::Unknown);
        self.budget.outputs_depth.set(depth);
        self.cache
            .borrow_mut()
            .insert(key, Slot::Done(Rc::new(v.clone())));
        v
    }
}

impl Ctx<'_> {
    /// The outputs of the nested deployment named `name` (not a copy loop, its template
    /// inside it: written there, or a local Bicep module joined): evaluated in its own scope
    /// with the parameters the deployment passes (evaluated here), or in this one.
    fn outputs_of(&self, name: &str) -> Option<EvalValue> {
        let resources = self.root.get("resources")?;
        let list: Vec<&Node> = match &resources.value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(members) => members.iter().map(|m| &m.value).collect(),
            _ => return None,
        };
        let at = self.at.get();
        let deployment = list.into_iter().find(|r| {
            r.get("type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case(types::DEPLOYMENT))
                && r.get("copy").is_none()
                && (r.get("name").is_some_and(|n| {
                    matches!(self.value_of(n).plain(), EvalValue::Str(s) if s.eq_ignore_ascii_case(name))
                }) || name.strip_prefix('$').is_some_and(|symbol| {
                    // A Bicep module whose deployment name is computed, by its symbolic name.
                    r.get(crate::frontend::bicep::MODULE_SYMBOL)
                        .and_then(Node::as_str)
                        .is_some_and(|s| s == symbol)
                }))
        });
        self.at.set(at);
        let props = deployment?.get("properties")?;
        let template = props.get("template").filter(|t| !t.members().is_empty())?;
        let outputs = template.get("outputs")?;
        let inner = props
            .path(&["expressionEvaluationOptions", "scope"])
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let evaluate = |ctx: &Ctx| -> EvalValue {
            let members = outputs
                .members()
                .iter()
                .map(|o| {
                    let v = o
                        .value
                        .get("value")
                        .map_or(EvalValue::Unknown, |v| ctx.value_of(v).unplaced());
                    (
                        o.key.to_string(),
                        EvalValue::Object(vec![("value".into(), v)]),
                    )
                })
                .collect();
            EvalValue::Object(vec![("outputs".into(), EvalValue::Object(members))])
        };
        if !inner {
            return Some(evaluate(self));
        }
        let mut supplied = HashMap::default();
        let to = passed_to(props);
        for m in props.get("parameters").map_or(&[][..], Node::members) {
            let Some(v) = m.value.member("value") else {
                continue;
            };
            let value = self.value_of(&v.value);
            let mut prov = Vec::new();
            let node = to_node(&value, v.value.span, Some(self.text), 0, None, &mut prov);
            // The outputs name where the values they are made of come from, as the resources
            // of the nested template do: the value's own origin, and each part's.
            let passed = format!(" (passed to {to} as `{}`)", m.key);
            // A value read whole from one parameter or variable of the caller names it; one
            // built from several names the place it is written.
            let own = match &value {
                EvalValue::Located(l) => l
                    .origins
                    .as_ref()
                    .filter(|o| o.len() == 1)
                    .and_then(|o| o.first()),
                _ => None,
            };
            let (from, label) = match own {
                Some(o) => (o.from, passed_label(&o.label, &passed)),
                None => (
                    v.value.span,
                    format!("value of parameter `{}` passed to {to}", m.key),
                ),
            };
            let composite = matches!(node.value, Value::Object(_) | Value::Array(_));
            let parts = (composite && own.is_none()).then(|| passed_parts(prov.iter(), &passed));
            supplied.insert(
                m.key.to_ascii_lowercase(),
                Supplied {
                    value: Some(node),
                    evaluated: true,
                    from,
                    label,
                    parts,
                },
            );
        }
        unknown_parameters(props, template, &mut supplied);
        let inner_ctx = Ctx::new(template, supplied, self.file, self.text, self.budget);
        let v = evaluate(&inner_ctx);
        self.warnings
            .borrow_mut()
            .extend(inner_ctx.warnings.into_inner());
        Some(v)
    }
}

impl Ctx<'_> {
    /// How many of `n` more instances of the resource being evaluated the template may build
    /// ([`MAX_INSTANCES`]); a warning names the first resource that goes past.
    fn admit(&self, n: usize) -> usize {
        let used = self.budget.instances.get();
        let admitted = n.min(MAX_INSTANCES.saturating_sub(used));
        self.budget.instances.set(used + admitted);
        if admitted < n && !self.budget.instances_warned.replace(true) {
            let (construct, span) = self.construct();
            let at = self.at.replace(span);
            self.warn(format!(
                "{construct} goes past the {MAX_INSTANCES} resource instances batchguard evaluates in one template with its nested templates (copy loops of nested deployments multiply them); from there on, instances are not analysed"
            ));
            self.at.set(at);
        }
        admitted
    }

    /// A copy of a shared value, counted as work in proportion to its size.
    fn copied(&self, v: &EvalValue) -> EvalValue {
        if self.charge(v.size()) {
            v.clone()
        } else {
            EvalValue::Unknown
        }
    }

    /// Whether a parameter declared without a default is `null` when no value is given: it says
    /// `nullable`, or the type it refers to (`$ref` into the template's `definitions`, as Bicep
    /// writes user-defined types) does.
    fn nullable(&self, decl: &Node) -> bool {
        let mut node = decl;
        for _ in 0..MAX_CHAIN {
            if node.get("nullable").and_then(Node::as_bool) == Some(true) {
                return true;
            }
            let Some(name) = node
                .get("$ref")
                .and_then(Node::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
            else {
                return false;
            };
            match self.root.get("definitions").and_then(|d| d.get(name)) {
                Some(def) => node = def,
                None => return false,
            }
        }
        false
    }
}

/// One entry of a property (or variable) copy loop: `{"name": …, "count": …, "input": …}`.
struct CopyLoop<'n> {
    name: String,
    key_span: Span,
    span: Span,
    count: Option<&'n Node>,
    input: Option<&'n Node>,
}

/// The loops of a `copy` member whose value is an array of loop objects; None for any other
/// member (a resource's own `copy` is an object).
fn property_copy(m: &Member) -> Option<Vec<CopyLoop<'_>>> {
    if !m.key.eq_ignore_ascii_case("copy") {
        return None;
    }
    let Value::Array(items) = &m.value.value else {
        return None;
    };
    let loops: Vec<CopyLoop> = items
        .iter()
        .filter_map(|item| {
            let name = item.member("name")?;
            Some(CopyLoop {
                name: name.value.as_str()?.to_string(),
                key_span: name.value.span,
                span: item.span,
                count: item.get("count"),
                input: item.get("input"),
            })
        })
        .collect();
    (!items.is_empty() && loops.len() == items.len()).then_some(loops)
}

/// The value an array's spread item spreads: the item is an object whose one member is under
/// [`crate::ir::SPREAD_KEY`] (the Bicep front-end writes `[ ...base ]` so).
fn spread_of(item: &Node) -> Option<&Node> {
    match &item.value {
        Value::Object(members) if members.len() == 1 && members[0].key == crate::ir::SPREAD_KEY => {
            Some(&members[0].value)
        }
        _ => None,
    }
}

/// Puts `m` into `out` in place of the member of the same key (case-insensitive), or at the end.
fn put_member(out: &mut Vec<Member>, m: Member) {
    match out.iter_mut().find(|o| o.key.eq_ignore_ascii_case(&m.key)) {
        Some(slot) => *slot = m,
        None => out.push(m),
    }
}

/// Name segments that a partially known name still tells: `[concat(parameters('nsg'),
/// '/allow-ssh')]` is the rule `allow-ssh` of an NSG whose name is not known.
fn known_name_parts(r: &mut Resource) {
    let Some(text) = r.body.get("name").and_then(|n| match &n.value {
        Value::Unknown(u) => u.arm_expression(),
        _ => None,
    }) else {
        return;
    };
    let Ok(EvalValue::Partial(parts)) = expr::parsed(text).as_ref().as_ref().map(expr::eval) else {
        return;
    };
    let mut segments: Vec<Option<String>> = vec![Some(String::new())];
    for p in &parts {
        match p {
            expr::Part::Known(t) => {
                for (i, piece) in t.split('/').enumerate() {
                    if i > 0 {
                        segments.push(Some(String::new()));
                    }
                    if let Some(Some(last)) = segments.last_mut() {
                        last.push_str(piece);
                    }
                }
            }
            expr::Part::Unknown => {
                if let Some(last) = segments.last_mut() {
                    *last = None;
                }
            }
        }
    }
    let n = segments.len();
    if n <= r.name_segments.len() && segments.iter().any(Option::is_some) {
        let at = r.name_segments.len() - n;
        for (slot, s) in r.name_segments[at..].iter_mut().zip(segments) {
            *slot = s.filter(|s| !s.is_empty());
        }
    }
}

/// A value as written, for messages: the expression text or the literal.
fn written(node: Option<&Node>) -> String {
    match node.map(|n| &n.value) {
        Some(Value::Unknown(u)) if u.arm_expression().is_some() => {
            format!("`{}`", u.arm_expression().unwrap_or_default())
        }
        Some(Value::String(s)) => format!("`{s}`"),
        Some(Value::Number(n)) => format!("`{n}`"),
        Some(Value::Bool(b)) => format!("`{b}`"),
        _ => "its value".to_string(),
    }
}

/// The value of IR nodes that are already evaluated: what is still unknown stays so (a
/// partially known string keeps its known parts).
/// The label of an origin passed on to a nested template, `passed` (" (passed to X as `p`)")
/// after it: a value passed down through several modules under one name says so once.
fn passed_label(label: &str, passed: &str) -> String {
    if label.ends_with(passed) {
        label.to_string()
    } else {
        format!("{label}{passed}")
    }
}

/// The parts of a value passed to a nested template, each where it is used with its origin
/// relabelled as passed on (`passed`, [`passed_label`]), for [`Supplied::parts`].
fn passed_parts<'p>(
    provenance: impl Iterator<Item = &'p Provenance>,
    passed: &str,
) -> Vec<(Span, Origin)> {
    provenance
        .map(|p| {
            let origin = Origin {
                from: p.from,
                label: passed_label(&p.label, passed),
                secret: p.secret,
            };
            (p.used_at, origin)
        })
        .collect()
}

/// [`evaluated_value`] of a value supplied as `s` says: with `s.parts`, each part written at
/// one of their places has their origins (a member matches from its key to its value, or at
/// its value); the rest takes the value's own.
fn evaluated_value_from(node: &Node, s: &Supplied, depth: usize) -> EvalValue {
    let Some(parts) = &s.parts else {
        return evaluated_value(node, depth);
    };
    if depth > MAX_VALUE_DEPTH {
        return EvalValue::Unknown;
    }
    let located = |v: EvalValue, at: &[Span]| {
        let origins: Vec<Origin> = parts
            .iter()
            .filter(|(used_at, _)| at.contains(used_at))
            .map(|(_, o)| o.clone())
            .collect();
        if origins.is_empty() {
            return v;
        }
        EvalValue::located(v, None, Some(Rc::new(origins)))
    };
    match &node.value {
        Value::Array(a) => EvalValue::Array(
            a.iter()
                .map(|n| located(evaluated_value_from(n, s, depth + 1), &[n.span]))
                .collect(),
        ),
        Value::Object(m) => EvalValue::Object(
            m.iter()
                .map(|m| {
                    let v = evaluated_value_from(&m.value, s, depth + 1);
                    (m.key.to_string(), located(v, &[m.span(), m.value.span]))
                })
                .collect(),
        ),
        _ => evaluated_value(node, depth),
    }
}

fn evaluated_value(node: &Node, depth: usize) -> EvalValue {
    if depth > MAX_VALUE_DEPTH {
        return EvalValue::Unknown;
    }
    match &node.value {
        Value::Null => EvalValue::Null,
        Value::Bool(b) => EvalValue::Bool(*b),
        Value::Number(n) => EvalValue::Num(*n),
        Value::String(s) => EvalValue::Str(s.clone()),
        Value::Unknown(u) => match u
            .arm_expression()
            .and_then(|t| expr::parsed(t).as_ref().as_ref().ok().map(expr::eval))
        {
            Some(v @ EvalValue::Partial(_)) => v,
            _ => EvalValue::Unknown,
        },
        Value::Array(a) => {
            EvalValue::Array(a.iter().map(|n| evaluated_value(n, depth + 1)).collect())
        }
        Value::Object(m) => EvalValue::Object(
            m.iter()
                .map(|m| (m.key.to_string(), evaluated_value(&m.value, depth + 1)))
                .collect(),
        ),
    }
}

/// The value with `own` as the origin of every part that came from no parameter or variable (a
/// literal of the parameter's default, of the variable's value), for a parameter's or variable's
/// value.
fn adopt(v: EvalValue, own: &Origins, depth: usize) -> EvalValue {
    if depth > MAX_VALUE_DEPTH {
        return v;
    }
    let inner = |v: EvalValue| match v {
        EvalValue::Array(a) => {
            EvalValue::Array(a.into_iter().map(|x| adopt(x, own, depth + 1)).collect())
        }
        EvalValue::Object(m) => EvalValue::Object(
            m.into_iter()
                .map(|(k, x)| (k, adopt(x, own, depth + 1)))
                .collect(),
        ),
        v => v,
    };
    match v {
        EvalValue::Located(mut l) => {
            l.value = inner(l.value);
            // A literal (no origins) takes the parameter's or variable's own; so does the
            // value as a whole when nothing else supplied it.
            let none = l.origins.as_ref().is_none_or(|o| o.is_empty());
            let literal = l.origins.as_ref().is_some_and(|o| o.is_empty());
            if literal || (depth == 0 && none) {
                l.origins = Some(own.clone());
            }
            // A value of its own has no place in the expressions that read it.
            l.at = None;
            l.key_at = None;
            EvalValue::Located(l)
        }
        v if depth == 0 => EvalValue::located(inner(v), None, Some(own.clone())),
        v => inner(v),
    }
}

/// Records that the value at `used_at` came from `origins`.
fn note(prov: &mut Vec<Provenance>, origins: Option<&Origins>, used_at: Span) {
    for o in origins.iter().flat_map(|o| o.iter()) {
        let p = Provenance {
            used_at,
            from: o.from,
            label: o.label.clone(),
            element: None,
            secret: o.secret,
        };
        if !prov.contains(&p) {
            prov.push(p);
        }
    }
}

/// An evaluated value as IR nodes. Each part is at its place (the smallest expression that
/// produced it, [`expr::Located`]) or, without one, at its enclosing part's; the value itself
/// at `span`, the whole expression. A part that came from parameters or variables other than
/// its enclosing part's adds a provenance entry used at the part (a member from its key to its
/// value). A value that is not known keeps the expression it came from (a partially known
/// string keeps its known parts, for resource ids).
fn to_node(
    v: &EvalValue,
    span: Span,
    text: Option<&str>,
    depth: usize,
    inherited: Option<&Origins>,
    prov: &mut Vec<Provenance>,
) -> Node {
    let unknown = |reference: Option<String>, span: Span| {
        Node::new(
            Value::Unknown(
                Unknown {
                    reason: "ARM expression".into(),
                    reference: reference.map(Reference::ArmExpression),
                }
                .into(),
            ),
            span,
        )
    };
    let (v, span, origins) = match v {
        EvalValue::Located(l) => {
            let span = if depth == 0 {
                span
            } else {
                l.at.unwrap_or(span)
            };
            (l.value.bare(), span, l.origins.as_ref().or(inherited))
        }
        v => (v, span, inherited),
    };
    if depth > MAX_VALUE_DEPTH {
        return unknown(None, span);
    }
    // A part with origins of its own, other than its enclosing part's.
    let own = |x: &EvalValue| -> Option<Origins> {
        let EvalValue::Located(l) = x else {
            return None;
        };
        let o = l.origins.as_ref()?;
        let same = origins.is_some_and(|p| Rc::ptr_eq(p, o));
        (!same && !o.is_empty() && l.value.is_known()).then(|| o.clone())
    };
    let value = match v {
        EvalValue::Null => Value::Null,
        EvalValue::Bool(b) => Value::Bool(*b),
        EvalValue::Num(n) => Value::Number(*n),
        EvalValue::Str(s) => Value::String(s.clone()),
        EvalValue::Array(a) => Value::Array(
            a.iter()
                .map(|x| {
                    let n = to_node(x, span, None, depth + 1, origins, prov);
                    note(prov, own(x).as_ref(), n.span);
                    n
                })
                .collect(),
        ),
        EvalValue::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let value = to_node(x, span, None, depth + 1, origins, prov);
                    let key_span = match x {
                        EvalValue::Located(l) => l.key_at.unwrap_or(value.span),
                        _ => value.span,
                    };
                    note(prov, own(x).as_ref(), key_span.to(value.span));
                    Member {
                        key: k.clone().into(),
                        key_span,
                        value,
                        written: None,
                    }
                })
                .collect(),
        ),
        EvalValue::Unknown | EvalValue::Located(_) => {
            return unknown(text.map(str::to_string), span)
        }
        EvalValue::Partial(parts) => {
            // The expression as written when it says as much on its own, or when it names a
            // resource by expressions that the partly known value cannot (`[variables('vnet')]`
            // worth `'?-vnet'`, which another resource's `resourceId(…, variables('vnet'), …)`
            // names); otherwise an equivalent one built from the known parts.
            let same = |t: &&str| {
                expr::parsed(t)
                    .as_ref()
                    .as_ref()
                    .is_ok_and(|e| expr::eval(e) == *v)
            };
            let kept = match text {
                Some(t) if same(&t) => t.to_string(),
                Some(t) if !expr::names_a_resource(parts) => expr::merged_resource_id(t, parts)
                    .or_else(|| expr::names_symbolically(t).then(|| t.to_string()))
                    .unwrap_or_else(|| expr::partial_expression(parts)),
                _ => expr::partial_expression(parts),
            };
            return unknown(Some(kept), span);
        }
    };
    Node::new(value, span)
}

/// Adds the resources of nested templates (`Microsoft.Resources/deployments` with
/// `properties.template`): an inner-scope template is evaluated with its own parameters (the
/// deployment's `parameters` values) and variables; an outer-scope one with its parent's.
fn nested_templates(ctx: &Ctx, resources: &mut Vec<Resource>, depth: usize, budget: &Budget) {
    if depth >= MAX_NESTED_TEMPLATES {
        // Each deployment whose template is not evaluated is named, once (not per copy).
        let mut seen = crate::hash::HashSet::default();
        for r in resources.iter().filter(|r| r.is_type(types::DEPLOYMENT)) {
            if r.is_unread_deployment() || !seen.insert(r.header) {
                continue;
            }
            ctx.at.set(r.header);
            ctx.warn(format!(
                "the nested deployment {} is {} levels deep; nested templates deeper than {MAX_NESTED_TEMPLATES} levels are not evaluated, so its resources are not analysed",
                r.name().map_or_else(|| "without a known name".to_string(), |n| format!("`{n}`")),
                depth + 1
            ));
        }
        return;
    }
    let mut added = Vec::new();
    for r in resources.iter() {
        if !r.is_type(types::DEPLOYMENT) {
            continue;
        }
        let Some(props) = r.properties() else {
            continue;
        };
        let Some(template) = props.get("template").filter(|t| !t.members().is_empty()) else {
            continue;
        };
        let inner = props
            .path(&["expressionEvaluationOptions", "scope"])
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let mut found = if inner {
            let mut supplied = HashMap::default();
            let to = passed_to(props);
            for m in props.get("parameters").map_or(&[][..], Node::members) {
                let label = format!("value of parameter `{}` passed to {to}", m.key);
                let s = match m.value.member("value") {
                    Some(v) => {
                        // Where the outer template's value came from, when it came from
                        // parameters or variables there: the finding names that origin.
                        let vs = v.span();
                        let within = |p: &&Provenance| {
                            p.used_at.file == vs.file
                                && vs.start <= p.used_at.start
                                && p.used_at.end <= vs.end
                        };
                        let passed = format!(" (passed to {to} as `{}`)", m.key);
                        let relabel = |p: &Provenance| passed_label(&p.label, &passed);
                        let whole = |p: &&Provenance| p.used_at == v.value.span || p.used_at == vs;
                        let composite = matches!(v.value.value, Value::Object(_) | Value::Array(_));
                        // An object or array written in the call keeps the origin of each of its
                        // parts; a value read whole (or a string built from several) takes the
                        // first origin inside it, as the value's own.
                        let outer = r.provenance.iter().filter(within).find(whole).or_else(|| {
                            (!composite)
                                .then(|| r.provenance.iter().find(within))
                                .flatten()
                        });
                        let (from, label) = match outer {
                            Some(p) => (p.from, relabel(p)),
                            None => (vs, label),
                        };
                        let parts = (composite && outer.is_none())
                            .then(|| passed_parts(r.provenance.iter().filter(within), &passed));
                        Supplied {
                            value: Some(v.value.clone()),
                            evaluated: true,
                            from,
                            label,
                            parts,
                        }
                    }
                    None => Supplied {
                        value: None,
                        evaluated: true,
                        from: m.span(),
                        label,
                        parts: None,
                    },
                };
                supplied.insert(m.key.to_ascii_lowercase(), s);
            }
            unknown_parameters(props, template, &mut supplied);
            let inner_ctx = Ctx::new(template, supplied, ctx.file, ctx.text, budget);
            let mut found = inner_ctx.resources(template, true);
            nested_templates(&inner_ctx, &mut found, depth + 1, budget);
            ctx.warnings
                .borrow_mut()
                .extend(inner_ctx.warnings.into_inner());
            found
        } else {
            let mut found = ctx.resources(template, true);
            nested_templates(ctx, &mut found, depth + 1, budget);
            found
        };
        for f in &mut found {
            if f.conditional.is_none() {
                f.conditional.clone_from(&r.conditional);
            }
            // A nested deployment goes to its parent's cloud: a template without an
            // `apiProfile` of its own takes the parent's (D33).
            if f.api_profile.is_none() {
                f.api_profile.clone_from(&r.api_profile);
            }
        }
        added.extend(found);
    }
    resources.extend(added);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::arm::load;

    /// Evaluates templates and parameters files given as (path, text).
    fn run(
        files: &[(&str, &str)],
        opts: &EvalOptions,
    ) -> (Vec<SourceFile>, Vec<Resource>, Vec<Notification>) {
        let files: Vec<SourceFile> = files
            .iter()
            .enumerate()
            .map(|(i, (p, t))| SourceFile::new(i, format!("/t/{p}").into(), p.to_string(), t))
            .collect();
        let docs: Vec<Document> = files.iter().filter_map(load).collect();
        let mut notes = Vec::new();
        let scopes = scopes(&files, &docs, opts, &mut notes);
        let resources = scopes.into_iter().flat_map(|s| s.resources).collect();
        (files, resources, notes)
    }

    fn template(params: &str, variables: &str, resources: &str) -> String {
        format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"parameters\": {{{params}}}, \"variables\": {{{variables}}}, \"resources\": [{resources}]}}"
        )
    }
    const PARAMS_SCHEMA: &str =
        "\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\"";

    fn prop<'a>(r: &'a Resource, path: &[&str]) -> &'a Node {
        r.body
            .path(path)
            .unwrap_or_else(|| panic!("{path:?} in {:#?}", r.body))
    }
    fn text(f: &[SourceFile], s: Span) -> &str {
        &f[s.file].text[s.start..s.end]
    }

    /// A parameters file's values are read as written, as Azure reads them: a string in brackets
    /// is that string (no expression, no warning), and `[[` stays.
    #[test]
    fn parameters_file_values_are_literal() {
        let t = template(
            r#""table": {"type": "string"}, "escaped": {"type": "string"}, "call": {"type": "string"}"#,
            "",
            r#"{"type": "X.Y/z", "name": "r", "properties": {"t": "[parameters('table')]", "e": "[parameters('escaped')]", "c": "[parameters('call')]"}}"#,
        );
        let p = format!(
            r#"{{{PARAMS_SCHEMA}, "parameters": {{"table": {{"value": "[dbo].[emp]"}}, "escaped": {{"value": "[[x]"}}, "call": {{"value": "[concat('a', 'b')]"}}}}}}"#
        );
        let (_, rs, notes) = run(
            &[("main.json", &t), ("main.parameters.json", &p)],
            &EvalOptions::default(),
        );
        let r = &rs[0];
        assert_eq!(prop(r, &["properties", "t"]).as_str(), Some("[dbo].[emp]"));
        assert_eq!(prop(r, &["properties", "e"]).as_str(), Some("[[x]"));
        assert_eq!(
            prop(r, &["properties", "c"]).as_str(),
            Some("[concat('a', 'b')]")
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn parameter_values_come_from_the_file_then_the_default() {
        let t = template(
            r#""a": {"type": "string", "defaultValue": "def-a"},
               "b": {"type": "string", "defaultValue": "[concat(parameters('a'), '-b')]"},
               "c": {"type": "string"},
               "d": {"type": "string", "nullable": true},
               "e": {"type": "securestring"}"#,
            "",
            r#"{"type": "X.Y/z", "name": "r", "properties": {"a": "[parameters('a')]", "b": "[parameters('b')]", "c": "[parameters('c')]", "d": "[parameters('d')]", "e": "[parameters('e')]", "u": "[parameters('undeclared')]"}}"#,
        );
        let p = format!(
            r#"{{{PARAMS_SCHEMA}, "parameters": {{"a": {{"value": "file-a"}}, "e": {{"reference": {{"keyVault": {{"id": "kv"}}, "secretName": "s"}}}}}}}}"#
        );
        let (f, rs, notes) = run(
            &[("main.json", &t), ("main.parameters.json", &p)],
            &EvalOptions::default(),
        );
        let r = &rs[0];
        assert_eq!(prop(r, &["properties", "a"]).as_str(), Some("file-a"));
        assert_eq!(prop(r, &["properties", "b"]).as_str(), Some("file-a-b"));
        assert!(prop(r, &["properties", "c"]).is_unknown());
        assert!(r
            .body
            .path(&["properties"])
            .unwrap()
            .member("d")
            .unwrap()
            .value
            .is_null());
        assert!(prop(r, &["properties", "e"]).is_unknown());
        assert!(prop(r, &["properties", "u"]).is_unknown());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("`undeclared`"), "{notes:?}");
        // The spans stay on the expressions; provenance names the file value.
        let a = prop(r, &["properties", "a"]);
        assert_eq!(text(&f, a.span), "\"[parameters('a')]\"");
        let pa = r.provenance.iter().find(|p| p.used_at == a.span).unwrap();
        assert_eq!(text(&f, pa.from), "\"value\": \"file-a\"");
        assert_eq!(pa.label, "value of parameter `a` (main.parameters.json)");
        // `b` came from its default, built from `a`'s file value: the innermost origin is named.
        let b = prop(r, &["properties", "b"]);
        let pb: Vec<&Provenance> = r
            .provenance
            .iter()
            .filter(|p| p.used_at == b.span)
            .collect();
        assert_eq!(pb.len(), 1);
        assert_eq!(pb[0].label, "value of parameter `a` (main.parameters.json)");

        // Without the parameters file, the default applies; --parameters names another file.
        let (_, rs, _) = run(&[("main.json", &t)], &EvalOptions::default());
        assert_eq!(prop(&rs[0], &["properties", "a"]).as_str(), Some("def-a"));
        let opts = EvalOptions {
            parameters: vec![("/t/main.json".into(), "/t/other.json".into())],
            ..Default::default()
        };
        let other = p.replace("file-a", "other-a");
        let (_, rs, _) = run(
            &[
                ("main.json", &t),
                ("main.parameters.json", &p),
                ("other.json", &other),
            ],
            &opts,
        );
        assert_eq!(prop(&rs[0], &["properties", "a"]).as_str(), Some("other-a"));
    }

    /// User-defined functions (`functions`, as Bicep compiles `func` to them under `__bicep`)
    /// evaluate with their arguments as their parameters; the template's own parameters,
    /// variables and other functions' bodies stay out of reach, and a function that calls itself
    /// ends, Unknown.
    #[test]
    fn user_defined_functions_evaluate() {
        let t = template(
            r#""sources": {"type": "array", "defaultValue": ["10.0.0.0/8", "*"]}"#,
            r#""v": "x""#,
            r#"{"type": "X.Y/z", "name": "r", "properties": {
                 "pick": "[__bicep.pick(parameters('sources'), 1)]",
                 "lit": "[contoso.port()]",
                 "nested": "[toUpper(contoso.wrap(__bicep.pick(parameters('sources'), 0)))]",
                 "outside": "[contoso.outside()]",
                 "self": "[contoso.self()]",
                 "arity": "[contoso.port(1)]",
                 "undefined": "[contoso.nothing()]"}}"#,
        )
        .replacen(
            "\"parameters\"",
            r#""functions": [
                 {"namespace": "__bicep", "members": {
                   "pick": {"parameters": [{"name": "list", "type": "array"}, {"name": "i", "type": "int"}],
                            "output": {"type": "string", "value": "[parameters('list')[parameters('i')]]"}}}},
                 {"namespace": "contoso", "members": {
                   "port": {"parameters": [], "output": {"type": "string", "value": "22"}},
                   "wrap": {"parameters": [{"name": "s", "type": "string"}],
                            "output": {"type": "string", "value": "[format('<{0}>', parameters('s'))]"}},
                   "outside": {"parameters": [], "output": {"type": "string", "value": "[concat(parameters('sources')[0], variables('v'))]"}},
                   "self": {"parameters": [], "output": {"type": "string", "value": "[contoso.self()]"}}}}],
               "parameters""#,
            1,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        let r = &rs[0];
        let get = |k: &str| prop(r, &["properties", k]).clone();
        assert_eq!(get("pick").as_str(), Some("*"));
        assert_eq!(get("lit").as_str(), Some("22"));
        assert_eq!(get("nested").as_str(), Some("<10.0.0.0/8>"));
        for k in ["outside", "self", "arity", "undefined"] {
            assert!(get(k).is_unknown(), "{k}: {:?}", get(k));
        }
        assert!(notes.is_empty(), "{notes:?}");
        // The value came from the parameter's default, through the call.
        let pick = get("pick");
        let from = r
            .provenance
            .iter()
            .find(|p| p.used_at == pick.span)
            .unwrap();
        assert_eq!(from.label, "default value of parameter `sources`");
        assert_eq!(
            text(&f, pick.span),
            "\"[__bicep.pick(parameters('sources'), 1)]\""
        );
    }

    #[test]
    fn variables_are_lazy_with_copy_and_cycles() {
        let t = template(
            r#""n": {"type": "int", "defaultValue": 3}"#,
            r#""prefix": "[toUpper('ab')]",
               "rules": "[variables('ports')]",
               "self": "[variables('self')]",
               "ping": "[variables('pong')]", "pong": "[variables('ping')]",
               "copy": [{"name": "ports", "count": "[parameters('n')]", "input": "[add(8000, copyIndex('ports'))]"}]"#,
            r#"{"type": "X.Y/z", "name": "[concat(variables('prefix'), '-1')]", "properties": {"ports": "[variables('rules')]", "self": "[variables('self')]", "ping": "[variables('ping')]"}}"#,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        let r = &rs[0];
        assert_eq!(r.name_segments, vec![Some("AB-1".to_string())]);
        let ports = prop(r, &["properties", "ports"]);
        let values: Vec<Option<i64>> = ports.items().iter().map(Node::as_i64).collect();
        assert_eq!(values, vec![Some(8000), Some(8001), Some(8002)]);
        assert!(ports.items().iter().all(|p| p.span == ports.span));
        assert_eq!(text(&f, ports.span), "\"[variables('rules')]\"");
        assert!(prop(r, &["properties", "self"]).is_unknown());
        assert!(prop(r, &["properties", "ping"]).is_unknown());
        // Each self-reference is diagnosed.
        assert!(
            notes.iter().all(|n| n.message.contains("refers to itself")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.message.contains("variable `self`")),
            "{notes:?}"
        );
    }

    #[test]
    fn copy_loops_and_conditions() {
        let t = template(
            r#""names": {"type": "array", "defaultValue": ["a", "b"]}, "flag": {"type": "bool"}"#,
            "",
            r#"{"type": "X.Y/z", "name": "[concat('vm-', parameters('names')[copyIndex()], '-', copyIndex(1))]",
                "copy": {"name": "vms", "count": "[length(parameters('names'))]"},
                "properties": {"copy": [{"name": "disks", "count": 2, "input": {"lun": "[copyIndex('disks')]", "vm": "[copyIndex()]"}}]}},
               {"type": "X.Y/off", "name": "off", "condition": "[equals(parameters('names')[0], 'z')]"},
               {"type": "X.Y/maybe", "name": "maybe", "condition": "[parameters('flag')]",
                "resources": [{"type": "child", "name": "c"}]},
               {"type": "X.Y/many", "name": "[concat('m', copyIndex())]", "copy": {"name": "m", "count": "[parameters('flag')]"}}"#,
        );
        let (f, rs, _) = run(&[("main.json", &t)], &EvalOptions::default());
        let names: Vec<String> = rs.iter().map(Resource::display).collect();
        assert_eq!(
            names,
            [
                "X.Y/z 'vm-a-1'",
                "X.Y/z 'vm-b-2'",
                "X.Y/maybe 'maybe'",
                "X.Y/maybe/child 'maybe/c'",
                "X.Y/many `[concat('m', copyIndex())]`"
            ]
        );
        // Both copies keep the written spans; the disks are an array property at the copy entry.
        assert_eq!(rs[0].span, rs[1].span);
        let disks = prop(&rs[1], &["properties", "disks"]);
        assert_eq!(disks.items().len(), 2);
        assert_eq!(disks.items()[1].get("lun").and_then(Node::as_i64), Some(1));
        assert_eq!(disks.items()[1].get("vm").and_then(Node::as_i64), Some(1));
        assert!(text(&f, disks.span).starts_with("{\"name\": \"disks\""));
        let lun = disks.items()[0].member("lun").unwrap();
        assert_eq!(text(&f, lun.value.span), "\"[copyIndex('disks')]\"");
        assert_eq!(rs[0].conditional, None);
        assert_eq!(
            rs[2].conditional.as_deref(),
            Some("condition `[parameters('flag')]` is not known")
        );
        assert_eq!(rs[3].conditional, rs[2].conditional);
        assert!(rs[4]
            .conditional
            .as_deref()
            .unwrap()
            .contains("copy loop `m`"));
    }

    #[test]
    fn nested_deployment_outputs_are_read_through_reference() {
        let inner = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
            "parameters": {"p": {"type": "string"}}, "resources": [],
            "outputs": {"o": {"type": "string", "value": "[concat(parameters('p'), '-x')]"},
                        "self": {"type": "string", "value": "[reference('d').outputs.self.value]"}}}"#;
        let t = template(
            r#""a": {"type": "string", "defaultValue": "in"}"#,
            "",
            &format!(
                r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d",
                    "properties": {{"mode": "Incremental", "expressionEvaluationOptions": {{"scope": "inner"}},
                      "parameters": {{"p": {{"value": "[parameters('a')]"}}}}, "template": {inner}}}}},
                   {{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
                    "name": "[reference(resourceId('Microsoft.Resources/deployments', 'd'), '2022-09-01').outputs.o.value]"}},
                   {{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
                    "name": "[reference('d').outputs.self.value]"}},
                   {{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
                    "name": "[reference(resourceId('Microsoft.Network/virtualNetworks', 'v')).outputs.o.value]"}}"#
            ),
        );
        let (_, resources, _) = run(&[("a.json", &t)], &EvalOptions::default());
        let names: Vec<Option<&str>> = resources
            .iter()
            .filter(|r| r.rtype.ends_with("networkSecurityGroups"))
            .map(|r| r.name())
            .collect();
        // The output; an output that reads itself and another resource's state are unknown.
        assert_eq!(names, [Some("in-x"), None, None]);
    }

    /// A value passed down two levels of nested templates under one name says so once.
    #[test]
    fn a_value_passed_down_under_one_name_is_named_once() {
        let inner = r#"{"type": "Microsoft.Resources/deployments", "name": "two", "apiVersion": "2022-09-01",
            "properties": {"expressionEvaluationOptions": {"scope": "inner"},
              "parameters": {"p": {"value": "[parameters('p')]"}},
              "template": {"parameters": {"p": {"type": "string"}},
                "resources": [{"type": "X.Y/in", "name": "in", "properties": {"p": "[parameters('p')]"}}]}}}"#;
        let t = template(
            r#""p": {"type": "string", "defaultValue": "*"}"#,
            "",
            &format!(
                r#"{{"type": "Microsoft.Resources/deployments", "name": "one", "apiVersion": "2022-09-01",
                    "properties": {{"expressionEvaluationOptions": {{"scope": "inner"}},
                      "parameters": {{"p": {{"value": "[parameters('p')]"}}}},
                      "template": {{"parameters": {{"p": {{"type": "string"}}}}, "resources": [{inner}]}}}}}}"#
            ),
        );
        let (_, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(notes.is_empty(), "{notes:?}");
        let r = rs.iter().find(|r| r.is_type("X.Y/in")).unwrap();
        assert_eq!(prop(r, &["properties", "p"]).as_str(), Some("*"));
        let labels: Vec<&str> = r.provenance.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            ["default value of parameter `p` (passed to the nested template as `p`)"]
        );
    }

    /// An object passed to a nested template names, for each member read from a parameter,
    /// that parameter; a member written as a literal names the object in the call.
    #[test]
    fn each_member_of_an_object_passed_down_names_its_own_origin() {
        let t = template(
            r#""src": {"type": "string", "defaultValue": "*"}, "nsgName": {"type": "string", "defaultValue": "n"}"#,
            "",
            r#"{"type": "Microsoft.Resources/deployments", "name": "one", "apiVersion": "2022-09-01",
                "properties": {"expressionEvaluationOptions": {"scope": "inner"},
                  "parameters": {"config": {"value": {"name": "[parameters('nsgName')]", "port": "22", "source": "[parameters('src')]"}}},
                  "template": {"parameters": {"config": {"type": "object"}},
                    "resources": [{"type": "X.Y/in", "name": "[parameters('config').name]",
                      "properties": {"s": "[parameters('config').source]", "p": "[parameters('config').port]"}}]}}}"#,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(notes.is_empty(), "{notes:?}");
        let r = rs.iter().find(|r| r.is_type("X.Y/in")).unwrap();
        assert_eq!(prop(r, &["properties", "s"]).as_str(), Some("*"));
        let origin = |key: &str| -> Vec<(String, String)> {
            let at = r.body.path(&["properties", key]).unwrap().span;
            r.provenance
                .iter()
                .filter(|p| p.used_at == at)
                .map(|p| (p.label.clone(), text(&f, p.from).to_string()))
                .collect()
        };
        assert_eq!(
            origin("s"),
            [(
                "default value of parameter `src` (passed to the nested template as `config`)"
                    .to_string(),
                "\"defaultValue\": \"*\"".to_string()
            )]
        );
        let port = origin("p");
        assert_eq!(port.len(), 1, "{port:?}");
        assert_eq!(
            port[0].0,
            "value of parameter `config` passed to the nested template"
        );
        assert!(port[0].1.starts_with("\"value\": {\"name\""), "{port:?}");
    }

    #[test]
    fn nested_templates_inner_and_outer() {
        let t = template(
            r#""src": {"type": "string", "defaultValue": "*"}"#,
            r#""tag": "outer""#,
            r#"{"type": "Microsoft.Resources/deployments", "name": "inner", "apiVersion": "2022-09-01",
                "properties": {"expressionEvaluationOptions": {"scope": "inner"},
                  "parameters": {"p": {"value": "[concat(parameters('src'), '!')]"}},
                  "template": {"parameters": {"p": {"type": "string"}}, "variables": {"tag": "inner"},
                    "resources": [{"type": "X.Y/in", "name": "[variables('tag')]", "properties": {"p": "[parameters('p')]"}}]}}},
               {"type": "Microsoft.Resources/deployments", "name": "outer", "apiVersion": "2022-09-01",
                "condition": "[equals(parameters('src'), reference('x').y)]",
                "properties": {"template": {"resources": [{"type": "X.Y/out", "name": "[variables('tag')]", "properties": {"p": "[parameters('src')]"}}]}}}"#,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(notes.is_empty(), "{notes:?}");
        let inner = rs.iter().find(|r| r.is_type("X.Y/in")).unwrap();
        assert_eq!(inner.name(), Some("inner"));
        assert_eq!(prop(inner, &["properties", "p"]).as_str(), Some("*!"));
        // The inner value came from the outer parameter's default: the origin names it, through
        // the deployment's parameter.
        let p = inner
            .provenance
            .iter()
            .find(|p| {
                p.label == "default value of parameter `src` (passed to the nested template as `p`)"
            })
            .unwrap();
        assert_eq!(text(&f, p.from), "\"defaultValue\": \"*\"");
        let outer = rs.iter().find(|r| r.is_type("X.Y/out")).unwrap();
        assert_eq!(outer.name(), Some("outer"));
        assert_eq!(prop(outer, &["properties", "p"]).as_str(), Some("*"));
        assert!(outer
            .provenance
            .iter()
            .any(|p| p.label == "default value of parameter `src`"));
        assert!(outer.conditional.is_some());
    }

    #[test]
    fn nested_templates_take_their_parents_api_profile_unless_they_name_one() {
        let t = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "apiProfile": "2019-03-01-hybrid", "resources": [
          {"type": "X.Y/top", "name": "top"},
          {"type": "Microsoft.Resources/deployments", "name": "plain", "apiVersion": "2022-09-01",
           "properties": {"template": {"resources": [{"type": "X.Y/inherits", "name": "i"}]}}},
          {"type": "Microsoft.Resources/deployments", "name": "own", "apiVersion": "2022-09-01",
           "properties": {"expressionEvaluationOptions": {"scope": "inner"},
             "template": {"apiProfile": "2020-09-01-other", "resources": [{"type": "X.Y/own", "name": "o"}]}}}]}"#;
        let (_, rs, _) = run(&[("main.json", t)], &EvalOptions::default());
        let profile = |t: &str| {
            rs.iter()
                .find(|r| r.is_type(t))
                .unwrap()
                .api_profile
                .clone()
        };
        assert_eq!(profile("X.Y/top").as_deref(), Some("2019-03-01-hybrid"));
        assert_eq!(
            profile("X.Y/inherits").as_deref(),
            Some("2019-03-01-hybrid")
        );
        assert_eq!(profile("X.Y/own").as_deref(), Some("2020-09-01-other"));
        assert!(rs
            .iter()
            .find(|r| r.is_type("X.Y/top"))
            .unwrap()
            .targets_azure_stack_hub());
        assert!(!rs
            .iter()
            .find(|r| r.is_type("X.Y/own"))
            .unwrap()
            .targets_azure_stack_hub());
    }

    #[test]
    fn hostile_templates_end() {
        // Doubling variables: the budget ends the evaluation, with a warning.
        let mut vars = String::from(r#""v0": "[createArray(1, 2, 3, 4, 5, 6, 7, 8)]""#);
        for i in 1..30 {
            vars.push_str(&format!(
                r#", "v{i}": "[concat(variables('v{0}'), variables('v{0}'))]""#,
                i - 1
            ));
        }
        let t = template(
            "",
            &vars,
            r#"{"type": "X.Y/z", "name": "z", "properties": {"x": "[length(variables('v29'))]"}}"#,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(prop(&rs[0], &["properties", "x"]).is_unknown());
        // The limit that stopped it names the construct and points at its definition.
        let n = notes
            .iter()
            .find(|n| {
                n.message
                    .contains("`concat()` building more than 10000 items")
            })
            .unwrap_or_else(|| panic!("{notes:#?}"));
        assert!(n.message.contains("in the variable `v11`"), "{}", n.message);
        assert!(text(&f, n.span.unwrap()).starts_with("\"v11\": \"[concat("));
        // A long chain of variables stops at the chain limit, with a warning.
        let mut vars = String::from(r#""c0": "x""#);
        for i in 1..2000 {
            vars.push_str(&format!(r#", "c{i}": "[variables('c{}')]""#, i - 1));
        }
        let t = template(
            "",
            &vars,
            r#"{"type": "X.Y/z", "name": "[variables('c1999')]"}"#,
        );
        let (_, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert_eq!(rs[0].name(), None);
        assert!(
            notes.iter().any(|n| n.message
                == "the variable `c1967` is defined through a chain of more than 32 parameters and variables; its value is unknown"),
            "{notes:#?}"
        );
        // Work that grows faster than the template: the work limit names what was evaluated.
        let t = template(
            "",
            r#""n": "[range(0, 5000)]""#,
            r#"{"type": "X.Y/z", "name": "z", "copy": {"name": "c", "count": 800}, "properties": {"copy": [{"name": "p", "count": 800, "input": "[length(variables('n'))]"}]}}"#,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert_eq!(rs.len(), 800);
        let n = notes
            .iter()
            .find(|n| {
                n.message
                    .contains("stopped at the work limit of this template")
            })
            .unwrap_or_else(|| panic!("{notes:#?}"));
        assert!(
            n.message
                .starts_with("evaluation of the resource `X.Y/z` `z` stopped"),
            "{}",
            n.message
        );
        assert!(text(&f, n.span.unwrap()).starts_with("{\"type\": \"X.Y/z\""));
    }

    /// A copy loop of 800 rules inside a copy loop of 800 resources (640,000 rules from a 1 KB
    /// template) stops at the template's budget, in memory as in time, with a warning naming
    /// the resource; every resource instance is still there.
    #[test]
    fn nested_copy_loops_stop_at_the_budget() {
        let t = template(
            "",
            "",
            r#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "[concat('n', copyIndex())]", "location": "westeurope", "copy": {"name": "c", "count": 800},
                "properties": {"copy": [{"name": "securityRules", "count": 800, "input": {"name": "[concat('r', copyIndex('securityRules'))]",
                  "properties": {"priority": "[add(100, copyIndex('securityRules'))]", "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                  "sourcePortRange": "*", "destinationPortRange": "22", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"}}}]}}"#,
        );
        let started = std::time::Instant::now();
        let (_, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert_eq!(rs.len(), 800);
        // The first resources are complete, the last ones' rules are unknown.
        assert_eq!(
            prop(&rs[0], &["properties", "securityRules"]).items().len(),
            800
        );
        assert!(prop(&rs[799], &["properties", "securityRules"]).is_unknown());
        let nodes: usize = rs.iter().map(|r| size(&r.body)).sum();
        assert!(nodes < 1_500_000, "{nodes} nodes");
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert!(
            notes[0].message.starts_with("evaluation of the resource `Microsoft.Network/networkSecurityGroups` `[concat('n', copyIndex())]` stopped at the work limit of this template"),
            "{}",
            notes[0].message
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(60));

        fn size(n: &Node) -> usize {
            1 + match &n.value {
                Value::Array(a) => a.iter().map(size).sum(),
                Value::Object(m) => m.iter().map(|m| size(&m.value)).sum(),
                _ => 0,
            }
        }
    }

    /// Strings and values doubled through variables stop at their size bound, with a warning
    /// that names the function and the variable, in a fraction of a second.
    #[test]
    fn values_doubled_through_variables_stop_at_a_size_bound() {
        for (first, double, expected) in [
            (
                r#""xxxxxxxxxx""#,
                "concat(variables('a$P'), variables('a$P'))",
                "`concat()` building a string longer than 1048576 bytes in the variable `a17` exceeds what batchguard evaluates; that value is unknown",
            ),
            (
                r#""xxxxxxxxxx""#,
                "format('{0}{1}', variables('a$P'), variables('a$P'))",
                "`format()` building a string longer than 1048576 bytes in the variable `a17` exceeds what batchguard evaluates; that value is unknown",
            ),
            (
                r#""x""#,
                "createArray(variables('a$P'), variables('a$P'))",
                "the variable `a17` holds more than",
            ),
            (
                r#"{"k": "x"}"#,
                "union(variables('a$P'), createObject(concat('k', string($I)), variables('a$P')))",
                "the variable `a17` holds more than",
            ),
        ] {
            let mut vars = format!(r#""a0": {first}"#);
            for i in 1..26 {
                let e = double
                    .replace("$P", &(i - 1).to_string())
                    .replace("$I", &i.to_string());
                vars.push_str(&format!(r#", "a{i}": "[{e}]""#));
            }
            let t = template(
                "",
                &vars,
                r#"{"type": "X.Y/z", "name": "z", "properties": {"x": "[length(string(variables('a25')))]", "y": "ok"}}"#,
            );
            let started = std::time::Instant::now();
            let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
            assert!(prop(&rs[0], &["properties", "x"]).is_unknown(), "{double}");
            assert_eq!(prop(&rs[0], &["properties", "y"]).as_str(), Some("ok"));
            assert_eq!(notes.len(), 1, "{double}: {notes:#?}");
            assert!(notes[0].message.starts_with(expected), "{}", notes[0].message);
            let at = text(&f, notes[0].span.unwrap());
            assert!(at.starts_with("\"a1") || at.starts_with("\"["), "{at}");
            assert!(started.elapsed() < std::time::Duration::from_secs(20));
        }
    }

    /// A lambda that doubles its accumulator stops at the size a variable may hold (D39), with
    /// one warning.
    #[test]
    fn values_doubled_by_a_lambda_stop_at_a_size_bound() {
        let vars = r#""r": "[reduce(range(0, 5000), createObject(), lambda('acc', 'x', union(lambdaVariables('acc'), createObject(string(lambdaVariables('x')), lambdaVariables('acc')))))]""#;
        let t = template(
            "",
            vars,
            r#"{"type": "X.Y/z", "name": "z", "properties": {"x": "[length(string(variables('r')))]", "y": "[length(map(range(0, 3), lambda('i', lambdaVariables('i'))))]"}}"#,
        );
        let (_, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(prop(&rs[0], &["properties", "x"]).is_unknown());
        assert_eq!(prop(&rs[0], &["properties", "y"]).as_i64(), Some(3));
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert!(
            notes[0]
                .message
                .starts_with("`reduce()` building more than"),
            "{}",
            notes[0].message
        );
    }

    /// Copy loops of nested deployments multiply their resources (here 200 × 200 × 200): the
    /// template stops at the resource instances it may build, with a warning at the resource
    /// that goes past them.
    #[test]
    fn copies_of_nested_deployments_stop_at_the_instance_limit() {
        let mut inner = r#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "[concat('n', copyIndex())]", "copy": {"name": "n", "count": 200}, "properties": {}}"#.to_string();
        for level in 0..2 {
            inner = format!(
                r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "[concat('d{level}-', copyIndex())]", "copy": {{"name": "c{level}", "count": 200}}, "properties": {{"mode": "Incremental", "expressionEvaluationOptions": {{"scope": "inner"}}, "template": {}}}}}"#,
                template("", "", &inner)
            );
        }
        let t = template("", "", &inner);
        let started = std::time::Instant::now();
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(rs.len() <= MAX_INSTANCES, "{}", rs.len());
        assert!(rs.len() >= MAX_INSTANCES / 2, "{}", rs.len());
        let n = notes
            .iter()
            .find(|n| n.message.contains("goes past the 20000 resource instances"))
            .unwrap_or_else(|| panic!("{notes:#?}"));
        assert!(
            n.message.starts_with("the resource `Microsoft.Network/networkSecurityGroups` `[concat('n', copyIndex())]` goes past"),
            "{}",
            n.message
        );
        assert!(text(&f, n.span.unwrap())
            .starts_with("{\"type\": \"Microsoft.Network/networkSecurityGroups\""));
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }

    /// `range()` past its bound says how many items it would have had.
    #[test]
    fn a_huge_range_is_named_with_its_size() {
        let t = template(
            "",
            "",
            r#"{"type": "X.Y/z", "name": "z", "properties": {"x": "[length(range(0, 2000000))]"}}"#,
        );
        let (_, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(prop(&rs[0], &["properties", "x"]).is_unknown());
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert_eq!(notes[0].message, "`range()` of 2000000 items (more than 10000) in the resource `X.Y/z` `z` exceeds what batchguard evaluates; that value is unknown");
    }

    /// Nested deployments deeper than the limit are named in a warning at each of them: their
    /// resources are not analysed, and the scan says so.
    #[test]
    fn nested_deployments_past_the_limit_are_named() {
        let nsg = r#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "deep", "properties": {}}"#;
        let mut inner = nsg.to_string();
        for level in (0..14).rev() {
            inner = format!(
                r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d{level}", "properties": {{"mode": "Incremental", "template": {}}}}}"#,
                template("", "", &inner)
            );
        }
        let t = template("", "", &inner);
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(rs.iter().any(|r| r.name() == Some("d11")));
        assert!(!rs.iter().any(|r| r.name() == Some("deep")));
        assert_eq!(notes.len(), 1, "{notes:#?}");
        assert_eq!(
            notes[0].message,
            "the nested deployment `d12` is 13 levels deep; nested templates deeper than 12 levels are not evaluated, so its resources are not analysed"
        );
        // At the deployment's header, `"type": "Microsoft.Resources/deployments"`, of `d12`.
        let at = notes[0].span.unwrap();
        assert_eq!(
            text(&f, at),
            "\"type\": \"Microsoft.Resources/deployments\""
        );
        let after = &f[at.file].text[at.end..];
        assert!(after.starts_with(", \"apiVersion\": \"2022-09-01\", \"name\": \"d12\""));
    }

    /// Outputs are not evaluated, but an expression there that cannot be read is named at it; a
    /// readable one is not.
    #[test]
    fn unreadable_output_expressions_are_named() {
        let deep = format!("[{}1{}]", "add(1,".repeat(100), ")".repeat(100));
        let t = template("", "", "").replace(
            "\"resources\": []",
            &format!(
                "\"resources\": [], \"outputs\": {{\"ok\": {{\"type\": \"int\", \"value\": \"[add(1, 2)]\"}}, \"deep\": {{\"type\": \"int\", \"value\": \"{deep}\"}}, \"list\": {{\"type\": \"array\", \"value\": [\"[concat(]\"]}}}}"
            ),
        );
        let (f, _, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        let found: Vec<(&str, &str)> = notes
            .iter()
            .map(|n| (text(&f, n.span.unwrap()), n.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].0, format!("\"{deep}\""));
        assert_eq!(found[0].1, "this output's template expression cannot be read (expression nested too deeply); its value is unknown");
        assert_eq!(found[1].0, "\"[concat(]\"");
    }

    /// So are unreadable expressions in variables and parameter defaults that nothing used; one
    /// that evaluation read is named once, by evaluation.
    #[test]
    fn unreadable_expressions_nothing_used_are_named_once() {
        let t = template(
            r#""p": {"type": "string", "defaultValue": "[concat('a',]"}, "q": {"type": "string", "defaultValue": "[toLower('A')]"}"#,
            r#""unused": {"x": ["[format(]"]}, "used": "[add(1,]", "fine": "[add(1, 2)]""#,
            r#"{"type": "X.Y/z", "name": "z", "properties": {"a": "[variables('used')]", "b": "[parameters('q')]"}}"#,
        );
        let (f, _, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        let mut found: Vec<(&str, &str)> = notes
            .iter()
            .map(|n| (text(&f, n.span.unwrap()), n.message.as_str()))
            .collect();
        found.sort();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].0, "\"[add(1,]\"");
        assert!(
            found[0].1.ends_with("its value is unknown"),
            "{}",
            found[0].1
        );
        assert_eq!(found[1].0, "\"[concat('a',]\"");
        assert!(
            found[1]
                .1
                .starts_with("this parameter default's template expression cannot be read")
                && found[1]
                    .1
                    .ends_with("nothing evaluated uses it, so no finding depends on it"),
            "{}",
            found[1].1
        );
        assert_eq!(found[2].0, "\"[format(]\"");
        assert!(
            found[2]
                .1
                .starts_with("this variable's template expression"),
            "{}",
            found[2].1
        );
    }

    /// D39: the budget follows the template's size. A template whose evaluation is linear in its
    /// size is evaluated to the end, however large: here 800 resources of 100 rules each, every
    /// rule read from a variable built by a copy loop.
    #[test]
    fn large_linear_templates_are_evaluated_completely() {
        let t = template(
            r#""ports": {"type": "array", "defaultValue": [22, 80, 443, 3389, 8080]}"#,
            r#""copy": [{"name": "rules", "count": 100, "input": {"name": "[format('r{0}', copyIndex('rules'))]", "port": "[parameters('ports')[mod(copyIndex('rules'), 5)]]"}}]"#,
            r#"{"type": "X.Y/z", "name": "[format('z{0}', copyIndex())]", "copy": {"name": "c", "count": 800},
                "properties": {"copy": [{"name": "rules", "count": "[length(variables('rules'))]", "input": {"name": "[variables('rules')[copyIndex('rules')].name]", "port": "[variables('rules')[copyIndex('rules')].port]"}}]}}"#,
        );
        let (_, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(notes.is_empty(), "{notes:#?}");
        assert_eq!(rs.len(), 800);
        let rules = prop(&rs[799], &["properties", "rules"]).items();
        assert_eq!(rules.len(), 100);
        assert_eq!(rules[99].get("name").and_then(Node::as_str), Some("r99"));
        assert_eq!(rules[98].get("port").and_then(Node::as_i64), Some(3389));
    }

    /// Compiled Bicep writes an object in one expression; each member keeps the place of the
    /// argument it came from, and only the parameters it came from are its origins.
    #[test]
    fn values_keep_the_place_and_origins_they_came_from() {
        let t = template(
            r#""pna": {"type": "string", "defaultValue": "Disabled"},
               "hbi": {"type": "bool", "defaultValue": false},
               "cfg": {"type": "object", "defaultValue": {"sku": "Basic", "tier": "[toUpper('free')]"}},
               "ids": {"type": "array", "defaultValue": ["a/b/c", "d/e/f"]}"#,
            "",
            r#"{"type": "X.Y/z", "name": "z", "properties": "[union(parameters('cfg'), createObject('hbiWorkspace', parameters('hbi'), 'note', 'say \"hi\" – é', 'publicNetworkAccess', parameters('pna'), 'sku', parameters('cfg').sku, 'tier', tryGet(parameters('cfg'), 'tier'), 'last', last(split(parameters('ids')[1], '/'))))]"}"#,
        );
        let (f, rs, notes) = run(&[("main.json", &t)], &EvalOptions::default());
        assert!(notes.is_empty(), "{notes:?}");
        let r = &rs[0];
        let props = r.body.member("properties").unwrap();
        let member = |k: &str| props.value.member(k).unwrap_or_else(|| panic!("{k}"));
        // A literal keeps its own place, even after escapes and non-ASCII text in the string.
        let note = member("note");
        assert_eq!(note.value.as_str(), Some("say \"hi\" – é"));
        assert_eq!(text(&f, note.span()), r#"'note', 'say \"hi\" – é'"#);
        // A parameter's value is at the call that read it: the member from its key.
        let pna = member("publicNetworkAccess");
        assert_eq!(
            text(&f, pna.span()),
            "'publicNetworkAccess', parameters('pna')"
        );
        // A property access, `tryGet()` and a computed value are at the smallest expression.
        assert_eq!(text(&f, member("sku").value.span), "parameters('cfg').sku");
        assert_eq!(
            text(&f, member("tier").value.span),
            "tryGet(parameters('cfg'), 'tier')"
        );
        assert_eq!(member("tier").value.as_str(), Some("FREE"));
        assert_eq!(
            text(&f, member("last").value.span),
            "last(split(parameters('ids')[1], '/'))"
        );
        assert_eq!(member("last").value.as_str(), Some("f"));
        // The object itself is the whole property value.
        assert!(text(&f, props.value.span).starts_with("\"[union("));
        // Provenance: each member names its own parameter only, where the member is.
        let from = |m: &Member| -> Vec<String> {
            let at = m.span();
            let mut v: Vec<String> = r
                .provenance
                .iter()
                .filter(|p| p.used_at.start <= at.start && at.end <= p.used_at.end)
                .map(|p| p.label.clone())
                .collect();
            v.sort();
            v
        };
        assert_eq!(from(pna), ["default value of parameter `pna`"]);
        assert_eq!(
            from(member("hbiWorkspace")),
            ["default value of parameter `hbi`"]
        );
        assert!(from(note).is_empty());
        assert_eq!(from(member("last")), ["default value of parameter `ids`"]);
        // A member's key is where `createObject()` writes it.
        assert_eq!(text(&f, member("tier").key_span), "'tier'");
        assert_eq!(from(member("sku")), ["default value of parameter `cfg`"]);
    }

    /// A parameter of a user-defined type (`$ref` into `definitions`, as Bicep compiles it) that
    /// the type declares nullable is null when no value is given: conditions and loops on it
    /// are decided, and the resource names built with `coalesce()` and `tryGet()` are known.
    #[test]
    fn nullable_user_defined_types_and_names_from_defaults() {
        let t = r##"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "languageVersion": "2.0", "contentVersion": "1.0.0.0",
          "definitions": {"lockType": {"type": "object", "properties": {"name": {"type": "string", "nullable": true}}, "nullable": true},
                          "peType": {"type": "array", "items": {"type": "object"}, "nullable": true},
                          "alias": {"$ref": "#/definitions/peType"}},
          "parameters": {"name": {"type": "string", "defaultValue": "Ws-01"},
                         "lock": {"$ref": "#/definitions/lockType"},
                         "pes": {"$ref": "#/definitions/alias"},
                         "config": {"type": "object", "defaultValue": {}},
                         "required": {"$ref": "#/definitions/requiredType"}},
          "resources": {
            "ws": {"type": "X.Y/ws", "apiVersion": "2024-01-01",
                   "name": "[coalesce(tryGet(parameters('config'), 'name'), format('{0}-{1}', toLower(replace(parameters('name'), '-', '')), take(uniqueString(resourceGroup().id, parameters('name')), 5)))]"},
            "lock": {"type": "X.Y/lock", "apiVersion": "2024-01-01", "condition": "[not(empty(coalesce(parameters('lock'), createObject())))]",
                     "name": "[coalesce(tryGet(parameters('lock'), 'name'), format('lock-{0}', parameters('name')))]"},
            "pe": {"type": "X.Y/pe", "apiVersion": "2024-01-01", "copy": {"name": "pe", "count": "[length(coalesce(parameters('pes'), createArray()))]"},
                   "name": "[format('pe-{0}', copyIndex())]"},
            "merged": {"type": "X.Y/m", "apiVersion": "2024-01-01",
                       "name": "[union(createObject('n', 'a'), createObject('n', parameters('name'))).n]"},
            "unknown": {"type": "X.Y/u", "apiVersion": "2024-01-01", "name": "[parameters('required')]"}}}"##;
        let (_, rs, notes) = run(&[("main.json", t)], &EvalOptions::default());
        assert!(notes.is_empty(), "{notes:?}");
        let names: Vec<String> = rs.iter().map(Resource::display).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names[0].starts_with("X.Y/ws 'ws01-"), "{names:?}");
        assert_eq!(names[0].len(), "X.Y/ws 'ws01-'".len() + 5);
        assert_eq!(names[1], "X.Y/m 'Ws-01'");
        assert_eq!(names[2], "X.Y/u `[parameters('required')]`");
    }

    /// A name none of whose segments is known is shown as the expression that writes it when
    /// that is short, else as `'?'`; one with a known segment keeps its segments.
    #[test]
    fn unknown_names_shown_by_their_expression_when_short() {
        let t = r##"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
          "parameters": {"a": {"type": "string"}, "b": {"type": "string"}},
          "resources": [
            {"type": "X.Y/s", "apiVersion": "2024-01-01", "name": "[parameters('a')]"},
            {"type": "X.Y/l", "apiVersion": "2024-01-01", "name": "[format('{0}-{1}-{2}', parameters('a'), parameters('b'), uniqueString(resourceGroup().id))]"},
            {"type": "X.Y/l/c", "apiVersion": "2024-01-01", "name": "[concat(parameters('a'), '/c')]"}]}"##;
        let (_, rs, _) = run(&[("main.json", t)], &EvalOptions::default());
        let names: Vec<String> = rs.iter().map(Resource::display).collect();
        assert_eq!(
            names,
            ["X.Y/s `[parameters('a')]`", "X.Y/l '?'", "X.Y/l/c '?/c'"]
        );
        let short: Vec<String> = rs.iter().map(Resource::short_display).collect();
        assert_eq!(short, ["s `[parameters('a')]`", "l '?'", "c '?/c'"]);
    }
}
