//! Baselines: a SARIF file of accepted findings. `--baseline FILE` reports only findings that are
//! not in it, matched by rule, file and a fingerprint of the offending text that does not depend
//! on line numbers (so findings stay matched when lines move). `--write-baseline FILE` writes one.
//! A result that stands for several instances (D37) keeps its fingerprint whichever instances it
//! lists: neither its message nor its instances enter the fingerprint, and its discriminator
//! names a resource whose instances differ as `*`.

use crate::findings::Finding;
use crate::source::SourceFile;
use std::collections::HashMap;

/// The `partialFingerprints` key batchguard writes into SARIF. (v1 hashed the path too; a v1
/// baseline is still read, and matched by the v1 hash, at the path it was written from.)
pub const FINGERPRINT_KEY: &str = "batchguardFindingHash/v2";
const FINGERPRINT_KEY_V1: &str = "batchguardFindingHash/v1";

/// The offending text with all white space removed: stable when lines move or are re-indented.
fn normalized_text(file: &SourceFile, f: &Finding) -> String {
    let end = f.span.end.min(file.text.len());
    let start = f.span.start.min(end);
    file.text
        .get(start..end)
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// One fingerprint per finding (same order): a hash of rule, file, offending text and
/// discriminator, with an occurrence number for identical ones. The message and the instances
/// are left out, so a merged result (D37) is matched whichever instances it lists.
pub fn fingerprints(findings: &[Finding], files: &[SourceFile]) -> Vec<String> {
    hashes(findings, files, false)
}

/// The fingerprints of baselines written before v2, which hashed the path too.
fn fingerprints_v1(findings: &[Finding], files: &[SourceFile]) -> Vec<String> {
    hashes(findings, files, true)
}

fn hashes(findings: &[Finding], files: &[SourceFile], with_path: bool) -> Vec<String> {
    use rayon::prelude::*;
    // The digests in parallel; the occurrence numbers in order.
    let digests: Vec<(&str, String)> = findings
        .par_iter()
        .map(|f| {
            let (rel, text) = match files.get(f.span.file) {
                Some(file) => (file.rel.as_str(), normalized_text(file, f)),
                None => ("", String::new()),
            };
            // The path is not hashed (a baseline pairs each fingerprint with its file already),
            // so that a baseline written from the repository root matches a scan of a subfolder.
            let mut h = sha1_smol::Sha1::new();
            let mut parts = vec![f.rule];
            if with_path {
                parts.push(rel);
            }
            parts.extend([text.as_str(), f.discriminator.as_str()]);
            for part in parts {
                h.update(part.as_bytes());
                h.update(&[0]);
            }
            (rel, h.digest().to_string())
        })
        .collect();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    digests
        .iter()
        .map(|(rel, hex)| {
            let n = seen.entry((rel, hex.as_str())).or_insert(0);
            *n += 1;
            format!("{}:{}", &hex[..16], n)
        })
        .collect()
}

/// The accepted findings of a baseline file: (rule, uri) → fingerprints.
#[derive(Debug, Default)]
pub struct Baseline {
    /// By (rule, path): the absolute path when the baseline names its root
    /// (`originalUriBaseIds`), so that it matches a scan of a subfolder too; else the path
    /// relative to the root it was written from.
    entries: HashMap<(String, String), Vec<String>>,
}

/// A `file:` URI's path, `/`-separated (`file:///C:/x` → `C:/x`).
fn uri_path(uri: &str) -> Option<String> {
    let p = percent_decode(uri.strip_prefix("file://")?);
    let b = p.as_bytes();
    let drive = b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':';
    Some(if drive { p[1..].to_string() } else { p })
}

/// A scanned file's absolute path, `/`-separated, as [`uri_path`] gives it.
fn absolute(root: &std::path::Path, rel: &str) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let root = root.to_string_lossy().replace('\\', "/");
    format!("{}/{rel}", root.trim_end_matches('/'))
}

impl Baseline {
    /// Reads a SARIF baseline (as written by `--write-baseline` or `--format sarif`).
    pub fn read(path: &std::path::Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
        let log: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("baseline `{}` is not SARIF JSON: {e}", path.display()))?;
        let runs = log
            .get("runs")
            .and_then(|r| r.as_array())
            .ok_or_else(|| format!("baseline `{}` has no SARIF runs", path.display()))?;
        let mut b = Baseline::default();
        for run in runs {
            let base = run
                .pointer("/originalUriBaseIds/%SRCROOT%/uri")
                .and_then(|v| v.as_str())
                .and_then(uri_path);
            for r in run
                .get("results")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                let rule = r
                    .get("ruleId")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let uri = r
                    .pointer("/locations/0/physicalLocation/artifactLocation/uri")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                let uri = match &base {
                    Some(root) => format!("{}/{}", root.trim_end_matches('/'), percent_decode(uri)),
                    None => percent_decode(uri),
                };
                let key = |k: &str| {
                    r.pointer(&format!("/partialFingerprints/{}", k.replace('/', "~1")))
                        .and_then(|v| v.as_str())
                };
                let fp = key(FINGERPRINT_KEY).or_else(|| key(FINGERPRINT_KEY_V1));
                let v1 = key(FINGERPRINT_KEY).is_none();
                if let Some(fp) = fp {
                    let fp = if v1 {
                        format!("v1:{fp}")
                    } else {
                        fp.to_string()
                    };
                    b.entries.entry((rule, uri)).or_default().push(fp);
                }
            }
        }
        Ok(b)
    }

    /// Removes the findings the baseline accepts; returns how many.
    pub fn filter(
        &mut self,
        findings: &mut Vec<Finding>,
        files: &[SourceFile],
        root: &std::path::Path,
    ) -> usize {
        let fps = fingerprints(findings, files);
        let fps_v1 = fingerprints_v1(findings, files);
        let mut keep = Vec::with_capacity(findings.len());
        let mut removed = 0;
        for ((f, fp), fp1) in findings.drain(..).zip(fps).zip(fps_v1) {
            let fp1 = format!("v1:{fp1}");
            let rel = files
                .get(f.span.file)
                .map_or("", |sf| sf.rel.as_str())
                .to_string();
            let abs = absolute(root, &rel);
            let mut take = |path: String| {
                self.entries
                    .get_mut(&(f.rule.to_string(), path))
                    .and_then(|list| {
                        let i = list.iter().position(|x| *x == fp || *x == fp1)?;
                        Some(list.swap_remove(i))
                    })
            };
            let accepted = take(abs).or_else(|| take(rel));
            if accepted.is_some() {
                removed += 1;
            } else {
                keep.push(f);
            }
        }
        *findings = keep;
        removed
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Level;
    use crate::ir::Span;

    /// A baseline written before v2 (its fingerprints hashed the path) still accepts its findings.
    #[test]
    fn a_v1_baseline_still_matches() {
        let a = SourceFile::new(
            0,
            "/r/a.tf".into(),
            "a.tf".into(),
            "x {\n  src = \"*\"\n}\n",
        );
        let f = finding(0, 6, 15);
        let v1 = fingerprints_v1(std::slice::from_ref(&f), std::slice::from_ref(&a));
        assert_ne!(
            v1,
            fingerprints(std::slice::from_ref(&f), std::slice::from_ref(&a))
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.sarif");
        std::fs::write(
            &path,
            format!(
                r#"{{"runs": [{{"results": [{{"ruleId": "NET001", "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "a.tf"}}}}}}],
                   "partialFingerprints": {{"batchguardFindingHash/v1": "{}"}}}}]}}]}}"#,
                v1[0]
            ),
        )
        .unwrap();
        let mut b = Baseline::read(&path).unwrap();
        let mut found = vec![f];
        assert_eq!(b.filter(&mut found, &[a], std::path::Path::new("/r")), 1);
        assert!(found.is_empty());
    }

    fn finding(file: usize, start: usize, end: usize) -> Finding {
        Finding {
            rule: "NET001",
            level: Level::Error,
            message: "m".into(),
            span: Span::new(file, start, end),
            related: vec![],
            discriminator: "22".into(),
            security_severity: None,
            suppression: None,
            ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
        }
    }

    #[test]
    fn fingerprints_survive_moved_lines() {
        let a = SourceFile::new(0, "a.tf".into(), "a.tf".into(), "x {\n  src = \"*\"\n}\n");
        let b = SourceFile::new(
            0,
            "a.tf".into(),
            "a.tf".into(),
            "# new line\n\nx {\n    src   = \"*\"\n}\n",
        );
        let fa = fingerprints(&[finding(0, 6, 15)], &[a]);
        let fb = fingerprints(&[finding(0, 18, 31)], &[b]);
        assert_eq!(fa, fb);
        assert!(fa[0].ends_with(":1"));
        assert_eq!(percent_decode("dir%20name/a.tf"), "dir name/a.tf");
    }

    #[test]
    fn a_merged_result_keeps_its_fingerprint_whichever_instances_it_lists() {
        let a = SourceFile::new(0, "a.tf".into(), "a.tf".into(), "x {\n  src = \"*\"\n}\n");
        let mut two = finding(0, 6, 15);
        two.instances = vec!["x.y[0]".into(), "x.y[1]".into()];
        two.message = "m. Reported once for 2 instances: x.y[0], x.y[1].".into();
        let mut three = two.clone();
        three.instances.push("x.y[2]".into());
        three.message = "m. Reported once for 3 instances: x.y[0], x.y[1], x.y[2].".into();
        let files = [a];
        assert_eq!(fingerprints(&[two], &files), fingerprints(&[three], &files));
    }
}
