//! The exposure query shared by NET001 and NET002: is TCP `port` from the internet decided Allow
//! by a user rule of an NSG, for some destination candidate (§1.5 item 6)? When the NSG filters a
//! workload known to be reachable over IPv6, the internet is probed once per address family
//! (D34). And how the NET rules name an NSG rule in their messages.

use crate::findings::{Fix, Message};
use crate::graph::RuleOrigin;
use crate::ir::Value;
use crate::net::address::{Family, Probe};
use crate::net::nsg::{match_rule, Access, Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::checker::{At, Checker};
use crate::rules::query::ipv6::{cover, Reach};
use crate::rules::query::nsg::rule_label;
use crate::rules::Ctx;
use crate::tri::Tri;

/// What a message adds about an NSG group that is judged without all of its context: a group of
/// standalone rules whose NSG is not in the scanned files.
pub const ORPHAN_NOTE: &str =
    " (a standalone rule whose NSG is not in the scanned files; its other rules were not seen)";

/// Why an NSG that no subnet or network interface in scope uses is judged on its own, and where
/// it may be used: a module batchguard does not read that is passed a reference to it.
fn unassociated_note(ctx: &Ctx, nsg: &crate::graph::NsgGroup) -> String {
    let passed = nsg
        .resource
        .and_then(|r| ctx.graph.passed_to_unread(ctx.resources, r));
    match passed {
        Some(d) => format!(
            " (the NSG is not associated with a subnet or network interface in the scanned \
             files; a reference to it is passed to {}, which batchguard does not read; it is \
             judged on its own)",
            d.deployment_display()
        ),
        None => " (the NSG is not associated with a subnet or network interface in the scanned \
                 files; it is judged on its own)"
            .to_string(),
    }
}

pub fn check(cx: &mut Checker, port: u32, service: &str) {
    let ctx = cx.ctx;
    let broad = ctx.options.broad_prefix_max;
    cx.each(&ctx.graph.nsgs, |cx, gi, nsg| {
        let list = &nsg.rules;
        let ipv6 = ctx.graph.nsg_ipv6(gi);
        // (deciding rule, matching source entry, the first flow it allowed, the families it
        // allowed), once per rule and entry.
        let mut allowed: Vec<(usize, Option<usize>, Flow, Vec<Family>)> = Vec::new();
        for dst in list.destination_candidates(Direction::Inbound) {
            for src in Probe::internet(ipv6) {
                let flow = Flow {
                    direction: Direction::Inbound,
                    protocol: Protocol::Tcp,
                    src,
                    src_ports: EPHEMERAL,
                    dst: dst.clone(),
                    dst_port: port,
                };
                let d = list.evaluate(&flow, broad);
                if d.outcome != Outcome::Allow {
                    continue;
                }
                for (idx, entry) in d.deciding {
                    // Default rules are never named as the allowing rule (D17).
                    if idx >= list.user_count {
                        continue;
                    }
                    let family = flow.src.family();
                    match allowed
                        .iter_mut()
                        .find(|(i, e, ..)| *i == idx && *e == entry)
                    {
                        Some((.., families)) => families.extend(family),
                        None => {
                            allowed.push((idx, entry, flow.clone(), family.into_iter().collect()))
                        }
                    }
                }
            }
        }
        for (idx, entry, flow, mut families) in allowed {
            families.sort();
            families.dedup();
            // The family that is not open: what denies it, when a Deny of yours covers only it.
            let reach = Reach::of(ipv6, &families, |other| {
                let mut closed = flow.clone();
                closed.src = Probe::InternetOver(other);
                cover(list, &list.evaluate(&closed, broad), other)
            });
            let rule = &list.rules[idx];
            let src = entry.map(|e| &rule.sources[e]);
            let span = src.and_then(|s| s.span).unwrap_or(rule.anchor);
            let source = match src {
                Some(s) => Message::new().value(&s.text, s.span),
                None => Message::new().text("*"),
            };
            let context = if nsg.is_orphan() {
                ORPHAN_NOTE.to_string()
            } else if !ctx.graph.is_associated(gi) {
                unassociated_note(ctx, nsg)
            } else {
                String::new()
            };
            let mut says = rule_label(nsg, idx)
                .text(format!(" in {} allows TCP port {port} ", nsg.label))
                .append(reach.source_clause(source))
                .text(format!("{context}."))
                .help(format!("Allow {service} only from known address ranges (a VPN or Bastion range), or deny port {port} from Internet at a lower priority number."));
            // The traffic of each family the rule allows.
            let flows: Vec<Flow> = if families.is_empty() {
                vec![flow.clone()]
            } else {
                families
                    .iter()
                    .map(|f| Flow {
                        src: Probe::InternetOver(*f),
                        ..flow.clone()
                    })
                    .collect()
            };
            // The other layer is named only when it denies every family this rule lets in: an
            // IPv6 flow it lets through keeps the exposure real.
            let denials: Option<Vec<String>> = flows
                .iter()
                .map(|f| other_layer_denies(ctx, gi, f))
                .collect();
            if let Some(other) = denials.and_then(|d| d.into_iter().next()) {
                says = says.text(format!(" Note: {other} denies the same traffic."));
            }
            // Later denies of this traffic (in a family it allows) that the allow makes
            // ineffective.
            let (order, _) = list.ordered(Direction::Inbound);
            let shadowed: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&j| {
                    let later = &list.rules[j];
                    j < list.user_count
                        && later.priority > rule.priority
                        && later.access == Some(Access::Deny)
                        && flows
                            .iter()
                            .any(|f| match_rule(later, f, broad).tri == Tri::Yes)
                })
                .collect();
            let mut f = cx
                .report(At::span(nsg.origins[idx].resource, span), says)
                .discriminator(port.to_string());
            if let Some(fix) = restrict_to_vnet(&nsg.origins[idx], service) {
                f = f.fix(fix);
            }
            if let Some(p) = rule.dst_port_span {
                f = f.related(p, format!("destination port range includes {port}"));
            }
            if let Some((at, says)) = reach.related() {
                f = f.related(at, says);
            }
            for j in shadowed {
                let later = &list.rules[j];
                let at = later.priority_span.unwrap_or(later.anchor);
                f = f.related(
                    at,
                    Message::new()
                        .text("shadowed deny: ")
                        .append(rule_label(nsg, j)),
                );
            }
        }
    });
}

/// The unsafe fix of an allowing rule: its source becomes `VirtualNetwork`, so that the port is
/// reached through Bastion, a VPN or a jump box in the network. Unsafe: whoever reaches the port
/// from the internet today no longer does.
fn restrict_to_vnet(origin: &RuleOrigin, service: &str) -> Option<Fix> {
    let mut base: Vec<String> = Vec::new();
    if origin.is_inline() {
        let rules = origin
            .resource
            .body
            .get("properties")
            .and_then(|p| p.get("securityRules"))?;
        let Value::Array(items) = &rules.value else {
            return None;
        };
        let i = items.iter().position(|n| std::ptr::eq(n, origin.node))?;
        base.extend(["properties".into(), "securityRules".into(), i.to_string()]);
    }
    let path = |leaf: &str| -> Vec<String> {
        let mut p = base.clone();
        p.extend(["properties".into(), leaf.into()]);
        p
    };
    let prefix = path("sourceAddressPrefix");
    let mut fix = Fix::set(
        &prefix.iter().map(String::as_str).collect::<Vec<_>>(),
        serde_json::json!("VirtualNetwork"),
    );
    let plural = origin
        .node
        .get("properties")
        .and_then(|p| p.get("sourceAddressPrefixes"));
    if plural.is_some() {
        let prefixes = path("sourceAddressPrefixes");
        fix = fix.and_remove(&prefixes.iter().map(String::as_str).collect::<Vec<_>>());
    }
    Some(fix.changing(match service {
        "SSH" => "SSH from the internet stops; connect through Bastion, a VPN or a jump box",
        _ => "RDP from the internet stops; connect through Bastion, a VPN or a jump box",
    }))
}

/// The other layer (§1.6) of NSG `gi`, when it denies `flow`: the subnet's NSG for an NSG on
/// network interfaces, or an NSG on the network interfaces of a subnet that `gi` filters.
fn other_layer_denies(ctx: &Ctx, gi: usize, flow: &Flow) -> Option<String> {
    use crate::graph::NsgLink;
    let g = ctx.graph;
    let denies = |n: usize| {
        g.nsgs[n]
            .rules
            .evaluate(flow, ctx.options.broad_prefix_max)
            .outcome
            == Outcome::Deny
    };
    for layers in g.nic_layers() {
        let subnet_nsg = layers.subnet.map(|s| g.subnet_nsg(s));
        match (layers.nic_nsg, subnet_nsg) {
            (NsgLink::Nsg(nic), Some(NsgLink::Nsg(sub)))
                if nic == gi && sub != gi && denies(sub) =>
            {
                return Some(format!("the subnet's NSG {}", g.nsgs[sub].label));
            }
            (NsgLink::Nsg(nic), Some(NsgLink::Nsg(sub)))
                if sub == gi && nic != gi && denies(nic) =>
            {
                return Some(format!("the network interface NSG {}", g.nsgs[nic].label));
            }
            _ => {}
        }
    }
    None
}
