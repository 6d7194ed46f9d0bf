//! `scan --fix` and `scan --diff`: fixes applied pass by pass, each pass checked by scanning the
//! fixed texts again before anything is kept.
//!
//! A pass applies every fix it can ([`super::apply`]) to the texts in memory, then scans them as
//! they would be on disk. A file that no longer parses, or a fix whose finding is still there,
//! undoes that pass's fixes in the file (or that fix) and names them in an error; the rest of the
//! pass is kept. Passes go on while they fix something (a fix that waited for another one to be
//! applied first is planned again on the new text), at most [`MAX_PASSES`] times. Nothing is
//! written until the last pass, and only by the caller.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::findings::{Finding, Level, Notification};
use crate::ir::Span;
use crate::scan::{self, Overrides, ScanConfig, ScanOutput};

/// Most passes one run makes.
pub const MAX_PASSES: usize = 16;

/// What a run fixed and what it leaves.
pub struct FixRun {
    /// The scan of the fixed texts: the findings that remain.
    pub output: ScanOutput,
    /// The files that changed: path relative to the root, its path, the text before and after
    /// (decoded, without a byte order mark; `had_bom` says whether to write one).
    pub changed: Vec<Changed>,
    /// How many findings the fixes removed.
    pub fixed: usize,
    /// Fixes that could not be applied, as notes located at their findings (remaining
    /// findings only), and errors for fixes that failed their check.
    pub notes: Vec<Notification>,
}

pub struct Changed {
    pub rel: String,
    pub path: PathBuf,
    pub before: String,
    pub after: String,
    pub had_bom: bool,
}

/// Runs the passes on the inputs of `cfg`.
pub fn run(cfg: &ScanConfig, unsafe_fixes: bool) -> Result<FixRun, String> {
    run_with(cfg, &Overrides::new(), unsafe_fixes, None)
}

/// [`run`] on the inputs of `cfg` with `base` in place of what is on disk (an editor's unsaved
/// buffers), fixing only the findings located in the file `only` when it is given. The fixes may
/// still edit other files (a tfvars entry, a parameters file); `Changed::before` is the text of
/// `base` where it has one.
pub fn run_with(
    cfg: &ScanConfig,
    base: &Overrides,
    unsafe_fixes: bool,
    only: Option<&std::path::Path>,
) -> Result<FixRun, String> {
    let mut out = scan::analyse(scan::load_with_overrides(cfg, base)?, cfg);
    let originals: Vec<(String, PathBuf, String, bool)> = out
        .files
        .iter()
        .map(|f| (f.rel.clone(), f.path.clone(), f.text.clone(), f.had_bom))
        .collect();
    let fixable = out
        .findings
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| x.text_edits().is_some()))
        .count();
    let mut overrides = base.clone();
    let mut notes: Vec<Notification> = Vec::new();
    // Fixes that failed their check, by what identifies their finding across passes.
    let mut failed: HashSet<(String, String)> = HashSet::new();
    let mut fixed = 0;
    let mut declined: Vec<(usize, String)> = Vec::new();
    // Fixes a failed pass was pinned on: the pass is made again without them, and they are
    // tried one at a time once nothing else is left, so that one bad fix does not hold back
    // the others (or make every pass a pass of one).
    let mut suspects: HashSet<(String, String)> = HashSet::new();
    for _ in 0..MAX_PASSES + 2 * fixable {
        let ids = identities(&out);
        // Suppressed findings, and those outside the file asked for, are left as they are.
        let suppressed = |i: usize| {
            let f = &out.findings[i];
            f.suppression.is_some()
                || only.is_some_and(|p| out.files.get(f.span.file).is_none_or(|x| x.path != p))
        };
        let mut skip: HashSet<usize> = (0..out.findings.len())
            .filter(|&i| failed.contains(&ids[i]) || suspects.contains(&ids[i]) || suppressed(i))
            .collect();
        let mut outcome = super::apply::apply(&out.findings, &out.files, unsafe_fixes, &skip);
        declined = std::mem::take(&mut outcome.declined);
        let mut alone = None;
        if outcome.applied.is_empty() {
            // Only suspects are left: the first of them, alone.
            let Some(s) = (0..out.findings.len()).find(|&i| {
                suspects.contains(&ids[i]) && !failed.contains(&ids[i]) && !suppressed(i)
            }) else {
                break;
            };
            skip = (0..out.findings.len()).filter(|&i| i != s).collect();
            outcome = super::apply::apply(&out.findings, &out.files, unsafe_fixes, &skip);
            suspects.remove(&ids[s]);
            if outcome.applied.is_empty() {
                continue;
            }
            alone = Some(s);
        }
        let mut trial = overrides.clone();
        for (file, text) in &outcome.texts {
            trial.insert(out.files[*file].path.clone(), text.clone());
        }
        let after = scan::analyse(scan::load_with_overrides(cfg, &trial)?, cfg);
        let problems = check(&out, &ids, &after, &outcome, unsafe_fixes);
        if problems.is_empty() {
            fixed += outcome.applied.len();
            overrides = trial;
            out = after;
            continue;
        }
        match alone {
            // The one fix of this pass failed: it is left out from now on.
            Some(s) => {
                failed.insert(ids[s].clone());
                notes.extend(problems.into_iter().map(|(_, n)| n));
            }
            None => suspects.extend(problems.into_iter().map(|(i, _)| ids[i].clone())),
        }
    }
    for (i, why) in declined {
        let f = &out.findings[i];
        notes.push(Notification {
            level: Level::Note,
            message: format!("{} was not fixed: {why}", f.rule),
            span: Some(f.span),
            file: Some(f.span.file),
        });
    }
    let changed = originals
        .into_iter()
        .filter_map(|(rel, path, before, had_bom)| {
            let after = overrides.get(&path)?.clone();
            (after != before).then_some(Changed {
                rel,
                path,
                before,
                after,
                had_bom,
            })
        })
        .collect();
    Ok(FixRun {
        output: out,
        changed,
        fixed,
        notes,
    })
}

/// What is wrong with a pass, one notification per fix at fault: a file it edited no longer
/// parses, its finding is still there, or (unless unsafe fixes are wanted) it raised a finding
/// that was not there before.
fn check(
    before: &ScanOutput,
    ids: &[(String, String)],
    after: &ScanOutput,
    outcome: &super::apply::Outcome,
    unsafe_fixes: bool,
) -> Vec<(usize, Notification)> {
    let broken = broken_files(before, after, &outcome.texts);
    let after_ids = identities(after);
    let known: HashSet<&(String, String)> = ids.iter().collect();
    // Findings that were not there, in the files the pass edited.
    let raised: Vec<usize> = (0..after.findings.len())
        .filter(|&j| {
            !known.contains(&after_ids[j])
                && outcome.texts.contains_key(&after.findings[j].span.file)
        })
        .collect();
    // Findings that look alike (same rule, file, offending text and discriminator: several
    // resources whose finding points at the same `"type"` line, say) are counted, not told
    // apart: the fixes must lower their number by as many as they fixed.
    let mut left: HashMap<&str, isize> = HashMap::new();
    for (rule_fp, _) in ids.iter().map(|id| (look(id), ())) {
        *left.entry(rule_fp).or_default() += 1;
    }
    for (i, _) in &outcome.applied {
        *left.entry(look(&ids[*i])).or_default() -= 1;
    }
    for id in &after_ids {
        *left.entry(look(id)).or_default() -= 1;
    }
    let mut problems = Vec::new();
    for (i, landed) in &outcome.applied {
        let f = &before.findings[*i];
        if let Some(why) = landed.iter().find_map(|s| broken.get(&s.file)) {
            problems.push((
                *i,
                failure(f, &format!("the fixed file would not parse: {why}")),
            ));
            continue;
        }
        let still = left.get(look(&ids[*i])).is_some_and(|n| *n < 0)
            || after
                .findings
                .iter()
                .any(|g| g.rule == f.rule && landed.iter().any(|s| touches(*s, g.span)));
        if still {
            problems.push((*i, failure(f, "the fix does not remove the finding")));
            continue;
        }
        // A finding raised in a file this fix edited.
        let mine = raised
            .iter()
            .find(|&&j| landed.iter().any(|s| s.file == after.findings[j].span.file));
        if let (Some(&j), false) = (mine, unsafe_fixes) {
            let g = &after.findings[j];
            problems.push((
                *i,
                Notification {
                    level: Level::Note,
                    message: format!(
                        "{} was not fixed: its fix would raise {} ({}); --unsafe-fixes applies it",
                        f.rule,
                        g.rule,
                        short(g.message.as_str())
                    ),
                    span: Some(f.span),
                    file: Some(f.span.file),
                },
            ));
        }
    }
    problems
}

/// An identity without its occurrence number: what findings that look alike share.
fn look(id: &(String, String)) -> &str {
    id.1.rsplit_once(':').map_or(id.1.as_str(), |(h, _)| h)
}

/// What identifies a finding from one pass to the next: its rule and line-independent
/// fingerprint.
fn identities(out: &ScanOutput) -> Vec<(String, String)> {
    crate::controls::baseline::fingerprints(&out.findings, &out.files)
        .into_iter()
        .zip(&out.findings)
        .map(|(fp, f)| (f.rule.to_string(), fp))
        .collect()
}

/// The files the pass edited that now have a syntax error they did not have: the error.
fn broken_files(
    before: &ScanOutput,
    after: &ScanOutput,
    texts: &BTreeMap<usize, String>,
) -> BTreeMap<usize, String> {
    let errors = |o: &ScanOutput, file: usize| -> Vec<String> {
        o.notifications
            .iter()
            .filter(|n| {
                n.level == Level::Error && n.span.map_or(n.file, |s| Some(s.file)) == Some(file)
            })
            .map(|n| n.message.clone())
            .collect()
    };
    texts
        .keys()
        .filter_map(|&file| {
            let old = errors(before, file);
            errors(after, file)
                .into_iter()
                .find(|m| !old.contains(m))
                .map(|m| (file, m))
        })
        .collect()
}

/// Does the finding at `b` sit on the text an edit wrote at `a`?
fn touches(a: Span, b: Span) -> bool {
    a.file == b.file && a.start < b.end && b.start < a.end
}

fn failure(f: &Finding, why: &str) -> Notification {
    Notification {
        level: Level::Error,
        message: format!("the fix for {} was not applied: {why}", f.rule),
        span: Some(f.span),
        file: Some(f.span.file),
    }
}

/// A message quoted in a note: its first sentence, at most 100 characters.
fn short(message: &str) -> String {
    crate::findings::shorten(message.split(". ").next().unwrap_or(message), 100)
}

/// `scan --add-suppressions`: an inline suppression comment with `reason` (and `until`) on the
/// line before every finding that is not suppressed yet, one comment per line naming its rules,
/// indented like that line. The result is scanned again: a file the comments would break is
/// left as it was, with an error.
pub fn suppress_all(cfg: &ScanConfig, reason: &str, until: Option<&str>) -> Result<FixRun, String> {
    let out = scan::analyse(scan::load(cfg)?, cfg);
    let mut lines: BTreeMap<(usize, usize), Vec<&'static str>> = BTreeMap::new();
    for f in out.findings.iter().filter(|f| f.suppression.is_none()) {
        let Some(file) = out.files.get(f.span.file) else {
            continue;
        };
        let at = super::line_start(&file.text, f.span.start);
        let rules = lines.entry((f.span.file, at)).or_default();
        if !rules.contains(&f.rule) {
            rules.push(f.rule);
        }
    }
    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    for (file, group) in &lines.iter().fold(
        BTreeMap::<usize, Vec<(usize, &Vec<&str>)>>::new(),
        |mut m, ((f, at), r)| {
            m.entry(*f).or_default().push((*at, r));
            m
        },
    ) {
        let source = &out.files[*file];
        let text = &source.text;
        let mut new = String::with_capacity(text.len());
        let mut done = 0;
        for (at, rules) in group {
            let edit = super::suppression(source, *at, rules, reason, until);
            new.push_str(&text[done..edit.span.start]);
            new.push_str(&edit.text);
            done = edit.span.start;
        }
        new.push_str(&text[done..]);
        texts.insert(*file, new);
    }
    let mut overrides = Overrides::new();
    for (file, text) in &texts {
        overrides.insert(out.files[*file].path.clone(), text.clone());
    }
    let after = scan::analyse(scan::load_with_overrides(cfg, &overrides)?, cfg);
    let broken = broken_files(&out, &after, &texts);
    let mut notes = Vec::new();
    for (file, why) in &broken {
        overrides.remove(&out.files[*file].path);
        notes.push(Notification {
            level: Level::Error,
            message: format!("suppressions were not added: the file would not parse: {why}"),
            span: None,
            file: Some(*file),
        });
    }
    let after = if broken.is_empty() {
        after
    } else {
        scan::analyse(scan::load_with_overrides(cfg, &overrides)?, cfg)
    };
    let fixed = out
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .count()
        - after
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .count()
            .min(
                out.findings
                    .iter()
                    .filter(|f| f.suppression.is_none())
                    .count(),
            );
    let changed = out
        .files
        .iter()
        .filter_map(|f| {
            let after = overrides.get(&f.path)?.clone();
            Some(Changed {
                rel: f.rel.clone(),
                path: f.path.clone(),
                before: f.text.clone(),
                after,
                had_bom: f.had_bom,
            })
        })
        .collect();
    Ok(FixRun {
        output: after,
        changed,
        fixed,
        notes,
    })
}
