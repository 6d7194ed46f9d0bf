//! ML011: the subnet NSG of Azure ML compute in a customer subnet denies outbound traffic to one
//! of the service tags the compute needs (§8, narrowed by D14).

use crate::findings::{Level, Message};
use crate::graph::links::Link;
use crate::ir::Resource;
use crate::rules::checker::{who, Checker};
use crate::rules::query::traffic::{denials, region_note, report_denial, site, Required};
use crate::rules::query::workloads::{
    compute_region, in_customer_subnet, ml_computes, workspace, ComputeKind, Region, COMPUTE_SUBNET,
};
use crate::rules::query::URI_NT;
use crate::rules::{Ctx, Options, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML011",
        name: "RequiredOutboundMlServiceTagsBlocked",
        title: "Required outbound ML service tags blocked",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["availability", "network", "ml"],
        precision: "high",
        help_uri: URI_NT,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML011.md"),
    },
    check,
};

/// What decides which optional probes apply (D14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub kind: ComputeKind,
    /// The workspace has a private endpoint (`None`: not known).
    pub workspace_pe: Option<bool>,
    /// Private endpoints target the workspace or its storage, Key Vault or registry.
    pub any_pe: Option<bool>,
    pub azure_monitor: bool,
}

/// The outbound probes of ML011 for one compute. An optional probe whose condition is not known
/// is left out: an unknown value never produces a finding.
pub fn probes(scope: Scope, region: Option<&Region>) -> Vec<Required> {
    let mut p = vec![
        Required::outbound("AzureActiveDirectory", 80),
        Required::outbound("AzureActiveDirectory", 443),
        Required::outbound("AzureMachineLearning", 443),
    ];
    if scope.kind == ComputeKind::Instance {
        if scope.workspace_pe == Some(true) {
            p.push(Required::outbound("AzureMachineLearning", 8787));
            p.push(Required::outbound("AzureMachineLearning", 18881));
        }
        p.push(Required::outbound("AzureMachineLearning", 5831).udp());
    }
    p.push(Required::outbound("BatchNodeManagement", 443).in_region(region));
    p.push(Required::outbound("AzureResourceManager", 443));
    p.push(Required::outbound("Storage", 443).in_region(region));
    // Front Door is not used in the China clouds; with an unknown region that is not known.
    if region.is_some_and(|r| !r.name.starts_with("china")) {
        p.push(Required::outbound("AzureFrontDoor.Frontend", 443));
    }
    p.push(Required::outbound("MicrosoftContainerRegistry", 443));
    p.push(Required::outbound("AzureFrontDoor.FirstParty", 443));
    if scope.azure_monitor {
        p.push(Required::outbound("AzureMonitor", 443));
    }
    if scope.any_pe == Some(true) {
        p.push(Required::outbound("VirtualNetwork", 443));
    }
    p
}

/// Does any private endpoint in scope target this entity? `None` when none is found but some
/// endpoint's target does not resolve.
fn has_pe(ctx: &Ctx, entity: usize) -> Option<bool> {
    if !ctx.graph.private_endpoints(entity).is_empty() {
        Some(true)
    } else if ctx.graph.has_unresolved_private_endpoints() {
        None
    } else {
        Some(false)
    }
}

fn scope(ctx: &Ctx, ws: &Resource, kind: ComputeKind, options: &Options) -> Scope {
    let g = ctx.graph;
    let workspace_pe = g.index.of_resource(ws).and_then(|w| has_pe(ctx, w));
    let mut any_pe = workspace_pe;
    for dep in ["storageAccount", "keyVault", "containerRegistry"] {
        if any_pe == Some(true) {
            break;
        }
        let dep_pe = match g.link(ws.properties().and_then(|p| p.get(dep))) {
            Link::Entity(e) => has_pe(ctx, e),
            Link::None => Some(false),
            Link::Unknown => {
                // A dependency outside the scan may have endpoints elsewhere.
                None
            }
        };
        any_pe = match (any_pe, dep_pe) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
    }
    Scope {
        kind,
        workspace_pe,
        any_pe,
        azure_monitor: options.ml011_azure_monitor,
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (c, kind) in ml_computes(ctx) {
        if in_customer_subnet(ctx, c) != Some(true) {
            continue;
        }
        let Some(ws) = workspace(ctx, c) else {
            continue;
        };
        let Some(site) = site(ctx, c, &COMPUTE_SUBNET) else {
            continue;
        };
        let region = compute_region(ctx, c);
        for req in probes(scope(ctx, ws, kind, ctx.options), region.as_ref()) {
            for d in denials(ctx, &site, &req) {
                let says = Message::new()
                    .text(format!(
                        "{} is a {} in a customer subnet and needs outbound {} port {} to `",
                        who(c),
                        kind.noun(),
                        req.protocol.as_str(),
                        req.port,
                    ))
                    .append(req.tag_message())
                    .text(format!("`{}, but ", region_note(region.as_ref())))
                    .append(d.text.clone())
                    .text(" denies it.")
                    .help("Allow that traffic to the service tag at a lower priority number than that rule.");
                report_denial(cx, &d, &site, says)
                    .about(c)
                    .discriminator(format!("{}|{}", who(c), req.label()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Span;

    fn region(name: &str) -> Region {
        Region {
            name: name.into(),
            span: Span::new(0, 0, 0),
        }
    }

    fn labels(p: Vec<Required>) -> Vec<String> {
        p.iter().map(Required::label).collect()
    }

    #[test]
    fn d14_narrows_the_probes() {
        let cluster = Scope {
            kind: ComputeKind::Cluster,
            workspace_pe: Some(true),
            any_pe: Some(true),
            azure_monitor: false,
        };
        let l = labels(probes(cluster, Some(&region("westeurope"))));
        assert_eq!(
            l,
            [
                "AzureActiveDirectory:80/TCP",
                "AzureActiveDirectory:443/TCP",
                "AzureMachineLearning:443/TCP",
                "BatchNodeManagement.westeurope:443/TCP",
                "AzureResourceManager:443/TCP",
                "Storage.westeurope:443/TCP",
                "AzureFrontDoor.Frontend:443/TCP",
                "MicrosoftContainerRegistry:443/TCP",
                "AzureFrontDoor.FirstParty:443/TCP",
                "VirtualNetwork:443/TCP",
            ]
        );
        // Compute instances add 8787 and 18881 (with a workspace endpoint) and UDP 5831.
        let instance = Scope {
            kind: ComputeKind::Instance,
            ..cluster
        };
        let l = labels(probes(instance, Some(&region("westeurope"))));
        assert!(l.contains(&"AzureMachineLearning:8787/TCP".to_string()));
        assert!(l.contains(&"AzureMachineLearning:18881/TCP".to_string()));
        assert!(l.contains(&"AzureMachineLearning:5831/UDP".to_string()));
        let no_pe = Scope {
            workspace_pe: Some(false),
            any_pe: Some(false),
            ..instance
        };
        let l = labels(probes(no_pe, Some(&region("westeurope"))));
        assert!(!l
            .iter()
            .any(|x| x.contains(":8787") || x.contains(":18881")));
        assert!(l.contains(&"AzureMachineLearning:5831/UDP".to_string()));
        assert!(!l.contains(&"VirtualNetwork:443/TCP".to_string()));
        // China regions skip Front Door; an unknown region probes global tags and skips it too.
        let l = labels(probes(cluster, Some(&region("chinanorth3"))));
        assert!(!l.iter().any(|x| x.starts_with("AzureFrontDoor.Frontend")));
        let l = labels(probes(cluster, None));
        assert!(l.contains(&"Storage:443/TCP".to_string()));
        assert!(!l.iter().any(|x| x.starts_with("AzureFrontDoor.Frontend")));
        // AzureMonitor only with the option.
        let l = labels(probes(
            Scope {
                azure_monitor: true,
                ..cluster
            },
            Some(&region("westeurope")),
        ));
        assert!(l.contains(&"AzureMonitor:443/TCP".to_string()));
    }
}
