//! The custom conversions the table names (`Conv::Custom`): blocks whose presence implies an ARM
//! value, `identity`, private endpoint connections split by approval mode, disk encryption
//! targets and a Batch endpoint's `frontend_port_range`.

use super::lower::{apply, first, map_element, push_member, put, put_below};
use super::table::{BATCH_ENCRYPTION, INSTANCE_SSH, ML_ENCRYPTION, PRIVATE_LINK_CONNECTION};
use super::{Field, Mcx};
use crate::ir::{Member, Node, Rejected, Span, Value};

/// A block mapped with `fields`, plus one ARM value its presence implies, spanning the block.
fn block_with_constant(
    m: &Member,
    mcx: &Mcx,
    arm: &'static str,
    dst: &mut Node,
    constant: (&'static str, &'static str),
    fields: &[Field],
) {
    let value = match first(&m.value) {
        Some(e) if matches!(e.value, Value::Object(_)) => {
            let mut o = Node::new(Value::Object(Vec::new()), e.span);
            push_member(
                &mut o,
                Member {
                    key: constant.0.into(),
                    key_span: m.key_span,
                    value: Node::new(Value::String(constant.1.into()), e.span),
                    written: None,
                },
            );
            apply(fields, e, &mut o, mcx);
            o
        }
        Some(e) => e.clone(),
        None if matches!(m.value.value, Value::Array(_)) => return,
        None => m.value.clone(),
    };
    put(dst, arm, m.key_span, value);
}

/// Batch `encryption { key_vault_key_id }`: the block means a customer-managed key.
pub(super) fn batch_encryption(m: &Member, mcx: &Mcx, arm: &'static str, dst: &mut Node) {
    block_with_constant(
        m,
        mcx,
        arm,
        dst,
        ("keySource", "Microsoft.KeyVault"),
        BATCH_ENCRYPTION,
    );
}

/// ML workspace `encryption { key_vault_id, key_id, user_assigned_identity_id }`.
pub(super) fn ml_encryption(m: &Member, mcx: &Mcx, arm: &'static str, dst: &mut Node) {
    block_with_constant(m, mcx, arm, dst, ("status", "Enabled"), ML_ENCRYPTION);
}

/// Compute instance `ssh { public_key }`: the block opens SSH to the public.
pub(super) fn instance_ssh(m: &Member, mcx: &Mcx, arm: &'static str, dst: &mut Node) {
    block_with_constant(
        m,
        mcx,
        arm,
        dst,
        ("sshPublicAccess", "Enabled"),
        INSTANCE_SSH,
    );
}

/// `identity { type, identity_ids }` → `{ type, userAssignedIdentities: { "<id>": {} } }`.
pub(super) fn identity(m: &Member, _mcx: &Mcx, arm: &'static str, dst: &mut Node) {
    if let Some(value) = identity_value(m) {
        put(dst, arm, m.key_span, value);
    }
}

/// The ARM `identity` object for a Terraform `identity` block member (azurerm and azapi).
pub(in crate::frontend) fn identity_value(m: &Member) -> Option<Node> {
    let e = match first(&m.value) {
        Some(e) if matches!(e.value, Value::Object(_)) => e,
        Some(e) => return Some(e.clone()),
        None if matches!(m.value.value, Value::Array(_)) => return None,
        None => return Some(m.value.clone()),
    };
    let mut o = Node::new(Value::Object(Vec::new()), e.span);
    if let Some(t) = e.member("type") {
        put(&mut o, "type", t.key_span, t.value.clone());
    }
    if let Some(ids) = e.member("identity_ids") {
        let v = &ids.value;
        let keyed = match &v.value {
            Value::Array(items) if items.iter().all(|i| i.as_str().is_some()) => {
                let members = items
                    .iter()
                    .map(|i| Member {
                        key: i.as_str().unwrap_or_default().to_string().into(),
                        key_span: i.span,
                        value: Node::new(Value::Object(Vec::new()), i.span),
                        written: None,
                    })
                    .collect();
                Node::new(Value::Object(members), v.span)
            }
            Value::Null | Value::Unknown(_) => v.clone(),
            _ => Node::unknown("user-assigned identity ids are not all known", v.span),
        };
        put(&mut o, "userAssignedIdentities", ids.key_span, keyed);
    }
    Some(o)
}

/// `private_service_connection` blocks → `properties.privateLinkServiceConnections[]`, or
/// `properties.manualPrivateLinkServiceConnections[]` for a block with a literal
/// `is_manual_connection = true`; a block whose mode is not known counts as automatic.
pub(super) fn private_service_connections(
    m: &Member,
    mcx: &Mcx,
    arm: &'static str,
    dst: &mut Node,
) {
    let v = &m.value;
    let items: Vec<&Node> = match &v.value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![v],
        _ => {
            put_below(
                dst,
                arm,
                "privateLinkServiceConnections",
                m.key_span,
                v.clone(),
            );
            return;
        }
    };
    let mut auto: Vec<Node> = Vec::new();
    let mut manual: Vec<Node> = Vec::new();
    for e in items {
        let is_manual = e
            .get("is_manual_connection")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        let mapped = map_element(PRIVATE_LINK_CONNECTION, e, mcx);
        if is_manual {
            manual.push(mapped);
        } else {
            auto.push(mapped);
        }
    }
    for (key, list) in [
        ("privateLinkServiceConnections", auto),
        ("manualPrivateLinkServiceConnections", manual),
    ] {
        let Some(span) = list.iter().map(|n| n.span).reduce(Span::to) else {
            continue;
        };
        put_below(
            dst,
            arm,
            key,
            m.key_span,
            Node::new(Value::Array(list), span),
        );
    }
}

/// `disk_encryption { disk_encryption_target }` blocks → `targets[]`.
pub(super) fn disk_encryption_targets(m: &Member, _mcx: &Mcx, arm: &'static str, dst: &mut Node) {
    let v = &m.value;
    let value = match &v.value {
        Value::Array(items) => {
            let targets = items
                .iter()
                .filter_map(|e| match &e.value {
                    Value::Object(_) => e.member("disk_encryption_target").map(|t| t.value.clone()),
                    _ => Some(e.clone()),
                })
                .collect();
            Node::new(Value::Array(targets), v.span)
        }
        _ => v.clone(),
    };
    put(dst, arm, m.key_span, value);
}

/// `frontend_port_range = "S-E"` → `frontendPortRangeStart` / `frontendPortRangeEnd`, each
/// spanning its digits inside the string. A value of another form gives Unknown bounds. The
/// provider's own validation (the form `START-END`, digits only, and an end at least 100 above
/// the start, [D5](../../../docs/decisions.md#d5)) is not Azure's: what breaks it is recorded as
/// rejected, for the rule that checks the range (BATCH020) to report in place of Azure's check.
pub(super) fn frontend_port_range(m: &Member, mcx: &Mcx, _arm: &'static str, dst: &mut Node) {
    let v = &m.value;
    let reject = |problem: String, fix: &'static str, key: &'static str| {
        mcx.rejected.borrow_mut().push(Rejected {
            at: m.span(),
            name: "frontend_port_range",
            value: v.as_str().unwrap_or_default().to_string(),
            value_at: v.span,
            problem,
            fix,
            key,
            element: mcx.element.borrow().clone(),
        });
    };
    const FORM: &str = "is not of the form START-END, which the azurerm provider requires";
    const FORM_FIX: &str =
        "Write the range as two port numbers joined by a dash, e.g. \"4000-4100\".";
    let (start, end) = match &v.value {
        Value::String(s) => match split_range(s) {
            Some((a, b)) => {
                if !s.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
                    reject(FORM.into(), FORM_FIX, "form");
                } else if b.0 - a.0 < 100.0 && a.0 <= b.0 {
                    reject(
                        format!(
                            "spans {} ports; the azurerm provider requires the end to exceed the start by at least 100",
                            b.0 - a.0 + 1.0
                        ),
                        "Widen the range, e.g. \"4000-4100\".",
                        "size",
                    );
                }
                // Offset of the string's first character in the file, when written plainly.
                let inner = mcx
                    .text
                    .get(v.span.start..v.span.end)
                    .filter(|raw| raw.len() == s.len() + 2 && raw[1..raw.len() - 1] == **s)
                    .map(|_| v.span.start + 1);
                let node = |(n, r): (f64, std::ops::Range<usize>)| {
                    let span =
                        inner.map_or(v.span, |o| Span::new(v.span.file, o + r.start, o + r.end));
                    Node::new(Value::Number(n), span)
                };
                (node(a), node(b))
            }
            None => {
                reject(FORM.into(), FORM_FIX, "form");
                let u = Node::unknown(
                    format!("`frontend_port_range` \"{s}\" is not of the form START-END"),
                    v.span,
                );
                (u.clone(), u)
            }
        },
        Value::Unknown(_) | Value::Null => (v.clone(), v.clone()),
        _ => {
            reject(FORM.into(), FORM_FIX, "form");
            let u = Node::unknown("`frontend_port_range` is not a string", v.span);
            (u.clone(), u)
        }
    };
    // Both bounds span the whole attribute as their key, so a finding on the range points at it.
    put(dst, "frontendPortRangeStart", m.span(), start);
    put(dst, "frontendPortRangeEnd", m.span(), end);
}

type Bound = (f64, std::ops::Range<usize>);

/// `"4000-4100"` → the two numbers with their byte ranges in the string.
pub(super) fn split_range(s: &str) -> Option<(Bound, Bound)> {
    let dash = s.find('-')?;
    let digits = |from: usize, part: &str| -> Option<Bound> {
        let lead = part.len() - part.trim_start().len();
        let t = part.trim();
        if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let start = from + lead;
        Some((t.parse::<u64>().ok()? as f64, start..start + t.len()))
    };
    Some((digits(0, &s[..dash])?, digits(dash + 1, &s[dash + 1..])?))
}
