//! Code actions: a quick fix for each fixable finding under the cursor (its planned edits, made
//! by the scan), a suppression comment for each finding, and the source action that fixes every
//! finding of the file (through the `batchguard.fixAll` command, which runs `scan --fix` on the
//! folder with the open buffers and sends the result as a `workspace/applyEdit`).
//!
//! Edits are `WorkspaceEdit`s in UTF-16 positions of the text the analysis read; edits of an open
//! document carry the version that analysis saw, so an editor whose buffer moved on since refuses
//! them rather than applying them at the wrong place.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeActionOrCommand, Command, Diagnostic,
    DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range,
    TextDocumentEdit, TextEdit as LspEdit, Uri, WorkspaceEdit,
};

use crate::findings::{Finding, Safety, TextEdit};
use crate::fix::apply;
use crate::scan::ScanOutput;
use crate::source::SourceFile;

/// The command of the source action "fix all batchguard findings in this file"; its argument
/// is the document's URI.
pub const FIX_ALL: &str = "batchguard.fixAll";
/// The kind of that source action (`editor.codeActionsOnSave` in VS Code names it).
pub const FIX_ALL_KIND: &str = "source.fixAll.batchguard";
/// The reason a suppression added from the editor starts with: empty, so that batchguard asks
/// for one until it is written.
const REASON: &str = "";

/// What the client can take.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caps {
    /// Versioned `documentChanges` rather than a plain `changes` map.
    pub document_changes: bool,
    /// Code actions shown greyed out with the reason they cannot be applied.
    pub disabled: bool,
    /// Hover text in Markdown.
    pub markdown: bool,
}

/// How edits name the files they change: the URI and version of an open document (the version
/// the analysis read), or the file's `file:` URI.
pub trait Target {
    fn target(&self, path: &Path) -> Option<(Uri, Option<i32>)>;
}

/// The 0-based UTF-16 position of a byte offset in `text`, lines ending at `\n`, `\r\n` or `\r`
/// (as the protocol counts them); a byte-order mark the editor shows counts on the first line.
pub fn position(text: &str, offset: usize, bom: bool) -> Position {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let bytes = text.as_bytes();
    let mut line = 0u32;
    let mut start = 0;
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'\n' => {
                line += 1;
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let column: usize = text[start..offset].chars().map(char::len_utf16).sum();
    Position {
        line,
        character: column as u32 + u32::from(bom && line == 0),
    }
}

/// The exact range of a byte span of a file: the whole span, line breaks included.
pub fn exact_range(file: &SourceFile, span: crate::ir::Span) -> Range {
    Range {
        start: position(&file.text, span.start, file.had_bom),
        end: position(&file.text, span.end.max(span.start), file.had_bom),
    }
}

/// One file's edits as a workspace edit, `(path, text before, edits as LSP edits)` per file.
pub fn workspace_edit(
    files: Vec<(PathBuf, Vec<LspEdit>)>,
    target: &dyn Target,
    caps: Caps,
) -> Option<WorkspaceEdit> {
    let mut named: Vec<(Uri, Option<i32>, Vec<LspEdit>)> = Vec::new();
    for (path, edits) in files {
        if edits.is_empty() {
            continue;
        }
        let (uri, version) = target.target(&path)?;
        named.push((uri, version, edits));
    }
    if named.is_empty() {
        return None;
    }
    if caps.document_changes {
        let edits = named
            .into_iter()
            .map(|(uri, version, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
            .collect();
        Some(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(edits)),
            ..WorkspaceEdit::default()
        })
    } else {
        // `Uri` caches its parsed parts, which clippy reads as a mutable key; it never changes
        // once made.
        #[allow(clippy::mutable_key_type)]
        let changes = named
            .into_iter()
            .map(|(uri, _, edits)| (uri, edits))
            .collect();
        Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        })
    }
}

/// The planned edits of the scan as LSP edits, by file, in text order, each edit once.
fn lsp_edits<'e>(
    out: &ScanOutput,
    edits: impl IntoIterator<Item = &'e TextEdit>,
) -> Vec<(PathBuf, Vec<LspEdit>)> {
    let mut by_file: BTreeMap<usize, Vec<&TextEdit>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for e in edits {
        if seen.insert((e.span, e.text.as_str())) {
            by_file.entry(e.span.file).or_default().push(e);
        }
    }
    by_file
        .into_iter()
        .filter_map(|(id, mut list)| {
            let file = out.files.get(id)?;
            list.sort_by_key(|e| (e.span.start, e.span.end));
            let edits = list
                .into_iter()
                .map(|e| LspEdit {
                    range: exact_range(file, e.span),
                    new_text: e.text.clone(),
                })
                .collect();
            Some((file.path.clone(), edits))
        })
        .collect()
}

/// Does a code action of `kind` answer a request that asked only for `only`?
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|list| {
        list.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

/// The code actions for `range` of the document `file`: a quick fix and a suppression for each
/// finding there (`diagnostic` makes the diagnostic each answers), then "fix all" when the file
/// has a safe fix.
#[allow(clippy::too_many_arguments)]
pub fn code_actions(
    out: &ScanOutput,
    file: &SourceFile,
    uri: &Uri,
    range: Range,
    only: Option<&[CodeActionKind]>,
    diagnostic: &dyn Fn(&Finding) -> Diagnostic,
    target: &dyn Target,
    caps: Caps,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let here = |f: &Finding| {
        let r = crate::lsp::lsp_range(file, f.span);
        f.span.file == file.id
            && f.suppression.is_none()
            && r.start <= range.end
            && range.start <= r.end
    };
    for (i, _) in out.findings.iter().enumerate().filter(|(_, f)| here(f)) {
        if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
            if let Some(action) = quick_fix(out, i, diagnostic, target, caps) {
                actions.push(CodeActionOrCommand::CodeAction(action));
            }
        }
    }
    // Suppressions after the fixes: one per rule and line.
    let mut suppressed: HashSet<(&str, usize)> = HashSet::new();
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for f in out.findings.iter().filter(|f| here(f)) {
            let line = crate::fix::line_start(&file.text, f.span.start);
            if !suppressed.insert((f.rule, line)) {
                continue;
            }
            let edit = crate::fix::suppression(file, f.span.start, &[f.rule], REASON, None);
            let title = if edit.text.starts_with(',') {
                format!(
                    "Suppress {} here: add it to the suppression on the line above",
                    f.rule
                )
            } else {
                format!(
                    "Suppress {} on this line (a comment; write its reason)",
                    f.rule
                )
            };
            let Some(edit) = workspace_edit(lsp_edits(out, [&edit]), target, caps) else {
                continue;
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(f)]),
                edit: Some(edit),
                is_preferred: Some(false),
                ..CodeAction::default()
            }));
        }
    }
    let fixable = out.findings.iter().any(|f| {
        f.span.file == file.id
            && f.suppression.is_none()
            && f.fix
                .as_ref()
                .is_some_and(|x| x.text_edits().is_some() && x.safety == Safety::Safe)
    });
    if fixable && wanted(only, FIX_ALL_KIND) {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Fix all batchguard findings in this file".into(),
            kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
            command: Some(fix_all_command(uri)),
            ..CodeAction::default()
        }));
    }
    actions
}

/// The command that fixes every finding of a document.
pub fn fix_all_command(uri: &Uri) -> Command {
    Command {
        title: "Fix all batchguard findings in this file".into(),
        command: FIX_ALL.into(),
        arguments: Some(vec![serde_json::json!(uri.as_str())]),
    }
}

/// The quick fix of finding `i`: its planned edits when they can be applied on their own; greyed
/// out with the reason when they cannot (and the client shows such actions).
fn quick_fix(
    out: &ScanOutput,
    i: usize,
    diagnostic: &dyn Fn(&Finding) -> Diagnostic,
    target: &dyn Target,
    caps: Caps,
) -> Option<CodeAction> {
    let f = &out.findings[i];
    let fix = f.fix.as_ref()?;
    let planned = fix.planned.as_ref()?;
    let disabled = |reason: String| {
        caps.disabled.then(|| CodeAction {
            title: format!("Fix {}", f.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic(f)]),
            disabled: Some(CodeActionDisabled { reason }),
            ..CodeAction::default()
        })
    };
    let p = match planned {
        Ok(p) => p,
        Err(why) => return disabled(format!("no automatic fix: {why}")),
    };
    // The same choice `scan --fix` makes, with this fix alone.
    let others: HashSet<usize> = (0..out.findings.len()).filter(|&j| j != i).collect();
    let chosen = apply::apply(&out.findings, &out.files, true, &others);
    if chosen.applied.is_empty() {
        let why = chosen
            .declined
            .into_iter()
            .next()
            .map_or_else(|| "the fix cannot be applied".to_string(), |(_, w)| w);
        return disabled(why);
    }
    let mut title = format!("Fix {}: {}", f.rule, p.title);
    if let Some(note) = &p.note {
        title.push_str(&format!(" ({note})"));
    }
    if let Safety::Unsafe(why) = fix.safety {
        title.push_str(&format!(" [unsafe: {why}]"));
    }
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(f)]),
        edit: Some(workspace_edit(lsp_edits(out, &p.edits), target, caps)?),
        is_preferred: Some(fix.safety == Safety::Safe),
        ..CodeAction::default()
    })
}

/// The edits that turn `before` into `after`, one per changed run of lines, in positions of
/// `before`.
pub fn diff_edits(before: &str, after: &str, bom: bool) -> Vec<LspEdit> {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    let mut starts = Vec::with_capacity(old.len() + 1);
    let mut at = 0;
    for line in &old {
        starts.push(at);
        at += line.len();
    }
    starts.push(at);
    let mut edits = Vec::new();
    for op in ops {
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let text: String = new[n].concat();
        edits.push(LspEdit {
            range: Range {
                start: position(before, starts[o.start], bom),
                end: position(before, starts[o.end], bom),
            },
            new_text: text,
        });
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_every_line_break_and_the_bom() {
        let text = "a𝄞b\r\nc\rd\ne";
        assert_eq!(position(text, 0, false), Position::new(0, 0));
        assert_eq!(position(text, 5, false), Position::new(0, 3));
        assert_eq!(position(text, 6, true), Position::new(0, 5));
        assert_eq!(position(text, 8, false), Position::new(1, 0));
        assert_eq!(position(text, 10, false), Position::new(2, 0));
        assert_eq!(position(text, 12, false), Position::new(3, 0));
        assert_eq!(position(text, 99, false), Position::new(3, 1));
        assert_eq!(position(text, 9, true), Position::new(1, 1));
    }

    #[test]
    fn a_diff_becomes_the_edits_of_its_changed_lines() {
        let before = "a\nb\nc\nd\n";
        let after = "a\nB\nc\nd\ne\n";
        let edits = diff_edits(before, after, false);
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(1, 0), Position::new(2, 0))
        );
        assert_eq!(edits[0].new_text, "B\n");
        assert_eq!(
            edits[1].range,
            Range::new(Position::new(4, 0), Position::new(4, 0))
        );
        assert_eq!(edits[1].new_text, "e\n");
    }

    #[test]
    fn only_filters_by_kind_prefix() {
        assert!(wanted(None, "quickfix"));
        let source = [CodeActionKind::SOURCE];
        assert!(wanted(Some(&source), FIX_ALL_KIND));
        assert!(!wanted(Some(&source), "quickfix"));
        let all = [CodeActionKind::SOURCE_FIX_ALL];
        assert!(wanted(Some(&all), FIX_ALL_KIND));
    }
}
