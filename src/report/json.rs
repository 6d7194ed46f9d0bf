//! JSON output (`--format json`): a small, stable shape for scripts and dashboards.
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "rule": "NET001",
//!       "level": "error",
//!       "message": "NSG allows SSH from the internet: …",
//!       "path": "infra/main.tf",
//!       "start": { "line": 15, "column": 5 },
//!       "end": { "line": 15, "column": 38 },
//!       "related": [
//!         {
//!           "message": "deciding rule (priority 100)",
//!           "path": "infra/main.tf",
//!           "start": { "line": 10, "column": 5 },
//!           "end": { "line": 10, "column": 41 }
//!         }
//!       ],
//!       "fix": {
//!         "edits": [
//!           { "path": ["properties", "publicNetworkAccess"], "set": "Disabled" }
//!         ]
//!       }
//!     }
//!   ],
//!   "notifications": [
//!     {
//!       "level": "error",
//!       "message": "cannot parse ARM template: …",
//!       "path": "infra/arm/broken.json",
//!       "start": { "line": 4, "column": 1 },
//!       "end": { "line": 4, "column": 1 }
//!     }
//!   ],
//!   "summary": { "errors": 1, "warnings": 0, "notes": 0, "files": 12 }
//! }
//! ```
//!
//! - `version` is the version of this shape. It changes only when a field is removed or changes
//!   meaning; new fields may be added without a change.
//! - `findings` are in the same order as in the console and SARIF output. `rule` is the rule id,
//!   `level` is `error`, `warning` or `note` (the finding's effective level), `message` is the full
//!   message. `path` is `/`-separated and relative to the scan root, exactly as in the console
//!   output (not URI-encoded). `related` lists the other places that explain the finding (the
//!   deciding NSG rule, the variable a value came from); it is `[]` when there are none.
//!   `instances` is present when the finding concerns instances that share their source text (a
//!   `count` or `for_each` block, an ARM `copy` loop, a module called twice or from two roots):
//!   the addresses of every instance the result stands for (Terraform addresses such as
//!   `azurerm_x.y["a"]` or `module.m.azurerm_x.y`, ARM copies as `type 'name'`), in natural order.
//!   Results of one rule at one place that differ only by the instance are one finding, whose
//!   message names the first five of them. `fix`
//!   is present when the rule knows the property change that makes the finding go away: `edits`
//!   of the resource, each a `path` of ARM property names below the resource object (array
//!   positions as numbers in strings, whatever syntax the resource is written in) and one of
//!   `set` (the ARM value to set), `add` (an element to add to the array) or `remove: true`;
//!   `safe` is `false` for a fix that changes more than the finding (`unsafe_because` says what;
//!   `scan --fix` applies it only with `--unsafe-fixes`). Once the scan has planned it as text,
//!   `title` says what it does, `note` which definition it edits when the value comes from one
//!   (a variable default, a tfvars entry, a parameters file), and `changes` are the text edits:
//!   `path`, `start` and `end` (the exact text replaced; equal where text is inserted) and the
//!   new `text`; where it cannot be made as text, `not_applicable` says why instead.
//! - Positions are 1-based lines and 1-based columns counted in UTF-16 code units, the same as
//!   SARIF; `end` is exclusive. A byte-order mark is not counted.
//! - `notifications` are problems with the scan itself: `error` for an input that could not be
//!   read or parsed, `warning` for a semantic fault (such as a duplicate Terraform address). `path`,
//!   `start` and `end` are present only when the notification concerns a file (`path` alone when it
//!   concerns a file as a whole).
//! - `summary` counts findings by level (notifications are not counted) and `files` is the number
//!   of files scanned.

use serde_json::{json, Map, Value};

use super::{file_by_id, region, Summary};
use crate::findings::{EditOp, Fix, Notification, Report, Safety};
use crate::ir::Span;

/// The report as pretty-printed JSON, ending with a newline.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(&mut out, report).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`render`] written to `w` finding by finding, never whole in memory.
pub fn write(w: &mut dyn std::io::Write, report: &Report) -> std::io::Result<()> {
    let finding = |i: usize| {
        let f = &report.findings[i];
        let mut v = Map::new();
        v.insert("rule".into(), json!(f.rule));
        v.insert("level".into(), json!(f.level.as_str()));
        v.insert("message".into(), json!(f.message.as_str()));
        insert_location(&mut v, report, f.span);
        let related: Vec<Value> = f
            .related
            .iter()
            .map(|r| {
                let mut rv = Map::new();
                rv.insert("message".into(), json!(r.message.as_str()));
                insert_location(&mut rv, report, r.span);
                Value::Object(rv)
            })
            .collect();
        v.insert("related".into(), Value::Array(related));
        if !f.instances.is_empty() {
            v.insert("instances".into(), json!(f.instances));
        }
        if let Some(fix) = &f.fix {
            v.insert("fix".into(), fix_json(report, fix));
        }
        Value::Object(v)
    };
    let notifications: Vec<Value> = report
        .notifications
        .iter()
        .map(|n| notification(report, n))
        .collect();
    let s = Summary::of(report);
    let doc = json!({
        "version": 1,
        "findings": super::LAZY_ARRAY,
        "notifications": notifications,
        "summary": { "errors": s.errors, "warnings": s.warnings, "notes": s.notes, "files": s.files },
    });
    super::write_pretty_with_array(w, &doc, report.findings.len(), finding)?;
    w.write_all(b"\n")
}

/// A structured fix: `{"edits": [{"path": [...], "set": v} | {"path", "add": v} | {"path",
/// "remove": true}], "safe": …}` and, once planned, the text edits that make it or why there are
/// none.
fn fix_json(report: &Report, fix: &Fix) -> Value {
    let edits: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            let mut v = Map::new();
            v.insert("path".into(), json!(e.path));
            match &e.op {
                EditOp::Set(x) => v.insert("set".into(), x.clone()),
                EditOp::Add(x) => v.insert("add".into(), x.clone()),
                EditOp::Remove => v.insert("remove".into(), json!(true)),
            };
            Value::Object(v)
        })
        .collect();
    let mut v = json!({ "edits": edits, "safe": fix.safety == Safety::Safe });
    if let Safety::Unsafe(why) = fix.safety {
        v["unsafe_because"] = json!(why);
    }
    match &fix.planned {
        Some(Ok(p)) => {
            v["title"] = json!(p.title);
            if let Some(note) = &p.note {
                v["note"] = json!(note);
            }
            let changes: Vec<Value> = p
                .edits
                .iter()
                .filter_map(|e| {
                    let file = file_by_id(report.files, e.span.file)?;
                    let (start, end) = (file.position(e.span.start), file.position(e.span.end));
                    Some(json!({
                        "path": file.rel,
                        "start": { "line": start.line, "column": start.col_utf16 },
                        "end": { "line": end.line, "column": end.col_utf16 },
                        "text": e.text,
                    }))
                })
                .collect();
            v["changes"] = json!(changes);
        }
        Some(Err(why)) => v["not_applicable"] = json!(why),
        None => {}
    }
    v
}

fn insert_location(v: &mut Map<String, Value>, report: &Report, span: Span) {
    if let Some(file) = file_by_id(report.files, span.file) {
        let r = region(file, span);
        v.insert("path".into(), json!(file.rel));
        v.insert(
            "start".into(),
            json!({ "line": r.start_line, "column": r.start_column }),
        );
        v.insert(
            "end".into(),
            json!({ "line": r.end_line, "column": r.end_column }),
        );
    }
}

fn notification(report: &Report, n: &Notification) -> Value {
    let mut v = Map::new();
    v.insert("level".into(), json!(n.level.as_str()));
    v.insert("message".into(), json!(n.message));
    match (n.span, n.file) {
        (Some(span), _) => insert_location(&mut v, report, span),
        (None, Some(id)) => {
            if let Some(file) = file_by_id(report.files, id) {
                v.insert("path".into(), json!(file.rel));
            }
        }
        (None, None) => {}
    }
    Value::Object(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Level;
    use crate::report::testutil;
    use crate::source::SourceFile;

    #[test]
    fn snapshot() {
        let files = testutil::files();
        let findings = testutil::findings();
        let notifications = testutil::notifications();
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &notifications,
            root_uri: None,
        };
        insta::assert_snapshot!(render(&report));
    }

    #[test]
    fn notifications_carry_only_what_they_know() {
        let files = vec![SourceFile::new(0, "a.tf".into(), "a.tf".into(), "x = 1\n")];
        let notifications = vec![
            Notification {
                level: Level::Warning,
                message: "w".into(),
                span: None,
                file: Some(0),
            },
            Notification {
                level: Level::Error,
                message: "e".into(),
                span: None,
                file: None,
            },
        ];
        let report = Report {
            files: &files,
            findings: &[],
            notifications: &notifications,
            root_uri: None,
        };
        let v: Value = serde_json::from_str(&render(&report)).unwrap();
        assert_eq!(
            v["notifications"][0],
            json!({ "level": "warning", "message": "w", "path": "a.tf" })
        );
        assert_eq!(
            v["notifications"][1],
            json!({ "level": "error", "message": "e" })
        );
        assert_eq!(
            v["summary"],
            json!({ "errors": 0, "warnings": 0, "notes": 0, "files": 1 })
        );
        assert_eq!(v["findings"], json!([]));
    }

    #[test]
    fn fixes_and_instances_are_data() {
        let files = vec![SourceFile::new(0, "a.tf".into(), "a.tf".into(), "x = 1\n")];
        let mut f = crate::findings::Finding::new("ML009", Level::Warning, Span::new(0, 0, 5), "m");
        f.instances = vec!["azurerm_x.c[1]".into(), "azurerm_x.c[2]".into()];
        f.fix = Some(
            crate::findings::Fix::set(&["properties", "disableLocalAuth"], json!(true))
                .and_add(&["properties", "modes"], json!("AAD")),
        );
        let mut g = f.clone();
        let mut remove = crate::findings::Fix::remove(&["properties", "certificates"])
            .changing("the pool loses its certificates");
        remove.planned = Some(Ok(crate::findings::Planned {
            edits: vec![crate::findings::TextEdit {
                span: Span::new(0, 4, 5),
                text: "2".into(),
                uses: Vec::new(),
                used_at: None,
            }],
            title: "remove certificates".into(),
            note: None,
        }));
        g.fix = Some(remove);
        g.instances.clear();
        let findings = [f, g];
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &[],
            root_uri: None,
        };
        let v: Value = serde_json::from_str(&render(&report)).unwrap();
        assert_eq!(
            v["findings"][0]["instances"],
            json!(["azurerm_x.c[1]", "azurerm_x.c[2]"])
        );
        assert_eq!(
            v["findings"][0]["fix"],
            json!({ "edits": [
                { "path": ["properties", "disableLocalAuth"], "set": true },
                { "path": ["properties", "modes"], "add": "AAD" },
            ], "safe": true })
        );
        assert!(v["findings"][1].get("instances").is_none());
        assert_eq!(
            v["findings"][1]["fix"],
            json!({
                "edits": [{ "path": ["properties", "certificates"], "remove": true }],
                "safe": false,
                "unsafe_because": "the pool loses its certificates",
                "title": "remove certificates",
                "changes": [{
                    "path": "a.tf",
                    "start": { "line": 1, "column": 5 },
                    "end": { "line": 1, "column": 6 },
                    "text": "2",
                }],
            })
        );
    }
}
