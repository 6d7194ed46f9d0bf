//! Evaluation: the templates as Azure will deploy them. Groups documents into scopes (a
//! Terraform module directory with its variables and local modules; an ARM template with its
//! parameters file and nested templates) and evaluates each into the resources that rules read,
//! keeping every value's span on the source text that holds its expression and recording where a
//! value came from ([`crate::ir::Provenance`]). A value that cannot be known stays Unknown.
//!
//! Depends on `ir`, `source`, `findings` (notifications) and `frontend` (the parsed Terraform
//! bodies, and to lower evaluated HCL).

pub mod arm;
pub mod guard;
pub mod terraform;

use crate::findings::Notification;
use crate::frontend::terraform::Bodies;
use crate::ir::{Document, Resource, Span};
use crate::source::{FileId, SourceFile};
use std::path::PathBuf;

/// Values given on the command line and in the environment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalOptions {
    /// `--var NAME=VALUE`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order (canonical paths).
    pub var_files: Vec<PathBuf>,
    /// `TF_VAR_name` environment variables.
    pub env_vars: Vec<(String, String)>,
    /// `--parameters TEMPLATE=FILE` (canonical paths).
    pub parameters: Vec<(PathBuf, PathBuf)>,
    /// `--plan FILE`: files read as Terraform plans in JSON whatever their name (canonical
    /// paths).
    pub plans: Vec<PathBuf>,
    /// The order of `--var` and `--var-file` among each other: `true` for a var file. Terraform
    /// applies them in command-line order.
    pub cli_order: Vec<bool>,
}

/// How many arguments a template function takes (a column of the Terraform and ARM function
/// tables); a call with another number is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    pub min: usize,
    /// `None` for any number from `min` on.
    pub max: Option<usize>,
}

impl Arity {
    pub const fn exactly(n: usize) -> Arity {
        Arity {
            min: n,
            max: Some(n),
        }
    }
    pub const fn between(min: usize, max: usize) -> Arity {
        Arity {
            min,
            max: Some(max),
        }
    }
    pub const fn at_least(min: usize) -> Arity {
        Arity { min, max: None }
    }
    pub fn allows(self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

/// One unit of analysis: resources that may refer to each other, evaluated.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// What the scope is, for messages: "the Terraform module `net`", "the ARM template `a.json`".
    pub label: String,
    pub resources: Vec<Resource>,
    /// The files the scope is written in: a Terraform module directory's files, an ARM template
    /// and its parameters file. An internal error in the scope is reported at the first.
    pub files: Vec<FileId>,
    /// The message and place of the internal error that stopped the scope's evaluation (already
    /// an error notification); its resources are not known then.
    pub failed: Option<(String, Option<Span>)>,
}

/// Every scope of the scan: ARM templates (each with its parameters file) and Terraform modules.
/// Terraform documents are evaluated from their parsed `bodies` (by file id).
pub fn scopes(
    files: &[SourceFile],
    docs: &[Document],
    bodies: &Bodies,
    opts: &EvalOptions,
) -> (Vec<Scope>, Vec<Notification>) {
    let mut notes = Vec::new();
    let mut out = arm::scopes(files, docs, opts, &mut notes);
    let mut tf = terraform::scopes(files, docs, bodies, opts, &mut notes);
    // `azapi_update_resource` bodies patch their targets in the same module (§1.10).
    for s in &mut tf {
        if let Err(caught) =
            guard::isolate(|| crate::frontend::azapi::apply_updates(&mut s.resources))
        {
            let n = caught.notification(&format!("evaluating {}", s.label), &s.files);
            s.failed = Some((n.message.clone(), n.span));
            s.resources.clear();
            notes.push(n);
        }
    }
    out.extend(tf);
    (out, notes)
}

/// The documents in units that [`scopes`] evaluates apart from one another, as indices into
/// `docs` (each unit in document order, units in the order `scopes` gives their scopes): each
/// ARM template with its parameters file; every ARM document of a folder with a Bicep or
/// `.bicepparam` file, or with a template that links others, at once (Bicep modules, compiled
/// twins, `using` and `templateLink` join files by what they hold); every Terraform document at once (modules call each other, variable files and plans
/// are matched to modules). [`scopes`] of one unit's documents gives the scopes, notifications
/// and resources that [`scopes`] of all the documents gives for them, so that the language
/// server evaluates again only the units whose files changed.
pub fn units(files: &[SourceFile], docs: &[Document], opts: &EvalOptions) -> Vec<Vec<usize>> {
    use crate::ir::DocKind;
    let arm: Vec<usize> = (0..docs.len())
        .filter(|&i| matches!(docs[i].kind, DocKind::ArmTemplate | DocKind::ArmParameters))
        .collect();
    let terraform: Vec<usize> = (0..docs.len()).filter(|&i| !arm.contains(&i)).collect();
    let mut out: Vec<Vec<usize>> = Vec::new();
    // Modules, compiled twins, `using` and linked templates join documents by what they hold.
    let joined = arm.iter().any(|&i| {
        let rel = files[docs[i].file].rel.to_ascii_lowercase();
        rel.ends_with(".bicep")
            || rel.ends_with(".bicepparam")
            || docs[i]
                .root
                .as_ref()
                .is_some_and(arm::bicep::links_templates)
    });
    if joined {
        out.push(arm);
    } else {
        // Each template with the parameters file it reads; a parameters file that several
        // templates read (`--parameters`) puts every ARM document in one unit.
        let mut claimed: Vec<Option<usize>> = vec![None; docs.len()];
        let mut shared = false;
        for &t in arm
            .iter()
            .filter(|&&i| docs[i].kind == DocKind::ArmTemplate)
        {
            let mut unit = vec![t];
            if let Some(p) = arm::parameters_file(files, docs, &docs[t], opts) {
                // Always one of `docs`; were it not, one unit of everything is still right.
                let Some(at) = docs.iter().position(|d| std::ptr::eq(d, p)) else {
                    shared = true;
                    continue;
                };
                shared |= claimed[at].is_some();
                claimed[at] = Some(out.len());
                unit.push(at);
            }
            unit.sort_unstable();
            out.push(unit);
        }
        let alone: Vec<usize> = arm
            .iter()
            .copied()
            .filter(|&i| docs[i].kind == DocKind::ArmParameters && claimed[i].is_none())
            .collect();
        if shared {
            out = vec![arm];
        } else if !alone.is_empty() {
            out.push(alone);
        }
    }
    if !terraform.is_empty() {
        out.push(terraform);
    }
    out
}
