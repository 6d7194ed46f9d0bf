//! Chooses which planned fixes to apply together and applies their edits to the texts.
//!
//! A fix is applied whole or not at all. Two fixes that make the same edit share it; a fix whose
//! edit overlaps a different edit already chosen waits for the next pass (`run` scans again and
//! plans it anew). An edit of a definition is applied only when every place that uses the
//! definition is fixed by the same edit in the same pass: otherwise fixing one finding would
//! silently change the others.

use std::collections::{BTreeMap, HashSet};

use crate::findings::{Finding, Safety, TextEdit};
use crate::ir::Span;
use crate::source::{FileId, SourceFile};

/// What one pass applies.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The new text of each file that changed.
    pub texts: BTreeMap<FileId, String>,
    /// The fixes applied, as (finding index, where its edits are in the new texts).
    pub applied: Vec<(usize, Vec<Span>)>,
    /// Fixes not applied, with why (waiting for another pass is not among them).
    pub declined: Vec<(usize, String)>,
}

/// Which findings' fixes are candidates: planned, safe (or unsafe ones allowed), not skipped.
pub fn apply(
    findings: &[Finding],
    files: &[SourceFile],
    unsafe_fixes: bool,
    skip: &HashSet<usize>,
) -> Outcome {
    let mut out = Outcome::default();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let Some(fix) = &f.fix else { continue };
        if skip.contains(&i) {
            continue;
        }
        match (&fix.planned, fix.safety) {
            (Some(Err(why)), _) => out.declined.push((i, why.clone())),
            (Some(Ok(_)), Safety::Unsafe(why)) if !unsafe_fixes => out.declined.push((
                i,
                format!("the fix is unsafe ({why}); --unsafe-fixes applies it"),
            )),
            (Some(Ok(p)), _) => {
                if let Some(file) = p.edits.iter().find_map(|e| {
                    files
                        .get(e.span.file)
                        .filter(|f| f.encoding != crate::source::Encoding::Utf8)
                }) {
                    out.declined.push((
                        i,
                        format!(
                            "`{}` is UTF-16, which batchguard does not rewrite",
                            file.rel
                        ),
                    ));
                } else {
                    candidates.push(i);
                }
            }
            (None, _) => {}
        }
    }
    let edits = |i: usize| -> &[TextEdit] {
        findings[i]
            .fix
            .as_ref()
            .and_then(|f| f.text_edits())
            .map_or(&[], |p| p.edits.as_slice())
    };
    // Definitions: every use fixed by the same edit, until no candidate is dropped.
    loop {
        let mut covered: BTreeMap<(Span, &str), HashSet<Span>> = BTreeMap::new();
        for &i in &candidates {
            for e in edits(i) {
                if let Some(at) = e.used_at {
                    covered.entry((e.span, &e.text)).or_default().insert(at);
                }
            }
        }
        let before = candidates.len();
        candidates.retain(|&i| {
            let short = edits(i).iter().find(|e| {
                !e.uses.is_empty()
                    && covered
                        .get(&(e.span, e.text.as_str()))
                        .is_none_or(|c| e.uses.iter().any(|u| !c.contains(u)))
            });
            if let Some(e) = short {
                let note = findings[i]
                    .fix
                    .as_ref()
                    .and_then(|f| f.text_edits())
                    .and_then(|p| p.note.clone())
                    .unwrap_or_else(|| "the fix edits a definition".into());
                let others = e.uses.len().saturating_sub(1);
                out.declined.push((
                    i,
                    format!(
                        "the fix {note}, which {others} other place{} also use{} and this run \
                         does not fix the same way; change it by hand",
                        if others == 1 { "" } else { "s" },
                        if others == 1 { "s" } else { "" },
                    ),
                ));
            }
            short.is_none()
        });
        if candidates.len() == before {
            break;
        }
    }
    // Conflicts: first come, first applied.
    let mut chosen: Vec<(usize, &TextEdit)> = Vec::new();
    let mut seen: HashSet<(Span, &str)> = HashSet::new();
    let mut fixes: Vec<usize> = Vec::new();
    for &i in &candidates {
        let mine = edits(i);
        let clash = mine.iter().any(|e| {
            !seen.contains(&(e.span, e.text.as_str())) && chosen.iter().any(|(_, c)| overlaps(c, e))
        });
        if clash {
            continue;
        }
        for e in mine {
            if seen.insert((e.span, e.text.as_str())) {
                chosen.push((i, e));
            }
        }
        fixes.push(i);
    }
    // The new texts, and where each edit landed.
    let mut landed: Vec<(usize, Span)> = Vec::new();
    let mut by_file: BTreeMap<FileId, Vec<(usize, &TextEdit)>> = BTreeMap::new();
    for &(i, e) in &chosen {
        by_file.entry(e.span.file).or_default().push((i, e));
    }
    for (file, mut list) in by_file {
        let Some(source) = files.get(file) else {
            continue;
        };
        let text = &source.text;
        // Stable: insertions at one place keep the order their fixes came in.
        list.sort_by_key(|(_, e)| (e.span.start, e.span.end));
        let mut new = String::with_capacity(text.len());
        let mut at = 0;
        for (i, e) in list {
            let start = e.span.start.clamp(at, text.len());
            new.push_str(&text[at..start]);
            let landed_at = new.len();
            new.push_str(&e.text);
            landed.push((i, Span::new(file, landed_at, new.len())));
            at = e.span.end.clamp(start, text.len());
        }
        new.push_str(&text[at..]);
        out.texts.insert(file, new);
    }
    for i in fixes {
        let spans = landed
            .iter()
            .filter(|(j, _)| *j == i)
            .map(|(_, s)| *s)
            .collect();
        out.applied.push((i, spans));
    }
    out
}

/// Do two edits touch the same text? Two insertions at one place do too: each may add the same
/// missing object, so the second waits for the next pass, which sees the first.
fn overlaps(a: &TextEdit, b: &TextEdit) -> bool {
    if a.span.file != b.span.file {
        return false;
    }
    let (a, b) = (a.span, b.span);
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    if a.start == a.end {
        return b.start < a.start && a.start < b.end;
    }
    if b.start == b.end {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize) -> TextEdit {
        TextEdit {
            span: Span::new(0, start, end),
            text: "x".into(),
            uses: Vec::new(),
            used_at: None,
        }
    }

    #[test]
    fn edits_overlap_where_they_share_text() {
        assert!(overlaps(&edit(1, 5), &edit(4, 8)));
        assert!(!overlaps(&edit(1, 5), &edit(5, 8)));
        assert!(overlaps(&edit(3, 3), &edit(3, 3)));
        assert!(!overlaps(&edit(3, 3), &edit(4, 4)));
        assert!(overlaps(&edit(3, 3), &edit(1, 5)));
        assert!(!overlaps(&edit(5, 5), &edit(1, 5)));
    }
}
