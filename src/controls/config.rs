//! `batchguard.toml`: per-repository configuration, found upward from the scan root, but never
//! above the repository being scanned ([`repository_top`]), or named with `--config`. Paths in it
//! are relative to the file's folder. Unknown keys, unknown rule ids and bad values are errors
//! that name the file, line and column.
//!
//! ```toml
//! fail_on = "warning"                 # error | warning | note | never
//! max_file_size = 16                  # MiB; larger inputs are named and skipped (1 to 1024)
//! exclude = ["examples/**"]           # globs over paths relative to the scan root
//! var_files = ["env/prod.tfvars"]     # Terraform variable files, before --var-file
//! custom_rules = ["policies/*.toml"]  # custom rule files, folders or globs (rules::custom)
//!
//! [parameters]                        # ARM template = parameters file
//! "arm/azuredeploy.json" = "arm/azuredeploy.parameters.prod.json"
//!
//! [rules]
//! select = ["NET", "BATCH001"]        # when set, only these rules report (ids or prefixes)
//! extend-select = ["ML0"]             # more rules on top of `select`
//! ignore = ["BATCH014"]               # rules that never report (`enable` and `disable` are
//!                                     # the older names of `select` and `ignore`)
//!
//! [rules.level]                       # level overrides
//! NET003 = "error"
//!
//! [options]                           # the rule options of `--option`
//! redundant_rules = true
//! broad_prefix_max = 8
//! ```

use crate::findings::{Finding, Level};
use crate::rules::Options;
use crate::source::{LineIndex, Position, ReadError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "batchguard.toml";

/// Largest configuration file read.
const MAX_BYTES: u64 = 1 << 20;

/// The top of the repository that holds `dir` (an absolute, canonical folder): the nearest
/// folder at or above it with a `.git` (a folder, or the file of a worktree or submodule), or
/// `dir` itself outside git. Configuration and ignore files are looked up from `dir` up to it and
/// never above, so that what lies around a checkout never changes its scan.
pub fn repository_top(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .unwrap_or(dir)
        .to_path_buf()
}

/// A configuration or usage error: what `batchguard scan` prints before it exits with 2, and,
/// when the problem is written in a file, where (so that an editor can mark the spot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The whole message; one about a place in a file starts with `path:line:column: `.
    pub message: String,
    pub location: Option<Location>,
}

/// A range in a configuration file: 1-based lines, columns in bytes, chars and UTF-16 units,
/// the end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub start: Position,
    pub end: Position,
}

impl ConfigError {
    /// An error that is not about a place in a file.
    pub fn new(message: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
            location: None,
        }
    }

    /// The message without the `path:line:column: ` that starts it, for a reader who is shown
    /// the place already.
    pub fn detail(&self) -> &str {
        let Some(l) = &self.location else {
            return &self.message;
        };
        self.message
            .strip_prefix(&l.to_string())
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or(&self.message)
    }
}

/// `path:line:column`, the column in chars.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.path.display(),
            self.start.line,
            self.start.col_char
        )
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A value of the file with the place it is written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    pub value: T,
    pub at: Location,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    fail_on: Option<Spanned<String>>,
    max_file_size: Option<Spanned<i64>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    var_files: Vec<Spanned<String>>,
    #[serde(default)]
    custom_rules: Vec<Spanned<String>>,
    #[serde(default)]
    parameters: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    options: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default, alias = "enable")]
    select: Vec<Spanned<String>>,
    #[serde(default, rename = "extend-select", alias = "extend_select")]
    extend_select: Vec<Spanned<String>>,
    #[serde(default, alias = "disable")]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    level: BTreeMap<String, Spanned<String>>,
}

/// A configuration, validated.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub fail_on: Option<Option<Level>>,
    /// The largest input read, in bytes (`max_file_size`, in MiB, in the file); `None`: the
    /// scan's default.
    pub max_file_bytes: Option<u64>,
    pub exclude: Vec<String>,
    /// Terraform variable files, relative paths resolved against the file's folder.
    pub var_files: Vec<Entry<PathBuf>>,
    /// (template, parameters file), resolved against the file's folder.
    pub parameters: Vec<Entry<(PathBuf, PathBuf)>>,
    /// Custom rule files, folders or globs, relative to the file's folder (read by
    /// [`Config::custom_rules`] before the rest of the file, whose rule ids may be theirs).
    pub custom_rules: Vec<Entry<String>>,
    /// Rule ids or prefixes (`NET`, `ML0`), upper case: when any is given, only the rules they
    /// match report, with those of `extend_select`.
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    /// Rules that never report.
    pub ignore: Vec<String>,
    pub levels: Vec<(String, Level)>,
    /// (key, value) pairs for [`Options::set`], already checked.
    pub options: Vec<(String, String)>,
}

/// `max_file_size` (MiB) in bytes: from 1 to 1024 MiB.
pub fn max_file_bytes(mib: i64) -> Result<u64, String> {
    match u64::try_from(mib) {
        Ok(m @ 1..=1024) => Ok(m << 20),
        _ => Err(format!(
            "`max_file_size` is a number of MiB from 1 to 1024, not {mib}"
        )),
    }
}

/// A rule id or the prefix of some (`NET`, `ml0`), upper case; an error names what it is not.
pub fn rule_selector(s: &str, known_rules: &[&str]) -> Result<String, String> {
    let p = s.trim().to_ascii_uppercase();
    if !p.is_empty() && known_rules.iter().any(|id| id.starts_with(p.as_str())) {
        Ok(p)
    } else {
        Err(format!(
            "`{}` is neither a rule id nor the start of one (e.g. NET001, NET, BATCH0)",
            s.trim()
        ))
    }
}

/// `error`, `warning` or `note`, in any case.
pub(crate) fn level(s: &str) -> Option<Level> {
    match s.to_ascii_lowercase().as_str() {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "note" => Some(Level::Note),
        _ => None,
    }
}

impl Config {
    /// `batchguard.toml` in `start` or its nearest ancestor inside the repository that holds
    /// `start` ([`repository_top`]): a file above the checkout is not the repository's and is
    /// never read.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let top = repository_top(start);
        start
            .ancestors()
            .take_while(|d| d.starts_with(&top))
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// The custom rule files `path` names (`custom_rules`), each with its place; none when the
    /// file cannot be read or parsed, which [`Config::load`] then reports.
    pub fn custom_rules(path: &Path) -> Vec<Entry<String>> {
        #[derive(Deserialize)]
        struct Only {
            #[serde(default)]
            custom_rules: Vec<Spanned<String>>,
        }
        let Ok(bytes) = crate::source::read_regular(path, MAX_BYTES) else {
            return Vec::new();
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Vec::new();
        };
        let Ok(only) = toml::from_str::<Only>(&text) else {
            return Vec::new();
        };
        let lines = LineIndex::new(&text);
        only.custom_rules
            .iter()
            .map(|g| Entry {
                value: g.get_ref().clone(),
                at: Location {
                    path: path.to_path_buf(),
                    start: lines.position(&text, g.span().start),
                    end: lines.position(&text, g.span().end),
                },
            })
            .collect()
    }

    /// Reads `path`, which must be a regular file of at most 1 MiB.
    pub fn load(path: &Path, known_rules: &[&str]) -> Result<Config, ConfigError> {
        let bytes = crate::source::read_regular(path, MAX_BYTES).map_err(|e| {
            let why = match e {
                ReadError::NotRegular(what) => format!("it is {what}, not a regular file"),
                ReadError::TooLarge(_) => format!("it is larger than {} KiB", MAX_BYTES >> 10),
                ReadError::Io(e) => e.to_string(),
            };
            ConfigError::new(format!("{}: cannot read: {why}", path.display()))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            ConfigError::new(format!(
                "{}: cannot read: not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        Config::parse(&text, path, known_rules)
    }

    pub fn parse(text: &str, path: &Path, known_rules: &[&str]) -> Result<Config, ConfigError> {
        let lines = LineIndex::new(text);
        let locate = |span: std::ops::Range<usize>| Location {
            path: path.to_path_buf(),
            start: lines.position(text, span.start),
            end: lines.position(text, span.end),
        };
        let at = |span: std::ops::Range<usize>, msg: String| {
            let location = locate(span);
            ConfigError {
                message: format!("{location}: {msg}"),
                location: Some(location),
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => at(span, e.message().to_string()),
            None => ConfigError::new(format!("{}: {}", path.display(), e.message())),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let rule_id = |s: &Spanned<String>| -> Result<String, ConfigError> {
            let id = s.get_ref().trim().to_ascii_uppercase();
            if known_rules.contains(&id.as_str()) {
                Ok(id)
            } else {
                Err(at(s.span(), format!("unknown rule `{}`", s.get_ref())))
            }
        };
        let selector = |s: &Spanned<String>| -> Result<String, ConfigError> {
            rule_selector(s.get_ref(), known_rules).map_err(|e| at(s.span(), e))
        };
        let mut c = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        if let Some(f) = &raw.fail_on {
            c.fail_on = Some(match f.get_ref().to_ascii_lowercase().as_str() {
                "never" => None,
                other => Some(level(other).ok_or_else(|| {
                    at(
                        f.span(),
                        format!(
                            "`fail_on` is error, warning, note or never, not `{}`",
                            f.get_ref()
                        ),
                    )
                })?),
            });
        }
        if let Some(m) = &raw.max_file_size {
            c.max_file_bytes = Some(max_file_bytes(*m.get_ref()).map_err(|e| at(m.span(), e))?);
        }
        for g in &raw.exclude {
            globset::Glob::new(g.get_ref()).map_err(|e| at(g.span(), format!("bad glob: {e}")))?;
            c.exclude.push(g.get_ref().clone());
        }
        c.var_files = raw
            .var_files
            .iter()
            .map(|f| Entry {
                value: base.join(f.get_ref()),
                at: locate(f.span()),
            })
            .collect();
        c.custom_rules = raw
            .custom_rules
            .iter()
            .map(|g| Entry {
                value: g.get_ref().clone(),
                at: locate(g.span()),
            })
            .collect();
        c.parameters = raw
            .parameters
            .iter()
            .map(|(t, p)| Entry {
                value: (base.join(t), base.join(p.get_ref())),
                at: locate(p.span()),
            })
            .collect();
        c.select = raw
            .rules
            .select
            .iter()
            .map(selector)
            .collect::<Result<_, _>>()?;
        c.extend_select = raw
            .rules
            .extend_select
            .iter()
            .map(selector)
            .collect::<Result<_, _>>()?;
        c.ignore = raw
            .rules
            .ignore
            .iter()
            .map(selector)
            .collect::<Result<_, _>>()?;
        for (id, l) in &raw.rules.level {
            let key = Spanned::new(l.span(), id.clone());
            let id = rule_id(&key)?;
            let lv = level(l.get_ref()).ok_or_else(|| {
                at(
                    l.span(),
                    format!("a level is error, warning or note, not `{}`", l.get_ref()),
                )
            })?;
            c.levels.push((id, lv));
        }
        let mut check = Options::default();
        for (k, v) in &raw.options {
            let value = match v.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Array(a) => a
                    .iter()
                    .map(|x| x.to_string().trim_matches('"').to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            check.set(k, &value).map_err(|e| at(v.span(), e))?;
            c.options.push((k.clone(), value));
        }
        Ok(c)
    }

    /// Does rule `id` report, by `select`, `extend_select` and `ignore`?
    pub fn selects(&self, id: &str) -> bool {
        let matches = |list: &[String]| list.iter().any(|p| id.starts_with(p.as_str()));
        (self.select.is_empty() || matches(&self.select) || matches(&self.extend_select))
            && !matches(&self.ignore)
    }

    /// Applies rule selection and level overrides to findings.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        findings.retain(|f| self.selects(f.rule));
        for f in findings.iter_mut() {
            if let Some((_, l)) = self.levels.iter().find(|(r, _)| r == f.rule) {
                f.level = *l;
            }
        }
    }

    /// A matcher for `exclude`.
    pub fn excluder(&self) -> globset::GlobSet {
        let mut b = globset::GlobSetBuilder::new();
        for g in &self.exclude {
            if let Ok(g) = globset::Glob::new(g) {
                b.add(g);
            }
        }
        b.build().unwrap_or_else(|_| globset::GlobSet::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[&str] = &["NET001", "NET003", "BATCH014"];

    #[test]
    fn parses_a_full_configuration() {
        let text = "fail_on = \"error\"\nexclude = [\"examples/**\"]\nvar_files = [\"prod.tfvars\"]\n[parameters]\n\"a.json\" = \"a.parameters.prod.json\"\n[rules]\ndisable = [\"batch014\"]\n[rules.level]\nNET003 = \"error\"\n[options]\nredundant_rules = true\nremote_access_ports = [22, 2222]\n";
        let c = Config::parse(text, Path::new("/repo/batchguard.toml"), RULES).unwrap();
        assert_eq!(c.fail_on, Some(Some(Level::Error)));
        assert_eq!(c.ignore, vec!["BATCH014"]);
        assert_eq!(c.levels, vec![("NET003".to_string(), Level::Error)]);
        assert_eq!(
            c.var_files.iter().map(|e| &e.value).collect::<Vec<_>>(),
            vec![&PathBuf::from("/repo/prod.tfvars")]
        );
        // Where each path is written, for an error about the file it names.
        assert_eq!(
            (
                c.var_files[0].at.start.line,
                c.var_files[0].at.start.col_char
            ),
            (3, 14)
        );
        assert_eq!(
            c.parameters[0].value,
            (
                PathBuf::from("/repo/a.json"),
                PathBuf::from("/repo/a.parameters.prod.json")
            )
        );
        assert!(c
            .options
            .contains(&("remote_access_ports".to_string(), "22,2222".to_string())));
        assert!(c.excluder().is_match("examples/x/main.tf"));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let p = Path::new("batchguard.toml");
        let err = Config::parse("fail_on = \"error\"\ncolour = true\n", p, RULES).unwrap_err();
        let e = err.to_string();
        assert!(e.starts_with("batchguard.toml:2:1:"), "{e}");
        assert!(e.contains("colour"), "{e}");
        let at = err.location.as_ref().unwrap();
        assert_eq!((at.start.line, at.start.col_utf16), (2, 1));
        assert!(
            err.detail().starts_with("unknown field `colour`"),
            "{err:?}"
        );
        let err = Config::parse("[rules]\ndisable = [\"NET999\"]\n", p, RULES).unwrap_err();
        let e = err.to_string();
        assert!(
            e.starts_with("batchguard.toml:2:12:")
                && e.contains("`NET999` is neither a rule id nor the start of one"),
            "{e}"
        );
        let at = err.location.unwrap();
        assert_eq!((at.start.col_utf16, at.end.col_utf16), (12, 20));
        let e = Config::parse("[options]\nbroad_prefix_max = \"wide\"\n", p, RULES)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("batchguard.toml:2:20:"), "{e}");
        let e = Config::parse("[rules.level]\nNET001 = \"fatal\"\n", p, RULES)
            .unwrap_err()
            .to_string();
        assert!(e.contains("fatal"), "{e}");
    }
}
