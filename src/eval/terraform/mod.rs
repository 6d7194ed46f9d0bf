//! Terraform evaluation: variables (with Terraform's precedence), locals, expressions and
//! functions, `count` / `for_each` / `dynamic`, and local modules. Each module directory is a
//! scope; its resource blocks are lowered again through the front-end with an evaluator, so the
//! azurerm mapping table and the azapi lowering stay the single source of truth.

pub mod expr;
pub mod functions;

use super::{EvalOptions, Scope};
use crate::findings::{Level, Notification};
use crate::frontend::hcl::Ctx;
use crate::frontend::terraform::{lower_resource, resource_block, Bodies};
use crate::ir::{DocKind, Document, Node, Resource, Span, Value};
use crate::source::SourceFile;
use expr::{
    respan, Call, Env, InstKey, Instance, InstanceEval, Instances, Located, Module, Origin, Shared,
    VarValue,
};
use functions::from_json;
use hcl_edit::structure::{Block, Structure};
use std::collections::{BTreeMap, HashMap};

/// Deepest chain of local module calls followed.
const MAX_MODULE_DEPTH: usize = 12;
/// Stack for evaluating (reserved, not committed, until used).
const EVAL_STACK: usize = 64 << 20;

/// One scope per module directory (each file its own scope when the directory declares one
/// address twice, i.e. is a folder of independent examples), evaluated.
pub fn scopes(
    files: &[SourceFile],
    docs: &[Document],
    bodies: &Bodies,
    opts: &EvalOptions,
    notes: &mut Vec<Notification>,
) -> Vec<Scope> {
    let job = std::sync::Mutex::new(Some(move || scopes_here(files, docs, bodies, opts)));
    let run = || job.lock().ok().and_then(|mut j| j.take()).map(|f| f());
    let result = std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(EVAL_STACK)
            .spawn_scoped(s, run)
        {
            Ok(h) => h.join().ok().flatten(),
            Err(_) => run(),
        }
    });
    match result {
        Some((scopes, n)) => {
            notes.extend(n);
            scopes
        }
        None => {
            notes.push(Notification {
                level: Level::Error,
                message: "internal error while evaluating Terraform modules; please report it"
                    .into(),
                span: None,
                file: None,
            });
            Vec::new()
        }
    }
}

fn dir_of(rel: &str) -> String {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string()
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, f)| f)
}

fn scopes_here(
    files: &[SourceFile],
    docs: &[Document],
    bodies: &Bodies,
    opts: &EvalOptions,
) -> (Vec<Scope>, Vec<Notification>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut modules: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Terraform) {
        modules
            .entry(dir_of(&files[d.file].rel))
            .or_default()
            .push(d);
    }
    let shared = Shared {
        files,
        docs,
        bodies,
        dirs: modules.clone(),
        notes: Default::default(),
    };
    for (dir, docs) in modules {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut duplicate = None;
        for d in &docs {
            for r in &d.resources {
                if let Some(a) = r.tf_address.as_deref() {
                    match seen.get(a) {
                        Some(&f) if f != d.file && duplicate.is_none() => {
                            duplicate = Some((a, f, d.file, r.header))
                        }
                        _ => {
                            seen.insert(a, d.file);
                        }
                    }
                }
            }
        }
        match duplicate {
            None => out.push(eval_root(&shared, &dir, docs, opts)),
            Some((addr, first, second, at)) => {
                notes.push(Notification {
                    level: Level::Warning,
                    message: format!(
                        "directory `{}` declares `{addr}` in both `{}` and `{}`, so it is not one Terraform module; each of its files is analysed on its own",
                        if dir.is_empty() { "." } else { &dir },
                        files[first].rel,
                        files[second].rel
                    ),
                    span: Some(at),
                    file: Some(second),
                });
                for d in docs {
                    out.push(eval_root(&shared, &dir, vec![d], opts));
                }
            }
        }
    }
    notes.extend(shared.notes.into_inner());
    (out, notes)
}

/// A root module: its variables from defaults, the environment, its tfvars files and the command
/// line.
fn eval_root<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: Vec<&'s Document>,
    opts: &EvalOptions,
) -> Scope {
    let mut m = Module::new(
        shared,
        dir.to_string(),
        docs,
        String::new(),
        vec![dir.to_string()],
        None,
    );
    m.vars = root_values(&m, opts);
    let mut resources = Vec::new();
    collect_resources(&m, &mut resources);
    Scope { resources }
}

/// Variable defaults, evaluated in the module.
fn defaults(m: &Module) -> HashMap<String, VarValue> {
    let mut out = HashMap::new();
    for (name, v) in &m.declared {
        if let Some(a) = v
            .item
            .body
            .attributes()
            .find(|a| a.key.as_str() == "default")
        {
            let env = m.env(v.file);
            let node = m.ev(&a.value, &env);
            let from = Span::new(v.file, 0, 0);
            let from = span_of_attr(&env, a).unwrap_or(from);
            out.insert(
                name.clone(),
                VarValue {
                    node,
                    origins: vec![Origin {
                        from,
                        label: format!("default of variable `{name}`"),
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
    Some(Span::new(
        env.file,
        k.start.min(env.text.len()),
        v.end.min(env.text.len()),
    ))
}

fn root_values(m: &Module, opts: &EvalOptions) -> HashMap<String, VarValue> {
    let shared = m.shared;
    let mut vals = defaults(m);
    for (name, value) in &opts.env_vars {
        if let Some(decl) = m.declared.get(name) {
            vals.insert(name.clone(), cli_value(m, *decl, value));
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
                vals.insert(name.clone(), cli_value(m, *decl, value));
            }
        }
    }
    vals
}

/// A value given as text (`--var`, `TF_VAR_name`): an HCL expression for a collection type, a
/// number or bool for those types, otherwise the string as written.
fn cli_value(m: &Module, decl: Located<Block>, value: &str) -> VarValue {
    let env = m.env(decl.file);
    let at = span_of_block(&env, decl.item);
    let ty = decl
        .item
        .body
        .attributes()
        .find(|a| a.key.as_str() == "type")
        .and_then(|a| hcl_edit::Span::span(&a.value))
        .and_then(|r| env.text.get(r))
        .unwrap_or("")
        .trim()
        .to_string();
    let mut node = if ["list", "map", "set", "object", "tuple"]
        .iter()
        .any(|t| ty.starts_with(t))
    {
        match hcl_edit::parser::parse_expr(value) {
            Ok(e) => m.ev(&e, &Env::new(decl.file, value)),
            Err(_) => Node::unknown("value given on the command line does not parse", at),
        }
    } else if ty == "number" {
        match value.trim().parse::<f64>() {
            Ok(n) => Node::new(Value::Number(n), at),
            Err(_) => Node::unknown("value given on the command line is not a number", at),
        }
    } else if ty == "bool" && (value == "true" || value == "false") {
        Node::new(Value::Bool(value == "true"), at)
    } else {
        Node::new(Value::String(value.to_string()), at)
    };
    respan(&mut node, at);
    VarValue {
        node,
        origins: Vec::new(),
    }
}

fn span_of_block(env: &Env, b: &Block) -> Span {
    let r = hcl_edit::Span::span(b).unwrap_or(0..0);
    let n = env.text.len();
    Span::new(env.file, r.start.min(n), r.end.min(n))
}

/// Sets the variables a `.tfvars` or `.tfvars.json` file assigns.
fn apply_var_file(m: &Module, d: &Document, label: &str, vals: &mut HashMap<String, VarValue>) {
    let env = m.env(d.file);
    if let Some(body) = m.shared.bodies.get(&d.file) {
        for a in body.attributes() {
            let name = a.key.as_str();
            if !m.declared.contains_key(name) {
                continue;
            }
            let node = m.ev(&a.value, &env);
            let from = span_of_attr(&env, a).unwrap_or(Span::new(d.file, 0, 0));
            vals.insert(
                name.to_string(),
                VarValue {
                    node,
                    origins: vec![Origin {
                        from,
                        label: format!("value of variable `{name}` ({label})"),
                    }],
                },
            );
        }
        return;
    }
    if d.kind != DocKind::Tfvars {
        return;
    }
    let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(env.text)
    else {
        return;
    };
    for (name, v) in &o {
        if !m.declared.contains_key(name) {
            continue;
        }
        let quoted = serde_json::Value::String(name.clone()).to_string();
        let from = match env.text.find(&quoted) {
            Some(at) => Span::new(d.file, at, at + quoted.len()),
            None => Span::new(d.file, 0, 0),
        };
        vals.insert(
            name.clone(),
            VarValue {
                node: from_json(v, from),
                origins: vec![Origin {
                    from,
                    label: format!("value of variable `{name}` ({label})"),
                }],
            },
        );
    }
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

/// Builds the call `module "name"` of `m`: the child directory's module, one per instance, with
/// the call's arguments as its variables.
pub fn build_call<'s>(m: &Module<'s>, name: &str) -> Option<Call<'s>> {
    let call = *m.calls.get(name)?;
    let env = m.env(call.file);
    let source = call
        .item
        .body
        .attributes()
        .find(|a| a.key.as_str() == "source")?;
    let source = m.ev(&source.value, &env);
    let source = source.as_str()?;
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let child_dir = join_dir(&m.dir, source)?;
    let docs = m.shared.dirs.get(&child_dir)?.clone();
    let at = span_of_block(&env, call.item);
    let open = crate::frontend::hcl::open_span(env.text, at);
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
    let (list, keyed, conditional): (Vec<Option<Instance>>, bool, Option<String>) =
        match &*instances {
            Instances::Single => (vec![None], false, m.conditional.clone()),
            Instances::Unresolved(why) => (
                vec![None],
                false,
                Some(m.conditional.clone().unwrap_or_else(|| {
                    format!("the module call `module.{name}` is conditional: {why}")
                })),
            ),
            Instances::Keys(k) => (
                k.iter().cloned().map(Some).collect(),
                true,
                m.conditional.clone(),
            ),
        };
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
        let each = inst.as_ref().and_then(|i| i.each.clone());
        let count = inst.as_ref().and_then(|i| i.count.clone());
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
            let (node, mut origins) = m.collect(|| m.ev(&a.value, &ienv));
            let from = span_of_attr(&env, a).unwrap_or(at);
            origins.insert(
                0,
                Origin {
                    from,
                    label: format!("argument `{arg}` of module.{name}"),
                },
            );
            vals.insert(arg.to_string(), VarValue { node, origins });
        }
        child.vars = vals;
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

/// Lowers every resource instance of a module instance, then those of its local module calls.
fn collect_resources(m: &Module, out: &mut Vec<Resource>) {
    for d in &m.docs {
        let Some(body) = m.shared.bodies.get(&d.file) else {
            continue;
        };
        let text = m.text(d.file);
        let plain = Ctx::new(d.file, text);
        for s in body.iter() {
            let Structure::Block(b) = s else { continue };
            if b.ident.as_str() == "module" && b.labels.len() == 1 {
                if let Some(call) = m.child(b.labels[0].as_str()) {
                    for (_, child) in &call.instances {
                        collect_resources(child, out);
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
            let instances = m.instances(&base, rb.header);
            let list: Vec<(Option<&Instance>, Option<String>)> = match &*instances {
                Instances::Single => vec![(None, None)],
                Instances::Unresolved(why) => vec![(None, Some(why.clone()))],
                Instances::Keys(k) => k.iter().map(|i| (Some(i), None)).collect(),
            };
            for (inst, why) in list {
                let ev = InstanceEval::new(m, inst);
                let mut ctx = Ctx::new(d.file, text);
                ctx.evaluator = Some(&ev);
                rb.address = format!("{base}{}", inst.map(|i| i.key.suffix()).unwrap_or_default());
                let Some(mut r) = lower_resource(&rb, &ctx) else {
                    continue;
                };
                r.tf_address = Some(format!("{}{}", m.prefix, rb.address));
                r.provenance = ev.provenance.into_inner();
                r.conditional = m.conditional.clone().or(why);
                out.push(r);
            }
        }
    }
}

#[cfg(test)]
mod tests;
