//! (being written)
use crate::findings::Report;
use crate::rules::RuleMeta;
pub fn render(_report: &Report, _rules: &[&'static RuleMeta], _tool_version: &str) -> String {
    String::new()
}
