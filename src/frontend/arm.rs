//! (being written)
use crate::ir::Document;
use crate::source::SourceFile;
pub fn load(_file: &SourceFile) -> Option<Document> {
    None
}
