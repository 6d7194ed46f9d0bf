//! The command line: `scan`, `rules`, `explain`. Parses arguments (clap), runs the scan, picks the
//! reporter and the exit code (0 clean, 1 findings at or above `--fail-on`, 2 usage or input
//! errors).

use crate::controls::baseline::Baseline;
use crate::findings::{Level, Notification, Report};
use crate::report;
use crate::rules::{self, RuleMeta};
use crate::scan::scan;
use crate::settings::{self, Given, Variable};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    /// List every rule: id, level and title (with the custom rules of batchguard.toml and
    /// --custom-rules).
    Rules {
        /// `text` for people, `json` for machines.
        #[arg(short = 'f', long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        custom: CustomArgs,
    },
    /// Print a rule's documentation (a built-in rule, or a custom one).
    Explain {
        /// A rule id, e.g. NET001.
        rule_id: String,
        #[command(flatten)]
        custom: CustomArgs,
    },
    /// Run the inline tests (`[[rule.test]]`) of custom rule files; exit 1 when one fails.
    TestRules {
        /// Rule files, or folders of them (their `*.toml` files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run the language server on standard input and output, for editors.
    Lsp,
}

/// Where custom rules come from, for the commands that list or explain rules.
#[derive(clap::Args, Debug, Default)]
pub struct CustomArgs {
    /// Custom rule files, folders of them or globs (repeatable), after the `custom_rules` of
    /// batchguard.toml.
    #[arg(long = "custom-rules", value_name = "PATH")]
    pub custom_rules: Vec<PathBuf>,
    /// Read `custom_rules` from FILE instead of the batchguard.toml found upward from the
    /// current directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl CustomArgs {
    /// The custom rules these arguments name.
    fn pack(&self) -> Result<rules::custom::Pack, String> {
        let config = self.config.clone().or_else(|| {
            std::env::current_dir()
                .ok()
                .and_then(|d| d.canonicalize().ok())
                .and_then(|d| crate::controls::config::Config::find(&d))
        });
        crate::settings::custom_rules(config.as_deref(), &self.custom_rules).map_err(|e| e.message)
    }
}

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files or folders to scan. Folders are walked with .gitignore respected [default: the
    /// current directory, or only the --plan files when given].
    pub paths: Vec<PathBuf>,
    /// Output format [default: console]. Repeat it for several reports from one scan: each
    /// --output writes the report of the --format before it (`-f sarif -o a.sarif -f console`);
    /// a format without an --output goes to standard output, which only one may do.
    #[arg(short = 'f', long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// Write the report of the preceding --format to FILE instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// The reports to write, `--format` and `--output` paired by their order on the command line
    /// ([`Cli::parse_args`] fills this).
    #[arg(skip)]
    pub reports: Vec<ReportSpec>,
    /// Only these rules report: ids or prefixes, comma-separated (`NET,BATCH001`); replaces
    /// `select` of batchguard.toml.
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,
    /// More rules on top of the selection (ids or prefixes).
    #[arg(long, value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules that do not report (ids or prefixes), on top of `ignore` of batchguard.toml.
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Color the console report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print the findings only: no summary line, and of the notifications only the errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Print how many findings each rule has, instead of the findings (with --output, besides
    /// the report written there).
    #[arg(long)]
    pub statistics: bool,
    /// Exit 1 when a finding is at or above this level [default: warning, or `fail_on` in
    /// batchguard.toml].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Base of the relative paths in reports; every input must be inside it [default: the
    /// current directory, or, for paths outside it, the folder that holds them all].
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Set a rule option, e.g. `--option redundant_rules=true` (repeatable).
    #[arg(long = "option", value_name = "KEY=VALUE")]
    pub options: Vec<String>,
    /// Set a Terraform root-module variable, as `terraform -var` does (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read Terraform variable values from FILE, as `terraform -var-file` does (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Use FILE as the parameters file of ARM template TEMPLATE (repeatable); a bare FILE is
    /// for the one template file given to scan.
    #[arg(long = "parameters", value_name = "[TEMPLATE=]FILE")]
    pub parameters: Vec<String>,
    /// Read FILE as a Terraform plan in JSON (`terraform show -json PLANFILE`), whatever its name;
    /// a plan is also recognised by its content (repeatable).
    #[arg(long = "plan", value_name = "FILE")]
    pub plans: Vec<PathBuf>,
    /// Skip (and name) inputs larger than this many MiB [default: 128, or `max_file_size` in
    /// batchguard.toml]; a file takes about 17 bytes of memory per byte to analyse, and one
    /// whose syntax tree would pass the memory bound (under 1 GB) is refused where it does.
    #[arg(long, value_name = "MIB", allow_negative_numbers = true)]
    pub max_file_size: Option<i64>,
    /// Read the configuration from FILE instead of the batchguard.toml found upward from --root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Custom rule files, folders of them or globs (repeatable), after the `custom_rules` of
    /// batchguard.toml.
    #[arg(long = "custom-rules", value_name = "PATH")]
    pub custom_rules: Vec<PathBuf>,
    /// Report only findings that are not in this SARIF baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to FILE as a SARIF baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Keep suppressed findings in SARIF output, marked with `suppressions`.
    #[arg(long)]
    pub include_suppressed: bool,
    /// Apply every safe fix in place, then report the findings that remain.
    #[arg(long)]
    pub fix: bool,
    /// Print the unified diff of the fixes instead of writing them (nothing is changed).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// With --fix or --diff, also apply fixes that change more than the finding (each rule's
    /// page says which).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Write an inline suppression comment before every finding that is not suppressed yet
    /// (needs --reason).
    #[arg(long, requires = "reason", conflicts_with_all = ["fix", "diff"])]
    pub add_suppressions: bool,
    /// Why the findings are accepted, written into each suppression added.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// With --add-suppressions: the date (YYYY-MM-DD) after which the suppressions stop applying.
    #[arg(long, value_name = "DATE", requires = "add_suppressions")]
    pub until: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Console,
    Sarif,
    Json,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// One line per finding: `path:line:column: RULE message`.
    Concise,
    /// JUnit XML: one failed test case per finding (Azure DevOps, GitLab, Jenkins test tabs).
    Junit,
    /// Azure Pipelines logging commands: one `##vso[task.logissue …]` per finding.
    Azure,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

/// When the console report is colored.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set or `TERM=dumb`; always when `CLICOLOR_FORCE` is
    /// set (not `0`).
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn colored(self, to_terminal: bool) -> bool {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
                false
            }
            ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
            ColorChoice::Auto => to_terminal && std::env::var("TERM").map_or(true, |t| t != "dumb"),
        }
    }
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

/// One report of a scan: its format, and the file it is written to (`None`: standard output).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSpec {
    pub format: Format,
    pub output: Option<PathBuf>,
}

impl Cli {
    /// Parses a command line (the program name first), pairing each `--output` of `scan` with the
    /// `--format` before it. Errors are clap's, with its usage text and exit code.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{CommandFactory, FromArgMatches};
        let mut command = Cli::command();
        let matches = command.try_get_matches_from_mut(args)?;
        let mut cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
        if let (Command::Scan(args), Some(("scan", m))) = (&mut cli.command, matches.subcommand()) {
            let at =
                |id: &str| -> Vec<usize> { m.indices_of(id).map_or(Vec::new(), Iterator::collect) };
            args.reports = pair_reports(&args.format, &at("format"), &args.output, &at("output"))
                .map_err(|msg| {
                command
                    .find_subcommand_mut("scan")
                    .expect("scan is a subcommand")
                    .error(clap::error::ErrorKind::ArgumentConflict, msg)
            })?;
        }
        Ok(cli)
    }
}

/// Pairs outputs with formats by command-line position: an output belongs to the last format
/// before it (outputs before every format belong to the first one). No format means console; a
/// format may have one output; at most one report goes to standard output.
fn pair_reports(
    formats: &[Format],
    format_at: &[usize],
    outputs: &[PathBuf],
    output_at: &[usize],
) -> Result<Vec<ReportSpec>, String> {
    let mut reports: Vec<ReportSpec> = if formats.is_empty() {
        vec![ReportSpec {
            format: Format::Console,
            output: None,
        }]
    } else {
        formats
            .iter()
            .map(|&format| ReportSpec {
                format,
                output: None,
            })
            .collect()
    };
    for (i, path) in outputs.iter().enumerate() {
        let at = output_at.get(i).copied().unwrap_or(usize::MAX);
        let owner = format_at.iter().rposition(|&f| f < at).unwrap_or(0);
        let report = &mut reports[owner];
        if let Some(first) = &report.output {
            return Err(format!(
                "`--output {}` and `--output {}` both follow `--format {}`: give each report its own --format",
                first.display(),
                path.display(),
                report.format.name()
            ));
        }
        report.output = Some(path.clone());
    }
    let to_stdout: Vec<String> = reports
        .iter()
        .filter(|r| r.output.is_none())
        .map(|r| r.format.name())
        .collect();
    if to_stdout.len() > 1 {
        return Err(format!(
            "only one report can go to standard output, and {} would: give the others an --output FILE",
            to_stdout.join(", ")
        ));
    }
    Ok(reports)
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
        Command::Rules { format, custom } => match custom.pack() {
            Ok(pack) => write_stdout(&match format {
                ListFormat::Text => crate::catalogue::listing(&pack),
                ListFormat::Json => crate::catalogue::listing_json(&pack),
            }),
            Err(e) => usage_error(&e),
        },
        Command::Explain { rule_id, custom } => {
            let pack = match custom.pack() {
                Ok(p) => p,
                Err(e) => return usage_error(&e),
            };
            let meta = rules::find(&rule_id)
                .map(|r| &r.meta)
                .or_else(|| pack.find(&rule_id).map(|r| r.meta));
            match meta {
                Some(m) => {
                    let doc = m.doc.trim_end();
                    if m.help_uri.is_empty() {
                        write_stdout(&format!("{doc}\n"))
                    } else {
                        write_stdout(&format!("{doc}\n\nMore: {}\n", m.help_uri))
                    }
                }
                None => {
                    let ids: Vec<&str> = rules::RULES
                        .iter()
                        .map(|r| r.meta.id)
                        .chain(pack.metas().map(|m| m.id))
                        .collect();
                    usage_error(&format!(
                        "unknown rule `{rule_id}`; known rules: {}",
                        ids.join(", ")
                    ))
                }
            }
        }
        Command::TestRules { paths } => crate::testrules::run_cli(&paths),
        Command::Scan(args) => run_scan(*args),
        Command::Lsp => crate::lsp::run_stdio(),
    }
}

/// What the command line gives on top of `batchguard.toml`: `--config`, `--option`, `--var`,
/// `--var-file` and `--parameters`, each checked for its form.
fn given(args: &ScanArgs) -> Result<Given, String> {
    let mut g = Given {
        config: args.config.clone(),
        custom_rules: args.custom_rules.clone(),
        ..Given::default()
    };
    for kv in &args.options {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("`--option {kv}` must have the form KEY=VALUE"))?;
        g.options.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut vars = Vec::new();
    for kv in &args.vars {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("`--var {kv}` must have the form NAME=VALUE"))?;
        vars.push(Variable::Value(k.trim().to_string(), v.to_string()));
    }
    let files: Vec<Variable> = args.var_files.iter().cloned().map(Variable::File).collect();
    // Terraform applies -var and -var-file in the order they are given.
    let mut order = Vec::new();
    for a in std::env::args() {
        if a == "--var" || a.starts_with("--var=") {
            order.push(false);
        } else if a == "--var-file" || a.starts_with("--var-file=") {
            order.push(true);
        }
    }
    if order.len() != vars.len() + files.len() {
        order = vec![false; vars.len()];
        order.extend(vec![true; files.len()]);
    }
    let (mut vars, mut files) = (vars.into_iter(), files.into_iter());
    g.variables = order
        .into_iter()
        .filter_map(|is_file| if is_file { files.next() } else { vars.next() })
        .collect();
    g.plans = args.plans.clone();
    g.select = args.select.clone();
    g.extend_select = args.extend_select.clone();
    g.ignore = args.ignore.clone();
    for tp in &args.parameters {
        let (t, p) = match tp.split_once('=') {
            Some((t, p)) => (PathBuf::from(t), PathBuf::from(p)),
            // A bare FILE, as `az deployment group create --parameters`: the parameters of the
            // one template the command line names.
            None => match args.paths.as_slice() {
                [template] if !template.is_dir() => (template.clone(), PathBuf::from(tp)),
                _ => {
                    return Err(format!(
                        "`--parameters {tp}` names no template: give one template file to scan, \
                         or say which template it is for with `--parameters TEMPLATE={tp}`"
                    ))
                }
            },
        };
        g.parameters.push((t, p));
    }
    Ok(g)
}

/// `--fix`: the fixes applied and written, the scan of the fixed files returned with the notes
/// about fixes not applied. Says on standard error what was fixed and what remains.
fn fix_in_place(
    cfg: &crate::scan::ScanConfig,
    unsafe_fixes: bool,
) -> Result<(crate::scan::ScanOutput, Vec<Notification>), String> {
    let run = crate::fix::run::run(cfg, unsafe_fixes)?;
    write_changed(&run.changed)?;
    let remaining = run
        .output
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .count();
    eprintln!(
        "batchguard: fixed {} in {}; {} remain{}",
        report::plural(run.fixed, "finding"),
        report::plural(run.changed.len(), "file"),
        remaining,
        if remaining == 1 { "s" } else { "" }
    );
    Ok((run.output, run.notes))
}

/// `--add-suppressions`: the comments written, the scan of the files with them returned.
fn add_suppressions(
    cfg: &crate::scan::ScanConfig,
    reason: &str,
    until: Option<&str>,
) -> Result<(crate::scan::ScanOutput, Vec<Notification>), String> {
    let run = crate::fix::run::suppress_all(cfg, reason, until)?;
    write_changed(&run.changed)?;
    eprintln!(
        "batchguard: suppressed {} in {}",
        report::plural(run.fixed, "finding"),
        report::plural(run.changed.len(), "file")
    );
    Ok((run.output, run.notes))
}

/// Writes the files a run changed, with the byte order mark they had.
fn write_changed(changed: &[crate::fix::run::Changed]) -> Result<(), String> {
    for c in changed {
        let mut bytes = Vec::with_capacity(c.after.len() + 3);
        if c.had_bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(c.after.as_bytes());
        std::fs::write(&c.path, bytes).map_err(|e| format!("cannot write `{}`: {e}", c.rel))?;
    }
    Ok(())
}

/// `--diff`: the unified diff of the fixes on standard output, nothing written; exit 1 when
/// there is one, 2 when a fix failed its check.
fn run_diff(cfg: &crate::scan::ScanConfig, unsafe_fixes: bool) -> i32 {
    let run = match crate::fix::run::run(cfg, unsafe_fixes) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let mut stdout = std::io::stdout().lock();
    for c in &run.changed {
        let d = crate::fix::diff::unified(&c.rel, &c.before, &c.after);
        if stdout.write_all(d.as_bytes()).is_err() {
            return 2;
        }
    }
    for n in &run.notes {
        let at = n
            .span
            .and_then(|s| {
                let f = run.output.files.get(s.file)?;
                let p = f.lines().position(&f.text, s.start);
                Some(format!("{}:{}:{}: ", f.rel, p.line, p.col_char))
            })
            .unwrap_or_default();
        eprintln!("{at}{}", n.message);
    }
    eprintln!(
        "batchguard: {} would fix {}",
        report::plural(run.changed.len(), "changed file"),
        report::plural(run.fixed, "finding")
    );
    if run.notes.iter().any(|n| n.level == Level::Error) {
        2
    } else if run.changed.is_empty() {
        0
    } else {
        1
    }
}

/// The scan root: `--root`, else the current directory when every path is inside it, else the
/// deepest folder that holds every path (a path that does not exist is left to the scan to
/// report).
fn scan_root(args: &ScanArgs) -> PathBuf {
    if let Some(root) = &args.root {
        return root.clone();
    }
    let here = PathBuf::from(".");
    let Ok(cwd) = here.canonicalize() else {
        return here;
    };
    let folders: Vec<PathBuf> = args
        .paths
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .map(|p| {
            if p.is_dir() {
                p
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or(p)
            }
        })
        .collect();
    if folders.iter().all(|f| f.starts_with(&cwd)) {
        return here;
    }
    let mut common = folders[0].clone();
    for f in &folders[1..] {
        while !f.starts_with(&common) {
            if !common.pop() {
                return here;
            }
        }
    }
    common
}

fn run_scan(mut args: ScanArgs) -> i32 {
    if args.paths.is_empty() {
        args.paths = if args.plans.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.plans.clone()
        };
    }
    let mut cfg = match given(&args).and_then(|g| {
        settings::scan_config(&scan_root(&args), args.paths.clone(), &g).map_err(|e| e.to_string())
    }) {
        Ok(cfg) => cfg,
        Err(e) => return usage_error(&e),
    };
    if let Some(mib) = args.max_file_size {
        match crate::controls::config::max_file_bytes(mib) {
            Ok(bytes) => cfg.config.max_file_bytes = Some(bytes),
            Err(e) => return usage_error(&e.replace("`max_file_size`", "`--max-file-size`")),
        }
    }
    let fail_on = args
        .fail_on
        .map(FailOn::threshold)
        .or(cfg.config.fail_on)
        .unwrap_or(Some(Level::Warning));
    if args.diff {
        return run_diff(&cfg, args.unsafe_fixes);
    }
    let mut fix_notes = Vec::new();
    let mut out = if args.add_suppressions {
        if let Some(u) = &args.until {
            if crate::controls::suppress::parse_date(u).is_none() {
                return usage_error(&format!("`--until {u}` is not a date (YYYY-MM-DD)"));
            }
        }
        let reason = args.reason.as_deref().unwrap_or_default();
        if reason.trim().is_empty() {
            return usage_error(
                "--add-suppressions needs a --reason that says why the findings are accepted",
            );
        }
        match add_suppressions(&cfg, reason, args.until.as_deref()) {
            Ok((out, notes)) => {
                fix_notes = notes;
                out
            }
            Err(e) => return usage_error(&e),
        }
    } else if args.fix {
        match fix_in_place(&cfg, args.unsafe_fixes) {
            Ok((out, notes)) => {
                fix_notes = notes;
                out
            }
            Err(e) => return usage_error(&e),
        }
    } else {
        match scan(&cfg) {
            Ok(o) => o,
            Err(e) => return usage_error(&e),
        }
    };
    let root_uri = Some(report::sarif::root_uri(&out.root));
    let (suppressed, mut active): (Vec<_>, Vec<_>) =
        if out.findings.iter().any(|f| f.suppression.is_some()) {
            std::mem::take(&mut out.findings)
                .into_iter()
                .partition(|f| f.suppression.is_some())
        } else {
            // Nothing suppressed: the findings as they are, not moved one by one.
            (Vec::new(), std::mem::take(&mut out.findings))
        };
    if let Some(path) = &args.write_baseline {
        let report = Report {
            files: &out.files,
            findings: &active,
            notifications: &[],
            root_uri: root_uri.clone(),
        };
        // The rules that have findings only: a baseline is read for its results.
        let metas: Vec<_> = rules::all_metas(&cfg.options)
            .into_iter()
            .filter(|m| active.iter().any(|f| f.rule == m.id))
            .collect();
        let text = report::sarif::render(&report, &metas, VERSION);
        if let Err(e) = std::fs::write(path, text) {
            return usage_error(&format!("cannot write baseline `{}`: {e}", path.display()));
        }
    }
    let mut notifications = out.notifications.clone();
    notifications.extend(fix_notes);
    if let Some(path) = &args.baseline {
        let mut baseline = match Baseline::read(path) {
            Ok(b) => b,
            Err(e) => return usage_error(&e),
        };
        let accepted = baseline.filter(&mut active, &out.files, &out.root);
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
    let with_suppressed: Vec<crate::findings::Finding> = if args.include_suppressed {
        let mut all = active.clone();
        all.extend(suppressed);
        crate::scan::sort_findings(&mut all);
        all
    } else {
        Vec::new()
    };
    if args.quiet {
        notifications.retain(|n| n.level == Level::Error);
    }
    if args.reports.is_empty() {
        // A `Cli` built without `Cli::parse_args`: formats and outputs paired in order.
        args.reports = match pair_reports(&args.format, &[], &args.output, &[]) {
            Ok(reports) => reports,
            Err(e) => return usage_error(&e),
        };
    }
    if args.statistics {
        let _ = write_stdout(&statistics(&active));
        // The statistics take standard output's place.
        args.reports.retain(|r| r.output.is_some());
    }
    for spec in &args.reports {
        // Suppressed findings are kept only where they can be marked as such (SARIF).
        let findings: &[crate::findings::Finding] =
            if args.include_suppressed && spec.format == Format::Sarif {
                &with_suppressed
            } else {
                &active
            };
        let report = Report {
            files: &out.files,
            findings,
            notifications: &notifications,
            root_uri: root_uri.clone(),
        };
        if let Err(e) = write_report(spec, &report, &args, &rules::all_metas(&cfg.options)) {
            return usage_error(&e);
        }
    }
    // Writing a baseline accepts what is found: only unreadable inputs fail.
    let fail_on = if args.write_baseline.is_some() {
        None
    } else {
        fail_on
    };
    let code = exit_code(&out, &active, fail_on);
    // The process ends now and its memory goes back whole: freeing the texts and findings one
    // allocation at a time would only delay the exit.
    std::mem::forget((out, active, with_suppressed, notifications));
    code
}

/// Writes one report to its file or to standard output, as it is made (never whole in memory).
fn write_report(
    spec: &ReportSpec,
    report: &Report,
    args: &ScanArgs,
    metas: &[&'static RuleMeta],
) -> Result<(), String> {
    let to_terminal = spec.output.is_none() && std::io::stdout().is_terminal();
    let color = args.color.colored(to_terminal);
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        match spec.format {
            Format::Console => report::console::write_with(&mut w, report, color, !args.quiet)?,
            Format::Sarif => report::sarif::write(&mut w, report, metas, VERSION)?,
            Format::Json => report::json::write(&mut w, report)?,
            Format::Github => w.write_all(report::github::render(report).as_bytes())?,
            Format::Concise => w.write_all(report::concise::render(report).as_bytes())?,
            Format::Junit => w.write_all(report::junit::render(report).as_bytes())?,
            Format::Azure => w.write_all(report::azure::render(report).as_bytes())?,
            Format::Gitlab => w.write_all(report::gitlab::render(report).as_bytes())?,
        }
        w.flush()
    };
    match &spec.output {
        Some(path) => std::fs::File::create(path)
            .and_then(|mut f| write(&mut f))
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => match write(&mut std::io::stdout().lock()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write the report: {e}"))
            }
            _ => Ok(()),
        },
    }
}

/// 2 for inputs that could not be read, 1 for a finding at or above `fail_on`, else 0.
fn exit_code(
    out: &crate::scan::ScanOutput,
    active: &[crate::findings::Finding],
    fail_on: Option<Level>,
) -> i32 {
    if out.has_input_errors() {
        return 2;
    }
    match fail_on {
        Some(t) if active.iter().any(|f| f.level >= t) => 1,
        _ => 0,
    }
}

/// `COUNT  RULE  title` for each rule with findings, most first (then by rule).
fn statistics(findings: &[crate::findings::Finding]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in findings {
        *counts.entry(f.rule).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.first().map_or(1, |r| r.1.to_string().len());
    let id_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut s = String::new();
    for (rule, n) in rows {
        let title = rules::meta_of(rule).map_or("", |m| m.title);
        s.push_str(&format!("{n:>width$}  {rule:<id_width$}  {title}\n"));
    }
    s
}
