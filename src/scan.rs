//! The scan driver: finds the input files, reads and parses them in parallel, groups documents
//! into scopes (a Terraform module directory, an ARM template), builds each scope's graph, runs the
//! rules, and returns findings in report order. It owns no analysis of its own.

use crate::controls::config::Config;
use crate::controls::suppress;
use crate::eval::{self, EvalOptions};
use crate::findings::{Finding, Level, Notification, Piece};
use crate::frontend::arm::Expect;
use crate::frontend::terraform::Bodies;
use crate::frontend::{self, InputKind};
use crate::graph;
use crate::ir::{Document, Resource, Span};
use crate::rules::{self, Ctx, Options};
use crate::source::{Decoded, Encoding, ReadError, SourceFile};
use frontend::terraform::TfBody;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

mod ignores;
pub(crate) mod islands;
use ignores::Ignores;

/// Files larger than this are reported and skipped, unless `max_file_size` in batchguard.toml or
/// `--max-file-size` says otherwise. Azure accepts templates of at most 4 MB, but generated ones
/// are read before they are split. Memory does not follow this limit: a file is analysed within
/// the bound of its syntax tree ([`crate::frontend::budget`], D40), which a file of templates
/// reaches at 30 to 60 MB (about 15 to 17 bytes of memory per byte, under 1 GB); a bigger file
/// is refused at the place it passes that bound, unless most of it is comments or string text.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

pub struct ScanConfig {
    pub paths: Vec<PathBuf>,
    /// Base of the relative paths in every report; inputs must be inside it.
    pub root: PathBuf,
    pub options: Options,
    /// Variable values, variable files and parameter files given on the command line.
    pub eval: EvalOptions,
    /// `batchguard.toml`: excluded paths, rule selection and level overrides.
    pub config: Config,
}

impl ScanConfig {
    /// The largest input read, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.config.max_file_bytes.unwrap_or(MAX_FILE_BYTES)
    }
}

pub struct ScanOutput {
    /// Absolute, canonical scan root.
    pub root: PathBuf,
    /// Every file scanned, sorted by relative path; `files[i].id == i`.
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    pub notifications: Vec<Notification>,
    /// The scopes whose evaluation or analysis stopped on an internal error (each already an
    /// error notification at one place): the language server shows it on each of their files.
    pub failed: Vec<FailedScope>,
}

/// A scope (Terraform module, ARM template) that an internal error kept from being analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedScope {
    pub files: Vec<crate::source::FileId>,
    /// The error notification's message and place.
    pub message: String,
    pub at: Option<Span>,
}

impl ScanOutput {
    /// An input could not be read or parsed: exit code 2 whatever `--fail-on` says.
    pub fn has_input_errors(&self) -> bool {
        self.notifications.iter().any(|n| n.level == Level::Error)
    }
}

/// `/`-separated path of `path` relative to `root`.
fn relative(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Directories never descended into.
const SKIPPED_DIRS: &[&str] = &[".terraform", ".git", "node_modules"];

/// How an input was found or given, which decides how it is read and what a problem with it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// Found in a folder, or named on the command line.
    Found,
    /// A variable definitions file of `--var-file` or `var_files`: read as one, whatever its
    /// name.
    VarFile,
    /// A parameters file of `--parameters` or `[parameters]`: read as one, whatever it holds.
    Parameters,
    /// A Terraform plan of `--plan`: read as one, whatever its name.
    Plan,
}

struct Candidate {
    /// Where the text is read from: for a symbolic link inside the root, the file it leads to.
    path: PathBuf,
    rel: String,
    kind: InputKind,
    role: Role,
    /// Why it is not read (a link out of the root, a named pipe): the notification to give.
    refused: Option<(Level, String)>,
}

impl Candidate {
    /// What the ARM front-end expects of a `.json` candidate.
    fn expect(&self) -> Expect {
        if self.role == Role::Parameters {
            Expect::Parameters
        } else if parameters_name(&self.rel) {
            Expect::ParametersByName
        } else {
            Expect::Any
        }
    }
}

/// Is this file named like an ARM parameters file (`X.parameters.json`, `X.parameters.dev.json`)?
fn parameters_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    name.ends_with(".json") && name.contains(".parameters.")
}

/// How serious it is that an input cannot be read: an error for a Terraform, variable or
/// parameters file; a warning for other `.json`, which may not be an ARM file at all.
fn refusal_level(kind: InputKind, role: Role, rel: &str) -> Level {
    if kind != InputKind::Json || role != Role::Found || parameters_name(rel) {
        Level::Error
    } else {
        Level::Warning
    }
}

/// The kind of an input: by its name, or by the role it was given in.
fn kind_for(path: &Path, role: Role) -> Option<InputKind> {
    match role {
        Role::Found => frontend::input_kind(path),
        Role::VarFile => Some(InputKind::Tfvars),
        Role::Parameters => Some(InputKind::Json),
        Role::Plan => Some(InputKind::Plan),
    }
}

/// Adds the input at `path` (as found: a symbolic link is not followed yet), reported as `rel`,
/// to `out`. Only regular files are read: a symbolic link is followed only to a file inside the
/// root (a link out of the root, a loop or a dangling link is refused with the reason, never
/// read); a named pipe, socket or device is refused; a folder (named `main.tf`, say) is no
/// input. A file found twice keeps the strongest role it was given in.
fn consider(
    path: &Path,
    rel: String,
    role: Role,
    root: &Path,
    out: &mut BTreeMap<String, Candidate>,
) {
    if let Some(c) = candidate(path, rel, role, root) {
        add(c, out);
    }
}

/// The input at `path` as [`consider`] adds it, or `None` when it is no input.
fn candidate(path: &Path, rel: String, role: Role, root: &Path) -> Option<Candidate> {
    let kind = kind_for(path, role)?;
    let level = refusal_level(kind, role, &rel);
    let refuse = |why: String| Some((level, why));
    let (read_from, refused) = match path.symlink_metadata() {
        Err(e) => (path.to_path_buf(), refuse(format!("cannot read file: {e}"))),
        Ok(meta) if meta.file_type().is_symlink() => match path.canonicalize() {
            Err(e) => {
                let why = if is_loop(&e) {
                    "this symbolic link is part of a loop of links and leads to no file; it was \
                     not read"
                        .to_string()
                } else {
                    format!("this symbolic link leads to no readable file ({e}); it was not read")
                };
                (path.to_path_buf(), refuse(why))
            }
            Ok(target) if relative(&target, root).is_none() => (
                path.to_path_buf(),
                refuse(
                    "this is a symbolic link to a place outside the scan root; batchguard reads \
                     nothing outside it and did not follow the link"
                        .to_string(),
                ),
            ),
            Ok(target) => match target.metadata() {
                Ok(m) if m.is_file() => (target, None),
                Ok(m) if m.is_dir() && role == Role::Found => return None,
                Ok(m) => (
                    path.to_path_buf(),
                    refuse(not_regular(crate::source::kind_of(&m.file_type()))),
                ),
                Err(e) => (path.to_path_buf(), refuse(format!("cannot read file: {e}"))),
            },
        },
        Ok(meta) if meta.is_file() => (path.to_path_buf(), None),
        Ok(meta) if meta.is_dir() && role == Role::Found => return None,
        Ok(meta) => (
            path.to_path_buf(),
            refuse(not_regular(crate::source::kind_of(&meta.file_type()))),
        ),
    };
    Some(Candidate {
        path: read_from,
        rel,
        kind,
        role,
        refused,
    })
}

/// Adds `candidate` to `out`; a file found twice keeps the strongest role it was given in.
fn add(candidate: Candidate, out: &mut BTreeMap<String, Candidate>) {
    match out.get_mut(&candidate.rel) {
        Some(c) if c.role < candidate.role => *c = candidate,
        Some(_) => {}
        None => {
            out.insert(candidate.rel.clone(), candidate);
        }
    }
}

fn not_regular(what: &str) -> String {
    format!("this is {what}, not a regular file; batchguard reads only regular files")
}

/// Did following a link fail because links lead back to themselves?
fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        e.raw_os_error() == Some(1921) // ERROR_CANT_RESOLVE_FILENAME
    }
}

/// The message of a path outside the root, which ends the scan.
fn outside_root(given: &Path, root: &Path) -> String {
    format!(
        "`{}` is outside the scan root `{}`; batchguard reads nothing outside it (pass `--root \
         DIR` with a directory that contains every input)",
        given.display(),
        root.display()
    )
}

/// What walking a folder found at one path: an input to consider, or something to say.
enum Walked {
    Input(Candidate),
    Note(Notification),
}

/// Walks the folder `abs` on several threads (listing folders and reading entries' metadata is
/// most of a walk's time on a big repository), without following symbolic links and leaving out
/// what [`SKIPPED_DIRS`], the ignore files and `exclude` leave out; then adds what it found to
/// `out` and `notes` in path order, so that the result does not depend on which thread saw what.
fn walk_folder(
    abs: &Path,
    root: &Path,
    ignores: &std::sync::Arc<Ignores>,
    excluded: &globset::GlobSet,
    notes: &mut Vec<Notification>,
    out: &mut BTreeMap<String, Candidate>,
) {
    use ignore::WalkState;
    let filter_ignores = ignores.clone();
    let walker = ignore::WalkBuilder::new(abs)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.depth() == 0
                || !((is_dir && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
                    || filter_ignores.ignored(e.path(), is_dir))
        })
        .build_parallel();
    let found: std::sync::Mutex<Vec<(PathBuf, Walked)>> = Default::default();
    walker.run(|| {
        let found = &found;
        Box::new(move |entry| {
            let (key, walked) = match entry {
                Ok(e) => match walked(e, root, excluded) {
                    Some(w) => w,
                    None => return WalkState::Continue,
                },
                Err(e) => (
                    PathBuf::new(),
                    Walked::Note(Notification {
                        level: Level::Error,
                        message: format!("cannot read a directory entry: {e}"),
                        span: None,
                        file: None,
                    }),
                ),
            };
            found
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((key, walked));
            WalkState::Continue
        })
    });
    let mut found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Path order; entries without a path (errors) by their message.
    found.sort_by(|(a, x), (b, y)| {
        a.cmp(b).then_with(|| match (x, y) {
            (Walked::Note(x), Walked::Note(y)) => x.message.cmp(&y.message),
            (Walked::Input(..), Walked::Note(_)) => std::cmp::Ordering::Less,
            (Walked::Note(_), Walked::Input(..)) => std::cmp::Ordering::Greater,
            (Walked::Input(..), Walked::Input(..)) => std::cmp::Ordering::Equal,
        })
    });
    for (_, w) in found {
        match w {
            Walked::Input(c) => add(c, out),
            Walked::Note(n) => notes.push(n),
        }
    }
}

/// What one entry of a folder walk is for the scan (nothing for a folder or a file left out),
/// with its path.
fn walked(
    entry: ignore::DirEntry,
    root: &Path,
    excluded: &globset::GlobSet,
) -> Option<(PathBuf, Walked)> {
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        // A folder named like an input (`main.tf`) is walked as a folder; say so, since a user
        // may expect a file there.
        if entry.depth() > 0 && frontend::input_kind(entry.path()).is_some() {
            let rel = relative(entry.path(), root)?;
            let note = Notification {
                level: Level::Note,
                message: format!(
                    "`{rel}` is a folder, not a file: batchguard scans the files inside it"
                ),
                span: None,
                file: None,
            };
            return Some((entry.into_path(), Walked::Note(note)));
        }
        return None;
    }
    let path = entry.into_path();
    let rel = relative(&path, root)?;
    if excluded.is_match(&rel) {
        return None;
    }
    if file_type.is_symlink() && frontend::input_kind(&path).is_none() {
        // A link to a folder is not followed: what it leads to inside the root is scanned where
        // it is; one out of the root is said.
        let target = path.canonicalize().ok();
        if target
            .as_ref()
            .is_some_and(|t| t.is_dir() && relative(t, root).is_none())
        {
            let note = Notification {
                level: Level::Warning,
                message: format!(
                    "`{rel}` is a symbolic link to a folder outside the scan root; batchguard \
                     reads nothing outside it and did not follow the link"
                ),
                span: None,
                file: None,
            };
            return Some((path, Walked::Note(note)));
        }
        return None;
    }
    let c = candidate(&path, rel, Role::Found, root)?;
    Some((path, Walked::Input(c)))
}

/// Finds the input files below the given paths. Usage errors (a path outside the root) end the
/// scan; unreadable paths become error notifications. Folders are walked without following
/// symbolic links, leaving out what the repository's ignore files leave out ([`Ignores`]: never
/// those above the repository).
fn collect(
    cfg: &ScanConfig,
    root: &Path,
    notes: &mut Vec<Notification>,
) -> Result<Vec<Candidate>, String> {
    let mut out: BTreeMap<String, Candidate> = BTreeMap::new();
    let excluded = cfg.config.excluder();
    let ignores = std::sync::Arc::new(Ignores::new(crate::controls::config::repository_top(root)));
    for given in &cfg.paths {
        // Where the path itself is (a link not followed), and where it leads.
        let at = given
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .canonicalize()
            .ok()
            .zip(given.file_name())
            .map(|(dir, name)| dir.join(name));
        let abs = match given.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                match at
                    .as_ref()
                    .and_then(|p| relative(p, root).map(|rel| (p, rel)))
                {
                    // A link inside the root that loops or leads nowhere.
                    Some((p, rel)) if p.symlink_metadata().is_ok() => {
                        consider(p, rel, Role::Found, root, &mut out)
                    }
                    _ => notes.push(Notification {
                        level: Level::Error,
                        message: format!("cannot read `{}`: {e}", given.display()),
                        span: None,
                        file: None,
                    }),
                }
                continue;
            }
        };
        if relative(&abs, root).is_none() {
            if let Some((p, rel)) = at.as_ref().and_then(|p| relative(p, root).map(|r| (p, r))) {
                // A link inside the root to a place outside it.
                consider(p, rel, Role::Found, root, &mut out);
                continue;
            }
            return Err(outside_root(given, root));
        }
        if !abs.is_dir() {
            // A file named explicitly is read whatever its extension says, if a front-end knows
            // it.
            let rel = relative(&abs, root).unwrap_or_default();
            consider(&abs, rel, Role::Found, root, &mut out);
            if looks_like_plan(&abs) {
                with_plan_configuration(&abs, root, &mut out);
            }
            continue;
        }
        walk_folder(&abs, root, &ignores, &excluded, notes, &mut out);
    }
    for (file, why) in ignores.problems() {
        let shown = relative(&file, root).unwrap_or_else(|| file.display().to_string());
        notes.push(Notification {
            level: Level::Warning,
            message: format!("the ignore file `{shown}` was not read: {why}"),
            span: None,
            file: None,
        });
    }
    // The parameters file beside each template (`X.parameters.json` for `X.json`), and the
    // files named by --parameters and --var-file, are read with the inputs.
    let mut siblings: Vec<PathBuf> = Vec::new();
    for c in out.values() {
        let name = c.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let lower = name.to_ascii_lowercase();
        if c.kind == InputKind::Json && !lower.contains(".parameters") {
            let stem = &name[..name.len() - ".json".len().min(name.len())];
            siblings.push(c.path.with_file_name(format!("{stem}.parameters.json")));
        }
        if c.kind == InputKind::Bicep {
            let stem = &name[..name.len() - ".bicep".len().min(name.len())];
            siblings.push(c.path.with_file_name(format!("{stem}.parameters.json")));
        }
    }
    for path in siblings {
        if path.symlink_metadata().is_err() {
            continue;
        }
        let Some(rel) = path
            .parent()
            .and_then(|d| d.canonicalize().ok())
            .zip(path.file_name())
            .and_then(|(d, n)| relative(&d.join(n), root))
        else {
            continue;
        };
        consider(&path, rel, Role::Found, root, &mut out);
    }
    let named = cfg
        .eval
        .var_files
        .iter()
        .map(|p| (p, Role::VarFile))
        .chain(
            cfg.eval
                .parameters
                .iter()
                .map(|(_, p)| (p, Role::Parameters)),
        )
        .chain(cfg.eval.plans.iter().map(|p| (p, Role::Plan)));
    for (p, role) in named {
        // Made canonical by the settings: links are resolved.
        let Some(rel) = relative(p, root) else {
            return Err(outside_root(p, root));
        };
        consider(p, rel, role, root, &mut out);
        if role == Role::Plan {
            with_plan_configuration(p, root, &mut out);
        }
    }
    Ok(out.into_values().collect())
}

/// Does the file at `path` start like a Terraform plan in JSON? (Its first 64 KiB are read.)
fn looks_like_plan(path: &Path) -> bool {
    use std::io::Read as _;
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 << 10).read_to_end(&mut head));
    read.is_ok() && frontend::plan::is_plan(&String::from_utf8_lossy(&head))
}

/// A plan named on its own brings the Terraform files of its folder (the configuration it is
/// usually made in), so that its findings can be reported there.
fn with_plan_configuration(plan: &Path, root: &Path, out: &mut BTreeMap<String, Candidate>) {
    let Some(dir) = plan.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                frontend::input_kind(p),
                Some(InputKind::Terraform | InputKind::Tfvars)
            )
        })
        .collect();
    found.sort();
    for p in found {
        if let Some(rel) = relative(&p, root) {
            consider(&p, rel, Role::Found, root, out);
        }
    }
}

/// What reading one candidate gives.
enum Read {
    File(Decoded),
    /// JSON that is not an ARM template or parameters file.
    Skip,
    Error(Level, String),
}

fn too_large(limit: u64) -> String {
    format!(
        "file is larger than {} MiB and was not scanned (`--max-file-size` or `max_file_size` \
         in batchguard.toml raise the limit)",
        limit >> 20
    )
}

/// Reads and decodes one candidate: from `overrides` or from disk, where only a regular file of
/// at most `limit` bytes is read. JSON that is not an ARM input is dropped here.
fn read(c: &Candidate, overrides: &Overrides, limit: u64) -> Read {
    if let Some((level, message)) = &c.refused {
        return Read::Error(*level, message.clone());
    }
    let decoded = if let Some(text) = overrides.get(&c.path) {
        if text.len() as u64 > limit {
            return Read::Error(Level::Error, too_large(limit));
        }
        let (text, had_bom) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_string(), true),
            None => (text.clone(), false),
        };
        Decoded {
            text,
            had_bom,
            encoding: Encoding::Utf8,
            invalid: None,
        }
    } else {
        let bytes = match crate::source::read_regular(&c.path, limit) {
            Ok(b) => b,
            Err(ReadError::TooLarge(_)) => return Read::Error(Level::Error, too_large(limit)),
            Err(ReadError::NotRegular(what)) => {
                let level = refusal_level(c.kind, c.role, &c.rel);
                return Read::Error(level, not_regular(what));
            }
            Err(ReadError::Io(e)) => {
                return Read::Error(Level::Error, format!("cannot read file: {e}"))
            }
        };
        match crate::source::decode(bytes) {
            Ok(d) => d,
            Err(why) => {
                let level = refusal_level(c.kind, c.role, &c.rel);
                return Read::Error(level, why);
            }
        }
    };
    if c.kind == InputKind::Json
        && c.role != Role::Plan
        && !frontend::arm::is_input(&decoded.text, c.expect())
    {
        if frontend::plan::is_plan(&decoded.text) {
            return Read::File(decoded);
        }
        // State is named, not skipped: a gate must not read "no findings".
        if frontend::plan::is_state(&decoded.text) {
            return Read::Error(
                Level::Warning,
                "this is Terraform state in JSON, which batchguard does not read; scan the \
                 configuration, or a plan (`terraform show -json PLANFILE`)"
                    .into(),
            );
        }
        return Read::Skip;
    }
    Read::File(decoded)
}

/// One file through its front-end: the document, and for Terraform and tfvars files the parsed body.
fn parse(file: &SourceFile, kind: InputKind, expect: Expect) -> Option<(Document, Option<TfBody>)> {
    match kind {
        InputKind::Plan => Some((frontend::plan::load(file), None)),
        InputKind::Json if expect == Expect::Any && frontend::plan::is_plan(&file.text) => {
            Some((frontend::plan::load(file), None))
        }
        InputKind::Json => frontend::arm::load_as(file, expect).map(|d| (d, None)),
        InputKind::Bicep => Some((frontend::bicep::load(file), None)),
        InputKind::BicepParams => Some((frontend::bicep::load_params(file), None)),
        InputKind::Terraform | InputKind::Tfvars => {
            let p = frontend::terraform::parse(file, kind);
            Some((p.doc, p.body))
        }
    }
}

/// `parse` of one file; a panic inside (a bug) is an error notification at the file, which is
/// then not analysed, and the other files go on.
fn guarded<T>(file: &SourceFile, parse: impl FnOnce() -> T) -> Result<T, Notification> {
    eval::guard::isolate(parse).map_err(|caught| {
        caught.notification_losing(
            &format!("reading `{}`", file.rel),
            &[file.id],
            "this file is not analysed",
        )
    })
}

/// Files read and parsed, before analysis: the front-end stage alone (the benchmark's baseline).
pub struct Loaded {
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    pub docs: Vec<Document>,
    /// The parsed bodies of the Terraform and tfvars files, by file id, which evaluation reads
    /// beside the documents.
    pub bodies: Bodies,
    pub notifications: Vec<Notification>,
}

/// Texts that replace what is on disk, by canonical path: the unsaved buffers of an editor.
pub type Overrides = BTreeMap<PathBuf, String>;

/// Finds, reads and parses every input (in parallel).
pub fn load(cfg: &ScanConfig) -> Result<Loaded, String> {
    load_with_overrides(cfg, &Overrides::new())
}

/// [`load`], reading the files named in `overrides` from there instead of from disk. An override
/// for a file that is not on disk yet (a new, unsaved file) is an input too, when it is inside the
/// root and a front-end knows its kind.
///
/// A scan of no paths whose root is not on disk reads `overrides` alone, and nothing on disk:
/// nothing can be found in a folder that does not exist. It is how an editor's documents that
/// have no folder on disk (an `untitled:` buffer, a file in a folder not created yet) are
/// analysed.
pub fn load_with_overrides(cfg: &ScanConfig, overrides: &Overrides) -> Result<Loaded, String> {
    Ok(parse_whole(read_inputs(cfg, overrides)?))
}

/// The inputs of [`load_with_overrides`] found and read, not parsed yet: the language server
/// parses them with [`parse_reusing`], keeping what did not change since its last analysis.
pub fn read_inputs(cfg: &ScanConfig, overrides: &Overrides) -> Result<ReadInputs, String> {
    if cfg.paths.is_empty()
        && cfg.root.canonicalize().is_err()
        && cfg.root.symlink_metadata().is_err()
    {
        return Ok(read_buffers(&cfg.root, overrides, cfg.max_file_bytes()));
    }
    let (root, candidates, notes) = inputs(cfg, overrides)?;
    Ok(read_all(
        root,
        candidates,
        overrides,
        notes,
        cfg.max_file_bytes(),
    ))
}

/// The canonical scan root and the inputs found under it (with the buffers of `overrides` that
/// are not on disk yet), not read yet; the notifications of finding them.
fn inputs(
    cfg: &ScanConfig,
    overrides: &Overrides,
) -> Result<(PathBuf, Vec<Candidate>, Vec<Notification>), String> {
    let root = cfg
        .root
        .canonicalize()
        .map_err(|e| format!("cannot use `{}` as the scan root: {e}", cfg.root.display()))?;
    if !root.is_dir() {
        return Err(format!(
            "the scan root `{}` is not a directory",
            cfg.root.display()
        ));
    }
    let mut notes = Vec::new();
    let mut candidates = collect(cfg, &root, &mut notes)?;
    let known: std::collections::BTreeSet<PathBuf> =
        candidates.iter().map(|c| c.path.clone()).collect();
    for path in overrides
        .keys()
        .filter(|p| !known.contains(*p) && p.symlink_metadata().is_err())
    {
        if let (Some(kind), Some(rel)) = (frontend::input_kind(path), relative(path, &root)) {
            candidates.push(Candidate {
                path: path.clone(),
                rel,
                kind,
                role: Role::Found,
                refused: None,
            });
        }
    }
    Ok((root, candidates, notes))
}

/// The buffers of `overrides` below `root` (a folder that is not on disk), each read as its name
/// says, and nothing else.
fn read_buffers(root: &Path, overrides: &Overrides, limit: u64) -> ReadInputs {
    let candidates = overrides
        .keys()
        .filter_map(|path| {
            Some(Candidate {
                path: path.clone(),
                rel: relative(path, root)?,
                kind: frontend::input_kind(path)?,
                role: Role::Found,
                refused: None,
            })
        })
        .collect();
    read_all(root.to_path_buf(), candidates, overrides, Vec::new(), limit)
}

/// Every file of what was read parsed (in parallel), the whole scan at once.
fn parse_whole(read: ReadInputs) -> Loaded {
    parse_reusing(read, |_| None)
}

/// Every file of what was read parsed (in parallel), except those for which `reuse` gives the
/// document (and Terraform body) already parsed from the same text: the language server's files
/// that did not change since its last analysis. The result is that of [`load_with_overrides`]
/// when `reuse` gives what the front-end would.
pub fn parse_reusing(
    read: ReadInputs,
    mut reuse: impl FnMut(&SourceFile) -> Option<Parsed>,
) -> Loaded {
    let all: Vec<crate::source::FileId> = (0..read.files.len()).collect();
    let (docs, bodies, parse_notes) = parse_files(&read, &all, true, &mut reuse);
    let ReadInputs {
        root,
        files,
        mut notes,
        ..
    } = read;
    notes.extend(parse_notes);
    Loaded {
        root,
        files,
        docs,
        bodies,
        notifications: notes,
    }
}

/// A file's document, and for Terraform and tfvars files its parsed body.
pub type Parsed = (Document, Option<TfBody>);

/// The inputs read and numbered, before parsing: every file with its text, what it is read as,
/// and whether it could not be read (then it is kept, empty, so that its notification can name
/// it, and is not parsed).
pub struct ReadInputs {
    root: PathBuf,
    files: Vec<SourceFile>,
    kinds: Vec<(InputKind, Expect)>,
    roles: Vec<Role>,
    failed: Vec<bool>,
    notes: Vec<Notification>,
}

impl ReadInputs {
    /// Every input read, in path order: `files()[i].id == i`.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

/// Reads (from `overrides` or from disk) the candidates, in parallel; keeps the files that are
/// inputs, in path order, and numbers them.
fn read_all(
    root: PathBuf,
    mut candidates: Vec<Candidate>,
    overrides: &Overrides,
    mut notes: Vec<Notification>,
    limit: u64,
) -> ReadInputs {
    candidates.sort_by(|a, b| a.rel.cmp(&b.rel));
    let reads: Vec<Read> = candidates
        .par_iter()
        .map(|c| read(c, overrides, limit))
        .collect();
    // Ids in path order, for the inputs kept; then each file is made (its line index built) in
    // parallel.
    let mut next = 0;
    let ids: Vec<Option<usize>> = reads
        .iter()
        .map(|r| {
            (!matches!(r, Read::Skip)).then(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    let made: Vec<(SourceFile, Option<Notification>, bool)> = candidates
        .par_iter()
        .zip(reads)
        .zip(ids.par_iter())
        .filter_map(|((c, r), id)| Some(make_file(c, r, (*id)?)))
        .collect();
    let mut files: Vec<SourceFile> = Vec::with_capacity(made.len());
    let mut failed: Vec<bool> = Vec::with_capacity(made.len());
    for (file, note, bad) in made {
        files.push(file);
        failed.push(bad);
        notes.extend(note);
    }
    let (kinds, roles): (Vec<(InputKind, Expect)>, Vec<Role>) = candidates
        .iter()
        .zip(&ids)
        .filter(|(_, id)| id.is_some())
        .map(|(c, _)| ((c.kind, c.expect()), c.role))
        .unzip();
    ReadInputs {
        root,
        files,
        kinds,
        roles,
        failed,
        notes,
    }
}

/// The file `id` made from what was read of candidate `c`: its text and line index, the
/// notification of a problem reading it, and whether it cannot be parsed (then it is kept, empty
/// or cut at the invalid byte, so that the notification can name it).
fn make_file(c: &Candidate, r: Read, id: usize) -> (SourceFile, Option<Notification>, bool) {
    match r {
        Read::Skip => unreachable!("skipped inputs have no id"),
        Read::File(d) => {
            let invalid = d.invalid;
            let file = SourceFile::decoded(
                id,
                c.path.clone(),
                c.rel.clone(),
                d.text,
                d.had_bom,
                d.encoding,
            );
            let note = invalid.map(|bad| {
                let at = bad.at.min(file.text.len());
                let end = file.text[at..]
                    .chars()
                    .next()
                    .map_or(at, |ch| at + ch.len_utf8());
                let message = match file.encoding {
                    Encoding::Utf8 => format!(
                        "file is not UTF-8 text: invalid byte at offset {}",
                        bad.byte
                    ),
                    e => format!(
                        "file is not valid {} text: an unpaired surrogate or a lone last byte at \
                         offset {}",
                        e.name(),
                        bad.byte
                    ),
                };
                Notification {
                    level: Level::Error,
                    message,
                    span: Some(crate::ir::Span::new(id, at, end)),
                    file: Some(id),
                }
            });
            let bad = invalid.is_some();
            (file, note, bad)
        }
        Read::Error(level, message) => (
            // Kept (empty) so that the notification can name it.
            SourceFile::new(id, c.path.clone(), c.rel.clone(), ""),
            Some(Notification {
                level,
                message,
                span: None,
                file: Some(id),
            }),
            true,
        ),
    }
}

/// Parses the files `ids` of what was read (in parallel when `parallel`): their documents, the
/// Terraform bodies, and the notifications of parsing (a front-end's notices, a front-end that
/// failed on a file).
fn parse_files(
    read: &ReadInputs,
    ids: &[crate::source::FileId],
    parallel: bool,
    reuse: &mut dyn FnMut(&SourceFile) -> Option<Parsed>,
) -> (Vec<Document>, Bodies, Vec<Notification>) {
    // What the caller already has is taken first; the rest is parsed.
    let mut reused: Vec<Option<Parsed>> = ids
        .iter()
        .map(|&id| (!read.failed[id]).then(|| reuse(&read.files[id])).flatten())
        .collect();
    let one = |(&id, kept): (&crate::source::FileId, &mut Option<Parsed>)| {
        if read.failed[id] {
            return Ok(None);
        }
        if let Some(p) = kept.take() {
            return Ok(Some(p));
        }
        let (k, e) = read.kinds[id];
        guarded(&read.files[id], || parse(&read.files[id], k, e))
    };
    let parsed: Vec<Result<Option<Parsed>, Notification>> = if parallel {
        ids.par_iter().zip(reused.par_iter_mut()).map(one).collect()
    } else {
        ids.iter().zip(reused.iter_mut()).map(one).collect()
    };
    let mut notes = Vec::new();
    let mut docs: Vec<Document> = Vec::new();
    let mut bodies = Bodies::new();
    for r in parsed {
        match r {
            Ok(Some((doc, body))) => {
                if let Some(body) = body {
                    bodies.insert(doc.file, body);
                }
                docs.push(doc);
            }
            Ok(None) => {}
            Err(n) => notes.push(n),
        }
    }
    for d in &docs {
        for n in &d.notices {
            notes.push(Notification {
                level: match n.level {
                    crate::ir::NoticeLevel::Error => Level::Error,
                    crate::ir::NoticeLevel::Warning => Level::Warning,
                    crate::ir::NoticeLevel::Note => Level::Note,
                },
                message: n.message.clone(),
                span: Some(n.span),
                file: Some(d.file),
            });
        }
    }
    (docs, bodies, notes)
}

/// Evaluates the documents into scopes (a Terraform module with its variables, an ARM template
/// with its parameters), then runs the graph and the rules on each scope (in parallel), adds to
/// each finding where its values came from, and merges the results that differ only by the
/// instance or call path behind them (D37).
pub fn analyse(loaded: Loaded, cfg: &ScanConfig) -> ScanOutput {
    analyse_with(loaded, cfg, run_rules)
}

/// [`analyse`], and what the NSG engine decides for every user rule of every NSG
/// ([`rules::query::verdicts`]), once per rule written (instances share their text): the language
/// server shows it when the pointer rests on a rule.
pub fn analyse_explaining(
    loaded: Loaded,
    cfg: &ScanConfig,
) -> (ScanOutput, Vec<rules::query::verdicts::RuleVerdict>) {
    let verdicts = std::sync::Mutex::new(Vec::new());
    let out = analyse_with(loaded, cfg, |ctx| rules_and_verdicts(ctx, &verdicts));
    let verdicts = verdicts
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    (out, kept_verdicts(verdicts))
}

/// The verdicts of every scope in order, once per place for instances that read alike.
fn kept_verdicts(
    mut verdicts: Vec<rules::query::verdicts::RuleVerdict>,
) -> Vec<rules::query::verdicts::RuleVerdict> {
    // Scopes run in parallel: the order is made here.
    // Instances that share their text and read alike are one verdict; those that differ (the
    // rules of a `for_each` over a map) are each kept.
    verdicts.par_sort_by_key(|v| (v.span.file, v.span.start, v.span.end));
    let mut kept: Vec<rules::query::verdicts::RuleVerdict> = Vec::with_capacity(verdicts.len());
    for v in verdicts {
        let same_place = kept.iter().rev().take_while(|k| k.span == v.span);
        if !same_place.into_iter().any(|k| *k == v) {
            kept.push(v);
        }
    }
    kept
}

/// [`rules::run`] with the rules in parallel, each a [`eval::guard::part`] of the scope's
/// isolated analysis; the findings in rule order.
fn run_rules(ctx: &Ctx) -> Vec<Finding> {
    let (builtin, custom) = rayon::join(
        || -> Vec<Vec<Finding>> {
            rules::RULES
                .par_iter()
                .map(|r| eval::guard::part(|| rules::run_one(ctx, r)))
                .collect()
        },
        || -> Vec<Vec<Finding>> {
            ctx.options
                .custom
                .rules
                .par_iter()
                .map(|r| eval::guard::part(|| rules::custom::run(ctx, r)))
                .collect()
        },
    );
    builtin.into_iter().chain(custom).flatten().collect()
}

/// The rules' findings on a scope, and the NSG engine's verdicts on its rules added to
/// `verdicts`: the two at once.
fn rules_and_verdicts(
    ctx: &Ctx,
    verdicts: &std::sync::Mutex<Vec<rules::query::verdicts::RuleVerdict>>,
) -> Vec<Finding> {
    let (found, mine) = rayon::join(
        || run_rules(ctx),
        || eval::guard::part(|| rules::query::verdicts::verdicts(ctx)),
    );
    verdicts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(mine);
    found
}

/// [`analyse`] with `check` as the rules: tests run checks of their own.
fn analyse_with(
    loaded: Loaded,
    cfg: &ScanConfig,
    check: impl Fn(&Ctx) -> Vec<Finding> + Sync,
) -> ScanOutput {
    let Loaded {
        root,
        files,
        docs,
        bodies,
        notifications,
    } = loaded;
    let part = analyse_part(&files, docs, bodies, cfg, &check, true);
    finish(root, files, vec![part.merged()], notifications, cfg)
}

/// What analysing a group of documents leaves for the rest of the scan once the documents, parse
/// trees and evaluated resources are released.
#[derive(Clone)]
struct Analysed {
    explained: Vec<Explained>,
    notes: Vec<Notification>,
    /// The suppressions written in resources' metadata (those in comments are read from the
    /// files, for every group at once).
    metadata: Vec<suppress::Directive>,
    failed: Vec<FailedScope>,
}

impl Analysed {
    /// The findings merged (D37): every finding it can merge with must be in this part, as they
    /// are when it holds all of a scan's files, or one group of [`islands`] (a group holds every
    /// file its files refer to, and a result's location is in one file).
    fn merged(self) -> Merged {
        Merged {
            findings: merge(self.explained),
            notes: self.notes,
            metadata: self.metadata,
            failed: self.failed,
        }
    }

    /// The parts as one, in order.
    fn joined(parts: impl IntoIterator<Item = Analysed>) -> Analysed {
        let mut all = Analysed {
            explained: Vec::new(),
            notes: Vec::new(),
            metadata: Vec::new(),
            failed: Vec::new(),
        };
        for part in parts {
            all.explained.extend(part.explained);
            all.notes.extend(part.notes);
            all.metadata.extend(part.metadata);
            all.failed.extend(part.failed);
        }
        all
    }
}

/// [`Analysed`] with its findings merged: what [`finish`] reads.
struct Merged {
    findings: Vec<Finding>,
    notes: Vec<Notification>,
    metadata: Vec<suppress::Directive>,
    failed: Vec<FailedScope>,
}

/// Evaluates `docs` into scopes (a Terraform module with its variables, an ARM template with its
/// parameters), then runs the graph and `check` on each scope and completes each finding from
/// its resource. With `parallel`, the scopes are checked in parallel and the documents released
/// on a thread of their own; without, everything runs on the calling thread (the scan then runs
/// many groups in parallel instead).
fn analyse_part(
    files: &[SourceFile],
    docs: Vec<Document>,
    bodies: Bodies,
    cfg: &ScanConfig,
    check: &(impl Fn(&Ctx) -> Vec<Finding> + Sync),
    parallel: bool,
) -> Analysed {
    let (scopes, notes, metadata) = evaluate(files, &docs, &bodies, cfg);
    // The suppressions are all the rest needs of the documents: the parse trees and documents
    // (the larger part of memory on a big module) are released before the rules run.
    if parallel {
        release((docs, bodies));
    } else {
        drop((docs, bodies));
    }
    let checked = check_scopes(files, &scopes, cfg, check, parallel);
    let part = analysed(&scopes, checked, notes, metadata);
    if parallel {
        release(scopes);
    } else {
        drop(scopes);
    }
    part
}

/// `docs` evaluated into scopes, the notifications of evaluating them, and the suppressions
/// written in the documents' metadata.
fn evaluate(
    files: &[SourceFile],
    docs: &[Document],
    bodies: &Bodies,
    cfg: &ScanConfig,
) -> (
    Vec<eval::Scope>,
    Vec<Notification>,
    Vec<suppress::Directive>,
) {
    let (scopes, mut notes) = eval::scopes(files, docs, bodies, &cfg.eval);
    let (metadata, suppress_notes) = suppress::collect_metadata(files, docs);
    notes.extend(suppress_notes);
    (scopes, notes, metadata)
}

/// Each scope's graph and `check`, each on its own: a panic in the graph or a rule (a bug)
/// costs that scope only.
fn check_scopes(
    files: &[SourceFile],
    scopes: &[eval::Scope],
    cfg: &ScanConfig,
    check: &(impl Fn(&Ctx) -> Vec<Finding> + Sync),
    parallel: bool,
) -> Vec<Result<Checked, eval::guard::Caught>> {
    let options = &cfg.options;
    let one = |s: &eval::Scope| {
        eval::guard::isolate(|| {
            let resources: Vec<&Resource> = s.resources.iter().collect();
            check_scope(&resources, files, options, check)
        })
    };
    if parallel {
        scopes.par_iter().map(one).collect()
    } else {
        scopes.iter().map(one).collect()
    }
}

/// What the scopes' checks leave, with the scopes whose evaluation or analysis failed: a panic
/// in the graph or a rule is an error notification at its scope.
fn analysed(
    scopes: &[eval::Scope],
    checked: Vec<Result<Checked, eval::guard::Caught>>,
    mut notes: Vec<Notification>,
    metadata: Vec<suppress::Directive>,
) -> Analysed {
    let mut failed: Vec<FailedScope> = scopes
        .iter()
        .filter_map(|s| {
            let (message, at) = s.failed.clone()?;
            Some(FailedScope {
                files: s.files.clone(),
                message,
                at,
            })
        })
        .collect();
    let mut explained = Vec::new();
    for (s, checked) in scopes.iter().zip(checked) {
        match checked {
            Ok((e, limits)) => {
                explained.extend(e);
                notes.extend(limits);
            }
            Err(caught) => {
                let n = caught.notification(&format!("analysing {}", s.label), &s.files);
                failed.push(FailedScope {
                    files: s.files.clone(),
                    message: n.message.clone(),
                    at: n.span,
                });
                notes.push(n);
            }
        }
    }
    Analysed {
        explained,
        notes,
        metadata,
        failed,
    }
}

/// What the analysis of one unit of a folder ([`eval::units`]: documents that evaluate apart
/// from the others) leaves for [`finish_units`]: its findings before the merge of instances, its
/// notifications, failed scopes, metadata suppressions and NSG verdicts. The language server
/// keeps it to use again while the unit's files do not change.
pub struct Unit {
    analysed: Analysed,
    verdicts: Vec<rules::query::verdicts::RuleVerdict>,
}

/// On the thread pool: the language server copies what it keeps of a unit on every analysis, and
/// a big module's findings took 35 ms to copy one after the other.
impl Clone for Unit {
    fn clone(&self) -> Unit {
        let a = &self.analysed;
        let (explained, verdicts) = rayon::join(
            || a.explained.par_iter().cloned().collect(),
            || self.verdicts.par_iter().cloned().collect(),
        );
        Unit {
            analysed: Analysed {
                explained,
                notes: a.notes.clone(),
                metadata: a.metadata.clone(),
                failed: a.failed.clone(),
            },
            verdicts,
        }
    }
}

/// Each of `units` (the documents of one unit each, as [`eval::units`] groups them) evaluated
/// and checked, with the NSG engine's verdicts ([`analyse_explaining`]): the units are evaluated
/// one after the other, their scopes checked in parallel. [`finish_units`] of every unit of the
/// scan is then [`analyse_explaining`] of the whole.
pub fn analyse_units(
    files: &[SourceFile],
    units: &[&[Document]],
    bodies: &Bodies,
    cfg: &ScanConfig,
) -> Vec<Unit> {
    let evaluated: Vec<_> = units
        .iter()
        .map(|docs| evaluate(files, docs, bodies, cfg))
        .collect();
    let all: Vec<&eval::Scope> = evaluated.iter().flat_map(|(scopes, _, _)| scopes).collect();
    let options = &cfg.options;
    let checked: Vec<(Result<Checked, eval::guard::Caught>, Vec<_>)> = all
        .par_iter()
        .map(|s| {
            let verdicts = std::sync::Mutex::new(Vec::new());
            let check = |ctx: &Ctx| rules_and_verdicts(ctx, &verdicts);
            let c = eval::guard::isolate(|| {
                let resources: Vec<&Resource> = s.resources.iter().collect();
                check_scope(&resources, files, options, check)
            });
            let v = verdicts
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (c, v)
        })
        .collect();
    let mut checked = checked.into_iter();
    // Each unit's scopes are released with the others once its results are made.
    let mut done = Vec::with_capacity(evaluated.len());
    let out = evaluated
        .into_iter()
        .map(|(scopes, notes, metadata)| {
            let mut verdicts = Vec::new();
            let mine: Vec<_> = checked
                .by_ref()
                .take(scopes.len())
                .map(|(c, v)| {
                    verdicts.extend(v);
                    c
                })
                .collect();
            let unit = Unit {
                analysed: analysed(&scopes, mine, notes, metadata),
                verdicts,
            };
            done.push(scopes);
            unit
        })
        .collect();
    release(done);
    out
}

/// The end of a scan analysed unit by unit ([`analyse_units`]): as [`analyse_explaining`] ends.
pub fn finish_units(
    root: PathBuf,
    files: Vec<SourceFile>,
    units: Vec<Unit>,
    notes: Vec<Notification>,
    cfg: &ScanConfig,
) -> (ScanOutput, Vec<rules::query::verdicts::RuleVerdict>) {
    let mut verdicts = Vec::new();
    let mut parts = Vec::with_capacity(units.len());
    for u in units {
        verdicts.extend(u.verdicts);
        parts.push(u.analysed);
    }
    // A module called from two units' roots merges across them.
    let all = Analysed::joined(parts).merged();
    (
        finish(root, files, vec![all], notes, cfg),
        kept_verdicts(verdicts),
    )
}

/// The end of every scan, over the groups analysed and merged ([`Analysed::merged`]): sorts the
/// results, applies suppressions and the configuration's rule selection and levels, and puts the
/// notifications in order.
fn finish(
    root: PathBuf,
    files: Vec<SourceFile>,
    parts: Vec<Merged>,
    mut notes: Vec<Notification>,
    cfg: &ScanConfig,
) -> ScanOutput {
    let (mut directives, line_notes) = suppress::collect_lines(&files);
    notes.extend(line_notes);
    let mut findings = Vec::with_capacity(parts.iter().map(|p| p.findings.len()).sum());
    let mut metadata = Vec::new();
    let mut failed = Vec::new();
    for part in parts {
        findings.extend(part.findings);
        notes.extend(part.notes);
        metadata.extend(part.metadata);
        failed.extend(part.failed);
    }
    metadata.sort_by_key(|d| (d.span.file, d.span.start, d.span.end));
    directives.extend(metadata);
    // In the order of their files, however the scopes were grouped.
    failed.sort_by(|a, b| a.files.cmp(&b.files));
    sort_findings(&mut findings);
    rules::limit_per_scan(&mut findings);
    // Suppressions first (so a disabled rule's suppressions are not reported as unused), then
    // the configuration's rule selection and levels.
    let known: Vec<&str> = rules::all_ids(&cfg.options);
    let enabled: Vec<&str> = known
        .iter()
        .copied()
        .filter(|id| cfg.config.selects(id))
        .collect();
    let live: Vec<suppress::Directive> = directives
        .into_iter()
        .filter(|d| {
            d.rules.iter().any(|r| {
                enabled.iter().any(|e| e.eq_ignore_ascii_case(r))
                    || !known.iter().any(|k| k.eq_ignore_ascii_case(r))
            })
        })
        .collect();
    notes.extend(suppress::apply(
        &mut findings,
        &live,
        &files,
        &known,
        suppress::today(),
    ));
    cfg.config.apply(&mut findings);
    notes.sort_by(|a, b| {
        let key = |n: &Notification| {
            (
                n.span.map_or(n.file, |s| Some(s.file)),
                n.span.map(|s| s.start),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
    notes.dedup();
    ScanOutput {
        root,
        files,
        findings,
        notifications: notes,
        failed,
    }
}

/// Drops `big` (parse trees, documents, evaluated resources) on a thread of its own: freeing
/// millions of small allocations takes time the scan need not wait for.
fn release<T: Send + 'static>(big: T) {
    // Where no thread can be made, `spawn` drops it here instead.
    let _ = std::thread::Builder::new()
        .name("release".into())
        .spawn(move || drop(big));
}

/// One scope's findings, and the limits its rules reached.
type Checked = (Vec<Explained>, Vec<Notification>);

/// Builds one scope's graph, runs `check` (the rules) on it, and completes each finding from its
/// resource.
fn check_scope(
    resources: &[&Resource],
    files: &[SourceFile],
    options: &Options,
    check: impl Fn(&Ctx) -> Vec<Finding>,
) -> Checked {
    let graph = graph::build(resources);
    let ctx = Ctx::new(resources, &graph, options);
    let found = check(&ctx);
    let shared = SharedSpans::of(resources);
    let uses = crate::fix::uses_of_definitions(resources.iter().copied());
    let fixes = crate::fix::Ctx::new(files, &uses);
    let explained = found
        .into_par_iter()
        .map(|f| eval::guard::part(|| explain(f, resources, &shared, &fixes)))
        .collect();
    (explained, ctx.take_limits())
}

/// The source ranges that several resources share: the instances of one block (`count`,
/// `for_each`, ARM `copy`) and of one module called several times.
struct SharedSpans(std::collections::HashSet<Span>);

impl SharedSpans {
    fn of(resources: &[&Resource]) -> SharedSpans {
        let mut seen = std::collections::HashSet::new();
        let mut shared = std::collections::HashSet::new();
        for r in resources {
            if !seen.insert(r.span) {
                shared.insert(r.span);
            }
        }
        SharedSpans(shared)
    }
    /// Do several resources share this source range?
    fn holds(&self, span: Span) -> bool {
        self.0.contains(&span)
    }
}

/// A finding completed from its resource, with what the merge of instances (D37) compares.
#[derive(Clone)]
struct Explained {
    finding: Finding,
    /// How messages name the finding's resource (its instance address), if it has one.
    own: Option<String>,
    /// Its resource is one of several instances in its scope that share their text, and the
    /// finding is inside that text.
    instance: bool,
    /// Where the name of its resource is written, when that resource is one of several
    /// instances: a quoted value written there counts by its place, not its text.
    instance_name: Option<Span>,
    /// A hash of its merge key ([`same_key`]), so that the merge compares only findings whose
    /// hashes agree.
    hash: u64,
}

/// What results of one rule at one location share when they are one result: everything but the
/// instance they come from (D37). A resource that a message or discriminator names counts as its
/// source block, so `x["a"]` and `x["b"]`, `module.a.x` and `module.b.x`, or two copies of one
/// ARM resource are alike; a quoted value that is the name of the finding's own instance counts
/// by where it is written. Everything else (text, quoted values, level, fix, conditional note)
/// must be equal. The key is read from the finding as it is compared, never stored: on a scan
/// with hundreds of thousands of results a stored copy of every message would be most of its
/// memory.
#[derive(PartialEq, Eq, Hash)]
enum Token<'a> {
    Text(&'a str),
    Value(&'a str, Option<Span>, bool),
    /// A named resource, by its source block.
    Resource(Span),
    /// The name of the finding's own instance, by where it is written.
    InstanceName(Option<Span>),
    /// Where a part of the message (title, help) begins or ends.
    Mark(crate::findings::Mark),
}

fn tokens(pieces: &[Piece], instance_name: Option<Span>) -> impl Iterator<Item = Token<'_>> {
    pieces.iter().map(move |p| match p {
        Piece::Text(t) => Token::Text(t),
        Piece::Resource(n) => Token::Resource(n.block),
        Piece::Value(q)
            if instance_name
                .zip(q.span)
                .is_some_and(|(name, at)| name.holds(at)) =>
        {
            Token::InstanceName(q.span)
        }
        Piece::Value(q) => Token::Value(&q.text, q.span, q.sensitive),
        Piece::Mark(m) => Token::Mark(*m),
    })
}

/// The discriminator's tokens: its pieces when it names resources, else its text.
fn discriminator_tokens(f: &Finding, instance_name: Option<Span>) -> Vec<Token<'_>> {
    if f.discriminator_pieces.is_empty() {
        vec![Token::Text(&f.discriminator)]
    } else {
        tokens(&f.discriminator_pieces, instance_name).collect()
    }
}

/// Do two findings have the same merge key?
fn same_key(a: &Explained, b: &Explained) -> bool {
    let (x, y) = (&a.finding, &b.finding);
    x.rule == y.rule
        && x.span == y.span
        && x.level == y.level
        && x.security_severity == y.security_severity
        && x.conditional == y.conditional
        && x.once_per_scan == y.once_per_scan
        && x.fix.as_ref().map(|x| (&x.edits, x.safety))
            == y.fix.as_ref().map(|y| (&y.edits, y.safety))
        && discriminator_tokens(x, a.instance_name) == discriminator_tokens(y, b.instance_name)
        && tokens(x.message.pieces(), a.instance_name)
            .eq(tokens(y.message.pieces(), b.instance_name))
}

/// A hash of the merge key: equal keys hash equally.
fn key_hash(f: &Finding, instance_name: Option<Span>) -> u64 {
    use std::hash::{Hash, Hasher};
    // A fixed-key hasher (fast, and findings are hashed whole): the value never leaves the
    // process, but the grouping stays the same from run to run; equal hashes are compared in
    // full before they merge.
    let mut h = rustc_hash::FxHasher::default();
    (f.rule, f.span, f.level, f.security_severity).hash(&mut h);
    (&f.conditional, &f.once_per_scan).hash(&mut h);
    if let Some(fix) = &f.fix {
        // `Fix` holds JSON values, which do not hash; their debug form does, and equal fixes
        // print alike.
        struct Feed<'a, H: Hasher>(&'a mut H);
        impl<H: Hasher> std::fmt::Write for Feed<'_, H> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.write(s.as_bytes());
                Ok(())
            }
        }
        // The edits as the rule made them: the planned text differs from one instance to the
        // next (each edits its own definition) and is merged with them.
        let _ = std::fmt::write(
            &mut Feed(&mut h),
            format_args!("{:?}{:?}", fix.edits, fix.safety),
        );
    }
    discriminator_tokens(f, instance_name).hash(&mut h);
    for t in tokens(f.message.pieces(), instance_name) {
        t.hash(&mut h);
    }
    h.finish()
}

/// Completes a finding from its resource: where its values came from (variable defaults,
/// tfvars entries, parameter values, module arguments), which of its quoted values are secret,
/// whether its resource may not exist (D21), and which instance it is about. Reads fields only,
/// never the message text.
fn explain(
    mut f: Finding,
    resources: &[&Resource],
    shared: &SharedSpans,
    fixes: &crate::fix::Ctx,
) -> Explained {
    let Some(r) = f.resource.and_then(|i| resources.get(i).copied()) else {
        let hash = key_hash(&f, None);
        return Explained {
            finding: f,
            own: None,
            instance: false,
            instance_name: None,
            hash,
        };
    };
    // The places the finding points at: its location and its related locations in the
    // resource (a value that decided it, such as `secureBootEnabled` set from a parameter).
    let places: Vec<Span> = std::iter::once(f.span)
        .chain(
            f.related
                .iter()
                .map(|x| x.span)
                .filter(|s| r.span.holds(*s)),
        )
        .collect();
    for p in &r.provenance {
        let applies = match &p.element {
            // A dynamic element's definition: on findings inside the content block that quote
            // the element's name.
            Some(name) => p.used_at.holds(f.span) && f.message.values().any(|v| &v.text == name),
            None => places.iter().any(|at| at.holds(p.used_at)),
        };
        if applies && !f.related.iter().any(|x| x.span == p.from) {
            f.related.push(crate::findings::Related {
                span: p.from,
                message: p.label.as_str().into(),
            });
        }
    }
    if !r.sensitive.is_empty() || r.provenance.iter().any(|p| p.secret) {
        // A value written in a secret range, or read from a secret parameter or variable, is
        // secret wherever it is quoted; a value whose place is not known is secret when the
        // place the message describes is.
        let secret_at = |at: Span| {
            r.sensitive.iter().any(|s| s.range.holds(at))
                || r.provenance
                    .iter()
                    .any(|p| p.secret && (p.used_at.holds(at) || at.holds(p.used_at)))
        };
        let mark = |m: &mut crate::findings::Message, place: Span| {
            let place_secret = secret_at(place);
            for v in m.values_mut() {
                v.sensitive |= v.span.map_or(place_secret, secret_at);
            }
        };
        mark(&mut f.message, f.span);
        for rel in &mut f.related {
            mark(&mut rel.message, rel.span);
        }
        // A place inside a secret range is shown as the range's name, so that no report (the
        // console's snippets, an editor's range) shows the lines that hold the secrets.
        let named = |at: Span| {
            r.sensitive
                .iter()
                .find(|s| s.range.holds(at))
                .map_or(at, |s| s.name)
        };
        f.span = named(f.span);
        for rel in &mut f.related {
            rel.span = named(rel.span);
        }
    }
    if let Some(why) = r.conditional.as_ref().filter(|_| f.conditional.is_none()) {
        if r.span.holds(f.span) {
            f.conditional = Some(format!("The resource is conditional: {why}"));
        }
    }
    if let Some(fix) = &mut f.fix {
        fix.planned = Some(crate::fix::plan(fix, r, fixes));
    }
    f.subject = Some(r.short_display());
    let shared = shared.holds(r.span);
    let instance_name = shared.then_some(r.name_span);
    let hash = key_hash(&f, instance_name);
    let instance = shared && r.span.holds(f.span);
    Explained {
        finding: f,
        own: Some(r.display()),
        instance,
        instance_name,
        hash,
    }
}

/// How many related locations a merged result keeps (D37).
const MERGED_RELATED: usize = 10;

/// One result per rule and location for the results that differ only by the `count`,
/// `for_each` or `copy` instance or the module call path behind them, across scopes too (a
/// module called from two roots): the result lists those instances (D37). Then renders every
/// message. Linear in the number of findings.
fn merge(explained: Vec<Explained>) -> Vec<Finding> {
    // Group numbers, in order of first appearance; the findings whose key hashes alike are
    // compared in full, so a collision of hashes never merges different results.
    let mut group_of: Vec<u32> = Vec::with_capacity(explained.len());
    let mut sizes: Vec<u32> = Vec::new();
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::with_capacity(explained.len());
    for (i, e) in explained.iter().enumerate() {
        let firsts = by_hash.entry(e.hash).or_default();
        let group = match firsts.iter().find(|&&first| same_key(&explained[first], e)) {
            Some(&first) => group_of[first],
            None => {
                firsts.push(i);
                sizes.push(0);
                (sizes.len() - 1) as u32
            }
        };
        sizes[group as usize] += 1;
        group_of.push(group);
    }
    drop(by_hash);
    // The groups in order of first appearance, each merged (rendered) on the thread pool.
    let mut groups: Vec<Vec<Explained>> = sizes
        .iter()
        .map(|&n| Vec::with_capacity(n as usize))
        .collect();
    for (e, group) in explained.into_iter().zip(group_of) {
        groups[group as usize].push(e);
    }
    groups.into_par_iter().map(merge_group).collect()
}

/// The addresses of the resources a finding names, in order: its message's, then its
/// discriminator's.
fn named_addresses(f: &Finding) -> Vec<&str> {
    let in_discriminator = f.discriminator_pieces.iter().filter_map(|p| match p {
        Piece::Resource(n) => Some(n),
        _ => None,
    });
    f.message
        .names()
        .chain(in_discriminator)
        .map(|n| n.address.as_str())
        .collect()
}

/// One result for a group of findings with one key: the first instance's, listing every
/// instance, with the related locations of all of them (up to [`MERGED_RELATED`] once merged).
///
/// A finding's instance is its own resource's address when the members are about different
/// resources (`x["a"]`, `x["b"]`); otherwise, when they are about one resource but name
/// different instances of another (one NSG rule and the compute clusters `c["a"]`, `c["b"]`
/// behind it), the first such name. A finding alone lists its resource when that resource is
/// one of several instances.
fn merge_group(group: Vec<Explained>) -> Finding {
    let names: Vec<Vec<&str>> = group.iter().map(|e| named_addresses(&e.finding)).collect();
    // Positions whose address differs among the members (they have the same number of names:
    // their keys are equal).
    let varies: Vec<bool> = (0..names[0].len())
        .map(|i| names.iter().any(|n| n.get(i) != names[0].get(i)))
        .collect();
    let own_varies = group.iter().any(|e| e.own != group[0].own);
    let labels: Vec<Option<String>> = group
        .iter()
        .zip(&names)
        .map(|(e, n)| {
            if group.len() == 1 {
                e.own.clone().filter(|_| e.instance)
            } else if own_varies {
                e.own.clone()
            } else {
                match varies.iter().position(|v| *v) {
                    Some(i) => n.get(i).map(|s| s.to_string()),
                    None => e.own.clone().filter(|_| e.instance),
                }
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..group.len()).collect();
    order.sort_by(|&a, &b| match (&labels[a], &labels[b]) {
        (Some(x), Some(y)) => natural_cmp(x, y),
        (x, y) => x.is_none().cmp(&y.is_none()),
    });
    let mut instances: Vec<String> = order.iter().filter_map(|&i| labels[i].clone()).collect();
    instances.dedup();
    let merged = instances.len() > 1;
    // In the discriminator, a resource whose instance differs among the members is `*`, so the
    // result keeps its identity (and its baseline fingerprint) whichever instances it lists.
    let message_names = names[0].len()
        - group[0]
            .finding
            .discriminator_pieces
            .iter()
            .filter(|p| matches!(p, Piece::Resource(_)))
            .count();
    let discriminator: Option<String> =
        (merged && !group[0].finding.discriminator_pieces.is_empty()).then(|| {
            let mut i = message_names;
            group[0]
                .finding
                .discriminator_pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => t.clone(),
                    Piece::Value(q) => q.text.clone(),
                    Piece::Mark(_) => String::new(),
                    Piece::Resource(n) => {
                        i += 1;
                        if varies[i - 1] {
                            "*".to_string()
                        } else {
                            n.address.clone()
                        }
                    }
                })
                .collect()
        });
    drop(names);
    let mut members: Vec<Option<Explained>> = group.into_iter().map(Some).collect();
    let mut f = members[order[0]].take().expect("each member once").finding;
    for rel in &mut f.related {
        rel.message.render(None, &[]);
    }
    let limit = f.related.len().max(MERGED_RELATED);
    for &i in &order[1..] {
        let Some(e) = members[i].take() else { continue };
        merge_fix(&mut f.fix, e.finding.fix);
        for mut rel in e.finding.related {
            if f.related.len() >= limit {
                break;
            }
            rel.message.render(None, &[]);
            if !f
                .related
                .iter()
                .any(|x| x.span == rel.span && x.message.as_str() == rel.message.as_str())
            {
                f.related.push(rel);
            }
        }
    }
    if let Some(d) = discriminator {
        f.discriminator = d;
    }
    if own_varies && instances.len() > 1 {
        // The result is about several resources: the first, and how many more.
        f.subject = f
            .subject
            .map(|s| format!("{s} and {} more", instances.len() - 1));
    }
    f.instances = instances;
    f.message.render(f.conditional.as_deref(), &f.instances);
    // From here on the message is read as text: its fixed-text pieces would double its size.
    f.message.settle();
    for rel in &mut f.related {
        rel.message.settle();
    }
    f.discriminator_pieces = Vec::new();
    f
}

/// The planned fix of a result that stands for several instances: the edits of all of them
/// (each may edit its own definition: a module argument, a variable default); none when one of
/// them cannot be made.
fn merge_fix(into: &mut Option<crate::findings::Fix>, other: Option<crate::findings::Fix>) {
    let (Some(into), Some(other)) = (into.as_mut(), other) else {
        return;
    };
    match (&mut into.planned, other.planned) {
        (Some(Ok(p)), Some(Ok(q))) => {
            for e in q.edits {
                if !p.edits.contains(&e) {
                    p.edits.push(e);
                }
            }
            if p.note != q.note {
                p.note = match (p.note.take(), q.note) {
                    (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                    (a, b) => a.or(b),
                };
            }
        }
        (Some(Ok(_)), Some(Err(why))) => into.planned = Some(Err(why)),
        _ => {}
    }
}

/// Natural order of addresses: runs of digits compare as numbers, so `x[2]` comes before
/// `x[10]`; ties fall back to byte order.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        let (dx, dy) = (digits(&x[i..]), digits(&y[j..]));
        if dx > 0 && dy > 0 {
            let trim = |s: &[u8]| -> usize { s.iter().take_while(|c| **c == b'0').count() };
            let (nx, ny) = (&x[i..i + dx], &y[j..j + dy]);
            let (nx, ny) = (&nx[trim(nx)..], &ny[trim(ny)..]);
            let ord = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
            if ord != Ordering::Equal {
                return ord;
            }
            i += dx;
            j += dy;
        } else {
            let ord = x[i].cmp(&y[j]);
            if ord != Ordering::Equal {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| a.cmp(b))
}

/// The whole scan: [`load`] then [`analyse`], a group of inputs at a time.
///
/// The inputs are read first (their texts are what the reports show); then each group of them
/// that no reference connects to another (a Terraform module with the local modules it calls, an
/// ARM template with its parameters, a Bicep file with its modules: see `islands`) is parsed,
/// evaluated and checked on its own, in parallel with the other groups, and its parse trees and
/// evaluated resources are released as soon as its findings are made. Memory then holds the
/// texts, the findings and the groups being analysed, not every parse tree at once. A scan whose
/// inputs are one group, or that has inputs given a role across folders (`--var-file`,
/// `--parameters`, plans), is analysed whole, as [`load`] and [`analyse`] do; the findings and
/// notifications are the same either way.
pub fn scan(cfg: &ScanConfig) -> Result<ScanOutput, String> {
    let overrides = Overrides::new();
    let (root, candidates, notes) = inputs(cfg, &overrides)?;
    let mut read = read_all(root, candidates, &overrides, notes, cfg.max_file_bytes());
    let undeclared = undeclared_vars(&read, &cfg.eval.vars);
    read.notes.extend(undeclared);
    let groups = islands::islands(&read.files, &read.kinds, &read.roles);
    let bytes = |ids: &[crate::source::FileId]| -> usize {
        ids.iter().map(|&id| read.files[id].text.len()).sum()
    };
    // The thread pool is idle between reading and parsing.
    if groups
        .iter()
        .all(|ids| bytes(ids) < crate::alloc::SMALL_SCOPE_BYTES)
    {
        crate::alloc::keep_freed_memory();
    }
    if groups.len() <= 1 {
        return Ok(analyse(parse_whole(read), cfg));
    }
    let check = run_rules;
    // A group big enough to keep one thread busy after the others have run out of groups is
    // itself parsed, evaluated and checked in parallel (a folder of modules that refer to one
    // another can be a quarter of a repository); the others each on one thread.
    let total: usize = read.files.iter().map(|f| f.text.len()).sum();
    let threads = rayon::current_num_threads().max(1);
    // Each group merged on its own: a result merges only with results in the files of its group.
    let parts: Vec<Merged> = groups
        .par_iter()
        // One group per job: rayon otherwise hands a thread a run of groups that no idle thread
        // can take from it, and the scan ended with one thread finishing such a run alone.
        .with_max_len(1)
        .map(|ids| {
            let parallel = bytes(ids).saturating_mul(2 * threads) > total;
            let (docs, bodies, parse_notes) = parse_files(&read, ids, parallel, &mut |_| None);
            let mut part = analyse_part(&read.files, docs, bodies, cfg, &check, parallel);
            part.notes.extend(parse_notes);
            part.merged()
        })
        .collect();
    let ReadInputs {
        root, files, notes, ..
    } = read;
    Ok(finish(root, files, parts, notes, cfg))
}

/// A warning for each `--var NAME=VALUE` whose variable no scanned Terraform file declares:
/// Terraform refuses a value for a variable its root module does not declare, so the name is
/// likely misspelt. Read from the text, before the scan is split into groups that each see only
/// their own modules; a declaration in a comment counts, so that the warning is never wrong.
fn undeclared_vars(read: &ReadInputs, vars: &[(String, String)]) -> Vec<Notification> {
    let mut names: Vec<&str> = vars.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let terraform: Vec<&SourceFile> = read
        .files
        .iter()
        .zip(&read.kinds)
        .filter(|(_, (kind, _))| *kind == InputKind::Terraform)
        .map(|(f, _)| f)
        .collect();
    names
        .into_iter()
        .filter(|name| !terraform.iter().any(|f| declares_variable(f, name)))
        .map(|name| Notification {
            level: Level::Warning,
            message: format!(
                "`--var {name}=…`: no scanned Terraform module declares a variable `{name}`, so \
                 the value is not used (Terraform refuses a value for an undeclared variable)"
            ),
            span: None,
            file: None,
        })
        .collect()
}

/// Whether `file`'s text declares the variable `name`: `variable "name"` (or `variable name`) in
/// HCL, a key `"name"` beside a key `"variable"` in Terraform's JSON syntax.
fn declares_variable(file: &SourceFile, name: &str) -> bool {
    let text = file.text.as_str();
    if file.rel.to_ascii_lowercase().ends_with(".json") {
        return text.contains("\"variable\"") && text.contains(&format!("\"{name}\""));
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
    text.match_indices("variable").any(|(at, _)| {
        if word(text[..at].chars().next_back()) {
            return false;
        }
        let rest = &text[at + "variable".len()..];
        let label = rest.trim_start_matches([' ', '\t']);
        if label.len() == rest.len() && !label.starts_with('"') {
            return false;
        }
        let (quoted, label) = match label.strip_prefix('"') {
            Some(l) => (true, l),
            None => (false, label),
        };
        let Some(after) = label.strip_prefix(name) else {
            return false;
        };
        if quoted {
            after.starts_with('"')
        } else {
            !word(after.chars().next())
        }
    })
}

/// Report order: path (file ids follow path order), position, rule, discriminator, message; one
/// result per (rule, location, discriminator, message). Results that differ only by the instance
/// behind them are one already ([`analyse`] merges them, D37); results whose messages differ by
/// more stay apart.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    // In parallel: a monorepo's tens of thousands of findings sorted on one thread were a
    // serial step at the end of the scan.
    findings.par_sort_by(|a, b| {
        (
            a.span.file,
            a.span.start,
            a.rule,
            &a.discriminator,
            a.message.as_str(),
            a.span.end,
        )
            .cmp(&(
                b.span.file,
                b.span.start,
                b.rule,
                &b.discriminator,
                b.message.as_str(),
                b.span.end,
            ))
    });
    findings.dedup_by(|a, b| {
        a.rule == b.rule
            && a.span == b.span
            && a.discriminator == b.discriminator
            && a.message.as_str() == b.message.as_str()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Message;
    use crate::ir::types;
    use crate::rules::checker::{quote, who, At, Checker};
    use crate::rules::query::{lookup, Prop};
    use crate::rules::RuleMeta;

    static META: RuleMeta = RuleMeta {
        id: "TEST001",
        name: "TestRule",
        title: "Test rule",
        level: Level::Warning,
        security_severity: "1.0",
        tags: &[],
        precision: "high",
        help_uri: "https://learn.microsoft.com/",
        peers: &[],
        needs: &[],
        doc: "# TEST001 Test rule\n",
    };

    /// A rule whose message names no resource: one finding per NSG's rule list.
    fn anonymous(ctx: &Ctx) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut cx = Checker::new(ctx, &META, &mut out);
        for nsg in ctx.of_type(types::NSG) {
            if let Prop::Known(m) = lookup(&nsg.body, &["properties", "securityRules"]) {
                cx.report(At::member(nsg, m), "lists rules.".into());
            }
        }
        out
    }

    /// A rule that names the NSG (through `who`) and quotes its location.
    fn located(ctx: &Ctx) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut cx = Checker::new(ctx, &META, &mut out);
        for nsg in ctx.of_type(types::NSG) {
            if let Prop::Known(m) = lookup(&nsg.body, &["location"]) {
                let says = Message::new()
                    .text(format!("{} is in `", who(nsg)))
                    .append(quote(&m.value))
                    .text("`.");
                cx.report(At::member(nsg, m), says);
            }
        }
        out
    }

    /// A rule that reports on every NSG's rule list once per Batch account, naming the account
    /// in its message and discriminator.
    fn per_account(ctx: &Ctx) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut cx = Checker::new(ctx, &META, &mut out);
        for nsg in ctx.of_type(types::NSG) {
            if let Prop::Known(m) = lookup(&nsg.body, &["properties", "securityRules"]) {
                for acct in ctx.of_type(types::BATCH_ACCOUNT) {
                    cx.report(
                        At::member(nsg, m),
                        format!("{} needs the rules of {}.", who(acct), who(nsg)).into(),
                    )
                    .discriminator(format!("{}|rules", who(acct)));
                }
            }
        }
        out
    }

    const SSH_NSG_TF: &str = "resource \"azurerm_network_security_group\" \"n\" {\n  name                = NAME\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n  security_rule {\n    name                       = \"ssh\"\n    priority                   = 100\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"22\"\n    source_address_prefix      = \"*\"\n    destination_address_prefix = \"*\"\n  }\n}\n";
    const SSH_NSG_ARM: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
      {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": NAME, "location": "westeurope",
       "properties": {"securityRules": [{"name": "ssh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
         "sourcePortRange": "*", "destinationPortRange": "22", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"}}]}}]}"#;

    /// Two Terraform modules and two ARM templates, each with an NSG open to SSH; the NSGs of
    /// `bad/` and `bad.json` are named by `bad_tf` and `bad_arm`.
    fn four_scopes(bad_tf: &str, bad_arm: &str) -> (tempfile::TempDir, ScanConfig) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("good")).unwrap();
        std::fs::create_dir_all(p.join("bad")).unwrap();
        let tf = |name: &str| SSH_NSG_TF.replace("NAME", name);
        let arm = |name: &str| SSH_NSG_ARM.replace("NAME", name);
        std::fs::write(p.join("good/main.tf"), tf("\"good\"")).unwrap();
        std::fs::write(p.join("bad/main.tf"), tf(bad_tf)).unwrap();
        std::fs::write(p.join("good.json"), arm("\"good\"")).unwrap();
        std::fs::write(p.join("bad.json"), arm(bad_arm)).unwrap();
        let cfg = ScanConfig {
            paths: vec![p.to_path_buf()],
            root: p.to_path_buf(),
            options: Options::default(),
            eval: EvalOptions::default(),
            config: Config::default(),
        };
        (dir, cfg)
    }

    fn rel_of(out: &ScanOutput, file: usize) -> &str {
        &out.files[file].rel
    }

    /// The files with an SSH finding, and the error notifications with their files.
    fn outcome(out: &ScanOutput) -> (Vec<&str>, Vec<(&str, &str)>) {
        let mut ssh: Vec<&str> = out
            .findings
            .iter()
            .filter(|f| f.rule == "NET001")
            .map(|f| rel_of(out, f.span.file))
            .collect();
        ssh.dedup();
        let errors = out
            .notifications
            .iter()
            .filter(|n| n.level == Level::Error)
            .map(|n| (rel_of(out, n.span.unwrap().file), n.message.as_str()))
            .collect();
        (ssh, errors)
    }

    /// A panic while one module or template is evaluated is an error at it; every other scope is
    /// reported in full.
    #[test]
    fn a_panic_while_evaluating_one_scope_costs_that_scope_only() {
        let (dir, cfg) = four_scopes("batchguard_test_panic()", "\"[batchguardTestPanic()]\"");
        let out = analyse(load(&cfg).unwrap(), &cfg);
        let (ssh, errors) = outcome(&out);
        assert_eq!(ssh, ["good.json", "good/main.tf"]);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(errors[0].0, "bad.json");
        assert!(errors[0].1.starts_with("internal error while evaluating the ARM template `bad.json` (in the resource `Microsoft.Network/networkSecurityGroups` `[batchguardTestPanic()]`): batchguardTestPanic() was called at src/eval/arm/functions.rs:"), "{}", errors[0].1);
        assert_eq!(errors[1].0, "bad/main.tf");
        assert!(errors[1].1.starts_with("internal error while evaluating the Terraform module `bad` (in `azurerm_network_security_group.n`): batchguard_test_panic() was called at src/eval/terraform/functions.rs:"), "{}", errors[1].1);
        assert!(errors[1].1.ends_with("; the resources of this scope are not analysed, the rest of the scan is. Please report it."));
        // The module's notification is at the construct that was evaluated.
        let at = out
            .notifications
            .iter()
            .find(|n| n.level == Level::Error && n.message.contains("Terraform"))
            .unwrap()
            .span
            .unwrap();
        assert_eq!(
            &out.files[at.file].text[at.start..at.end],
            "batchguard_test_panic()"
        );
        assert!(out.has_input_errors());
        assert_eq!(out.failed.len(), 2);
        assert_eq!(out.failed[0].files.len(), 1);
        drop(dir);
    }

    /// A limit a rule reaches (a list too long to compare whole) is a located warning beside the
    /// findings, once per place, and changes neither the findings nor the exit code.
    #[test]
    fn limits_that_rules_reach_are_warnings_at_their_place() {
        let (dir, cfg) = four_scopes("\"good2\"", "\"good2\"");
        let check = |ctx: &Ctx| {
            for nsg in &ctx.graph.nsgs {
                for _ in 0..2 {
                    ctx.limit(nsg.header, format!("{} was not compared whole", nsg.label));
                }
            }
            rules::run(ctx)
        };
        let out = analyse_with(load(&cfg).unwrap(), &cfg, check);
        let (ssh, errors) = outcome(&out);
        assert_eq!(ssh.len(), 4, "{ssh:?}");
        assert!(errors.is_empty(), "{errors:?}");
        let mut limits: Vec<(&str, &str)> = out
            .notifications
            .iter()
            .filter(|n| n.level == Level::Warning && n.message.ends_with("was not compared whole"))
            .map(|n| (rel_of(&out, n.span.unwrap().file), n.message.as_str()))
            .collect();
        limits.sort();
        assert_eq!(
            limits,
            [
                (
                    "bad.json",
                    "networkSecurityGroups 'good2' was not compared whole"
                ),
                (
                    "bad/main.tf",
                    "azurerm_network_security_group.n was not compared whole"
                ),
                (
                    "good.json",
                    "networkSecurityGroups 'good' was not compared whole"
                ),
                (
                    "good/main.tf",
                    "azurerm_network_security_group.n was not compared whole"
                ),
            ]
        );
        assert!(!out.has_input_errors());
        drop(dir);
    }

    /// A panic while one file is parsed is an error at that file; the others are read.
    #[test]
    fn a_panic_while_parsing_one_file_costs_that_file_only() {
        let file = SourceFile::new(4, "bad.tf".into(), "bad.tf".into(), "x = 1\n");
        let n = guarded(&file, || -> u8 { panic!("a front-end met x") }).unwrap_err();
        assert_eq!(n.level, Level::Error);
        assert_eq!(n.file, Some(4));
        assert_eq!(n.span, Some(Span::new(4, 0, 0)));
        assert!(
            n.message.starts_with(
                "internal error while reading `bad.tf`: a front-end met x at src/scan.rs:"
            ),
            "{}",
            n.message
        );
        assert!(n
            .message
            .ends_with("; this file is not analysed, the rest of the scan is. Please report it."));
        assert_eq!(guarded(&file, || 7), Ok(7));
    }

    /// A panic in the graph or the rules of one scope is an error at that scope; the others are
    /// reported in full, in parallel as ever.
    #[test]
    fn a_panic_while_analysing_one_scope_costs_that_scope_only() {
        let (dir, cfg) = four_scopes("\"boom\"", "\"boom\"");
        let check = |ctx: &Ctx| {
            if ctx.of_type(types::NSG).any(|r| r.name() == Some("boom")) {
                panic!("a rule met boom");
            }
            rules::run(ctx)
        };
        let out = analyse_with(load(&cfg).unwrap(), &cfg, check);
        let (ssh, errors) = outcome(&out);
        assert_eq!(ssh, ["good.json", "good/main.tf"]);
        let messages: Vec<&str> = errors.iter().map(|e| e.1).collect();
        assert_eq!(
            errors.iter().map(|e| e.0).collect::<Vec<_>>(),
            ["bad.json", "bad/main.tf"]
        );
        assert!(messages[0].starts_with("internal error while analysing the ARM template `bad.json`: a rule met boom at src/scan.rs:"), "{}", messages[0]);
        assert!(messages[1].starts_with("internal error while analysing the Terraform module `bad`: a rule met boom at src/scan.rs:"), "{}", messages[1]);
        // At the start of the scope's first file.
        for n in out.notifications.iter().filter(|n| n.level == Level::Error) {
            assert_eq!((n.span.unwrap().start, n.span.unwrap().end), (0, 0));
        }
        assert_eq!(out.failed.len(), 2);
        drop(dir);
    }

    fn scan_with(text: &str, check: fn(&Ctx) -> Vec<Finding>) -> Vec<Finding> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), text).unwrap();
        let cfg = ScanConfig {
            paths: vec![dir.path().to_path_buf()],
            root: dir.path().to_path_buf(),
            options: Options::default(),
            eval: EvalOptions::default(),
            config: Config::default(),
        };
        let loaded = load(&cfg).unwrap();
        let (scopes, _) = eval::scopes(&loaded.files, &loaded.docs, &loaded.bodies, &cfg.eval);
        let explained: Vec<Explained> = scopes
            .iter()
            .flat_map(|s| {
                let resources: Vec<&Resource> = s.resources.iter().collect();
                check_scope(&resources, &loaded.files, &cfg.options, check).0
            })
            .collect();
        let mut found = merge(explained);
        sort_findings(&mut found);
        found
    }

    fn nsgs(meta: &str, location: &str) -> String {
        format!("resource \"azurerm_network_security_group\" \"n\" {{\n  {meta}\n  name = \"nsg\"\n  location = {location}\n  security_rule {{\n    name = \"r\"\n    priority = 100\n    direction = \"Inbound\"\n    access = \"Deny\"\n    protocol = \"*\"\n    source_port_range = \"*\"\n    destination_port_range = \"*\"\n    source_address_prefix = \"*\"\n    destination_address_prefix = \"*\"\n  }}\n}}\n")
    }

    #[test]
    fn instances_merge_though_the_message_does_not_name_them() {
        let found = scan_with(&nsgs("count = 2", "\"westeurope\""), anonymous);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].instances,
            [
                "azurerm_network_security_group.n[0]",
                "azurerm_network_security_group.n[1]"
            ]
        );
        assert_eq!(
            found[0].message.as_str(),
            "Test rule: lists rules. Reported once for 2 instances: azurerm_network_security_group.n[0], azurerm_network_security_group.n[1]."
        );
        assert_eq!(found[0].discriminator, "");
    }

    #[test]
    fn a_merged_message_lists_five_instances_in_natural_order() {
        let found = scan_with(&nsgs("count = 12", "\"westeurope\""), located);
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        let want: Vec<String> = (0..12)
            .map(|i| format!("azurerm_network_security_group.n[{i}]"))
            .collect();
        assert_eq!(f.instances, want);
        assert_eq!(
            f.message.as_str(),
            "Test rule: azurerm_network_security_group.n[0] is in `westeurope`. Reported once for 12 instances: azurerm_network_security_group.n[0], azurerm_network_security_group.n[1], azurerm_network_security_group.n[2], azurerm_network_security_group.n[3], azurerm_network_security_group.n[4] and 7 more."
        );
    }

    #[test]
    fn results_that_differ_by_more_than_the_instance_stay_apart() {
        let text = nsgs(
            "for_each = { a = \"westeurope\", b = \"westeurope\", c = \"northeurope\" }",
            "each.value",
        );
        let found = scan_with(&text, located);
        let got: Vec<(&str, &[String])> = found
            .iter()
            .map(|f| (f.message.as_str(), f.instances.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Test rule: azurerm_network_security_group.n[\"a\"] is in `westeurope`. Reported once for 2 instances: azurerm_network_security_group.n[\"a\"], azurerm_network_security_group.n[\"b\"].",
                    &[
                        "azurerm_network_security_group.n[\"a\"]".to_string(),
                        "azurerm_network_security_group.n[\"b\"]".to_string()
                    ][..]
                ),
                (
                    "Test rule: azurerm_network_security_group.n[\"c\"] is in `northeurope`.",
                    &["azurerm_network_security_group.n[\"c\"]".to_string()][..]
                ),
            ]
        );
    }

    #[test]
    fn instances_of_another_resource_a_result_names_are_listed() {
        let text = format!(
            "{}resource \"azurerm_batch_account\" \"b\" {{\n  count = 3\n  name = \"acct${{count.index}}\"\n  location = \"westeurope\"\n  resource_group_name = \"rg\"\n}}\n",
            nsgs("", "\"westeurope\"")
        );
        let found = scan_with(&text, per_account);
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(
            f.instances,
            [
                "azurerm_batch_account.b[0]",
                "azurerm_batch_account.b[1]",
                "azurerm_batch_account.b[2]"
            ]
        );
        assert_eq!(f.discriminator, "*|rules");
        assert!(
            f.message.as_str().starts_with(
                "Test rule: azurerm_batch_account.b[0] needs the rules of azurerm_network_security_group.n. Reported once for 3 instances: "
            ),
            "{}",
            f.message
        );
    }

    #[test]
    fn one_instance_that_reports_alone_is_named() {
        let text = nsgs(
            "for_each = { a = \"westeurope\", b = \"northeurope\" }",
            "each.value",
        );
        let found = scan_with(&text, located);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[1].instances,
            ["azurerm_network_security_group.n[\"b\"]"]
        );
        assert_eq!(found[0].discriminator, "");
        // A resource that is no instance lists none.
        let found = scan_with(&nsgs("", "\"westeurope\""), located);
        assert!(found[0].instances.is_empty());
        assert_eq!(
            found[0].message.as_str(),
            "Test rule: azurerm_network_security_group.n is in `westeurope`."
        );
    }

    /// A rule that quotes the NSG's name where it is written.
    fn quoting_the_name(ctx: &Ctx) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut cx = Checker::new(ctx, &META, &mut out);
        for nsg in ctx.of_type(types::NSG) {
            if let Prop::Known(m) = lookup(&nsg.body, &["name"]) {
                let says = Message::new()
                    .text("NSG '")
                    .append(quote(&m.value))
                    .text("' is named.");
                cx.report(At::resource(nsg), says);
            }
        }
        out
    }

    #[test]
    fn an_instance_quoting_its_own_name_merges() {
        let text = nsgs("count = 3", "\"westeurope\"")
            .replace("name = \"nsg\"", "name = \"nsg-${count.index}\"");
        let found = scan_with(&text, quoting_the_name);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].instances.len(), 3);
        assert!(found[0]
            .message
            .as_str()
            .starts_with("Test rule: NSG 'nsg-0' is named. Reported once for 3 instances: "));
    }

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        let mut v = vec![
            "x[10]", "x[2]", "x[1]", "x[\"b\"]", "x[\"a\"]", "x[02]", "y",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["x[\"a\"]", "x[\"b\"]", "x[1]", "x[02]", "x[2]", "x[10]", "y"]
        );
    }
}
