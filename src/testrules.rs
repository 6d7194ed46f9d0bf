//! `batchguard test-rules`: runs the inline tests of custom rule files. Each `[[rule.test]]` is a
//! snippet in one syntax, scanned on its own (in memory, nothing written) with the file's rules,
//! and the lines where its rule reports, which must be the test's `expect` lines exactly. A
//! snippet that cannot be read fails its test with the reason.
//!
//! An ARM snippet may be a whole template, or a resource object (or an array of them), which is
//! read as the template that deploys it, on the snippet's own lines.
//!
//! Depends on `controls::rulefile` (reading the files), `settings` and `scan` (the scan of each
//! snippet) and `rules::custom`; used by the command line.

use crate::controls::config::ConfigError;
use crate::controls::rulefile;
use crate::findings::Level;
use crate::rules::custom::{CustomRule, Pack, TestCase};
use crate::scan::{Overrides, ScanConfig};
use std::path::{Path, PathBuf};

/// The result of one test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    pub rule: &'static str,
    pub name: String,
    /// The test's line in its rule file.
    pub line: usize,
    pub expected: Vec<usize>,
    pub found: Vec<usize>,
    /// Why the snippet could not be checked (it does not parse), when it could not.
    pub problem: Option<String>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.problem.is_none() && self.expected == self.found
    }
}

/// The rule files `paths` name (files or folders), as the command line gives them.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ConfigError> {
    rulefile::find_given(paths)
}

/// Runs every test of one rule file.
pub fn run_file(file: &Path) -> Result<Vec<TestResult>, ConfigError> {
    let pack = rulefile::load(&[file.to_path_buf()])?;
    Ok(run_pack(&pack))
}

/// Runs every test of every rule of `pack`, each scanned with all of them.
pub fn run_pack(pack: &Pack) -> Vec<TestResult> {
    let mut out = Vec::new();
    for rule in pack.rules.iter() {
        for t in &rule.tests {
            out.push(run_test(pack, rule, t));
        }
    }
    out
}

/// The folder a snippet is read in: none on disk, so that the scan reads the snippet alone.
fn nowhere() -> PathBuf {
    let mut p = std::env::temp_dir();
    p.push(format!(
        "batchguard-test-rules-{}-not-on-disk",
        std::process::id()
    ));
    p
}

fn run_test(pack: &Pack, rule: &CustomRule, t: &TestCase) -> TestResult {
    let root = nowhere();
    let path = root.join(&t.file_name);
    let text = if crate::frontend::input_kind(&path) == Some(crate::frontend::InputKind::Json) {
        as_template(&t.snippet)
    } else {
        t.snippet.clone()
    };
    let mut overrides = Overrides::new();
    overrides.insert(path, text);
    let mut result = TestResult {
        rule: rule.meta.id,
        name: t.name.clone(),
        line: t.line,
        expected: t.expect.clone(),
        found: Vec::new(),
        problem: None,
    };
    // The settings of a scan of the snippet's folder, which holds no batchguard.toml.
    let mut cfg: ScanConfig =
        match crate::settings::scan_config(&root, Vec::new(), &Default::default()) {
            Ok(cfg) => cfg,
            Err(e) => {
                result.problem = Some(e.message);
                return result;
            }
        };
    cfg.options.custom = pack.clone();
    let loaded = match crate::scan::load_with_overrides(&cfg, &overrides) {
        Ok(l) => l,
        Err(e) => {
            result.problem = Some(e);
            return result;
        }
    };
    let out = crate::scan::analyse(loaded, &cfg);
    let errors: Vec<String> = out
        .notifications
        .iter()
        .filter(|n| n.level == Level::Error)
        .map(|n| match (n.span, n.file.and_then(|f| out.files.get(f))) {
            (Some(s), Some(f)) => {
                let p = f.position(s.start);
                format!("line {}:{}: {}", p.line, p.col_char, n.message)
            }
            _ => n.message.clone(),
        })
        .collect();
    if !errors.is_empty() {
        result.problem = Some(format!("the snippet cannot be read: {}", errors.join("; ")));
        return result;
    }
    let mut found: Vec<usize> = out
        .findings
        .iter()
        .filter(|f| std::ptr::eq(f.rule, rule.meta.id) || f.rule == rule.meta.id)
        .filter_map(|f| {
            out.files
                .get(f.span.file)
                .map(|file| file.position(f.span.start).line)
        })
        .collect();
    found.sort_unstable();
    result.found = found;
    result
}

/// An ARM snippet as a template: a resource object or an array of them is wrapped, on its first
/// line, in the template that deploys it, so that its lines stay the snippet's.
pub fn as_template(snippet: &str) -> String {
    let trimmed = snippet.trim_start();
    let value: Option<serde_json::Value> = serde_json::from_str(snippet).ok();
    let wrap = match &value {
        Some(serde_json::Value::Object(o)) => {
            o.contains_key("type") && !o.contains_key("resources") && !o.contains_key("$schema")
        }
        Some(serde_json::Value::Array(_)) => true,
        _ => false,
    };
    if !wrap {
        return snippet.to_string();
    }
    let lead = &snippet[..snippet.len() - trimmed.len()];
    let (open, close) = if trimmed.starts_with('[') {
        ("", "")
    } else {
        ("[", "]")
    };
    format!(
        "{lead}{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": {open}{}{close}}}\n",
        trimmed.trim_end()
    )
}

/// `batchguard test-rules PATH...`: 0 when every test passes, 1 when one fails, 2 when a rule
/// file cannot be read.
pub fn run_cli(paths: &[PathBuf]) -> i32 {
    let files = match files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let (mut passed, mut failed, mut broken, mut untested) = (0, 0, 0, 0);
    let mut out = String::new();
    for file in &files {
        out.push_str(&format!("{}\n", file.display()));
        let pack = match rulefile::load(std::slice::from_ref(file)) {
            Ok(p) => p,
            Err(e) => {
                out.push_str(&format!("  error: {e}\n"));
                broken += 1;
                continue;
            }
        };
        for rule in pack.rules.iter() {
            if rule.tests.is_empty() {
                untested += 1;
                out.push_str(&format!(
                    "  warning: {} has no tests ({}:{})\n",
                    rule.meta.id,
                    file.display(),
                    rule.line
                ));
            }
        }
        for r in run_pack(&pack) {
            let name = format!("{} {} ({}:{})", r.rule, r.name, file.display(), r.line);
            if r.passed() {
                passed += 1;
                out.push_str(&format!("  ok      {name}\n"));
            } else {
                failed += 1;
                let why = match &r.problem {
                    Some(p) => p.clone(),
                    None => format!(
                        "expected findings on lines {}, found {}",
                        lines(&r.expected),
                        lines(&r.found)
                    ),
                };
                out.push_str(&format!("  FAILED  {name}: {why}\n"));
            }
        }
    }
    out.push_str(&format!(
        "{} passed, {} failed{}{}\n",
        passed,
        failed,
        if broken > 0 {
            format!(", {broken} rule file(s) could not be read")
        } else {
            String::new()
        },
        if untested > 0 {
            format!(", {untested} rule(s) without tests")
        } else {
            String::new()
        }
    ));
    let code = if broken > 0 {
        2
    } else if failed > 0 {
        1
    } else {
        0
    };
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    code
}

fn lines(v: &[usize]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        format!(
            "[{}]",
            v.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}
