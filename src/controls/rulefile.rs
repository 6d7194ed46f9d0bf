//! Custom rule files: TOML files of `[[rule]]` tables, named by `custom_rules` in
//! `batchguard.toml` or by `--custom-rules`, read, checked and compiled into
//! [`rules::custom::CustomRule`]s. Every problem is a [`ConfigError`] at its place in the file
//! (`path:line:column`): an unknown key or operator, a condition with no operator or two, a bad
//! JSONPath, regular expression or CIDR, an id taken by a built-in rule or by another custom rule.
//!
//! Rules are safe by construction: a rule has no way to read files, the environment or the
//! network; its regular expressions are compiled with a size limit (the `regex` crate matches in
//! linear time) and its JSONPath queries are limited in length and in descendant segments, and
//! select at most `MAX_SELECTED` values of a resource when they run.
//!
//! A file with the same path and text is compiled once per process, so that a language server
//! that reads settings again on every analysis does not compile (or leak the metadata of) the
//! same rules twice.

use super::config::{ConfigError, Location};
use crate::findings::Level;
use crate::rules::custom::cond::{Cond, Each, Leaf, Op};
use crate::rules::custom::doc::Query;
use crate::rules::custom::{CustomRule, FixPolicy, Pack, Part, Template, TestCase};
use crate::rules::RuleMeta;
use crate::source::{LineIndex, ReadError};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use toml::Spanned;

/// Largest rule file read.
const MAX_BYTES: u64 = 1 << 20;
/// Longest JSONPath query.
const MAX_PATH_CHARS: usize = 512;
/// Most descendant (`..`) segments in one query.
const MAX_DESCENDANTS: usize = 2;
/// Largest compiled regular expression, in bytes.
const MAX_REGEX_BYTES: usize = 1 << 20;
/// Deepest nesting of `any_of`, `all_of` and `not`.
const MAX_NESTING: usize = 16;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: Spanned<String>,
    name: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
    security_severity: Option<Spanned<toml::Value>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    help: Option<Spanned<String>>,
    help_uri: Option<Spanned<String>>,
    #[serde(rename = "type")]
    rtype: Spanned<toml::Value>,
    #[serde(default, rename = "where")]
    where_: Vec<Spanned<RawCond>>,
    #[serde(default)]
    assert: Vec<Spanned<RawCond>>,
    message: Option<Spanned<String>>,
    fix: Option<Spanned<String>>,
    #[serde(default)]
    test: Vec<Spanned<RawTest>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCond {
    path: Option<Spanned<String>>,
    each: Option<Spanned<String>>,
    default: Option<Spanned<toml::Value>>,
    exists: Option<Spanned<bool>>,
    equals: Option<Spanned<toml::Value>>,
    not_equals: Option<Spanned<toml::Value>>,
    #[serde(rename = "in")]
    in_: Option<Spanned<Vec<toml::Value>>>,
    not_in: Option<Spanned<Vec<toml::Value>>>,
    matches: Option<Spanned<String>>,
    less_than: Option<Spanned<toml::Value>>,
    greater_than: Option<Spanned<toml::Value>>,
    cidr_within: Option<Spanned<Vec<Spanned<String>>>>,
    any_of: Option<Spanned<Vec<Spanned<RawCond>>>>,
    all_of: Option<Spanned<Vec<Spanned<RawCond>>>>,
    not: Option<Spanned<Box<Spanned<RawCond>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    name: Option<String>,
    #[serde(alias = "language")]
    syntax: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
    #[serde(alias = "code", alias = "template")]
    snippet: Spanned<String>,
    #[serde(alias = "lines", alias = "expected")]
    expect: Spanned<Vec<i64>>,
}

/// The rule files named by `patterns`: each a file, a folder (its `*.toml` files) or a glob,
/// relative to `base`. `at` is where the pattern is written, for its errors (none for the
/// command line's).
pub fn find_files(
    patterns: &[(String, Option<Location>)],
    base: &Path,
) -> Result<Vec<PathBuf>, ConfigError> {
    let mut files = Vec::new();
    for (pattern, at) in patterns {
        let error = |message: String| match at {
            Some(l) => ConfigError {
                message: format!("{l}: {message}"),
                location: Some(l.clone()),
            },
            None => ConfigError::new(message),
        };
        let p = base.join(pattern);
        // A file, or anything else that is there but not a folder (reading says what it is).
        if p.is_file() || (p.symlink_metadata().is_ok() && !p.is_dir()) {
            files.push(p);
            continue;
        }
        if p.is_dir() {
            let mut here: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| error(format!("cannot read custom rules `{pattern}`: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml") && f.is_file())
                .collect();
            here.sort();
            if here.is_empty() {
                return Err(error(format!(
                    "custom rules `{pattern}`: the folder holds no .toml file"
                )));
            }
            files.extend(here);
            continue;
        }
        if !pattern.contains(['*', '?', '[', '{']) {
            return Err(error(format!(
                "custom rules `{pattern}`: no such file or folder"
            )));
        }
        let glob = globset::Glob::new(pattern)
            .map_err(|e| error(format!("custom rules `{pattern}`: bad glob: {e}")))?
            .compile_matcher();
        let mut here = Vec::new();
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        for entry in ignore::WalkBuilder::new(base)
            .standard_filters(false)
            .follow_links(false)
            .max_depth(Some(16))
            .build()
            .flatten()
        {
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if let Ok(rel) = path.strip_prefix(base) {
                if glob.is_match(rel) {
                    here.push(path.to_path_buf());
                }
            }
        }
        here.sort();
        if here.is_empty() {
            return Err(error(format!("custom rules `{pattern}` match no file")));
        }
        files.extend(here);
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    Ok(files)
}

/// The rule files that command-line paths name (files, folders or globs, relative to the
/// current directory).
pub fn find_given(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ConfigError> {
    let patterns: Vec<(String, Option<Location>)> = paths
        .iter()
        .map(|p| (p.to_string_lossy().into_owned(), None))
        .collect();
    find_files(&patterns, Path::new(""))
}

/// Reads and compiles the rule files, in order; ids must be unique across them and must not be
/// built-in rules'.
pub fn load(files: &[PathBuf]) -> Result<Pack, ConfigError> {
    let mut rules: Vec<Arc<CustomRule>> = Vec::new();
    let mut sources = Vec::new();
    for f in files {
        let text = read(f)?;
        let compiled = compile_cached(f, &text)?;
        for r in compiled.iter() {
            if let Some(other) = rules.iter().find(|o| o.meta.id == r.meta.id) {
                let location = locate_line(f, &text, r.line);
                return Err(ConfigError {
                    message: format!(
                        "{location}: custom rule id `{}` is already defined in {}:{}",
                        r.meta.id,
                        other.file.display(),
                        other.line
                    ),
                    location: Some(location),
                });
            }
            rules.push(r.clone());
        }
        sources.push((f.clone(), text));
    }
    Ok(Pack {
        rules: Arc::new(rules),
        sources: Arc::new(sources),
    })
}

fn read(path: &Path) -> Result<String, ConfigError> {
    let bytes = crate::source::read_regular(path, MAX_BYTES).map_err(|e| {
        let why = match e {
            ReadError::NotRegular(what) => format!("it is {what}, not a regular file"),
            ReadError::TooLarge(_) => format!("it is larger than {} KiB", MAX_BYTES >> 10),
            ReadError::Io(e) => e.to_string(),
        };
        ConfigError::new(format!(
            "{}: cannot read custom rules: {why}",
            path.display()
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        ConfigError::new(format!(
            "{}: cannot read custom rules: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

type Compiled = Arc<Vec<Arc<CustomRule>>>;

/// [`compile`], once per (path, text) in the process.
fn compile_cached(path: &Path, text: &str) -> Result<Compiled, ConfigError> {
    static CACHE: Mutex<Option<HashMap<(PathBuf, String), Compiled>>> = Mutex::new(None);
    let key = (path.to_path_buf(), text.to_string());
    if let Some(c) = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .get(&key)
    {
        return Ok(c.clone());
    }
    let compiled: Compiled = Arc::new(compile(path, text)?.into_iter().map(Arc::new).collect());
    CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get_or_insert_with(HashMap::new)
        .insert(key, compiled.clone());
    Ok(compiled)
}

fn locate_line(path: &Path, text: &str, line: usize) -> Location {
    let lines = LineIndex::new(text);
    let offset = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    Location {
        path: path.to_path_buf(),
        start: lines.position(text, offset),
        end: lines.position(text, offset),
    }
}

/// Where errors of one file point.
struct Here<'t> {
    path: &'t Path,
    text: &'t str,
    lines: LineIndex,
}

impl Here<'_> {
    fn location(&self, span: std::ops::Range<usize>) -> Location {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        Location {
            path: self.path.to_path_buf(),
            start: self.lines.position(self.text, start),
            end: self.lines.position(self.text, end),
        }
    }
    fn error(&self, span: std::ops::Range<usize>, message: impl std::fmt::Display) -> ConfigError {
        let location = self.location(span);
        ConfigError {
            message: format!("{location}: {message}"),
            location: Some(location),
        }
    }
    fn line(&self, offset: usize) -> usize {
        self.lines
            .position(self.text, offset.min(self.text.len()))
            .line
    }
    /// The offset in the file of byte `i` of the string value written at `span`, when the
    /// string is written without escapes (else the string's start).
    fn inside(&self, span: &std::ops::Range<usize>, value: &str, i: usize) -> usize {
        let written = self.text.get(span.clone()).unwrap_or("");
        for quote in ["'''", "\"\"\"", "'", "\""] {
            if let Some(body) = written
                .strip_prefix(quote)
                .and_then(|w| w.strip_suffix(quote))
            {
                if body == value {
                    return span.start + quote.len() + i.min(value.len());
                }
            }
        }
        span.start
    }
}

/// Compiles the rules of one file.
pub fn compile(path: &Path, text: &str) -> Result<Vec<CustomRule>, ConfigError> {
    let here = Here {
        path,
        text,
        lines: LineIndex::new(text),
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => here.error(span, e.message()),
        None => ConfigError::new(format!("{}: {}", path.display(), e.message())),
    })?;
    if raw.rule.is_empty() {
        return Err(here.error(
            0..0,
            "a rule file holds `[[rule]]` tables; this one has none",
        ));
    }
    let mut out: Vec<CustomRule> = Vec::new();
    for r in raw.rule {
        let rule = rule(&here, r.into_inner())?;
        if let Some(o) = out.iter().find(|o| o.meta.id == rule.meta.id) {
            return Err(here.error(
                span_of_line(text, rule.line),
                format!(
                    "custom rule id `{}` is already defined on line {}",
                    rule.meta.id, o.line
                ),
            ));
        }
        out.push(rule);
    }
    Ok(out)
}

fn span_of_line(text: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    start..start
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Is `id` of the form of a built-in rule's id (a family and a number)?
fn builtin_form(id: &str) -> bool {
    ["BATCH", "ML", "NET"].iter().any(|p| {
        id.strip_prefix(p)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn rule(here: &Here, raw: RawRule) -> Result<CustomRule, ConfigError> {
    let id = raw.id.get_ref().trim().to_ascii_uppercase();
    let id_span = raw.id.span();
    if id.is_empty()
        || !id.starts_with(|c: char| c.is_ascii_alphabetic())
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        || id.len() > 64
    {
        return Err(here.error(
            id_span,
            format!(
                "a rule id is letters, digits, `_` and `-`, starting with a letter (e.g. ORG001), not `{}`",
                raw.id.get_ref()
            ),
        ));
    }
    if crate::rules::RULES.iter().any(|r| r.meta.id == id) || builtin_form(&id) {
        return Err(here.error(
            id_span,
            format!(
                "`{id}` is a built-in rule's id, or has their form (BATCH, ML or NET and a number); choose a prefix of your own, e.g. ORG001"
            ),
        ));
    }
    let title = raw.title.get_ref().trim().to_string();
    if title.is_empty() {
        return Err(here.error(raw.title.span(), "a rule's `title` must not be empty"));
    }
    let level = match &raw.level {
        None => Level::Warning,
        Some(l) => super::config::level(l.get_ref()).ok_or_else(|| {
            here.error(
                l.span(),
                format!("`level` is error, warning or note, not `{}`", l.get_ref()),
            )
        })?,
    };
    let security_severity = match &raw.security_severity {
        None => match level {
            Level::Error => "7.0".to_string(),
            Level::Warning => "5.0".to_string(),
            Level::Note => "2.0".to_string(),
        },
        Some(s) => {
            let n = match s.get_ref() {
                toml::Value::Float(x) => Some(*x),
                toml::Value::Integer(i) => Some(*i as f64),
                toml::Value::String(t) => t.trim().parse().ok(),
                _ => None,
            };
            match n {
                Some(x) if (0.0..=10.0).contains(&x) => format!("{x:.1}"),
                _ => {
                    return Err(
                        here.error(s.span(), "`security_severity` is a number from 0.0 to 10.0")
                    )
                }
            }
        }
    };
    let name = match &raw.name {
        Some(n) => {
            let v = n.get_ref().trim();
            if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(here.error(
                    n.span(),
                    "a rule's `name` is one PascalCase word (letters and digits)",
                ));
            }
            v.to_string()
        }
        None => pascal(&title),
    };
    let help_uri = match &raw.help_uri {
        None => String::new(),
        Some(u) => match url::Url::parse(u.get_ref().trim()) {
            Ok(url) if matches!(url.scheme(), "https" | "http") => url.to_string(),
            _ => {
                return Err(here.error(
                    u.span(),
                    format!("`help_uri` is an http(s) URL, not `{}`", u.get_ref()),
                ))
            }
        },
    };
    let mut tags: Vec<String> = Vec::new();
    for t in &raw.tags {
        let v = t.get_ref().trim();
        if v.is_empty() {
            return Err(here.error(t.span(), "a tag must not be empty"));
        }
        tags.push(v.to_string());
    }
    if !tags.iter().any(|t| t == "custom") {
        tags.push("custom".into());
    }
    let types: Vec<String> = match raw.rtype.get_ref() {
        toml::Value::String(s) => vec![s.trim().to_string()],
        toml::Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect::<Option<_>>()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if let Some(t) = types
        .iter()
        .find(|t| !t.contains('/') || t.contains('@') || t.split('/').any(str::is_empty))
    {
        // An azurerm type, or an azapi type with its API version: say which ARM type it is.
        let arm = crate::frontend::azurerm::arm_type_of(t)
            .map(str::to_string)
            .or_else(|| t.split_once('@').map(|(arm, _)| arm.to_string()));
        let hint = match arm {
            Some(arm) => format!("; `{t}` is `{arm}`, which also covers every other syntax"),
            None => String::new(),
        };
        return Err(here.error(
            raw.rtype.span(),
            format!("`type` is an ARM resource type such as `Microsoft.Batch/batchAccounts/pools` (or a list of them), without an API version{hint}"),
        ));
    }
    if types.is_empty() {
        return Err(here.error(
            raw.rtype.span(),
            "`type` is an ARM resource type such as `Microsoft.Batch/batchAccounts/pools`, or a list of them",
        ));
    }
    let conds = |list: &[Spanned<RawCond>]| -> Result<Vec<Cond>, ConfigError> {
        list.iter().map(|c| cond(here, c, 0)).collect()
    };
    let where_ = conds(&raw.where_)?;
    if raw.assert.is_empty() {
        return Err(here.error(
            raw.id.span(),
            format!("rule `{id}` has no `assert` condition"),
        ));
    }
    let assert = conds(&raw.assert)?;
    let message = match &raw.message {
        Some(m) => Some(template(here, m)?),
        None => None,
    };
    let fix = match &raw.fix {
        None => FixPolicy::Safe,
        Some(f) => match f.get_ref().to_ascii_lowercase().as_str() {
            "safe" => FixPolicy::Safe,
            "unsafe" => FixPolicy::Unsafe,
            "none" => FixPolicy::None,
            _ => {
                return Err(here.error(
                    f.span(),
                    format!("`fix` is safe, unsafe or none, not `{}`", f.get_ref()),
                ))
            }
        },
    };
    let mut tests = Vec::new();
    for t in &raw.test {
        tests.push(test(here, t, tests.len() + 1)?);
    }
    let help = raw
        .help
        .as_ref()
        .map(|h| h.get_ref().trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| format!("{title}."));
    let doc = format!(
        "# {id} — {title}\n\n{help}\n\n**Level:** {} · **Security severity:** {security_severity} · **Tags:** {} · **Applies to:** {} · **Defined in:** {}:{}\n",
        level.as_str(),
        tags.join(", "),
        types.join(", "),
        here.path.display(),
        here.line(id_span.start),
    );
    let meta = RuleMeta {
        id: leak(id),
        name: leak(name),
        title: leak(title),
        level,
        security_severity: leak(security_severity),
        tags: Box::leak(
            tags.into_iter()
                .map(leak)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        precision: "high",
        help_uri: leak(help_uri),
        peers: &[],
        needs: Box::leak(
            types
                .iter()
                .map(|t| crate::ir::spelling::Need::Type(leak(t.clone())))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        doc: leak(doc),
    };
    let meta: &'static RuleMeta = Box::leak(Box::new(meta));
    crate::rules::register_custom(meta);
    Ok(CustomRule {
        meta,
        types,
        where_,
        assert,
        message,
        fix,
        tests,
        file: here.path.to_path_buf(),
        line: here.line(id_span.start),
    })
}

/// "Batch pools must use a user-assigned identity" → `BatchPoolsMustUseAUserAssignedIdentity`.
fn pascal(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            let first = c.next().map(|f| f.to_ascii_uppercase());
            first.into_iter().chain(c).collect::<String>()
        })
        .collect()
}

fn json_of(here: &Here, v: &Spanned<toml::Value>) -> Result<serde_json::Value, ConfigError> {
    toml_json(v.get_ref())
        .ok_or_else(|| here.error(v.span(), "dates are not values a template can hold"))
}

fn toml_json(v: &toml::Value) -> Option<serde_json::Value> {
    Some(match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(x) => serde_json::Value::from(*x),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(_) => return None,
        toml::Value::Array(a) => {
            serde_json::Value::Array(a.iter().map(toml_json).collect::<Option<_>>()?)
        }
        toml::Value::Table(t) => {
            let mut o = serde_json::Map::new();
            for (k, v) in t {
                o.insert(k.clone(), toml_json(v)?);
            }
            serde_json::Value::Object(o)
        }
    })
}

fn number(here: &Here, v: &Spanned<toml::Value>, key: &str) -> Result<f64, ConfigError> {
    match v.get_ref() {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(x) if x.is_finite() => Ok(*x),
        // A number written as a string, as ARM templates often write ports and priorities.
        toml::Value::String(t) => t
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| here.error(v.span(), format!("`{key}` takes a number, not `{t}`"))),
        _ => Err(here.error(v.span(), format!("`{key}` takes a number"))),
    }
}

const OPERATORS: &str =
    "exists, equals, not_equals, in, not_in, matches, less_than, greater_than, cidr_within";

fn cond(here: &Here, c: &Spanned<RawCond>, depth: usize) -> Result<Cond, ConfigError> {
    let span = c.span();
    if depth > MAX_NESTING {
        return Err(here.error(
            span,
            format!("conditions are nested more than {MAX_NESTING} deep"),
        ));
    }
    let raw = c.get_ref();
    let combinators = [
        raw.any_of.is_some(),
        raw.all_of.is_some(),
        raw.not.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let mut ops: Vec<(&str, Op)> = Vec::new();
    if let Some(v) = &raw.exists {
        ops.push(("exists", Op::Exists(*v.get_ref())));
    }
    if let Some(v) = &raw.equals {
        ops.push(("equals", Op::Equals(json_of(here, v)?)));
    }
    if let Some(v) = &raw.not_equals {
        ops.push(("not_equals", Op::NotEquals(json_of(here, v)?)));
    }
    let list = |v: &Spanned<Vec<toml::Value>>| -> Result<Vec<serde_json::Value>, ConfigError> {
        v.get_ref()
            .iter()
            .map(|x| {
                toml_json(x)
                    .ok_or_else(|| here.error(v.span(), "dates are not values a template can hold"))
            })
            .collect()
    };
    if let Some(v) = &raw.in_ {
        ops.push(("in", Op::In(list(v)?)));
    }
    if let Some(v) = &raw.not_in {
        ops.push(("not_in", Op::NotIn(list(v)?)));
    }
    if let Some(v) = &raw.matches {
        let re = regex::RegexBuilder::new(v.get_ref())
            .size_limit(MAX_REGEX_BYTES)
            .dfa_size_limit(MAX_REGEX_BYTES)
            .build()
            .map_err(|e| {
                let why = e.to_string();
                // The parser's message ends with its reason, after `error: `.
                let why = why
                    .rsplit_once("error: ")
                    .map_or(why.as_str(), |(_, r)| r)
                    .trim()
                    .to_string();
                here.error(v.span(), format!("bad regular expression: {why}"))
            })?;
        ops.push(("matches", Op::Matches(re)));
    }
    if let Some(v) = &raw.less_than {
        ops.push(("less_than", Op::LessThan(number(here, v, "less_than")?)));
    }
    if let Some(v) = &raw.greater_than {
        ops.push((
            "greater_than",
            Op::GreaterThan(number(here, v, "greater_than")?),
        ));
    }
    if let Some(v) = &raw.cidr_within {
        let mut nets = Vec::new();
        for s in v.get_ref() {
            let t = s.get_ref().trim();
            let net = t
                .parse::<ipnet::IpNet>()
                .map(|n| n.trunc())
                .or_else(|_| t.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    here.error(
                        s.span(),
                        format!("`{t}` is not an IP address prefix (e.g. 10.0.0.0/8, fd00::/8)"),
                    )
                })?;
            nets.push(net);
        }
        if nets.is_empty() {
            return Err(here.error(v.span(), "`cidr_within` needs at least one prefix"));
        }
        ops.push(("cidr_within", Op::CidrWithin(nets)));
    }
    if combinators > 0 {
        if combinators > 1 || !ops.is_empty() || raw.path.is_some() {
            return Err(here.error(
                span,
                "a condition is either `any_of`, `all_of` or `not` alone, or a `path` with one operator",
            ));
        }
        if raw.each.is_some() || raw.default.is_some() {
            return Err(here.error(
                span,
                "`each` and `default` belong to a condition with a `path`",
            ));
        }
        if let Some(n) = &raw.not {
            return Ok(Cond::Not(Box::new(cond(here, n.get_ref(), depth + 1)?)));
        }
        let (list, all) = match (&raw.any_of, &raw.all_of) {
            (Some(l), _) => (l, false),
            (_, Some(l)) => (l, true),
            _ => unreachable!("one combinator"),
        };
        if list.get_ref().is_empty() {
            return Err(here.error(list.span(), "a combinator needs at least one condition"));
        }
        let cs = list
            .get_ref()
            .iter()
            .map(|c| cond(here, c, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(if all {
            Cond::AllOf(cs)
        } else {
            Cond::AnyOf(cs)
        });
    }
    let Some(path) = &raw.path else {
        return Err(here.error(
            span,
            "a condition needs a `path` and one operator, or is `any_of`, `all_of` or `not`",
        ));
    };
    let op = match ops.len() {
        1 => ops.pop().map(|(_, op)| op).expect("one operator"),
        0 => {
            return Err(here.error(
                span,
                format!(
                    "the condition on `{}` has no operator; one of {OPERATORS}",
                    path.get_ref()
                ),
            ))
        }
        _ => {
            let names: Vec<&str> = ops.iter().map(|(n, _)| *n).collect();
            return Err(here.error(
                span,
                format!(
                    "the condition on `{}` has {} operators ({}); write one condition per operator",
                    path.get_ref(),
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
    };
    let each = match &raw.each {
        None => Each::All,
        Some(e) => match e.get_ref().to_ascii_lowercase().as_str() {
            "all" => Each::All,
            "any" => Each::Any,
            _ => {
                return Err(here.error(
                    e.span(),
                    format!("`each` is \"all\" or \"any\", not `{}`", e.get_ref()),
                ))
            }
        },
    };
    let default = match &raw.default {
        Some(d) => Some(json_of(here, d)?),
        None => None,
    };
    Ok(Cond::Leaf(Box::new(Leaf {
        query: query(here, path)?,
        op,
        each,
        default,
    })))
}

/// A JSONPath query, checked: it starts at the resource (`$`), parses, and stays within the
/// limits that keep a query's work bounded.
fn query(here: &Here, path: &Spanned<String>) -> Result<Query, ConfigError> {
    let span = path.span();
    let text = path.get_ref().trim();
    query_text(here, &span, path.get_ref(), text)
}

fn query_text(
    here: &Here,
    span: &std::ops::Range<usize>,
    written: &str,
    text: &str,
) -> Result<Query, ConfigError> {
    let at = |i: usize| {
        let lead = written.len() - written.trim_start().len();
        let o = here.inside(span, written, lead + i);
        if o == span.start {
            span.clone()
        } else {
            o..o + 1
        }
    };
    if !text.starts_with('$') {
        return Err(here.error(
            at(0),
            format!("a path is JSONPath from the resource, starting with `$` (e.g. `$.properties.publicNetworkAccess`), not `{text}`"),
        ));
    }
    if text.chars().count() > MAX_PATH_CHARS {
        return Err(here.error(
            span.clone(),
            format!("a path is at most {MAX_PATH_CHARS} characters long"),
        ));
    }
    if let Some(i) = long_number(text) {
        return Err(here.error(at(i), "an index in a path has at most 15 digits"));
    }
    let parsed = jsonpath_rust::parser::parse_json_path(text).map_err(|e| {
        use jsonpath_rust::parser::errors::JsonPathError;
        match e {
            JsonPathError::PestError(p) => {
                let pos = match p.location {
                    pest::error::InputLocation::Pos(p) => p,
                    pest::error::InputLocation::Span((s, _)) => s,
                };
                here.error(
                    at(pos),
                    format!(
                        "bad JSONPath `{text}` at column {} of the path: {}",
                        pos + 1,
                        pest_reason(&p)
                    ),
                )
            }
            other => here.error(at(0), format!("bad JSONPath `{text}`: {other}")),
        }
    })?;
    let descendants = parsed
        .segments
        .iter()
        .filter(|s| matches!(s, jsonpath_rust::parser::model::Segment::Descendant(_)))
        .count()
        + text.matches("..").count().saturating_sub(
            parsed
                .segments
                .iter()
                .filter(|s| matches!(s, jsonpath_rust::parser::model::Segment::Descendant(_)))
                .count(),
        );
    if descendants > MAX_DESCENDANTS {
        return Err(here.error(
            span.clone(),
            format!(
                "`{text}` has {descendants} descendant segments (`..`); a path may have at most {MAX_DESCENDANTS}, so that its work stays bounded"
            ),
        ));
    }
    Ok(Query::new(text.to_string(), parsed))
}

/// The offset of a run of more than 15 digits, which no index needs.
fn long_number(text: &str) -> Option<usize> {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_digit() {
            run += 1;
            if run > 15 {
                return Some(i + 1 - run);
            }
        } else {
            run = 0;
        }
    }
    None
}

/// What pest expected, in a few words.
fn pest_reason<R: std::fmt::Debug + Copy + std::hash::Hash + Ord>(
    e: &pest::error::Error<R>,
) -> String {
    match &e.variant {
        pest::error::ErrorVariant::ParsingError { .. } => "unexpected text here".into(),
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    }
}

/// A message with `{$.path}` placeholders.
fn template(here: &Here, m: &Spanned<String>) -> Result<Template, ConfigError> {
    let text = m.get_ref();
    let span = m.span();
    let mut parts = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{$").map(|i| rest + i) {
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            let o = here.inside(&span, text, open);
            return Err(here.error(
                o..o + 2,
                "`{$` opens a path in the message that no `}` closes",
            ));
        };
        if open > rest {
            parts.push(Part::Text(text[rest..open].to_string()));
        }
        let path = &text[open + 1..close];
        let o = here.inside(&span, text, open + 1);
        let sub = if o == span.start {
            span.clone()
        } else {
            o..o + path.len()
        };
        parts.push(Part::Path(query_text(here, &sub, path, path.trim())?));
        rest = close + 1;
    }
    if rest < text.len() {
        parts.push(Part::Text(text[rest..].to_string()));
    }
    Ok(Template { parts })
}

fn test(here: &Here, t: &Spanned<RawTest>, n: usize) -> Result<TestCase, ConfigError> {
    let raw = t.get_ref();
    let file_name = match (&raw.file, &raw.syntax) {
        (Some(f), _) => {
            let name = f.get_ref().trim();
            if name.is_empty()
                || name.contains(['/', '\\'])
                || crate::frontend::input_kind(Path::new(name)).is_none()
            {
                return Err(here.error(
                    f.span(),
                    format!("a test's `file` is a file name batchguard reads (main.tf, main.json, main.bicep, …), not `{name}`"),
                ));
            }
            name.to_string()
        }
        (None, Some(s)) => match s.get_ref().to_ascii_lowercase().as_str() {
            "arm" | "json" => "main.json".into(),
            "bicep" => "main.bicep".into(),
            "terraform" | "azurerm" | "azapi" | "hcl" | "tf" => "main.tf".into(),
            "terraform-json" | "tfjson" => "main.tf.json".into(),
            other => {
                return Err(here.error(
                    s.span(),
                    format!(
                    "a test's `syntax` is arm, bicep, azurerm, azapi or terraform, not `{other}`"
                ),
                ))
            }
        },
        (None, None) => {
            return Err(here.error(
                t.span(),
                "a test names its `syntax` (arm, bicep, azurerm, azapi, terraform) or its `file`",
            ))
        }
    };
    let mut expect = Vec::new();
    for l in raw.expect.get_ref() {
        match usize::try_from(*l) {
            Ok(l) if l >= 1 => expect.push(l),
            _ => {
                return Err(here.error(
                    raw.expect.span(),
                    "`expect` lists the snippet's lines (from 1) where the rule reports",
                ))
            }
        }
    }
    expect.sort_unstable();
    Ok(TestCase {
        name: raw.name.clone().unwrap_or_else(|| format!("test {n}")),
        file_name,
        snippet: raw.snippet.get_ref().clone(),
        expect,
        line: here.line(t.span().start),
    })
}
