//! (being written)
use crate::frontend::InputKind;
use crate::ir::{DocKind, Document};
use crate::source::SourceFile;
pub fn load(file: &SourceFile, _kind: InputKind) -> Document {
    Document {
        file: file.id,
        kind: DocKind::Terraform,
        resources: vec![],
        notices: vec![],
    }
}
