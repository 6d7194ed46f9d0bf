//! ML008: SSH open to the public on an ML compute with public IPs.

use crate::findings::Level;
use crate::ir::{Resource, Span, Syntax};
use crate::rules::checker::Checker;
use crate::rules::query::ml::{
    compute_subnet, computes, has_public_ip, ComputeKind, ComputeSubnet,
};
use crate::rules::query::{finding, prop, str_in, Prop, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML008",
        name: "MlComputePublicSsh",
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

/// Why a compute's SSH port is public, and where that is written.
pub fn public_ssh(c: &Resource, kind: ComputeKind) -> Option<(Span, String)> {
    match kind {
        ComputeKind::Cluster => {
            let access = prop(
                c,
                &["properties", "properties", "remoteLoginPortPublicAccess"],
            );
            match access {
                Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => Some((
                    m.location(),
                    if c.syntax == Syntax::Azurerm {
                        "sets ssh_public_access_enabled = true".to_string()
                    } else {
                        "sets remoteLoginPortPublicAccess to Enabled".to_string()
                    },
                )),
                // NotSpecified (the ARM default) opens SSH when the cluster has no subnet; an
                // absent azurerm ssh_public_access_enabled is false (azurerm 4.0+).
                Prop::Absent if c.syntax == Syntax::Azurerm => None,
                Prop::Absent | Prop::Known(_) => {
                    let not_specified = match &access {
                        Prop::Known(m) => str_in(m, &["NotSpecified"]) == Some(true),
                        _ => true,
                    };
                    if !not_specified
                        || !matches!(
                            compute_subnet(c),
                            ComputeSubnet::Absent | ComputeSubnet::NoId(_)
                        )
                    {
                        return None;
                    }
                    Some(match access {
                        Prop::Known(m) => (
                            m.location(),
                            "sets remoteLoginPortPublicAccess to NotSpecified and has no subnet, which leaves SSH open".to_string(),
                        ),
                        _ => (
                            c.header,
                            "leaves remoteLoginPortPublicAccess at its default, NotSpecified, and has no subnet, which leaves SSH open".to_string(),
                        ),
                    })
                }
                Prop::Unknown => None,
            }
        }
        ComputeKind::Instance => {
            let Prop::Known(m) = prop(
                c,
                &["properties", "properties", "sshSettings", "sshPublicAccess"],
            ) else {
                return None;
            };
            if str_in(m, &["Enabled"]) != Some(true) {
                return None;
            }
            Some((
                m.location(),
                if c.syntax == Syntax::Azurerm {
                    "has an ssh block, which enables public SSH access".to_string()
                } else {
                    "sets sshSettings.sshPublicAccess to Enabled".to_string()
                },
            ))
        }
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for (c, kind) in computes(ctx) {
        // Compute known to have no public IP cannot be reached on SSH from the internet.
        if has_public_ip(c) != Some(true) {
            continue;
        }
        let Some((at, why)) = public_ssh(c, kind) else {
            continue;
        };
        let fix = match (kind, c.syntax) {
            (ComputeKind::Cluster, Syntax::Azurerm) => "Set ssh_public_access_enabled = false, or node_public_ip_enabled = false with a subnet.",
            (ComputeKind::Cluster, _) => "Set remoteLoginPortPublicAccess to Disabled, or enableNodePublicIp to false with a subnet.",
            (ComputeKind::Instance, Syntax::Azurerm) => "Remove the ssh block, or set node_public_ip_enabled = false with a subnet.",
            (ComputeKind::Instance, _) => "Set sshSettings.sshPublicAccess to Disabled, or enableNodePublicIp to false with a subnet.",
        };
        out.push(finding(
            meta,
            at,
            format!(
                "{}: {} has public node IPs and {why}. {fix}",
                meta.title,
                c.display()
            ),
        ));
    }
}
