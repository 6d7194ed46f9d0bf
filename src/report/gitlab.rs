//! GitLab Code Quality (`--format gitlab`): a JSON array of issues, which GitLab shows in merge
//! requests and pipelines. Each finding is an issue with its rule as `check_name`, its message as
//! `description`, a severity (`critical` for an error, `major` for a warning, `minor` for a
//! note), its file and first line, and a fingerprint that stays the same while the finding's
//! rule, file, message and line text do (a second finding alike gets its ordinal in it).
//! Notifications are not issues: GitLab has no place for them.

use super::place;
use crate::findings::{Level, Report};
use serde_json::json;

pub fn render(report: &Report) -> String {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let issues: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let at = place(report, Some(f.span), Some(f.span.file));
            let path = at.as_ref().map_or(String::new(), |p| p.path.clone());
            let line = at.as_ref().and_then(|p| p.line).unwrap_or(1);
            let text = super::file_by_id(report.files, f.span.file)
                .and_then(|file| file.text.lines().nth(line - 1))
                .unwrap_or("")
                .trim();
            let key = format!("{}\0{path}\0{}\0{text}", f.rule, f.message.as_str());
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let fingerprint = sha1_smol::Sha1::from(format!("{key}\0{n}"))
                .digest()
                .to_string();
            json!({
                "type": "issue",
                "check_name": f.rule,
                "description": f.message.as_str(),
                "categories": ["Security"],
                "severity": match f.level {
                    Level::Error => "critical",
                    Level::Warning => "major",
                    Level::Note => "minor",
                },
                "fingerprint": fingerprint,
                "location": { "path": path, "lines": { "begin": line } },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
