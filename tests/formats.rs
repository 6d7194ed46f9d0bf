//! The line and CI formats, each checked against its documented shape on the same scan as the
//! JSON report: `concise` (`path:line:column: RULE message`), `junit` (XML, one failed test
//! case per finding), `azure` (Azure Pipelines `##vso[task.logissue …]` commands) and `gitlab`
//! (GitLab Code Quality issues).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// `testdata/tfjson` (findings of every level), plus a file that does not parse.
fn case() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tfjson");
    for f in ["main.tf.json", "variables.tf", "terraform.tfvars.json"] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("broken.tf"),
        "resource \"x\" \"y\" {\n  a = = 1\n}\n",
    )
    .unwrap();
    (tmp, dir)
}

fn scan(dir: &Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(["scan", ".", "--fail-on", "never", "-f", format])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// (rule, path, line, column) of each finding of the JSON report.
fn expected(dir: &Path) -> Vec<(String, String, u64, u64)> {
    let v: Value = serde_json::from_str(&scan(dir, "json")).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn concise_is_one_line_per_finding() {
    let (_t, dir) = case();
    let want = expected(&dir);
    assert!(want.len() >= 6);
    let text = scan(&dir, "concise");
    let line = regex::Regex::new(r"^([^:]+):(\d+):(\d+): ([A-Z]+[0-9]{3}) (\S.*)$").unwrap();
    let got: Vec<(String, String, u64, u64)> = text
        .lines()
        .filter_map(|l| line.captures(l))
        .map(|c| {
            (
                c[4].to_string(),
                c[1].to_string(),
                c[2].parse().unwrap(),
                c[3].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want, "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("broken.tf:2:") && l.contains(": error: ")),
        "{text}"
    );
}

#[test]
fn junit_is_xml_with_a_failed_test_case_per_finding() {
    let (_t, dir) = case();
    let want = expected(&dir);
    let text = scan(&dir, "junit");
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        root.attribute("tests"),
        Some(want.len().to_string().as_str())
    );
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), want.len());
    for (c, (rule, path, line, _)) in cases.iter().zip(&want) {
        assert_eq!(c.attribute("classname"), Some(path.as_str()));
        assert_eq!(c.attribute("line"), Some(line.to_string().as_str()));
        let failure = c
            .children()
            .find(|n| n.has_tag_name("failure"))
            .expect("a failure");
        assert_eq!(failure.attribute("type"), Some(rule.as_str()));
        assert!(!failure.attribute("message").unwrap_or("").is_empty());
    }
    let err = doc
        .descendants()
        .find(|n| n.has_tag_name("system-err"))
        .and_then(|n| n.text())
        .unwrap_or("");
    assert!(err.contains("broken.tf"), "{text}");
}

#[test]
fn azure_is_a_logissue_command_per_finding() {
    let (_t, dir) = case();
    let want = expected(&dir);
    let text = scan(&dir, "azure");
    let cmd = regex::Regex::new(
        r"^##vso\[task\.logissue type=(error|warning);sourcepath=([^;\]]+);linenumber=(\d+);columnnumber=(\d+);code=([A-Za-z0-9-]+);\](.+)$",
    )
    .unwrap();
    let got: Vec<(String, String, u64, u64)> = text
        .lines()
        .filter_map(|l| cmd.captures(l))
        .filter(|c| !c[5].starts_with("batchguard"))
        .map(|c| {
            (
                c[5].to_string(),
                c[2].to_string(),
                c[3].parse().unwrap(),
                c[4].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want, "{text}");
    assert!(
        text.lines().any(|l| cmd
            .captures(l)
            .is_some_and(|c| &c[5] == "batchguard-parse" && &c[2] == "broken.tf")),
        "{text}"
    );
}

#[test]
fn gitlab_is_code_quality_issues() {
    let (_t, dir) = case();
    let want = expected(&dir);
    let v: Value = serde_json::from_str(&scan(&dir, "gitlab")).unwrap();
    let issues = v.as_array().expect("an array");
    assert_eq!(issues.len(), want.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (i, (rule, path, line, _)) in issues.iter().zip(&want) {
        assert_eq!(i["check_name"], rule.as_str());
        assert!(i["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(matches!(
            i["severity"].as_str(),
            Some("info" | "minor" | "major" | "critical" | "blocker")
        ));
        assert_eq!(i["location"]["path"], path.as_str());
        assert_eq!(i["location"]["lines"]["begin"].as_u64(), Some(*line));
        let fp = i["fingerprint"].as_str().unwrap();
        assert!(fingerprints.insert(fp.to_string()), "{fp} twice");
    }
    // The same scan, the same fingerprints.
    let again: Value = serde_json::from_str(&scan(&dir, "gitlab")).unwrap();
    assert_eq!(again, v);
}
