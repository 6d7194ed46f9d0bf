//! ML014: in the NSG of a subnet that hosts Azure ML compute, one of your outbound Allow rules
//! admits TCP 443 to all of Storage or to the whole internet.

use crate::findings::Level;
use crate::graph::links::Link;
use crate::graph::NsgLink;
use crate::ir::Span;
use crate::net::address::{Prefix, Probe};
use crate::net::nsg::{Access, Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::checker::{At, Checker};
use crate::rules::query::nsg::rule_label;
use crate::rules::query::traffic::rule_holder;
use crate::rules::query::workloads::{ml_computes, reference_span, COMPUTE_SUBNET};
use crate::rules::query::URI_NT;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML014",
        name: "OutboundAllowToUnscopedStorageInternet",
        title: "Outbound allow to unscoped Storage/Internet",
        level: Level::Note,
        security_severity: "3.0",
        tags: &["security", "network", "ml"],
        precision: "high",
        help_uri: URI_NT,
        peers: &["Trivy AVD-AZU-0051"],
        needs: &[],
        doc: include_str!("../../../rules/ML014.md"),
    },
    check,
};

/// The probe for a destination entry this rule cares about: global `Storage`, or the internet
/// for `Internet` and internet-equivalent prefixes. `None` for any other destination.
fn unscoped(prefix: &Prefix, broad: Option<u8>) -> Option<(Probe, &'static str)> {
    match prefix {
        Prefix::Tag { name, region: None } if name == "storage" => {
            Some((Probe::service("Storage"), "all of Storage (the global tag)"))
        }
        p if p.is_internet_equivalent(broad) => Some((Probe::Internet, "the whole internet")),
        _ => None,
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let broad = ctx.options.broad_prefix_max;
    // Per NSG: the subnets hosting ML compute, with the compute references.
    let mut hosts: Vec<(usize, usize, Vec<Span>)> = Vec::new();
    for (c, _) in ml_computes(ctx) {
        let Link::Entity(subnet) = ctx.graph.subnet_of(c, &COMPUTE_SUBNET) else {
            continue;
        };
        let NsgLink::Nsg(g) = ctx.graph.subnet_nsg(subnet) else {
            continue;
        };
        let at = reference_span(c, &COMPUTE_SUBNET);
        match hosts.iter_mut().find(|(n, s, _)| *n == g && *s == subnet) {
            Some((_, _, refs)) => refs.push(at),
            None => hosts.push((g, subnet, vec![at])),
        }
    }
    let mut reported: Vec<Span> = Vec::new();
    for (g, subnet, refs) in &hosts {
        let group = &ctx.graph.nsgs[*g];
        let list = &group.rules;
        for (i, rule) in list.user_rules().iter().enumerate() {
            if rule.direction != Some(Direction::Outbound) || rule.access != Some(Access::Allow) {
                continue;
            }
            for e in &rule.dests {
                let Some((probe, what)) = unscoped(&e.prefix, broad) else {
                    continue;
                };
                let flow = Flow {
                    direction: Direction::Outbound,
                    protocol: Protocol::Tcp,
                    src: ctx.graph.subnet_probe(Some(*subnet)),
                    src_ports: EPHEMERAL,
                    dst: probe,
                    dst_port: 443,
                };
                let d = list.evaluate(&flow, broad);
                if d.outcome != Outcome::Allow || !d.deciding.iter().any(|(j, _)| *j == i) {
                    continue;
                }
                let span = e.span.unwrap_or(rule.anchor);
                if reported.contains(&span) {
                    continue;
                }
                reported.push(span);
                let Some(holder) = rule_holder(group, i) else {
                    continue;
                };
                let says = rule_label(group, i)
                    .text(format!(" in {} allows outbound TCP port 443 to `", group.label))
                    .value(e.text.clone(), e.span)
                    .text(format!("`, {what}, from a subnet that hosts Azure ML compute; data can leave to any storage account or host."))
                    .help("Scope the destination to the regional tag (Storage.<region>) or to the addresses the workload needs.");
                let mut f = cx.report(At::span(holder, span), says);
                for r in refs {
                    f = f.related(*r, "ML compute in the subnet this NSG filters");
                }
            }
        }
    }
}
