//! Terraform evaluation: variables, locals, expressions and functions, `count` / `for_each` /
//! `dynamic`, and local modules.

use super::{EvalOptions, Scope};
use crate::findings::{Level, Notification};
use crate::ir::{DocKind, Document};
use crate::source::SourceFile;
use std::collections::BTreeMap;

/// One scope per module directory (each file its own scope when the directory declares one
/// address twice, i.e. is a folder of independent examples).
pub fn scopes(
    files: &[SourceFile],
    docs: &[Document],
    _opts: &EvalOptions,
    notes: &mut Vec<Notification>,
) -> Vec<Scope> {
    let mut out = Vec::new();
    let mut modules: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Terraform) {
        let rel = &files[d.file].rel;
        let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
        modules.entry(dir).or_default().push(d);
    }
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
            None => out.push(Scope {
                resources: docs
                    .iter()
                    .flat_map(|d| d.resources.iter().cloned())
                    .collect(),
            }),
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
                    out.push(Scope {
                        resources: d.resources.clone(),
                    });
                }
            }
        }
    }
    out
}
