//! The settings of one scan, made in one place for `batchguard scan` and `batchguard lsp`: the
//! `batchguard.toml` that governs the scan root, then what the command line or the editor gives
//! on top of it (rule options, Terraform variables and variable files, ARM parameters files), and
//! `TF_VAR_*` from the environment. A problem with any of them is a [`ConfigError`], located in
//! `batchguard.toml` when it is written there; nothing is dropped silently, so that the editor and
//! the command line never analyse with different settings.
//!
//! Depends on `controls::config`, `scan` (its [`ScanConfig`]), `eval` (its inputs) and the rule
//! options; used by `cli` and `lsp`.

use crate::controls::config::{Config, ConfigError, FILE_NAME};
use crate::eval::EvalOptions;
use crate::rules::{self, Options};
use crate::scan::ScanConfig;
use std::path::{Path, PathBuf};

/// What the command line or the editor gives on top of `batchguard.toml`. Relative paths are
/// relative to the current directory.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// A configuration file to read instead of the `batchguard.toml` found upward from the root
    /// (`--config`).
    pub config: Option<PathBuf>,
    /// Rule options (`--option KEY=VALUE`), set after the file's.
    pub options: Vec<(String, String)>,
    /// Terraform variables and variable files (`--var`, `--var-file`) in the order given, which is
    /// the order Terraform applies them in; after the file's `var_files`.
    pub variables: Vec<Variable>,
    /// (template, parameters file) pairs (`--parameters TEMPLATE=FILE`).
    pub parameters: Vec<(PathBuf, PathBuf)>,
    /// Terraform plans in JSON (`--plan FILE`).
    pub plans: Vec<PathBuf>,
    /// `--select`: rule ids or prefixes that replace the file's `select` (and `extend-select`).
    pub select: Vec<String>,
    /// `--extend-select`: more rules on top of the selection.
    pub extend_select: Vec<String>,
    /// `--ignore`: rules that never report, with the file's.
    pub ignore: Vec<String>,
    /// `--custom-rules`: custom rule files, folders or globs, after the file's `custom_rules`.
    pub custom_rules: Vec<PathBuf>,
}

/// One Terraform root-module input of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Variable {
    /// `--var NAME=VALUE`
    Value(String, String),
    /// `--var-file FILE`
    File(PathBuf),
}

/// The scan of `paths` from `root` with the `batchguard.toml` found upward from `root` (or
/// `given.config`) and what is `given` on top of it.
pub fn scan_config(
    root: &Path,
    paths: Vec<PathBuf>,
    given: &Given,
) -> Result<ScanConfig, ConfigError> {
    let config_path = given
        .config
        .clone()
        .or_else(|| root.canonicalize().ok().and_then(|r| Config::find(&r)));
    // Custom rules first: the file may select, ignore or set the level of theirs.
    let custom = custom_rules(config_path.as_deref(), &given.custom_rules)?;
    let mut known: Vec<&str> = rules::RULES.iter().map(|r| r.meta.id).collect();
    known.extend(custom.metas().map(|m| m.id));
    let mut config = match &config_path {
        Some(p) => Config::load(p, &known)?,
        None => Config::default(),
    };
    let selectors = |list: &[String], flag: &str| -> Result<Vec<String>, ConfigError> {
        list.iter()
            .flat_map(|s| s.split(','))
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                crate::controls::config::rule_selector(s, &known)
                    .map_err(|e| ConfigError::new(format!("{flag}: {e}")))
            })
            .collect()
    };
    if !given.select.is_empty() {
        config.select = selectors(&given.select, "--select")?;
        config.extend_select.clear();
    }
    config
        .extend_select
        .extend(selectors(&given.extend_select, "--extend-select")?);
    config.ignore.extend(selectors(&given.ignore, "--ignore")?);
    let mut options = Options {
        custom,
        ..Options::default()
    };
    for (k, v) in config.options.iter().chain(&given.options) {
        options.set(k, v).map_err(ConfigError::new)?;
    }
    let mut eval = EvalOptions::default();
    for v in &given.variables {
        match v {
            Variable::Value(name, value) => {
                eval.vars.push((name.clone(), value.clone()));
                eval.cli_order.push(false);
            }
            Variable::File(f) => {
                let p = f.canonicalize().map_err(|err| {
                    ConfigError::new(format!(
                        "cannot read variable file `{}`: {err}",
                        f.display()
                    ))
                })?;
                eval.var_files.push(p);
                eval.cli_order.push(true);
            }
        }
    }
    for (t, p) in &given.parameters {
        let canon = |s: &Path| {
            s.canonicalize().map_err(|err| {
                ConfigError::new(format!(
                    "cannot read `{}` (from --parameters): {err}",
                    s.display()
                ))
            })
        };
        eval.parameters.push((canon(t)?, canon(p)?));
    }
    for f in &given.plans {
        let p = f.canonicalize().map_err(|err| {
            ConfigError::new(format!(
                "cannot read Terraform plan `{}` (from --plan): {err}",
                f.display()
            ))
        })?;
        eval.plans.push(p);
    }
    // The file's variable files come before the command line's.
    let mut var_files = Vec::new();
    for f in &config.var_files {
        let p = f.value.canonicalize().map_err(|e| ConfigError {
            message: format!(
                "cannot read variable file `{}` (from {FILE_NAME}): {e}",
                f.value.display()
            ),
            location: Some(f.at.clone()),
        })?;
        var_files.push(p);
    }
    eval.cli_order
        .splice(0..0, std::iter::repeat_n(true, var_files.len()));
    eval.var_files.splice(0..0, var_files);
    // Command-line parameters files win over the file's (they are looked up first); of two keys
    // of the file that name one template, the later one.
    let mut from_file = Vec::new();
    for entry in &config.parameters {
        let (t, p) = &entry.value;
        match (t.canonicalize(), p.canonicalize()) {
            (Ok(t), Ok(p)) => from_file.insert(0, (t, p)),
            _ => {
                return Err(ConfigError {
                    message: format!(
                        "cannot read `{}` or `{}` (from {FILE_NAME})",
                        t.display(),
                        p.display()
                    ),
                    location: Some(entry.at.clone()),
                })
            }
        }
    }
    eval.parameters.extend(from_file);
    eval.env_vars = std::env::vars()
        .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v)))
        .collect();
    eval.env_vars.sort();
    Ok(ScanConfig {
        paths,
        root: root.to_path_buf(),
        options,
        eval,
        config,
    })
}

/// The custom rules of `batchguard.toml` (relative to its folder), then those given (relative to
/// the current directory).
pub fn custom_rules(
    config: Option<&Path>,
    given: &[PathBuf],
) -> Result<rules::custom::Pack, ConfigError> {
    use crate::controls::rulefile;
    let mut files = Vec::new();
    if let Some(p) = config {
        let patterns: Vec<(String, Option<crate::controls::config::Location>)> =
            Config::custom_rules(p)
                .into_iter()
                .map(|e| (e.value, Some(e.at)))
                .collect();
        let base = p.parent().unwrap_or(Path::new("."));
        files.extend(rulefile::find_files(&patterns, base)?);
    }
    files.extend(rulefile::find_given(given)?);
    rulefile::load(&files)
}
