//! NET008: compute without public IPs (ML compute with `enableNodePublicIp = false`, a
//! `NoPublicIPAddresses` Batch pool without a `nodeManagement` private endpoint) in a subnet
//! that has no explicit egress and relies on default outbound access (D10).

use crate::findings::Level;
use crate::graph::links::Link;
use crate::ir::types;
use crate::ir::{Member, Span, Syntax};
use crate::rules::checker::Checker;
use crate::rules::query::pool::{date, parse_api_version};
use crate::rules::query::workloads::{
    account_has_node_management_pe, compute_public_ip, ml_computes, pool_is_public, reference_span,
    subnet_name, subnet_routes, workspace_unmanaged, RoutePrefix, COMPUTE_SUBNET, POOL_SUBNET,
};
use crate::rules::query::{finding, related, URI_NT};
use crate::rules::{Ctx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET008",
        name: "NoPublicIpComputeReliesOnDefaultOutbound",
        title: "No-public-IP compute relies on default outbound access",
        level: Level::Warning,
        security_severity: "3.7",
        tags: &["security", "network", "batch", "ml"],
        precision: "high",
        help_uri: URI_NT,
        peers: &["Azure Policy 7bca8353-aa3b-429b-904a-9229c4385837"],
        needs: &[],
        doc: include_str!("../../../rules/NET008.md"),
    },
    check,
};

/// The first Network API version whose subnets default to no default outbound access (D10).
const PRIVATE_SUBNET_API: u32 = date(2025, 7, 1);

/// Next hops of a `0.0.0.0/0` route that give explicit egress.
const EGRESS_HOPS: &[&str] = &[
    "VirtualAppliance",
    "VirtualApplianceEcmp",
    "VirtualNetworkGateway",
];

/// Does the subnet have explicit egress (a NAT gateway, or a default route to a firewall or
/// gateway)? `None` when that cannot be known.
fn explicit_egress(ctx: &Ctx, subnet: usize) -> Option<bool> {
    match ctx.graph.subnet_nat_gateway(subnet) {
        Link::Entity(_) => return Some(true),
        Link::Unknown => return None,
        Link::None => {}
    }
    let routes = subnet_routes(ctx, subnet)?;
    let mut unknown = false;
    for r in &routes {
        let hop = r.next_hop_is(EGRESS_HOPS);
        match (&r.prefix, hop) {
            (RoutePrefix::Default, Some(true)) => return Some(true),
            (RoutePrefix::Default | RoutePrefix::Unknown, None) => unknown = true,
            (RoutePrefix::Unknown, Some(true)) => unknown = true,
            _ => {}
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// The subnet's effective `defaultOutboundAccess` (D10) and where it is written; `None` when
/// unknown.
fn default_outbound(ctx: &Ctx, subnet: usize) -> Option<(bool, Option<Span>)> {
    let e = ctx.graph.index.get(subnet);
    if e.node.is_unknown() {
        return None;
    }
    match e
        .properties()
        .and_then(|p| p.member("defaultOutboundAccess"))
        .filter(|m| !m.value.is_null())
    {
        Some(m) => m.value.as_bool().map(|b| (b, Some(m.span()))),
        None => match e.resource.syntax {
            Syntax::Azurerm => Some((true, None)),
            Syntax::Arm | Syntax::Azapi => e
                .resource
                .api_version
                .as_deref()
                .and_then(parse_api_version)
                .map(|a| (a < PRIVATE_SUBNET_API, None)),
        },
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    // Per subnet: the workloads in it (their subnet reference and a description).
    let mut subnets: Vec<(usize, Vec<(Span, String)>)> = Vec::new();
    let mut add = |subnet: usize, at: Span, what: String| match subnets
        .iter_mut()
        .find(|(s, _)| *s == subnet)
    {
        Some((_, w)) => w.push((at, what)),
        None => subnets.push((subnet, vec![(at, what)])),
    };
    for (c, kind) in ml_computes(ctx) {
        if compute_public_ip(c) != Some(false) || workspace_unmanaged(ctx, c) == Some(false) {
            continue;
        }
        if let Link::Entity(s) = ctx.graph.subnet_of(c, &COMPUTE_SUBNET) {
            add(
                s,
                reference_span(c, &COMPUTE_SUBNET),
                format!("the {} {}", kind.noun(), c.display()),
            );
        }
    }
    for pool in ctx.of_type(types::BATCH_POOL) {
        if pool_is_public(pool) != Some(false)
            || account_has_node_management_pe(ctx, pool) != Some(false)
        {
            continue;
        }
        if let Link::Entity(s) = ctx.graph.subnet_of(pool, &POOL_SUBNET) {
            add(
                s,
                reference_span(pool, &POOL_SUBNET),
                format!("the Batch pool {}", pool.display()),
            );
        }
    }
    for (s, workloads) in subnets {
        if explicit_egress(ctx, s) != Some(false) {
            continue;
        }
        let Some((access, written)) = default_outbound(ctx, s) else {
            continue;
        };
        let e = ctx.graph.index.get(s);
        let at = written.unwrap_or(if e.inline {
            e.node.member("name").map_or(e.anchor, Member::span)
        } else {
            e.resource.header
        });
        let who = workloads
            .iter()
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let subnet = subnet_name(ctx, s);
        let message = if access {
            let how = if written.is_some() {
                "enables default outbound access"
            } else if e.resource.syntax == Syntax::Azurerm {
                "leaves default_outbound_access_enabled at its default, true,"
            } else {
                "leaves defaultOutboundAccess at its default for this API version, true,"
            };
            format!(
                "{}: {who} has no public IPs, and {subnet} {how} with no NAT gateway and no 0.0.0.0/0 route to a firewall or gateway, so its outbound traffic takes the implicit default outbound access, which is not meant for production. Attach a NAT gateway or route 0.0.0.0/0 to a firewall, then set defaultOutboundAccess to false (azurerm: default_outbound_access_enabled = false).",
                meta.title
            )
        } else {
            format!(
                "{}: {who} has no public IPs, and {subnet} has default outbound access off but no NAT gateway and no 0.0.0.0/0 route to a firewall or gateway, so the nodes may have no outbound path at all. Attach a NAT gateway or route 0.0.0.0/0 to a firewall.",
                meta.title
            )
        };
        let mut f = finding(meta, at, message);
        if !access {
            f.level = Level::Note;
        }
        for (span, _) in &workloads {
            f.related
                .push(related(*span, "the workload's subnet reference"));
        }
        out.push(f);
    }
}
