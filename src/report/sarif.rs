//! SARIF 2.1.0 output, shaped for GitHub code scanning.
//!
//! One run. The driver lists every rule of the pack (so that GitHub shows help for rules without
//! results too), with the metadata GitHub reads: `properties.tags`, `precision` and
//! `security-severity`. Results point at files by URIs relative to `%SRCROOT%` (the scan root), with
//! 1-based lines and UTF-16 columns (`columnKind: utf16CodeUnits`), and carry GitHub's
//! `primaryLocationLineHash` so that alerts keep their identity when unrelated lines move. Problems
//! with the scan itself (unparsable files, semantic faults) are `toolExecutionNotifications` of the
//! invocation; an error among them marks the invocation unsuccessful. A result that stands for
//! several instances (`count`, `for_each`, ARM `copy`, module call paths) lists all their
//! addresses in `properties.instances`.
//!
//! The output is pretty-printed and deterministic: the same report gives the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::fingerprint::line_hashes_of;
use super::{file_by_id, region};
use crate::findings::{Level, Report};
use crate::ir::Span;
use crate::rules::meta::RuleMeta;
use crate::source::{FileId, SourceFile};
use rayon::prelude::*;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF log of a report. `rules` is the full rule list, in the order the driver should list
/// them; `tool_version` is batchguard's version.
pub fn render(report: &Report, rules: &[&'static RuleMeta], tool_version: &str) -> String {
    let mut out = Vec::new();
    write(&mut out, report, rules, tool_version).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`render`] written to `w` result by result, never whole in memory.
pub fn write(
    w: &mut dyn std::io::Write,
    report: &Report,
    rules: &[&'static RuleMeta],
    tool_version: &str,
) -> std::io::Result<()> {
    // The line hashes and fingerprints (on the thread pool) while the rest of the log, all but
    // its results, is built and printed.
    let ((hashes, finding_hashes), (artifacts, skeleton)) = rayon::join(
        || {
            rayon::join(
                || Hashes::new(report),
                || crate::controls::baseline::fingerprints(report.findings, report.files),
            )
        },
        || {
            let artifacts = Artifacts::new(report);
            let mut run = run_object(report, rules, tool_version, &artifacts);
            run.insert("results".into(), json!(super::LAZY_ARRAY));
            run.insert("columnKind".into(), json!("utf16CodeUnits"));
            let log = json!({
                "$schema": SCHEMA,
                "version": "2.1.0",
                "runs": [Value::Object(run)],
            });
            (artifacts, super::skeleton(&log))
        },
    );
    let result = |i: usize| {
        let (f, finding_hash) = (&report.findings[i], &finding_hashes[i]);
        let location = physical_location(report, &artifacts, f.span);
        let partial_fingerprints = location.as_ref().map(|loc| Fingerprints {
            line_hash: hashes.get(f.span.file, loc.region.start_line),
            finding_hash,
        });
        let related_locations: Vec<RelatedOut> = f
            .related
            .iter()
            .filter_map(|r| physical_location(report, &artifacts, r.span).map(|loc| (r, loc)))
            .enumerate()
            .map(|(i, (r, loc))| RelatedOut {
                id: i + 1,
                physical_location: loc,
                message: Text {
                    text: r.message.as_str(),
                },
            })
            .collect();
        let properties = Properties {
            security_severity: f.security_severity,
            // Every instance the result stands for (D37); the message names the first five.
            instances: &f.instances,
        };
        ResultOut {
            rule_id: f.rule,
            rule_index: rules.iter().position(|r| r.id == f.rule),
            level: f.level.as_str(),
            message: Text {
                text: f.message.as_str(),
            },
            locations: location.map(|loc| {
                [LocationOut {
                    physical_location: loc,
                }]
            }),
            partial_fingerprints,
            related_locations,
            fixes: fix_json(report, &artifacts, f).map(|fix| [fix]),
            properties: (f.security_severity.is_some() || !f.instances.is_empty())
                .then_some(properties),
            suppressions: f.suppression.as_deref().map(|justification| {
                [Suppression {
                    kind: "inSource",
                    justification,
                }]
            }),
        }
    };
    super::write_skeleton_with_array(w, &skeleton, report.findings.len(), result)?;
    w.write_all(b"\n")
}

/// The run object without its results (tool, invocation, base URI, artifacts); the results are
/// written in its `results` place by [`write`].
fn run_object(
    report: &Report,
    rules: &[&'static RuleMeta],
    tool_version: &str,
    artifacts: &Artifacts,
) -> Map<String, Value> {
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({
            "driver": {
                "name": "batchguard",
                "version": tool_version,
                "semanticVersion": tool_version,
                "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }
        }),
    );
    run.insert("invocations".into(), json!([invocation(report, artifacts)]));
    if let Some(root) = &report.root_uri {
        let mut uri = root.clone();
        if !uri.ends_with('/') {
            uri.push('/');
        }
        run.insert(
            "originalUriBaseIds".into(),
            json!({ SRCROOT: { "uri": uri } }),
        );
    }
    run.insert(
        "artifacts".into(),
        Value::Array(artifacts.descriptors(report)),
    );
    run
}

/// The `file://` URI of a scan root directory, ending in `/`, for [`Report::root_uri`]. The path
/// should be absolute; on Windows, `C:\src\app` becomes `file:///C:/src/app/`.
pub fn root_uri(dir: &Path) -> String {
    // An absolute path is converted by the `url` crate (drive letters, UNC shares, percent
    // encoding); a relative one cannot be a `file:` URI and is written as the nearest thing.
    if let Ok(url) = url::Url::from_directory_path(dir) {
        return url.into();
    }
    let path = dir.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !path.starts_with('/') {
        uri.push('/');
    }
    // Keep the drive colon of a Windows path; encode everything else that a URI cannot hold.
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            uri.push('/');
        }
        let is_drive = i == 0 && segment.len() == 2 && segment.ends_with(':');
        if is_drive {
            uri.push_str(segment);
        } else {
            uri.push_str(&encode_path(segment));
        }
    }
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes a `/`-separated relative path for a URI reference: unreserved characters, `/`
/// and the harmless sub-delimiters stay; spaces, `%`, `#`, `?`, `:` (which would read as a scheme
/// in a first segment), brackets, backslashes and non-ASCII characters are encoded as UTF-8 bytes.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let mut properties = Map::new();
    properties.insert("tags".into(), json!(rule.tags));
    properties.insert("precision".into(), json!(rule.precision));
    properties.insert("security-severity".into(), json!(rule.security_severity));
    if !rule.peers.is_empty() {
        properties.insert("peers".into(), json!(rule.peers));
    }
    let mut descriptor = json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.full_description() },
        "help": { "text": rule.doc, "markdown": rule.doc },
        "helpUri": rule.help_uri,
        "defaultConfiguration": { "level": rule.level.as_str() },
        "properties": Value::Object(properties),
    });
    // A custom rule may have no page on the web.
    if rule.help_uri.is_empty() {
        if let Some(o) = descriptor.as_object_mut() {
            o.remove("helpUri");
        }
    }
    descriptor
}

/// The files that results and notifications point at, in scan order, with their index in
/// `artifacts` and their URI, encoded once.
struct Artifacts {
    index: BTreeMap<FileId, (usize, String)>,
}

impl Artifacts {
    fn new(report: &Report) -> Artifacts {
        let mut used = std::collections::BTreeSet::new();
        for f in report.findings {
            used.insert(f.span.file);
            used.extend(f.related.iter().map(|r| r.span.file));
        }
        for n in report.notifications {
            used.extend(n.span.map(|s| s.file));
            used.extend(n.file);
        }
        let index = report
            .files
            .iter()
            .filter(|f| used.contains(&f.id))
            .enumerate()
            .map(|(i, f)| (f.id, (i, encode_path(&f.rel))))
            .collect();
        Artifacts { index }
    }

    fn descriptors(&self, report: &Report) -> Vec<Value> {
        report
            .files
            .iter()
            .filter_map(|f| self.index.get(&f.id))
            .map(|(_, uri)| {
                json!({
                    "location": { "uri": uri, "uriBaseId": SRCROOT },
                    "roles": ["analysisTarget"],
                })
            })
            .collect()
    }

    fn artifact_location<'a>(&'a self, file: &SourceFile) -> ArtifactLocation<'a> {
        match self.index.get(&file.id) {
            Some((i, uri)) => ArtifactLocation {
                uri: std::borrow::Cow::Borrowed(uri),
                uri_base_id: SRCROOT,
                index: Some(*i),
            },
            None => ArtifactLocation {
                uri: std::borrow::Cow::Owned(encode_path(&file.rel)),
                uri_base_id: SRCROOT,
                index: None,
            },
        }
    }
}

// The parts of a result, in the order SARIF readers and the snapshots expect their keys.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'a str,
    message: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locations: Option<[LocationOut<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_fingerprints: Option<Fingerprints<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[FixOut<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: RegionOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: std::borrow::Cow<'a, str>,
    uri_base_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RegionOut {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

impl From<super::Region> for RegionOut {
    fn from(r: super::Region) -> RegionOut {
        RegionOut {
            start_line: r.start_line,
            start_column: r.start_column,
            end_line: r.end_line,
            end_column: r.end_column,
        }
    }
}

/// `partialFingerprints`: GitHub's line hash where batchguard computes it, and the finding's
/// own fingerprint under the key baselines read.
struct Fingerprints<'a> {
    line_hash: Option<&'a str>,
    finding_hash: &'a str,
}

impl Serialize for Fingerprints<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        if let Some(hash) = self.line_hash {
            map.serialize_entry("primaryLocationLineHash", hash)?;
        }
        map.serialize_entry(
            crate::controls::baseline::FINGERPRINT_KEY,
            self.finding_hash,
        )?;
        map.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedOut<'a> {
    id: usize,
    physical_location: PhysicalLocation<'a>,
    message: Text<'a>,
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    instances: &'a [String],
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FixOut<'a> {
    description: TextOwned,
    artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
struct TextOwned {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: RegionOut,
    inserted_content: Text<'a>,
}

/// A result's planned fix as a SARIF `fix`: its replacements per file, in the run's column
/// unit, each region exactly the text replaced (empty where text is inserted).
fn fix_json<'a>(
    report: &'a Report,
    artifacts: &'a Artifacts,
    f: &'a crate::findings::Finding,
) -> Option<FixOut<'a>> {
    let fix = f.fix.as_ref()?;
    let planned = fix.text_edits()?;
    let mut by_file: BTreeMap<FileId, Vec<Replacement>> = BTreeMap::new();
    for e in &planned.edits {
        let file = file_by_id(report.files, e.span.file)?;
        let (start, end) = (file.position(e.span.start), file.position(e.span.end));
        by_file.entry(e.span.file).or_default().push(Replacement {
            deleted_region: RegionOut {
                start_line: start.line,
                start_column: start.col_utf16,
                end_line: end.line,
                end_column: end.col_utf16,
            },
            inserted_content: Text { text: &e.text },
        });
    }
    let artifact_changes = by_file
        .into_iter()
        .filter_map(|(id, replacements)| {
            let file = file_by_id(report.files, id)?;
            Some(ArtifactChange {
                artifact_location: artifacts.artifact_location(file),
                replacements,
            })
        })
        .collect();
    let mut description = format!("Fix {}: {}", f.rule, planned.title);
    if let Some(note) = &planned.note {
        description.push_str(&format!(" ({note})"));
    }
    if let crate::findings::Safety::Unsafe(why) = fix.safety {
        description.push_str(&format!(". Unsafe: {why}"));
    }
    description.push('.');
    Some(FixOut {
        description: TextOwned { text: description },
        artifact_changes,
    })
}

fn physical_location<'a>(
    report: &Report,
    artifacts: &'a Artifacts,
    span: Span,
) -> Option<PhysicalLocation<'a>> {
    let file = file_by_id(report.files, span.file)?;
    Some(PhysicalLocation {
        artifact_location: artifacts.artifact_location(file),
        region: region(file, span).into(),
    })
}

/// The line hashes of the findings' lines, computed before the results are written: each file
/// only as far as its last finding, the files in parallel.
struct Hashes {
    /// `None` for a file whose hashes are left to GitHub.
    by_file: BTreeMap<FileId, Option<BTreeMap<usize, String>>>,
}

impl Hashes {
    fn new(report: &Report) -> Hashes {
        let starts: Vec<(FileId, usize)> = report
            .findings
            .par_iter()
            .filter_map(|f| {
                let file = file_by_id(report.files, f.span.file)?;
                Some((file.id, region(file, f.span).start_line))
            })
            .collect();
        let mut lines: BTreeMap<FileId, std::collections::BTreeSet<usize>> = BTreeMap::new();
        for (id, line) in starts {
            lines.entry(id).or_default().insert(line);
        }
        let lines: Vec<(FileId, std::collections::BTreeSet<usize>)> = lines.into_iter().collect();
        let by_file = lines
            .par_iter()
            .filter_map(|(id, wanted)| {
                let file = file_by_id(report.files, *id)?;
                // GitHub also ends a line at a lone `\r`, which batchguard does not; its line
                // numbers and ours disagree in such a file, so leave the hash to GitHub there.
                let lone_cr = file
                    .text
                    .match_indices('\r')
                    .any(|(i, _)| file.text.as_bytes().get(i + 1) != Some(&b'\n'));
                if lone_cr {
                    return Some((*id, None));
                }
                // GitHub reads the file with its byte-order mark, which counts as part of line 1.
                let hashes = if file.had_bom {
                    line_hashes_of(&format!("\u{feff}{}", file.text), wanted)
                } else {
                    line_hashes_of(&file.text, wanted)
                };
                Some((*id, Some(hashes)))
            })
            .collect();
        Hashes { by_file }
    }

    /// The hash of `line` of `file`, where it was computed.
    fn get(&self, file: FileId, line: usize) -> Option<&str> {
        self.by_file
            .get(&file)?
            .as_ref()?
            .get(&line)
            .map(String::as_str)
    }
}

fn invocation(report: &Report, artifacts: &Artifacts) -> Value {
    let notifications: Vec<Value> = report
        .notifications
        .iter()
        .map(|n| {
            let mut v = Map::new();
            let descriptor = match n.level {
                Level::Error => "BG-PARSE",
                Level::Warning => "BG-SEMANTIC",
                Level::Note => "BG-INFO",
            };
            v.insert("descriptor".into(), json!({ "id": descriptor }));
            v.insert("level".into(), json!(n.level.as_str()));
            v.insert("message".into(), json!({ "text": n.message }));
            let location = match (n.span, n.file) {
                (Some(span), _) => physical_location(report, artifacts, span).map(|loc| json!(loc)),
                (None, Some(id)) => file_by_id(report.files, id)
                    .map(|f| json!({ "artifactLocation": artifacts.artifact_location(f) })),
                (None, None) => None,
            };
            if let Some(loc) = location {
                v.insert("locations".into(), json!([{ "physicalLocation": loc }]));
            }
            Value::Object(v)
        })
        .collect();
    let successful = !report.notifications.iter().any(|n| n.level == Level::Error);
    let mut inv = Map::new();
    inv.insert("executionSuccessful".into(), json!(successful));
    if !notifications.is_empty() {
        inv.insert(
            "toolExecutionNotifications".into(),
            Value::Array(notifications),
        );
    }
    Value::Object(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Finding, Notification, Related};
    use crate::report::testutil;

    fn sample() -> String {
        let files = testutil::files();
        let findings = testutil::findings();
        let notifications = testutil::notifications();
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &notifications,
            root_uri: Some(root_uri(Path::new("/home/runner/work/my repo"))),
        };
        render(&report, &testutil::rules(), "0.1.0")
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(sample());
    }

    /// Writes the sample log and a log without results to `target/sarif-sample/`, for checking them
    /// with Microsoft's validator (`validate-sarif target/sarif-sample/*.sarif`).
    #[test]
    fn sample_log_is_written_for_validation() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sarif-sample");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("sample.sarif"), sample()).unwrap();
        let files = testutil::files();
        let empty = Report {
            files: &files,
            findings: &[],
            notifications: &[],
            root_uri: None,
        };
        std::fs::write(
            dir.join("empty.sarif"),
            render(&empty, &testutil::rules(), "0.1.0"),
        )
        .unwrap();
    }

    #[test]
    fn regions_fingerprints_and_uris() {
        let log: Value = serde_json::from_str(&sample()).unwrap();
        let run = &log["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///home/runner/work/my%20repo/"
        );
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        // The ARM file has CRLF line ends; the property follows `      "properties": { ` (22 units).
        let arm = &run["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(arm["artifactLocation"]["uri"], "infra/arm/batch.json");
        assert_eq!(arm["artifactLocation"]["index"], 0);
        assert_eq!(
            arm["region"],
            json!({ "startLine": 6, "startColumn": 23, "endLine": 6, "endColumn": 55 })
        );
        let hashes = crate::report::fingerprint::line_hashes(testutil::ARM);
        assert_eq!(
            run["results"][0]["partialFingerprints"]["primaryLocationLineHash"],
            hashes[5]
        );
        // Related locations are numbered from 1.
        let related = &run["results"][1]["relatedLocations"];
        assert_eq!(related[0]["id"], 1);
        assert_eq!(related[1]["id"], 2);
        assert_eq!(
            related[1]["message"]["text"],
            "deciding rule (priority 100)"
        );
        assert_eq!(run["results"][1]["properties"]["security-severity"], "9.1");
        assert_eq!(run["results"][1]["ruleIndex"], 1);
        // The parse error makes the invocation unsuccessful and names the file, percent-encoded.
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["descriptor"]["id"], "BG-PARSE");
        assert_eq!(
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "infra/arm/broken%20deploy.json"
        );
        assert_eq!(
            n["locations"][0]["physicalLocation"]["region"]["startLine"],
            4
        );
        assert_eq!(run["artifacts"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn bom_file_hash_includes_the_mark_and_columns_do_not() {
        let text = "\u{feff}{\n  \"a\": 1\n}\n";
        let files = vec![SourceFile::new(0, "a.json".into(), "a.json".into(), text)];
        let start = files[0].text.find("\"a\"").unwrap();
        let findings = vec![Finding {
            rule: "X1",
            level: Level::Warning,
            message: "m".into(),
            span: Span::new(0, start, start + 6),
            related: vec![Related {
                span: Span::new(0, 0, 1),
                message: "here".into(),
            }],
            discriminator: String::new(),
            security_severity: None,
            suppression: None,
            ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
        }];
        let warn = vec![Notification {
            level: Level::Warning,
            message: "duplicate".into(),
            span: None,
            file: Some(0),
        }];
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &warn,
            root_uri: None,
        };
        let log: Value = serde_json::from_str(&render(&report, &[], "1.2.3")).unwrap();
        let run = &log["runs"][0];
        let result = &run["results"][0];
        assert!(result.get("ruleIndex").is_none());
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"],
            json!({ "startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 9 })
        );
        // Values from the Python port of GitHub's hash, run on the file with its mark.
        assert_eq!(
            result["partialFingerprints"]["primaryLocationLineHash"],
            "8266b7077bdffbc:1"
        );
        assert_eq!(
            result["relatedLocations"][0]["physicalLocation"]["region"],
            json!({ "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2 })
        );
        assert!(run.get("originalUriBaseIds").is_none());
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["descriptor"]["id"], "BG-SEMANTIC");
        assert_eq!(
            n["locations"][0]["physicalLocation"],
            json!({ "artifactLocation": { "uri": "a.json", "uriBaseId": "%SRCROOT%", "index": 0 } })
        );
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode_path("a b/ü#1:x%.tf"), "a%20b/%C3%BC%231%3Ax%25.tf");
        assert_eq!(encode_path("mod-1/main_(v2).tf"), "mod-1/main_(v2).tf");
        assert_eq!(root_uri(Path::new("/src/app")), "file:///src/app/");
        assert_eq!(root_uri(Path::new("/src/app/")), "file:///src/app/");
        #[cfg(unix)]
        assert_eq!(
            root_uri(Path::new("/home/me/my repo#1/ü")),
            "file:///home/me/my%20repo%231/%C3%BC/"
        );
        assert_eq!(
            root_uri(Path::new(r"C:\src\my app")),
            "file:///C:/src/my%20app/"
        );
    }
}
