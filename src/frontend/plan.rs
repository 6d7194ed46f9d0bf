//! Terraform plans in JSON (`terraform show -json PLANFILE`).
//!
//! A plan is read into a document of kind [`DocKind::TerraformPlan`]: its resources are the
//! planned values of the managed resource instances that exist after the plan is applied
//! (translated by [`tfjson::translate_plan`] and lowered as a `.tf` file's resources are, spans in
//! the plan file, each named by its plan address), and its `root` keeps what evaluation needs to
//! find the configuration the plan was made from and to evaluate it as the plan did: the root
//! module's variable values (`variables`), the configuration's resource addresses (`addresses`)
//! and module calls (`module_calls`), whether the plan has a configuration at all
//! (`configured`), and the planned instances' addresses in the configuration's form (`planned`,
//! `planned_calls`), which stand for it when it has none. The plan's `prior_state` is never read, so nothing from
//! it is ever quoted.

use super::hcl::Ctx;
use super::terraform::lower_resources;
use super::tfjson::{self, member};
use crate::ir::{DocKind, Document, Member, Node, Notice, Span, Value};
use crate::source::{FileId, SourceFile};
use jsonc_parser::ast::{self, Value as J};
use jsonc_parser::common::Ranged;

/// Does this JSON text look like a Terraform plan (`format_version` with `planned_values` or
/// `resource_changes`)?
pub fn is_plan(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(text.len().min(4096))];
    head.contains("\"format_version\"")
        && ["\"planned_values\"", "\"resource_changes\""]
            .iter()
            .any(|k| text.contains(k))
}

/// Does this JSON text look like Terraform state (`terraform show -json` of a state, not a plan)?
pub fn is_state(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(text.len().min(4096))];
    head.contains("\"format_version\"")
        && head.contains("\"terraform_version\"")
        && text.contains("\"values\"")
        && !is_plan(text)
}

/// Reads a plan.
pub fn load(file: &SourceFile) -> Document {
    let mut doc = Document {
        file: file.id,
        kind: DocKind::TerraformPlan,
        resources: Vec::new(),
        notices: Vec::new(),
        root: None,
    };
    let root = match super::arm::parse_json(&file.text) {
        Ok(Some(root @ J::Object(_))) => root,
        Ok(_) => {
            doc.notices.push(Notice {
                level: crate::ir::NoticeLevel::Error,
                message: "a Terraform plan in JSON is one object (`terraform show -json`); this \
                          file holds another value"
                    .into(),
                span: Span::new(file.id, 0, 0),
            });
            return doc;
        }
        Err((start, end, message)) => {
            let message = match message.strip_prefix("invalid JSON: ") {
                Some(rest) => format!("invalid JSON in Terraform plan: {rest}"),
                None => message,
            };
            doc.notices.push(Notice {
                level: crate::ir::NoticeLevel::Error,
                message,
                span: Span::new(file.id, start, end),
            });
            return doc;
        }
    };
    if member(Some(&root), "planned_values").is_none()
        && member(Some(&root), "resource_changes").is_none()
    {
        doc.notices.push(Notice {
            level: crate::ir::NoticeLevel::Error,
            message: "this is not a Terraform plan in JSON: it has neither `planned_values` nor \
                      `resource_changes` (make it with `terraform show -json PLANFILE`)"
                .into(),
            span: Span::new(file.id, 0, 0),
        });
        return doc;
    }
    let (t, planned) = tfjson::translate_plan(&file.text, &root);
    let body = match hcl_edit::parser::parse_body(&t.hcl) {
        Ok(b) => b,
        Err(e) => {
            let at = t
                .map
                .to_source(e.location().offset()..e.location().offset());
            doc.notices.push(Notice {
                level: crate::ir::NoticeLevel::Error,
                message: format!(
                    "batchguard could not read the planned values of this Terraform plan: {}",
                    e.message()
                ),
                span: Span::new(file.id, at.start, at.end),
            });
            return doc;
        }
    };
    let ctx = Ctx::new(file.id, &file.text).mapped(Some(&t.map));
    let mut resources = lower_resources(&body, &ctx);
    for r in &mut resources {
        // `TYPE.r<i>` names the i-th planned resource.
        let index = r
            .tf_address
            .as_deref()
            .and_then(|a| a.rsplit_once(".r"))
            .and_then(|(_, i)| i.parse::<usize>().ok());
        if let Some(p) = index.and_then(|i| planned.get(i)) {
            r.tf_address = Some(p.address.clone());
        }
    }
    doc.resources = resources;
    doc.root = Some(summary(&root, file.id));
    doc
}

/// `{"variables": {NAME: VALUE}, "addresses": [...], "module_calls": [...]}`.
fn summary(root: &J, file: FileId) -> Node {
    let whole = Span::new(file, 0, 0);
    let mut members = Vec::new();
    let mut variables = Vec::new();
    if let Some(J::Object(vars)) = member(Some(root), "variables") {
        for p in &vars.properties {
            if let Some(v) = member(Some(&p.value), "value") {
                variables.push(Member {
                    key: p.name.as_str().to_string().into(),
                    key_span: span(file, p.name.range()),
                    value: plain(v, file),
                    written: None,
                });
            }
        }
    }
    members.push(Member {
        key: "variables".into(),
        key_span: whole,
        value: Node::new(Value::Object(variables), whole),
        written: None,
    });
    let module = member(member(Some(root), "configuration"), "root_module");
    let mut addresses = Vec::new();
    if let Some(J::Array(rs)) = member(module, "resources") {
        for r in &rs.elements {
            if let Some(J::StringLit(a)) = member(Some(r), "address") {
                addresses.push(Node::new(
                    Value::String(a.value.to_string()),
                    span(file, a.range),
                ));
            }
        }
    }
    let mut calls = Vec::new();
    if let Some(J::Object(c)) = member(module, "module_calls") {
        for p in &c.properties {
            calls.push(Node::new(
                Value::String(p.name.as_str().to_string()),
                span(file, p.name.range()),
            ));
        }
    }
    // Without a `configuration` (a plan written by another tool), the planned instances'
    // addresses in the configuration's form stand for it.
    let mut planned = Vec::new();
    let mut planned_calls = Vec::new();
    let root_module = member(member(Some(root), "planned_values"), "root_module");
    if let Some(J::Array(rs)) = member(root_module, "resources") {
        for r in &rs.elements {
            if let Some(J::StringLit(a)) = member(Some(r), "address") {
                let address = tfjson::config_address(&a.value);
                planned.push(Node::new(Value::String(address), span(file, a.range)));
            }
        }
    }
    if let Some(J::Array(cs)) = member(root_module, "child_modules") {
        for c in &cs.elements {
            if let Some(J::StringLit(a)) = member(Some(c), "address") {
                let address = tfjson::config_address(&a.value);
                if let Some(name) = address.strip_prefix("module.") {
                    planned_calls.push(Node::new(
                        Value::String(name.split('.').next().unwrap_or(name).to_string()),
                        span(file, a.range),
                    ));
                }
            }
        }
    }
    let configured = module.is_some();
    members.push(Member {
        key: "configured".into(),
        key_span: whole,
        value: Node::new(Value::Bool(configured), whole),
        written: None,
    });
    for (key, list) in [
        ("addresses", addresses),
        ("module_calls", calls),
        ("planned", planned),
        ("planned_calls", planned_calls),
    ] {
        members.push(Member {
            key: key.into(),
            key_span: whole,
            value: Node::new(Value::Array(list), whole),
            written: None,
        });
    }
    Node::new(Value::Object(members), whole)
}

fn span(file: FileId, r: jsonc_parser::common::Range) -> Span {
    Span::new(file, r.start, r.end)
}

/// A JSON value as it is: strings are values, never expressions.
fn plain(v: &J, file: FileId) -> Node {
    let at = span(file, v.range());
    let value = match v {
        J::StringLit(s) => Value::String(s.value.to_string()),
        J::NumberLit(n) => match n.value.parse::<f64>() {
            Ok(x) => Value::Number(x),
            Err(_) => return Node::unknown("number out of range", at),
        },
        J::BooleanLit(b) => Value::Bool(b.value),
        J::NullKeyword(_) => Value::Null,
        J::Array(a) => Value::Array(a.elements.iter().map(|e| plain(e, file)).collect()),
        J::Object(o) => Value::Object(object(o, file)),
    };
    Node::new(value, at)
}

fn object(o: &ast::Object, file: FileId) -> Vec<Member> {
    o.properties
        .iter()
        .map(|p| Member {
            key: p.name.as_str().to_string().into(),
            key_span: span(file, p.name.range()),
            value: plain(&p.value, file),
            written: None,
        })
        .collect()
}
