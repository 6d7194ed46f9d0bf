//! The command line: `scan`, `rules`, `explain`. Parses arguments (clap), runs the scan, picks the
//! reporter and the exit code (0 clean, 1 findings at or above `--fail-on`, 2 usage or input
//! errors).

use crate::controls::baseline::Baseline;
use crate::controls::config::Config;
use crate::eval::EvalOptions;
use crate::findings::{Level, Notification, Report};
use crate::report;
use crate::rules::{self, Options};
use crate::scan::{scan, ScanConfig};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Parser, Debug)]
#[command(
    name = "batchguard",
    version,
    about = "Finds Azure Batch and Azure Machine Learning network-security problems in Terraform and ARM templates"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and folders (default: the current directory).
    Scan(Box<ScanArgs>),
    /// List every rule: id, level and title.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// A rule id, e.g. NET001.
        rule_id: String,
    },
    /// Run the language server on standard input and output, for editors.
    Lsp,
}

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files or folders to scan. Folders are walked with .gitignore respected.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Console)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this level [default: warning, or `fail_on` in
    /// batchguard.toml].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Base of the relative paths in reports; every input must be inside it.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Set a rule option, e.g. `--option redundant_rules=true` (repeatable).
    #[arg(long = "option", value_name = "KEY=VALUE")]
    pub options: Vec<String>,
    /// Set a Terraform root-module variable, as `terraform -var` does (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read Terraform variable values from FILE, as `terraform -var-file` does (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Use FILE as the parameters file of ARM template TEMPLATE (repeatable).
    #[arg(long = "parameters", value_name = "TEMPLATE=FILE")]
    pub parameters: Vec<String>,
    /// Read the configuration from FILE instead of the batchguard.toml found upward from --root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only findings that are not in this SARIF baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to FILE as a SARIF baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Keep suppressed findings in SARIF output, marked with `suppressions`.
    #[arg(long)]
    pub include_suppressed: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Console,
    Sarif,
    Json,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Note => Some(Level::Note),
            FailOn::Never => None,
        }
    }
}

/// Writes to standard output. A reader that stops early (`| head`) is not an error.
fn write_stdout(text: &str) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => usage_error(&format!("cannot write to standard output: {e}")),
    }
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Rules => write_stdout(&crate::catalogue::listing()),
        Command::Explain { rule_id } => match rules::find(&rule_id) {
            Some(r) => {
                let doc = r.meta.doc.trim_end();
                write_stdout(&format!("{doc}\n\nMore: {}\n", r.meta.help_uri))
            }
            None => {
                let ids: Vec<&str> = rules::RULES.iter().map(|r| r.meta.id).collect();
                usage_error(&format!(
                    "unknown rule `{rule_id}`; known rules: {}",
                    ids.join(", ")
                ))
            }
        },
        Command::Scan(args) => run_scan(*args),
        Command::Lsp => crate::lsp::run_stdio(),
    }
}

/// `--var`, `--var-file`, `--parameters` and `TF_VAR_*` as evaluation inputs.
fn eval_options(args: &ScanArgs) -> Result<EvalOptions, String> {
    let mut e = EvalOptions::default();
    for kv in &args.vars {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("`--var {kv}` must have the form NAME=VALUE"))?;
        e.vars.push((k.trim().to_string(), v.to_string()));
    }
    for f in &args.var_files {
        let p = f
            .canonicalize()
            .map_err(|err| format!("cannot read variable file `{}`: {err}", f.display()))?;
        e.var_files.push(p);
    }
    for tp in &args.parameters {
        let (t, p) = tp
            .split_once('=')
            .ok_or_else(|| format!("`--parameters {tp}` must have the form TEMPLATE=FILE"))?;
        let canon = |s: &str| {
            PathBuf::from(s)
                .canonicalize()
                .map_err(|err| format!("cannot read `{s}` (from --parameters): {err}"))
        };
        e.parameters.push((canon(t)?, canon(p)?));
    }
    // Terraform applies -var and -var-file in the order they are given.
    for a in std::env::args() {
        if a == "--var" || a.starts_with("--var=") {
            e.cli_order.push(false);
        } else if a == "--var-file" || a.starts_with("--var-file=") {
            e.cli_order.push(true);
        }
    }
    if e.cli_order.len() != e.vars.len() + e.var_files.len() {
        e.cli_order = vec![false; e.vars.len()];
        e.cli_order.extend(vec![true; e.var_files.len()]);
    }
    e.env_vars = std::env::vars()
        .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v)))
        .collect();
    e.env_vars.sort();
    Ok(e)
}

fn run_scan(args: ScanArgs) -> i32 {
    // The configuration file: named, or found upward from the scan root.
    let config_path = args
        .config
        .clone()
        .or_else(|| args.root.canonicalize().ok().and_then(|r| Config::find(&r)));
    let known: Vec<&str> = rules::RULES.iter().map(|r| r.meta.id).collect();
    let config = match &config_path {
        Some(p) => match Config::load(p, &known) {
            Ok(c) => c,
            Err(e) => return usage_error(&e),
        },
        None => Config::default(),
    };
    let mut options = Options::default();
    for (k, v) in &config.options {
        if let Err(e) = options.set(k, v) {
            return usage_error(&e);
        }
    }
    for kv in &args.options {
        let Some((k, v)) = kv.split_once('=') else {
            return usage_error(&format!("`--option {kv}` must have the form KEY=VALUE"));
        };
        if let Err(e) = options.set(k.trim(), v.trim()) {
            return usage_error(&e);
        }
    }
    let mut eval = match eval_options(&args) {
        Ok(e) => e,
        Err(e) => return usage_error(&e),
    };
    // Configured files come before the command line's.
    let mut var_files = Vec::new();
    for f in &config.var_files {
        match f.canonicalize() {
            Ok(p) => var_files.push(p),
            Err(e) => {
                return usage_error(&format!(
                    "cannot read variable file `{}` (from {}): {e}",
                    f.display(),
                    crate::controls::config::FILE_NAME
                ))
            }
        }
    }
    eval.cli_order
        .splice(0..0, std::iter::repeat_n(true, var_files.len()));
    eval.var_files.splice(0..0, var_files);
    for (t, p) in &config.parameters {
        match (t.canonicalize(), p.canonicalize()) {
            (Ok(t), Ok(p)) => eval.parameters.insert(0, (t, p)),
            _ => {
                return usage_error(&format!(
                    "cannot read `{}` or `{}` (from {})",
                    t.display(),
                    p.display(),
                    crate::controls::config::FILE_NAME
                ))
            }
        }
    }
    let fail_on = args
        .fail_on
        .map(FailOn::threshold)
        .or(config.fail_on)
        .unwrap_or(Some(Level::Warning));
    let cfg = ScanConfig {
        eval,
        paths: args.paths.clone(),
        root: args.root.clone(),
        options,
        config,
    };
    let out = match scan(&cfg) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let root_uri = Some(report::sarif::root_uri(&out.root));
    let (suppressed, mut active): (Vec<_>, Vec<_>) = out
        .findings
        .iter()
        .cloned()
        .partition(|f| f.suppression.is_some());
    if let Some(path) = &args.write_baseline {
        let report = Report {
            files: &out.files,
            findings: &active,
            notifications: &[],
            root_uri: root_uri.clone(),
        };
        let text = report::sarif::render(&report, &rules::metas(), VERSION);
        if let Err(e) = std::fs::write(path, text) {
            return usage_error(&format!("cannot write baseline `{}`: {e}", path.display()));
        }
    }
    let mut notifications = out.notifications.clone();
    if let Some(path) = &args.baseline {
        let mut baseline = match Baseline::read(path) {
            Ok(b) => b,
            Err(e) => return usage_error(&e),
        };
        let accepted = baseline.filter(&mut active, &out.files);
        notifications.push(Notification {
            level: Level::Note,
            message: format!(
                "{accepted} finding(s) accepted by the baseline `{}` are not reported",
                path.display()
            ),
            span: None,
            file: None,
        });
    }
    let mut shown = active.clone();
    if args.include_suppressed && args.format == Format::Sarif {
        shown.extend(suppressed);
        crate::scan::sort_findings(&mut shown);
    }
    let report = Report {
        files: &out.files,
        findings: &shown,
        notifications: &notifications,
        root_uri,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let text = match args.format {
        Format::Console => report::console::render(&report, to_terminal && !no_color),
        Format::Sarif => report::sarif::render(&report, &rules::metas(), VERSION),
        Format::Json => report::json::render(&report),
        Format::Github => report::github::render(&report),
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write the report: {e}"))
                }
                _ => Ok(()),
            }
        }
    };
    if let Err(e) = written {
        return usage_error(&e);
    }
    if out.has_input_errors() {
        return 2;
    }
    match fail_on {
        Some(t) if active.iter().any(|f| f.level >= t) => 1,
        _ => 0,
    }
}
