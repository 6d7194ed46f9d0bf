//! NET008: compute without public IPs (ML compute with `enableNodePublicIp = false`, a
//! `NoPublicIPAddresses` Batch pool without a `nodeManagement` private endpoint) in a subnet
//! that has no explicit egress and relies on default outbound access (D10).

use crate::findings::{Level, Message};
use crate::graph::links::Link;
use crate::graph::refs::Entity;
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Member, Span};
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::pool::{date, parse_api_version};
use crate::rules::query::workloads::{
    account_has_node_management_pe, compute_public_ip, ml_computes, pool_is_public, reference_span,
    subnet_name, subnet_routes, workspace_unmanaged, RoutePrefix, COMPUTE_SUBNET, POOL_SUBNET,
};
use crate::rules::query::{lookup, Prop, URI_NT};
use crate::rules::{Ctx, Rule, RuleMeta};
use serde_json::{json, Value as Json};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET008",
        name: "NoPublicIpComputeReliesOnDefaultOutboundAccess",
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

/// The ARM path of a subnet's default outbound access below the resource that holds it: the
/// subnet resource, or (for a subnet written inline in a virtual network) the network, at the
/// subnet's position in its `subnets`.
fn access_keys(e: &Entity) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    if e.inline {
        let position = e
            .resource
            .body
            .path(&["properties", "subnets"])
            .and_then(|l| l.items().iter().position(|n| std::ptr::eq(n, e.node)))
            .unwrap_or(0);
        keys.extend(["properties".into(), "subnets".into(), position.to_string()]);
    }
    keys.extend(["properties".into(), "defaultOutboundAccess".into()]);
    keys
}

/// How the subnet's default outbound access is decided (D10).
enum Access<'a> {
    /// Written in the subnet.
    Written(bool, &'a Member),
    /// Left out: the default the resource's syntax gives it.
    SyntaxDefault(bool),
    /// Left out: the default of the API version the subnet is created with.
    ApiDefault(bool),
}

impl Access<'_> {
    fn enabled(&self) -> bool {
        match self {
            Access::Written(b, _) | Access::SyntaxDefault(b) | Access::ApiDefault(b) => *b,
        }
    }
}

/// The subnet's effective `defaultOutboundAccess` (D10); `None` when unknown.
fn default_outbound<'a>(e: &Entity<'a>, keys: &[&str]) -> Option<Access<'a>> {
    if e.node.is_unknown() {
        return None;
    }
    match lookup(e.node, &["properties", "defaultOutboundAccess"]) {
        Prop::Known(m) => m.value.as_bool().map(|b| Access::Written(b, m)),
        Prop::Unknown => None,
        Prop::Absent => match e.resource.spelling().default_value(keys) {
            Some(Json::Bool(b)) => Some(Access::SyntaxDefault(b)),
            Some(_) => None,
            None => e
                .resource
                .api()
                .and_then(|a| parse_api_version(a.version))
                .map(|a| Access::ApiDefault(a < PRIVATE_SUBNET_API)),
        },
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
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
                format!("the {} {}", kind.noun(), who(c)),
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
                format!("the Batch pool {}", who(pool)),
            );
        }
    }
    for (s, workloads) in subnets {
        if explicit_egress(ctx, s) != Some(false) {
            continue;
        }
        let e = ctx.graph.index.get(s);
        let keys = access_keys(e);
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        // In prose, the property's own name: the keys before it are context.
        let path = PropPath::new(&keys, keys.len() - 1);
        let Some(access) = default_outbound(e, &keys) else {
            continue;
        };
        let r = e.resource;
        let at = match &access {
            Access::Written(_, m) => At::member(r, m),
            _ if e.inline => At::span(r, e.node.member("name").map_or(e.anchor, Member::span)),
            _ => At::resource(r),
        };
        let who = workloads
            .iter()
            .map(|(_, w)| w.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let says = Message::new()
            .text(format!("{who} has no public IPs, and "))
            .append(subnet_name(ctx, s));
        let says = if access.enabled() {
            let how = match access {
                Access::Written(..) => "enables default outbound access".to_string(),
                Access::SyntaxDefault(_) => format!(
                    "leaves {} at its default, {},",
                    name(r, path),
                    r.spelling().value(path, &json!(true))
                ),
                Access::ApiDefault(_) => format!(
                    "leaves {} at its default for this API version, {},",
                    name(r, path),
                    r.spelling().value(path, &json!(true))
                ),
            };
            says.text(format!(" {how} with no NAT gateway and no 0.0.0.0/0 route to a firewall or gateway, so its outbound traffic takes the implicit default outbound access, which is not meant for production.")).help(format!("Attach a NAT gateway or route 0.0.0.0/0 to a firewall, then set {}.", assignment(r, path, &json!(false))))
        } else {
            says.text(" has default outbound access off but no NAT gateway and no 0.0.0.0/0 route to a firewall or gateway, so the nodes may have no outbound path at all.")
                .help("Attach a NAT gateway or route 0.0.0.0/0 to a firewall.")
        };
        let mut f = cx.report(at, says);
        if !access.enabled() {
            f = f.level(Level::Note);
        }
        for (span, _) in &workloads {
            f = f.related(*span, "the workload's subnet reference");
        }
    }
}
