//! The exposure query shared by NET001 and NET002: is TCP `port` from the internet decided Allow
//! by a user rule of an NSG, for some destination candidate (spec §1.5 item 6)?

use crate::findings::Finding;
use crate::net::address::Probe;
use crate::net::nsg::{match_rule, Access, Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::query::{finding, related};
use crate::rules::{Ctx, RuleMeta};
use crate::tri::Tri;

pub fn check(ctx: &Ctx, out: &mut Vec<Finding>, meta: &RuleMeta, port: u32, service: &str) {
    let broad = ctx.options.broad_prefix_max;
    for (gi, nsg) in ctx.graph.nsgs.iter().enumerate() {
        let list = &nsg.rules;
        // (deciding rule, matching source entry, the flow it allowed), once per rule and entry.
        let mut allowed: Vec<(usize, Option<usize>, Flow)> = Vec::new();
        for dst in list.destination_candidates(Direction::Inbound) {
            let flow = Flow {
                direction: Direction::Inbound,
                protocol: Protocol::Tcp,
                src: Probe::Internet,
                src_ports: EPHEMERAL,
                dst,
                dst_port: port,
            };
            let d = list.evaluate(&flow, broad);
            if d.outcome != Outcome::Allow {
                continue;
            }
            for (idx, entry) in d.deciding {
                // Default rules are never named as the allowing rule (D17).
                if idx >= list.user_count
                    || allowed.iter().any(|(i, e, _)| *i == idx && *e == entry)
                {
                    continue;
                }
                allowed.push((idx, entry, flow.clone()));
            }
        }
        for (idx, entry, flow) in allowed {
            let rule = &list.rules[idx];
            let src = entry.map(|e| &rule.sources[e]);
            let span = src.and_then(|s| s.span).unwrap_or(rule.anchor);
            let src_text = src.map_or("*", |s| s.text.as_str());
            let mut f = finding(
                meta,
                span,
                format!(
                    "{}: {} in {} allows TCP port {port} from `{src_text}`{}. Allow {service} only from known address ranges (a VPN or Bastion range), or deny port {port} from Internet at a lower priority number.",
                    meta.title,
                    rule.label(),
                    nsg.label,
                    if nsg.is_orphan() {
                        " (a standalone rule whose NSG is not in the scanned files; its other rules were not seen)"
                    } else if !ctx.graph.is_associated(gi) {
                        " (the NSG is not associated with a subnet or network interface in the scanned files; it is judged on its own)"
                    } else {
                        ""
                    },
                ),
            );
            if let Some(other) = other_layer_denies(ctx, gi, &flow) {
                f.message = format!("{} Note: {other} denies the same traffic.", f.message).into();
            }
            f.discriminator = port.to_string();
            if let Some(p) = rule.dst_port_span {
                f.related.push(related(
                    p,
                    format!("destination port range includes {port}"),
                ));
            }
            // Later denies of this traffic that the allow makes ineffective.
            let (order, _) = list.ordered(Direction::Inbound);
            for &j in &order {
                let later = &list.rules[j];
                if j >= list.user_count
                    || later.priority <= rule.priority
                    || later.access != Some(Access::Deny)
                {
                    continue;
                }
                if match_rule(later, &flow, broad).tri == Tri::Yes {
                    let at = later.priority_span.unwrap_or(later.anchor);
                    f.related
                        .push(related(at, format!("shadowed deny: {}", later.label())));
                }
            }
            out.push(f);
        }
    }
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
