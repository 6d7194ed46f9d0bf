//! NET004: a load-balancer NAT pool or NAT rule exposes a management port of its backends.

use crate::findings::{Level, Message};
use crate::graph::links::Link;
use crate::graph::nat::NatBackend;
use crate::graph::refs::{Entity, Resolved};
use crate::graph::{Graph, NsgLink};
use crate::ir::types;
use crate::ir::{Resource, Span};
use crate::net::address::Probe;
use crate::net::nsg::{Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::ipv6::{cover, Cover, Reach};
use crate::rules::query::nsg::rule_label;
use crate::rules::query::{lookup, service_name, Prop, URI_NSG};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::tri::Tri;
use std::collections::HashMap;

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

/// The load balancers of a scope, read once: resource → entity.
type LoadBalancers = HashMap<*const Resource, usize>;

/// Where the load balancer entity of a NAT pool or rule is.
fn load_balancer(g: &Graph, lbs: &LoadBalancers, nat: usize) -> Option<usize> {
    let e = g.index.get(nat);
    if e.inline {
        return lbs.get(&(e.resource as *const Resource)).copied();
    }
    // A child resource: its parent reference (azurerm, azapi), or the load balancer its name
    // and nesting place it under (ARM, Bicep).
    match g.parent_of(e.resource) {
        Link::Entity(lb) if g.index.get(lb).is_type(types::LOAD_BALANCER) => Some(lb),
        _ => None,
    }
}

/// The frontend configurations of each load balancer, read once: (name, entity).
type Frontends<'a> = HashMap<*const Resource, Vec<(Option<&'a str>, usize)>>;

fn frontends<'g>(g: &'g Graph) -> Frontends<'g> {
    let mut out: Frontends<'g> = HashMap::new();
    for (i, f) in g.index.of_type(types::LB_FRONTEND) {
        out.entry(f.resource as *const Resource)
            .or_default()
            .push((f.name(), i));
    }
    out
}

/// Is the NAT's frontend public? Yes when its frontend configuration has a public IP or prefix;
/// with whether that public IP is known to be IPv6 (D34).
fn frontend_public(g: &Graph, fronts: &Frontends, nat: usize, lb: usize) -> (Tri, bool) {
    let e = g.index.get(nat);
    let Some(fe_ref) = e.node.path(&["properties", "frontendIPConfiguration"]) else {
        return (Tri::Unknown, false);
    };
    let of_lb = fronts
        .get(&(g.index.get(lb).resource as *const Resource))
        .map_or(&[][..], Vec::as_slice);
    let frontend = match fe_ref.get("id").map(|id| g.index.resolve(id)) {
        Some(Resolved::Entity(f)) => Some(f),
        // A frontend named by name (azurerm NAT pools and rules).
        Some(Resolved::Unresolved) | None => match fe_ref.get("name").and_then(|n| n.as_str()) {
            Some(name) => of_lb
                .iter()
                .find(|(n, _)| n.is_some_and(|n| n.eq_ignore_ascii_case(name)))
                .map(|(_, f)| *f),
            None => None,
        },
    };
    // A load balancer with a single frontend: every NAT pool and rule must use that one.
    let frontend = frontend.or(match of_lb {
        [(_, only)] => Some(*only),
        _ => None,
    });
    let Some(f) = frontend else {
        return (Tri::Unknown, false);
    };
    let props = g.index.get(f).properties();
    let has = |k: &str| props.and_then(|p| p.get(k)).is_some();
    let ipv6 = g.public_ip_ipv6(props.and_then(|p| p.get("publicIPAddress")));
    if has("publicIPAddress") || has("publicIPPrefix") {
        (Tri::Yes, ipv6)
    } else if has("subnet") || has("privateIPAddress") {
        (Tri::No, false)
    } else {
        (Tri::Unknown, false)
    }
}

/// Is the load balancer open when no NSG filters its backends? Only a Basic one is, and Basic
/// exists only on Azure Stack Hub (D33), where it is also what an absent SKU means; everywhere
/// else every load balancer is Standard, closed unless an NSG allows the traffic. `None` when
/// the SKU is not known.
fn open_without_nsg(lb: &Entity) -> Option<bool> {
    if !lb.resource.targets_azure_stack_hub() {
        return Some(false);
    }
    match lookup(lb.node, &["sku", "name"]) {
        Prop::Known(m) => m.value.as_str().map(|s| s.eq_ignore_ascii_case("Basic")),
        Prop::Unknown => None,
        Prop::Absent => Some(true),
    }
}

/// What the NSG layers decide for one Internet probe.
struct Layered {
    /// Yes (allowed), No or Unknown.
    tri: Tri,
    /// The allowing rules, as related locations.
    allowing: Vec<(Span, Message)>,
    /// For a per-family probe that a layer denies: the Deny of yours that covers only that
    /// family (D34).
    cover: Option<Cover>,
}

/// The layered decision (subnet NSG, then NIC NSG) for the internet probe `src` on `port`.
/// `None` when no layer has an NSG.
fn layered(
    ctx: &Ctx,
    b: &NatBackend,
    protocol: Protocol,
    port: u32,
    src: &Probe,
) -> Option<Layered> {
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
    // The destination is existential (§1.5 item 6): the subnet's prefix, `VirtualNetwork`, and
    // each address the layers' rules name that may be in the subnet (the backend's address is
    // one of the subnet's); the backend is exposed when some candidate passes every layer.
    let subnet_probe = g.subnet_probe(subnet);
    let mut candidates = vec![subnet_probe.clone(), Probe::VirtualNetwork];
    for link in [subnet_link, nic_link] {
        let NsgLink::Nsg(n) = link else {
            continue;
        };
        for c in g.nsgs[n].rules.destination_candidates(Direction::Inbound) {
            let in_subnet = match (&c, &subnet_probe) {
                (Probe::Address { net, .. }, Probe::Address { net: s, .. }) => {
                    s.contains(&net.network()) || net.contains(&s.network())
                }
                (Probe::Address { .. }, _) => true,
                _ => false,
            };
            if in_subnet && !candidates.contains(&c) {
                candidates.push(c);
            }
        }
    }
    let mut first: Option<Layered> = None;
    let mut unknown = false;
    for dst in candidates {
        let l = layers(
            ctx,
            [("subnet", subnet_link), ("NIC", nic_link)],
            protocol,
            port,
            src,
            dst,
        );
        match l.tri {
            Tri::Yes => return Some(l),
            Tri::Unknown => unknown = true,
            Tri::No => {}
        }
        first.get_or_insert(l);
    }
    let mut l = first?;
    if unknown {
        l.tri = Tri::Unknown;
    }
    Some(l)
}

/// What the layers decide for the internet probe `src` to `dst` on `port`.
fn layers(
    ctx: &Ctx,
    links: [(&str, NsgLink); 2],
    protocol: Protocol,
    port: u32,
    src: &Probe,
    dst: Probe,
) -> Layered {
    let g = ctx.graph;
    let mut result = Tri::Yes;
    let mut allowing = Vec::new();
    let mut covered = None;
    for (layer, link) in links {
        match link {
            NsgLink::NoNsg => {}
            NsgLink::Unknown => result = result.and(Tri::Unknown),
            NsgLink::Nsg(n) => {
                let flow = Flow {
                    direction: Direction::Inbound,
                    protocol,
                    src: src.clone(),
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
                            allowing.push((
                                at,
                                Message::new()
                                    .text(format!("{layer} NSG {} allows it: ", group.label))
                                    .append(rule_label(group, i)),
                            ));
                        }
                    }
                    Outcome::Deny => {
                        result = Tri::No;
                        if let Some(f) = src.family() {
                            covered = covered.or_else(|| cover(&group.rules, &d, f));
                        }
                    }
                    Outcome::Unknown => result = result.and(Tri::Unknown),
                }
            }
        }
    }
    Layered {
        tri: result,
        allowing,
        cover: covered,
    }
}

/// The NAT pool's or rule's name, quoted from where it is written.
fn nat_name(e: &Entity) -> Message {
    let Some(name) = e.name() else {
        return Message::new().text("?");
    };
    let at = if e.inline {
        e.node.member("name").map(|m| m.value.span)
    } else {
        Some(e.resource.name_span)
    };
    Message::new().value(name, at)
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let g = ctx.graph;
    let fronts = frontends(g);
    let lbs: LoadBalancers = g
        .index
        .of_type(types::LOAD_BALANCER)
        .filter(|(_, e)| !e.inline)
        .map(|(i, e)| (e.resource as *const Resource, i))
        .collect();
    let nats: Vec<usize> = g
        .index
        .of_type(types::LB_NAT_POOL)
        .chain(g.index.of_type(types::LB_NAT_RULE))
        .map(|(i, _)| i)
        .collect();
    for nat in nats {
        let e = g.index.get(nat);
        let Prop::Known(backend_port) = lookup(e.node, &["properties", "backendPort"]) else {
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
        let protocol = match lookup(e.node, &["properties", "protocol"]) {
            Prop::Known(m) => m.value.as_str().map(str::to_ascii_lowercase),
            _ => None,
        };
        // Probes use TCP (§1.4): a NAT of `Udp` or `Quic` does not forward SSH or RDP.
        let protocol = match protocol.as_deref() {
            Some("tcp") | Some("all") => Protocol::Tcp,
            _ => continue,
        };
        let Some(lb) = load_balancer(g, &lbs, nat) else {
            continue;
        };
        let (public, public_ipv6) = frontend_public(g, &fronts, nat, lb);
        if public != Tri::Yes {
            continue;
        }
        let open = open_without_nsg(g.index.get(lb));
        let kind = if e.is_type(types::LB_NAT_POOL) {
            "NAT pool"
        } else {
            "NAT rule"
        };
        for b in g.nat_backends(nat) {
            // The internet is probed per address family when the frontend or the backend is
            // known to be reachable over IPv6 (D34).
            let ipv6 = public_ipv6 || g.ip_configurations_ipv6(b.config);
            let decided: Vec<(Probe, Option<Layered>)> = Probe::internet(ipv6)
                .into_iter()
                .map(|src| {
                    let l = layered(ctx, b, protocol, port, &src);
                    (src, l)
                })
                .collect();
            let (why, mut rel) = if decided.iter().all(|(_, l)| l.is_none()) {
                if open != Some(true) {
                    continue;
                }
                (
                    Message::from("the load balancer is Basic SKU, which is open by default, and no NSG filters the backend"),
                    vec![(
                        b.config.member("name").map_or(b.config.span, |m| m.span()),
                        Message::from("backend NIC configuration without an NSG"),
                    )],
                )
            } else {
                let mut open_families = Vec::new();
                let mut allowing: Vec<(Span, Message)> = Vec::new();
                for (src, l) in &decided {
                    let Some(l) = l.as_ref().filter(|l| l.tri == Tri::Yes) else {
                        continue;
                    };
                    if l.allowing.is_empty() {
                        continue;
                    }
                    open_families.extend(src.family());
                    for a in &l.allowing {
                        if !allowing.iter().any(|(at, _)| *at == a.0) {
                            allowing.push(a.clone());
                        }
                    }
                }
                if allowing.is_empty() {
                    continue;
                }
                let reach = Reach::of(ipv6, &open_families, |other| {
                    decided
                        .iter()
                        .find(|(src, _)| src.family() == Some(other))
                        .and_then(|(_, l)| l.as_ref()?.cover.clone())
                });
                if let Some((at, says)) = reach.related() {
                    allowing.push((at, says.into()));
                }
                (
                    Message::new()
                        .text(format!("an NSG rule lets {} in", reach.internet()))
                        .append(reach.note()),
                    allowing,
                )
            };
            let what = who(b.resource);
            rel.push((b.reference, format!("{what} uses this {kind}").into()));
            let says = Message::new()
                .text(format!("{kind} '"))
                .append(nat_name(e))
                .text(format!(
                    "' forwards port {port} ({}) from a public frontend to {what}, and ",
                    service_name(port),
                ))
                .append(why)
                .text(".").help(format!("Allow port {port} only from known source ranges in the backend's NSG, or remove the {kind} and use Azure Bastion."));
            let mut f = cx
                .report(At::whole(e.resource, backend_port), says)
                .discriminator(what.clone());
            for (at, message) in rel {
                f = f.related(at, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::frontend::arm;
    use crate::graph::build;
    use crate::rules::checker::Checker;
    use crate::rules::{find, Ctx, Options};
    use crate::source::SourceFile;

    /// NET004's findings on a template of `resources`, with the NAT pool's protocol and the
    /// NIC NSG rule's protocol replaced.
    fn net004(nat: &str, nsg: &str) -> usize {
        let resources = r#"[{"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "pip1", "location": "westeurope", "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}}, {"type": "Microsoft.Network/loadBalancers", "apiVersion": "2023-04-01", "name": "lb1", "location": "westeurope", "properties": {"frontendIPConfigurations": [{"name": "fe", "properties": {"publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses','pip1')]"}}}], "backendAddressPools": [{"name": "bep"}], "inboundNatPools": [{"name": "np", "properties": {"frontendIPConfiguration": {"id": "[resourceId('Microsoft.Network/loadBalancers/frontendIPConfigurations','lb1','fe')]"}, "protocol": "Udp", "frontendPortRangeStart": 50000, "frontendPortRangeEnd": 50119, "backendPort": 22}}]}, "sku": {"name": "Standard"}}, {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet", "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"name": "s1", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}, {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsgnic", "location": "westeurope", "properties": {"securityRules": [{"name": "r100", "properties": {"direction": "Inbound", "access": "Allow", "priority": 100, "protocol": "Udp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}, {"type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2023-09-01", "name": "vmss1", "location": "westeurope", "sku": {"name": "Standard_D2s_v3", "capacity": 2}, "properties": {"virtualMachineProfile": {"networkProfile": {"networkInterfaceConfigurations": [{"name": "nicc", "properties": {"primary": true, "ipConfigurations": [{"name": "ipc", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets','vnet','s1')]"}, "loadBalancerInboundNatPools": [{"id": "[resourceId('Microsoft.Network/loadBalancers/inboundNatPools','lb1','np')]"}]}}], "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups','nsgnic')]"}}}]}}}}]"#
            .replace(r#""protocol": "Udp", "frontendPortRangeStart""#, &format!(r#""protocol": "{nat}", "frontendPortRangeStart""#))
            .replace(r#""priority": 100, "protocol": "Udp""#, &format!(r#""priority": 100, "protocol": "{nsg}""#));
        let text = format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": {resources}}}"#
        );
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), &text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = build(&rs);
        let options = Options::default();
        let ctx = Ctx::new(&rs, &g, &options);
        let mut out = Vec::new();
        let r = find("NET004").unwrap();
        (r.check)(&mut Checker::new(&ctx, &r.meta, &mut out));
        out.len()
    }

    /// Probes use TCP (§1.4): NAT of `Udp` or `Quic` on port 22 forwards no SSH, whatever the
    /// NSG allows; `Tcp` and `All` do.
    #[test]
    fn only_nat_that_forwards_tcp_exposes_remote_access() {
        assert_eq!(net004("Udp", "*"), 0);
        assert_eq!(net004("Quic", "*"), 0);
        assert_eq!(net004("Tcp", "*"), 1);
        assert_eq!(net004("All", "Tcp"), 1);
        assert_eq!(net004("Tcp", "Udp"), 0);
    }
}
