//! Terraform evaluation. Each module directory is a root module and a scope; its resource blocks
//! are lowered again through the front-end with an evaluator, so the azurerm mapping table and the
//! azapi lowering stay the single source of truth.
//!
//! - [`module`]: one module instance: variables with Terraform's precedence, locals, local module
//!   calls, `count` / `for_each` instances, and the resources it deploys.
//! - [`parts`]: a big root module evaluated in parts, in parallel, to the same result.
//! - [`expr`]: the expression evaluator (operators, `for`, splats, templates, references).
//! - [`functions`]: Terraform's built-in functions, one table row each.
//! - [`value`]: conversions, equality and iteration order of evaluated values.

pub mod expr;
pub mod functions;
pub mod module;
pub mod parts;
mod types;
pub mod value;

use super::{guard, EvalOptions, Scope};
use crate::findings::{Level, Notification};
use crate::frontend::hcl::Ctx;
use crate::frontend::terraform::{declared_names, declared_resources, is_override_file, Bodies};
use crate::ir::Span;
use crate::ir::{DocKind, Document};
use crate::source::{FileId, SourceFile};
use module::{dir_of, eval_root, Shared};
use std::collections::BTreeMap;

/// One scope per module directory (each file its own scope when the directory declares one
/// address twice, i.e. is a folder of independent examples), evaluated.
pub fn scopes(
    files: &[SourceFile],
    docs: &[Document],
    bodies: &Bodies,
    opts: &EvalOptions,
    notes: &mut Vec<Notification>,
) -> Vec<Scope> {
    match crate::stack::deep(|| scopes_here(files, docs, bodies, opts)) {
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

/// The module directory a plan was made from: the one whose resource blocks and module calls are
/// exactly those of the plan's configuration, or, for a plan without one, include every planned
/// resource and module (the plan's own directory first).
fn plan_module(
    files: &[SourceFile],
    plan: &Document,
    modules: &BTreeMap<String, Vec<&Document>>,
    bodies: &Bodies,
) -> Option<String> {
    let root = plan.root.as_ref()?;
    let names = |key: &str| -> std::collections::BTreeSet<String> {
        root.get(key)
            .map(|l| {
                l.items()
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let configured = root.get("configured").and_then(|n| n.as_bool()) == Some(true);
    let (want, calls) = if configured {
        (names("addresses"), names("module_calls"))
    } else {
        (names("planned"), names("planned_calls"))
    };
    if want.is_empty() && calls.is_empty() {
        return None;
    }
    let own = dir_of(&files[plan.file].rel);
    let mut dirs: Vec<&String> = modules.keys().collect();
    dirs.sort_by_key(|d| **d != own);
    dirs.into_iter()
        .find(|dir| {
            let mut have = std::collections::BTreeSet::new();
            let mut have_calls = std::collections::BTreeSet::new();
            for d in &modules[*dir] {
                let Some(b) = bodies.get(&d.file) else {
                    continue;
                };
                for blk in b.structures().filter_map(|(s, _)| s.as_block()) {
                    let l: Vec<&str> = blk.labels.iter().map(|l| l.as_str()).collect();
                    match (blk.ident.as_str(), l.as_slice()) {
                        ("resource", [t, n]) => {
                            have.insert(format!("{t}.{n}"));
                        }
                        ("data", [t, n]) => {
                            have.insert(format!("data.{t}.{n}"));
                        }
                        ("module", [n]) => {
                            have_calls.insert(n.to_string());
                        }
                        _ => {}
                    }
                }
            }
            if configured {
                have == want && have_calls == calls
            } else {
                // Planned instances leave out resources with no instance (`count = 0`).
                want.is_subset(&have) && calls.is_subset(&have_calls)
            }
        })
        .cloned()
}

/// The Terraform documents by module directory.
fn module_dirs<'d>(
    files: &[SourceFile],
    docs: &'d [Document],
) -> BTreeMap<String, Vec<&'d Document>> {
    let mut modules: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Terraform) {
        modules
            .entry(dir_of(&files[d.file].rel))
            .or_default()
            .push(d);
    }
    modules
}

fn scopes_here(
    files: &[SourceFile],
    docs: &[Document],
    bodies: &Bodies,
    opts: &EvalOptions,
) -> (Vec<Scope>, Vec<Notification>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let modules = module_dirs(files, docs);
    let mut plans = BTreeMap::new();
    // A plan that could not be read has no summary, and its error says so.
    for plan in docs
        .iter()
        .filter(|d| d.kind == DocKind::TerraformPlan && d.root.is_some())
    {
        let rel = &files[plan.file].rel;
        match plan_module(files, plan, &modules, bodies) {
            Some(dir) if !plans.contains_key(&dir) => {
                notes.push(Notification {
                    level: Level::Note,
                    message: format!(
                        "this Terraform plan was made from the module in `{}`: its findings are \
                         reported in that module's files, evaluated with the plan's variable values",
                        if dir.is_empty() { "." } else { &dir }
                    ),
                    span: Some(Span::new(plan.file, 0, 0)),
                    file: Some(plan.file),
                });
                plans.insert(dir, plan);
            }
            _ => {
                notes.push(Notification {
                    level: Level::Note,
                    message: "the configuration this Terraform plan was made from is not in the \
                              scan, so its findings point into the plan's planned values"
                        .into(),
                    span: Some(Span::new(plan.file, 0, 0)),
                    file: Some(plan.file),
                });
                out.push(Scope {
                    label: format!("the Terraform plan `{rel}`"),
                    resources: plan.resources.clone(),
                    files: vec![plan.file],
                    failed: None,
                });
            }
        }
    }
    let shared = Shared::new(files, docs, bodies, modules.clone(), plans);
    undeclared_in_var_files(&shared, opts);
    for (dir, docs) in modules {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut duplicate = None;
        // The resource blocks the front-end reads, from the bodies: the scan's documents carry
        // no lowered resources (evaluation lowers them itself). Then the variables, locals,
        // module calls and data sources: one declared in two files would otherwise take the
        // value of whichever is read last.
        let declared: Vec<(FileId, Vec<(String, Span)>)> = docs
            .iter()
            // An override file declares again, by design, what it overrides.
            .filter(|d| !is_override_file(&files[d.file].rel))
            .filter_map(|d| {
                let body = bodies.get(&d.file)?;
                let ctx = Ctx::new(d.file, &files[d.file].text);
                let mut declared: Vec<(String, Span)> = body
                    .parts()
                    .flat_map(|(b, map)| {
                        let ctx = ctx.clone().mapped(map);
                        let mut names = declared_resources(b, &ctx);
                        names.extend(declared_names(b, &ctx));
                        names
                    })
                    .collect();
                // In the file's order, however it was parsed: the first duplicate is named.
                declared.sort_by_key(|(_, at)| at.start);
                Some((d.file, declared))
            })
            .collect();
        for (file, resources) in &declared {
            for (a, header) in resources {
                match seen.get(a.as_str()) {
                    Some(&f) if f != *file && duplicate.is_none() => {
                        duplicate = Some((a.as_str(), f, *file, *header))
                    }
                    _ => {
                        seen.insert(a.as_str(), *file);
                    }
                }
            }
        }
        match duplicate {
            None => out.push(isolated(&shared, &dir, docs, opts, &mut notes)),
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
                    out.push(isolated(&shared, &dir, vec![d], opts, &mut notes));
                }
            }
        }
    }
    notes.extend(shared.notes.into_inner());
    (out, notes)
}

/// A warning at each value of a `--var-file` for a variable no root module of the scan declares
/// (a module only ever called by another is not a root: Terraform gives it no values). The var
/// files apply to every root module, so a value one of them declares is used.
fn undeclared_in_var_files(shared: &Shared, opts: &EvalOptions) {
    if opts.var_files.is_empty() {
        return;
    }
    let declared: crate::hash::HashSet<&str> = shared
        .dirs
        .iter()
        .filter(|(dir, _)| !shared.called.contains(*dir))
        .flat_map(|(_, docs)| docs.iter())
        .filter_map(|d| shared.bodies.get(&d.file))
        .flat_map(|body| body.structures())
        .filter_map(|(s, _)| s.as_block())
        .filter(|b| b.ident.as_str() == "variable" && b.labels.len() == 1)
        .map(|b| b.labels[0].as_str())
        .collect();
    for path in &opts.var_files {
        let Some(f) = shared.files.iter().find(|f| &f.path == path) else {
            continue;
        };
        let Some(d) = shared.docs.iter().find(|d| d.file == f.id) else {
            continue;
        };
        for (name, at) in module::var_file_entries(shared.files, shared.bodies, d) {
            if !declared.contains(name.as_str()) {
                let undeclared = format!("no scanned root module declares a variable `{name}`");
                module::undeclared_value(shared, &name, &f.rel, at, &undeclared);
            }
        }
    }
}

/// The root module of `docs` evaluated; a panic while evaluating it (a bug) is an error
/// notification at the module, which then has no resources, and the other modules go on.
fn isolated<'s>(
    shared: &'s Shared<'s>,
    dir: &str,
    docs: Vec<&'s Document>,
    opts: &EvalOptions,
    notes: &mut Vec<Notification>,
) -> Scope {
    let files: Vec<_> = docs.iter().map(|d| d.file).collect();
    let label = format!(
        "the Terraform module `{}`",
        if dir.is_empty() { "." } else { dir }
    );
    match guard::isolate(|| eval_root(shared, dir, docs, opts)) {
        Ok(scope) => Scope {
            label,
            files,
            ..scope
        },
        Err(caught) => {
            let n = caught.notification(&format!("evaluating {label}"), &files);
            let failed = Some((n.message.clone(), n.span));
            notes.push(n);
            Scope {
                label,
                resources: Vec::new(),
                files,
                failed,
            }
        }
    }
}

#[cfg(test)]
mod tests;
