//! Terraform front-end: reads a `.tf` or `.tfvars` file with `hcl-edit` and lowers each
//! `resource` block the analyzer knows: `azurerm_*` resources through the mapping table
//! ([`super::azurerm`]), `azapi_resource` through its ARM body ([`super::azapi`]). Other resources
//! and `data` blocks produce nothing. A resource whose `count` is a literal `0`, or whose
//! `for_each` is a literal empty collection, does not exist and is skipped.
//!
//! The IR holds no syntax: [`load`] returns the parsed body beside the document ([`Parsed`]), and
//! the scan hands the bodies to evaluation by file id ([`Bodies`]), which reads variables, locals,
//! module calls and resource blocks from them.
//!
//! A file that does not parse yields a document without resources and one error notice at the
//! position of the syntax error. No input makes this front-end panic: the parser limits nesting
//! depth itself, and reading runs on a thread with a generous stack so that even the deepest input
//! it accepts is handled in unoptimised builds.

use std::collections::BTreeMap;
use std::sync::Arc;

use hcl_edit::structure::{AttributeMut, Block, Body, Structure, StructureMut};
use hcl_edit::visit_mut::{self, VisitMut};
use hcl_edit::Decorate;

use super::hcl::{self, Ctx};
use super::tfjson::{self, SpanMap};
use super::{azapi, azurerm, budget, InputKind};
use crate::ir::{DocKind, Document, Notice, Resource, Span, Value};
use crate::source::{FileId, SourceFile};

/// A Terraform or variable definitions file as read: its IR document, and the parsed body that
/// evaluation reads.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub doc: Document,
    /// `None` when the file does not parse, and for `.tfvars.json` files.
    pub body: Option<TfBody>,
}

/// A parsed Terraform file: its top-level structures, in order, in one part or, for a big file,
/// in the parts it was parsed in ([`PART_BYTES`]).
#[derive(Debug, Clone)]
pub struct TfBody {
    pub parts: Vec<TfPart>,
}

/// Some of a file's top-level structures, parsed together.
#[derive(Debug, Clone)]
pub struct TfPart {
    pub body: Body,
    /// From the part's offsets to the file's: for a `.tf.json` file, from the HCL it was
    /// translated to back to its JSON text; for a part of a big file, from the part's start.
    /// `None` when they are the file's own.
    pub map: Option<Arc<SpanMap>>,
}

impl TfBody {
    /// A file parsed whole.
    pub fn whole(body: Body, map: Option<Arc<SpanMap>>) -> TfBody {
        TfBody {
            parts: vec![TfPart { body, map }],
        }
    }

    /// Each part's body, with the map from its offsets to the file's.
    pub fn parts(&self) -> impl Iterator<Item = (&Body, Option<&SpanMap>)> {
        self.parts.iter().map(|p| (&p.body, p.map.as_deref()))
    }

    /// Every top-level structure of the file, in order, with the map of its part.
    pub fn structures(&self) -> impl Iterator<Item = (&Structure, Option<&SpanMap>)> {
        self.parts()
            .flat_map(|(body, map)| body.iter().map(move |s| (s, map)))
    }
}

/// A Terraform file longer than twice this is parsed in parts of at least this many bytes, cut
/// after top-level blocks, in parallel, each part's tree made compact as soon as it is parsed:
/// `hcl-edit` builds a tree of about 19 bytes per byte of text before it can be made compact,
/// and parsing a 16 MB module whole held all of it at once. The parts are cut where
/// [`budget::hcl_tree_bytes_and_ends`] finds a top-level block closed; when one part does not
/// parse, the file is parsed whole, so that the error is the one of the whole text.
pub const PART_BYTES: usize = 512 << 10;

/// The part size in force: [`PART_BYTES`], or another set for a test that compares a scan of
/// files cut into the smallest parts with a scan of them whole.
#[doc(hidden)]
pub static PART_BYTES_IN_FORCE: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(PART_BYTES);

/// The parsed bodies of a scan's Terraform and tfvars files, by file id.
pub type Bodies = BTreeMap<FileId, TfBody>;

/// A `resource "TYPE" "NAME" { … }` block, with the locations the lowering needs.
pub struct ResourceBlock<'a> {
    pub block: &'a Block,
    /// `azurerm_batch_pool`.
    pub tf_type: &'a str,
    /// The second label, `p`.
    pub tf_name: &'a str,
    /// `azurerm_batch_pool.p`.
    pub address: String,
    /// From the `resource` keyword through the opening `{`.
    pub header: Span,
    /// The whole block.
    pub span: Span,
    /// The second label, quotes included.
    pub name_label: Span,
    /// The blocks of the module's override files for the same address, in the order Terraform
    /// applies them ([`resource_body`]).
    pub overrides: Vec<OverrideBlock<'a>>,
}

/// A block of an override file (`override.tf`, `*_override.tf`, and their `.tf.json` forms),
/// with the file it is written in.
#[derive(Clone, Copy)]
pub struct OverrideBlock<'a> {
    pub block: &'a Block,
    pub file: FileId,
    pub text: &'a str,
    pub map: Option<&'a SpanMap>,
}

/// Is the file at `rel` a Terraform override file? Terraform merges its blocks into the blocks of
/// the same name in the module's other files, after reading them all, in order of file name.
pub fn is_override_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name
        .strip_suffix(".tf")
        .or_else(|| name.strip_suffix(".tf.json"));
    stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
}

/// A resource block's body lowered with its override blocks applied, as Terraform merges
/// override files: each argument an override block sets replaces the original's, and each
/// nested block type it writes (plainly or as `dynamic`) replaces every block of that type in
/// the original. An override's values keep the spans of the override file, and are evaluated
/// there, with the instance's evaluator.
pub fn resource_body(rb: &ResourceBlock, ctx: &Ctx) -> crate::ir::Node {
    let mut body = hcl::lower_block(rb.block, ctx);
    for o in &rb.overrides {
        let octx = Ctx {
            file: o.file,
            text: o.text,
            map: o.map,
            iterators: Vec::new(),
            iterator_values: Vec::new(),
            evaluator: ctx.evaluator,
        };
        let replaced: Vec<&str> = o
            .block
            .body
            .iter()
            .filter_map(|s| match s {
                Structure::Attribute(a) => Some(a.key.as_str()),
                Structure::Block(b) if b.ident.as_str() == "dynamic" => {
                    b.labels.first().map(|l| l.as_str())
                }
                Structure::Block(b) => Some(b.ident.as_str()),
            })
            .collect();
        let lowered = hcl::lower_block(o.block, &octx);
        if let (Value::Object(members), Value::Object(added)) = (&mut body.value, lowered.value) {
            members.retain(|m| !replaced.contains(&m.key.as_ref()));
            members.extend(added);
        }
    }
    body
}

/// Reads one Terraform file. `.tfvars` (and `.tfvars.json`) files are checked for syntax only:
/// their document has no resources, and evaluation reads their values from the body.
pub fn load(file: &SourceFile, kind: InputKind) -> Parsed {
    load_with(file, kind, true)
}

/// [`load`] without lowering the resource blocks: the document has no resources, only the body,
/// which is all evaluation reads ([`declared_resources`] says which blocks the front-end reads).
/// The scan reads files this way: lowering them here too took a third of the parse time and held
/// a second copy of every resource until evaluation.
pub fn parse(file: &SourceFile, kind: InputKind) -> Parsed {
    load_with(file, kind, false)
}

fn load_with(file: &SourceFile, kind: InputKind, lower: bool) -> Parsed {
    crate::stack::deep(|| load_here(file, kind, lower)).unwrap_or_else(|| Parsed {
        doc: Document {
            file: file.id,
            kind: doc_kind(kind),
            resources: Vec::new(),
            notices: vec![Notice {
                level: crate::ir::NoticeLevel::Error,
                message: "internal error while reading this Terraform file; please report it"
                    .into(),
                span: Span::new(file.id, 0, 0),
            }],
            root: None,
        },
        body: None,
    })
}

fn doc_kind(kind: InputKind) -> DocKind {
    match kind {
        InputKind::Tfvars => DocKind::Tfvars,
        _ => DocKind::Terraform,
    }
}

fn load_here(file: &SourceFile, kind: InputKind, lower: bool) -> Parsed {
    let mut doc = Document {
        file: file.id,
        kind: doc_kind(kind),
        resources: Vec::new(),
        notices: Vec::new(),
        root: None,
    };
    let is_json = file.rel.to_ascii_lowercase().ends_with(".json")
        || file
            .path
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".json");
    if kind == InputKind::Tfvars && is_json {
        if let Err(at) = budget::json_values_within(&file.text, budget::JSON_VALUES) {
            doc.notices
                .push(error_at(file, at, super::arm::too_many_values()));
            return Parsed { doc, body: None };
        }
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&file.text) {
            let offset = file.lines().line_start(e.line()) + e.column().saturating_sub(1);
            doc.notices.push(error_at(
                file,
                offset,
                format!("invalid JSON in variable definitions file: {e}"),
            ));
        }
        return Parsed { doc, body: None };
    }
    if is_json {
        return load_json(file, doc, lower);
    }
    let what = if kind == InputKind::Tfvars {
        "variable definitions file"
    } else {
        "Terraform file"
    };
    let part_bytes = PART_BYTES_IN_FORCE.load(std::sync::atomic::Ordering::Relaxed);
    // The pass that bounds the tree's size and finds where the text can be cut: not needed for
    // a file too short to cut whose tree cannot pass the bound whatever it holds.
    let mut ends = Vec::new();
    let short = file.text.len() < part_bytes.saturating_mul(2)
        && budget::hcl_always_within(file.text.len(), budget::HCL_TREE_BYTES);
    let checked = if short {
        Ok(0)
    } else {
        budget::hcl_tree_bytes_and_ends(&file.text, budget::HCL_TREE_BYTES, &mut ends)
    };
    if let Err(at) = checked {
        let message = format!(
            "this {what} is too dense in expressions for batchguard to analyse within its memory \
             bound: its syntax tree would take more than {} MiB, a limit passed here; it is not \
             analysed (split it into smaller files)",
            budget::HCL_TREE_BYTES >> 20
        );
        doc.notices.push(error_at(file, at, message));
        return Parsed { doc, body: None };
    }
    let body = match parse_in_parts(&file.text, &ends, part_bytes) {
        Some(body) => body,
        None => match super::hcl_parse::parse_body(&file.text) {
            Ok(b) => TfBody::whole(compact(b), None),
            Err(mut e) => {
                // At the very end of a file without a final newline the parser backtracks to the
                // start of the statement; with the newline it reports the actual position.
                if !file.text.ends_with('\n') {
                    if let Err(e2) = super::hcl_parse::parse_body(&format!("{}\n", file.text)) {
                        e = e2;
                    }
                }
                let at = e.location().offset();
                let message = match out_of_range_number(&file.text, at) {
                    Some(n) => format!(
                        "syntax error in {what}: the number `{n}` is beyond what batchguard \
                         reads (about ±1.8e308)"
                    ),
                    None => format!("syntax error in {what}: {}", e.message()),
                };
                doc.notices.push(error_at(file, at, message));
                return Parsed { doc, body: None };
            }
        },
    };
    if kind != InputKind::Tfvars && lower {
        let ctx = Ctx::new(file.id, &file.text);
        doc.resources = body
            .parts()
            .flat_map(|(b, map)| lower_resources(b, &ctx.clone().mapped(map)))
            .collect();
    }
    Parsed {
        doc,
        body: Some(body),
    }
}

/// `text` parsed in parts of at least `size` bytes ([`PART_BYTES`]) cut after the top-level
/// `ends`; `None` when it is too short to cut, when a part does not parse, or when two parts
/// assign the same top-level attribute (which `hcl-edit` rejects in one body, as Terraform
/// does): the caller then parses it whole, for the error of the whole text.
fn parse_in_parts(text: &str, ends: &[usize], size: usize) -> Option<TfBody> {
    let size = size.max(1);
    if text.len() < size.saturating_mul(2) {
        return None;
    }
    // Each part runs through the end of the line its last block closes on.
    let mut cuts = vec![0];
    for &end in ends {
        let cut = text[end..].find('\n').map_or(text.len(), |p| end + p + 1);
        if cut - cuts[cuts.len() - 1] >= size && cut < text.len() {
            cuts.push(cut);
        }
    }
    if cuts.len() < 2 {
        return None;
    }
    cuts.push(text.len());
    // In parallel, on threads made for the parse (`crate::stack::deep_jobs`): their free memory
    // goes back when they end, where the pool's threads kept what two parts at a time had freed.
    let parts = crate::stack::deep_jobs(cuts.len() - 1, |i| {
        let (start, end) = (cuts[i], cuts[i + 1]);
        let body = super::hcl_parse::parse_body(&text[start..end]).ok()?;
        Some(TfPart {
            body: compact(body),
            map: Some(Arc::new(SpanMap::shifted(start, end - start))),
        })
    });
    let parts: Vec<TfPart> = parts.into_iter().flatten().collect::<Option<_>>()?;
    let mut keys = std::collections::HashSet::new();
    let redefined = parts
        .iter()
        .flat_map(|p| p.body.attributes())
        .any(|a| !keys.insert(a.key.as_str()));
    (!redefined).then_some(TfBody { parts })
}

/// `body` with its lists at their length: the parser grows each block's list of attributes and
/// blocks by doubling, so that on a big module a third of the tree's memory was unused room.
/// Each top-level block is copied (a copy holds exactly what it needs) and the original dropped,
/// one at a time, so that memory never holds two copies of more than one block; the top-level
/// list is made anew at its length.
fn compact(mut body: Body) -> Body {
    Bare.visit_body_mut(&mut body);
    body.into_iter()
        .map(|mut s| {
            if let Some(b) = s.as_block_mut() {
                *b = b.clone();
            }
            s
        })
        .collect()
}

/// Clears the whitespace and comments `hcl-edit` keeps around every item (as a string of its own
/// each): nothing reads them (suppression comments are read from the text), and they were a
/// tenth of a module's tree.
struct Bare;

impl VisitMut for Bare {
    fn visit_structure_mut(&mut self, mut node: StructureMut) {
        node.decor_mut().clear();
        visit_mut::visit_structure_mut(self, node);
    }
    fn visit_attr_mut(&mut self, mut node: AttributeMut) {
        node.decor_mut().clear();
        node.key_decor_mut().clear();
        visit_mut::visit_attr_mut(self, node);
    }
    fn visit_block_mut(&mut self, node: &mut Block) {
        node.decor_mut().clear();
        node.body.decor_mut().clear();
        visit_mut::visit_block_mut(self, node);
    }
    fn visit_block_label_mut(&mut self, node: &mut hcl_edit::structure::BlockLabel) {
        node.decor_mut().clear();
    }
    fn visit_expr_mut(&mut self, node: &mut hcl_edit::expr::Expression) {
        node.decor_mut().clear();
        visit_mut::visit_expr_mut(self, node);
    }
    fn visit_object_key_mut(&mut self, mut node: hcl_edit::expr::ObjectKeyMut) {
        node.decor_mut().clear();
    }
    fn visit_ident_mut(&mut self, node: &mut hcl_edit::Decorated<hcl_edit::Ident>) {
        node.decor_mut().clear();
    }
}

/// A `.tf.json` file: its JSON translated to HCL ([`tfjson`]), parsed and lowered as a `.tf`
/// file is, every span mapped back to the JSON.
fn load_json(file: &SourceFile, mut doc: Document, lower: bool) -> Parsed {
    let root = match super::arm::parse_json(&file.text) {
        Ok(root) => root,
        Err((start, end, message)) => {
            let message = match message.strip_prefix("invalid JSON: ") {
                Some(rest) => format!("invalid JSON in Terraform file: {rest}"),
                None => message,
            };
            doc.notices.push(Notice {
                level: crate::ir::NoticeLevel::Error,
                message,
                span: Span::new(file.id, start, end),
            });
            return Parsed { doc, body: None };
        }
    };
    let t = tfjson::translate(&file.text, root.as_ref());
    for (at, message) in t.problems {
        doc.notices.push(Notice {
            level: crate::ir::NoticeLevel::Warning,
            message,
            span: Span::new(file.id, at.start, at.end),
        });
    }
    let map = Arc::new(t.map);
    let body = match hcl_edit::parser::parse_body(&t.hcl) {
        Ok(b) => b,
        Err(e) => {
            // A string that is not a valid template (`"${"`): Terraform rejects it too.
            let at = map.to_source(e.location().offset()..e.location().offset());
            doc.notices.push(error_at(
                file,
                at.start,
                format!("syntax error in Terraform file: {}", e.message()),
            ));
            return Parsed { doc, body: None };
        }
    };
    if lower {
        let ctx = Ctx::new(file.id, &file.text).mapped(Some(&map));
        doc.resources = lower_resources(&body, &ctx);
    }
    Parsed {
        doc,
        body: Some(TfBody::whole(body, Some(map))),
    }
}

/// The number written around `at` when the parser stopped at its exponent (`1e400`, which
/// overflows a 64-bit float), or `None`.
fn out_of_range_number(text: &str, at: usize) -> Option<&str> {
    if !text.is_char_boundary(at) {
        return None;
    }
    let b = text.as_bytes();
    let start = at
        - b[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .count();
    if start == at || !matches!(b.get(at), Some(b'e' | b'E')) {
        return None;
    }
    let mut end = at + 1;
    if matches!(b.get(end), Some(b'+' | b'-')) {
        end += 1;
    }
    let digits = b[end..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let n = &text[start..end + digits];
    n.parse::<f64>().is_ok_and(f64::is_infinite).then_some(n)
}

/// Lowers the resource blocks of a body the front-end knows (`azurerm_*`, `azapi_resource`),
/// skipping those whose literal `count = 0` or empty `for_each` says they do not exist. With an
/// evaluator in `ctx`, expressions are evaluated as they are lowered.
pub fn lower_resources(body: &Body, ctx: &Ctx) -> Vec<Resource> {
    let mut out = Vec::new();
    for s in body.iter() {
        let Structure::Block(b) = s else { continue };
        let Some(rb) = resource_block(b, ctx) else {
            continue;
        };
        if !exists(b, ctx) {
            continue;
        }
        out.extend(lower_resource(&rb, ctx));
    }
    out
}

/// The address and header of each resource block [`lower_resources`] lowers, in order, without
/// lowering them.
pub fn declared_resources(body: &Body, ctx: &Ctx) -> Vec<(String, Span)> {
    body.iter()
        .filter_map(|s| match s {
            Structure::Block(b) => Some(b),
            _ => None,
        })
        .filter_map(|b| resource_block(b, ctx))
        .filter(|rb| exists(rb.block, ctx) && reads(rb, ctx))
        .map(|rb| (rb.address, rb.header))
        .collect()
}

/// The other names a module declares once (`var.NAME`, `local.NAME`, `module.NAME`,
/// `data.TYPE.NAME`), each with where it is declared: Terraform refuses a module that declares one
/// twice.
pub fn declared_names(body: &Body, ctx: &Ctx) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for b in body.iter().filter_map(|s| s.as_block()) {
        let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
        match (b.ident.as_str(), labels.as_slice()) {
            ("variable", [name]) => out.push((format!("var.{name}"), hcl::block_open_span(b, ctx))),
            ("module", [name]) => {
                out.push((format!("module.{name}"), hcl::block_open_span(b, ctx)))
            }
            ("data", [t, name]) => {
                out.push((format!("data.{t}.{name}"), hcl::block_open_span(b, ctx)))
            }
            ("locals", []) => out.extend(
                b.body
                    .attributes()
                    .map(|a| (format!("local.{}", a.key.as_str()), ctx.span_of(&a.key))),
            ),
            _ => {}
        }
    }
    out
}

/// Does [`lower_resource`] make a resource of this block? The same conditions, without lowering:
/// a type of the azurerm mapping table, or an azapi resource whose `type` is a string.
fn reads(rb: &ResourceBlock, ctx: &Ctx) -> bool {
    match rb.tf_type {
        "azapi_resource" | "azapi_update_resource" => azapi::has_type(rb, ctx),
        t if t.starts_with("azurerm_") => azurerm::maps(t),
        _ => false,
    }
}

/// The locations of a `resource "TYPE" "NAME"` block; `None` for other blocks.
pub fn resource_block<'a>(b: &'a Block, ctx: &Ctx) -> Option<ResourceBlock<'a>> {
    if b.ident.as_str() != "resource" || b.labels.len() != 2 {
        return None;
    }
    let tf_type = b.labels[0].as_str();
    let tf_name = b.labels[1].as_str();
    Some(ResourceBlock {
        block: b,
        tf_type,
        tf_name,
        address: format!("{tf_type}.{tf_name}"),
        header: hcl::block_open_span(b, ctx),
        span: ctx.span_of(b),
        name_label: ctx.span_of(&b.labels[1]),
        overrides: Vec::new(),
    })
}

/// Lowers one resource block through the azurerm mapping table or the azapi body; `None` for a
/// resource type the analyzer does not read.
pub fn lower_resource(rb: &ResourceBlock, ctx: &Ctx) -> Option<Resource> {
    if rb.tf_type == "azapi_resource" {
        azapi::lower(rb, ctx)
    } else if rb.tf_type == "azapi_update_resource" {
        azapi::lower_update(rb, ctx)
    } else if rb.tf_type.starts_with("azurerm_") {
        azurerm::lower(rb, ctx)
    } else {
        None
    }
}

/// False for a literal `count = 0` or a literal empty `for_each`.
fn exists(b: &Block, ctx: &Ctx) -> bool {
    for a in b.body.attributes() {
        let gone = match a.key.as_str() {
            "count" => matches!(hcl::lower_expr(&a.value, ctx).value, Value::Number(n) if n == 0.0),
            "for_each" => hcl::is_empty_collection(&hcl::lower_expr(&a.value, ctx)),
            _ => false,
        };
        if gone {
            return false;
        }
    }
    true
}

/// An error notice one character wide at `offset` (empty at the end of the text).
fn error_at(file: &SourceFile, offset: usize, message: String) -> Notice {
    let text = &file.text;
    let start = text.floor_char_boundary(offset);
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    Notice {
        level: crate::ir::NoticeLevel::Error,
        message,
        span: Span::new(file.id, start, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(name: &str, text: &str) -> Document {
        let f = SourceFile::new(3, name.into(), name.into(), text);
        let kind = super::super::input_kind(std::path::Path::new(name)).unwrap();
        load(&f, kind).doc
    }

    /// The blocks `declared_resources` names are exactly those `lower_resources` lowers, with the
    /// same addresses and headers, and `parse` lowers nothing.
    #[test]
    fn declared_resources_are_the_lowered_ones() {
        let t = r#"
resource "azurerm_batch_account" "a" { name = "acct" }
resource "azurerm_not_in_the_table" "b" {}
resource "azapi_resource" "c" { type = "Microsoft.Batch/batchAccounts@2024-07-01" }
resource "azapi_resource" "d" { type = var.t }
resource "azapi_update_resource" "e" { type = "Microsoft.Batch/batchAccounts@2024-07-01" }
resource "azurerm_subnet" "gone" {
  count = 0
}
resource "azurerm_subnet" "f" {
  for_each = {}
}
resource "azurerm_subnet" "g" { count = var.n }
resource "random_pet" "p" {}
module "m" { source = "./m" }
"#;
        let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), t);
        let lowered = load(&f, InputKind::Terraform).doc.resources;
        let parsed = parse(&f, InputKind::Terraform);
        assert!(parsed.doc.resources.is_empty());
        let body = parsed.body.expect("a body");
        let declared = declared_resources(&body.parts[0].body, &Ctx::new(0, t));
        let expected: Vec<(String, Span)> = lowered
            .iter()
            .map(|r| (r.tf_address.clone().unwrap(), r.header))
            .collect();
        assert_eq!(declared, expected);
        let names: Vec<&str> = declared.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            names,
            [
                "azurerm_batch_account.a",
                "azapi_resource.c",
                "azapi_update_resource.e",
                "azurerm_subnet.g"
            ]
        );
    }

    /// Parts parse what the whole text parses, with the spans of the whole text; a text whose
    /// parts would each parse but not the whole (an attribute assigned twice, a block left open)
    /// is not taken in parts.
    #[test]
    fn a_text_in_parts_is_the_text_whole() {
        let t = "a = 1\nresource \"x\" \"y\" {\n  n = \"v\"\n}\n# c\nb = { k = 2 }\nlocals {\n  l = 3\n}\n";
        let mut ends = Vec::new();
        budget::hcl_tree_bytes_and_ends(t, u64::MAX, &mut ends).unwrap();
        let body = parse_in_parts(t, &ends, 1).expect("parts");
        assert_eq!(body.parts.len(), 3);
        let whole = hcl_edit::parser::parse_body(t).unwrap();
        let ctx = Ctx::new(0, t);
        let spans = |structures: Vec<(&Structure, Option<&SpanMap>)>| -> Vec<Span> {
            structures
                .into_iter()
                .map(|(s, map)| ctx.clone().mapped(map).span_of(s))
                .collect()
        };
        assert_eq!(
            spans(body.structures().collect()),
            spans(whole.iter().map(|s| (s, None)).collect())
        );
        // `a` again in another part: hcl-edit rejects it in one body.
        let twice = format!("{t}a = 2\n");
        ends.clear();
        budget::hcl_tree_bytes_and_ends(&twice, u64::MAX, &mut ends).unwrap();
        assert!(parse_in_parts(&twice, &ends, 1).is_none());
        assert!(hcl_edit::parser::parse_body(&twice).is_err());
        // A part that does not parse on its own.
        let open = "x {\n}\ny {\n";
        ends.clear();
        budget::hcl_tree_bytes_and_ends(open, u64::MAX, &mut ends).unwrap();
        assert!(parse_in_parts(open, &ends, 1).is_none());
    }

    #[test]
    fn header_and_resource_spans() {
        let t = "# é\nresource \"azurerm_batch_account\" \"a\" { # note\n  name = \"acct\"\n}\n\ndata \"azurerm_subnet\" \"s\" {}\nresource \"random_pet\" \"p\" {}\n";
        let d = load_str("main.tf", t);
        assert!(d.notices.is_empty());
        assert_eq!(d.kind, DocKind::Terraform);
        assert_eq!(d.resources.len(), 1);
        let r = &d.resources[0];
        assert_eq!(r.spelling().written_type(), Some("azurerm_batch_account"));
        assert_eq!(
            &t[r.header.start..r.header.end],
            "resource \"azurerm_batch_account\" \"a\" {"
        );
        assert!(t[r.span.start..r.span.end].ends_with("\"acct\"\n}"));
        assert_eq!(r.header.file, 3);
    }

    #[test]
    fn count_zero_and_empty_for_each_are_skipped() {
        let t = "resource \"azurerm_batch_account\" \"a\" {\n  count = 0\n  name = \"a\"\n}\nresource \"azurerm_batch_account\" \"b\" {\n  for_each = {}\n  name = \"b\"\n}\nresource \"azurerm_batch_account\" \"c\" {\n  for_each = []\n}\nresource \"azurerm_batch_account\" \"d\" {\n  count = var.n\n  name = \"d\"\n}\nresource \"azurerm_batch_account\" \"e\" {\n  count = 1\n}\n";
        let d = load_str("main.tf", t);
        let names: Vec<_> = d
            .resources
            .iter()
            .map(|r| r.tf_address.clone().unwrap())
            .collect();
        assert_eq!(
            names,
            ["azurerm_batch_account.d", "azurerm_batch_account.e"]
        );
    }

    #[test]
    fn syntax_error_points_at_the_error() {
        let t = "resource \"azurerm_batch_account\" \"a\" {\n  name = \"a\"\n  x = = 2\n}\n";
        let d = load_str("main.tf", t);
        assert!(d.resources.is_empty());
        assert_eq!(d.notices.len(), 1);
        let n = &d.notices[0];
        assert!(n.is_error());
        assert!(
            n.message.starts_with("syntax error in Terraform file"),
            "{}",
            n.message
        );
        let f = SourceFile::new(3, "main.tf".into(), "main.tf".into(), t);
        let p = f.position(n.span.start);
        assert_eq!((p.line, p.col_byte), (3, 7));
        assert_eq!(n.span.end, n.span.start + 1);
    }

    #[test]
    fn tfvars_are_checked_for_syntax_only() {
        let d = load_str("terraform.tfvars", "a = 1\nb = [\"x\"]\n");
        assert_eq!(d.kind, DocKind::Tfvars);
        assert!(d.notices.is_empty() && d.resources.is_empty());
        let d = load_str("x.auto.tfvars", "a = \n");
        assert_eq!(d.notices.len(), 1);
        assert!(d.notices[0].message.contains("variable definitions file"));
        let d = load_str("terraform.tfvars.json", "{\"a\": 1}");
        assert!(d.notices.is_empty());
        let d = load_str("terraform.tfvars.json", "{\n\"a\": }");
        assert_eq!(d.notices.len(), 1);
        assert_eq!(d.notices[0].span.start, 7);
    }

    #[test]
    fn hostile_inputs_give_notices_not_panics() {
        let n = 10_000;
        let cases = [
            "a = ".to_string() + &"[".repeat(n),
            "a = ".to_string() + &"[".repeat(n) + &"]".repeat(n),
            "a = ".to_string() + &"{a=".repeat(n),
            "a = ".to_string() + &"[for x in ".repeat(n),
            "a = ".to_string() + &"{for x in ".repeat(70),
            "a = ".to_string() + &"!".repeat(n) + "true",
            "a = \"".to_string() + &"${\"".repeat(n),
            "a {\n".repeat(n),
            "a = 1".to_string() + &" + 1".repeat(n),
            "\u{0}\u{1}\u{fffd}\u{7f}garbage \u{0}{{{".to_string(),
            String::new(),
            "resource".to_string(),
            "resource \"azurerm_batch_pool\"".to_string(),
            "resource \"azurerm_batch_pool\" \"p\" {".to_string(),
            "a = <<EOT\n".to_string(),
            "é".to_string(),
        ];
        for (i, c) in cases.iter().enumerate() {
            let d = load_str("main.tf", c);
            assert!(d.resources.is_empty(), "case {i}");
            if !c.is_empty() {
                assert!(
                    d.notices
                        .iter()
                        .all(|n| n.is_error() && n.span.end <= c.len()),
                    "case {i}"
                );
            }
        }
        assert!(load_str("main.tf", "").notices.is_empty());
        let d = load_str("main.tf", "a = ");
        assert_eq!(d.notices[0].span.start, 4);
    }

    #[test]
    fn unmapped_and_data_blocks_produce_nothing() {
        let t = "resource \"azurerm_log_analytics_workspace\" \"law\" {\n  name = \"law\"\n}\nresource \"aws_instance\" \"i\" {}\nresource \"azurerm_batch_pool\" {}\n";
        let d = load_str("main.tf", t);
        assert!(d.notices.is_empty());
        assert!(d.resources.is_empty());
    }
}
