//! Bicep front-end: reads `.bicep` templates and `.bicepparam` parameter files into the same IR
//! as ARM JSON, as the template Bicep compiles to, with every value's span in the `.bicep` text.
//!
//! Parsing is `tree-sitter-bicep` (the tree-sitter-grammars organisation's grammar, which follows
//! the language's current syntax and recovers from errors with a located `ERROR` node). Lowering
//! writes what Bicep's compiler writes: `param` as `parameters` (the default as `defaultValue`),
//! `var` as `variables`, each `resource` as a resource object (type and API version split from
//! the type string, `if` as `condition`, a `for` loop as `copy`, nested `resource` declarations as
//! nested `resources`, `parent:` as the full type and a `parent/child` name), a `for` expression
//! in a property as a property copy loop, and every expression as the ARM expression it compiles
//! to: identifiers as `parameters()`/`variables()`, symbolic references as `resourceId()` (`.id`),
//! their name (`.name`) or `reference()` (what the deployment knows only), interpolation as
//! `format()`, operators as their functions. `existing` resources are not deployed: they are
//! names for references only. A local `module` is a nested deployment whose template is the
//! module file's, joined by evaluation (`properties.templateLink.relativePath` names it);
//! registry and template-spec modules (`br:`, `ts:`) are not read, with a note.
//!
//! What has no ARM equivalent that evaluation knows (`import`ed values, file loading) stays
//! Unknown: a property whose value is not known is never reported.

use std::collections::HashMap;

use crate::ir::{DocKind, Document, Member, Node, Notice, Reference, Span, Unknown, Value};
use crate::source::{FileId, SourceFile};

/// Deepest nesting lowered; deeper values are Unknown (tree-sitter itself parses without
/// recursion, lowering recurses).
const MAX_DEPTH: usize = 128;

/// The member of a parameters document that names the template a `.bicepparam` file is for (its
/// `using` path, as written).
pub const USING: &str = "$using";

/// The member of a module's deployment that names the module file (relative to the calling
/// file), as ARM's own `templateLink.relativePath` does.
pub const MODULE_PATH: [&str; 3] = ["properties", "templateLink", "relativePath"];

pub use crate::ir::MODULE_SYMBOL;

type TsNode<'t> = tree_sitter::Node<'t>;

/// Time the parser may take on one file, over every round of [`parse_tolerant`]: a floor and
/// an amount per KiB. With the grammar's scanner guarded ([`language`]), parsing is linear, well
/// formed or not (400 KB of broken declarations in 1.5 s; real modules a few milliseconds per
/// 10 KB), far below the bound; it stays, on time since tree-sitter's work counter does not
/// count the lexer's work, for text that would still make the parser's error recovery explode.
const PARSE_FLOOR: std::time::Duration = std::time::Duration::from_millis(1000);
const PARSE_PER_KIB: std::time::Duration = std::time::Duration::from_millis(2);

/// Why a parse gave no tree.
enum ParseFailure {
    /// The parser stopped at the time bound.
    TooMuchWork,
    Failed,
}

fn parse_until(
    text: &str,
    deadline: std::time::Instant,
) -> Result<tree_sitter::Tree, ParseFailure> {
    parse_with(&mut parser()?, text, deadline)
}

fn parser() -> Result<tree_sitter::Parser, ParseFailure> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&language())
        .map_err(|_| ParseFailure::Failed)?;
    Ok(parser)
}

/// The Bicep grammar, its external scanner guarded so that parsing stays linear
/// (`src/frontend/bicep_scanner.c`); the grammar as it is if the guard does not know it.
pub fn language() -> tree_sitter::Language {
    extern "C" {
        fn batchguard_bicep_guard(grammar: *const std::ffi::c_void) -> std::ffi::c_int;
        fn batchguard_bicep_language() -> *const ();
    }
    static GUARDED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let grammar = tree_sitter_bicep::LANGUAGE;
    // SAFETY: the grammar's language function returns its static language; the guard copies
    // it once, before any parser uses the copy, and the copy lives as long as the process.
    let guarded = *GUARDED
        .get_or_init(|| unsafe { batchguard_bicep_guard(grammar.into_raw()().cast()) != 0 });
    if guarded {
        // SAFETY: the copy is a language as the grammar's function returns one.
        unsafe { tree_sitter_language::LanguageFn::from_raw(batchguard_bicep_language) }.into()
    } else {
        grammar.into()
    }
}

fn parse_with(
    parser: &mut tree_sitter::Parser,
    text: &str,
    deadline: std::time::Instant,
) -> Result<tree_sitter::Tree, ParseFailure> {
    let mut stopped = false;
    let mut progress = |_: &tree_sitter::ParseState| {
        stopped = std::time::Instant::now() > deadline;
        stopped
    };
    let bytes = text.as_bytes();
    let mut input =
        |offset: usize, _: tree_sitter::Point| -> &[u8] { bytes.get(offset..).unwrap_or(&[]) };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let tree = parser.parse_with_options(&mut input, None, Some(options));
    match tree {
        Some(t) => Ok(t),
        None if stopped => Err(ParseFailure::TooMuchWork),
        None => Err(ParseFailure::Failed),
    }
}

/// The deadline of parsing `text`.
fn deadline(text: &str) -> std::time::Instant {
    let kib = u32::try_from(text.len() / 1024).unwrap_or(u32::MAX);
    std::time::Instant::now() + PARSE_FLOOR + PARSE_PER_KIB.saturating_mul(kib)
}

fn parse(text: &str) -> Result<tree_sitter::Tree, ParseFailure> {
    parse_until(text, deadline(text))
}

fn parse_failure(f: ParseFailure, what: &str) -> (usize, usize, String) {
    match f {
        // At the start of the file: where the parser was when time ran out depends on the
        // machine, and the same input must give the same report.
        ParseFailure::TooMuchWork => (
            0,
            0,
            format!(
                "batchguard stopped reading this {what}: recovering from its syntax errors takes \
                 the parser longer than the file's size allows; fix the syntax errors from the \
                 first"
            ),
        ),
        ParseFailure::Failed => (0, 0, format!("batchguard could not parse this {what}")),
    }
}

/// Where a single-quoted string opens and is not closed on its line (outside `//` comments and
/// `'''` strings), in `text`.
fn open_string(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.contains("\'\'\'") {
            let mut open = None;
            let mut escaped = false;
            let bytes = line.as_bytes();
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'/' if open.is_none() && bytes.get(i + 1) == Some(&b'/') => break,
                    b'\\' if open.is_some() => {
                        escaped = !escaped;
                        continue;
                    }
                    b'\'' if !escaped => open = if open.is_some() { None } else { Some(i) },
                    _ => {}
                }
                escaped = false;
            }
            if let Some(i) = open {
                return Some(offset + i);
            }
        }
        offset += line.len();
    }
    None
}

/// The first syntax error of a tree: its span and a sentence.
fn syntax_error(root: TsNode, text: &str) -> Option<(usize, usize, String)> {
    let n = *all_errors(root).first()?;
    if n.is_missing() {
        let at = n.start_byte();
        return Some((
            at,
            at,
            format!("invalid Bicep: `{}` is missing here", n.kind()),
        ));
    }
    let (start, end) = (n.start_byte(), n.end_byte());
    // Recovery often swallows much text after a string left open: point at it.
    if let Some(at) = open_string(&text[start..end]) {
        return Some((
            start + at,
            start + at + 1,
            "invalid Bicep: this string is not closed on its line".into(),
        ));
    }
    let shown: String = text[start..end]
        .chars()
        .take(40)
        .collect::<String>()
        .replace(['\n', '\r'], " ");
    Some((
        start,
        end.min(start + 40),
        format!(
            "invalid Bicep near `{}`: batchguard cannot read this syntax (a newer \
             Bicep feature, or a mistake)",
            shown.trim()
        ),
    ))
}

fn error_doc(file: FileId, kind: DocKind, start: usize, end: usize, message: String) -> Document {
    Document {
        file,
        kind,
        resources: Vec::new(),
        notices: vec![Notice {
            level: crate::ir::NoticeLevel::Error,
            message,
            span: Span::new(file, start, end),
        }],
        root: None,
    }
}

/// Reads a `.bicep` file: an ARM template document whose root is the template Bicep compiles
/// to, or, for a file that does not parse, a document with no resources and an error at the
/// first syntax error.
///
/// Syntax the grammar does not know yet in what only shapes types (a parameter's or output's
/// type such as `resourceInput<'…'>.properties.x`, `type` and `func` declarations, `import`
/// lists) is blanked out before lowering: types never change a value, and imported names are
/// Unknown anyway. Other newer syntax is rewritten as [`parse_tolerant`] says. The text keeps its
/// length, so every span stays exact, and strings are read from the text as written.
pub fn load(file: &SourceFile) -> Document {
    let text = file.text.as_str();
    if let Some(doc) = too_dense(file, DocKind::ArmTemplate) {
        return doc;
    }
    let (tree, source) = match parse_tolerant(text) {
        Ok(parsed) => parsed,
        Err((start, end, message)) => {
            return error_doc(file.id, DocKind::ArmTemplate, start, end, message)
        }
    };
    let rejoined = Rejoined::of(&tree, &source);
    let mut lower = Lower::new(file.id, &source, text, &rejoined);
    let root = lower.template(tree.root_node());
    Document {
        file: file.id,
        kind: DocKind::ArmTemplate,
        resources: Vec::new(),
        notices: lower.notices,
        root: Some(root),
    }
}

/// A file past the token budget (D40, D41), refused with an error where it passes it.
fn too_dense(file: &SourceFile, kind: DocKind) -> Option<Document> {
    let at = super::budget::bicep_tokens(&file.text, super::budget::BICEP_TOKENS).err()?;
    Some(error_doc(
        file.id,
        kind,
        at,
        at + 1,
        format!(
            "this Bicep file holds more than {} tokens, more than batchguard reads in one file \
             within its memory bound; split it into modules",
            super::arm::thousands(super::budget::BICEP_TOKENS)
        ),
    ))
}

/// Most rounds of blanking out type syntax the grammar does not read, and most bytes parsed
/// over all rounds: each round reparses the file.
const MAX_ROUNDS: usize = 256;
const MAX_REPARSED_BYTES: usize = 64 << 20;

/// Parses `text`, blanking out type-only syntax that does not parse ([`load`]); the tree and
/// the text it was parsed from (of the same length as `text`), or the first syntax error
/// elsewhere.
///
/// Newer syntax the grammar reads as errors that its recovery spreads over the declarations
/// around them is rewritten before parsing, always: typed variables, `resourceInput` and
/// nullable named types ([`newer_types_blanked`]), `//` in strings
/// ([`string_slashes_replaced`]), objects' and arrays' spread items ([`spreads_marked`]) and
/// non-null assertions ([`assertions_blanked`]); and only when the file does not parse otherwise: `type` and
/// `import` declarations and multi-line variable types ([`declarations_blanked`]), interpolated
/// multi-line strings ([`interpolated_verbatim_unknown`]) and line breaks inside parentheses ([`paren_lines_joined`]). The error of a file that parses neither
/// way is the first way's.
#[allow(clippy::type_complexity)]
fn parse_tolerant(text: &str) -> Result<(tree_sitter::Tree, String), (usize, usize, String)> {
    let until = deadline(text);
    let mut source = newer_types_blanked(text);
    string_slashes_replaced(&mut source);
    spreads_marked(&mut source);
    assertions_blanked(&mut source);
    let result = parse_rounds(source.clone(), text, until);
    if result.is_ok() {
        return result;
    }
    let mut rewritten = source;
    declarations_blanked(&mut rewritten);
    interpolated_verbatim_unknown(&mut rewritten);
    paren_lines_joined(&mut rewritten);
    parse_rounds(rewritten, text, until).or(result)
}

/// Parses `source`, blanking out type-only syntax that does not parse, round after round.
#[allow(clippy::type_complexity)]
fn parse_rounds(
    mut source: String,
    original: &str,
    until: std::time::Instant,
) -> Result<(tree_sitter::Tree, String), (usize, usize, String)> {
    let rounds = MAX_ROUNDS.min(1 + MAX_REPARSED_BYTES / source.len().max(1));
    let mut last = None;
    for _ in 0..rounds {
        let tree = parse_until(&source, until).map_err(|f| parse_failure(f, "Bicep file"))?;
        let misread = misread_conditions(tree.root_node());
        if !misread.is_empty() {
            ascii_overwritten(&mut source, &misread, b" ");
            continue;
        }
        let errors = all_errors(tree.root_node());
        if errors.is_empty() {
            return Ok((tree, source));
        }
        // Every error that can be put aside, in one round; the first that cannot stops.
        let mut fixes = Vec::new();
        for e in &errors {
            match tolerable(*e, &source) {
                Some(fix) => fixes.push(fix),
                None if fixes.is_empty() => {
                    let (start, end, message) =
                        syntax_error(tree.root_node(), original).unwrap_or((0, 0, String::new()));
                    return Err((start, end, message));
                }
                None => break,
            }
        }
        last = syntax_error(tree.root_node(), original);
        // In text order, into a new text; a range that overlaps one already put aside waits
        // for the next round.
        fixes.sort_by_key(|f| f.start());
        let mut next = String::with_capacity(source.len());
        let mut done = 0;
        for fix in fixes {
            if fix.start() < done {
                continue;
            }
            next.push_str(&source[done..fix.start()]);
            let mut piece = source[fix.start()..fix.end()].to_string();
            let len = piece.len();
            match fix {
                Fix::Blank(_, _, as_object) => blank(&mut piece, 0, len, as_object),
                Fix::Unknown(_, _) => unknown_value(&mut piece, 0, len),
            }
            next.push_str(&piece);
            done = fix.end();
        }
        next.push_str(&source[done..]);
        source = next;
    }
    let (start, end, message) = last.unwrap_or((
        0,
        0,
        "invalid Bicep: batchguard cannot read this syntax".to_string(),
    ));
    Err((start, end, message))
}

/// The parentheses around the condition of each conditional that the grammar read as a
/// nullable type: `(enabled)\n  ? a\n  : b`, written over several lines, is read as the type
/// `(enabled)?` followed by a member `a: b` of the object around it. A type is never a value, so
/// such a type in a resource, module or variable, or after the `=` of a parameter or output, is a
/// condition; without its parentheses (around a name or literal, which a type can be) it reads as
/// one.
fn misread_conditions(root: TsNode) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    let mut cursor = root.walk();
    while let Some(n) = stack.pop() {
        if n.kind() == "type_declaration" {
            continue;
        }
        if n.kind() == "nullable_type" && in_value(n) {
            if let Some(p) = n
                .named_child(0)
                .filter(|p| p.kind() == "parenthesized_type")
            {
                let inner = p.child(0).zip(p.child(p.child_count().saturating_sub(1)));
                if let Some((open, close)) =
                    inner.filter(|(o, c)| o.kind() == "(" && c.kind() == ")")
                {
                    out.push(open.start_byte());
                    out.push(close.start_byte());
                    continue;
                }
            }
        }
        stack.extend(n.children(&mut cursor));
    }
    out.sort_unstable();
    out
}

/// Is `n` where a value is written: in a resource, module or variable declaration, or after the
/// `=` of a parameter or output?
fn in_value(n: TsNode) -> bool {
    let mut at = n;
    while let Some(p) = at.parent() {
        match p.kind() {
            "resource_declaration" | "module_declaration" | "variable_declaration" => return true,
            "parameter_declaration" | "output_declaration" => {
                return value_after_equals(p).is_some_and(|v| v.start_byte() <= n.start_byte());
            }
            "type_declaration" | "user_defined_function" => return false,
            _ => at = p,
        }
    }
    false
}

/// The outermost `ERROR` and missing nodes, in text order.
fn all_errors(root: TsNode) -> Vec<TsNode> {
    let mut out = Vec::new();
    if !root.has_error() {
        return out;
    }
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.is_error() || n.is_missing() {
            out.push(n);
            continue;
        }
        if !n.has_error() {
            continue;
        }
        let children: Vec<TsNode> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// How a syntax error is put aside.
#[derive(Clone, Copy)]
enum Fix {
    /// Type-only syntax: blanked out (as `object` when it is a type annotation).
    Blank(usize, usize, bool),
    /// A value the grammar cannot read (a lambda, newer operators): made an unknown name, so
    /// that the property or variable holding it is Unknown and the rest of the file is read.
    Unknown(usize, usize),
}

impl Fix {
    fn start(self) -> usize {
        match self {
            Fix::Blank(s, _, _) | Fix::Unknown(s, _) => s,
        }
    }
    fn end(self) -> usize {
        match self {
            Fix::Blank(_, e, _) | Fix::Unknown(_, e) => e,
        }
    }
}

/// Longest ARM expression a call of a user-defined function becomes; a longer one is unknown.
const MAX_INLINED: usize = 64 << 10;

/// The name a value the grammar cannot read becomes: declared nowhere, so Unknown.
const UNKNOWN_NAME: &str = "__bg_unknown";

/// How to put aside a syntax error, when it can be: in type-only syntax, a postfix `!` (a
/// non-null assertion, which changes no value), or inside the value of a variable, parameter
/// default, output or property.
fn tolerable(error: TsNode, source: &str) -> Option<Fix> {
    let text = &source[error.byte_range()];
    if text == "!" && error.start_byte() > 0 {
        let before = source.as_bytes()[error.start_byte() - 1];
        if before.is_ascii_alphanumeric() || matches!(before, b')' | b']' | b'_' | b'\'') {
            return Some(Fix::Blank(error.start_byte(), error.end_byte(), false));
        }
    }
    if let Some((start, end, as_object)) = type_only(error) {
        return Some(Fix::Blank(start, end, as_object));
    }
    // An error that starts a statement (at the start of its line) the grammar does not read;
    // recovery may have put it inside the statement before.
    let line_start = source[..error.start_byte()]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if error.is_error() && source[line_start..error.start_byte()].trim().is_empty() {
        let t = text.trim_start();
        // A variable or output whose value the grammar cannot read: left out, so that what
        // uses it is Unknown.
        let type_only = [
            "import",
            "type ",
            "func ",
            "@export",
            "@sealed",
            "@discriminator",
            "metadata ",
            "extension ",
            "var ",
            "output ",
        ];
        if type_only.iter().any(|k| t.starts_with(k)) {
            return Some(Fix::Blank(error.start_byte(), error.end_byte(), false));
        }
    }
    // The value that holds the error.
    let mut n = error;
    while let Some(p) = n.parent() {
        let holder = matches!(
            p.kind(),
            "object_property"
                | "variable_declaration"
                | "parameter_declaration"
                | "output_declaration"
        );
        if holder {
            let value = if p.kind() == "object_property" {
                named_children(p).into_iter().nth(1)
            } else {
                value_after_equals(p)
            }?;
            if value.end_byte() - value.start_byte() >= UNKNOWN_NAME.len()
                && value.start_byte() <= error.start_byte()
                && error.end_byte() <= p.end_byte()
            {
                return Some(Fix::Unknown(
                    value.start_byte(),
                    p.end_byte().max(error.end_byte()),
                ));
            }
            return None;
        }
        n = p;
    }
    None
}

/// `text` with the type annotations of two newer declaration forms blanked out ([`blank`], the
/// length kept), which the grammar reads as errors that recovery spreads over the declarations
/// around them:
/// - a variable's type (`var enabled bool = false`, `var names string[] = […]`);
/// - a parameter's or output's `resourceInput<'…'>` or `resourceOutput<'…'>` type with the
///   property path after it (`param config resourceInput<'Microsoft.Web/sites@…'>.properties.siteConfig = {…}`),
///   written as `object` (`object?` when nullable);
/// - a parameter's nullable user-defined type (`param lock lockType?`), written as `object?`:
///   the grammar reads the declaration after it into the parameter.
///
/// Types never change a value. Lines inside a `'''` string are text and stay as they are.
fn newer_types_blanked(text: &str) -> String {
    let mut out = text.to_string();
    let mut in_verbatim = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let inside = in_verbatim;
        if line.matches("'''").count() % 2 == 1 {
            in_verbatim = !in_verbatim;
        }
        if inside {
            continue;
        }
        let Some((keyword, type_at)) = declared_type_at(line) else {
            continue;
        };
        let rest = &line[type_at..];
        let end = if keyword == "var" {
            // The type ends at the `=` of the declaration, on its line.
            match top_level_equals(rest) {
                Some(eq) if !rest[..eq].trim().is_empty() => type_at + rest[..eq].trim_end().len(),
                _ => continue,
            }
        } else if let Some(len) = resource_type_len(rest).or_else(|| nullable_named_type_len(rest))
        {
            type_at + len
        } else {
            continue;
        };
        blank(&mut out, start + type_at, start + end, keyword != "var");
    }
    out
}

/// For a line declaring a variable, parameter or output (`var NAME …`), its keyword and where
/// the text after the name starts (spaces skipped).
fn declared_type_at(line: &str) -> Option<(&'static str, usize)> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let keyword = ["var", "param", "output"].into_iter().find(|k| {
        rest.strip_prefix(k)
            .is_some_and(|r| r.starts_with([' ', '\t']))
    })?;
    let after = &rest[keyword.len()..];
    let name_at = after.len() - after.trim_start().len();
    let name_len = after[name_at..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if name_len == 0 {
        return None;
    }
    let tail = &after[name_at + name_len..];
    let spaces = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    if spaces == 0 {
        return None;
    }
    Some((
        keyword,
        indent + keyword.len() + name_at + name_len + spaces,
    ))
}

/// The byte offset of the first `=` of `text` outside strings and brackets that is not part of
/// `==`, `!=`, `<=`, `>=` or `=~`; none after a `//` comment starts.
fn top_level_equals(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut quoted) = (0i32, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            _ if quoted => {}
            b'(' | b'[' | b'{' | b'<' => depth += 1,
            b')' | b']' | b'}' | b'>' => depth -= 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => return None,
            b'=' if depth == 0 => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + 1).copied();
                let operator = matches!(before, Some(b'=' | b'!' | b'<' | b'>'))
                    || matches!(after, Some(b'=' | b'~'));
                if !operator {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The length of a nullable user-defined type (`lockType?`) at the start of `text` when nothing
/// but a comment follows it on its line: the grammar reads such a type, then the declaration
/// after it (a resource, a module), as one broken parameter.
fn nullable_named_type_len(text: &str) -> Option<usize> {
    let name = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let primitive = ["string", "int", "bool", "object", "array", "any"]
        .iter()
        .any(|p| text[..name].eq_ignore_ascii_case(p));
    let after = text[name..]
        .strip_prefix('?')?
        .trim_start_matches([' ', '\t']);
    let ends = after.is_empty() || after.starts_with(['\n', '\r']) || after.starts_with("//");
    // `object?` must fit in its place.
    (name > 0 && !primitive && ends && name + 1 >= "object?".len()).then_some(name + 1)
}

/// The length of a `resourceInput<'…'>` or `resourceOutput<'…'>` type at the start of `text`,
/// with its property path (`.properties.x`, `.tags`, `[*]`) and a nullable `?`.
fn resource_type_len(text: &str) -> Option<usize> {
    let rest = text
        .strip_prefix("resourceInput<'")
        .or_else(|| text.strip_prefix("resourceOutput<'"))?;
    let close = rest.find("'>")?;
    let mut len = text.len() - rest.len() + close + 2;
    let bytes = text.as_bytes();
    loop {
        match bytes.get(len) {
            Some(b'.') => {
                let name = bytes[len + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                if name == 0 {
                    return None;
                }
                len += 1 + name;
            }
            Some(b'[') if text[len..].starts_with("[*]") => len += 3,
            Some(b'?') => return Some(len + 1),
            _ => return Some(len),
        }
    }
}

/// `text` with what the grammar misreads in declarations that do not change a value blanked
/// out: `type` declarations with the decorators above them (decorators inside object types),
/// `import` statements over several lines, and a variable's type written over several lines
/// (`var x {\n  a: string\n} = {…}`). Only declarations written at the start of a line outside
/// any bracket are found.
fn declarations_blanked(text: &mut String) {
    let starts = Layout::of(text).starts;
    let word = |at: usize| -> &str {
        let t = &text[at..];
        &t[..t.find([' ', '\t', '\r', '\n', '(', '{']).unwrap_or(t.len())]
    };
    let mut ranges = Vec::new();
    for (i, &at) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        match word(at) {
            "type" | "import" => {
                let mut first = i;
                while first > 0 && text[starts[first - 1]..].starts_with('@') {
                    first -= 1;
                }
                ranges.push((starts[first], end));
            }
            "var" => {
                let line_end = text[at..end].find('\n').map_or(end, |j| at + j + 1);
                let Some(("var", type_at)) = declared_type_at(&text[at..line_end]) else {
                    continue;
                };
                let type_at = at + type_at;
                if let Some(eq) = top_level_equals(&text[type_at..end]).filter(|&eq| eq > 0) {
                    ranges.push((type_at, type_at + eq));
                }
            }
            _ => {}
        }
    }
    for (start, end) in ranges {
        blank(text, start, end, false);
    }
}

/// `text` with each interpolated multi-line string (`$'''…${x}…'''`, `$$'''…$${x}…'''`)
/// written as [`UNKNOWN_NAME`] and spaces (the `$` dropped when nothing is interpolated): the
/// grammar does not read it.
fn interpolated_verbatim_unknown(text: &mut String) {
    for (start, end) in Layout::of(text).interpolated_verbatim {
        let dollars = text[start..end].bytes().take_while(|&b| b == b'$').count();
        if !text[start..end].contains("${") {
            // Nothing interpolated: the plain multi-line string it reads as.
            blank(text, start, start + dollars, false);
        } else if end - start >= UNKNOWN_NAME.len() {
            unknown_value(text, start, end);
        }
    }
}

/// `text` with the line breaks directly inside parentheses made spaces: the grammar does not
/// read a call's arguments over several lines (`resourceGroup(\n  split(…)[2],\n  …\n)`),
/// and inside parentheses a line break is only a space.
fn paren_lines_joined(text: &mut String) {
    let breaks = Layout::of(text).paren_breaks;
    ascii_overwritten(text, &breaks, b" ");
}

/// `text` with the ASCII characters at each offset in `at` (and those after it, as many as
/// `with` has) overwritten by the ASCII characters `with`: the length, and every other offset,
/// stay as they are.
fn ascii_overwritten(text: &mut String, at: &[usize], with: &[u8]) {
    if at.is_empty() {
        return;
    }
    debug_assert!(with.is_ascii());
    let mut bytes = std::mem::take(text).into_bytes();
    for &i in at {
        debug_assert!(bytes[i..i + with.len()].is_ascii());
        bytes[i..i + with.len()].copy_from_slice(with);
    }
    // ASCII characters replaced by ASCII characters: still UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// `text` with the slashes inside `'…'` strings made `_` when a string holds `//`: the grammar
/// reads `//` inside a string as a comment (`split(id, '//')`), and the lowering reads strings
/// from the text as written.
fn string_slashes_replaced(text: &mut String) {
    let slashes = Layout::of(text).string_slashes;
    let doubled: Vec<usize> = slashes
        .windows(2)
        .filter(|w| w[1] == w[0] + 1)
        .flat_map(|w| [w[0], w[1]])
        .collect();
    ascii_overwritten(text, &doubled, b"_");
}

/// `text` with the `...` of each spread item of an object (`{ ...base, name: 'x' }`, Bicep
/// 0.27) written as `__:`, a member the grammar reads; the lowering knows it for a spread by the
/// text as written ([`Lower::is_spread`]): a member under [`crate::ir::SPREAD_KEY`] in a value,
/// which evaluation merges, and `shallowMerge()` in an expression, as Bicep compiles it.
///
/// The `...` of each spread item of an array (`[ ...base, 'x' ]`) is blanked, so that the
/// grammar reads the value spread as an item of its own, whatever operators it is written with
/// (`...a.b ?? []`); the lowering knows it for a spread by the text as written
/// ([`Lower::spread_start`]): an element that evaluation replaces with the items of the array
/// spread ([`crate::ir::SPREAD_KEY`]), and `concat()` in an expression.
fn spreads_marked(text: &mut String) {
    let layout = Layout::of(text);
    ascii_overwritten(text, &layout.object_spreads, SPREAD_MARK.as_bytes());
    ascii_overwritten(text, &layout.array_spreads, ARRAY_SPREAD_MARK.as_bytes());
}

/// `text` with the `!` of each non-null assertion blanked: it changes no value, and the grammar
/// reads it as an error whose recovery, in a conditional written over several lines, takes in
/// the expression around it (`c\n  ? kv::key!.properties.keyUri\n  : kv::key!.properties.x`).
fn assertions_blanked(text: &mut String) {
    let at = Layout::of(text).assertions;
    ascii_overwritten(text, &at, b" ");
}

/// What an object's spread item is written as for the grammar ([`spreads_marked`]).
const SPREAD_MARK: &str = "__:";
/// What an array's spread item starts with for the grammar ([`spreads_marked`]).
const ARRAY_SPREAD_MARK: &str = "   ";

/// Where the code of a Bicep text is, for rewriting it before parsing: a forward scan that skips
/// strings (with their `${…}` parts, which are code), `'''` strings and comments.
struct Layout {
    /// The lines that start outside any bracket with something other than a space, by the
    /// offset of their first byte.
    starts: Vec<usize>,
    /// The line breaks directly inside parentheses (`resourceGroup(\n  a,\n  b\n)`) that do not
    /// end a comment.
    paren_breaks: Vec<usize>,
    /// The slashes inside `'…'` strings.
    string_slashes: Vec<usize>,
    /// The `...` of each spread item of an object.
    object_spreads: Vec<usize>,
    /// The `...` of each spread item of an array.
    array_spreads: Vec<usize>,
    /// The interpolated multi-line strings (`$'''…'''`).
    interpolated_verbatim: Vec<(usize, usize)>,
    /// The `!` of each non-null assertion (`a!.b`, `f(x)!`): written straight after a name, a
    /// closing bracket or a string, and not part of `!=`.
    assertions: Vec<usize>,
}

impl Layout {
    fn of(text: &str) -> Layout {
        #[derive(Clone, Copy, PartialEq)]
        enum Open {
            Bracket(usize),
            // `${` in a string: its `}` goes back into the string.
            Interpolation,
        }
        let bytes = text.as_bytes();
        let mut stack: Vec<Open> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut paren_breaks: Vec<usize> = Vec::new();
        let mut string_slashes: Vec<usize> = Vec::new();
        let mut object_spreads: Vec<usize> = Vec::new();
        let mut array_spreads: Vec<usize> = Vec::new();
        let mut interpolated_verbatim: Vec<(usize, usize)> = Vec::new();
        let mut assertions: Vec<usize> = Vec::new();
        // The line break ahead ends a `//` comment.
        let mut comment_ends = false;
        let line_start = |at: usize, starts: &mut Vec<usize>| {
            if bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
                starts.push(at);
            }
        };
        line_start(0, &mut starts);
        let mut i = 0;
        // Inside a '…' string (not a '''…''' one).
        let mut in_string = false;
        while i < bytes.len() {
            let b = bytes[i];
            if in_string {
                match b {
                    b'\\' => i += 1,
                    b'\'' => in_string = false,
                    b'/' => string_slashes.push(i),
                    b'$' if bytes.get(i + 1) == Some(&b'{') => {
                        stack.push(Open::Interpolation);
                        in_string = false;
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            match b {
                b'\n' | b'\r' if std::mem::take(&mut comment_ends) => {}
                b'\n' | b'\r' if matches!(stack.last(), Some(Open::Bracket(at)) if bytes[*at] == b'(') =>
                {
                    paren_breaks.push(i);
                }
                b'\n' if stack.is_empty() => line_start(i + 1, &mut starts),
                b'\'' if text[i..].starts_with("'''") => {
                    let end = text[i + 3..]
                        .find("'''")
                        .map_or(bytes.len(), |j| i + 3 + j + 3);
                    let dollars = bytes[..i].iter().rev().take_while(|&&b| b == b'$').count();
                    if dollars > 0 {
                        interpolated_verbatim.push((i - dollars, end));
                    }
                    i = end;
                    continue;
                }
                b'\'' => in_string = true,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |j| i + j);
                    // A `\r\n` ends it at the `\r`.
                    if i > 0 && bytes[i - 1] == b'\r' {
                        i -= 1;
                    }
                    comment_ends = true;
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |j| i + 2 + j + 2);
                    continue;
                }
                b'{' | b'[' | b'(' => stack.push(Open::Bracket(i)),
                b'}' if stack.last() == Some(&Open::Interpolation) => {
                    stack.pop();
                    in_string = true;
                }
                b'}' | b']' | b')' => {
                    stack.pop();
                }
                b'!' if i > 0
                    && (bytes[i - 1].is_ascii_alphanumeric()
                        || matches!(bytes[i - 1], b'_' | b')' | b']' | b'\''))
                    && bytes.get(i + 1) != Some(&b'=') =>
                {
                    assertions.push(i);
                }
                b'.' if text[i..].starts_with("...") => {
                    // An item of the object or array around it: after its opening, a comma or
                    // a line break.
                    let before = text[..i].trim_end_matches([' ', '\t']);
                    let item = before.ends_with(['{', '[', ',', '\n']);
                    if let (true, Some(Open::Bracket(start))) = (item, stack.last().copied()) {
                        match bytes[start] {
                            b'{' => object_spreads.push(i),
                            b'[' => array_spreads.push(i),
                            _ => {}
                        }
                    }
                    i += 3;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        Layout {
            starts,
            paren_breaks,
            string_slashes,
            object_spreads,
            array_spreads,
            interpolated_verbatim,
            assertions,
        }
    }
}

/// Replaces `start..end` with [`UNKNOWN_NAME`] and spaces (line breaks kept).
fn unknown_value(source: &mut String, start: usize, end: usize) {
    blank(source, start, end, false);
    source.replace_range(start..start + UNKNOWN_NAME.len(), UNKNOWN_NAME);
}

/// Where an error sits in syntax that only shapes types: the range to blank out, and whether it
/// is a type annotation (written as `object` then) rather than a whole declaration.
fn type_only(error: TsNode) -> Option<(usize, usize, bool)> {
    let mut n = error;
    let mut outer_type = None;
    loop {
        match n.kind() {
            "type" => outer_type = Some(n),
            "type_declaration"
            | "import_statement"
            | "import_with_statement"
            | "import_functionality"
            | "user_defined_function"
            | "metadata_declaration"
            | "assert_statement"
            | "test_block" => {
                return Some((n.start_byte(), n.end_byte(), false));
            }
            "parameter_declaration" | "output_declaration" => {
                return outer_type.map(|t| (t.start_byte(), t.end_byte(), true));
            }
            _ => {}
        }
        match n.parent() {
            Some(p) => n = p,
            None => break,
        }
    }
    None
}

/// Replaces `start..end` of `source` with spaces (line breaks kept, each byte of other
/// characters a space, so that the length stays), or with `object` (and the `?` of a nullable
/// type) followed by such spaces.
fn blank(source: &mut String, start: usize, end: usize, as_object: bool) {
    let old = &source[start..end];
    let head = match (as_object, old.trim_end().ends_with('?')) {
        (true, true) if old.len() >= 7 => "object?",
        (true, false) if old.len() >= 6 => "object",
        _ => "",
    };
    let mut fixed = String::with_capacity(old.len());
    fixed.push_str(head);
    let mut skipped = 0;
    for c in old.chars() {
        // The first bytes are the head's.
        if skipped < head.len() {
            skipped += c.len_utf8();
            if skipped > head.len() {
                fixed.extend(std::iter::repeat_n(' ', skipped - head.len()));
            }
            continue;
        }
        if c == '\n' || c == '\r' {
            fixed.push(c);
        } else {
            fixed.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    source.replace_range(start..end, &fixed);
}

#[cfg(test)]
mod blank_tests {
    #[test]
    fn blanking_keeps_the_length_and_the_lines() {
        let mut s = String::from("param a resourceInput<'x'>.é?\nparam b string");
        let end = s.find('\n').unwrap();
        super::blank(&mut s, 8, end, true);
        assert_eq!(
            s.len(),
            "param a resourceInput<'x'>.é?\nparam b string".len()
        );
        assert!(s.starts_with("param a object?   "), "{s}");
        assert!(s.ends_with("\nparam b string"));
        let mut t = String::from("import {\n a\n b\n} from 'x'\nvar c = 1");
        let end = t.find("\nvar").unwrap();
        super::blank(&mut t, 0, end, false);
        assert_eq!(t.matches('\n').count(), 4);
        assert!(t.ends_with("var c = 1") && t.trim_start().starts_with("var"));
    }
}

/// Reads a `.bicepparam` file: an ARM parameters document (`parameters.<name>.value`), with the
/// template it is for (its `using` path) as [`USING`].
pub fn load_params(file: &SourceFile) -> Document {
    if let Some(doc) = too_dense(file, DocKind::ArmParameters) {
        return doc;
    }
    // `param x = value` has no type, which the grammar wants: read as `var  x = value` (the
    // same length, so every span stays exact).
    let mut text = String::with_capacity(file.text.len());
    for line in file.text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        match line.trim_start().strip_prefix("param ") {
            Some(rest) => {
                text.push_str(&line[..indent]);
                text.push_str("var   ");
                text.push_str(rest);
            }
            None => text.push_str(line),
        }
    }
    let text = text.as_str();
    let tree = match parse(text) {
        Ok(tree) => tree,
        Err(f) => {
            let (start, end, message) = parse_failure(f, "Bicep parameters file");
            return error_doc(file.id, DocKind::ArmParameters, start, end, message);
        }
    };
    if let Some((start, end, message)) = syntax_error(tree.root_node(), text) {
        return error_doc(file.id, DocKind::ArmParameters, start, end, message);
    }
    let rejoined = Rejoined::of(&tree, text);
    let mut lower = Lower::new(file.id, text, &file.text, &rejoined);
    let root = lower.parameters_file(tree.root_node());
    Document {
        file: file.id,
        kind: DocKind::ArmParameters,
        resources: Vec::new(),
        notices: lower.notices,
        root: Some(root),
    }
}

/// Is this a template Bicep compiled (`metadata._generator.name` is `bicep`)? Its `.bicep`
/// source, when it is scanned too, is what batchguard reads.
pub fn is_compiled(root: &Node) -> bool {
    root.path(&["metadata", "_generator", "name"])
        .and_then(Node::as_str)
        .is_some_and(|n| n.eq_ignore_ascii_case("bicep"))
}

/// What a name in a Bicep file stands for.
#[derive(Clone, Debug)]
enum Sym {
    Param,
    Var,
    Resource(ResourceSym),
    /// A module: the ARM expression of its deployment's name when it is written as a literal
    /// (or left out), else `'$SYMBOL'` ([`MODULE_SYMBOL`]); none for a loop. Its outputs are read
    /// through `reference()`.
    Module(Option<String>),
    /// A user function, an imported name, an output: not evaluated.
    Opaque,
}

#[derive(Clone, Debug)]
struct ResourceSym {
    /// The full resource type.
    rtype: String,
    api_version: Option<String>,
    /// The ARM expressions of the name segments, from the top-level parent down.
    segments: Vec<String>,
    /// The ARM expression of the resource's own name (its last segment).
    name: String,
    /// Declared inside its parent or with `parent:`: its `name` is its own segment only.
    has_parent: bool,
}

impl ResourceSym {
    fn id(&self) -> String {
        let mut args = vec![quote(&self.rtype)];
        args.extend(self.segments.iter().cloned());
        format!("resourceId({})", args.join(", "))
    }
    fn reference(&self) -> String {
        format!(
            "reference({}, {}, 'full')",
            self.id(),
            quote(self.api_version.as_deref().unwrap_or(""))
        )
    }
}

/// A piece of an operation as written ([`Lower::flatten`]): an operand (with the operations to
/// read as their last operand inside it), a prefix or binary operator (its node), `?`, `:`.
enum OpToken<'t> {
    Operand(TsNode<'t>, Vec<TsNode<'t>>),
    Prefix(TsNode<'t>),
    /// `x =>` or `(x, i) =>`: the rest of the operations are its body.
    Lambda(TsNode<'t>),
    Binary(TsNode<'t>),
    Question,
    Colon,
}

/// The operand written last in an operation: a unary operator's argument, a binary operator's
/// right side, a conditional's alternative, a lambda's body.
fn last_operand(n: TsNode) -> Option<TsNode> {
    if n.kind() == "lambda_expression" {
        return named_children(n).pop();
    }
    n.child_by_field_name(match n.kind() {
        "unary_expression" => "argument",
        "binary_expression" => "right",
        "ternary_expression" => "alternative",
        _ => return None,
    })
}

/// An ARM string literal.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// What an expression lowers to when it has no ARM equivalent: Unknown, and so silent.
struct Opaque;

struct Lower<'t> {
    file: FileId,
    text: &'t str,
    /// The file's text as written, of the same length as `text` (which rewrites before parsing
    /// may have changed, never inside a string that is still one): strings and keys are read
    /// from it.
    original: &'t str,
    symbols: HashMap<String, Sym>,
    /// User-defined functions (`func f(x string) string => …`), inlined where they are called.
    functions: HashMap<String, TsNode<'t>>,
    notices: Vec<Notice>,
    /// Array elements the grammar split, read again ([`Rejoined`]): by where each starts, where
    /// it ends and the expression it is.
    rejoined: HashMap<usize, (usize, Option<TsNode<'t>>)>,
    /// Names imported from other files (`import { a } from '…'`, `import * as ns from '…'`),
    /// with where their import statement starts.
    imports: HashMap<String, usize>,
    /// The import statements whose names a value uses (most import only types, which never
    /// change a value): each is named in a notice, as what it brings in is not known.
    used_imports: std::cell::RefCell<std::collections::BTreeSet<usize>>,
    /// Operators the grammar binds tighter than the member access, index or call after their
    /// last operand (`f && a.b` read as `(f && a).b`, `!a.b` as `(!a).b`), being lowered around
    /// all of it ([`Lower::misbound`]): by node id, read as their last operand where they stand.
    hoisted: crate::hash::HashSet<usize>,
}

impl<'t> Lower<'t> {
    fn new(file: FileId, text: &'t str, original: &'t str, rejoined: &'t Rejoined) -> Lower<'t> {
        Lower {
            file,
            text,
            original,
            symbols: HashMap::new(),
            functions: HashMap::new(),
            notices: Vec::new(),
            rejoined: rejoined.nodes(),
            imports: HashMap::new(),
            used_imports: Default::default(),
            hoisted: Default::default(),
        }
    }

    /// An operation (`!`, `-`, a binary operator, `?:`) that the grammar made the innermost object
    /// of the member accesses, indexes, calls and nested-resource accesses (`a::b`) of `n`. In Bicep these bind tighter than any
    /// operator, so `f && a.b` is `f && (a.b)` and `!a.b` is `!(a.b)`; the grammar reads them as
    /// `(f && a).b` and `(!a).b`. Operations already hoisted are looked through.
    fn misbound(&self, n: TsNode<'t>) -> Option<TsNode<'t>> {
        let mut cur = n;
        loop {
            cur = match cur.kind() {
                "member_expression" | "subscript_expression" | "resource_expression" => {
                    cur.child_by_field_name("object")?
                }
                "call_expression" => cur.child_by_field_name("function")?,
                _ => match last_operand(cur) {
                    Some(last) if self.hoisted.contains(&cur.id()) => last,
                    Some(_) => return Some(cur),
                    None => return None,
                },
            };
        }
    }

    /// The operations of `n` in the order they are written: operands (each with the operations
    /// the grammar wrongly bound member accesses around, [`Lower::misbound`]), prefix and
    /// binary operators, `?` and `:`. The grammar reads `f || a.b && c` as `((f || a).b) && c`;
    /// as tokens it is `f`, `||`, `a.b`, `&&`, `c`, which [`Lower::operations`] then reads
    /// with Bicep's precedence.
    fn flatten(
        &self,
        n: TsNode<'t>,
        out: &mut Vec<OpToken<'t>>,
        depth: usize,
    ) -> Result<(), Opaque> {
        if depth > MAX_DEPTH {
            return Err(Opaque);
        }
        let field = |f: &str| n.child_by_field_name(f);
        match n.kind() {
            "binary_expression" if !self.hoisted.contains(&n.id()) => {
                if let (Some(l), Some(r)) = (field("left"), field("right")) {
                    self.flatten(l, out, depth + 1)?;
                    out.push(OpToken::Binary(n));
                    self.flatten(r, out, depth + 1)?;
                    return Ok(());
                }
            }
            "unary_expression" if !self.hoisted.contains(&n.id()) => {
                if let Some(a) = field("argument") {
                    out.push(OpToken::Prefix(n));
                    self.flatten(a, out, depth + 1)?;
                    return Ok(());
                }
            }
            // The grammar ends the body of `x => …` at its first operand (`x => x.id` is read
            // as `(x => x).id`): as a prefix of what follows, the body is all of it.
            "lambda_expression" if !self.hoisted.contains(&n.id()) => {
                if let Some(body) = last_operand(n) {
                    out.push(OpToken::Lambda(n));
                    self.flatten(body, out, depth + 1)?;
                    return Ok(());
                }
            }
            "ternary_expression" if !self.hoisted.contains(&n.id()) => {
                if let (Some(c), Some(a), Some(b)) = (
                    field("condition"),
                    field("consequence"),
                    field("alternative"),
                ) {
                    self.flatten(c, out, depth + 1)?;
                    out.push(OpToken::Question);
                    self.flatten(a, out, depth + 1)?;
                    out.push(OpToken::Colon);
                    self.flatten(b, out, depth + 1)?;
                    return Ok(());
                }
            }
            "member_expression"
            | "subscript_expression"
            | "call_expression"
            | "resource_expression" => {
                if let Some(op) = self.misbound(n) {
                    // The operation's tokens, its last operand then read with the member
                    // accesses of `n` after it: `n` with every operation on the way down to that
                    // operand read as its last operand.
                    self.flatten(op, out, depth + 1)?;
                    let mut path = Vec::new();
                    let mut cur = op;
                    while let Some(last) = last_operand(cur) {
                        path.push(cur);
                        cur = last;
                    }
                    if let Some(OpToken::Operand(last, hoists)) = out.last_mut() {
                        *last = n;
                        hoists.extend(path);
                        return Ok(());
                    }
                }
            }
            _ => {}
        }
        out.push(OpToken::Operand(n, Vec::new()));
        Ok(())
    }

    /// Reads operation tokens ([`Lower::flatten`]) with Bicep's precedence, binary operators
    /// of at least `min` (left-associative), a conditional when `min` is 0.
    fn operations(
        &mut self,
        tokens: &mut std::iter::Peekable<std::vec::IntoIter<OpToken<'t>>>,
        min: u8,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        if depth > MAX_DEPTH {
            return Err(Opaque);
        }
        let mut left = self.prefixed(tokens, scope, depth)?;
        loop {
            match tokens.peek() {
                Some(OpToken::Binary(op)) => {
                    let op = *op;
                    let p = self.precedence(op).ok_or(Opaque)?;
                    if p < min {
                        return Ok(left);
                    }
                    tokens.next();
                    let right = self.operations(tokens, p + 1, scope, depth + 1)?;
                    left = self.binary(op, left, right)?;
                }
                Some(OpToken::Question) if min == 0 => {
                    tokens.next();
                    let a = self.operations(tokens, 0, scope, depth + 1)?;
                    let Some(OpToken::Colon) = tokens.next() else {
                        return Err(Opaque);
                    };
                    let b = self.operations(tokens, 0, scope, depth + 1)?;
                    left = format!("if({left}, {a}, {b})");
                }
                _ => return Ok(left),
            }
        }
    }

    /// An operand with the prefix operators before it.
    fn prefixed(
        &mut self,
        tokens: &mut std::iter::Peekable<std::vec::IntoIter<OpToken<'t>>>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        if depth > MAX_DEPTH {
            return Err(Opaque);
        }
        match tokens.next() {
            Some(OpToken::Prefix(op)) => {
                let a = self.prefixed(tokens, scope, depth + 1)?;
                self.unary(op, a)
            }
            Some(OpToken::Lambda(n)) => {
                // `lambda('x', 'i', body)`, the body reading its variables as
                // `lambdaVariables('x')`.
                let params = named_children(n).into_iter().next().ok_or(Opaque)?;
                let names: Vec<&str> = match params.kind() {
                    "identifier" => vec![self.src(params)],
                    "parenthesized_expression" => named_children(params)
                        .into_iter()
                        .map(|p| (p.kind() == "identifier").then(|| self.src(p)))
                        .collect::<Option<_>>()
                        .ok_or(Opaque)?,
                    _ => return Err(Opaque),
                };
                if names.is_empty() {
                    return Err(Opaque);
                }
                let mut inner = scope.clone();
                for name in &names {
                    inner.insert(
                        name.to_string(),
                        format!("lambdaVariables({})", quote(name)),
                    );
                }
                let body = self.operations(tokens, 0, &inner, depth + 1)?;
                let names: Vec<String> = names.iter().map(|n| quote(n)).collect();
                Ok(format!("lambda({}, {body})", names.join(", ")))
            }
            Some(OpToken::Operand(n, hoists)) => {
                for h in &hoists {
                    self.hoisted.insert(h.id());
                }
                let out = self.expr_at(n, scope, depth + 1);
                for h in &hoists {
                    self.hoisted.remove(&h.id());
                }
                out
            }
            _ => Err(Opaque),
        }
    }

    /// How tightly a binary operator binds, as Bicep defines it (higher binds tighter).
    fn precedence(&self, n: TsNode<'t>) -> Option<u8> {
        Some(
            match n.child_by_field_name("operator").map(|o| self.src(o))? {
                "??" => 1,
                "||" => 2,
                "&&" => 3,
                "==" | "!=" | "=~" | "!~" => 4,
                "<" | "<=" | ">" | ">=" => 5,
                "+" | "-" => 6,
                "*" | "/" | "%" => 7,
                _ => return None,
            },
        )
    }

    /// The unary operation `n` (`!`, `-`) on the lowered operand `a`.
    fn unary(&self, n: TsNode<'t>, a: String) -> Result<String, Opaque> {
        match n.child_by_field_name("operator").map(|o| self.src(o)) {
            Some("!") => Ok(format!("not({a})")),
            Some("-") => Ok(format!("sub(0, {a})")),
            _ => Err(Opaque),
        }
    }

    /// The binary operation `n` on the lowered operands `l` and `r`.
    fn binary(&self, n: TsNode<'t>, l: String, r: String) -> Result<String, Opaque> {
        let op = n
            .child_by_field_name("operator")
            .map(|o| self.src(o))
            .unwrap_or("");
        Ok(match op {
            "+" => format!("add({l}, {r})"),
            "-" => format!("sub({l}, {r})"),
            "*" => format!("mul({l}, {r})"),
            "/" => format!("div({l}, {r})"),
            "%" => format!("mod({l}, {r})"),
            "==" => format!("equals({l}, {r})"),
            "!=" => format!("not(equals({l}, {r}))"),
            "=~" => format!("equals(toLower({l}), toLower({r}))"),
            "!~" => format!("not(equals(toLower({l}), toLower({r})))"),
            "<" => format!("less({l}, {r})"),
            "<=" => format!("lessOrEquals({l}, {r})"),
            ">" => format!("greater({l}, {r})"),
            ">=" => format!("greaterOrEquals({l}, {r})"),
            "&&" => format!("and({l}, {r})"),
            "||" => format!("or({l}, {r})"),
            "??" => format!("coalesce({l}, {r})"),
            _ => return Err(Opaque),
        })
    }

    /// The text of a called function's name (`f`, `az.resourceGroup`, `r.listKeys`) without a
    /// hoisted operator the grammar put inside it.
    fn function_name(&self, function: TsNode<'t>) -> &'t str {
        let mut cur = function;
        loop {
            match cur.kind() {
                "member_expression" => match cur.child_by_field_name("object") {
                    Some(o) => cur = o,
                    None => break,
                },
                _ if self.hoisted.contains(&cur.id()) => {
                    let start = self.through_hoisted(cur).start_byte();
                    return &self.text[start..function.end_byte()];
                }
                _ => break,
            }
        }
        self.src(function)
    }

    /// `n`, or the last operand of the hoisted operation `n` is.
    fn through_hoisted(&self, n: TsNode<'t>) -> TsNode<'t> {
        let mut n = n;
        while self.hoisted.contains(&n.id()) {
            match last_operand(n) {
                Some(a) => n = a,
                None => break,
            }
        }
        n
    }

    fn span(&self, n: TsNode) -> Span {
        Span::new(self.file, n.start_byte(), n.end_byte())
    }

    fn src(&self, n: TsNode) -> &'t str {
        &self.text[n.byte_range()]
    }

    /// The elements of an array: a call the grammar split in two joined again, and other
    /// elements it split read as one ([`Rejoined`]).
    fn array_elements(&self, n: TsNode<'t>) -> Vec<Element<'t>> {
        adjacent_runs(n)
            .iter()
            .filter_map(|run| match (split_span(run), run.as_slice()) {
                (Some((start, end)), _) => Some(match self.rejoined.get(&start) {
                    Some(&(e, Some(node))) if e == end => Element::Node(node),
                    _ => Element::Unread(Span::new(self.file, start, end)),
                }),
                (None, [f, args]) => Some(Element::Call(*f, *args)),
                (None, [one]) => Some(Element::Node(*one)),
                (None, _) => None,
            })
            .collect()
    }

    /// Where the `...` of an array's spread item starts, when `item` is the value it spreads
    /// (its `...` blanked for the grammar: [`spreads_marked`]).
    fn spread_start(&self, item: TsNode<'t>) -> Option<usize> {
        let before = self.original.get(..item.start_byte())?.trim_end();
        let start = before.strip_suffix("...").map(str::len)?;
        (self.text.get(start..start + 3) == Some(ARRAY_SPREAD_MARK)).then_some(start)
    }

    /// Is this member key a spread item's ([`spreads_marked`])?
    fn is_spread(&self, key: TsNode) -> bool {
        key.kind() == "identifier"
            && self.src(key) == &SPREAD_MARK[..2]
            && self.original.get(key.start_byte()..key.start_byte() + 3) == Some("...")
    }

    /// What batchguard leaves out of a valid file (a registry module, an imported value): a
    /// note, not a fault of the file.
    fn note(&mut self, n: TsNode, message: String) {
        self.notices.push(Notice {
            level: crate::ir::NoticeLevel::Note,
            message,
            span: self.span(n),
        });
    }

    // -----------------------------------------------------------------------------------------
    // Declarations

    /// The template: symbols first (a declaration may be used before it is written), then each
    /// declaration lowered.
    fn template(&mut self, root: TsNode<'t>) -> Node {
        let statements = named_children(root);
        // Names first, then resources (whose names and parents use them), twice, so that a
        // `parent:` written before its parent's declaration resolves.
        for s in &statements {
            if s.kind() != "resource_declaration" {
                self.declare(*s, None);
            }
        }
        for _ in 0..2 {
            for s in statements
                .iter()
                .filter(|s| s.kind() == "resource_declaration")
            {
                self.declare(*s, None);
            }
        }
        let mut parameters = Vec::new();
        let mut variables = Vec::new();
        let mut variable_loops = Vec::new();
        let mut resources = Vec::new();
        let mut outputs = Vec::new();
        let mut decorators: Option<TsNode> = None;
        for &s in &statements {
            match s.kind() {
                "decorators" => {
                    decorators = Some(s);
                    continue;
                }
                "parameter_declaration" => {
                    if let Some(m) = self.parameter(s, decorators) {
                        parameters.push(m);
                    }
                }
                "variable_declaration" => match self.variable(s) {
                    Some(Ok(m)) => variables.push(m),
                    Some(Err(copy)) => variable_loops.push(copy),
                    None => {}
                },
                "output_declaration" => {
                    if let Some(m) = self.output(s) {
                        outputs.push(m);
                    }
                }
                "resource_declaration" => {
                    if let Some(r) = self.resource(s, None) {
                        resources.push(r);
                    }
                }
                "module_declaration" => {
                    if let Some(r) = self.module(s) {
                        resources.push(r);
                    }
                }
                // An extension (`import 'kubernetes@1.0.0'`).
                "import_statement" | "import_with_statement" => self.note(s, imported_note()),
                _ => {}
            }
            decorators = None;
        }
        // Imports of names that a value uses; names used only as types change no value.
        let used = self.used_imports.take();
        for s in &statements {
            if s.kind() == "import_functionality" && used.contains(&s.start_byte()) {
                self.note(*s, imported_note());
            }
        }
        let at = self.span(root);
        if !variable_loops.is_empty() {
            variables.push(member(
                "copy",
                at,
                Node::new(Value::Array(variable_loops), at),
            ));
        }
        let object = |members: Vec<Member>| Node::new(Value::Object(members), at);
        Node::new(
            Value::Object(vec![
                member("$schema", at, Node::new(Value::String("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#".into()), at)),
                member("contentVersion", at, Node::new(Value::String("1.0.0.0".into()), at)),
                member("parameters", at, object(parameters)),
                member("variables", at, object(variables)),
                member("resources", at, Node::new(Value::Array(resources), at)),
                member("outputs", at, object(outputs)),
            ]),
            at,
        )
    }

    /// `output NAME TYPE = value` as `"NAME": {"value": …}` (a loop's value is unknown), which a
    /// module's caller reads through `reference()`.
    fn output(&mut self, s: TsNode<'t>) -> Option<Member> {
        let id = first_named(s, "identifier")?;
        let v = value_after_equals(s)?;
        let value = if v.kind() == "for_statement" {
            unknown_node(self.span(v))
        } else {
            self.value(v, &HashMap::new(), 0)
        };
        let at = self.span(v);
        Some(member(
            self.src(id),
            self.span(id),
            Node::new(Value::Object(vec![member("value", at, value)]), at),
        ))
    }

    /// Records what a declaration's name stands for; `parent` and its name segments for a
    /// resource declared inside another.
    fn declare(&mut self, s: TsNode<'t>, parent: Option<&ResourceSym>) {
        let name = |l: &Self| first_named(s, "identifier").map(|n| l.src(n).to_string());
        match s.kind() {
            "parameter_declaration" => {
                if let Some(n) = name(self) {
                    self.symbols.insert(n, Sym::Param);
                }
            }
            "variable_declaration" => {
                if let Some(n) = name(self) {
                    self.symbols.insert(n, Sym::Var);
                }
            }
            "module_declaration" => {
                if let Some(n) = name(self) {
                    let deployment = self.module_name(s, &n);
                    self.symbols.insert(n, Sym::Module(deployment));
                }
            }
            "user_defined_function" => {
                if let Some(n) = s
                    .child_by_field_name("name")
                    .map(|n| self.src(n).to_string())
                {
                    self.functions.insert(n.clone(), s);
                    self.symbols.entry(n).or_insert(Sym::Opaque);
                }
            }
            "output_declaration" | "type_declaration" => {
                if let Some(n) = name(self) {
                    self.symbols.entry(n).or_insert(Sym::Opaque);
                }
            }
            "import_statement" | "import_with_statement" | "import_functionality" => {
                let mut c = s.walk();
                for id in s
                    .named_children(&mut c)
                    .filter(|n| n.kind() == "identifier")
                {
                    let n = self.src(id).to_string();
                    if !self.symbols.contains_key(&n) {
                        self.imports.insert(n.clone(), s.start_byte());
                    }
                    self.symbols.entry(n).or_insert(Sym::Opaque);
                }
            }
            "resource_declaration" => {
                let Some(n) = name(self) else { return };
                let Some(sym) = self.resource_sym(s, parent) else {
                    self.symbols.insert(n, Sym::Opaque);
                    return;
                };
                self.symbols.insert(n, Sym::Resource(sym.clone()));
                // Children declared inside it.
                if let Some(body) = resource_body(s) {
                    for p in named_children(body) {
                        if let Some(child) = first_named(p, "resource_declaration") {
                            self.declare(child, Some(&sym));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The type, API version and name of a resource declaration, for references to it.
    fn resource_sym(&mut self, s: TsNode<'t>, parent: Option<&ResourceSym>) -> Option<ResourceSym> {
        let type_string = first_named(s, "string")?;
        let (written, api_version) = split_type(&string_text(self.original, type_string)?);
        let api_version = api_version.or_else(|| parent.and_then(|p| p.api_version.clone()));
        let body = resource_body(s)?;
        // `parent:` names the parent of a top-level child.
        let declared_parent = parent.cloned().or_else(|| {
            let p = object_member(self.original, body, "parent")?;
            match self.symbols.get(self.src(p)) {
                Some(Sym::Resource(r)) => Some(r.clone()),
                _ => None,
            }
        });
        let rtype = match &declared_parent {
            Some(p) if !written.contains('/') => format!("{}/{}", p.rtype, written),
            _ => written,
        };
        let name = match object_member(self.original, body, "name") {
            Some(n) => self
                .expr(n, &HashMap::new())
                .unwrap_or_else(|_| "null()".into()),
            None => "null()".into(),
        };
        let levels = rtype.split('/').count().saturating_sub(1);
        let has_parent = declared_parent.is_some();
        let segments = match declared_parent {
            Some(p) => {
                let mut segments = p.segments;
                segments.push(name.clone());
                segments
            }
            // A child type without `parent:` is named `parent/child`: its id takes each part, as
            // Bicep compiles it (`split(name, '/')[i]`).
            None if levels > 1 => (0..levels)
                .map(|i| format!("split({name}, '/')[{i}]"))
                .collect(),
            None => vec![name.clone()],
        };
        Some(ResourceSym {
            rtype,
            api_version,
            segments,
            name,
            has_parent,
        })
    }

    fn parameter(&mut self, s: TsNode<'t>, decorators: Option<TsNode<'t>>) -> Option<Member> {
        let id = first_named(s, "identifier")?;
        let key = self.src(id).to_string();
        let mut members = Vec::new();
        let secure = decorators.is_some_and(|d| {
            let t = self.src(d);
            t.contains("@secure(") || t.contains("@sys.secure(")
        });
        if let Some(t) = first_named(s, "type") {
            let written = self.src(t).trim_end_matches('?');
            let arm = match written {
                "string" if secure => Some("securestring"),
                "object" if secure => Some("secureObject"),
                "string" => Some("string"),
                "int" => Some("int"),
                "bool" => Some("bool"),
                "object" => Some("object"),
                "array" => Some("array"),
                w if w.ends_with("[]") => Some("array"),
                _ => None,
            };
            if let Some(arm) = arm {
                members.push(member("type", self.span(t), str_node(arm, self.span(t))));
            }
            if self.src(t).ends_with('?') {
                members.push(member(
                    "nullable",
                    self.span(t),
                    Node::new(Value::Bool(true), self.span(t)),
                ));
            }
        }
        if let Some(default) = value_after_equals(s) {
            let v = self.value(default, &HashMap::new(), 0);
            members.push(member("defaultValue", self.span(default), v));
        }
        Some(member(
            &key,
            self.span(id),
            Node::new(Value::Object(members), self.span(s)),
        ))
    }

    /// A variable: a member of `variables`, or, for a `for` loop, the ARM variable copy loop
    /// that builds the array (`Err`); a filtered loop is Unknown.
    fn variable(&mut self, s: TsNode<'t>) -> Option<Result<Member, Node>> {
        let id = first_named(s, "identifier")?;
        let key = self.src(id).to_string();
        let v = value_after_equals(s)?;
        if v.kind() == "for_statement" {
            if let Some(copy) = self.property_loop(&key, v, &HashMap::new(), 0) {
                return Some(Err(copy));
            }
            return Some(Ok(member(&key, self.span(id), unknown_node(self.span(v)))));
        }
        let value = self.value(v, &HashMap::new(), 0);
        Some(Ok(member(&key, self.span(id), value)))
    }

    /// A resource declaration as an ARM resource object (`None` for an `existing` one, which is
    /// not deployed).
    fn resource(&mut self, s: TsNode<'t>, parent: Option<&ResourceSym>) -> Option<Node> {
        if has_token(s, "existing") {
            return None;
        }
        let id = first_named(s, "identifier")?;
        let sym = match self.symbols.get(self.src(id)) {
            Some(Sym::Resource(r)) => r.clone(),
            _ => self.resource_sym(s, parent)?,
        };
        let type_string = first_named(s, "string")?;
        let (written, api_version) = split_type(&string_text(self.original, type_string)?);
        // A nested resource written without `@version` takes its parent's.
        let api_version = api_version.or_else(|| parent.and_then(|p| p.api_version.clone()));
        let type_span = self.span(type_string);
        let (body, scope, mut extra) = self.loop_and_condition(s, id)?;
        let mut members = vec![member(
            "type",
            type_span,
            str_node(
                if parent.is_some() {
                    &written
                } else {
                    &sym.rtype
                },
                type_span,
            ),
        )];
        if let Some(api) = api_version {
            members.push(member("apiVersion", type_span, str_node(&api, type_span)));
        }
        members.append(&mut extra);
        let mut children = Vec::new();
        for p in named_children(body) {
            if p.kind() != "object_property" {
                continue;
            }
            if let Some(child) = first_named(p, "resource_declaration") {
                self.declare(child, Some(&sym));
                if let Some(c) = self.resource(child, Some(&sym)) {
                    children.push(c);
                }
                continue;
            }
            let Some((key, key_node, value)) = property(self.original, p) else {
                continue;
            };
            match key.as_str() {
                // Written into the type and name already; where and after what it deploys
                // changes no property.
                "parent" | "scope" | "dependsOn" => {}
                "name" if parent.is_none() && sym.has_parent => {
                    // A top-level child: ARM names it `parent/child`.
                    let parent_segments = &sym.segments[..sym.segments.len() - 1];
                    let own = self.expr(value, &scope).map_err(|_| ());
                    let full = match own {
                        Ok(own) => {
                            let mut parts: Vec<String> = parent_segments.to_vec();
                            parts.push(own);
                            let placeholders: Vec<String> =
                                (0..parts.len()).map(|i| format!("{{{i}}}")).collect();
                            Some(format!(
                                "format({}, {})",
                                quote(&placeholders.join("/")),
                                parts.join(", ")
                            ))
                        }
                        Err(()) => None,
                    };
                    let node = match full {
                        Some(e) => expression_node(&e, self.span(value)),
                        None => unknown_node(self.span(value)),
                    };
                    members.push(member("name", self.span(key_node), node));
                }
                _ => {
                    let v = self.value(value, &scope, 1);
                    let key = if self.is_spread(key_node) {
                        crate::ir::SPREAD_KEY
                    } else {
                        &key
                    };
                    members.push(member(key, self.span(key_node), v));
                }
            }
        }
        if !children.is_empty() {
            let at = self.span(body);
            members.push(member(
                "resources",
                at,
                Node::new(Value::Array(children), at),
            ));
        }
        Some(Node::new(Value::Object(members), self.span(s)))
    }

    /// The body object of a resource or module declaration, with its `for` loop (a `copy`
    /// member, and the loop variables for the body) and its `if` (a `condition` member).
    #[allow(clippy::type_complexity)]
    fn loop_and_condition(
        &mut self,
        s: TsNode<'t>,
        id: TsNode<'t>,
    ) -> Option<(TsNode<'t>, HashMap<String, String>, Vec<Member>)> {
        let mut scope = HashMap::new();
        let mut extra = Vec::new();
        let name = self.src(id).to_string();
        let mut node = named_children(s)
            .into_iter()
            .find(|n| matches!(n.kind(), "object" | "if_statement" | "for_statement"))?;
        if node.kind() == "for_statement" {
            let (items, item_var, index_var, body) = self.loop_parts(node, &HashMap::new())?;
            let items = match items {
                Ok(e) => e,
                Err(Opaque) => "createArray()".into(),
            };
            let at = self.span(node);
            extra.push(member(
                "copy",
                at,
                Node::new(
                    Value::Object(vec![
                        member("name", at, str_node(&name, at)),
                        member(
                            "count",
                            at,
                            expression_node(&format!("length({items})"), at),
                        ),
                    ]),
                    at,
                ),
            ));
            if let Some(v) = item_var {
                scope.insert(v, format!("{items}[copyIndex()]"));
            }
            if let Some(i) = index_var {
                scope.insert(i, "copyIndex()".into());
            }
            node = body;
        }
        if node.kind() == "if_statement" {
            let cond = first_named(node, "parenthesized_expression")?;
            let c = self.expr(cond, &scope);
            let at = self.span(cond);
            extra.push(member(
                "condition",
                at,
                match c {
                    Ok(e) => expression_node(&e, at),
                    Err(Opaque) => unknown_node(at),
                },
            ));
            node = first_named(node, "object")?;
        }
        (node.kind() == "object").then_some((node, scope, extra))
    }

    /// A `for` loop's parts: the items (an ARM expression, in `scope`), the item and index
    /// variables, and the body.
    #[allow(clippy::type_complexity)]
    fn loop_parts(
        &mut self,
        f: TsNode<'t>,
        scope: &HashMap<String, String>,
    ) -> Option<(
        Result<String, Opaque>,
        Option<String>,
        Option<String>,
        TsNode<'t>,
    )> {
        let body = f.child_by_field_name("body")?;
        let (mut item, mut index) = (None, None);
        let init = f
            .child_by_field_name("initializer")
            .or_else(|| first_named(f, "for_loop_parameters"));
        match init.map(|i| i.kind()) {
            Some("for_loop_parameters") => {
                for p in named_children(init?) {
                    match p.kind() {
                        "loop_variable" => item = Some(self.src(p).to_string()),
                        "loop_enumerator" => index = Some(self.src(p).to_string()),
                        _ => {}
                    }
                }
            }
            Some(_) => item = init.map(|i| self.src(i).to_string()),
            None => {}
        }
        let mut cursor = f.walk();
        let all: Vec<TsNode> = f.children(&mut cursor).collect();
        let after_in = all.iter().position(|n| n.kind() == "in")?;
        let items = all
            .get(after_in + 1..)?
            .iter()
            .find(|n| n.is_named())
            .copied()?;
        let items = self.expr(items, scope);
        Some((items, item, index, body))
    }

    /// A `for` expression as a value: an ARM expression only where each element is an
    /// expression of the loop variables that needs no lambda; otherwise Unknown.
    fn for_expression(&mut self, f: TsNode<'t>, _scope: &HashMap<String, String>) -> Node {
        unknown_node(self.span(f))
    }

    /// A module: a nested deployment whose parameters are the module's `params`, and whose
    /// template evaluation joins from the module file (local modules only).
    /// The deployment name of a module that is not a loop, as an ARM expression: its `name`
    /// when a literal string, its symbol when it has none.
    fn module_name(&self, s: TsNode<'t>, symbol: &str) -> Option<String> {
        let mut body = named_children(s)
            .into_iter()
            .find(|n| matches!(n.kind(), "object" | "if_statement" | "for_statement"))?;
        if body.kind() == "for_statement" {
            return None;
        }
        if body.kind() == "if_statement" {
            body = first_named(body, "object")?;
        }
        for p in named_children(body) {
            if let Some((key, _, value)) = property(self.original, p) {
                if key == "name" {
                    let literal = (value.kind() == "string")
                        .then(|| string_text(self.original, value))
                        .flatten();
                    return Some(quote(&literal.unwrap_or_else(|| format!("${symbol}"))));
                }
            }
        }
        Some(quote(symbol))
    }

    fn module(&mut self, s: TsNode<'t>) -> Option<Node> {
        let id = first_named(s, "identifier")?;
        let path_node = first_named(s, "string")?;
        let path = string_text(self.original, path_node)?;
        let (body, scope, extra) = self.loop_and_condition(s, id)?;
        let at = self.span(s);
        let path_span = self.span(path_node);
        let mut members = vec![
            member(
                "type",
                path_span,
                str_node("Microsoft.Resources/deployments", path_span),
            ),
            member("apiVersion", path_span, str_node("2022-09-01", path_span)),
        ];
        members.extend(extra);
        let mut parameters = Vec::new();
        // A spread in `params` passes parameters whose names are known only once evaluated.
        let mut spread_params = false;
        let mut name = None;
        for p in named_children(body) {
            let Some((key, key_node, value)) = property(self.original, p) else {
                continue;
            };
            match key.as_str() {
                "name" => {
                    name = Some(member(
                        "name",
                        self.span(key_node),
                        self.value(value, &scope, 1),
                    ))
                }
                "params" => {
                    for q in named_children(value) {
                        if let Some((k, kn, v)) = property(self.original, q) {
                            if self.is_spread(kn) {
                                spread_params = true;
                                continue;
                            }
                            let value = self.value(v, &scope, 2);
                            let vs = self.span(v);
                            parameters.push(member(
                                &k,
                                self.span(kn),
                                Node::new(Value::Object(vec![member("value", vs, value)]), vs),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        members.push(name.unwrap_or_else(|| {
            member("name", self.span(id), str_node(self.src(id), self.span(id)))
        }));
        members.push(member(
            MODULE_SYMBOL,
            self.span(id),
            str_node(self.src(id), self.span(id)),
        ));
        let registry = path.starts_with("br:")
            || path.starts_with("br/")
            || path.starts_with("ts:")
            || path.starts_with("ts/");
        let mut props = vec![
            member("mode", at, str_node("Incremental", at)),
            member(
                "expressionEvaluationOptions",
                at,
                Node::new(
                    Value::Object(vec![member("scope", at, str_node("inner", at))]),
                    at,
                ),
            ),
            member(
                "parameters",
                at,
                if spread_params {
                    unknown_node(at)
                } else {
                    Node::new(Value::Object(parameters), at)
                },
            ),
        ];
        if registry {
            self.note(
                path_node,
                format!(
                    "batchguard does not fetch registry or template-spec modules (`{path}`); \
                     what this module deploys is not analysed"
                ),
            );
        } else {
            props.push(member(
                "templateLink",
                path_span,
                Node::new(
                    Value::Object(vec![member(
                        "relativePath",
                        path_span,
                        str_node(&path, path_span),
                    )]),
                    path_span,
                ),
            ));
        }
        members.push(member(
            "properties",
            at,
            Node::new(Value::Object(props), at),
        ));
        Some(Node::new(Value::Object(members), at))
    }

    /// A `.bicepparam` file: `using`, `param x = value` and `var y = value`. Bicep compiles the
    /// parameters to values: a variable is written into each parameter that uses it (as the
    /// expression it is, so that it holds the variables before it), and is no parameter itself.
    fn parameters_file(&mut self, root: TsNode<'t>) -> Node {
        let at = self.span(root);
        let mut parameters = Vec::new();
        let mut using = None;
        // The variables declared so far, as ARM expressions; one that cannot be read is left
        // out, so that what uses it is Unknown.
        let mut variables: HashMap<String, String> = HashMap::new();
        for s in named_children(root) {
            match s.kind() {
                "using_statement" => {
                    if let Some(p) = first_named(s, "string") {
                        if let Some(text) = string_text(self.original, p) {
                            using =
                                Some(member(USING, self.span(p), str_node(&text, self.span(p))));
                        }
                    }
                }
                "parameter_declaration" | "variable_declaration" => {
                    let Some(id) = first_named(s, "identifier") else {
                        continue;
                    };
                    let Some(v) = value_after_equals(s) else {
                        continue;
                    };
                    // [`load_params`] writes each `param` as `var`: the original text tells them
                    // apart.
                    let variable = !self.original[s.start_byte()..].starts_with("param");
                    if variable {
                        let name = self.src(id).to_string();
                        match self.expr_at(v, &variables, 1) {
                            Ok(e) => variables.insert(name, e),
                            Err(Opaque) => variables.remove(&name),
                        };
                        continue;
                    }
                    let value = self.value(v, &variables, 1);
                    let vs = self.span(v);
                    parameters.push(member(
                        self.src(id),
                        self.span(id),
                        Node::new(Value::Object(vec![member("value", vs, value)]), vs),
                    ));
                }
                _ => {}
            }
        }
        let mut members = vec![
            member("$schema", at, str_node("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", at)),
            member("parameters", at, Node::new(Value::Object(parameters), at)),
        ];
        members.extend(using);
        Node::new(Value::Object(members), at)
    }

    // -----------------------------------------------------------------------------------------
    // Values

    /// A value as IR: literals as themselves, objects and arrays member by member (a `for`
    /// property as a property copy loop), anything else as the ARM expression it compiles to.
    fn value(&mut self, n: TsNode<'t>, scope: &HashMap<String, String>, depth: usize) -> Node {
        let at = self.span(n);
        if depth > MAX_DEPTH {
            return unknown_node(at);
        }
        match n.kind() {
            "string" => match string_text(self.original, n) {
                Some(s) => str_node(&s, at),
                None => self.expression(n, scope),
            },
            "number" => match self.src(n).parse::<f64>() {
                Ok(x) => Node::new(Value::Number(x), at),
                Err(_) => unknown_node(at),
            },
            "boolean" => Node::new(Value::Bool(self.src(n) == "true"), at),
            "null" => Node::new(Value::Null, at),
            "unary_expression" if self.src(n).starts_with('-') => {
                match self.src(n)[1..].trim().parse::<f64>() {
                    Ok(x) => Node::new(Value::Number(-x), at),
                    Err(_) => self.expression(n, scope),
                }
            }
            "object" => {
                let mut members = Vec::new();
                let mut copies = Vec::new();
                for p in named_children(n) {
                    let Some((key, key_node, value)) = property(self.original, p) else {
                        continue;
                    };
                    if value.kind() == "for_statement" {
                        match self.property_loop(&key, value, scope, depth) {
                            Some(copy) => copies.push(copy),
                            None => members.push(member(
                                &key,
                                self.span(key_node),
                                unknown_node(self.span(value)),
                            )),
                        }
                        continue;
                    }
                    let v = self.value(value, scope, depth + 1);
                    let key = if self.is_spread(key_node) {
                        crate::ir::SPREAD_KEY
                    } else {
                        &key
                    };
                    members.push(member(key, self.span(key_node), v));
                }
                if !copies.is_empty() {
                    members.push(member("copy", at, Node::new(Value::Array(copies), at)));
                }
                Node::new(Value::Object(members), at)
            }
            "array" => {
                let items = self
                    .array_elements(n)
                    .into_iter()
                    .map(|e| match e {
                        Element::Node(c) if c.kind() == "for_statement" => {
                            unknown_node(self.span(c))
                        }
                        Element::Node(c) => match self.spread_start(c) {
                            // An element that evaluation replaces with the items spread.
                            Some(start) => {
                                let value = self.value(c, scope, depth + 1);
                                let at = Span::new(self.file, start, c.end_byte());
                                Node::new(
                                    Value::Object(vec![member(crate::ir::SPREAD_KEY, at, value)]),
                                    at,
                                )
                            }
                            None => self.value(c, scope, depth + 1),
                        },
                        Element::Unread(at) => unknown_node(at),
                        Element::Call(f, args) => {
                            let at = Span::new(self.file, f.start_byte(), args.end_byte());
                            match self.call_of(self.src(f), named_children(args), scope, depth + 1)
                            {
                                Ok(e) => expression_node(&e, at),
                                Err(Opaque) => unknown_node(at),
                            }
                        }
                    })
                    .collect();
                Node::new(Value::Array(items), at)
            }
            "parenthesized_expression" => match named_children(n).first() {
                Some(inner) => {
                    let mut v = self.value(*inner, scope, depth + 1);
                    v.span = at;
                    v
                }
                None => unknown_node(at),
            },
            "for_statement" => self.for_expression(n, scope),
            _ => self.expression(n, scope),
        }
    }

    /// `key: [for x in items: body]` as an ARM property copy loop.
    fn property_loop(
        &mut self,
        key: &str,
        f: TsNode<'t>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Option<Node> {
        let (items, item, index, body) = self.loop_parts(f, scope)?;
        let Ok(items) = items else {
            return None;
        };
        // A filtered loop (`if` in the body) keeps only some elements: not a copy loop.
        if body.kind() == "if_statement" {
            return None;
        }
        let mut inner = scope.clone();
        if let Some(v) = item {
            inner.insert(v, format!("{items}[copyIndex({})]", quote(key)));
        }
        if let Some(i) = index {
            inner.insert(i, format!("copyIndex({})", quote(key)));
        }
        let at = self.span(f);
        let input = self.value(body, &inner, depth + 1);
        Some(Node::new(
            Value::Object(vec![
                member("name", at, str_node(key, at)),
                member(
                    "count",
                    at,
                    expression_node(&format!("length({items})"), at),
                ),
                member("input", self.span(body), input),
            ]),
            at,
        ))
    }

    /// An expression as an IR value: its ARM expression, or Unknown.
    fn expression(&mut self, n: TsNode<'t>, scope: &HashMap<String, String>) -> Node {
        let at = self.span(n);
        match self.expr(n, scope) {
            Ok(e) => expression_node(&e, at),
            Err(Opaque) => unknown_node(at),
        }
    }

    /// The ARM expression (without brackets) an expression compiles to.
    fn expr(&mut self, n: TsNode<'t>, scope: &HashMap<String, String>) -> Result<String, Opaque> {
        self.expr_at(n, scope, 0)
    }

    fn expr_at(
        &mut self,
        n: TsNode<'t>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        if depth > MAX_DEPTH {
            return Err(Opaque);
        }
        let sub = |l: &mut Self, c: TsNode<'t>| l.expr_at(c, scope, depth + 1);
        let operation = match n.kind() {
            "unary_expression" | "binary_expression" | "ternary_expression"
            | "lambda_expression" => !self.hoisted.contains(&n.id()),
            "member_expression"
            | "subscript_expression"
            | "call_expression"
            | "resource_expression" => self.misbound(n).is_some(),
            _ => false,
        };
        if operation {
            let mut tokens = Vec::new();
            self.flatten(n, &mut tokens, depth)?;
            let mut tokens = tokens.into_iter().peekable();
            let out = self.operations(&mut tokens, 0, scope, depth)?;
            // Every token read: else the operations were not written as the grammar read them.
            return match tokens.next() {
                None => Ok(out),
                Some(_) => Err(Opaque),
            };
        }
        match n.kind() {
            "string" => self.string_expr(n, scope, depth),
            "number" => Ok(self.src(n).to_string()),
            "boolean" => Ok(format!("{}()", self.src(n))),
            "null" => Ok("null()".into()),
            "parenthesized_expression" => {
                let inner = *named_children(n).first().ok_or(Opaque)?;
                sub(self, inner)
            }
            "identifier" => self.identifier(self.src(n), scope),
            "array" => {
                // Items between spreads as arrays of their own, joined in order.
                let mut parts = Vec::new();
                let mut spread = false;
                let mut items = Vec::new();
                for e in self.array_elements(n) {
                    match e {
                        Element::Node(c) if c.kind() == "for_statement" => return Err(Opaque),
                        Element::Node(c) => match self.spread_start(c) {
                            Some(_) => {
                                spread = true;
                                if !items.is_empty() {
                                    parts.push(format!("createArray({})", items.join(", ")));
                                    items.clear();
                                }
                                parts.push(sub(self, c)?);
                            }
                            None => items.push(sub(self, c)?),
                        },
                        Element::Unread(_) => return Err(Opaque),
                        Element::Call(f, args) => items.push(self.call_of(
                            self.src(f),
                            named_children(args),
                            scope,
                            depth + 1,
                        )?),
                    }
                }
                if !spread {
                    return Ok(format!("createArray({})", items.join(", ")));
                }
                if !items.is_empty() {
                    parts.push(format!("createArray({})", items.join(", ")));
                }
                Ok(format!("concat({})", parts.join(", ")))
            }
            "object" => {
                // Members between spreads as objects of their own, merged in order as Bicep
                // compiles a spread: later members win.
                let mut parts = Vec::new();
                let mut args = Vec::new();
                let mut spread = false;
                for p in named_children(n) {
                    let Some((key, key_node, value)) = property(self.original, p) else {
                        continue;
                    };
                    if value.kind() == "for_statement" {
                        return Err(Opaque);
                    }
                    if self.is_spread(key_node) {
                        spread = true;
                        if !args.is_empty() {
                            parts.push(format!("createObject({})", args.join(", ")));
                            args.clear();
                        }
                        parts.push(sub(self, value)?);
                        continue;
                    }
                    args.push(quote(&key));
                    args.push(sub(self, value)?);
                }
                if !spread {
                    return Ok(format!("createObject({})", args.join(", ")));
                }
                if !args.is_empty() {
                    parts.push(format!("createObject({})", args.join(", ")));
                }
                Ok(format!("shallowMerge(createArray({}))", parts.join(", ")))
            }
            "unary_expression" | "binary_expression" | "ternary_expression"
            | "lambda_expression"
                if self.hoisted.contains(&n.id()) =>
            {
                sub(self, last_operand(n).ok_or(Opaque)?)
            }
            "call_expression" => self.call(n, scope, depth),
            "resource_expression" => match self.symbol_of(n, scope) {
                Some(Sym::Resource(r)) => Ok(r.reference()),
                _ => Err(Opaque),
            },
            "member_expression" => self.member_access(n, scope, depth),
            "subscript_expression" => {
                let object = n.child_by_field_name("object").ok_or(Opaque)?;
                let index = n.child_by_field_name("index").ok_or(Opaque)?;
                // `resources[i]` of a resource loop: the i-th instance.
                if let Some(Sym::Resource(_)) = self.symbol_of(object, scope) {
                    return Err(Opaque);
                }
                let o = sub(self, object)?;
                let i = sub(self, index)?;
                // `x[?i]`, null where `x` has no `i`, as Bicep compiles it.
                if has_token(n, "?") {
                    return Ok(format!("tryGet({o}, {i})"));
                }
                Ok(format!("{o}[{i}]"))
            }
            _ => Err(Opaque),
        }
    }

    fn symbol_of(&self, n: TsNode<'t>, scope: &HashMap<String, String>) -> Option<Sym> {
        let n = self.through_hoisted(n);
        // `parent::child`: a resource declared inside another, named from outside it. Children
        // are declared under their own names too.
        if n.kind() == "resource_expression" {
            let object = self.symbol_of(n.child_by_field_name("object")?, scope)?;
            let child = n.child_by_field_name("resource")?;
            return match (object, self.symbols.get(self.src(child))) {
                (Sym::Resource(parent), Some(Sym::Resource(r)))
                    if r.rtype.len() > parent.rtype.len()
                        && r.rtype[..parent.rtype.len()].eq_ignore_ascii_case(&parent.rtype) =>
                {
                    Some(Sym::Resource(r.clone()))
                }
                _ => None,
            };
        }
        if n.kind() != "identifier" {
            return None;
        }
        let name = self.src(n);
        if scope.contains_key(name) {
            return None;
        }
        self.use_import(name);
        self.symbols.get(name).cloned()
    }

    /// Records that a value uses `name`, if it is an imported one.
    fn use_import(&self, name: &str) {
        if let Some(&at) = self.imports.get(name) {
            self.used_imports.borrow_mut().insert(at);
        }
    }

    fn identifier(&self, name: &str, scope: &HashMap<String, String>) -> Result<String, Opaque> {
        if let Some(e) = scope.get(name) {
            return Ok(e.clone());
        }
        match self.symbols.get(name) {
            Some(Sym::Param) => Ok(format!("parameters({})", quote(name))),
            Some(Sym::Var) => Ok(format!("variables({})", quote(name))),
            Some(Sym::Resource(r)) => Ok(r.reference()),
            _ => {
                self.use_import(name);
                Err(Opaque)
            }
        }
    }

    /// `x.y`: a resource's deploy-time properties (`id`, `name`, `type`, `apiVersion`) as
    /// themselves, others through `reference()`; any other value's member.
    fn member_access(
        &mut self,
        n: TsNode<'t>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        let object = n.child_by_field_name("object").ok_or(Opaque)?;
        let property = n.child_by_field_name("property").ok_or(Opaque)?;
        let name = self.src(property);
        match self.symbol_of(object, scope) {
            Some(Sym::Resource(r)) => match name {
                "id" => Ok(r.id()),
                "name" => Ok(r.name),
                "type" => Ok(quote(&r.rtype)),
                "apiVersion" => Ok(quote(r.api_version.as_deref().unwrap_or(""))),
                _ => Ok(format!("{}.{name}", r.reference())),
            },
            Some(Sym::Module(_)) => Err(Opaque),
            _ => {
                // `m.outputs.x`: the output of the module's deployment.
                if object.kind() == "member_expression" {
                    let inner = object.child_by_field_name("object");
                    let what = object.child_by_field_name("property").map(|p| self.src(p));
                    if let (Some(Sym::Module(d)), Some("outputs")) =
                        (inner.and_then(|i| self.symbol_of(i, scope)), what)
                    {
                        let d = d.ok_or(Opaque)?;
                        return Ok(format!(
                            "reference(resourceId('Microsoft.Resources/deployments', {d}), \
                             '2022-09-01').outputs.{name}.value"
                        ));
                    }
                }
                // Namespaced functions: `az.resourceGroup()`, `sys.concat(…)` are called as
                // themselves.
                let o = self.expr_at(object, scope, depth + 1)?;
                // `x.?y`, null where `x` has no `y`, as Bicep compiles it.
                if has_token(n, ".?") {
                    return Ok(format!("tryGet({o}, {})", quote(name)));
                }
                Ok(format!("{o}.{name}"))
            }
        }
    }

    fn call(
        &mut self,
        n: TsNode<'t>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        let function = n.child_by_field_name("function").ok_or(Opaque)?;
        let args_node = n.child_by_field_name("arguments").ok_or(Opaque)?;
        self.call_of(
            self.function_name(function),
            named_children(args_node),
            scope,
            depth,
        )
    }

    /// A call of `function` with the argument expressions `arg_nodes`.
    fn call_of(
        &mut self,
        function: &str,
        arg_nodes: Vec<TsNode<'t>>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        let mut name = function.to_string();
        if let Some(rest) = name
            .strip_prefix("az.")
            .or_else(|| name.strip_prefix("sys."))
        {
            name = rest.to_string();
        }
        if let Some((object, _)) = name.split_once('.') {
            // A method of a resource (`kv.getSecret()`), or a function of an imported namespace.
            self.use_import(object);
            return Err(Opaque);
        }
        let mut args = Vec::new();
        for a in arg_nodes {
            args.push(self.expr_at(a, scope, depth + 1)?);
        }
        if let Some(f) = self.functions.get(&name).copied() {
            return self.inline(f, args, depth);
        }
        if self.symbols.contains_key(&name) {
            self.use_import(&name);
            return Err(Opaque);
        }
        match name.as_str() {
            // Bicep functions that only shape types or read files: not known here.
            "any" if args.len() == 1 => Ok(args.remove(0)),
            "loadTextContent"
            | "loadFileAsBase64"
            | "loadJsonContent"
            | "loadYamlContent"
            | "getSecret"
            | "readEnvironmentVariable"
            | "externalInput" => Err(Opaque),
            _ => Ok(format!("{name}({})", args.join(", "))),
        }
    }

    /// A call of a user-defined function: its body, each parameter standing for the ARM
    /// expression of its argument (a function sees its parameters only; one that calls itself
    /// stops at the nesting bound).
    fn inline(&mut self, f: TsNode<'t>, args: Vec<String>, depth: usize) -> Result<String, Opaque> {
        let params: Vec<String> = f
            .child_by_field_name("parameters")
            .or_else(|| first_named(f, "parameters"))
            .map(|ps| {
                named_children(ps)
                    .into_iter()
                    .filter(|p| p.kind() == "parameter")
                    .filter_map(|p| first_named(p, "identifier").map(|i| self.src(i).to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if params.len() != args.len() {
            return Err(Opaque);
        }
        let body = named_children(f).into_iter().last().ok_or(Opaque)?;
        if matches!(body.kind(), "parameters" | "type" | "identifier") {
            return Err(Opaque);
        }
        let scope: HashMap<String, String> = params.into_iter().zip(args).collect();
        // A body that uses a parameter more than once copies its argument: functions calling
        // each other could double the expression at every level.
        self.expr_at(body, &scope, depth + 1).and_then(|e| {
            if e.len() > MAX_INLINED {
                Err(Opaque)
            } else {
                Ok(e)
            }
        })
    }

    /// A string with interpolations as `format()`; a plain one as an ARM string literal.
    fn string_expr(
        &mut self,
        n: TsNode<'t>,
        scope: &HashMap<String, String>,
        depth: usize,
    ) -> Result<String, Opaque> {
        if let Some(s) = string_text(self.original, n) {
            return Ok(quote(&s));
        }
        let mut format_string = String::new();
        let mut args = Vec::new();
        for c in named_children(n) {
            match c.kind() {
                "string_content" => format_string.push_str(
                    &self.original[c.byte_range()]
                        .replace('{', "{{")
                        .replace('}', "}}"),
                ),
                "escape_sequence" => {
                    let e = unescape(&self.original[c.byte_range()]).ok_or(Opaque)?;
                    format_string.push_str(&e.replace('{', "{{").replace('}', "}}"));
                }
                "interpolation" => {
                    let inner = *named_children(c).first().ok_or(Opaque)?;
                    format_string.push_str(&format!("{{{}}}", args.len()));
                    args.push(self.expr_at(inner, scope, depth + 1)?);
                }
                _ => {}
            }
        }
        if args.is_empty() {
            return Ok(quote(&format_string.replace("{{", "{").replace("}}", "}")));
        }
        Ok(format!(
            "format({}, {})",
            quote(&format_string),
            args.join(", ")
        ))
    }
}

/// The text of a string without interpolations, escapes decoded; `None` when it interpolates.
fn string_text(text: &str, n: TsNode) -> Option<String> {
    let mut out = String::new();
    let mut cursor = n.walk();
    let raw = &text[n.byte_range()];
    if raw.starts_with("'''") {
        // A multi-line string: its text as written.
        return Some(
            raw.trim_start_matches("'''")
                .trim_end_matches("'''")
                .trim_start_matches(['\r', '\n'])
                .to_string(),
        );
    }
    for c in n.named_children(&mut cursor) {
        match c.kind() {
            "string_content" => out.push_str(&text[c.byte_range()]),
            "escape_sequence" => out.push_str(&unescape(&text[c.byte_range()])?),
            "interpolation" => return None,
            _ => {}
        }
    }
    Some(out)
}

/// The character an escape sequence of a Bicep string stands for (`\\'`, `\\u{…}`, …).
pub fn unescape(e: &str) -> Option<String> {
    Some(match e {
        "\\'" => "'".into(),
        "\\\\" => "\\".into(),
        "\\n" => "\n".into(),
        "\\r" => "\r".into(),
        "\\t" => "\t".into(),
        "\\$" => "$".into(),
        _ if e.starts_with("\\u{") => {
            let hex = e.trim_start_matches("\\u{").trim_end_matches('}');
            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?.to_string()
        }
        _ => return None,
    })
}

/// `Microsoft.X/y@2024-01-01` → (`Microsoft.X/y`, `2024-01-01`).
fn split_type(s: &str) -> (String, Option<String>) {
    match s.split_once('@') {
        Some((t, v)) => (t.to_string(), Some(v.to_string())),
        None => (s.to_string(), None),
    }
}

/// The notice at an import whose names a value uses.
fn imported_note() -> String {
    "batchguard does not read imported Bicep namespaces or values; what uses them is not known"
        .into()
}

/// An element of an array as written.
enum Element<'t> {
    Node(TsNode<'t>),
    /// `f(a, b)` as the first element of a multi-line array, which the grammar reads as the
    /// identifier `f` followed by the parenthesized list `(a, b)`: a call all the same.
    Call(TsNode<'t>, TsNode<'t>),
    /// An element the grammar split into several that did not parse as one expression on its
    /// own either ([`Rejoined`]): not known.
    Unread(Span),
}

/// The items of an array as the grammar reads them, in runs of items with nothing between
/// them: a run of more than one is one element the grammar split ([`Rejoined`]).
fn adjacent_runs(n: TsNode) -> Vec<Vec<TsNode>> {
    let mut runs: Vec<Vec<TsNode>> = Vec::new();
    for c in named_children(n) {
        if c.kind() == "decorators" {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|l| l.end_byte() == c.start_byte()) => run.push(c),
            _ => runs.push(vec![c]),
        }
    }
    runs
}

/// Is this run of items a call the grammar split in two (`f` and `(a, b)`), which lowering
/// joins itself ([`Element::Call`])?
fn split_call(run: &[TsNode]) -> bool {
    matches!(run, [f, args] if f.kind() == "identifier" && args.kind() == "parenthesized_expression")
}

/// Where a run of items that is one element the grammar split starts and ends, to be read again
/// ([`Rejoined`]); `None` for a single item, and for a split call, which lowering joins itself.
fn split_span(run: &[TsNode]) -> Option<(usize, usize)> {
    match run {
        [first, .., last] if !split_call(run) => Some((first.start_byte(), last.end_byte())),
        _ => None,
    }
}

/// Array elements the grammar splits: inside an array it takes an opening bracket for the start
/// of the next element, so `[ a[0] ]` is read as the elements `a` and `[0]`, and `[ a[0].b ]` as
/// `a` and `[0].b`. Each such run of elements with nothing between them is parsed again on its
/// own, as the value of a declaration, where the grammar reads subscripts as they are; its tree
/// is then moved to the run's place in the file, so that its nodes have the offsets (and, read
/// from the file's text, the source) of the run. The trees parsed again are searched too, for
/// arrays inside them.
struct Rejoined {
    trees: Vec<tree_sitter::Tree>,
    /// For each run by where it starts: where it ends, and the tree that reads it as one
    /// expression (an index into `trees`), if one does.
    runs: HashMap<usize, (usize, Option<usize>)>,
}

/// Most runs parsed again in one file, and most bytes parsed again (runs nest: `[a[b[c[0]]]]`)
/// for each byte of the file: beyond them, the further runs are not known.
const MAX_REJOINED: usize = 10_000;
const MAX_REJOINED_PER_BYTE: usize = 4;

impl Rejoined {
    fn of(tree: &tree_sitter::Tree, text: &str) -> Rejoined {
        let mut out = Rejoined {
            trees: Vec::new(),
            runs: HashMap::new(),
        };
        let mut found = Vec::new();
        split_runs(tree.root_node(), text, 0..text.len(), &mut found);
        if found.is_empty() {
            return out;
        }
        // One parser and one time bound (the file's, as for its own parse) for all the runs.
        let Ok(mut parser) = parser() else {
            return out;
        };
        let until = deadline(text);
        let mut next = 0;
        let mut bytes = 0;
        while next < found.len() {
            let (start, end) = found[next];
            next += 1;
            if out.runs.contains_key(&start) {
                continue;
            }
            bytes += end - start;
            let within = out.runs.len() < MAX_REJOINED
                && bytes <= MAX_REJOINED_PER_BYTE.saturating_mul(text.len());
            let tree = within
                .then(|| parse_at(&mut parser, text, start, end, until))
                .flatten();
            let index = tree.map(|t| {
                split_runs(t.root_node(), text, start..end, &mut found);
                out.trees.push(t);
                out.trees.len() - 1
            });
            out.runs.insert(start, (end, index));
        }
        out
    }

    /// The expression each run reads as, by where it starts.
    fn nodes(&self) -> HashMap<usize, (usize, Option<TsNode<'_>>)> {
        self.runs
            .iter()
            .map(|(&start, &(end, index))| {
                let node = index.and_then(|i| declared_value(self.trees[i].root_node()));
                (start, (end, node))
            })
            .collect()
    }
}

/// The runs of more than one element (split calls excepted), as (start, end), in the arrays of
/// the tree under `root` that hold a place in `text[range]` where an opening bracket follows
/// something else than a space or an opening: a split starts at such a bracket. Only the nodes
/// around such places are visited: most brackets are not subscripts, and most subscripts are
/// not in arrays.
fn split_runs(
    root: TsNode,
    text: &str,
    range: std::ops::Range<usize>,
    out: &mut Vec<(usize, usize)>,
) {
    let bytes = text.as_bytes();
    let places: Vec<usize> = memchr::memchr_iter(b'[', &bytes[range.clone()])
        .map(|i| range.start + i)
        .filter(|&p| {
            p.checked_sub(1)
                .is_some_and(|b| !bytes[b].is_ascii_whitespace() && !b"[({,:".contains(&bytes[b]))
        })
        .collect();
    if places.is_empty() {
        return;
    }
    // Does the node hold both sides of a place (the bracket and what is before it)?
    let holds = |n: TsNode| {
        let i = places.partition_point(|&p| p <= n.start_byte());
        places.get(i).is_some_and(|&p| p < n.end_byte())
    };
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let inside = holds(node);
        if inside && node.kind() == "array" {
            out.extend(adjacent_runs(node).iter().filter_map(|run| split_span(run)));
        }
        if inside && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// `text[start..end]` parsed as the value of a declaration, the tree moved so that the value
/// is at `start`; `None` unless it reads as one expression, whole, without errors.
fn parse_at(
    parser: &mut tree_sitter::Parser,
    text: &str,
    start: usize,
    end: usize,
    until: std::time::Instant,
) -> Option<tree_sitter::Tree> {
    const PREFIX: &str = "var _=";
    let item = text.get(start..end)?;
    let shift = start.checked_sub(PREFIX.len())?;
    let mut tree = parse_with(parser, &format!("{PREFIX}{item}"), until).ok()?;
    if tree.root_node().has_error() {
        return None;
    }
    // Moved as if `shift` bytes had been written before it (rows and columns are not read).
    let at = tree_sitter::Point::new(0, 0);
    tree.edit(&tree_sitter::InputEdit {
        start_byte: 0,
        old_end_byte: 0,
        new_end_byte: shift,
        start_position: at,
        old_end_position: at,
        new_end_position: tree_sitter::Point::new(0, shift),
    });
    let value = declared_value(tree.root_node())?;
    (value.start_byte() == start && value.end_byte() == end).then_some(tree)
}

/// The value of the declaration a run is parsed as ([`parse_at`]).
fn declared_value(root: TsNode) -> Option<TsNode> {
    value_after_equals(first_named(root, "variable_declaration")?)
}

fn named_children(n: TsNode) -> Vec<TsNode> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|c| !matches!(c.kind(), "comment" | "diagnostic_comment"))
        .collect()
}

fn first_named<'t>(n: TsNode<'t>, kind: &str) -> Option<TsNode<'t>> {
    named_children(n).into_iter().find(|c| c.kind() == kind)
}

fn has_token(n: TsNode, token: &str) -> bool {
    let mut c = n.walk();
    let found = n
        .children(&mut c)
        .any(|c| !c.is_named() && c.kind() == token);
    found
}

/// The value after `=` of a declaration.
fn value_after_equals(s: TsNode) -> Option<TsNode> {
    let mut c = s.walk();
    let all: Vec<TsNode> = s.children(&mut c).collect();
    let eq = all.iter().position(|n| n.kind() == "=")?;
    all.get(eq + 1..)?
        .iter()
        .find(|n| n.is_named() && n.kind() != "comment")
        .copied()
}

/// The body object of a resource declaration, past its `if` and `for`.
fn resource_body(s: TsNode) -> Option<TsNode> {
    let mut n = named_children(s)
        .into_iter()
        .find(|n| matches!(n.kind(), "object" | "if_statement" | "for_statement"))?;
    if n.kind() == "for_statement" {
        n = n.child_by_field_name("body")?;
    }
    if n.kind() == "if_statement" {
        n = first_named(n, "object")?;
    }
    (n.kind() == "object").then_some(n)
}

/// An object property's key (as written, unquoted), key node and value node.
fn property<'t>(text: &str, p: TsNode<'t>) -> Option<(String, TsNode<'t>, TsNode<'t>)> {
    if p.kind() != "object_property" {
        return None;
    }
    let children = named_children(p);
    let key_node = *children.first()?;
    let key = match key_node.kind() {
        "string" => string_text(text, key_node)?,
        "identifier" | "compatible_identifier" | "property_identifier" => {
            text[key_node.byte_range()].to_string()
        }
        _ => return None,
    };
    let value = *children.get(1)?;
    if value.kind() == "decorators" {
        return Some((key, key_node, *children.get(2)?));
    }
    Some((key, key_node, value))
}

/// The value node of the member `key` of an object.
fn object_member<'t>(text: &str, obj: TsNode<'t>, key: &str) -> Option<TsNode<'t>> {
    named_children(obj)
        .into_iter()
        .filter_map(|p| property(text, p))
        .find(|(k, _, _)| k == key)
        .map(|(_, _, v)| v)
}

fn member(key: &str, key_span: Span, value: Node) -> Member {
    Member {
        key: key.to_string().into(),
        key_span,
        value,
        written: None,
    }
}

fn str_node(s: &str, span: Span) -> Node {
    Node::new(Value::String(s.to_string()), span)
}

fn expression_node(e: &str, span: Span) -> Node {
    Node::new(
        Value::Unknown(
            Unknown {
                reason: "ARM expression".into(),
                reference: Some(Reference::ArmExpression(format!("[{e}]"))),
            }
            .into(),
        ),
        span,
    )
}

fn unknown_node(span: Span) -> Node {
    Node::new(
        Value::Unknown(
            Unknown {
                reason: "Bicep expression that batchguard does not evaluate".into(),
                reference: None,
            }
            .into(),
        ),
        span,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(text: &str) -> Node {
        let file = SourceFile::new(0, "main.bicep".into(), "main.bicep".into(), text);
        let doc = load(&file);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        doc.root.unwrap()
    }

    fn expression(n: &Node) -> &str {
        match &n.value {
            Value::Unknown(u) if u.arm_expression().is_some() => {
                u.arm_expression().unwrap_or_default()
            }
            other => panic!("not an expression: {other:?}"),
        }
    }

    #[test]
    fn a_variable_loop_is_a_variable_copy_loop() {
        let root = lowered(
            "param ports array = [22]\nvar rules = [for (p, i) in ports: {\n  name: 'r${i}'\n  port: p\n}]\n",
        );
        let copy = root.path(&["variables", "copy"]).expect("variables.copy");
        let Value::Array(loops) = &copy.value else {
            panic!("{copy:?}")
        };
        let l = &loops[0];
        assert_eq!(l.get("name").and_then(Node::as_str), Some("rules"));
        assert_eq!(
            expression(l.get("count").unwrap()),
            "[length(parameters('ports'))]"
        );
        assert_eq!(
            expression(l.path(&["input", "port"]).unwrap()),
            "[parameters('ports')[copyIndex('rules')]]"
        );
        assert_eq!(
            expression(l.path(&["input", "name"]).unwrap()),
            "[format('r{0}', copyIndex('rules'))]"
        );
    }

    #[test]
    fn symbolic_references_become_resource_ids_and_names() {
        let root = lowered(
            "resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {\n  name: 'v'\n}\nresource sn 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {\n  parent: vnet\n  name: 's'\n  properties: {\n    x: sn.id\n    y: vnet.name\n  }\n}\n",
        );
        let Some(Value::Array(resources)) = root.get("resources").map(|r| &r.value) else {
            panic!()
        };
        let sn = &resources[1];
        assert_eq!(
            expression(sn.get("name").unwrap()),
            "[format('{0}/{1}', 'v', 's')]"
        );
        assert_eq!(
            expression(sn.path(&["properties", "x"]).unwrap()),
            "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"
        );
        assert_eq!(expression(sn.path(&["properties", "y"]).unwrap()), "['v']");
    }

    /// `parent::child` names a resource declared inside another from outside it; a nested
    /// resource written without `@version` takes its parent's.
    #[test]
    fn nested_resources_are_named_with_the_accessor() {
        let root = lowered(
            "resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {\n  name: 'v'\n  resource sub 'subnets' = {\n    name: 's'\n  }\n}\nvar x = vnet::sub.id\nvar y = vnet::sub.properties.addressPrefix\nvar z = vnet::other.id\nvar v = vnet::sub.apiVersion\n",
        );
        let var = |k: &str| expression(root.path(&["variables", k]).unwrap()).to_string();
        assert_eq!(
            var("x"),
            "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"
        );
        assert!(
            var("y").contains("properties.addressPrefix"),
            "{}",
            var("y")
        );
        assert!(root.path(&["variables", "z"]).unwrap().is_unknown());
        // Written without `@version`, it takes its parent's.
        assert_eq!(var("v"), "['2023-09-01']");
    }

    /// Conditionals written over several lines as Azure Verified Modules write them: non-null
    /// assertions on nested resources in both branches, and a parenthesized condition the
    /// grammar reads as a nullable type.
    #[test]
    fn conditionals_over_several_lines_are_read() {
        let root = lowered(
            "param k object?\nresource kv 'Microsoft.KeyVault/vaults@2024-11-01' existing = {\n  name: 'kv'\n  resource key 'keys@2024-11-01' existing = {\n    name: 'k'\n  }\n}\nvar a = (k.?auto ?? true)\n  ? kv::key!.properties.keyUri\n  : kv::key!.properties.keyUriWithVersion\nvar b = {\n  c: (true)\n    ? 'x'\n    : 'y'\n  d: 'Hello!'\n}\nvar e = '${kv::key!.name}!' != 'a!'\noutput o string = (true)\n  ? 'p'\n  : 'q'\n",
        );
        let var = |k: &str| expression(root.path(&["variables", k]).unwrap()).to_string();
        let key =
            "reference(resourceId('Microsoft.KeyVault/vaults/keys', 'kv', 'k'), '2024-11-01', 'full')";
        assert_eq!(
            var("a"),
            format!(
                "[if(coalesce(tryGet(parameters('k'), 'auto'), true()), \
                 {key}.properties.keyUri, {key}.properties.keyUriWithVersion)]"
            )
        );
        let b = root.path(&["variables", "b"]).unwrap();
        assert_eq!(
            expression(b.path(&["c"]).unwrap()),
            "[if(true(), 'x', 'y')]"
        );
        // A `!` inside a string is text.
        assert_eq!(b.path(&["d"]).unwrap().as_str(), Some("Hello!"));
        assert_eq!(var("e"), "[not(equals(format('{0}!', 'k'), 'a!'))]");
        assert_eq!(
            expression(root.path(&["outputs", "o", "value"]).unwrap()),
            "[if(true(), 'p', 'q')]"
        );
    }

    #[test]
    fn user_functions_are_inlined_and_module_outputs_referenced() {
        let root = lowered(
            "module m './m.bicep' = {\n  name: 'dep'\n}\nmodule n './m.bicep' = {}\nmodule l './m.bicep' = [for i in range(0, 2): {\n  name: 'l${i}'\n}]\nfunc cidr(p string, bits int) string => '${p}/${bits}'\nfunc loop(x int) int => loop(x)\nvar a = cidr('10.0.0.0', 8)\nvar b = m.outputs.src\nvar c = n.outputs.src\nvar d = loop(1)\nvar e = l[0].outputs.src\noutput o string = a\n",
        );
        let var = |k: &str| root.path(&["variables", k]).unwrap();
        assert_eq!(expression(var("a")), "[format('{0}/{1}', '10.0.0.0', 8)]");
        assert_eq!(
            expression(var("b")),
            "[reference(resourceId('Microsoft.Resources/deployments', 'dep'), '2022-09-01').outputs.src.value]"
        );
        assert_eq!(
            expression(var("c")),
            "[reference(resourceId('Microsoft.Resources/deployments', 'n'), '2022-09-01').outputs.src.value]"
        );
        // A function that calls itself, and a module loop, are not known.
        assert!(matches!(
            &var("d").value,
            Value::Unknown(u) if u.reference.is_none()
        ));
        assert!(matches!(
            &var("e").value,
            Value::Unknown(u) if u.reference.is_none()
        ));
        assert_eq!(
            expression(root.path(&["outputs", "o", "value"]).unwrap()),
            "[variables('a')]"
        );
    }

    /// The grammar reads a call that opens a multi-line array as an identifier and a
    /// parenthesized list; it is a call.
    #[test]
    fn a_call_that_opens_a_multi_line_array_is_one_element() {
        let root = lowered(
            "var x = [\n  concat('a', 'b')\n  concat('c')\n]\nvar y = [\n  'a'\n  concat('b')\n]\n",
        );
        let items = |k: &str| root.path(&["variables", k]).unwrap().items().len();
        assert_eq!(items("x"), 2);
        assert_eq!(
            expression(&root.path(&["variables", "x"]).unwrap().items()[0]),
            "[concat('a', 'b')]"
        );
        assert_eq!(items("y"), 2);
    }
}

#[cfg(test)]
mod newer_syntax_tests {
    use super::*;

    fn parsed(text: &str) -> Document {
        let file = SourceFile::new(0, "main.bicep".into(), "main.bicep".into(), text);
        load(&file)
    }

    #[test]
    fn typed_variables_and_resource_input_types_are_read() {
        let text = "param enableTelemetry bool = true\n\
                    var enabled bool = !enableTelemetry\n\
                    var names string[] = ['a', 'b'] // note = x\n\
                    @description('''\nvar inside string = 1\n''')\n\
                    param siteConfig resourceInput<'Microsoft.Web/sites@2024-04-01'>.properties.siteConfig = {\n  alwaysOn: true\n}\n\
                    param tags resourceInput<'Microsoft.Web/sites@2024-04-01'>.tags?\n\
                    output o resourceOutput<'Microsoft.Web/sites@2024-04-01'>.properties = site.properties\n\
                    resource site 'Microsoft.Web/sites@2024-04-01' = {\n  name: 's'\n  properties: {\n    httpsOnly: enabled\n    siteConfig: siteConfig\n  }\n}\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        assert!(
            root.path(&["variables", "enabled"]).is_some(),
            "{:?}",
            root.get("variables")
        );
        assert!(root.path(&["variables", "names"]).is_some());
        assert!(root
            .path(&["parameters", "siteConfig", "defaultValue", "alwaysOn"])
            .is_some());
        // The verbatim string is text: its `var` line is not a declaration.
        assert!(root.path(&["variables", "inside"]).is_none());
    }

    #[test]
    fn the_blanking_keeps_every_offset() {
        let text = "var a bool = true\nparam p resourceInput<'A.B/c@2024-01-01'>.properties.x? \nvar b = a == true\n";
        let out = newer_types_blanked(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().next(), Some("var a      = true"));
        assert!(out.lines().nth(1).unwrap().starts_with("param p object?  "));
        // An untyped declaration, and `==`, stay as written.
        assert_eq!(out.lines().nth(2), Some("var b = a == true"));
    }

    #[test]
    fn an_object_spread_is_a_member_evaluation_merges() {
        let text = "param extra object = {}\n\
                    resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: 'n'\n  location: 'westeurope'\n  tags: {\n    ...extra\n    owner: 'x'\n  }\n  properties: {\n    securityRules: []\n  }\n}\n\
                    var s = 'not ... a spread'\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let layout = Layout::of(text);
        assert!(layout.array_spreads.is_empty());
        assert_eq!(layout.object_spreads.len(), 1);
        assert!(text[layout.object_spreads[0]..].starts_with("...extra\n    owner"));
        let root = doc.root.expect("a template");
        let Some(Value::Array(resources)) = root.get("resources").map(|r| &r.value) else {
            panic!("{root:?}")
        };
        let tags = resources[0].get("tags").expect("tags");
        let keys: Vec<&str> = tags.members().iter().map(|m| m.key.as_ref()).collect();
        assert_eq!(keys, [crate::ir::SPREAD_KEY, "owner"]);
        assert_eq!(
            expression(tags.get(crate::ir::SPREAD_KEY).unwrap()),
            "[parameters('extra')]"
        );
        assert!(resources[0]
            .path(&["properties", "securityRules"])
            .is_some());
        // The text the grammar read: the spread as a member, of the same length.
        let mut marked = text.to_string();
        spreads_marked(&mut marked);
        assert_eq!(marked.len(), text.len());
        assert!(marked.contains("\n    __:extra\n"));
    }

    #[test]
    fn a_nullable_named_type_does_not_swallow_the_next_declaration() {
        let text = "param lock lockType?\n\n#disable-next-line no-deployments-resources\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = if (true) {\n  name: 'n'\n}\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let Some(Value::Array(resources)) = root.get("resources").map(|r| &r.value) else {
            panic!("{root:?}")
        };
        assert_eq!(resources.len(), 1, "{root:?}");
        // Only a named type with its `?`, alone on its line, and long enough for `object?`.
        assert_eq!(nullable_named_type_len("lockType?\n"), Some(9));
        assert_eq!(nullable_named_type_len("lockType? // c"), Some(9));
        assert_eq!(nullable_named_type_len("string?\n"), None);
        assert_eq!(nullable_named_type_len("abc?\n"), None);
        assert_eq!(nullable_named_type_len("lockType? = {}"), None);
    }

    #[test]
    fn a_file_that_parses_only_rewritten_keeps_its_strings_and_places() {
        // `'//'` in a string, arguments over several lines, a decorated object type: each is
        // an error to the grammar as it stands.
        let text = "@export()\n@description('A rule.')\ntype ruleType = {\n  @description('The name.')\n  name: string\n}\n\n\
                    param id string = ''\n\
                    var parts = split(empty(id) ? '//' : id, '/')\n\
                    resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: 'n//x'\n  location: concat(\n    'west',\n    'europe' // a comment\n  )\n}\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let Some(Value::Array(resources)) = root.get("resources").map(|r| &r.value) else {
            panic!("{root:?}")
        };
        let name = resources[0].get("name").expect("a name");
        assert_eq!(name.as_str(), Some("n//x"));
        assert_eq!(&text[name.span.start..name.span.end], "'n//x'");
        let parts = root.path(&["variables", "parts"]).expect("the variable");
        assert!(expression(parts).contains("'//'"), "{parts:?}");
    }

    fn expression(n: &Node) -> &str {
        match &n.value {
            Value::Unknown(u) if u.arm_expression().is_some() => {
                u.arm_expression().unwrap_or_default()
            }
            other => panic!("not an expression: {other:?}"),
        }
    }

    #[test]
    fn layout_finds_line_starts_parenthesized_breaks_and_string_slashes() {
        let text = "type t = {\n  a: string\n}\nvar x = f(\n  1, // one\n  2\n)\nvar y = 'a//b'\n";
        let layout = Layout::of(text);
        let starts: Vec<&str> = layout.starts.iter().map(|&at| &text[at..at + 4]).collect();
        // The `}` that closes the type starts its line inside the braces.
        assert_eq!(starts, ["type", "var ", "var "]);
        // The break after `f(` and after `2`; not the one that ends the comment.
        assert_eq!(layout.paren_breaks.len(), 2);
        assert_eq!(layout.string_slashes.len(), 2);
        let mut blanked = text.to_string();
        declarations_blanked(&mut blanked);
        assert_eq!(blanked.len(), text.len());
        assert!(
            blanked.lines().take(3).all(|l| l.trim().is_empty()),
            "{blanked}"
        );
        assert!(blanked.contains("\nvar x = f("));
    }

    #[test]
    fn newer_declarations_and_interpolated_verbatim_strings_are_read() {
        let text = "import {\n  a\n  b as c\n} from 'mod.bicep'\n\
                    var shaped {\n  foo: string\n} = {\n  foo: 'x'\n}\n\
                    var plain = $\'\'\'\nno interpolation\n\'\'\'\n\
                    var greeting = $\'\'\'\nHello ${shaped.foo}\n\'\'\'\n\
                    output o string = plain\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        assert!(
            root.path(&["variables", "shaped", "foo"]).is_some(),
            "{root:?}"
        );
        assert_eq!(
            root.path(&["variables", "plain"]).and_then(Node::as_str),
            Some("no interpolation\n")
        );
        // Interpolated: not known.
        assert!(matches!(
            root.path(&["variables", "greeting"]).map(|n| &n.value),
            Some(Value::Unknown(_))
        ));
    }

    #[test]
    fn spreads_in_strings_and_comments_are_text() {
        let text = "var a = '${x} ...'\n// ...{\nvar b = [\n  'x'\n]\nvar c = '''\n{ ...d }\n'''\n";
        let layout = Layout::of(text);
        assert!(layout.array_spreads.is_empty() && layout.object_spreads.is_empty());
        let arrays = "var a = [\n  ...b\n  'c'\n]\nvar d = {\n  e: '${f}'\n  g: [1, ...h]\n}\n";
        let layout = Layout::of(arrays);
        assert!(layout.object_spreads.is_empty());
        let found = layout.array_spreads;
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(arrays[found[0]..].starts_with("...b\n"));
        assert!(arrays[found[1]..].starts_with("...h]"));
        // Blanked, so that the value spread is an item of its own.
        let mut marked = arrays.to_string();
        spreads_marked(&mut marked);
        assert_eq!(marked.len(), arrays.len());
        assert!(marked.contains("\n     b\n") && marked.contains("[1,    h]"));
    }

    /// Safe dereferences (`x.?y`, `x[?i]`) are null where the value has no such member, as
    /// Bicep compiles them (`tryGet()`); plain ones stay as written.
    #[test]
    fn safe_dereferences_lower_to_tryget() {
        let text = "param o object = {}\nparam a array = []\n\
                    var x = o.?name\nvar y = a[?3]\nvar z = o.?inner.?name ?? 'none'\n\
                    var w = o.name\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let var = |name: &str| expression(root.path(&["variables", name]).expect(name)).to_string();
        assert_eq!(var("x"), "[tryGet(parameters('o'), 'name')]");
        assert_eq!(var("y"), "[tryGet(parameters('a'), 3)]");
        assert_eq!(
            var("z"),
            "[coalesce(tryGet(tryGet(parameters('o'), 'inner'), 'name'), 'none')]"
        );
        assert_eq!(var("w"), "[parameters('o').name]");
    }

    /// `!` and `-` apply to the member access, index or call after them, which the grammar
    /// binds looser (`!a.b` read as `(!a).b`).
    #[test]
    fn negation_applies_to_the_member_access_after_it() {
        let text = "param a object = {}\nparam f bool = false\n\
                    var x = !a.b\nvar y = !a.b.c\nvar z = !a[0]\nvar w = -a.b\n\
                    var v = !!a.b\nvar u = !(a.b)\nvar t = !a.b ? 1 : 2\n\
                    var s = !empty(a)\nvar r = !az.resourceGroup().name\nvar q = -a.b[0] + 1\n\
                    var p = !f && a.b\nvar o = !a.?b\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let var = |name: &str| expression(root.path(&["variables", name]).expect(name)).to_string();
        assert_eq!(var("x"), "[not(parameters('a').b)]");
        assert_eq!(var("y"), "[not(parameters('a').b.c)]");
        assert_eq!(var("z"), "[not(parameters('a')[0])]");
        assert_eq!(var("w"), "[sub(0, parameters('a').b)]");
        assert_eq!(var("v"), "[not(not(parameters('a').b))]");
        assert_eq!(var("u"), "[not(parameters('a').b)]");
        assert_eq!(var("t"), "[if(not(parameters('a').b), 1, 2)]");
        assert_eq!(var("s"), "[not(empty(parameters('a')))]");
        assert_eq!(var("r"), "[not(resourceGroup().name)]");
        assert_eq!(var("q"), "[add(sub(0, parameters('a').b[0]), 1)]");
        assert_eq!(var("p"), "[and(not(parameters('f')), parameters('a').b)]");
        assert_eq!(var("o"), "[not(tryGet(parameters('a'), 'b'))]");
    }

    /// A member access, index or call after an operation's last operand belongs to that operand
    /// (`f && a.b` is `f && (a.b)`), which the grammar reads as applying to the whole operation.
    #[test]
    fn member_access_binds_tighter_than_operators() {
        let text = "param a object = {}\nparam f bool = false\nparam n int = 1\n\
                    var x = f && a.b\nvar y = n + a.b[0]\nvar z = f ? a.b : a.c.d\n\
                    var w = a ?? a.b.?c\nvar v = f || a.b && a.c\nvar u = (f && a).b\n\
                    var t = a.b && f\nvar s = !f ? 'x' : !a.b\nvar r = f ? 1 : az.resourceGroup().location\n\
                    var q = a.b == a.c\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let var = |name: &str| expression(root.path(&["variables", name]).expect(name)).to_string();
        assert_eq!(var("x"), "[and(parameters('f'), parameters('a').b)]");
        assert_eq!(var("y"), "[add(parameters('n'), parameters('a').b[0])]");
        assert_eq!(
            var("z"),
            "[if(parameters('f'), parameters('a').b, parameters('a').c.d)]"
        );
        assert_eq!(
            var("w"),
            "[coalesce(parameters('a'), tryGet(parameters('a').b, 'c'))]"
        );
        assert_eq!(
            var("v"),
            "[or(parameters('f'), and(parameters('a').b, parameters('a').c))]"
        );
        assert_eq!(var("u"), "[and(parameters('f'), parameters('a')).b]");
        assert_eq!(var("t"), "[and(parameters('a').b, parameters('f'))]");
        assert_eq!(
            var("s"),
            "[if(not(parameters('f')), 'x', not(parameters('a').b))]"
        );
        assert_eq!(
            var("r"),
            "[if(parameters('f'), 1, resourceGroup().location)]"
        );
        assert_eq!(var("q"), "[equals(parameters('a').b, parameters('a').c)]");
    }

    /// An import is named in a notice only when a value uses what it brings in: most import
    /// types, which never change a value.
    #[test]
    fn only_imports_that_values_use_are_named() {
        let text = "import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.5.1'\n\
                    import { helper } from 'functions.bicep'\n\
                    import * as shared from 'shared.bicep'\n\
                    import { unused } from 'other.bicep'\n\
                    import 'kubernetes@1.0.0'\n\
                    param lock lockType?\n\
                    var a = helper(1)\n\
                    var b = shared.settings.name\n";
        let doc = parsed(text);
        let mut named: Vec<&str> = doc
            .notices
            .iter()
            .filter(|n| n.message.contains("imported Bicep"))
            .map(|n| text[n.span.start..n.span.end].lines().next().unwrap_or(""))
            .collect();
        named.sort_unstable();
        assert_eq!(
            named,
            [
                "import 'kubernetes@1.0.0'",
                "import * as shared from 'shared.bicep'",
                "import { helper } from 'functions.bicep'",
            ],
            "{:?}",
            doc.notices
        );
        // What batchguard leaves out of a valid file is a note, not a fault of the file.
        assert!(doc
            .notices
            .iter()
            .all(|n| n.level == crate::ir::NoticeLevel::Note));
    }

    /// A registry or template-spec module is not fetched: a note at its path, one per call.
    #[test]
    fn registry_modules_are_named_in_notes() {
        let text = "module a 'br/public:avm/res/network/network-security-group:0.5.0' = {\n  name: 'a'\n}\n\
                    module b 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {\n  name: 'b'\n}\n";
        let doc = parsed(text);
        let notes: Vec<(&str, crate::ir::NoticeLevel)> = doc
            .notices
            .iter()
            .map(|n| (&text[n.span.start..n.span.end], n.level))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "'br/public:avm/res/network/network-security-group:0.5.0'",
                    crate::ir::NoticeLevel::Note
                ),
                (
                    "'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0'",
                    crate::ir::NoticeLevel::Note
                ),
            ],
            "{:?}",
            doc.notices
        );
    }

    /// The grammar reads `[ a[0] ]` as the elements `a` and `[0]`: each such run is read again
    /// as the one element it is, nested ones too, wherever the array is.
    #[test]
    fn subscripted_array_elements_are_one_element() {
        let text = "param a array\nparam o object\n\
                    var x = [a[0]]\n\
                    var y = [\n  a[0].b\n  o['k'][1]\n  'z'\n]\n\
                    var z = union([a[0], o.list[1]], [])\n\
                    var w = [a[o.keys[0]]]\n\
                    var v = [split('p,q', ',')[1], a [0]]\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let var = |name: &str| root.path(&["variables", name]).expect(name).clone();
        let items = |name: &str| -> Vec<String> {
            let Value::Array(items) = var(name).value else {
                panic!("{name}: {root:?}")
            };
            items
                .iter()
                .map(|i| match &i.value {
                    Value::String(s) => format!("'{s}'"),
                    Value::Array(a) => format!("{} elements", a.len()),
                    _ => expression(i).to_string(),
                })
                .collect()
        };
        assert_eq!(items("x"), ["[parameters('a')[0]]"]);
        assert_eq!(
            items("y"),
            ["[parameters('a')[0].b]", "[parameters('o')['k'][1]]", "'z'"]
        );
        assert_eq!(
            expression(&var("z")),
            "[union(createArray(parameters('a')[0], parameters('o').list[1]), createArray())]"
        );
        assert_eq!(items("w"), ["[parameters('a')[parameters('o').keys[0]]]"]);
        // A space between them leaves two elements, as written.
        assert_eq!(
            items("v"),
            ["[split('p,q', ',')[1]]", "[parameters('a')]", "1 elements"]
        );
        // Each element spans what it was written as.
        let Value::Array(y) = var("y").value else {
            panic!()
        };
        assert_eq!(&text[y[1].span.start..y[1].span.end], "o['k'][1]");
    }

    #[test]
    fn an_array_spread_is_an_item_evaluation_replaces() {
        let text = "param extra array = []\n\
                    param o object = {}\n\
                    var a = [\n  ...extra\n  'x'\n]\n\
                    var b = [\n  ...extra ?? []\n]\n\
                    var c = union([\n  'y'\n  ...extra\n], [])\n\
                    var d = [...o.list, ...o.lists[0], ...empty(extra) ? [] : extra, 'z']\n";
        let doc = parsed(text);
        assert!(
            doc.notices.iter().all(|n| !n.is_error()),
            "{:?}",
            doc.notices
        );
        let root = doc.root.expect("a template");
        let var = |name: &str| root.path(&["variables", name]).expect(name).clone();
        // `a`: the spread as an item of its own, then the literal.
        let Value::Array(items) = var("a").value else {
            panic!("{root:?}")
        };
        assert_eq!(items.len(), 2);
        let keys: Vec<&str> = items[0].members().iter().map(|m| m.key.as_ref()).collect();
        assert_eq!(keys, [crate::ir::SPREAD_KEY]);
        assert_eq!(
            expression(items[0].get(crate::ir::SPREAD_KEY).unwrap()),
            "[parameters('extra')]"
        );
        assert!(matches!(&items[1].value, Value::String(s) if s == "x"));
        // `b`: the spread applies to the whole expression after it.
        let Value::Array(items) = var("b").value else {
            panic!("{root:?}")
        };
        assert_eq!(
            expression(items[0].get(crate::ir::SPREAD_KEY).unwrap()),
            "[coalesce(parameters('extra'), createArray())]"
        );
        // Its place starts at the `...`.
        assert!(text[items[0].span.start..items[0].span.end].starts_with("...extra ??"));
        // `d`: spreads of a property, an element and a condition, each an item of its own.
        let Value::Array(items) = var("d").value else {
            panic!("{root:?}")
        };
        let spread: Vec<&str> = items
            .iter()
            .filter_map(|i| i.get(crate::ir::SPREAD_KEY))
            .map(expression)
            .collect();
        assert_eq!(
            spread,
            [
                "[parameters('o').list]",
                "[parameters('o').lists[0]]",
                "[if(empty(parameters('extra')), createArray(), parameters('extra'))]",
            ]
        );
        assert_eq!(items.len(), 4);
        assert!(matches!(&items[3].value, Value::String(s) if s == "z"));
        // `c`: in an expression, `concat()` of the items around the spread and the spread.
        assert_eq!(
            expression(&var("c")),
            "[union(concat(createArray('y'), parameters('extra')), createArray())]"
        );
    }
}
