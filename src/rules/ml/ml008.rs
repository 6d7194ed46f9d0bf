//! ML008: SSH open to the public on an ML compute with public IPs.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::Resource;
use crate::rules::checker::{assignment, found_assignment, name, who, At, Checker};
use crate::rules::query::ml::{
    compute_subnet, computes, has_public_ip, ComputeKind, ComputeSubnet, NODE_PUBLIC_IP,
};
use crate::rules::query::{lookup, str_in, Prop, URI_NSG};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML008",
        name: "PublicSshOnCompute",
        title: "Public SSH on compute",
        level: Level::Warning,
        security_severity: "6.5",
        tags: &["security", "network", "ml"],
        precision: "very-high",
        help_uri: URI_NSG,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML008.md"),
    },
    check,
};

/// A cluster's public SSH setting (in `CP`, the compute's own properties).
const REMOTE_LOGIN: PropPath = PropPath::new(
    &["properties", "properties", "remoteLoginPortPublicAccess"],
    2,
);
/// A compute instance's public SSH setting.
const SSH_ACCESS: PropPath = PropPath::new(
    &["properties", "properties", "sshSettings", "sshPublicAccess"],
    2,
);

/// What holds it.
const SSH_SETTINGS: PropPath = PropPath::new(&["properties", "properties", "sshSettings"], 2);

/// Why a compute's SSH port is public, and where that is written.
fn public_ssh<'r>(c: &'r Resource, kind: ComputeKind) -> Option<(At<'r>, Message)> {
    match kind {
        ComputeKind::Cluster => {
            let access = lookup(&c.body, REMOTE_LOGIN.keys);
            let value = match &access {
                Prop::Known(m) => m.value.as_str().map(str::to_string),
                Prop::Unknown => return None,
                // What the syntax gives an absent value (a provider default, say), otherwise
                // ARM's default, NotSpecified.
                Prop::Absent => Some(
                    c.spelling()
                        .default_value(REMOTE_LOGIN.keys)
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_else(|| "NotSpecified".to_string()),
                ),
            };
            let at = match access {
                Prop::Known(m) => At::member(c, m),
                _ => At::resource(c),
            };
            let says = |v: &str| match access {
                Prop::Known(m) => Message::new().text("sets ").append(found_assignment(
                    c,
                    REMOTE_LOGIN,
                    m,
                    &json!(v),
                )),
                _ => Message::new().text(format!(
                    "leaves {} at its default, {v},",
                    name(c, REMOTE_LOGIN)
                )),
            };
            match value.as_deref() {
                Some(v) if v.eq_ignore_ascii_case("Enabled") => Some((at, says("Enabled"))),
                // NotSpecified opens SSH when the cluster has no subnet.
                Some(v) if v.eq_ignore_ascii_case("NotSpecified") => {
                    if !matches!(
                        compute_subnet(c),
                        ComputeSubnet::Absent | ComputeSubnet::NoId(_)
                    ) {
                        return None;
                    }
                    Some((
                        at,
                        says("NotSpecified").text(" and has no subnet, which leaves SSH open"),
                    ))
                }
                _ => None,
            }
        }
        ComputeKind::Instance => {
            let Prop::Known(m) = lookup(&c.body, SSH_ACCESS.keys) else {
                return None;
            };
            if str_in(m, &["Enabled"]) != Some(true) {
                return None;
            }
            let why = if instance_setting_named(c) {
                Message::new().text("sets ").append(found_assignment(
                    c,
                    SSH_ACCESS,
                    m,
                    &json!("Enabled"),
                ))
            } else {
                Message::new().text(format!(
                    "sets {}, which enables public SSH access",
                    name(c, SSH_ACCESS)
                ))
            };
            Some((At::member(c, m), why))
        }
    }
}

/// Does the instance's syntax name its public SSH setting itself? Some write it only through
/// the block that holds it (whose presence enables public SSH), and then name that block.
fn instance_setting_named(c: &Resource) -> bool {
    name(c, SSH_ACCESS) != name(c, SSH_SETTINGS)
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (c, kind) in computes(ctx) {
        // Compute known to have no public IP cannot be reached on SSH from the internet.
        // Reported "unless the compute is known to have no public IP" (§8): a public IP that is
        // not known does not silence it, and the message says so.
        let public_ip = has_public_ip(c);
        if public_ip == Some(false) {
            continue;
        }
        let Some((at, why)) = public_ssh(c, kind) else {
            continue;
        };
        let private = format!(
            "{} with a subnet",
            assignment(c, NODE_PUBLIC_IP, &json!(false))
        );
        let disabled = json!("Disabled");
        let (fix, path) = match kind {
            ComputeKind::Cluster => (
                format!(
                    "Set {}, or {private}.",
                    assignment(c, REMOTE_LOGIN, &disabled)
                ),
                REMOTE_LOGIN,
            ),
            ComputeKind::Instance if instance_setting_named(c) => (
                format!(
                    "Set {}, or {private}.",
                    assignment(c, SSH_ACCESS, &disabled)
                ),
                SSH_ACCESS,
            ),
            ComputeKind::Instance => (
                format!("Remove {}, or set {private}.", name(c, SSH_ACCESS)),
                SSH_ACCESS,
            ),
        };
        let nodes = match public_ip {
            Some(_) => "has public node IPs".to_string(),
            None => format!(
                "may have public node IPs ({} is not known)",
                name(c, NODE_PUBLIC_IP)
            ),
        };
        let says = Message::new()
            .text(format!("{} {nodes} and ", who(c)))
            .append(why)
            .text(".")
            .help(fix);
        // Where the syntax enables public SSH by the settings block itself, the block goes, and
        // SSH with it, from the virtual network too.
        let fix = if kind == ComputeKind::Instance && !instance_setting_named(c) {
            Fix::remove(SSH_SETTINGS.keys)
                .changing("SSH to the instance is turned off, from the virtual network too")
        } else {
            Fix::set(path.keys, disabled)
        };
        cx.report(at, says).fix(fix);
    }
}
