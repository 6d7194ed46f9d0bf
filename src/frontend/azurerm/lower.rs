//! The engine that applies the table ([`super::table`]) to an azurerm resource block: the
//! resource's common fields, its properties by row and conversion, its name and parent.

use super::table::{COMMON, MAPPINGS};
use super::{Conv, Field, Mcx, Parent};
use crate::frontend::hcl::Ctx;
use crate::frontend::terraform::ResourceBlock;
use crate::ir::armid::ArmId;
use crate::ir::{Member, Node, Resource, Span, Value};

/// The ARM type an azurerm resource type lowers to, if it is in the table.
pub fn arm_type(tf_type: &str) -> Option<&'static str> {
    MAPPINGS
        .iter()
        .find(|m| m.tf_type == tf_type)
        .map(|m| m.arm_type)
}

/// Lowers an azurerm resource block; `None` for types not in the table.
pub fn lower(rb: &ResourceBlock, ctx: &Ctx) -> Option<Resource> {
    let map = MAPPINGS.iter().find(|m| m.tf_type == rb.tf_type)?;
    let tf_body = crate::frontend::terraform::resource_body(rb, ctx);
    let mcx = Mcx {
        text: ctx.text,
        rejected: Default::default(),
        element: Default::default(),
    };

    let mut body = Node::new(Value::Object(Vec::new()), rb.span);
    apply(&COMMON[..2], &tf_body, &mut body, &mcx);
    push_member(
        &mut body,
        Member {
            key: "properties".into(),
            key_span: rb.header,
            value: Node::new(Value::Object(Vec::new()), rb.span),
            written: None,
        },
    );
    for (path, value) in map.constants {
        put(
            &mut body,
            path,
            rb.header,
            Node::new(Value::String((*value).into()), rb.header),
        );
    }
    apply(map.fields, &tf_body, &mut body, &mcx);
    apply(&COMMON[2..], &tf_body, &mut body, &mcx);

    let name_member = tf_body.member("name");
    let name = name_member
        .and_then(|m| m.value.as_str())
        .map(str::to_string);
    let name_span = name_member.map_or(rb.name_label, |m| m.span());
    let (parent_ref, mut name_segments) = match map.parent {
        Parent::None => (None, Vec::new()),
        Parent::Name(k) => {
            let n = tf_body.member(k).map(|m| m.value.clone());
            let seg = n.as_ref().and_then(|n| n.as_str()).map(str::to_string);
            (n, vec![seg])
        }
        Parent::Id(k) => {
            let n = tf_body.member(k).map(|m| m.value.clone());
            let seg = n
                .as_ref()
                .and_then(|n| n.as_str())
                .and_then(ArmId::parse)
                .and_then(|id| id.name().map(str::to_string));
            (n, vec![seg])
        }
    };
    name_segments.push(name);
    let parent_ref_at = match map.parent {
        Parent::None => None,
        Parent::Name(k) | Parent::Id(k) => tf_body.member(k).map(Member::span),
    };
    let resource_group = tf_body
        .member("resource_group_name")
        .map(|m| m.value.clone());

    Some(Resource {
        rtype: map.arm_type.into(),
        api_version: None,
        api_version_span: None,
        tf_address: Some(rb.address.clone()),
        name_segments,
        name_span,
        parent_ref,
        parent_ref_at,
        resource_group,
        header: rb.header,
        span: rb.span,
        body,
        provenance: Vec::new(),
        conditional: None,
        api_profile: None,
        sensitive: Vec::new(),
        spelling: crate::ir::spelling::SpellingRef(map),
        rejected: mcx.rejected.into_inner(),
    })
}

/// Maps the fields found in the Terraform object `src` into the ARM object `dst`.
pub(super) fn apply(fields: &[Field], src: &Node, dst: &mut Node, mcx: &Mcx) {
    for field in fields {
        let Some((tf, m)) = field
            .tf
            .split('|')
            .find_map(|k| src.member(k).map(|m| (k, m)))
        else {
            continue;
        };
        let v = &m.value;
        let value = match &field.conv {
            Conv::Same => v.clone(),
            Conv::Enabled => choice(v, "Enabled", "Disabled"),
            Conv::Bool(t, f) => choice(v, t, f),
            Conv::Not => negate(v),
            Conv::IdObjects => key_objects(v, "id"),
            Conv::Objects(key) => key_objects(v, key),
            Conv::Block(sub) => match first(v) {
                Some(e) if matches!(e.value, Value::Object(_)) => map_object(sub, e, mcx),
                Some(e) => e.clone(),
                None if matches!(v.value, Value::Array(_)) => continue,
                None => v.clone(),
            },
            Conv::Blocks(sub) => match &v.value {
                Value::Array(items) => Node::new(
                    Value::Array(items.iter().map(|e| map_element(sub, e, mcx)).collect()),
                    v.span,
                ),
                Value::Object(_) => Node::new(Value::Array(vec![map_object(sub, v, mcx)]), v.span),
                _ => v.clone(),
            },
            Conv::Custom(func, _) => {
                func(m, mcx, field.arm, dst);
                continue;
            }
        };
        put_written(dst, field.arm, m.key_span, value, Some(tf));
    }
}

fn map_object(fields: &[Field], src: &Node, mcx: &Mcx) -> Node {
    let mut o = Node::new(Value::Object(Vec::new()), src.span);
    let name = src.get("name").and_then(Node::as_str).map(str::to_string);
    let outer = name.map(|n| mcx.element.replace(Some(n)));
    apply(fields, src, &mut o, mcx);
    if let Some(outer) = outer {
        *mcx.element.borrow_mut() = outer;
    }
    o
}

pub(super) fn map_element(fields: &[Field], e: &Node, mcx: &Mcx) -> Node {
    match e.value {
        Value::Object(_) => map_object(fields, e, mcx),
        _ => e.clone(),
    }
}

/// The first (usually only) block of a block member, or the object of the attribute form.
pub(super) fn first(v: &Node) -> Option<&Node> {
    match &v.value {
        Value::Array(items) => items.first(),
        _ => Some(v),
    }
}

pub(super) fn push_member(dst: &mut Node, m: Member) {
    if let Value::Object(members) = &mut dst.value {
        members.push(m);
    }
}

/// Puts `value` at the dotted `path` under `dst`, creating the objects on the way. A created
/// object takes `key_span` as its key span and grows to span everything put into it. The first
/// value put at a path wins (so the first spelling of a renamed attribute is kept).
pub(super) fn put(dst: &mut Node, path: &'static str, key_span: Span, value: Node) {
    put_written(dst, path, key_span, value, None);
}

/// [`put`] at the member `last` of the object at `path`. Keys name the azurerm table's ARM
/// paths, which live as long as the program, so members hold them without a copy.
pub(super) fn put_below(
    dst: &mut Node,
    path: &'static str,
    last: &'static str,
    key_span: Span,
    value: Node,
) {
    let mut segments: Vec<&'static str> = path.split('.').collect();
    segments.push(last);
    put_segments(dst, segments, key_span, value, None);
}

/// [`put`], recording the Terraform name the value was written under on the member it adds.
fn put_written(
    dst: &mut Node,
    path: &'static str,
    key_span: Span,
    value: Node,
    written: Option<&'static str>,
) {
    put_segments(dst, path.split('.').collect(), key_span, value, written);
}

fn put_segments(
    dst: &mut Node,
    mut segments: Vec<&'static str>,
    key_span: Span,
    value: Node,
    written: Option<&'static str>,
) {
    let added = key_span.to(value.span);
    let Some(last) = segments.pop() else { return };
    let mut cur = dst;
    for seg in segments {
        let Value::Object(members) = &mut cur.value else {
            return;
        };
        let i = match members.iter().position(|m| m.key.eq_ignore_ascii_case(seg)) {
            Some(i) => i,
            None => {
                members.push(Member {
                    key: seg.into(),
                    key_span,
                    value: Node::new(Value::Object(Vec::new()), added),
                    written: None,
                });
                members.len() - 1
            }
        };
        let next = &mut members[i].value;
        if !matches!(next.value, Value::Object(_)) {
            return;
        }
        next.span = next.span.to(added);
        cur = next;
    }
    if let Value::Object(members) = &mut cur.value {
        if !members.iter().any(|m| m.key.eq_ignore_ascii_case(last)) {
            members.push(Member {
                key: last.into(),
                key_span,
                value,
                written,
            });
        }
    }
}

/// `true` → `yes`, `false` → `no` (`"Enabled"` / `"Disabled"`); Unknown and `null` stay as
/// they are.
fn choice(v: &Node, yes: &str, no: &str) -> Node {
    match &v.value {
        Value::Unknown(_) | Value::Null => v.clone(),
        _ => match v.as_bool() {
            Some(true) => Node::new(Value::String(yes.into()), v.span),
            Some(false) => Node::new(Value::String(no.into()), v.span),
            None => Node::unknown("expected a boolean", v.span),
        },
    }
}

fn negate(v: &Node) -> Node {
    match &v.value {
        Value::Unknown(_) | Value::Null => v.clone(),
        _ => match v.as_bool() {
            Some(b) => Node::new(Value::Bool(!b), v.span),
            None => Node::unknown("expected a boolean", v.span),
        },
    }
}

/// A list `[a, b]` → `[{ key: a }, { key: b }]`, each object spanning its element; any other
/// value (Unknown, `null`) stays as it is.
fn key_objects(v: &Node, key: &'static str) -> Node {
    match &v.value {
        Value::Array(items) => Node::new(
            Value::Array(items.iter().map(|i| key_object(i, key)).collect()),
            v.span,
        ),
        _ => v.clone(),
    }
}

fn key_object(v: &Node, key: &'static str) -> Node {
    let m = Member {
        key: key.into(),
        key_span: v.span,
        value: v.clone(),
        written: None,
    };
    Node::new(Value::Object(vec![m]), v.span)
}
