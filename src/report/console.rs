//! (being written)
use crate::findings::Report;
pub fn render(_report: &Report, _color: bool) -> String {
    String::new()
}
