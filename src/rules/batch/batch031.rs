//! BATCH031: a Batch pool whose node disks are not encrypted (rules/BATCH031.md, D12).

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Member, Resource, Span};
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::pool::{pool_os, Os};
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use crate::tri::Tri;
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH031",
        name: "NodeDisksNotEncrypted",
        title: "Node disks not encrypted",
        level: Level::Warning,
        security_severity: "4.3",
        tags: &["security", "encryption", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &["Azure Policy 1760f9d4-7206-436e-a28f-d9f3a5c8a227"],
        needs: &[],
        doc: include_str!("../../../rules/BATCH031.md"),
    },
    check,
};

const TARGETS: [&str; 5] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "diskEncryptionConfiguration",
    "targets",
];
const HOST_ENCRYPTION: [&str; 5] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "securityProfile",
    "encryptionAtHost",
];

/// The disk encryption targets of a pool.
#[derive(Debug)]
pub(crate) enum Targets<'a> {
    Absent,
    Unknown,
    /// The list as written, and whether it holds `TemporaryDisk` and `OsDisk`.
    Known {
        member: &'a Member,
        temporary: Tri,
        os: Tri,
    },
}

/// Does the list hold `name`? Yes when an element is that value; No when every element is a
/// known other value; Unknown otherwise.
pub(crate) fn holds(items: &[crate::ir::Node], name: &str) -> Tri {
    let mut result = Tri::No;
    for it in items {
        match it.as_str() {
            Some(s) if s.trim().eq_ignore_ascii_case(name) => return Tri::Yes,
            Some(_) => {}
            None => result = Tri::Unknown,
        }
    }
    result
}

fn targets(pool: &Resource) -> Targets<'_> {
    match lookup(&pool.body, &TARGETS) {
        Prop::Absent => Targets::Absent,
        Prop::Unknown => Targets::Unknown,
        Prop::Known(m) => match &m.value.value {
            crate::ir::Value::Array(items) => Targets::Known {
                member: m,
                temporary: holds(items, "TemporaryDisk"),
                os: holds(items, "OsDisk"),
            },
            _ => Targets::Unknown,
        },
    }
}

/// Host encryption: Yes for a known `true`, No when absent or `false`, with the member.
fn host_encryption(pool: &Resource) -> (Tri, Option<&Member>) {
    match lookup(&pool.body, &HOST_ENCRYPTION) {
        Prop::Absent => (Tri::No, None),
        Prop::Unknown => (Tri::Unknown, None),
        Prop::Known(m) => match m.value.as_bool() {
            Some(b) => (Tri::from_bool(b), Some(m)),
            None => (Tri::Unknown, Some(m)),
        },
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let strict = ctx.options.batch031_policy_strict;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let who = who(pool);
        let targets_name = name(pool, PropPath::new(&TARGETS, 3));
        let t = targets(pool);
        let (host, host_m) = host_encryption(pool);
        let temporary = match &t {
            Targets::Absent => Tri::No,
            Targets::Unknown => Tri::Unknown,
            Targets::Known { temporary, .. } => *temporary,
        };
        // Violation: no host encryption and no TemporaryDisk target; with
        // batch031.policy_strict (D12) only the TemporaryDisk target counts.
        let encrypted = if strict {
            temporary
        } else {
            host.or(temporary)
        };
        if encrypted == Tri::No {
            let at: Span = match (&t, host_m) {
                (Targets::Known { member, .. }, _) => member.location(),
                (_, Some(h)) if !strict => h.span(),
                _ => pool.header,
            };
            let facts = match (&t, strict, host_m.is_some()) {
                (Targets::Known { .. }, true, _) => "lists disk encryption targets without TemporaryDisk (option batch031.policy_strict, which ignores host encryption)".to_string(),
                (Targets::Known { .. }, false, true) => "turns host encryption off and its disk encryption targets lack TemporaryDisk".to_string(),
                (Targets::Known { .. }, false, false) => "does not enable host encryption and its disk encryption targets lack TemporaryDisk".to_string(),
                (_, true, _) => "has no disk encryption targets, and the temporary disk is not encrypted (option batch031.policy_strict, which ignores host encryption)".to_string(),
                (_, false, true) => "turns host encryption off and has no disk encryption targets".to_string(),
                (_, false, false) => "neither enables host encryption nor lists disk encryption targets".to_string(),
            };
            let (fix_text, fix) = if strict {
                let fix = match &t {
                    Targets::Known { .. } => {
                        Fix::default().and_add(&TARGETS, json!("TemporaryDisk"))
                    }
                    _ => Fix::set(&TARGETS, json!(["TemporaryDisk", "OsDisk"])),
                };
                (
                    format!("Add TemporaryDisk (and OsDisk) to {targets_name}."),
                    fix,
                )
            } else {
                (
                    format!(
                        "Set {} or add TemporaryDisk to {targets_name}.",
                        assignment(pool, PropPath::new(&HOST_ENCRYPTION, 3), &json!(true))
                    ),
                    Fix::set(&HOST_ENCRYPTION, json!(true)),
                )
            };
            let f = cx
                .report(
                    At::span(pool, at),
                    Message::from(format!(
                        "{who} {facts}, so task files on the node disks are stored unencrypted."
                    ))
                    .help(fix_text),
                )
                .discriminator("unencrypted")
                .fix(fix);
            if let (Some(h), false) = (host_m, strict) {
                if h.span() != at {
                    f.related(h.span(), "host encryption off");
                }
            }
        }
        // The schema wants both targets on Windows.
        if let Targets::Known {
            member,
            os: Tri::No,
            ..
        } = &t
        {
            if pool_os(pool) == Os::Windows {
                cx.report(
                    At::member(pool, member),
                    Message::from(format!("{who} is a Windows pool whose disk encryption targets lack OsDisk; on Windows the service requires both OsDisk and TemporaryDisk.")).help("List both targets."),
                )
                .level(Level::Error)
                .discriminator("windows-osdisk")
                .fix(Fix::default().and_add(&TARGETS, json!("OsDisk")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Node, Span, Value};

    fn s(t: &str) -> Node {
        Node::new(Value::String(t.into()), Span::new(0, 0, 0))
    }

    #[test]
    fn targets_are_matched_case_insensitively_and_unknowns_stay_unknown() {
        assert_eq!(holds(&[], "TemporaryDisk"), Tri::No);
        assert_eq!(holds(&[s("OsDisk")], "TemporaryDisk"), Tri::No);
        assert_eq!(holds(&[s("temporarydisk")], "TemporaryDisk"), Tri::Yes);
        let unknown = Node::unknown("var", Span::new(0, 0, 0));
        assert_eq!(
            holds(&[s("OsDisk"), unknown.clone()], "TemporaryDisk"),
            Tri::Unknown
        );
        assert_eq!(holds(&[unknown, s("OsDisk")], "OsDisk"), Tri::Yes);
    }
}
