//! Fixes: a finding's structured fix (edits at ARM paths below its resource) made into text
//! edits in the syntax and the files its values are written in ([`plan`]), then applied to the
//! files and checked by scanning them again ([`run`]), or shown as a unified diff ([`diff`]).
//!
//! Planning happens in the scan, while the finding's resource and its evaluation are at hand
//! (`scan` calls [`plan`]); applying happens after it and scans again (`run` calls `scan`).
//! Edits are made on the text, never by printing a syntax tree again: everything outside the
//! edited value or the inserted lines stays byte for byte as it was — comments, alignment, line
//! endings, a byte order mark.

pub mod apply;
mod bicep;
pub mod diff;
mod hcl;
mod json;
mod objects;
pub mod run;

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use crate::findings::{EditOp, Fix, Planned, TextEdit};
use crate::ir::spelling::StepKind;
use crate::ir::{Node, Resource, Span, Value};
use crate::source::{FileId, SourceFile};

/// What planning needs beyond the resource: the scope's files and, for each definition that
/// evaluation read a value from (a variable default, a tfvars entry, a parameter value), the
/// places that use it.
pub struct Ctx<'a> {
    pub files: &'a [SourceFile],
    pub uses: &'a HashMap<Span, Vec<Span>>,
    /// Each JSON file's indentation step, measured once per file (findings are explained in
    /// parallel).
    units: std::sync::Mutex<HashMap<FileId, String>>,
    /// Each resource block parsed for a fix, by its place: a resource with several findings, or
    /// several instances of one block, is parsed once.
    blocks: std::sync::Mutex<HashMap<Span, std::sync::Arc<hcl_edit::structure::Body>>>,
}

impl<'a> Ctx<'a> {
    pub fn new(files: &'a [SourceFile], uses: &'a HashMap<Span, Vec<Span>>) -> Ctx<'a> {
        Ctx {
            files,
            uses,
            units: std::sync::Mutex::new(HashMap::new()),
            blocks: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn text(&self, file: FileId) -> &'a str {
        &self.files[file].text
    }

    /// The file's indentation step ([`json::unit_of`]).
    fn unit(&self, file: FileId) -> String {
        self.units
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(file)
            .or_insert_with(|| json::unit_of(self.text(file)))
            .clone()
    }

    /// The resource block at `span` parsed alone, parsed again only when no finding before
    /// this one parsed it.
    fn block(&self, span: Span) -> Result<std::sync::Arc<hcl_edit::structure::Body>, String> {
        let lock = || {
            self.blocks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(body) = lock().get(&span) {
            return Ok(body.clone());
        }
        let block_text = self
            .text(span.file)
            .get(span.start..span.end)
            .ok_or("the resource block was not found in its file")?;
        let body = std::sync::Arc::new(
            crate::frontend::hcl_parse::parse_body(block_text)
                .map_err(|_| "the file does not parse")?,
        );
        Ok(lock().entry(span).or_insert(body).clone())
    }

    fn is_json(&self, file: FileId) -> bool {
        self.files[file].rel.to_ascii_lowercase().ends_with(".json")
    }

    fn lang(&self, file: FileId) -> Lang {
        let rel = self.files[file].rel.to_ascii_lowercase();
        if rel.ends_with(".tf.json") {
            Lang::TfJson
        } else if rel.ends_with(".tfvars.json") {
            Lang::TfvarsJson
        } else if rel.ends_with(".json") {
            Lang::Json
        } else if rel.ends_with(".bicep") || rel.ends_with(".bicepparam") {
            Lang::Bicep
        } else {
            Lang::Hcl
        }
    }
}

/// The places that use each definition evaluation read a value from, over a scope's resources.
pub fn uses_of_definitions<'r>(
    resources: impl IntoIterator<Item = &'r Resource>,
) -> HashMap<Span, Vec<Span>> {
    let mut uses: HashMap<Span, Vec<Span>> = HashMap::new();
    // Each (definition, use) once: a definition read by every resource of a big module has as
    // many uses, so they are not searched in its list.
    let mut seen = crate::hash::HashSet::default();
    for r in resources {
        for p in &r.provenance {
            if seen.insert((p.from, p.used_at)) {
                uses.entry(p.from).or_default().push(p.used_at);
            }
        }
    }
    uses
}

/// The syntax a resource is written in, as far as editing it goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Syntax {
    /// An ARM template: JSON, ARM keys.
    Arm,
    /// An azapi body: HCL objects, ARM keys.
    Azapi,
    /// An azurerm resource: HCL blocks and attributes named by the provider.
    Azurerm,
    /// A Bicep resource: Bicep objects, ARM keys.
    Bicep,
}

/// The language a file's text is written in, as far as its literals go.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Json,
    /// Terraform's JSON syntax: JSON whose strings are templates (`"${var.x}"`).
    TfJson,
    /// Variable values in JSON (`.tfvars.json`): JSON literals in Terraform's spelling.
    TfvarsJson,
    Hcl,
    Bicep,
}

impl Lang {
    fn is_literal(self, s: &str) -> bool {
        match self {
            Lang::Json | Lang::TfvarsJson => json::is_literal(s),
            Lang::TfJson => json::is_literal(s) && !s.contains("${") && !s.contains("%{"),
            Lang::Hcl => hcl::is_literal(s),
            Lang::Bicep => bicep::is_literal(s),
        }
    }
    fn literal_value(self, s: &str) -> Option<Json> {
        match self {
            Lang::Json | Lang::TfJson | Lang::TfvarsJson => json::literal_value(s),
            Lang::Hcl => hcl::literal_value(s),
            Lang::Bicep => bicep::literal_value(s),
        }
    }
    fn literal(self, v: &Json) -> String {
        match self {
            Lang::Json | Lang::TfJson | Lang::TfvarsJson => json::literal(v),
            Lang::Hcl => hcl::literal(v),
            Lang::Bicep => bicep::literal(v),
        }
    }
}

/// The fix's edits as text edits, or why it cannot be made.
pub fn plan(fix: &Fix, r: &Resource, cx: &Ctx) -> Result<Planned, String> {
    let syntax = if r.spelling().written_type().is_some() {
        Syntax::Azurerm
    } else if cx.is_json(r.span.file) {
        Syntax::Arm
    } else if cx.lang(r.span.file) == Lang::Bicep {
        Syntax::Bicep
    } else {
        Syntax::Azapi
    };
    let mut out = Planned {
        edits: Vec::new(),
        title: String::new(),
        note: None,
    };
    // The name each removed member is written under, by edit.
    let mut removed: Vec<Option<String>> = vec![None; fix.edits.len()];
    // Properties to add, as (ARM keys, value), inserted together so that several of them under
    // one missing object make one insertion.
    let mut missing: Vec<(Vec<&str>, Json)> = Vec::new();
    for (k, edit) in fix.edits.iter().enumerate() {
        let keys: Vec<&str> = edit.path.iter().map(String::as_str).collect();
        let found = locate(&r.body, &keys);
        match (&edit.op, found.node) {
            (EditOp::Set(v), Some(node)) => {
                let written = r.spelling().written_value(&keys, v);
                replace(node, &keys, &written, r, cx, &mut out)?;
            }
            (EditOp::Set(v), None) => missing.push((keys, v.clone())),
            (EditOp::Remove, Some(_)) => {
                let (parent, index) = found.member.ok_or("the value to remove is not a member")?;
                let edit = match syntax {
                    Syntax::Arm => json::remove_member(cx.text(r.span.file), parent, index)?,
                    // Terraform's JSON syntax: the member in the object it is written in.
                    Syntax::Azurerm | Syntax::Azapi if cx.is_json(r.span.file) => {
                        let text = cx.text(r.span.file);
                        let key = parent.members()[index].key_span;
                        let tree =
                            json::tree(text, r.span.file).ok_or("the file does not parse")?;
                        let (object, i) = json::member_at(&tree, key)
                            .ok_or("the value to remove was not found")?;
                        json::remove_member(text, object, i)?
                    }
                    Syntax::Azapi | Syntax::Azurerm | Syntax::Bicep => {
                        hcl::remove_member(cx.text(r.span.file), parent, index)?
                    }
                };
                removed[k] = written_name(cx.text(r.span.file), &edit);
                out.edits.push(edit);
            }
            // Nothing to remove.
            (EditOp::Remove, None) => {}
            (EditOp::Add(v), Some(node)) => {
                let Value::Array(items) = &node.value else {
                    return Err("the list to add to is computed by an expression".into());
                };
                let element = r
                    .spelling()
                    .written_value(&keys, &Json::Array(vec![v.clone()]));
                let element = element.as_array().and_then(|a| a.first()).unwrap_or(v);
                let text = cx.text(node.span.file);
                if !opens(text, node.span, b'[') {
                    return Err(computed(text, node.span));
                }
                let edit = match syntax {
                    Syntax::Arm => append_element(text, node.span, items, json::literal(element)),
                    Syntax::Bicep => {
                        bicep::append_element(text, node.span, items, bicep::literal(element))
                    }
                    _ => append_element(text, node.span, items, hcl::literal(element)),
                };
                out.edits.push(edit);
            }
            (EditOp::Add(v), None) => missing.push((keys, Json::Array(vec![v.clone()]))),
        }
    }
    if !missing.is_empty() {
        let edits = match syntax {
            Syntax::Arm => json::insert(
                cx.text(r.span.file),
                &r.body,
                &missing,
                &cx.unit(r.span.file),
            )?,
            Syntax::Azapi if cx.is_json(r.span.file) => json::insert(
                cx.text(r.span.file),
                &r.body,
                &missing,
                &cx.unit(r.span.file),
            )?,
            Syntax::Azapi => {
                objects::insert(cx.text(r.span.file), &r.body, &missing, &hcl::STYLE, false)?
            }
            Syntax::Azurerm if cx.is_json(r.span.file) => insert_azurerm_json(r, cx, &missing)?,
            Syntax::Bicep => {
                objects::insert(cx.text(r.span.file), &r.body, &missing, &bicep::STYLE, true)?
            }
            Syntax::Azurerm => insert_azurerm(r, cx, &missing)?,
        };
        out.edits.extend(edits);
    }
    if out.edits.is_empty() {
        return Err("there is nothing to change in the text".into());
    }
    out.title = describe(fix, r, &removed);
    Ok(out)
}

/// The name a removed member is written under: the first word of the text the edit removes
/// (`endpoint_configuration` of an azurerm block, `"sourceAddressPrefix"` of a JSON member).
fn written_name(text: &str, edit: &TextEdit) -> Option<String> {
    let removed = text.get(edit.span.start..edit.span.end)?.trim_start();
    let removed = removed.strip_prefix(',').unwrap_or(removed).trim_start();
    let removed = removed.strip_prefix('"').unwrap_or(removed);
    let name: String = removed
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '$')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// What a fix does, in prose and in the resource's own spelling: "set publicNetworkAccess to
/// Disabled", "remove ssh", "add … to …"; the first two edits, then how many more.
pub fn describe(fix: &Fix, r: &Resource, removed: &[Option<String>]) -> String {
    use crate::ir::spelling::PropPath;
    let spelling = r.spelling();
    let parts: Vec<String> = fix
        .edits
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let keys: Vec<&str> = e.path.iter().map(String::as_str).collect();
            let path = PropPath::of(&keys);
            match &e.op {
                EditOp::Set(v) => format!("set {}", spelling.assignment(path, v)),
                // What is removed is named as it is written (azurerm's `endpoint_configuration`
                // blocks stand for ARM's `endpointConfiguration`).
                EditOp::Remove => match removed.get(k).cloned().flatten() {
                    Some(name) => format!("remove {name}"),
                    None => format!("remove {}", spelling.name(path)),
                },
                EditOp::Add(v) => {
                    format!("add {} to {}", spelling.value(path, v), spelling.name(path))
                }
            }
        })
        .collect();
    match parts.len() {
        0 => "change nothing".into(),
        1 | 2 => parts.join(" and "),
        n => format!(
            "{}, {} and {} more change{}",
            parts[0],
            parts[1],
            n - 2,
            if n == 3 { "" } else { "s" }
        ),
    }
}

/// Sets an existing value: where it is written as a literal, there; where evaluation read it
/// from a definition written as a literal, there (and the note says so).
fn replace(
    node: &Node,
    keys: &[&str],
    written: &Json,
    r: &Resource,
    cx: &Ctx,
    out: &mut Planned,
) -> Result<(), String> {
    if matches!(node.value, Value::Unknown(_)) {
        return Err(
            "the value is computed by an expression that batchguard cannot evaluate; \
                    change it where it is defined"
                .into(),
        );
    }
    let text = cx.text(node.span.file);
    let lang = cx.lang(node.span.file);
    if node.span.file == r.span.file && lang.is_literal(&text[range(node.span, text)]) {
        out.edits.push(TextEdit {
            span: node.span,
            text: lang.literal(written),
            uses: Vec::new(),
            used_at: None,
        });
        return Ok(());
    }
    // Read from a definition: edit it when it is written as a literal.
    // Only a use that holds the whole value: a value built from a definition and more (a
    // template, a block holding a variable) is not the definition's to change.
    // A template that is one interpolation (`"${var.x}"`, as Terraform's JSON syntax writes
    // every reference) holds the value of the expression inside.
    let whole = &text[range(node.span, text)];
    let inner = (whole.starts_with("\"${") && whole.ends_with("}\"") && whole.len() > 5)
        .then(|| Span::new(node.span.file, node.span.start + 3, node.span.end - 2));
    let Some(p) = r
        .provenance
        .iter()
        .find(|p| p.used_at.holds(node.span) || inner.is_some_and(|i| p.used_at.holds(i)))
    else {
        return Err(format!(
            "the value is written as the expression `{}`; change it where it is defined",
            short(&text[range(node.span, text)])
        ));
    };
    let def_text = cx.text(p.from.file);
    let def_lang = cx.lang(p.from.file);
    let def_json = matches!(def_lang, Lang::Json | Lang::TfJson | Lang::TfvarsJson);
    // The definition may be recorded as a whole (`default = true`, `"value": "x"`): its value is
    // what follows the `=` or `:`.
    let from = value_part(def_text, p.from, def_json);
    let def = &def_text[range(from, def_text)];
    let literal_there = def_lang.is_literal(def);
    if !literal_there {
        return Err(format!(
            "the value comes from {}, which is written as the expression `{}`; change it by hand",
            p.label,
            short(def)
        ));
    }
    // The definition must hold the value itself, not something it is computed from (a condition,
    // a flag a local turns into the value).
    let held = def_lang.literal_value(def);
    let current = known_json(node).map(|v| {
        if matches!(def_lang, Lang::Hcl | Lang::TfJson | Lang::TfvarsJson) {
            r.spelling().written_value(keys, &v)
        } else {
            v
        }
    });
    if held.is_none() || current.is_none() || !same_json(held.as_ref(), current.as_ref()) {
        return Err(format!(
            "the value is computed from {}; change it by hand",
            p.label
        ));
    }
    // A parameters file or ARM default holds the ARM value; a Terraform definition holds the
    // value as the resource's syntax writes it.
    let literal = def_lang.literal(written);
    let uses = cx.uses.get(&p.from).cloned().unwrap_or_default();
    out.note = Some(format!("edits {}", p.label));
    out.edits.push(TextEdit {
        span: from,
        text: literal,
        uses,
        used_at: Some(p.used_at),
    });
    Ok(())
}

/// The value of a definition written as `name = value` (HCL) or `"name": value` (JSON); the span
/// itself when it holds only a value.
fn value_part(text: &str, span: Span, json: bool) -> Span {
    let written = &text[range(span, text)];
    let separator = if json {
        // After the quoted name.
        written
            .strip_prefix('"')
            .and_then(|rest| {
                let mut escaped = false;
                rest.char_indices().find_map(|(i, c)| {
                    let end = !escaped && c == '"';
                    escaped = !escaped && c == '\\';
                    end.then_some(i + 2)
                })
            })
            .and_then(|after| {
                let rest = &written[after..];
                let gap = rest.len() - rest.trim_start().len();
                rest.trim_start().starts_with(':').then_some(after + gap)
            })
    } else {
        let name = written
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
            .count();
        let rest = &written[name..];
        let gap = rest.len() - rest.trim_start().len();
        (name > 0 && rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("=="))
            .then_some(name + gap)
    };
    let Some(at) = separator else {
        return span;
    };
    let value = &written[at + 1..];
    let lead = value.len() - value.trim_start().len();
    let start = span.start + at + 1 + lead;
    let end = span.start + written.trim_end().len();
    Span::new(span.file, start, end.max(start))
}

/// A node's value as JSON, when all of it is known.
fn known_json(node: &Node) -> Option<Json> {
    Some(match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n).map(Json::Number)?,
        Value::String(s) => Json::String(s.clone()),
        Value::Array(items) => Json::Array(items.iter().map(known_json).collect::<Option<_>>()?),
        Value::Object(members) => Json::Object(
            members
                .iter()
                .map(|m| Some((m.key.to_string(), known_json(&m.value)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Unknown(_) => return None,
    })
}

/// Equal JSON values, numbers compared as numbers (`1` and `1.0` alike) and keys case-
/// insensitively, as ARM compares them.
fn same_json(a: Option<&Json>, b: Option<&Json>) -> bool {
    match (a, b) {
        (Some(Json::Number(x)), Some(Json::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(Json::Array(x)), Some(Json::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(Some(a), Some(b)))
        }
        (Some(Json::Object(x)), Some(Json::Object(y))) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2.eq_ignore_ascii_case(k))
                        .is_some_and(|(_, w)| same_json(Some(v), Some(w)))
                })
        }
        (a, b) => a == b,
    }
}

/// An azurerm attribute or block name on the way to a property, its kind, and its position
/// when it is an element of a repeatable block.
type WrittenName = (&'static str, StepKind, Option<usize>);

/// The azurerm attributes and blocks that lead to the ARM property `keys`, each with its kind
/// and, for an element of a repeatable block, its position; an error when the provider has no
/// attribute for it (a fix writes attributes, not whole blocks).
fn written_steps(r: &Resource, keys: &[&str]) -> Result<Vec<WrittenName>, String> {
    let Some(steps) = r.spelling().written_path(keys) else {
        return Err(format!(
            "{} has no attribute for `{}`",
            r.spelling().written_type().unwrap_or("this resource"),
            keys.join(".")
        ));
    };
    let Some(last) = steps.last() else {
        return Err("nothing names the property".into());
    };
    if last.kind != StepKind::Attribute {
        return Err(format!(
            "`{}` is a block, which a fix does not write",
            last.name
        ));
    }
    Ok(steps
        .iter()
        .map(|s| {
            let index = (s.kind == StepKind::BlockElement)
                .then(|| keys.get(s.arm_end - 1).and_then(|k| k.parse().ok()))
                .flatten();
            (s.name, s.kind, index)
        })
        .collect())
}

/// Missing attributes and blocks of an azurerm resource, inserted after the last attribute of
/// the deepest block that exists, indented and aligned like its neighbours.
fn insert_azurerm(
    r: &Resource,
    cx: &Ctx,
    missing: &[(Vec<&str>, Json)],
) -> Result<Vec<TextEdit>, String> {
    let file = r.span.file;
    let text = cx.text(file);
    // The resource's block alone is parsed again, not its file: on a big module the file's
    // tree would be most of the scan's memory, once more for every scope with a fix.
    let start = r.span.start;
    let body = cx.block(r.span)?;
    let Some(block) = body.get(0).and_then(|s| s.as_block()) else {
        return Err("the resource block was not found in its file".into());
    };
    let mut places: Vec<hcl::Place> = Vec::new();
    for (keys, value) in missing {
        let names = written_steps(r, keys)?;
        let written = r.spelling().written_value(keys, value);
        hcl::place(text, block, start, file, &names, written, &mut places)?;
    }
    Ok(hcl::render_places(text, places))
}

/// The missing properties of an azurerm resource written in Terraform's JSON syntax, as JSON
/// members under the deepest block object of each that is written (a block written as an array
/// of objects is entered at its element).
fn insert_azurerm_json(
    r: &Resource,
    cx: &Ctx,
    missing: &[(Vec<&str>, Json)],
) -> Result<Vec<TextEdit>, String> {
    let file = r.span.file;
    let text = cx.text(file);
    let tree = json::tree(text, file).ok_or("the file does not parse")?;
    let object =
        json::block_object(&tree, r.span).ok_or("the resource was not found in its file")?;
    let mut paths: Vec<(Vec<String>, Json)> = Vec::new();
    for (keys, value) in missing {
        let mut path = Vec::new();
        let mut node = Some(object);
        for (name, kind, index) in written_steps(r, keys)? {
            path.push(name.to_string());
            node = node.and_then(|n| n.get(name));
            if kind == StepKind::Attribute {
                continue;
            }
            if let Some(Value::Array(items)) = node.map(|n| &n.value) {
                let i = index.unwrap_or(0);
                path.push(i.to_string());
                node = items.get(i);
            }
        }
        paths.push((path, r.spelling().written_value(keys, value)));
    }
    let refs: Vec<(Vec<&str>, Json)> = paths
        .iter()
        .map(|(p, v)| (p.iter().map(String::as_str).collect(), v.clone()))
        .collect();
    json::insert(text, object, &refs, &cx.unit(file))
}

/// Where a path leads in the IR: the node, and the object and member index that hold it.
struct Found<'a> {
    node: Option<&'a Node>,
    member: Option<(&'a Node, usize)>,
}

fn locate<'a>(body: &'a Node, keys: &[&str]) -> Found<'a> {
    let mut node = body;
    let mut member = None;
    for key in keys {
        match &node.value {
            Value::Object(members) => {
                let Some(i) = members.iter().position(|m| m.key.eq_ignore_ascii_case(key)) else {
                    return Found { node: None, member };
                };
                member = Some((node, i));
                node = &members[i].value;
            }
            Value::Array(items) => {
                let Some(item) = key.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    return Found { node: None, member };
                };
                member = None;
                node = item;
            }
            _ => return Found { node: None, member },
        }
    }
    Found {
        node: Some(node),
        member,
    }
}

/// The deepest object on the path that exists, and how many keys lead to it.
fn deepest_object<'a>(body: &'a Node, keys: &[&str]) -> (&'a Node, usize) {
    let mut node = body;
    for (depth, key) in keys.iter().enumerate() {
        let next = match &node.value {
            Value::Object(members) => members
                .iter()
                .find(|m| m.key.eq_ignore_ascii_case(key))
                .map(|m| &m.value),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(n) if matches!(n.value, Value::Object(_)) => node = n,
            _ => return (node, depth),
        }
    }
    (node, keys.len())
}

/// Why a missing property has no place to go: what is on its path, `depth` keys down.
struct NoPlace {
    depth: usize,
    why: Why,
}

enum Why {
    /// A value is written there, as an expression.
    Computed,
    /// The path goes through a list element that does not exist.
    Element,
    /// The deepest object there is not written as a literal object (it is at this span).
    NotObject(Span),
}

/// An object that exists and the tree of what to add to it.
type Group<'a> = (&'a Node, Map<String, Json>);

/// The missing properties (ARM keys and values) grouped under the deepest object of each that
/// exists, as one tree of what to add per object, so that several of them under one missing
/// object make one insertion; or, for the first that has no place, its keys and why.
fn group_missing<'a, 'k>(
    text: &str,
    body: &'a Node,
    missing: &'k [(Vec<&'k str>, Json)],
    body_opens: bool,
) -> Result<Vec<Group<'a>>, (&'k [&'k str], NoPlace)> {
    let mut groups: Vec<Group> = Vec::new();
    for (keys, value) in missing {
        let (object, depth) = deepest_object(body, keys);
        let why = if locate(body, &keys[..(depth + 1).min(keys.len())])
            .node
            .is_some()
        {
            Some(Why::Computed)
        } else if keys[depth..].iter().any(|k| k.parse::<usize>().is_ok()) {
            Some(Why::Element)
        } else if !(opens(text, object.span, b'{') || depth == 0 && body_opens) {
            Some(Why::NotObject(object.span))
        } else {
            None
        };
        if let Some(why) = why {
            return Err((keys, NoPlace { depth, why }));
        }
        let at = match groups.iter().position(|(o, _)| o.span == object.span) {
            Some(i) => i,
            None => {
                groups.push((object, Map::new()));
                groups.len() - 1
            }
        };
        merge(&mut groups[at].1, &keys[depth..], value.clone());
    }
    Ok(groups)
}

/// Puts `value` at `keys` in `tree`, creating the objects between.
fn merge(tree: &mut Map<String, Json>, keys: &[&str], value: Json) {
    match keys {
        [] => {}
        [last] => {
            tree.insert(last.to_string(), value);
        }
        [first, rest @ ..] => {
            let inner = tree
                .entry(first.to_string())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(m) = inner {
                merge(m, rest, value);
            }
        }
    }
}

/// An element appended to the list written at `span`.
fn append_element(text: &str, span: Span, items: &[Node], literal: String) -> TextEdit {
    match items.iter().max_by_key(|n| n.span.end) {
        Some(last) => TextEdit {
            span: Span::new(span.file, last.span.end, last.span.end),
            text: format!(", {literal}"),
            uses: Vec::new(),
            used_at: None,
        },
        None => {
            let at = span.start + text[range(span, text)].find('[').unwrap_or(0) + 1;
            TextEdit {
                span: Span::new(span.file, at, at),
                text: literal,
                uses: Vec::new(),
                used_at: None,
            }
        }
    }
}

/// Does the text at `span` start with `open` (a literal object or list, not an expression)?
fn opens(text: &str, span: Span, open: u8) -> bool {
    text[range(span, text)].trim_start().as_bytes().first() == Some(&open)
}

fn computed(text: &str, span: Span) -> String {
    format!(
        "the value is written as the expression `{}`; change it where it is defined",
        short(&text[range(span, text)])
    )
}

/// `span` as a range of `text`, within it and on char boundaries.
fn range(span: Span, text: &str) -> std::ops::Range<usize> {
    let start = text.floor_char_boundary(span.start);
    start..text.floor_char_boundary(span.end).max(start)
}

/// An expression quoted in a reason: its first line, at most 60 characters.
fn short(s: &str) -> String {
    crate::findings::shorten(s.lines().next().unwrap_or("").trim(), 60)
}

/// The line ending of the line that holds `at` (of the line before it, at the end of a text
/// that does not end in one).
pub(crate) fn newline(text: &str, at: usize) -> &'static str {
    let at = text.floor_char_boundary(at);
    let end = text[at..]
        .find('\n')
        .map(|i| at + i)
        .or_else(|| text[..at].rfind('\n'));
    match end {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The inline suppression of `rules` for a finding on the line holding `at`: a comment line (of
/// the file's syntax: `#` in Terraform, `//` in JSON) inserted before that line and indented like
/// it, with `reason` and, when given, `until`.
pub fn suppression(
    file: &SourceFile,
    at: usize,
    rules: &[&str],
    reason: &str,
    until: Option<&str>,
) -> TextEdit {
    let text = &file.text;
    let start = line_start(text, at);
    let syntax = crate::controls::suppress::Syntax::of(&file.rel);
    // A suppression already on the line before: the rules join its list (a second comment
    // line would push it away from the line it silences).
    if start > 0 {
        let prev = line_start(text, start - 1);
        let line = text[prev..start].trim_end_matches(['\n', '\r']);
        if let Some(end) = crate::controls::suppress::rule_list_end(line, syntax) {
            return TextEdit {
                span: Span::new(file.id, prev + end, prev + end),
                text: format!(",{}", rules.join(",")),
                uses: Vec::new(),
                used_at: None,
            };
        }
    }
    let comment = crate::controls::suppress::comment(rules, reason, until, syntax);
    // Terraform JSON: a line that opens an object (a block's name key, where no `"//"` member
    // can be written) gets the member as the object's first, which applies to it.
    let end = line_end(text, start);
    if syntax == crate::controls::suppress::Syntax::TfJson
        && text[start..end].trim_end().ends_with('{')
    {
        let next = &text[end..line_end(text, end)];
        let last = next.trim().is_empty() || next.trim_start().starts_with('}');
        let (indent, comment) = if last {
            // The only member: no comma after it.
            let c = comment.strip_suffix(',').unwrap_or(&comment).to_string();
            (format!("{}  ", indentation(text, start)), c)
        } else {
            (indentation(text, end).to_string(), comment)
        };
        return TextEdit {
            span: Span::new(file.id, end, end),
            text: format!("{indent}{comment}{}", newline(text, start)),
            uses: Vec::new(),
            used_at: None,
        };
    }
    TextEdit {
        span: Span::new(file.id, start, start),
        text: format!(
            "{}{comment}{}",
            indentation(text, start),
            newline(text, start)
        ),
        uses: Vec::new(),
        used_at: None,
    }
}

/// The whitespace that starts the line holding `at`.
pub(crate) fn indentation(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..];
    let n = line
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    &line[..n]
}

pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Just past the end of the line holding `at` (after its line break, or the end of the text).
fn line_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| at + i + 1)
}
