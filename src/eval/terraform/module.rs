//! One Terraform module instance: the declarations of a module directory (variables, locals,
//! resources, module calls, outputs) with its variable values. Variables take Terraform's
//! precedence (defaults, `TF_VAR_name`, the module's variable files, then `-var` and `-var-file`
//! in command-line order); a local module call becomes a child module instance per
//! `count` / `for_each` instance, with the call's arguments as its variables; `count` and
//! `for_each` expand into instances; and every resource instance is lowered through the front-end
//! with an [`InstanceEval`] that evaluates its expressions in the module ([`super::expr`]).

use super::expr::{respan, Env};
use super::types::{bool_of, number_of, Ty};
use super::value::{as_number, from_json, sorted_members, unknown, ERROR};
use super::Scope;
use crate::eval::EvalOptions;
use crate::findings::{Level, Notification};
use crate::frontend::hcl::{Ctx, Evaluator, MAX_DYNAMIC_ELEMENTS};
use crate::frontend::terraform::{
    is_override_file, lower_resource, resource_block, Bodies, OverrideBlock, ResourceBlock,
};
use crate::frontend::tfjson::SpanMap;
use crate::hash::HashMap;
use crate::ir::{DocKind, Document, Node, Provenance, Resource, Span, Value};
use crate::source::{FileId, SourceFile};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Structure};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

/// Deepest chain of local module calls followed: one of the fixed limits D39 keeps.
const MAX_MODULE_DEPTH: usize = 12;
/// Most instances one `count` or `for_each` expands to.
pub const MAX_INSTANCES: usize = 1000;
/// Most resource and module instances one root module evaluates, all module calls included,
/// and most module instances among them: a chain of module calls with a `count` each multiplies
/// them (1000 × 1000 × …).
pub const MAX_ROOT_INSTANCES: usize = 20_000;
pub const MAX_MODULE_INSTANCES: usize = 2_000;
/// Most elements the `dynamic` blocks of one root module expand to, all instances included.
pub const MAX_ROOT_BLOCKS: usize = 50_000;

// The work limits follow the input (D39): a module instance may spend a fixed minimum plus an
// amount proportional to its input (the text of its files, and the values its variables were
// given). A module whose evaluation is linear in its size stays far below them; only runaway
// input (exponential growth, a value doubled again and again) reaches them.

/// Expression evaluations (and values copied) any module instance may spend.
const MIN_STEPS: u64 = 2_000_000;
/// Further evaluations per byte of input. A module whose evaluation is linear in its size
/// spends a few per byte (the generated network module of `tests/eval_limits.rs`, one).
const STEPS_PER_BYTE: u64 = 200;
/// Nodes a local, output or attribute value may hold at least, and per byte of input.
const MIN_VALUE_NODES: usize = 100_000;
const VALUE_NODES_PER_BYTE: usize = 8;
/// What one node of a variable's value counts as, in bytes of input; and how many bytes of a
/// string count as one node of a value.
const BYTES_PER_NODE: usize = 16;

/// Where a value came from, for a related location on findings that use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub from: Span,
    pub label: String,
    /// The value of a variable declared `sensitive = true`: never quoted.
    pub secret: bool,
}

/// A variable's value and where it was set.
#[derive(Debug, Clone)]
pub struct VarValue {
    pub node: Node,
    pub origins: Vec<Origin>,
}

/// What every module instance of the scan shares.
pub struct Shared<'s> {
    pub files: &'s [SourceFile],
    pub docs: &'s [Document],
    /// The parsed bodies of the Terraform and tfvars files, by file id.
    pub bodies: &'s Bodies,
    /// Terraform documents by module directory (relative, `/`-separated, `""` for the root).
    pub dirs: BTreeMap<String, Vec<&'s Document>>,
    pub notes: RefCell<Vec<Notification>>,
    /// Resource and module instances of the root module being evaluated, and whether reaching
    /// [`MAX_ROOT_INSTANCES`] was reported.
    pub instances: Cell<usize>,
    pub instances_warned: Cell<bool>,
    /// The module instances among them.
    pub modules: Cell<usize>,
    /// Elements of `dynamic` blocks expanded in the root module, and whether reaching
    /// [`MAX_ROOT_BLOCKS`] was reported.
    pub blocks: Cell<usize>,
    pub blocks_warned: Cell<bool>,
    /// The plan (a [`DocKind::TerraformPlan`] document) made from the root module in a
    /// directory, whose variable values that module is evaluated with.
    pub plans: BTreeMap<String, &'s Document>,
    /// The directories a local `module` call of another scanned directory names: child modules.
    /// Terraform never runs one as a root, so evaluated on its own it takes its variables'
    /// defaults, not the environment's, its own tfvars files' or the command line's (§1.13).
    pub called: crate::hash::HashSet<String>,
    /// Whether evaluation met something whose outcome may depend on the order in which values
    /// were first asked for: a value or a `count` that refers to itself, a limit or a bound
    /// reached (every warning). A root module evaluated in parts ([`super::parts`]) is then
    /// evaluated again whole.
    pub order_dependent: Cell<bool>,
}

impl<'s> Shared<'s> {
    pub fn new(
        files: &'s [SourceFile],
        docs: &'s [Document],
        bodies: &'s Bodies,
        dirs: BTreeMap<String, Vec<&'s Document>>,
        plans: BTreeMap<String, &'s Document>,
    ) -> Self {
        let called = called_dirs(&dirs, bodies);
        Shared {
            files,
            docs,
            bodies,
            dirs,
            plans,
            called,
            notes: RefCell::default(),
            instances: Cell::new(0),
            instances_warned: Cell::new(false),
            modules: Cell::new(0),
            blocks: Cell::new(0),
            blocks_warned: Cell::new(false),
            order_dependent: Cell::new(false),
        }
    }
}

impl Shared<'_> {
    /// The scan root on disk: a scanned file's path without its path relative to the root.
    pub fn root(&self) -> Option<std::path::PathBuf> {
        let f = self.files.first()?;
        let mut root = f.path.clone();
        for _ in f.rel.split('/') {
            root.pop();
        }
        Some(root)
    }

    /// Whether `path`, written in the module directory `dir` (relative to the scan root), names
    /// something outside the scanned tree: an absolute or home path, `..` above the root, or a
    /// symbolic link that leads out of it. Only the path's metadata is looked at, never the file.
    pub fn outside(&self, dir: &str, path: &str) -> bool {
        let p = std::path::Path::new(path);
        if p.is_absolute() || path.starts_with(['/', '\\', '~']) || path.get(1..2) == Some(":") {
            return true;
        }
        let Some(rel) = join_dir(dir, path) else {
            return true;
        };
        let Some(root) = self.root() else {
            return false;
        };
        match (
            std::fs::canonicalize(&root),
            std::fs::canonicalize(root.join(&rel)),
        ) {
            (Ok(root), Ok(target)) => !target.starts_with(root),
            _ => false,
        }
    }

    pub fn note(&self, message: String, span: Span) {
        self.notes.borrow_mut().push(Notification {
            level: Level::Note,
            message,
            span: Some(span),
            file: Some(span.file),
        });
    }

    /// How many of `n` more instances of `what` (defined at `at`) the root module being
    /// evaluated may have; a warning names the first construct that goes past
    /// [`MAX_ROOT_INSTANCES`].
    /// `module` when they are module instances ([`MAX_MODULE_INSTANCES`]). Called with 0 once
    /// the root module is [`Shared::full`], before the instances are expanded.
    pub fn admit(&self, n: usize, module: bool, what: impl FnOnce() -> String, at: Span) -> usize {
        let used = self.instances.get();
        let mut admitted = n.min(MAX_ROOT_INSTANCES.saturating_sub(used));
        if module {
            admitted = admitted.min(MAX_MODULE_INSTANCES.saturating_sub(self.modules.get()));
            self.modules.set(self.modules.get() + admitted);
        }
        self.instances.set(used + admitted);
        if admitted < n && !self.instances_warned.replace(true) {
            self.warn(
                format!(
                    "{} goes past the {MAX_ROOT_INSTANCES} resource and module instances ({MAX_MODULE_INSTANCES} module instances) batchguard evaluates in one root module (module calls with `count` or `for_each` inside each other multiply them); from there on, instances are not analysed",
                    what()
                ),
                at,
            );
        }
        admitted
    }

    /// Whether the root module being evaluated has all the instances (module instances, with
    /// `module`) it may have: further ones are not expanded.
    pub fn full(&self, module: bool) -> bool {
        self.instances.get() >= MAX_ROOT_INSTANCES
            || (module && self.modules.get() >= MAX_MODULE_INSTANCES)
    }

    /// An error notification: an input Terraform would refuse (the scan exits 2).
    pub fn error(&self, message: String, span: Span) {
        self.notes.borrow_mut().push(Notification {
            level: Level::Error,
            message,
            span: Some(span),
            file: Some(span.file),
        });
    }

    pub fn warn(&self, message: String, span: Span) {
        self.order_dependent.set(true);
        self.notes.borrow_mut().push(Notification {
            level: Level::Warning,
            message,
            span: Some(span),
            file: Some(span.file),
        });
    }
}

impl Shared<'_> {
    /// A warning at the `source` of a call to the local module in `dir` (relative to the scan
    /// root) that no scanned Terraform document is in: Terraform would not find it, or the
    /// scan left it out, or its files did not parse (their own notifications say why).
    fn missing_module(&self, name: &str, source: &str, dir: &str, at: Span) {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let scanned = self.files.iter().any(|f| {
            f.rel.strip_prefix(&prefix).is_some_and(|rest| {
                !rest.contains('/') && (rest.ends_with(".tf") || rest.ends_with(".tf.json"))
            })
        });
        let why = match self.root().map(|root| root.join(dir).is_dir()) {
            _ if scanned => "whose Terraform files are scanned but could not be read",
            Some(true) => "whose folder holds no scanned Terraform file",
            Some(false) => "which does not exist",
            None => "which is not among the scanned files",
        };
        // Not [`Shared::warn`]: what follows does not depend on the order of evaluation.
        self.notes.borrow_mut().push(Notification {
            level: Level::Warning,
            message: format!(
                "module `{name}` calls `{source}`, {why}; what it deploys is not analysed, and \
                 its outputs are unknown"
            ),
            span: Some(at),
            file: Some(at.file),
        });
    }
}

/// An instance key: `[0]` or `["key"]`.
#[derive(Debug, Clone, PartialEq)]
pub enum InstKey {
    Index(usize),
    Key(String),
}

impl InstKey {
    pub fn suffix(&self) -> String {
        match self {
            InstKey::Index(i) => format!("[{i}]"),
            InstKey::Key(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }
}

/// One instance of a resource or module call: its key and what `each` / `count` mean in it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub key: InstKey,
    pub each: Option<(Node, Node)>,
    pub count: Option<Node>,
    /// Where the `for_each` collection came from: `each.key` and `each.value` name these.
    pub origins: Vec<Origin>,
}

/// What `each` and `count` stand for in the one instance analysed of a block whose `count` or
/// `for_each` is not known ([`Instances::Unresolved`]): Unknowns, as in Terraform, where they
/// are values not known until apply. Left unset, `each.value.x` would be an error, which
/// `try(each.value.x, null)` turns into its fallback, and the attribute would read as not set.
fn unknown_iteration(b: &Block, at: Span) -> (Option<(Node, Node)>, Option<Node>) {
    let has = |key: &str| b.body.attributes().any(|a| a.key.as_str() == key);
    let each = has("for_each").then(|| {
        let why = |part: &str| {
            unknown(
                format!("`each.{part}` is not known: the block's `for_each` is not known"),
                at,
            )
        };
        (why("key"), why("value"))
    });
    let count = has("count").then(|| {
        unknown(
            "`count.index` is not known: the block's `count` is not known",
            at,
        )
    });
    (each, count)
}

/// How many instances a block has.
#[derive(Debug, Clone)]
pub enum Instances {
    /// No `count` or `for_each`.
    Single,
    /// `count` / `for_each` not known: one instance, analysed as existing (D21).
    Unresolved(String),
    Keys(Vec<Instance>),
}

impl Instances {
    /// `count = 0` or `for_each` over nothing: the block makes nothing.
    fn is_none(&self) -> bool {
        matches!(self, Instances::Keys(k) if k.is_empty())
    }
}

/// Why the instances of the module call `name` of `m` may not exist: the module instance's own
/// condition, or the call's unresolved `count` / `for_each`.
fn call_conditional(m: &Module, name: &str, instances: &Instances) -> Option<String> {
    match instances {
        Instances::Unresolved(why) => {
            Some(m.conditional.clone().unwrap_or_else(|| {
                format!("the module call `module.{name}` is conditional: {why}")
            }))
        }
        _ => m.conditional.clone(),
    }
}

/// A block of the module with the file it is written in, and the map from the offsets of the
/// part of the file it was parsed in to the file's ([`crate::frontend::terraform::TfPart`]).
pub struct Located<'s, T> {
    pub file: FileId,
    pub map: Option<&'s SpanMap>,
    pub item: &'s T,
}

impl<T> Clone for Located<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Located<'_, T> {}

/// A local module call, evaluated.
pub struct Call<'s> {
    /// The instances with their modules; `keyed` when `count` / `for_each` resolved.
    pub instances: Vec<(Option<InstKey>, Rc<Module<'s>>)>,
    pub keyed: bool,
}

/// A memoised value and the origins it touched; `None` while being evaluated. Readers select
/// the part they need from the shared value (`Module::select`), so reading a member of a large
/// local costs the member, not the local.
type Memo = (Rc<Node>, Vec<Origin>);

/// One module instance: a directory's declarations with its variable values.
pub struct Module<'s> {
    pub shared: &'s Shared<'s>,
    pub dir: String,
    /// `""` for a root module, `module.m.` (or `module.m[0].`) for a child.
    pub prefix: String,
    pub docs: Vec<&'s Document>,
    /// Module directories from the root down to this one (calls that recurse are refused).
    pub stack: Vec<String>,
    /// Why this module instance may not exist (an unresolved `count` on a call above it).
    pub conditional: Option<String>,
    pub declared: HashMap<String, Located<'s, Block>>,
    pub vars: HashMap<String, VarValue>,
    pub locals: HashMap<String, Located<'s, hcl_edit::structure::Attribute>>,
    pub resources: HashMap<String, Located<'s, Block>>,
    /// The blocks of the module's override files for each resource (by address) and variable
    /// (by name), in the order Terraform applies them.
    pub resource_overrides: HashMap<String, Vec<Located<'s, Block>>>,
    pub variable_overrides: HashMap<String, Vec<Located<'s, Block>>>,
    pub calls: HashMap<String, Located<'s, Block>>,
    pub outputs: HashMap<String, Located<'s, Expression>>,
    memo: RefCell<HashMap<String, Option<Memo>>>,
    inst_memo: RefCell<HashMap<String, Option<Rc<Instances>>>>,
    /// The local module calls by name: `None` while being built, then the call (`None` when it
    /// is not a local module in the scan).
    children: RefCell<HashMap<String, Option<Option<Rc<Call<'s>>>>>>,
    /// Origins of the values read so far ([`Module::collect`] takes those of one evaluation,
    /// which start at `mark`).
    origins: RefCell<Vec<Origin>>,
    mark: Cell<usize>,
    /// Origins of the collection each `dynamic` iterator (by name) walks.
    pub(super) dyn_origins: RefCell<HashMap<String, Vec<Origin>>>,
    /// The evaluator's budget: current nesting, work done, and whether the limit was reported.
    pub(super) depth: Cell<usize>,
    pub(super) steps: Cell<u64>,
    pub(super) exhausted: Cell<bool>,
    /// Whether the nesting limit was reported.
    pub(super) too_deep: Cell<bool>,
    /// The work this instance may spend and the largest value it may build, from its input.
    pub(super) max_steps: Cell<u64>,
    max_nodes: Cell<usize>,
    /// What is being evaluated, innermost last (`local.x`, the `for_each` of a resource, …) with
    /// where it is defined: a limit names the construct that reached it.
    doing: RefCell<Vec<(String, Span)>>,
    /// The size bounds reported, by construct: each is reported once.
    pub(super) bounded: RefCell<crate::hash::HashSet<(Span, String)>>,
}

/// The input of a module instance, in bytes: the text of its files.
fn input_bytes(shared: &Shared, docs: &[&Document]) -> usize {
    docs.iter()
        .map(|d| shared.files.get(d.file).map_or(0, |f| f.text.len()))
        .sum()
}

/// Origins without repetitions, in order.
fn unique(o: Vec<Origin>) -> Vec<Origin> {
    let mut seen = crate::hash::HashSet::default();
    o.into_iter()
        .filter(|x| seen.insert((x.from, x.label.clone())))
        .collect()
}

/// The size of a value in nodes, a string counting one more per [`BYTES_PER_NODE`] bytes; stops
/// counting past `limit`.
fn size(n: &Node, limit: usize) -> usize {
    let mut count = 1;
    match &n.value {
        Value::Array(a) => {
            for i in a {
                count += size(i, limit);
                if count > limit {
                    break;
                }
            }
        }
        Value::Object(m) => {
            for x in m {
                count += size(&x.value, limit);
                if count > limit {
                    break;
                }
            }
        }
        Value::String(s) => count += s.len() / BYTES_PER_NODE,
        _ => {}
    }
    count
}

impl<'s> Module<'s> {
    /// Collects the declarations of a module's documents (variables without values yet).
    pub fn new(
        shared: &'s Shared<'s>,
        dir: String,
        docs: Vec<&'s Document>,
        prefix: String,
        stack: Vec<String>,
        conditional: Option<String>,
    ) -> Module<'s> {
        let mut m = Module {
            shared,
            dir,
            prefix,
            docs,
            stack,
            conditional,
            declared: HashMap::default(),
            vars: HashMap::default(),
            locals: HashMap::default(),
            resources: HashMap::default(),
            resource_overrides: HashMap::default(),
            variable_overrides: HashMap::default(),
            calls: HashMap::default(),
            outputs: HashMap::default(),
            memo: RefCell::default(),
            inst_memo: RefCell::default(),
            children: RefCell::default(),
            origins: RefCell::default(),
            mark: Cell::new(0),
            dyn_origins: RefCell::default(),
            depth: Cell::new(0),
            steps: Cell::new(0),
            exhausted: Cell::new(false),
            too_deep: Cell::new(false),
            max_steps: Cell::new(MIN_STEPS),
            max_nodes: Cell::new(MIN_VALUE_NODES),
            doing: RefCell::default(),
            bounded: RefCell::default(),
        };
        m.allow(input_bytes(shared, &m.docs));
        let (overriding, plain): (Vec<&Document>, Vec<&Document>) = m
            .docs
            .iter()
            .partition(|d| is_override_file(&shared.files[d.file].rel));
        for d in plain {
            let Some(body) = shared.bodies.get(&d.file) else {
                continue;
            };
            for (s, map) in body.structures() {
                let Structure::Block(b) = s else { continue };
                let label = |i: usize| b.labels.get(i).map(|l| l.as_str().to_string());
                match (b.ident.as_str(), b.labels.len()) {
                    ("variable", 1) => {
                        m.declared
                            .entry(label(0).unwrap_or_default())
                            .or_insert(Located {
                                file: d.file,
                                map,
                                item: b,
                            });
                    }
                    ("locals", 0) => {
                        for a in b.body.attributes() {
                            m.locals
                                .entry(a.key.as_str().to_string())
                                .or_insert(Located {
                                    file: d.file,
                                    map,
                                    item: a,
                                });
                        }
                    }
                    ("resource", 2) => {
                        let addr = format!("{}.{}", b.labels[0].as_str(), b.labels[1].as_str());
                        m.resources.entry(addr).or_insert(Located {
                            file: d.file,
                            map,
                            item: b,
                        });
                    }
                    ("module", 1) => {
                        m.calls
                            .entry(label(0).unwrap_or_default())
                            .or_insert(Located {
                                file: d.file,
                                map,
                                item: b,
                            });
                    }
                    ("output", 1) => {
                        if let Some(a) = b.body.attributes().find(|a| a.key.as_str() == "value") {
                            m.outputs
                                .entry(label(0).unwrap_or_default())
                                .or_insert(Located {
                                    file: d.file,
                                    map,
                                    item: &a.value,
                                });
                        }
                    }
                    _ => {}
                }
            }
        }
        for d in overriding {
            m.take_overrides(d);
        }
        m
    }

    /// The blocks of the override file `d`, merged as Terraform merges them: a local value
    /// replaces the one of that name, an output's `value` the output's, and a resource or
    /// variable block is kept beside the original, whose arguments and nested blocks it
    /// replaces ([`crate::frontend::terraform::resource_body`], [`Module::variable_argument`]).
    /// Terraform refuses an override block with no original; it is named in a warning.
    fn take_overrides(&mut self, d: &'s Document) {
        let shared = self.shared;
        let Some(body) = shared.bodies.get(&d.file) else {
            return;
        };
        for (s, map) in body.structures() {
            let Structure::Block(b) = s else { continue };
            let at = Located {
                file: d.file,
                map,
                item: b,
            };
            let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
            let original = match (b.ident.as_str(), labels.as_slice()) {
                ("resource", [t, n]) => {
                    let addr = format!("{t}.{n}");
                    let found = self.resources.contains_key(&addr);
                    if found {
                        self.resource_overrides.entry(addr).or_default().push(at);
                    }
                    found
                }
                ("variable", [n]) => {
                    let found = self.declared.contains_key(*n);
                    if found {
                        self.variable_overrides
                            .entry(n.to_string())
                            .or_default()
                            .push(at);
                    }
                    found
                }
                ("locals", []) => {
                    for a in b.body.attributes() {
                        let item = Located {
                            file: d.file,
                            map,
                            item: a,
                        };
                        self.locals.insert(a.key.as_str().to_string(), item);
                    }
                    true
                }
                ("output", [n]) => {
                    if let Some(a) = b.body.attributes().find(|a| a.key.as_str() == "value") {
                        let item = Located {
                            file: d.file,
                            map,
                            item: &a.value,
                        };
                        self.outputs.insert(n.to_string(), item);
                    }
                    true
                }
                _ => true,
            };
            if !original {
                let env = self.env(&at);
                let rel = &shared.files[d.file].rel;
                // Not [`Shared::warn`]: it does not depend on the order of evaluation.
                shared.notes.borrow_mut().push(Notification {
                    level: Level::Warning,
                    message: format!(
                        "the override file `{}` overrides `{} {}`, which no other file of the \
                         module declares; Terraform refuses an override without an original",
                        file_name(rel),
                        b.ident.as_str(),
                        labels.join("."),
                    ),
                    span: Some(span_of_block(&env, b)),
                    file: Some(d.file),
                });
            }
        }
    }

    /// The argument `key` of the variable `name`: from the last override file that sets it, or
    /// from the variable's declaration.
    fn variable_argument(
        &self,
        name: &str,
        key: &str,
    ) -> Option<(Located<'s, Block>, &'s hcl_edit::structure::Attribute)> {
        overridden_argument(
            self.variable_overrides.get(name),
            self.declared.get(name),
            key,
        )
    }

    /// The argument `key` written in the resource block at `addr` (`base`), or in the last of its
    /// override blocks that sets it.
    pub(super) fn resource_argument(
        &self,
        addr: &str,
        base: Located<'s, Block>,
        key: &str,
    ) -> Option<(Located<'s, Block>, &'s hcl_edit::structure::Attribute)> {
        overridden_argument(self.resource_overrides.get(addr), Some(&base), key)
    }

    pub fn text(&self, file: FileId) -> &'s str {
        self.shared.files.get(file).map_or("", |f| f.text.as_str())
    }

    /// Where `at` is written: its file, and the map of the part it was parsed in.
    pub fn env<T>(&self, at: &Located<'s, T>) -> Env<'s> {
        self.env_in(at.file, at.map)
    }

    /// An environment in `file`, for what was parsed in the part of it that `map` maps.
    pub fn env_in(&self, file: FileId, map: Option<&'s SpanMap>) -> Env<'s> {
        Env {
            map,
            ..Env::new(file, self.text(file))
        }
    }

    /// Evaluates with the origins it touches collected apart.
    pub fn collect<T>(&self, f: impl FnOnce() -> T) -> (T, Vec<Origin>) {
        let before = self.origins.borrow().len();
        let outer = self.mark.replace(before);
        let n = f();
        self.mark.set(outer);
        let mut o = self.origins.borrow_mut();
        let new = if before <= o.len() {
            o.split_off(before)
        } else {
            Vec::new()
        };
        (n, new)
    }

    /// Raises the work limits by `bytes` more of input (D39).
    fn allow(&self, bytes: usize) {
        let steps = STEPS_PER_BYTE.saturating_mul(bytes as u64);
        self.max_steps
            .set(self.max_steps.get().saturating_add(steps));
        let nodes = VALUE_NODES_PER_BYTE.saturating_mul(bytes);
        self.max_nodes
            .set(self.max_nodes.get().saturating_add(nodes));
    }

    /// Sets the variables' values, converted to their declared types, and raises the work limits
    /// by their size.
    pub(super) fn set_vars(&mut self, mut vals: HashMap<String, VarValue>) {
        // The values of variables declared `sensitive = true` are never quoted.
        for (name, v) in vals.iter_mut() {
            if self.declared.get(name).is_some_and(|d| sensitive(d.item)) {
                for o in &mut v.origins {
                    o.secret = true;
                }
            }
        }
        // Each value converted to its declared type (optional attributes' defaults).
        for (name, v) in vals.iter_mut() {
            let Some((decl, t)) = self.variable_argument(name, "type") else {
                continue;
            };
            let ty = Ty::of(&t.value);
            let env = self.env(&decl);
            let span = v.node.span;
            let node = std::mem::replace(&mut v.node, Node::new(Value::Null, span));
            v.node = self.conform(node, &ty, &env);
        }
        let max = self.max_nodes.get();
        let nodes: usize = vals.values().map(|v| size(&v.node, max)).sum();
        self.allow(nodes.saturating_mul(BYTES_PER_NODE));
        self.vars = vals;
    }

    /// Evaluates `f` as the construct `what` defined at `at`: a limit reached inside names it.
    pub(super) fn doing<T>(&self, what: String, at: Span, f: impl FnOnce() -> T) -> T {
        self.doing.borrow_mut().push((what.clone(), at));
        let out = crate::eval::guard::doing(what, at, f);
        self.doing.borrow_mut().pop();
        out
    }

    /// The construct being evaluated (the innermost) and where it is defined, for a limit's
    /// warning; the module instance itself, at `span`, outside any.
    pub(super) fn construct(&self, span: Span) -> (String, Span) {
        self.doing.borrow().last().cloned().unwrap_or_else(|| {
            let name = if self.prefix.is_empty() {
                "this module".to_string()
            } else {
                format!("`{}`", self.prefix.trim_end_matches('.'))
            };
            (name, span)
        })
    }

    /// Records that the value being evaluated read values with these origins.
    pub(super) fn touch(&self, origins: &[Origin]) {
        if origins.is_empty() {
            return;
        }
        let mut o = self.origins.borrow_mut();
        // Reading the same values again in one evaluation adds nothing (a `for` reads a variable
        // per element).
        if o.len() >= self.mark.get() + origins.len() && o[o.len() - origins.len()..] == *origins {
            return;
        }
        o.extend(origins.iter().cloned());
    }

    /// A memoised value (local, output, resource attribute) named `key` and defined at `def`,
    /// cycle-safe; `span` is where it is read.
    pub(super) fn memoised(
        &self,
        key: String,
        span: Span,
        def: Span,
        f: impl FnOnce() -> Node,
    ) -> Rc<Node> {
        if let Some(entry) = self.memo.borrow().get(&key) {
            return match entry {
                Some((n, o)) => {
                    self.touch(o);
                    n.clone()
                }
                None => {
                    self.shared.warn(
                        format!("`{key}` refers to itself; its value is unknown"),
                        span,
                    );
                    Rc::new(unknown(format!("`{key}` refers to itself"), span))
                }
            };
        }
        self.memo.borrow_mut().insert(key.clone(), None);
        let name = format!("`{}{key}`", self.prefix);
        let (mut n, o) = self.doing(name.clone(), def, || self.collect(f));
        let o = unique(o);
        let max = self.max_nodes.get();
        if size(&n, max) > max {
            self.shared.warn(
                format!(
                    "{name} holds more than {max} values (a string counts one per {BYTES_PER_NODE} bytes; it keeps growing, as a value doubled again and again does); it is treated as unknown"
                ),
                def,
            );
            n = unknown("value too large to evaluate", span);
        }
        self.touch(&o);
        let n = Rc::new(n);
        self.memo.borrow_mut().insert(key, Some((n.clone(), o)));
        n
    }

    /// The largest share of its work limit, in millionths rounded up, that this module instance
    /// or one of the local module calls it has built so far has spent.
    pub(super) fn peak_share(&self) -> u64 {
        let own = (u128::from(self.steps.get()) * 1_000_000)
            .div_ceil(u128::from(self.max_steps.get().max(1)));
        let own = u64::try_from(own).unwrap_or(u64::MAX);
        let children = self.children.borrow();
        children
            .values()
            .flatten()
            .flatten()
            .flat_map(|call| &call.instances)
            .map(|(_, m)| m.peak_share())
            .fold(own, u64::max)
    }

    /// The evaluated call `module "name"`, built on first use; `None` when it is not a local
    /// module in the scan (or calls itself).
    pub fn child(&self, name: &str) -> Option<Rc<Call<'s>>> {
        if let Some(c) = self.children.borrow().get(name) {
            return c.clone().unwrap_or_else(|| {
                // The call reaches itself while it is being built.
                self.shared.order_dependent.set(true);
                None
            });
        }
        self.children.borrow_mut().insert(name.to_string(), None);
        let built = build_call(self, name).map(Rc::new);
        self.children
            .borrow_mut()
            .insert(name.to_string(), Some(built.clone()));
        built
    }

    /// The instances of the resource or module call at `addr` (`type.name` or `module.name`).
    pub fn instances(&self, addr: &str, span: Span) -> Rc<Instances> {
        if let Some(i) = self.inst_memo.borrow().get(addr) {
            return i.clone().unwrap_or_else(|| {
                self.shared.order_dependent.set(true);
                Rc::new(Instances::Unresolved("its count refers to itself".into()))
            });
        }
        let block = match addr.strip_prefix("module.") {
            Some(n) => self.calls.get(n).copied(),
            None => self.resources.get(addr).copied(),
        };
        let Some(b) = block else {
            return Rc::new(Instances::Single);
        };
        let _ = span;
        self.inst_memo.borrow_mut().insert(addr.to_string(), None);
        let i = Rc::new(self.expand(b, addr));
        self.inst_memo
            .borrow_mut()
            .insert(addr.to_string(), Some(i.clone()));
        i
    }

    fn expand(&self, b: Located<'s, Block>, addr: &str) -> Instances {
        // A resource's `count` or `for_each` may be set by an override file (a module call's
        // address, `module.x`, has no override blocks).
        let found = ["count", "for_each"]
            .into_iter()
            .find_map(|key| self.resource_argument(addr, b, key));
        let Some((b, a)) = found else {
            return Instances::Single;
        };
        let env = self.env(&b);
        let what = a.key.as_str();
        let at = env.span_of(a);
        let construct = format!("the `{what}` of `{}{addr}`", self.prefix);
        let (v, origins) = self.doing(construct.clone(), at, || {
            self.collect(|| self.ev(&a.value, &env))
        });
        self.touch(&origins);
        let unresolved = || Instances::Unresolved(format!("its {what} is not known"));
        let cap = |n: usize| {
            if n > MAX_INSTANCES {
                self.shared.warn(
                    format!("{construct} gives {n} instances; only the first {MAX_INSTANCES} are analysed"),
                    at,
                );
            }
            n.min(MAX_INSTANCES)
        };
        if what == "count" {
            return match as_number(&v) {
                Some(n) if n.fract() == 0.0 && n <= 0.0 => Instances::Keys(Vec::new()),
                Some(n) if n.fract() == 0.0 && n < 1e12 => Instances::Keys(
                    (0..cap(n as usize))
                        .map(|i| Instance {
                            key: InstKey::Index(i),
                            each: None,
                            count: Some(Node::new(Value::Number(i as f64), at)),
                            origins: Vec::new(),
                        })
                        .collect(),
                ),
                _ => unresolved(),
            };
        }
        match &v.value {
            Value::Object(m) => Instances::Keys(
                sorted_members(m)
                    .into_iter()
                    .take(cap(m.len()))
                    .map(|m| Instance {
                        key: InstKey::Key(m.key.to_string()),
                        each: Some((
                            Node::new(Value::String(m.key.to_string()), at),
                            m.value.clone(),
                        )),
                        count: None,
                        origins: origins.clone(),
                    })
                    .collect(),
            ),
            Value::Array(items) => {
                let mut keys: Vec<String> = Vec::new();
                for i in items {
                    match &i.value {
                        Value::String(s) => keys.push(s.clone()),
                        _ => return unresolved(),
                    }
                }
                keys.sort();
                keys.dedup();
                let n = cap(keys.len());
                keys.truncate(n);
                Instances::Keys(
                    keys.into_iter()
                        .map(|k| Instance {
                            key: InstKey::Key(k.clone()),
                            each: Some((
                                Node::new(Value::String(k.clone()), at),
                                Node::new(Value::String(k), at),
                            )),
                            count: None,
                            origins: origins.clone(),
                        })
                        .collect(),
                )
            }
            _ => unresolved(),
        }
    }
}

// Variables, in Terraform's order of precedence: defaults, `TF_VAR_name`, `terraform.tfvars`,
// `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` (by name), then `-var` and
// `-var-file` in command-line order. A child module's variables are its defaults and the call's arguments.

/// A root module: its variables from defaults, the environment, its tfvars files and the command
/// line.
pub(super) fn eval_root<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: Vec<&'s Document>,
    opts: &EvalOptions,
) -> Scope {
    if let Some(resources) = super::parts::eval_in_parts(shared, dir, &docs, opts) {
        return Scope {
            resources,
            ..Scope::default()
        };
    }
    let m = root_module(shared, dir, docs, opts);
    Scope {
        resources: collect_resources(&m, None),
        ..Scope::default()
    }
}

/// The resource instances of the top-level blocks `part` (by their index among the root module's
/// top-level structures, file by file) of a root module, lowered: [`eval_root`] of those blocks,
/// with the largest share of a work limit it spent ([`Module::peak_share`]).
pub(super) fn eval_root_part<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: Vec<&'s Document>,
    opts: &EvalOptions,
    part: &Range<usize>,
) -> (Vec<Resource>, u64) {
    let m = root_module(shared, dir, docs, opts);
    (collect_resources(&m, Some(part)), m.peak_share())
}

/// The resource blocks of a root module evaluated as written, every attribute whether a front-end
/// maps it or not, by address: for the evaluator's own tests.
#[cfg(test)]
pub(super) fn evaluated_blocks<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: Vec<&'s Document>,
    opts: &EvalOptions,
) -> Vec<(String, Node)> {
    let m = root_module(shared, dir, docs, opts);
    let mut out = Vec::new();
    each_instance(&m, None, &mut |m, rb, ctx, _, _| {
        let address = format!("{}{}", m.prefix, rb.address);
        out.push((address, crate::frontend::hcl::lower_block(rb.block, ctx)));
    });
    out
}

/// The root module of a directory, with its variables' values.
fn root_module<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: Vec<&'s Document>,
    opts: &EvalOptions,
) -> Module<'s> {
    shared.instances.set(0);
    shared.modules.set(0);
    shared.blocks.set(0);
    shared.blocks_warned.set(false);
    shared.instances_warned.set(false);
    let mut m = Module::new(
        shared,
        dir.to_string(),
        docs,
        String::new(),
        vec![dir.to_string()],
        None,
    );
    let vals = root_values(&m, opts);
    m.set_vars(vals);
    m
}

/// Is a `variable` block declared `sensitive = true`?
fn sensitive(b: &Block) -> bool {
    b.body.attributes().any(|a| {
        a.key.as_str() == "sensitive"
            && matches!(&a.value, hcl_edit::expr::Expression::Bool(v) if *v.value())
    })
}

/// Is a `variable` block declared `nullable = false`? Then a null value sets it to its default.
fn not_nullable(b: &Block) -> bool {
    b.body.attributes().any(|a| {
        a.key.as_str() == "nullable"
            && matches!(&a.value, hcl_edit::expr::Expression::Bool(v) if !*v.value())
    })
}

/// The argument `key` from the last of the override blocks `overrides` that sets it, else from
/// the block `base` they override.
fn overridden_argument<'s>(
    overrides: Option<&Vec<Located<'s, Block>>>,
    base: Option<&Located<'s, Block>>,
    key: &str,
) -> Option<(Located<'s, Block>, &'s hcl_edit::structure::Attribute)> {
    let find = |b: &Located<'s, Block>| {
        let item: &'s Block = b.item;
        item.body
            .attributes()
            .find(|a| a.key.as_str() == key)
            .map(|a| (*b, a))
    };
    overrides
        .and_then(|o| o.iter().rev().find_map(find))
        .or_else(|| base.and_then(find))
}

/// Variable defaults, evaluated in the module.
fn defaults(m: &Module) -> HashMap<String, VarValue> {
    let mut out = HashMap::default();
    for name in m.declared.keys() {
        if let Some((v, a)) = m.variable_argument(name, "default") {
            let env = m.env(&v);
            let from = Span::new(v.file, 0, 0);
            let from = span_of_attr(&env, a).unwrap_or(from);
            let what = format!("the default of `{}var.{name}`", m.prefix);
            let node = m.doing(what, from, || m.ev(&a.value, &env));
            out.insert(
                name.clone(),
                VarValue {
                    node,
                    origins: vec![Origin {
                        from,
                        label: format!("default of variable `{name}`"),
                        secret: false,
                    }],
                },
            );
        }
    }
    out
}

fn span_of_attr(env: &Env, a: &hcl_edit::structure::Attribute) -> Option<Span> {
    let k = hcl_edit::Span::span(&a.key)?;
    let v = hcl_edit::Span::span(&a.value)?;
    Some(env.span(Some(k.start..v.end)))
}

/// The names a variable file gives values for, each with where its key is written: the
/// attributes of a `.tfvars` file, the members of a `.tfvars.json` one.
pub(super) fn var_file_entries(
    files: &[SourceFile],
    bodies: &Bodies,
    d: &Document,
) -> Vec<(String, Span)> {
    let text = files.get(d.file).map_or("", |f| f.text.as_str());
    if let Some(body) = bodies.get(&d.file) {
        return body
            .structures()
            .filter_map(|(s, map)| Some((s.as_attribute()?, map)))
            .map(|(a, map)| {
                let env = Env {
                    map,
                    ..Env::new(d.file, text)
                };
                (a.key.as_str().to_string(), env.span_of(&a.key))
            })
            .collect();
    }
    if d.kind != DocKind::Tfvars {
        return Vec::new();
    }
    let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    o.keys()
        .map(|name| {
            let quoted = serde_json::Value::String(name.clone()).to_string();
            let at = match text.find(&quoted) {
                Some(at) => Span::new(d.file, at, at + quoted.len()),
                None => Span::new(d.file, 0, 0),
            };
            (name.clone(), at)
        })
        .collect()
}

/// A warning at a variable file's value for a variable the root module(s) it applies to do not
/// declare: Terraform warns about it and ignores it; the name is likely misspelt.
/// `undeclared` says who does not declare it ("the module declares no variable `x`").
pub(super) fn undeclared_value(
    shared: &Shared,
    name: &str,
    label: &str,
    at: Span,
    undeclared: &str,
) {
    // Not [`Shared::warn`]: it does not depend on the order of evaluation.
    shared.notes.borrow_mut().push(Notification {
        level: Level::Warning,
        message: format!(
            "`{label}` gives a value for `{name}`, but {undeclared}: Terraform ignores the \
             value, with a warning"
        ),
        span: Some(at),
        file: Some(at.file),
    });
}

fn root_values(m: &Module, opts: &EvalOptions) -> HashMap<String, VarValue> {
    let shared = m.shared;
    let mut vals = defaults(m);
    // A child module evaluated on its own: Terraform gives it no other values.
    if shared.called.contains(&m.dir) && !shared.plans.contains_key(&m.dir) {
        return vals;
    }
    for (name, value) in &opts.env_vars {
        if let Some(decl) = m.declared.get(name) {
            let source = format!("`TF_VAR_{name}`");
            vals.insert(name.clone(), cli_value(m, *decl, value, &source));
        }
    }
    // The module's own variable files, in Terraform's order.
    let mut own: Vec<(u8, &str, &Document)> = Vec::new();
    for d in shared.docs.iter().filter(|d| d.kind == DocKind::Tfvars) {
        let rel = &shared.files[d.file].rel;
        if dir_of(rel) != m.dir {
            continue;
        }
        let name = file_name(rel);
        let rank = match name {
            "terraform.tfvars" => 0,
            "terraform.tfvars.json" => 1,
            n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => 2,
            _ => continue,
        };
        own.push((rank, name, d));
    }
    own.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (_, name, d) in own {
        for (entry, at) in var_file_entries(shared.files, shared.bodies, d) {
            if !m.declared.contains_key(&entry) {
                let undeclared = format!("the module declares no variable `{entry}`");
                undeclared_value(shared, &entry, name, at, &undeclared);
            }
        }
        apply_var_file(m, d, name, &mut vals);
    }
    let (mut files, mut vars) = (opts.var_files.iter(), opts.vars.iter());
    for &is_file in &opts.cli_order {
        if is_file {
            let Some(p) = files.next() else { continue };
            let Some(f) = shared.files.iter().find(|f| &f.path == p) else {
                continue;
            };
            if let Some(d) = shared.docs.iter().find(|d| d.file == f.id) {
                apply_var_file(m, d, &f.rel, &mut vals);
            }
        } else if let Some((name, value)) = vars.next() {
            if let Some(decl) = m.declared.get(name) {
                let source = format!("`--var {name}=…`");
                vals.insert(name.clone(), cli_value(m, *decl, value, &source));
            }
        }
    }
    // A plan of this module: the values Terraform planned with, whatever gave them.
    if let Some(plan) = shared.plans.get(&m.dir) {
        let label = format!("the plan `{}`", shared.files[plan.file].rel);
        if let Some(vars) = plan.root.as_ref().and_then(|r| r.get("variables")) {
            for v in vars.members() {
                if !m.declared.contains_key(v.key.as_ref()) {
                    continue;
                }
                vals.insert(
                    v.key.to_string(),
                    VarValue {
                        node: v.value.clone(),
                        origins: vec![Origin {
                            from: v.key_span.to(v.value.span),
                            label: format!("value of variable `{}` ({label})", v.key),
                            secret: false,
                        }],
                    },
                );
            }
        }
    }
    vals
}

/// A value given as text (`--var`, `TF_VAR_name`; `source` names which): an HCL expression for
/// a collection type, a number or bool for those types, otherwise the string as written. A value
/// Terraform would refuse is an error notification, and the variable is unknown.
fn cli_value<'s>(m: &Module<'s>, decl: Located<'s, Block>, value: &str, source: &str) -> VarValue {
    let env = m.env(&decl);
    let at = span_of_block(&env, decl.item);
    let name = decl.item.labels.first().map_or("", |l| l.as_str());
    let type_attr = m.variable_argument(name, "type");
    let ty = type_attr.map_or(Ty::Any, |(_, a)| Ty::of(&a.value));
    // Where the error is shown: the type the value does not have, else the declaration.
    let blame = type_attr
        .and_then(|(b, a)| span_of_attr(&m.env(&b), a))
        .unwrap_or_else(|| crate::frontend::hcl::open_span(env.text, at));
    let mut node = match ty {
        Ty::List(_) | Ty::Map(_) | Ty::Object(_) | Ty::Tuple(_) => {
            match hcl_edit::parser::parse_expr(value) {
                Ok(e) => m.ev(&e, &Env::new(decl.file, value)),
                Err(e) => {
                    m.shared.error(
                        format!(
                            "the value {source} gives variable `{name}` does not parse as an HCL expression ({}); Terraform refuses it, so the variable is unknown",
                            e.message(),
                        ),
                        blame,
                    );
                    Node::unknown("value given on the command line does not parse", at)
                }
            }
        }
        Ty::Number => match number_of(value) {
            Some(n) => Node::new(Value::Number(n), at),
            None => Node::new(Value::String(value.to_string()), at),
        },
        Ty::Bool => match bool_of(value) {
            Some(b) => Node::new(Value::Bool(b), at),
            None => Node::new(Value::String(value.to_string()), at),
        },
        _ => Node::new(Value::String(value.to_string()), at),
    };
    respan(&mut node, at);
    VarValue {
        node: checked(m, name, node, &ty, source, Some(blame)),
        origins: Vec::new(),
    }
}

/// `node`, the value `source` gives variable `name` of type `ty`, or Unknown with an error
/// notification when Terraform would refuse to convert it to the type: at `at`, or where the
/// refused part of the value is written when `at` is `None`.
fn checked(m: &Module, name: &str, node: Node, ty: &Ty, source: &str, at: Option<Span>) -> Node {
    let Some((path, wrong, span)) = ty.refusal(&node) else {
        return node;
    };
    let at = at.unwrap_or(span);
    let what = if path.is_empty() {
        "the value".to_string()
    } else {
        format!("`{path}` in the value")
    };
    m.shared.error(
        format!(
            "{what} {source} gives variable `{name}` {wrong}; Terraform refuses it, so the variable is unknown"
        ),
        at,
    );
    Node::unknown(
        "the value given does not have the variable's type",
        node.span,
    )
}

/// The type a variable is declared with, `any` when it declares none.
fn declared_type<'s>(m: &Module<'s>, name: &str) -> Ty<'s> {
    m.variable_argument(name, "type")
        .map_or(Ty::Any, |(_, a)| Ty::of(&a.value))
}

fn span_of_block(env: &Env, b: &Block) -> Span {
    env.span(hcl_edit::Span::span(b))
}

/// Sets the variables a `.tfvars` or `.tfvars.json` file assigns.
fn apply_var_file(m: &Module, d: &Document, label: &str, vals: &mut HashMap<String, VarValue>) {
    if let Some(body) = m.shared.bodies.get(&d.file) {
        for (a, map) in body
            .structures()
            .filter_map(|(s, map)| Some((s.as_attribute()?, map)))
        {
            let env = m.env_in(d.file, map);
            let name = a.key.as_str();
            if !m.declared.contains_key(name) {
                continue;
            }
            let from = span_of_attr(&env, a).unwrap_or(Span::new(d.file, 0, 0));
            let node = m.doing(format!("`{name}` in {label}"), from, || {
                m.ev(&a.value, &env)
            });
            let source = format!("`{label}`");
            let node = checked(m, name, node, &declared_type(m, name), &source, None);
            vals.insert(
                name.to_string(),
                VarValue {
                    node,
                    origins: vec![Origin {
                        from,
                        label: format!("value of variable `{name}` ({label})"),
                        secret: false,
                    }],
                },
            );
        }
        return;
    }
    if d.kind != DocKind::Tfvars {
        return;
    }
    let Ok(serde_json::Value::Object(o)) =
        serde_json::from_str::<serde_json::Value>(m.text(d.file))
    else {
        return;
    };
    for (name, v) in &o {
        if !m.declared.contains_key(name) {
            continue;
        }
        let quoted = serde_json::Value::String(name.clone()).to_string();
        let from = match m.text(d.file).find(&quoted) {
            Some(at) => Span::new(d.file, at, at + quoted.len()),
            None => Span::new(d.file, 0, 0),
        };
        let source = format!("`{label}`");
        let node = from_json(v, from);
        let node = checked(m, name, node, &declared_type(m, name), &source, None);
        vals.insert(
            name.clone(),
            VarValue {
                node,
                origins: vec![Origin {
                    from,
                    label: format!("value of variable `{name}` ({label})"),
                    secret: false,
                }],
            },
        );
    }
}

// Local module calls.

/// The directories of `dirs` that a local `module` call (`source = "./x"` or `"../x"`, a
/// literal) in another of them names.
fn called_dirs(
    dirs: &BTreeMap<String, Vec<&Document>>,
    bodies: &Bodies,
) -> crate::hash::HashSet<String> {
    let mut out = crate::hash::HashSet::default();
    for (dir, docs) in dirs {
        for d in docs {
            let Some(body) = bodies.get(&d.file) else {
                continue;
            };
            for (s, _) in body.structures() {
                let Structure::Block(b) = s else { continue };
                if b.ident.as_str() != "module" || b.labels.len() != 1 {
                    continue;
                }
                let source = b.body.attributes().find(|a| a.key.as_str() == "source");
                let Some(Expression::String(source)) = source.map(|a| &a.value) else {
                    continue;
                };
                let source = source.value().as_str();
                if !is_local(source) {
                    continue;
                }
                if let Some(child) = join_dir(dir, source) {
                    if &child != dir && dirs.contains_key(&child) {
                        out.insert(child);
                    }
                }
            }
        }
    }
    out
}

/// Is a module `source` a local path, which Terraform reads from disk (`./x`, `../x`)?
fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// Normalises `dir/./x/../y` into a directory relative to the scan root; `None` above it.
fn join_dir(dir: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in source.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            x => parts.push(x),
        }
    }
    Some(parts.join("/"))
}

/// What a module source that is not a local path names, as a note says it: Terraform reads
/// `NAMESPACE/NAME/PROVIDER` (with an optional host first) from a module registry, and anything
/// else (`git::`, `github.com/…`, `https://…`, `s3::`, …) from where the address points.
fn remote_kind(source: &str) -> &'static str {
    let address = source.split("//").next().unwrap_or(source);
    let segments: Vec<&str> = address.split('/').collect();
    let registry = !source.contains("::")
        && !source.contains("://")
        && !source.starts_with("git@")
        && !source.starts_with("github.com/")
        && !source.starts_with("bitbucket.org/")
        && matches!(segments.len(), 3 | 4)
        && segments.iter().all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if registry {
        "registry modules"
    } else {
        "remote modules"
    }
}

/// Builds the call `module "name"` of `m`: the child directory's module, one per instance, with
/// the call's arguments as its variables.
fn build_call<'s>(m: &Module<'s>, name: &str) -> Option<Call<'s>> {
    let call = *m.calls.get(name)?;
    let env = m.env(&call);
    let source_attr = call
        .item
        .body
        .attributes()
        .find(|a| a.key.as_str() == "source")?;
    let source = m.ev(&source_attr.value, &env);
    let Some(source) = source.as_str() else {
        // Terraform takes only a literal string.
        m.shared.notes.borrow_mut().push(Notification {
            level: Level::Warning,
            message: format!(
                "the `source` of module `{name}` is not a string, which Terraform requires; what \
                 it deploys is not analysed, and its outputs are unknown"
            ),
            span: Some(env.span_of(&source_attr.value)),
            file: Some(env.file),
        });
        return None;
    };
    let local = is_local(source);
    if (local || source.starts_with('/')) && m.shared.outside(&m.dir, source) {
        let at = span_of_block(&env, call.item);
        m.shared.note(
            format!("module `{name}` calls `{source}`, outside the scanned tree: batchguard does not read it, and its outputs are unknown"),
            crate::frontend::hcl::open_span(env.text, at),
        );
        return None;
    }
    if !local {
        // A registry or remote module is not fetched (as Bicep's registry modules are not): a
        // note at its source, one per call that deploys it at all.
        let at = span_of_block(&env, call.item);
        if m.instances(&format!("module.{name}"), at).is_none() {
            return None;
        }
        m.shared.note(
            format!(
                "batchguard does not fetch {} (`{source}`); what module `{name}` deploys is not \
                 analysed, and its outputs are unknown",
                remote_kind(source)
            ),
            env.span_of(&source_attr.value),
        );
        return None;
    }
    let child_dir = join_dir(&m.dir, source)?;
    let at = span_of_block(&env, call.item);
    let Some(docs) = m.shared.dirs.get(&child_dir).cloned() else {
        m.shared
            .missing_module(name, source, &child_dir, env.span_of(&source_attr.value));
        return None;
    };
    let open = crate::frontend::hcl::open_span(env.text, at);
    let what = || format!("the module call `{}module.{name}`", m.prefix);
    if m.shared.full(true) {
        m.shared.admit(1, true, what, open);
        return None;
    }
    if m.stack.contains(&child_dir) || m.stack.len() >= MAX_MODULE_DEPTH {
        m.shared.warn(
            format!(
                "module `{name}` calls `{source}`, which is already being evaluated on this path (a module that includes itself, or nesting deeper than {MAX_MODULE_DEPTH}); its outputs are unknown"
            ),
            open,
        );
        return None;
    }
    let instances = m.instances(&format!("module.{name}"), at);
    let unresolved = matches!(&*instances, Instances::Unresolved(_));
    let conditional = call_conditional(m, name, &instances);
    let (list, keyed): (Vec<Option<Instance>>, bool) = match &*instances {
        Instances::Single | Instances::Unresolved(_) => (vec![None], false),
        Instances::Keys(k) => (k.iter().cloned().map(Some).collect(), true),
    };
    let mut list = list;
    let admitted = m.shared.admit(list.len(), true, what, open);
    list.truncate(admitted);
    let mut out = Vec::new();
    for inst in list {
        let key = inst.as_ref().map(|i| i.key.clone());
        let prefix = format!(
            "{}module.{name}{}.",
            m.prefix,
            key.as_ref().map(InstKey::suffix).unwrap_or_default()
        );
        let mut stack = m.stack.clone();
        stack.push(child_dir.clone());
        let mut child = Module::new(
            m.shared,
            child_dir.clone(),
            docs.clone(),
            prefix,
            stack,
            conditional.clone(),
        );
        let mut vals = defaults(&child);
        let (each, count) = match &inst {
            Some(i) => (i.each.clone(), i.count.clone()),
            None if unresolved => unknown_iteration(call.item, at),
            None => (None, None),
        };
        let ienv = Env {
            each: each.as_ref(),
            each_origins: inst.as_ref().map_or(&[], |i| &i.origins),
            count: count.as_ref(),
            ..env
        };
        for a in call.item.body.attributes() {
            let arg = a.key.as_str();
            if !child.declared.contains_key(arg) || is_meta(arg) {
                continue;
            }
            let from = span_of_attr(&env, a).unwrap_or(at);
            let what = format!("the argument `{arg}` of `{}module.{name}`", m.prefix);
            let (node, mut origins) = m.doing(what, from, || m.collect(|| m.ev(&a.value, &ienv)));
            origins.insert(
                0,
                Origin {
                    from,
                    label: format!("argument `{arg}` of module.{name}"),
                    secret: false,
                },
            );
            // A null argument leaves a variable declared `nullable = false` at its default.
            let keeps_default = matches!(node.value, Value::Null)
                && vals.contains_key(arg)
                && child
                    .declared
                    .get(arg)
                    .is_some_and(|v| not_nullable(v.item));
            if !keeps_default {
                vals.insert(arg.to_string(), VarValue { node, origins });
            }
        }
        child.set_vars(vals);
        out.push((key, std::rc::Rc::new(child)));
    }
    Some(Call {
        instances: out,
        keyed,
    })
}

fn is_meta(arg: &str) -> bool {
    matches!(
        arg,
        "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
    )
}

// Resources.

/// Lowers every resource instance of a module instance, then those of its local module calls;
/// `part`: only those of these top-level blocks (see [`each_instance`]).
fn collect_resources(m: &Module, part: Option<&Range<usize>>) -> Vec<Resource> {
    // Room for one instance of each resource block: on a big module, a list grown by doubling
    // left up to half of it unused, and held both lists at once when it grew.
    let blocks = top_level(m.shared, &m.docs)
        .enumerate()
        .filter(|(i, _)| part.is_none_or(|p| p.contains(i)))
        .filter(|(_, (_, s, _))| s.as_block().is_some_and(|b| b.ident.as_str() == "resource"))
        .count();
    let mut out = Vec::with_capacity(blocks);
    each_instance(m, part, &mut |m, rb, ctx, ev, why| {
        let Some(mut r) = lower_resource(rb, ctx) else {
            return;
        };
        r.tf_address = Some(format!("{}{}", m.prefix, rb.address));
        r.provenance = ev.provenance.take();
        r.conditional = m.conditional.clone().or(why);
        r.body.shrink_to_fit();
        r.provenance.shrink_to_fit();
        out.push(r);
    });
    unread_calls(m, part, &mut out);
    out.shrink_to_fit();
    out
}

/// The module calls of a module instance, and of the local modules it calls, that batchguard
/// does not follow (a registry or remote module, a local one outside the scan or not found, a
/// call past a limit) and that are passed something that may name a resource of the scope (a
/// value not known, such as a resource's `id`, or an ARM resource id): each is a nested
/// deployment whose template is not read, which may deploy, say, the private endpoint a check
/// would find missing (D36). A call passed only known values that name no resource (a naming
/// or regions module) cannot deploy anything for the scope's resources, and is left out.
/// `part`: only the top-level blocks in this range, as [`each_instance`].
fn unread_calls(m: &Module, part: Option<&Range<usize>>, out: &mut Vec<Resource>) {
    for (i, (d, s, map)) in top_level(m.shared, &m.docs).enumerate() {
        if part.is_some_and(|p| !p.contains(&i)) {
            continue;
        }
        let Structure::Block(b) = s else { continue };
        if b.ident.as_str() != "module"
            || b.labels.len() != 1
            || is_override_file(&m.shared.files[d.file].rel)
        {
            continue;
        }
        let name = b.labels[0].as_str();
        match m.child(name) {
            Some(call) => {
                for (_, child) in &call.instances {
                    unread_calls(child, None, out);
                }
            }
            None => out.extend(unread_call(m, m.env_in(d.file, map), b, name)),
        }
    }
}

/// The call `module "name"` (the block `b`, which batchguard does not follow) as an unread
/// nested deployment, its arguments as its parameters, when it is passed something that may
/// name a resource and may exist.
fn unread_call(m: &Module, env: Env, b: &Block, name: &str) -> Option<Resource> {
    fn member(key: &str, value: Node) -> crate::ir::Member {
        crate::ir::Member {
            key: key.to_string().into(),
            key_span: value.span,
            value,
            written: None,
        }
    }
    /// Could the value name a resource: not known, or holding an ARM resource id?
    fn may_name_resource(n: &Node) -> bool {
        match &n.value {
            Value::Unknown(_) => true,
            Value::String(s) => s.to_ascii_lowercase().contains("/providers/"),
            Value::Array(items) => items.iter().any(may_name_resource),
            Value::Object(members) => members.iter().any(|x| may_name_resource(&x.value)),
            _ => false,
        }
    }
    b.body.attributes().find(|a| a.key.as_str() == "source")?;
    // The arguments, as the parameters of the deployment, so that what names a resource passed
    // to the module can say so.
    let arguments: Vec<crate::ir::Member> = b
        .body
        .attributes()
        .filter(|a| !is_meta(a.key.as_str()))
        .map(|a| {
            let value = m.ev(&a.value, &env);
            let at = value.span;
            member(
                a.key.as_str(),
                Node::new(Value::Object(vec![member("value", value)]), at),
            )
        })
        .collect();
    if !arguments
        .iter()
        .any(|a| a.value.get("value").is_some_and(may_name_resource))
    {
        return None;
    }
    let span = span_of_block(&env, b);
    let instances = m.instances(&format!("module.{name}"), span);
    if instances.is_none() {
        return None;
    }
    let header = crate::frontend::hcl::open_span(env.text, span);
    Some(Resource {
        rtype: crate::ir::types::DEPLOYMENT.into(),
        api_version: None,
        api_version_span: None,
        tf_address: Some(format!("{}module.{name}", m.prefix)),
        name_segments: vec![Some(name.to_string())],
        name_span: header,
        parent_ref: None,
        parent_ref_at: None,
        resource_group: None,
        header,
        span,
        // No `properties.template`: what it deploys is not read.
        body: Node::new(
            Value::Object(vec![member(
                "properties",
                Node::new(
                    Value::Object(vec![member(
                        "parameters",
                        Node::new(Value::Object(arguments), span),
                    )]),
                    span,
                ),
            )]),
            span,
        ),
        provenance: Vec::new(),
        conditional: call_conditional(m, name, &instances),
        api_profile: None,
        sensitive: Vec::new(),
        spelling: Default::default(),
        rejected: Vec::new(),
    })
}

/// The top-level structures of a module's documents, file by file, with the document and the
/// map of the part each was parsed in.
pub(super) fn top_level<'s, 'd>(
    shared: &'s Shared<'s>,
    docs: &'d [&'s Document],
) -> impl Iterator<Item = (&'s Document, &'s Structure, Option<&'s SpanMap>)> + use<'s, 'd> {
    docs.iter().flat_map(|&d| {
        shared
            .bodies
            .get(&d.file)
            .into_iter()
            .flat_map(move |body| body.structures().map(move |(s, map)| (d, s, map)))
    })
}

/// What [`each_instance`] calls for each resource instance.
pub(super) type InstanceVisitor<'v> =
    dyn FnMut(&Module, &ResourceBlock, &Ctx, &InstanceEval, Option<String>) + 'v;

/// Visits every instance of every resource block the front-end reads, in a module instance and
/// its local module calls: the module instance, the block (its address with the instance key), a
/// context whose evaluator evaluates it, the evaluator (which records provenance), and why the
/// instance's existence is unknown, if it is. `part`: only the top-level blocks of the module
/// instance whose index among its top-level structures (file by file, as [`top_level`] gives
/// them) is in this range.
pub(super) fn each_instance(m: &Module, part: Option<&Range<usize>>, visit: &mut InstanceVisitor) {
    for (i, (d, s, map)) in top_level(m.shared, &m.docs).enumerate() {
        if part.is_some_and(|p| !p.contains(&i)) {
            continue;
        }
        let text = m.text(d.file);
        let Structure::Block(b) = s else { continue };
        // An override file's blocks are merged into the blocks they override.
        if is_override_file(&m.shared.files[d.file].rel) {
            continue;
        }
        let plain = Ctx::new(d.file, text).mapped(map);
        if b.ident.as_str() == "module" && b.labels.len() == 1 {
            if let Some(call) = m.child(b.labels[0].as_str()) {
                for (_, child) in &call.instances {
                    each_instance(child, None, visit);
                }
            }
            continue;
        }
        let Some(mut rb) = resource_block(b, &plain) else {
            continue;
        };
        if rb.tf_type != "azapi_resource"
            && rb.tf_type != "azapi_update_resource"
            && !rb.tf_type.starts_with("azurerm_")
        {
            continue;
        }
        let base = rb.address.clone();
        let what = || format!("`{}{base}`", m.prefix);
        if m.shared.full(false) {
            m.shared.admit(1, false, what, rb.header);
            continue;
        }
        let instances = m.instances(&base, rb.header);
        let overrides = m
            .resource_overrides
            .get(&base)
            .map_or(&[][..], Vec::as_slice);
        rb.overrides = overrides
            .iter()
            .map(|o| OverrideBlock {
                block: o.item,
                file: o.file,
                text: m.text(o.file),
                map: o.map,
            })
            .collect();
        // `count`, `for_each` and `depends_on` were read once for the block; evaluating them
        // again for each instance would copy the whole collection per instance.
        let meta: Vec<Span> = std::iter::once((b, plain.clone()))
            .chain(overrides.iter().map(|o| {
                let ctx = Ctx::new(o.file, m.text(o.file)).mapped(o.map);
                (o.item, ctx)
            }))
            .flat_map(|(b, ctx)| {
                b.body
                    .attributes()
                    .filter(|a| matches!(a.key.as_str(), "count" | "for_each" | "depends_on"))
                    .map(|a| ctx.span_of(&a.value))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut list: Vec<(Option<&Instance>, Option<String>)> = match &*instances {
            Instances::Single => vec![(None, None)],
            Instances::Unresolved(why) => vec![(None, Some(why.clone()))],
            Instances::Keys(k) => k.iter().map(|i| (Some(i), None)).collect(),
        };
        let admitted = m.shared.admit(list.len(), false, what, rb.header);
        list.truncate(admitted);
        for (inst, why) in list {
            rb.address = format!("{base}{}", inst.map(|i| i.key.suffix()).unwrap_or_default());
            let mut ev = InstanceEval::new(m, inst);
            if why.is_some() {
                (ev.each, ev.count) = unknown_iteration(b, rb.header);
            }
            ev.address = format!("{}{}", m.prefix, rb.address);
            ev.meta = meta.clone();
            let mut ctx = Ctx::new(d.file, text).mapped(map);
            ctx.evaluator = Some(&ev);
            visit(m, &rb, &ctx, &ev, why);
        }
    }
}

/// The evaluator the front-end asks while lowering one resource instance: evaluates every
/// non-literal expression in the module, gives the result the span of the expression, and records
/// where the values came from.
pub struct InstanceEval<'m, 's> {
    pub module: &'m Module<'s>,
    pub each: Option<(Node, Node)>,
    pub each_origins: Vec<Origin>,
    pub count: Option<Node>,
    pub provenance: RefCell<Vec<Provenance>>,
    /// The instance's address, which a limit reached while evaluating it names.
    pub address: String,
    /// Where the block's meta-arguments are written, which are not evaluated per instance.
    pub meta: Vec<Span>,
}

impl<'m, 's> InstanceEval<'m, 's> {
    pub fn new(module: &'m Module<'s>, inst: Option<&Instance>) -> Self {
        InstanceEval {
            module,
            each: inst.and_then(|i| i.each.clone()),
            each_origins: inst.map_or_else(Vec::new, |i| i.origins.clone()),
            count: inst.and_then(|i| i.count.clone()),
            provenance: RefCell::default(),
            address: String::new(),
            meta: Vec::new(),
        }
    }

    fn run(&self, expr: &Expression, ctx: &Ctx) -> (Node, Vec<Origin>) {
        let env = Env {
            file: ctx.file,
            text: ctx.text,
            map: ctx.map,
            each: self.each.as_ref(),
            each_origins: &self.each_origins,
            count: self.count.as_ref(),
            bound: None,
            iters: Some(ctx),
        };
        let what = format!("`{}`", self.address);
        let m = self.module;
        m.doing(what, ctx.span_of(expr), || m.collect(|| m.ev(expr, &env)))
    }
}

impl Evaluator for InstanceEval<'_, '_> {
    fn eval(&self, expr: &Expression, ctx: &Ctx) -> Option<Node> {
        let span = ctx.span_of(expr);
        if self.meta.contains(&span) {
            return Some(Node::unknown(
                "a meta-argument, read once for the block",
                span,
            ));
        }
        let (mut n, origins) = self.run(expr, ctx);
        respan(&mut n, span);
        if let Value::Unknown(u) = &mut n.value {
            if let Some(r) = u.reason.strip_prefix(ERROR) {
                u.reason = format!("`{}` cannot be evaluated: {r}", ctx.snippet(span));
            }
        }
        let mut prov = self.provenance.borrow_mut();
        for o in origins {
            if !prov.iter().any(|p| p.used_at == span && p.from == o.from) {
                prov.push(Provenance {
                    used_at: span,
                    from: o.from,
                    label: o.label,
                    element: None,
                    secret: o.secret,
                });
            }
        }
        Some(n)
    }

    fn dynamic_element(
        &self,
        block: Span,
        content: Span,
        key: &Node,
        value: &Node,
        element: &Node,
    ) {
        // Each element names where it is defined (the item of the `for_each` collection),
        // attached to findings that quote what tells the element apart from its siblings: its
        // name; for an element that is a plain string (`for_each = local.ranges`), that string;
        // for a rule without a name (Batch endpoint rules), its priority, unique in its list.
        let Some((name, shown)) = element
            .get("name")
            .and_then(|n| n.as_str())
            .or_else(|| value.as_str())
            .map(|n| (n.to_string(), format!("'{n}'")))
            .or_else(|| {
                let p = element.get("priority").and_then(|p| p.as_i64())?;
                Some((p.to_string(), format!("priority {p}")))
            })
        else {
            return;
        };
        // A value without a definition of its own (spanning the `for_each` expression).
        if value.span.file == block.file
            && block.start <= value.span.start
            && value.span.end <= block.end
        {
            return;
        }
        let key = match &key.value {
            Value::String(k) => format!("`{k}`"),
            Value::Number(n) => format!("{n}"),
            _ => "?".into(),
        };
        self.provenance.borrow_mut().push(Provenance {
            used_at: content,
            from: value.span,
            label: format!("definition of dynamic block element {key} ({shown})"),
            element: Some(name),
            secret: false,
        });
    }

    fn for_each(&self, expr: &Expression, iterator: &str, ctx: &Ctx) -> Option<Vec<(Node, Node)>> {
        let (n, origins) = self.run(expr, ctx);
        self.module
            .dyn_origins
            .borrow_mut()
            .insert(iterator.to_string(), origins);
        let span = ctx.span_of(expr);
        let len = match &n.value {
            Value::Array(items) => items.len(),
            Value::Object(m) => m.len(),
            _ => return None,
        };
        let shared = self.module.shared;
        if len > MAX_DYNAMIC_ELEMENTS {
            if self
                .module
                .bounded
                .borrow_mut()
                .insert((span, String::new()))
            {
                shared.warn(
                    format!(
                        "the `dynamic` block of `{}` iterates over {len} elements; a `dynamic` block of more than {MAX_DYNAMIC_ELEMENTS} is not expanded, and the blocks it writes are unknown",
                        self.address
                    ),
                    span,
                );
            }
            return None;
        }
        let used = shared.blocks.get();
        if used + len > MAX_ROOT_BLOCKS {
            if !shared.blocks_warned.replace(true) {
                shared.warn(
                    format!(
                        "the `dynamic` block of `{}` goes past the {MAX_ROOT_BLOCKS} `dynamic` block elements batchguard expands in one root module (instances times elements); from there on, the blocks `dynamic` blocks write are unknown",
                        self.address
                    ),
                    span,
                );
            }
            return None;
        }
        shared.blocks.set(used + len);
        match n.value {
            Value::Array(items) => Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Node::new(Value::Number(i as f64), span), v))
                    .collect(),
            ),
            Value::Object(m) => {
                let mut m = m;
                m.sort_by(|a, b| a.key.cmp(&b.key));
                Some(
                    m.into_iter()
                        .map(|m| (Node::new(Value::String(m.key.to_string()), span), m.value))
                        .collect(),
                )
            }
            _ => None,
        }
    }
}

/// The directory of a `/`-separated relative path (`""` at the root).
pub(super) fn dir_of(rel: &str) -> String {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string()
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, f)| f)
}
