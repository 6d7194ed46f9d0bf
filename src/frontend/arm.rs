//! ARM JSON front-end: reads deployment templates and parameters files into the common IR.
//!
//! Templates are read as JSON with Azure's extensions (§1.13): `//` and `/* */` comments, trailing
//! commas and string literals that contain raw line breaks. Anything else that is not JSON (single
//! quotes, unquoted property names, hexadecimal or non-finite numbers, missing commas) is a syntax
//! error. Every value keeps its byte span in the file, so findings point at the member as written.
//!
//! The resources of a template are flattened in source order, each parent before its nested
//! children, with full types and name segments (`"type": "pools"` inside a Batch account becomes
//! `Microsoft.Batch/batchAccounts/pools` named `["acct", "pool"]`).

use super::budget;
use jsonc_parser::ast;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions, ParseStringErrorKind};

use crate::ir::{
    DocKind, Document, Member, Node, Notice, Provenance, Reference, Resource, Span, Unknown, Value,
};
use crate::source::{FileId, SourceFile};

/// What the scan knows of a `.json` file before reading it: how it was found or given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Found among the inputs: an ARM file when its content says so.
    Any,
    /// Named like a parameters file (`X.parameters.json`, `X.parameters.dev.json`): an ARM
    /// parameters file unless it is JSON whose top is not an object, or its content says it is a
    /// template.
    ParametersByName,
    /// Given as the parameters file of a template (`--parameters`, `[parameters]` in
    /// `batchguard.toml`): read as one whatever it holds.
    Parameters,
}

/// Is this text, read from a `.json` file, an ARM input? A file that names `deploymentTemplate`,
/// `deploymentParameters` or `contentVersion` is; so is text that does not parse as JSON but
/// has an `apiVersion` and a `Microsoft.` resource type (a template that names no schema), or
/// that was found or given as a parameters file. Other JSON (`package.json`, `tsconfig.json`) is
/// not ours to judge, broken or not.
pub fn is_input(text: &str, expect: Expect) -> bool {
    if expect == Expect::Parameters || names_arm(text) {
        return true;
    }
    let parameters = expect == Expect::ParametersByName;
    let names_resource = contains_ci(text, "\"apiversion\"") && contains_ci(text, "\"microsoft.");
    if !(parameters || names_resource) {
        return false;
    }
    if open_brackets(text, text.len(), MAX_DEPTH).is_err()
        || budget::json_values_within(text, budget::JSON_VALUES).is_err()
    {
        // Reported by `load_as` rather than parsed here.
        return true;
    }
    match parse_to_ast(text, &CollectOptions::default(), &parse_options()) {
        Err(_) => true,
        Ok(parsed) => parameters && matches!(parsed.value, Some(ast::Value::Object(_))),
    }
}

/// Does the text name what only ARM files name?
fn names_arm(text: &str) -> bool {
    [
        "contentversion",
        "deploymenttemplate",
        "deploymentparameters",
    ]
    .iter()
    .any(|n| contains_ci(text, n))
}

/// Does `text` contain `lower` (lowercase ASCII), ignoring ASCII case?
fn contains_ci(text: &str, lower: &str) -> bool {
    let (hay, needle) = (text.as_bytes(), lower.as_bytes());
    let first = needle[0];
    hay.len() >= needle.len()
        && (0..=hay.len() - needle.len()).any(|i| {
            hay[i].to_ascii_lowercase() == first
                && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
        })
}

/// Reads a `.json` file found among the inputs: [`load_as`] with [`Expect::Any`].
pub fn load(file: &SourceFile) -> Option<Document> {
    read(file, Expect::Any, true)
}

/// Reads a `.json` file. Returns None for JSON that is neither an ARM deployment template nor an
/// ARM parameters file (ignored silently), including unparsable JSON that [`is_input`] does not
/// take for an ARM file. Unparsable JSON that is an ARM input returns a Document (kind
/// ArmParameters when it is expected to be a parameters file or its text names
/// deploymentParameters first, otherwise ArmTemplate) with no resources and a Notice whose span
/// points at the syntax error (a short span at the offending token) and whose message is a clear
/// sentence: an error when the text names an ARM schema or the file was given with
/// `--parameters`, otherwise a note (§1.14).
///
/// A file expected to be a parameters file that parses but names no schema is read as one; one
/// that holds no `parameters` object but parameters at its top (`{"a": {"value": 1}}`, which the
/// Azure CLI accepts) is read as if they were in `parameters`.
///
/// The scan evaluates each template from its root, so a template's document comes without its
/// written resources (they are not lowered a second time); [`load`] gives them.
pub fn load_as(file: &SourceFile, expect: Expect) -> Option<Document> {
    read(file, expect, false)
}

/// [`load_as`], with the written resources of a template when `keep`.
fn read(file: &SourceFile, expect: Expect, keep: bool) -> Option<Document> {
    let text = file.text.as_str();
    let parsed = match parse_json(text) {
        Ok(parsed) => parsed,
        Err((start, end, message)) => return syntax_error(file, start, end, message, expect),
    };
    let root = match parsed {
        Some(ast::Value::Object(root)) => root,
        Some(other) if expect == Expect::Parameters => {
            let at = span(file.id, jsonc_parser::common::Ranged::range(&other));
            let message = "a parameters file holds a JSON object, `{\"parameters\": {…}}`; this \
                           one holds another value"
                .to_string();
            return syntax_error(file, at.start, at.end, message, expect);
        }
        None if expect == Expect::Parameters => {
            let message = "this parameters file is empty; it holds no JSON value".to_string();
            return syntax_error(file, 0, 0, message, expect);
        }
        _ => return None,
    };
    // A Blueprint template artifact carries its template in `properties.template`.
    let (kind, root) = match classify(&root) {
        Some(kind) => (kind, &root),
        None if expect != Expect::Any => (DocKind::ArmParameters, &root),
        None => (DocKind::ArmTemplate, blueprint_template(&root)?),
    };
    let mut doc = Document {
        file: file.id,
        kind,
        resources: Vec::new(),
        notices: Vec::new(),
        root: None,
    };
    if kind == DocKind::ArmParameters {
        // Azure reads a parameters file's values as written: `"[dbo].[emp]"` is that string, not
        // an expression, and `"[[x]"` keeps both brackets.
        let root = lower_object_with(root, file.id, literal_string);
        doc.root = Some(wrap_bare_parameters(root));
        return Some(doc);
    }
    let root = lower_object(root, file.id);

    let (resources, notices) =
        template_resources(&root, keep, &mut |obj| vec![Instance::written(obj)]);
    doc.resources = resources;
    doc.notices = notices;
    doc.root = Some(root);
    Some(doc)
}

/// Parses JSON text within the front-end's bounds (nesting depth, number of values), comments and
/// trailing commas allowed; an error is its byte range and message.
pub fn parse_json(text: &str) -> Result<Option<ast::Value<'_>>, (usize, usize, String)> {
    if let Err(at) = open_brackets(text, text.len(), MAX_DEPTH) {
        let message = format!(
            "invalid JSON: values are nested more than {MAX_DEPTH} levels deep, which batchguard \
             does not read"
        );
        return Err((at, at + 1, message));
    }
    if let Err(at) = budget::json_values_within(text, budget::JSON_VALUES) {
        return Err((at, at + 1, too_many_values()));
    }
    match parse_to_ast(text, &CollectOptions::default(), &parse_options()) {
        Ok(parsed) => Ok(parsed.value),
        Err(err) => Err(describe_error(text, &err)),
    }
}

/// A parameters file without a `parameters` object whose members are all parameter values
/// (objects with `value` or `reference`), as if they were written in `parameters`.
fn wrap_bare_parameters(root: Node) -> Node {
    let bare = root.get("parameters").is_none()
        && !root.members().is_empty()
        && root.members().iter().all(|m| {
            matches!(m.value.value, Value::Object(_))
                && (m.value.get("value").is_some() || m.value.get("reference").is_some())
        });
    if !bare {
        return root;
    }
    let span = root.span;
    Node::new(
        Value::Object(vec![Member {
            key: "parameters".into(),
            key_span: Span::new(span.file, span.start, span.start),
            value: root,
            written: None,
        }]),
        span,
    )
}

/// The document of a file that does not parse: an input error when the file is an ARM input
/// (see [`is_input`]), otherwise nothing (other JSON is not ours to judge).
/// The error for a file past [`budget::JSON_VALUES`], placed at the value that passes it.
pub fn too_many_values() -> String {
    format!(
        "this file holds more than {} JSON values, more than batchguard analyses in one file \
         within its memory bound (the first one past the limit is here); it is not analysed",
        thousands(budget::JSON_VALUES)
    )
}

/// `4000000` as `4,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn syntax_error(
    file: &SourceFile,
    start: usize,
    end: usize,
    mut message: String,
    expect: Expect,
) -> Option<Document> {
    let kind = match expect {
        Expect::Any => kind_named_in(&file.text)?,
        Expect::ParametersByName | Expect::Parameters => {
            if let Some(rest) = message.strip_prefix("invalid JSON: ") {
                message = format!("invalid JSON in this parameters file: {rest}");
            }
            DocKind::ArmParameters
        }
    };
    // Only a file that names an ARM schema is an input error (§1.14); one that merely looks
    // like ARM (`contentVersion`, an `apiVersion` and a `Microsoft.` type, a parameters file's
    // name) is named in a note and left out, without failing the scan.
    let names_schema = {
        let lower = file.text.to_ascii_lowercase();
        lower.contains("deploymenttemplate") || lower.contains("deploymentparameters")
    };
    let level = if names_schema || expect == Expect::Parameters {
        crate::ir::NoticeLevel::Error
    } else {
        message.push_str(
            "; it names no ARM schema (deploymentTemplate or deploymentParameters), so it is \
             not analysed",
        );
        crate::ir::NoticeLevel::Note
    };
    Some(Document {
        file: file.id,
        kind,
        resources: Vec::new(),
        notices: vec![Notice {
            level,
            message,
            span: Span::new(file.id, start, end),
        }],
        root: None,
    })
}

/// Lowers an ARM string value: `[expr]` (not starting with `[[`) becomes Value::Unknown with
/// reason "ARM expression" and Reference::ArmExpression(the text); `[[...]` is the literal string
/// with the first `[` removed; anything else is a literal String.
///
/// As in Azure Resource Manager, only a string that both starts with `[` and ends with `]` is an
/// expression (or an escaped literal); `"[[abc"` without the closing bracket stays as written.
pub fn lower_string(s: &str) -> Value {
    if s.len() >= 2 && s.starts_with('[') && s.ends_with(']') {
        if s.starts_with("[[") {
            return Value::String(s[1..].to_string());
        }
        return Value::Unknown(
            Unknown {
                reason: "ARM expression".to_string(),
                reference: Some(Reference::ArmExpression(s.to_string())),
            }
            .into(),
        );
    }
    Value::String(s.to_string())
}

/// Deepest nesting of objects and arrays read. Parsing and lowering recurse once per level, so a
/// limit keeps a hostile file from exhausting the stack; real templates stay far below it.
const MAX_DEPTH: usize = 200;

/// Standard JSON plus comments and trailing commas. Raw line breaks inside strings are accepted by
/// the parser as they stand.
fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Classification

/// For a file that does not parse: which kind of ARM file its text claims to be, by whichever of
/// `deploymentTemplate` / `deploymentParameters` it names first (case-insensitively); a template
/// when it names neither but is an ARM input all the same ([`is_input`]); `None` for other text.
fn kind_named_in(text: &str) -> Option<DocKind> {
    let lower = text.to_ascii_lowercase();
    let template = lower.find("deploymenttemplate");
    let parameters = lower.find("deploymentparameters");
    match (template, parameters) {
        (None, None) => is_input(text, Expect::Any).then_some(DocKind::ArmTemplate),
        (Some(_), None) => Some(DocKind::ArmTemplate),
        (None, Some(_)) => Some(DocKind::ArmParameters),
        (Some(t), Some(p)) if p < t => Some(DocKind::ArmParameters),
        (Some(_), Some(_)) => Some(DocKind::ArmTemplate),
    }
}

fn ast_member<'a, 'b>(obj: &'b ast::Object<'a>, key: &str) -> Option<&'b ast::Value<'a>> {
    obj.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(key))
        .map(|p| &p.value)
}

/// A parsed root object: parameters file, template, or neither.
fn classify(root: &ast::Object) -> Option<DocKind> {
    if let Some(ast::Value::StringLit(schema)) = ast_member(root, "$schema") {
        let schema = schema.value.to_ascii_lowercase();
        if schema.contains("deploymentparameters") {
            return Some(DocKind::ArmParameters);
        }
        if schema.contains("deploymenttemplate") {
            return Some(DocKind::ArmTemplate);
        }
    }
    if ast_member(root, "resources").is_some() && ast_member(root, "contentVersion").is_some() {
        return Some(DocKind::ArmTemplate);
    }
    None
}

/// The template inside a Blueprint artifact (`{"kind": "template", "properties": {"template":
/// {…}}}`), when it is one.
fn blueprint_template<'b, 'a>(root: &'b ast::Object<'a>) -> Option<&'b ast::Object<'a>> {
    let ast::Value::Object(props) = ast_member(root, "properties")? else {
        return None;
    };
    let ast::Value::Object(template) = ast_member(props, "template")? else {
        return None;
    };
    (classify(template) == Some(DocKind::ArmTemplate)).then_some(template)
}

/// Whether `resources` may be an object keyed by symbolic name: `languageVersion` 2.0 or later.
fn has_symbolic_resources(root: &Node) -> bool {
    match root.get("languageVersion").map(|n| &n.value) {
        Some(Value::String(v)) => {
            let major: String = v
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            major.parse::<u64>().is_ok_and(|m| m >= 2)
        }
        Some(Value::Number(n)) => *n >= 2.0,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Lowering to the IR

fn span(file: FileId, range: jsonc_parser::common::Range) -> Span {
    Span::new(file, range.start, range.end)
}

/// A parsed JSON value as IR nodes with spans (strings in `[…]` as ARM expressions).
pub fn lower_value(value: &ast::Value, file: FileId) -> Node {
    lower_value_with(value, file, lower_string)
}

/// A string of a parameters file: never an expression.
fn literal_string(s: &str) -> Value {
    Value::String(s.to_string())
}

/// [`lower_value`] with `strings` reading the strings.
fn lower_value_with(value: &ast::Value, file: FileId, strings: fn(&str) -> Value) -> Node {
    match value {
        ast::Value::Object(obj) => lower_object_with(obj, file, strings),
        ast::Value::Array(arr) => Node::new(
            Value::Array(
                arr.elements
                    .iter()
                    .map(|v| lower_value_with(v, file, strings))
                    .collect(),
            ),
            span(file, arr.range),
        ),
        ast::Value::StringLit(lit) => Node::new(strings(&lit.value), span(file, lit.range)),
        ast::Value::NumberLit(lit) => match lit.value.parse::<f64>() {
            Ok(n) => Node::new(Value::Number(n), span(file, lit.range)),
            Err(_) => Node::unknown(
                format!("number `{}` cannot be read", lit.value),
                span(file, lit.range),
            ),
        },
        ast::Value::BooleanLit(lit) => Node::new(Value::Bool(lit.value), span(file, lit.range)),
        ast::Value::NullKeyword(lit) => Node::new(Value::Null, span(file, lit.range)),
    }
}

fn lower_object(obj: &ast::Object, file: FileId) -> Node {
    lower_object_with(obj, file, lower_string)
}

fn lower_object_with(obj: &ast::Object, file: FileId, strings: fn(&str) -> Value) -> Node {
    let members = obj
        .properties
        .iter()
        .map(|prop| {
            let (key, key_range) = match &prop.name {
                ast::ObjectPropName::String(lit) => (lit.value.to_string(), lit.range),
                ast::ObjectPropName::Word(word) => (word.value.to_string(), word.range),
            };
            Member {
                key: key.into(),
                key_span: span(file, key_range),
                value: lower_value_with(&prop.value, file, strings),
                written: None,
            }
        })
        .collect();
    Node::new(Value::Object(members), span(file, obj.range))
}

// ---------------------------------------------------------------------------------------------
// Resources

/// One resource object as Azure deploys it: the written object, or, after evaluation, one
/// instance of it with its expressions replaced by their values; whether it certainly exists
/// (D21); and where its values came from.
pub struct Instance<'a> {
    /// The written object itself (borrowed), or an evaluated instance of it.
    pub body: std::borrow::Cow<'a, Node>,
    pub conditional: Option<String>,
    pub provenance: Vec<Provenance>,
}

impl<'a> Instance<'a> {
    /// The resource object as written, before evaluation.
    fn written(obj: &'a Node) -> Instance<'a> {
        Instance {
            body: std::borrow::Cow::Borrowed(obj),
            conditional: None,
            provenance: Vec::new(),
        }
    }
}

/// The resources of a template object (its `resources` member, an array or, from
/// `languageVersion` 2.0, an object keyed by symbolic name), flattened in source order with each
/// parent before its nested children, each with the template's `apiProfile`. `expand` turns each written resource object into the
/// instances that are deployed (none for a resource whose condition is false, several for a copy
/// loop); types and names are read from the instances, children from the written
/// `resources` member they keep. Returns the resources and warnings about objects that are not
/// resources.
pub fn template_resources<'a>(
    template: &'a Node,
    keep: bool,
    expand: &mut dyn FnMut(&'a Node) -> Vec<Instance<'a>>,
) -> (Vec<Resource>, Vec<Notice>) {
    let mut walker = Walker {
        keep,
        symbolic: has_symbolic_resources(template),
        api_profile: template
            .get("apiProfile")
            .and_then(Node::as_str)
            .map(str::to_string),
        resources: Vec::new(),
        notices: Vec::new(),
        expand,
    };
    if let Some(resources) = template.member("resources") {
        walker.resource_list(&resources.value, None);
    }
    (walker.resources, walker.notices)
}

/// The resource objects of a template as written (its `resources` and their nested children,
/// parents first, without those marked `existing`, which the template does not deploy), without
/// lowering them.
pub fn written_resources(template: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    template_resources(template, false, &mut |obj| {
        if obj.get("existing").and_then(Node::as_bool) != Some(true) {
            out.push(obj);
        }
        vec![Instance::written(obj)]
    });
    out
}

/// The full type and name segments of an enclosing resource, for its nested children.
struct Parent<'a> {
    rtype: &'a str,
    segments: &'a [Option<String>],
    conditional: Option<String>,
}

struct Walker<'a, 'e> {
    /// Whether the resources are kept; otherwise only the notices are.
    keep: bool,
    symbolic: bool,
    /// The template's `apiProfile`, given to each of its resources (D33).
    api_profile: Option<String>,
    resources: Vec<Resource>,
    notices: Vec<Notice>,
    expand: &'e mut dyn FnMut(&'a Node) -> Vec<Instance<'a>>,
}

impl<'a> Walker<'a, '_> {
    fn warn(&mut self, span: Span, message: impl Into<String>) {
        self.notices.push(Notice {
            level: crate::ir::NoticeLevel::Warning,
            message: message.into(),
            span,
        });
    }

    /// A `resources` value: an array of resource objects, or, from `languageVersion` 2.0, an
    /// object keyed by symbolic name.
    fn resource_list(&mut self, list: &'a Node, parent: Option<&Parent>) {
        match &list.value {
            Value::Array(items) => {
                for item in items {
                    self.resource(item, parent);
                }
            }
            Value::Object(members) if self.symbolic => {
                for member in members {
                    self.resource(&member.value, parent);
                }
            }
            Value::Object(_) => self.warn(
                list.span,
                "`resources` is an object, which Azure accepts only when the template's \
                 `languageVersion` is 2.0 or later; these resources are not analyzed",
            ),
            Value::Null => {}
            _ => self.warn(
                list.span,
                "`resources` must be an array of resource objects; these resources are not analyzed",
            ),
        }
    }

    fn resource(&mut self, obj: &'a Node, parent: Option<&Parent>) {
        if !matches!(obj.value, Value::Object(_)) {
            self.warn(
                obj.span,
                "this resource is not a JSON object and is not analyzed",
            );
            return;
        }
        for instance in (self.expand)(obj) {
            self.instance(obj, instance, parent);
        }
    }

    /// One instance of the resource object `written`; its nested children are those `written`
    /// has, which an evaluated instance keeps as written.
    fn instance(&mut self, written: &'a Node, instance: Instance<'a>, parent: Option<&Parent>) {
        let obj = &*instance.body;
        let type_member = obj.member("type");
        // A type written as an expression is kept verbatim: it matches no rule until evaluation
        // resolves it.
        let written_type = match type_member.map(|m| &m.value.value) {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Unknown(u)) if u.arm_expression().is_some() => {
                u.arm_expression().unwrap_or_default().to_string()
            }
            _ => {
                let at = type_member.map_or(obj.span, |m| m.span());
                self.warn(at, "this resource has no string `type` and is not analyzed");
                return;
            }
        };
        let rtype = match parent {
            Some(p) if !written_type.contains('/') => format!("{}/{}", p.rtype, written_type),
            _ => written_type,
        };
        let levels = rtype.matches('/').count().max(1);
        let parent_segments = parent.map_or(&[][..], |p| p.segments);
        let name_member = obj.member("name");
        let name_segments = name_segments(name_member.map(|m| &m.value), parent_segments, levels);

        let header = type_member.map_or(obj.span, |m| m.span());
        let api_member = obj.member("apiVersion");
        let existing = obj.get("existing").and_then(Node::as_bool) == Some(true);
        let api_version = api_member
            .and_then(|m| m.value.as_str())
            .map(str::to_string);
        let api_version_span = api_member.map(Member::span);
        let name_span = name_member.map_or(header, |m| m.value.span);
        let children = written.get("resources");
        // A child of a resource that may not exist may not exist either.
        let conditional = instance
            .conditional
            .or_else(|| parent.and_then(|p| p.conditional.clone()));
        if self.keep && !existing {
            self.resources.push(Resource {
                rtype: rtype.clone(),
                api_version,
                api_version_span,
                tf_address: None,
                name_segments: name_segments.clone(),
                name_span,
                parent_ref: None,
                parent_ref_at: None,
                resource_group: None,
                header,
                span: instance.body.span,
                body: instance.body.into_owned(),
                provenance: instance.provenance,
                conditional: conditional.clone(),
                api_profile: self.api_profile.clone(),
                sensitive: Vec::new(),
                spelling: Default::default(),
                rejected: Vec::new(),
            });
        }
        // Nested deployments are resources themselves; their inner template is evaluated later.
        if let Some(children) = children {
            let me = Parent {
                rtype: &rtype,
                segments: &name_segments,
                conditional,
            };
            self.resource_list(children, Some(&me));
        }
    }
}

/// Name segments of a resource from the top-level parent down: the literal name split on `/`,
/// after the parent's segments for a nested child. An expression gives unknown segments, as many
/// as the type has levels below its namespace that the parent does not already supply.
fn name_segments(
    name: Option<&Node>,
    parent: &[Option<String>],
    levels: usize,
) -> Vec<Option<String>> {
    let mut segments = parent.to_vec();
    match name.map(|n| &n.value) {
        Some(Value::String(s)) => {
            let own: Vec<Option<String>> = s.split('/').map(|p| Some(p.to_string())).collect();
            // A nested child that spells out its full name (`acct/pool`) does not repeat the
            // parent's segments.
            if !parent.is_empty() && own.len() == levels && parent.len() + own.len() > levels {
                return own;
            }
            segments.extend(own);
        }
        _ => {
            let unknown = levels.saturating_sub(parent.len()).max(1);
            segments.extend(std::iter::repeat_n(None, unknown));
        }
    }
    segments
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

/// A short span at the offending token and a sentence for a parse error.
fn describe_error(text: &str, err: &ParseError) -> (usize, usize, String) {
    let range = err.range();
    let start = text.floor_char_boundary(range.start);
    let end = text.floor_char_boundary(range.end).max(start);
    let snippet = |s: usize, e: usize| -> String {
        let t = &text[s..e];
        if let Some(c) = t.chars().find(|c| c.is_control()) {
            // A NUL byte or another control character, which would not show.
            format!("control character U+{:04X}", c as u32)
        } else if t.chars().count() <= 30 {
            format!("`{t}`")
        } else {
            "this text".to_string()
        }
    };

    use ParseErrorKind as K;
    let (s, e, what) = match err.kind() {
        K::UnterminatedObject => (
            start,
            start + 1,
            "the object that starts here is never closed with `}`".to_string(),
        ),
        K::UnterminatedArray => (
            start,
            start + 1,
            "the array that starts here is never closed with `]`".to_string(),
        ),
        K::UnterminatedCommentBlock => (
            start,
            (start + 2).min(text.len()),
            "the comment that starts here is never closed with `*/`".to_string(),
        ),
        K::ExpectedComma => {
            let at = skip_trivia(text, start);
            let open = open_brackets(text, start, usize::MAX).unwrap_or_default();
            let closer = match open.last() {
                Some(b'[') => "`]` after an array element",
                _ => "`}` after an object member",
            };
            (
                at,
                token_end(text, at),
                format!("expected a comma or {closer}"),
            )
        }
        K::SingleQuotedStringsNotAllowed => (
            start,
            token_end(text, start),
            "strings must be enclosed in double quotes, not single quotes".to_string(),
        ),
        K::HexadecimalNumbersNotAllowed => (
            start,
            token_end(text, start),
            "hexadecimal numbers are not allowed in JSON".to_string(),
        ),
        kind => {
            let (s, e) = short(text, start, end);
            let what = match kind {
                K::BareDecimalPointNumbersNotAllowed => {
                    "a number needs digits on both sides of its decimal point".to_string()
                }
                K::CommentsNotAllowed => "comments are not allowed here".to_string(),
                K::ExpectedColonAfterObjectKey => "expected `:` after the property name".to_string(),
                K::ExpectedObjectValue => "expected a value after `:`".to_string(),
                K::ExpectedDigit => "expected a digit in this number".to_string(),
                K::ExpectedDigitFollowingNegativeSign => "expected a digit after `-`".to_string(),
                K::ExpectedPlusMinusOrDigitInNumberLiteral => {
                    "expected a digit, `+` or `-` in the exponent of this number".to_string()
                }
                K::ExpectedStringObjectProperty => {
                    "property names must be strings in double quotes".to_string()
                }
                K::MultipleRootJsonValues => {
                    "unexpected text after the end of the top-level value".to_string()
                }
                K::NonFiniteNumbersNotAllowed => {
                    "`Infinity` and `NaN` are not allowed in JSON".to_string()
                }
                K::String(ParseStringErrorKind::UnterminatedStringLiteral) => {
                    "the string that starts here is never closed with `\"`".to_string()
                }
                K::String(ParseStringErrorKind::ExpectedFourHexDigits) => {
                    "`\\u` in a string must be followed by four hexadecimal digits".to_string()
                }
                K::String(ParseStringErrorKind::InvalidUnicodeEscapeSequence(_)) => {
                    "this `\\u` escape is not a valid Unicode character".to_string()
                }
                K::String(_) => "invalid escape sequence in a string".to_string(),
                K::UnaryPlusNumbersNotAllowed => "a number cannot start with `+`".to_string(),
                K::UnexpectedCloseBrace => "unexpected `}`".to_string(),
                K::UnexpectedCloseBracket => "unexpected `]`".to_string(),
                K::UnexpectedColon => "unexpected `:`".to_string(),
                K::UnexpectedComma => "unexpected comma".to_string(),
                K::UnexpectedTokenInObject => format!(
                    "unexpected {} in an object; expected a property name in double quotes or `}}`",
                    snippet(s, e)
                ),
                K::UnexpectedWord => format!(
                    "unexpected {}; expected a string, number, object, array, `true`, `false` or `null`",
                    snippet(s, e)
                ),
                K::NestingDepthExceeded => "values are nested too deeply".to_string(),
                _ if text[s..].starts_with(|c: char| c.is_alphanumeric()) => format!(
                    "unexpected {}; expected a string, number, object, array, `true`, `false` or `null`",
                    snippet(s, e)
                ),
                _ => format!("unexpected {}", snippet(s, e)),
            };
            (s, e, what)
        }
    };
    (s, e.max(s), format!("invalid JSON: {what}"))
}

/// End of the line that holds `at` (before its line break).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)
}

/// Keeps an error span on one line, and gives an empty one the token at its start.
fn short(text: &str, start: usize, end: usize) -> (usize, usize) {
    if end <= start {
        return (start, token_end(text, start));
    }
    let le = line_end(text, start);
    if le > start {
        (start, end.min(le))
    } else {
        (start, token_end(text, start))
    }
}

/// The end of the token that starts at `at`: a quoted string up to its closing quote (on the same
/// line), a run of word characters, or one character.
fn token_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.get(at) else {
        return at;
    };
    let le = line_end(text, at);
    if first == b'"' || first == b'\'' {
        let mut i = at + 1;
        while i < le {
            match bytes[i] {
                b'\\' => i += 2,
                b if b == first => return i + 1,
                _ => i += 1,
            }
        }
        return text.floor_char_boundary(le);
    }
    let is_word =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-' | b'+' | b'.');
    if is_word(first) {
        let mut i = at;
        while i < bytes.len() && is_word(bytes[i]) {
            i += 1;
        }
        return i;
    }
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    if first == b'\r' || first == b'\n' {
        return at;
    }
    at + len
}

/// The first offset at or after `at` that is not whitespace or a comment.
fn skip_trivia(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        match bytes.get(at) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) => at += 1,
            Some(b'/') if bytes.get(at + 1) == Some(&b'/') => at = line_end(text, at),
            Some(b'/') if bytes.get(at + 1) == Some(&b'*') => {
                at = text[at + 2..]
                    .find("*/")
                    .map_or(text.len(), |i| at + 2 + i + 2)
            }
            _ => return at,
        }
    }
}

/// The brackets (`{` or `[`) still open at `upto`, outermost first, skipping strings and
/// comments; or the offset of the first bracket nested deeper than `max_depth`.
fn open_brackets(text: &str, upto: usize, max_depth: usize) -> Result<Vec<u8>, usize> {
    let bytes = &text.as_bytes()[..upto.min(text.len())];
    let mut stack = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = budget::string_end(bytes, i + 1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            b @ (b'{' | b'[') => {
                if stack.len() >= max_depth {
                    return Err(i);
                }
                stack.push(b);
            }
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    Ok(stack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(3, "t.json".into(), "t.json".into(), text)
    }

    fn template(resources: &str) -> String {
        format!(
            "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": {resources}\n}}\n"
        )
    }

    /// The scan's documents leave a template's resources to evaluation; the objects as written
    /// are listed parents first, without `existing` ones, as `load` lowers them.
    #[test]
    fn written_resources_are_those_load_lowers() {
        let text = template(
            r#"[{"type": "A.B/c", "name": "p", "resources": [{"type": "d", "name": "k"}]},
                {"type": "A.B/c", "name": "e", "existing": true},
                {"type": "A.B/x", "name": "q"}]"#,
        );
        let f = file(&text);
        let scanned = load_as(&f, Expect::Any).unwrap();
        assert!(scanned.resources.is_empty());
        let lowered = load(&f).unwrap();
        let written = written_resources(scanned.root.as_ref().unwrap());
        let spans: Vec<Span> = written.iter().map(|o| o.span).collect();
        let lowered_spans: Vec<Span> = lowered.resources.iter().map(|r| r.span).collect();
        assert_eq!(spans.len(), 3);
        assert_eq!(spans, lowered_spans);
    }

    #[test]
    fn blueprint_artifacts_are_read_through_their_template() {
        let text = "{\n  \"kind\": \"template\",\n  \"properties\": {\n    \"template\": {\n      \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n      \"contentVersion\": \"1.0.0.0\",\n      \"resources\": [ { \"type\": \"A.B/c\", \"name\": \"n\" } ]\n    }\n  }\n}\n";
        let (f, doc) = load_text(text);
        let doc = doc.expect("a template");
        assert_eq!(doc.kind, DocKind::ArmTemplate);
        assert_eq!(doc.resources.len(), 1);
        assert_eq!(at(&f, doc.resources[0].header), "\"type\": \"A.B/c\"");
        // Other JSON with a `properties.template` that is not a template stays ignored.
        assert!(load_text("{\"properties\": {\"template\": {\"a\": 1}}}")
            .1
            .is_none());
    }

    fn load_text(text: &str) -> (SourceFile, Option<Document>) {
        let f = file(text);
        let d = load(&f);
        (f, d)
    }

    /// The text of a span.
    fn at(f: &SourceFile, s: Span) -> &str {
        &f.text[s.start..s.end]
    }

    fn only_error(d: &Document) -> &Notice {
        assert!(d.resources.is_empty());
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
        assert!(d.notices[0].is_error());
        &d.notices[0]
    }

    #[test]
    fn lower_string_expressions_escapes_and_literals() {
        assert_eq!(
            lower_string("[parameters('x')]"),
            Value::Unknown(
                Unknown {
                    reason: "ARM expression".into(),
                    reference: Some(Reference::ArmExpression("[parameters('x')]".into())),
                }
                .into()
            )
        );
        assert_eq!(
            lower_string("[[not an expression]"),
            Value::String("[not an expression]".into())
        );
        assert_eq!(lower_string("[[abc"), Value::String("[[abc".into()));
        assert_eq!(lower_string("plain"), Value::String("plain".into()));
        assert_eq!(lower_string("[x] "), Value::String("[x] ".into()));
        assert_eq!(lower_string("["), Value::String("[".into()));
        assert_eq!(lower_string(""), Value::String("".into()));
    }

    #[test]
    fn member_and_header_spans_are_exact() {
        let text = template(
            r#"[
    {
      "type": "Microsoft.Batch/batchAccounts",
      "apiVersion": "2024-07-01",
      "name": "acct",
      "properties": { "publicNetworkAccess": "Enabled" }
    }
  ]"#,
        );
        let (f, d) = load_text(&text);
        let d = d.unwrap();
        assert_eq!(d.kind, DocKind::ArmTemplate);
        assert!(d.notices.is_empty());
        let r = &d.resources[0];
        assert!(r.spelling().written_type().is_none());
        assert_eq!(r.rtype, "Microsoft.Batch/batchAccounts");
        assert_eq!(
            at(&f, r.header),
            r#""type": "Microsoft.Batch/batchAccounts""#
        );
        assert_eq!(r.api_version.as_deref(), Some("2024-07-01"));
        assert_eq!(
            at(&f, r.api_version_span.unwrap()),
            r#""apiVersion": "2024-07-01""#
        );
        assert_eq!(at(&f, r.name_span), r#""acct""#);
        assert_eq!(r.name_segments, vec![Some("acct".to_string())]);
        assert!(at(&f, r.span).starts_with('{') && at(&f, r.span).ends_with('}'));
        assert_eq!(r.body.span, r.span);
        let m = r
            .properties()
            .unwrap()
            .member("publicnetworkaccess")
            .unwrap();
        assert_eq!(m.key, "publicNetworkAccess");
        assert_eq!(at(&f, m.key_span), r#""publicNetworkAccess""#);
        assert_eq!(at(&f, m.span()), r#""publicNetworkAccess": "Enabled""#);
        assert_eq!(f.position(m.span().start).line, 9);
        assert_eq!(r.tf_address, None);
        assert_eq!(r.parent_ref, None);
    }

    #[test]
    fn values_lower_to_ir() {
        let text = template(
            r#"[{"type": "A.B/c", "name": "n", "properties": {"n": -1.5e2, "b": true, "z": null, "a": [1, "[[x]"], "e": "[variables('v')]"}}]"#,
        );
        let (_, d) = load_text(&text);
        let r = &d.unwrap().resources[0];
        let p = r.properties().unwrap();
        assert_eq!(p.get("n").unwrap().value, Value::Number(-150.0));
        assert_eq!(p.get("b").unwrap().as_bool(), Some(true));
        assert!(p.member("z").unwrap().value.is_null());
        let items = p.get("a").unwrap().items();
        assert_eq!(items[0].value, Value::Number(1.0));
        assert_eq!(items[1].as_str(), Some("[x]"));
        let e = p.get("e").unwrap();
        assert!(
            matches!(&e.value, Value::Unknown(u) if u.reason == "ARM expression"
                && u.arm_expression() == Some("[variables('v')]"))
        );
    }

    #[test]
    fn bom_is_stripped_and_spans_stay_right() {
        let text = format!(
            "\u{feff}{}",
            template(r#"[{"type": "A.B/c", "name": "n"}]"#)
        );
        let (f, d) = load_text(&text);
        assert!(f.had_bom);
        let r = &d.unwrap().resources[0];
        assert_eq!(at(&f, r.header), r#""type": "A.B/c""#);
        let p = f.position(r.header.start);
        assert_eq!((p.line, p.col_utf16), (4, 18));
    }

    #[test]
    fn crlf_input() {
        let text = template("[\n {\n  \"type\": \"A.B/c\",\n  \"name\": \"n\"\n }\n]")
            .replace('\n', "\r\n");
        let (f, d) = load_text(&text);
        let d = d.unwrap();
        assert!(d.notices.is_empty());
        let r = &d.resources[0];
        assert_eq!(at(&f, r.header), r#""type": "A.B/c""#);
        assert_eq!(f.position(r.header.start).line, 6);
        assert_eq!(f.position(r.name_span.end).line, 7);
    }

    #[test]
    fn comments_and_trailing_commas_are_accepted() {
        let text = "// a template\n{\n  /* schema */ \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\", // version\n  \"resources\": [ { \"type\": \"A.B/c\", \"name\": \"n\", }, ],\n}\n";
        let (f, d) = load_text(text);
        let d = d.unwrap();
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.resources.len(), 1);
        assert_eq!(f.position(d.resources[0].header.start).line, 5);
    }

    #[test]
    fn single_quotes_are_rejected_at_the_string() {
        let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": ['x']\n}";
        let (f, d) = load_text(text);
        let d = d.unwrap();
        assert_eq!(d.kind, DocKind::ArmTemplate);
        let n = only_error(&d);
        assert_eq!(at(&f, n.span), "'x'");
        assert_eq!(f.position(n.span.start).line, 3);
        assert!(n.message.starts_with("invalid JSON: "), "{}", n.message);
        assert!(n.message.contains("double quotes"), "{}", n.message);
    }

    #[test]
    fn raw_newlines_in_strings_are_accepted_and_lines_stay_physical() {
        let text = template(
            "[{\"type\": \"A.B/c\", \"name\": \"n\", \"properties\": {\"script\": \"line one\nline two\r\nline \\\"three\\\"\n\", \"after\": 1}}]",
        );
        let (f, d) = load_text(&text);
        let d = d.unwrap();
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let p = d.resources[0].properties().unwrap();
        assert_eq!(
            p.get("script").unwrap().as_str(),
            Some("line one\nline two\r\nline \"three\"\n")
        );
        let after = p.member("after").unwrap();
        assert_eq!(at(&f, after.span()), "\"after\": 1");
        assert_eq!(f.position(after.key_span.start).line, 7);
        // Without escapes too.
        let text = template("[{\"type\": \"A.B/c\", \"name\": \"n\n\", \"x\": 1}]");
        let (f, d) = load_text(&text);
        let r = &d.unwrap().resources[0];
        assert_eq!(r.name_segments, vec![Some("n\n".to_string())]);
        assert_eq!(
            f.position(r.body.member("x").unwrap().key_span.start).line,
            5
        );
    }

    #[test]
    fn parameters_file_is_classified_and_not_scanned() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/DeploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}, "resources": [{"type": "A.B/c", "name": "n"}]}"#;
        let d = load_text(text).1.unwrap();
        assert_eq!(d.kind, DocKind::ArmParameters);
        assert!(d.resources.is_empty() && d.notices.is_empty());
    }

    #[test]
    fn templates_are_recognised_by_schema_or_shape() {
        let sub = r#"{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", "resources": []}"#;
        assert_eq!(load_text(sub).1.unwrap().kind, DocKind::ArmTemplate);
        let shape =
            r#"{"contentVersion": "1.0.0.0", "resources": [{"type": "A.B/c", "name": "n"}]}"#;
        let d = load_text(shape).1.unwrap();
        assert_eq!((d.kind, d.resources.len()), (DocKind::ArmTemplate, 1));
    }

    #[test]
    fn non_arm_json_is_ignored() {
        assert!(
            load_text(r#"{"name": "pkg", "version": "1.0.0", "resources": []}"#)
                .1
                .is_none()
        );
        assert!(
            load_text(r#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#)
                .1
                .is_none()
        );
        assert!(load_text("[1, 2, 3]").1.is_none());
        assert!(load_text("\"deploymentTemplate\"").1.is_none());
        assert!(load_text("").1.is_none());
        assert!(load_text("  // only a comment\n").1.is_none());
    }

    #[test]
    fn unparsable_non_arm_json_is_ignored() {
        assert!(load_text(r#"{"a": 1 "b": 2}"#).1.is_none());
        assert!(load_text("{'a': 1}").1.is_none());
        assert!(load_text("\u{0}\u{1}\u{7f}binary\u{fffd}junk").1.is_none());
    }

    #[test]
    fn unparsable_arm_json_is_an_error_at_the_token() {
        let text = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\"\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": []\n}\n";
        let (f, d) = load_text(text);
        let d = d.unwrap();
        assert_eq!(d.kind, DocKind::ArmTemplate);
        let n = only_error(&d);
        assert_eq!(
            n.message,
            "invalid JSON: expected a comma or `}` after an object member"
        );
        assert_eq!(at(&f, n.span), "\"contentVersion\"");
        assert_eq!(f.position(n.span.start).line, 3);

        let text = "{\"$schema\": \"deploymentTemplate.json#\", \"resources\": [{} {}]}";
        let (f, d) = load_text(text);
        let n = only_error(d.as_ref().unwrap());
        assert_eq!(
            n.message,
            "invalid JSON: expected a comma or `]` after an array element"
        );
        assert_eq!(at(&f, n.span), "{");

        let text = "{\"$schema\": \"x/deploymentParameters.json#\", \"parameters\": {\"a\": {\"value\": 0x10}}}";
        let (f, d) = load_text(text);
        let d = d.unwrap();
        assert_eq!(d.kind, DocKind::ArmParameters);
        assert_eq!(at(&f, only_error(&d).span), "0x10");
    }

    #[test]
    fn unterminated_values_point_at_their_start_not_the_whole_file() {
        let body = "\n  \"resources\": [\n".to_string() + &"[\n".repeat(50);
        let text = format!("{{\"$schema\": \"deploymentTemplate\",{body}");
        let (f, d) = load_text(&text);
        let n = only_error(d.as_ref().unwrap()).clone();
        assert!(n.span.end - n.span.start <= 1, "{n:?}");
        assert!(n.message.contains("never closed"), "{}", n.message);
        let _ = at(&f, n.span);

        let text = "{\"$schema\": \"deploymentTemplate\", \"a\": \"open\n\n\n}";
        let (f, d) = load_text(text);
        let n = only_error(d.as_ref().unwrap());
        assert_eq!(at(&f, n.span), "\"open");
        assert_eq!(
            n.message,
            "invalid JSON: the string that starts here is never closed with `\"`"
        );

        let text = "{\"$schema\": \"deploymentTemplate\", /* never closed\n\n}";
        let (f, d) = load_text(text);
        assert_eq!(at(&f, only_error(d.as_ref().unwrap()).span), "/*");

        for text in [
            "{\"$schema\": \"deploymentTemplate\", resources: []}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": +1}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": NaN}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": .5}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": \"\\x41\"}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": }",
            "{\"$schema\": \"deploymentTemplate\", \"a\" 1}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": 1}}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": tru}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": [1,,2]}",
            "{\"$schema\": \"deploymentTemplate\", \"a\": 1",
            "{\"$schema\": \"deploymentTemplate\", \"a\":",
        ] {
            let (f, d) = load_text(text);
            let n = only_error(d.as_ref().unwrap());
            assert!(
                n.span.start <= n.span.end && n.span.end <= f.text.len(),
                "{text}: {n:?}"
            );
            assert!(n.span.end - n.span.start < 10, "{text}: {n:?}");
            assert!(n.message.starts_with("invalid JSON: "), "{text}: {n:?}");
        }
    }

    #[test]
    fn deep_nesting_never_overflows() {
        let deep = "[".repeat(10_000);
        assert!(load_text(&deep).1.is_none());
        let text = format!(
            "{{\"$schema\": \"deploymentTemplate\", \"x\": {deep}{}}}",
            "]".repeat(10_000)
        );
        let (f, d) = load_text(&text);
        let n = only_error(d.as_ref().unwrap());
        assert!(
            n.message.contains("nested more than 200 levels"),
            "{}",
            n.message
        );
        assert_eq!(n.span.start, text.find('[').unwrap() + 199);
        assert!(n.span.end - n.span.start < 10);
        let _ = at(&f, n.span);
        let objects = "{\"a\":".repeat(10_000);
        let text = format!("{{\"$schema\": \"deploymentTemplate\", \"x\": {objects}");
        assert!(load_text(&text).1.unwrap().notices[0].is_error());
    }

    #[test]
    fn nested_children_get_full_types_and_name_segments() {
        let text = template(
            r#"[{
      "type": "Microsoft.Batch/batchAccounts", "apiVersion": "2024-07-01", "name": "acct",
      "resources": [
        { "type": "pools", "apiVersion": "2024-07-01", "name": "p1" },
        { "type": "Microsoft.Batch/batchAccounts/pools", "apiVersion": "2024-07-01", "name": "p2" },
        { "type": "Microsoft.Batch/batchAccounts/pools", "name": "acct/p3" },
        { "type": "pools", "name": "[parameters('pool')]",
          "resources": [ { "type": "deeper", "name": "d" } ] }
      ]
    },
    { "type": "Microsoft.Network/virtualNetworks", "name": "vnet" }]"#,
        );
        let (f, d) = load_text(&text);
        let d = d.unwrap();
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let got: Vec<(&str, Vec<Option<&str>>)> = d
            .resources
            .iter()
            .map(|r| {
                (
                    r.rtype.as_str(),
                    r.name_segments.iter().map(|s| s.as_deref()).collect(),
                )
            })
            .collect();
        let pools = "Microsoft.Batch/batchAccounts/pools";
        assert_eq!(
            got,
            vec![
                ("Microsoft.Batch/batchAccounts", vec![Some("acct")]),
                (pools, vec![Some("acct"), Some("p1")]),
                (pools, vec![Some("acct"), Some("p2")]),
                (pools, vec![Some("acct"), Some("p3")]),
                (pools, vec![Some("acct"), None]),
                (
                    "Microsoft.Batch/batchAccounts/pools/deeper",
                    vec![Some("acct"), None, Some("d")]
                ),
                ("Microsoft.Network/virtualNetworks", vec![Some("vnet")]),
            ]
        );
        assert_eq!(at(&f, d.resources[1].header), r#""type": "pools""#);
        assert_eq!(
            at(&f, d.resources[4].name_span),
            r#""[parameters('pool')]""#
        );
        assert_eq!(d.resources[3].api_version, None);
        assert_eq!(d.resources[3].api_version_span, None);
    }

    #[test]
    fn top_level_children_split_their_name() {
        let text = template(
            r#"[
      { "type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "nsg/rule" },
      { "type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "[concat(parameters('nsg'), '/rule')]" },
      { "type": "Microsoft.Resources/deployments", "name": "inner", "apiVersion": "[variables('api')]",
        "properties": { "template": { "resources": [ { "type": "X.Y/z", "name": "hidden" } ] } } }
    ]"#,
        );
        let (f, d) = load_text(&text);
        let d = d.unwrap();
        assert_eq!(d.resources.len(), 3);
        assert_eq!(
            d.resources[0].name_segments,
            vec![Some("nsg".into()), Some("rule".into())]
        );
        assert_eq!(d.resources[0].name(), Some("rule"));
        assert_eq!(d.resources[1].name_segments, vec![None, None]);
        let dep = &d.resources[2];
        assert!(dep.is_type("microsoft.resources/deployments"));
        assert_eq!(dep.api_version, None);
        assert_eq!(
            at(&f, dep.api_version_span.unwrap()),
            r#""apiVersion": "[variables('api')]""#
        );
        assert!(dep
            .body
            .path(&["properties", "template", "resources"])
            .is_some());
    }

    #[test]
    fn language_version_2_object_resources_and_existing() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "acct": { "existing": true, "type": "Microsoft.Batch/batchAccounts", "apiVersion": "2024-07-01", "name": "acct" },
    "pool": { "type": "Microsoft.Batch/batchAccounts/pools", "apiVersion": "2024-07-01", "name": "acct/pool" },
    "nsg": { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg" }
  }
}"#;
        let (f, d) = load_text(text);
        let d = d.unwrap();
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.resources.len(), 2);
        assert_eq!(
            d.resources[0].display(),
            "Microsoft.Batch/batchAccounts/pools 'acct/pool'"
        );
        assert_eq!(
            at(&f, d.resources[0].header),
            r#""type": "Microsoft.Batch/batchAccounts/pools""#
        );
        assert_eq!(f.position(d.resources[1].header.start).line, 8);

        // Without languageVersion 2.0 an object of resources is not valid ARM: warned, not scanned.
        let text = text.replace("\"2.0\"", "\"1.0\"");
        let d = load_text(&text).1.unwrap();
        assert!(d.resources.is_empty());
        assert_eq!(d.notices.len(), 1);
        assert!(!d.notices[0].is_error());
    }

    #[test]
    fn malformed_resources_never_panic() {
        let text = template(
            r#"[1, null, "x", [], {}, {"type": 5, "name": "n"}, {"type": "A.B/c", "name": 7, "existing": "true"},
               {"type": "A.B/c", "resources": {"k": {"type": "d"}}}, {"type": "[parameters('t')]", "name": "n"},
               {"type": "", "name": ""}, {"type": "A.B/c", "name": "n", "resources": 5}]"#,
        );
        let (_, d) = load_text(&text);
        let d = d.unwrap();
        assert!(d.notices.iter().all(|n| !n.is_error()));
        let types: Vec<&str> = d.resources.iter().map(|r| r.rtype.as_str()).collect();
        assert_eq!(types, vec!["A.B/c", "[parameters('t')]", "", "A.B/c"]);
        assert_eq!(d.resources[0].name_segments, vec![None]);
        assert_eq!(d.notices.len(), 8, "{:?}", d.notices);
        for text in [
            "{\"resources\": 1, \"contentVersion\": 1}",
            "{\"$schema\": \"deploymentTemplate\", \"resources\": null}",
        ] {
            let d = load_text(text).1.unwrap();
            assert!(d.resources.is_empty());
        }
    }
}
