//! (being written)
use crate::findings::Report;
pub fn render(_report: &Report) -> String {
    String::new()
}
