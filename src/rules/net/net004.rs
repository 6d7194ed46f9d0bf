//! NET004: a load-balancer NAT pool or NAT rule exposes a management port of its backends.

use crate::findings::{Level, Related};
use crate::graph::refs::{Entity, Resolved};
use crate::graph::{Graph, NsgLink};
use crate::ir::types;
use crate::ir::{Node, Span, Syntax};
use crate::net::address::Probe;
use crate::net::nsg::{Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::checker::Checker;
use crate::rules::query::NIC_CONFIGS;
use crate::rules::query::{finding, related, service_name, URI_NSG};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::tri::Tri;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET004",
        name: "LoadBalancerNatExposesManagementPorts",
        title: "Load-balancer NAT exposes management ports",
        level: Level::Warning,
        security_severity: "6.5",
        tags: &["security", "network"],
        precision: "high",
        help_uri: URI_NSG,
        peers: &[
            "Checkov CKV2_AZURE_31",
            "Azure Policy e71308d3-144b-4262-b144-efdc3cc90517",
            "PSRule Azure.VNET.UseNSGs (AZR-000263)",
        ],
        needs: &[],
        doc: include_str!("../../../rules/NET004.md"),
    },
    check,
};

/// One backend of a NAT pool or rule: the NIC (configuration) that uses it, with its layers.
struct Backend<'n> {
    /// The VMSS NIC configuration or NIC resource body.
    config: &'n Node,
    /// The scale set or NIC resource entity, for the NIC NSG association lookup.
    nic_entity: Option<usize>,
    /// The IP configuration's subnet reference.
    subnet: Option<&'n Node>,
    /// The reference to the NAT pool or rule, for the related location.
    reference: Span,
    what: String,
}

/// Where the load balancer entity of a NAT pool or rule is.
fn load_balancer(g: &Graph, nat: usize) -> Option<usize> {
    let e = g.index.get(nat);
    if e.inline {
        return g.index.of_resource(e.resource);
    }
    match g.index.resolve(e.resource.parent_ref.as_ref()?) {
        Resolved::Entity(lb) if g.index.get(lb).is_type(types::LOAD_BALANCER) => Some(lb),
        _ => None,
    }
}

/// Is the NAT's frontend public? Yes when its frontend configuration has a public IP or prefix.
fn frontend_public(g: &Graph, nat: usize, lb: usize) -> Tri {
    let e = g.index.get(nat);
    let Some(fe_ref) = e.node.path(&["properties", "frontendIPConfiguration"]) else {
        return Tri::Unknown;
    };
    let frontend = match fe_ref.get("id").map(|id| g.index.resolve(id)) {
        Some(Resolved::Entity(f)) => Some(f),
        Some(Resolved::Unresolved) | None => match fe_ref.get("name").and_then(|n| n.as_str()) {
            Some(name) => g.index.child_named(lb, "frontendIPConfigurations", name),
            None => None,
        },
    };
    // A load balancer with a single frontend: every NAT pool and rule must use that one.
    let frontend = frontend.or_else(|| {
        let lb_entity = g.index.get(lb);
        let fronts: Vec<usize> = g
            .index
            .of_type(types::LB_FRONTEND)
            .filter(|(_, f)| std::ptr::eq(f.resource, lb_entity.resource))
            .map(|(i, _)| i)
            .collect();
        (fronts.len() == 1).then(|| fronts[0])
    });
    let Some(f) = frontend else {
        return Tri::Unknown;
    };
    let props = g.index.get(f).properties();
    let has = |k: &str| props.and_then(|p| p.get(k)).is_some();
    if has("publicIPAddress") || has("publicIPPrefix") {
        Tri::Yes
    } else if has("subnet") || has("privateIPAddress") {
        Tri::No
    } else {
        Tri::Unknown
    }
}

/// The load balancer's SKU: `Some(true)` for Basic. An absent SKU is Basic in ARM and Standard in
/// azurerm 4.0+ (D15).
fn is_basic(lb: &Entity) -> Option<bool> {
    match lb.node.path(&["sku", "name"]) {
        Some(n) => n.as_str().map(|s| s.eq_ignore_ascii_case("Basic")),
        None if lb.node.get("sku").is_some_and(|s| s.is_unknown()) => None,
        None => Some(lb.resource.syntax != Syntax::Azurerm),
    }
}

/// The scale-set NIC configurations and NICs whose IP configurations reference `nat`.
fn backends<'n>(ctx: &'n Ctx, nat: usize) -> Vec<Backend<'n>> {
    let g = ctx.graph;
    let mut out = Vec::new();
    let refers = |n: &Node| g.index.resolve(n) == Resolved::Entity(nat);
    for r in ctx.resources.iter().copied() {
        if r.is_type(types::VMSS) {
            for config in r
                .body
                .path(&NIC_CONFIGS)
                .map(|c| c.items())
                .unwrap_or_default()
            {
                for ip in config
                    .path(&["properties", "ipConfigurations"])
                    .map(|l| l.items())
                    .unwrap_or_default()
                {
                    let pools = ip.path(&["properties", "loadBalancerInboundNatPools"]);
                    if let Some(hit) = pools
                        .map(|l| l.items())
                        .unwrap_or_default()
                        .iter()
                        .find(|p| refers(p))
                    {
                        out.push(Backend {
                            config,
                            nic_entity: g.index.of_resource(r),
                            subnet: ip.path(&["properties", "subnet"]),
                            reference: hit.span,
                            what: r.display(),
                        });
                    }
                }
            }
        }
        if r.is_type(types::NIC) {
            for ip in r
                .body
                .path(&["properties", "ipConfigurations"])
                .map(|l| l.items())
                .unwrap_or_default()
            {
                let rules = ip.path(&["properties", "loadBalancerInboundNatRules"]);
                if let Some(hit) = rules
                    .map(|l| l.items())
                    .unwrap_or_default()
                    .iter()
                    .find(|p| refers(p))
                {
                    out.push(Backend {
                        config: &r.body,
                        nic_entity: g.index.of_resource(r),
                        subnet: ip.path(&["properties", "subnet"]),
                        reference: hit.span,
                        what: r.display(),
                    });
                }
            }
        }
    }
    // azurerm: azurerm_network_interface_nat_rule_association.
    for r in ctx
        .resources
        .iter()
        .copied()
        .filter(|r| r.is_type(types::link::NIC_NAT_RULE))
    {
        let props = r.properties();
        let (Some(rule_ref), Some(nic_ref)) = (
            props.and_then(|p| p.get("natRuleId")),
            props.and_then(|p| p.get("networkInterfaceId")),
        ) else {
            continue;
        };
        if !refers(rule_ref) {
            continue;
        }
        let Resolved::Entity(nic) = g.index.resolve(nic_ref) else {
            continue;
        };
        let nic_res = g.index.get(nic).resource;
        let ip_name = props
            .and_then(|p| p.get("ipConfigurationName"))
            .and_then(|n| n.as_str());
        let ip = nic_res
            .body
            .path(&["properties", "ipConfigurations"])
            .map(|l| l.items())
            .unwrap_or_default()
            .iter()
            .find(|ip| ip_name.is_some() && ip.get("name").and_then(|n| n.as_str()) == ip_name);
        out.push(Backend {
            config: &nic_res.body,
            nic_entity: Some(nic),
            subnet: ip.and_then(|ip| ip.path(&["properties", "subnet"])),
            reference: rule_ref.span,
            what: nic_res.display(),
        });
    }
    out
}

/// The layered decision (subnet NSG, then NIC NSG) for the internet on `port`: Yes (allowed, with
/// the allowing rules as related locations), No, or Unknown. `None` when no layer has an NSG.
fn layered(ctx: &Ctx, b: &Backend, protocol: Protocol, port: u32) -> Option<(Tri, Vec<Related>)> {
    let g = ctx.graph;
    let subnet = b.subnet.and_then(|s| g.subnet_ref(s));
    let subnet_link = match (b.subnet, subnet) {
        (None, _) => NsgLink::NoNsg,
        (Some(_), None) => NsgLink::Unknown,
        (Some(_), Some(s)) => g.subnet_nsg(s),
    };
    let nic_link = g.nic_nsg(b.nic_entity, b.config);
    if subnet_link == NsgLink::NoNsg && nic_link == NsgLink::NoNsg {
        return None;
    }
    let dst = g.subnet_probe(subnet);
    let mut result = Tri::Yes;
    let mut allowing = Vec::new();
    for (layer, link) in [("subnet", subnet_link), ("NIC", nic_link)] {
        match link {
            NsgLink::NoNsg => {}
            NsgLink::Unknown => result = result.and(Tri::Unknown),
            NsgLink::Nsg(n) => {
                let flow = Flow {
                    direction: Direction::Inbound,
                    protocol,
                    src: Probe::Internet,
                    src_ports: EPHEMERAL,
                    dst: dst.clone(),
                    dst_port: port,
                };
                let group = &g.nsgs[n];
                let d = group.rules.evaluate(&flow, ctx.options.broad_prefix_max);
                match d.outcome {
                    Outcome::Allow => {
                        for (i, e) in d.deciding {
                            let rule = &group.rules.rules[i];
                            let at = e.and_then(|e| rule.sources[e].span).unwrap_or(rule.anchor);
                            allowing.push(related(
                                at,
                                format!("{layer} NSG {} allows it: {}", group.label, rule.label()),
                            ));
                        }
                    }
                    Outcome::Deny => result = Tri::No,
                    Outcome::Unknown => result = result.and(Tri::Unknown),
                }
            }
        }
    }
    Some((result, allowing))
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let g = ctx.graph;
    let nats: Vec<usize> = g
        .index
        .of_type(types::LB_NAT_POOL)
        .chain(g.index.of_type(types::LB_NAT_RULE))
        .map(|(i, _)| i)
        .collect();
    for nat in nats {
        let e = g.index.get(nat);
        let Some(backend_port) = e.node.path_member(&["properties", "backendPort"]) else {
            continue;
        };
        let Some(port) = backend_port
            .value
            .as_i64()
            .and_then(|p| u32::try_from(p).ok())
        else {
            continue;
        };
        if !ctx.options.remote_access_ports.contains(&port) {
            continue;
        }
        let protocol = match e
            .node
            .path(&["properties", "protocol"])
            .and_then(|p| p.as_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("tcp") | Some("all") => Protocol::Tcp,
            Some("udp") => Protocol::Udp,
            _ => continue,
        };
        let Some(lb) = load_balancer(g, nat) else {
            continue;
        };
        if frontend_public(g, nat, lb) != Tri::Yes {
            continue;
        }
        let basic = is_basic(g.index.get(lb));
        let nat_name = e.name().unwrap_or("?").to_string();
        let kind = if e.is_type(types::LB_NAT_POOL) {
            "NAT pool"
        } else {
            "NAT rule"
        };
        for b in backends(ctx, nat) {
            let (why, mut rel) = match layered(ctx, &b, protocol, port) {
                None if basic == Some(true) => (
                    "the load balancer is Basic SKU, which is open by default, and no NSG filters the backend".to_string(),
                    vec![related(b.config.member("name").map_or(b.config.span, |m| m.span()), "backend NIC configuration without an NSG")],
                ),
                None => continue,
                Some((Tri::Yes, allowing)) if !allowing.is_empty() => ("an NSG rule lets the internet in".to_string(), allowing),
                Some(_) => continue,
            };
            rel.push(related(b.reference, format!("{} uses this {kind}", b.what)));
            let mut f = finding(
                meta,
                backend_port.span(),
                format!(
                    "{}: {kind} '{nat_name}' forwards port {port} ({}) from a public frontend to {}, and {why}. Allow port {port} only from known source ranges in the backend's NSG, or remove the {kind} and use Azure Bastion.",
                    meta.title,
                    service_name(port),
                    b.what
                ),
            );
            f.related = rel;
            f.discriminator = b.what.clone();
            out.push(f);
        }
    }
}
