//! Baselines: a SARIF file of accepted findings. `--baseline FILE` reports only findings that are
//! not in it, matched by rule, file and a fingerprint of the offending text that does not depend
//! on line numbers (so findings stay matched when lines move). `--write-baseline FILE` writes one.
//! A result that stands for several instances (D37) keeps its fingerprint whichever instances it
//! lists: neither its message nor its instances enter the fingerprint, and its discriminator
//! names a resource whose instances differ as `*`.

use crate::findings::Finding;
use crate::source::SourceFile;
use std::collections::HashMap;

/// The `partialFingerprints` key batchguard writes into SARIF.
pub const FINGERPRINT_KEY: &str = "batchguardFindingHash/v1";

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
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let (rel, text) = match files.get(f.span.file) {
                Some(file) => (file.rel.as_str(), normalized_text(file, f)),
                None => ("", String::new()),
            };
            let mut h = sha1_smol::Sha1::new();
            for part in [f.rule, rel, &text, &f.discriminator] {
                h.update(part.as_bytes());
                h.update(&[0]);
            }
            let hex = h.digest().to_string();
            let n = seen.entry(hex.clone()).or_insert(0);
            *n += 1;
            format!("{}:{}", &hex[..16], n)
        })
        .collect()
}

/// The accepted findings of a baseline file: (rule, uri) → fingerprints.
#[derive(Debug, Default)]
pub struct Baseline {
    entries: HashMap<(String, String), Vec<String>>,
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
                let uri = percent_decode(uri);
                if let Some(fp) = r
                    .pointer(&format!(
                        "/partialFingerprints/{}",
                        FINGERPRINT_KEY.replace('/', "~1")
                    ))
                    .and_then(|v| v.as_str())
                {
                    b.entries
                        .entry((rule, uri))
                        .or_default()
                        .push(fp.to_string());
                }
            }
        }
        Ok(b)
    }

    /// Removes the findings the baseline accepts; returns how many.
    pub fn filter(&mut self, findings: &mut Vec<Finding>, files: &[SourceFile]) -> usize {
        let fps = fingerprints(findings, files);
        let mut keep = Vec::with_capacity(findings.len());
        let mut removed = 0;
        for (f, fp) in findings.drain(..).zip(fps) {
            let rel = files
                .get(f.span.file)
                .map_or("", |sf| sf.rel.as_str())
                .to_string();
            let accepted = self
                .entries
                .get_mut(&(f.rule.to_string(), rel))
                .and_then(|list| {
                    let i = list.iter().position(|x| *x == fp)?;
                    Some(list.swap_remove(i))
                });
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
