//! The "too closed" query shared by BATCH040, BATCH041, ML010, ML011 and ML012 (§1.6, §7,
//! §8): which of the flows a workload needs does its subnet's NSG deny, and which rule decides?
//! And its converse for NET010: which user rule of that NSG lets the internet reach a port?
//!
//! Only the subnet NSG is evaluated: the platform puts an NSG of its own on the nodes' network
//! interfaces, and that one is not in the templates. A decision by a default rule
//! (`DenyAllInBound`, `DenyAllOutBound`) counts and is located at the NSG header. Unknown
//! decisions are silent.

use crate::findings::Message;
use crate::graph::links::Link;
use crate::graph::{NsgGroup, NsgLink};
use crate::ir::types;
use crate::ir::{Member, Resource, Span};
use crate::net::address::{Family, Probe};
use crate::net::nsg::{Decision, Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::checker::{At, Checker, Reported};
use crate::rules::query::ipv6::{cover, Reach};
use crate::rules::query::nsg::rule_label;
use crate::rules::query::workloads::{association_span, regional, regional_message, Region};
use crate::rules::Ctx;

/// A workload whose subnet and subnet NSG resolve.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// The workload's subnet reference, for related locations.
    pub subnet_ref: Span,
    pub subnet: usize,
    /// Index into `graph.nsgs`.
    pub nsg: usize,
}

/// The workload's subnet (the reference at `path`) and that subnet's NSG; `None` when either
/// is absent or does not resolve.
pub fn site(ctx: &Ctx, workload: &Resource, path: &[&str]) -> Option<Site> {
    let Link::Entity(subnet) = ctx.graph.subnet_of(workload, path) else {
        return None;
    };
    let NsgLink::Nsg(nsg) = ctx.graph.subnet_nsg(subnet) else {
        return None;
    };
    let subnet_ref = workload
        .body
        .path_member(path)
        .map_or(workload.header, Member::span);
    Some(Site {
        subnet_ref,
        subnet,
        nsg,
    })
}

/// One flow a workload needs: to or from a service tag, on a port and protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub direction: Direction,
    pub protocol: Protocol,
    /// The tag without its region, e.g. `BatchNodeManagement` or `VirtualNetwork`.
    pub base: String,
    /// The region the tag is probed in; `None` for a global tag.
    pub region: Option<Region>,
    pub port: u32,
}

impl Required {
    pub fn inbound(tag: &str, port: u32) -> Required {
        Required {
            direction: Direction::Inbound,
            protocol: Protocol::Tcp,
            base: tag.to_string(),
            region: None,
            port,
        }
    }
    pub fn outbound(tag: &str, port: u32) -> Required {
        Required {
            direction: Direction::Outbound,
            protocol: Protocol::Tcp,
            base: tag.to_string(),
            region: None,
            port,
        }
    }
    pub fn udp(mut self) -> Required {
        self.protocol = Protocol::Udp;
        self
    }
    /// The regional tag of `region` when it is known; otherwise the global tag (§1.3).
    pub fn in_region(mut self, region: Option<&Region>) -> Required {
        self.region = region.cloned();
        self
    }
    /// The tag as probed, e.g. `BatchNodeManagement.westeurope`.
    pub fn tag(&self) -> String {
        regional(&self.base, self.region.as_ref())
    }
    /// The tag for messages: the region quoted from the `location` it comes from.
    pub fn tag_message(&self) -> Message {
        regional_message(&self.base, self.region.as_ref())
    }
    /// `AzureMachineLearning:443/TCP`, for discriminators.
    pub fn label(&self) -> String {
        format!("{}:{}/{}", self.tag(), self.port, self.protocol.as_str())
    }
    fn probe(&self) -> Probe {
        if self.base.eq_ignore_ascii_case("VirtualNetwork") {
            Probe::VirtualNetwork
        } else {
            Probe::service(&self.tag())
        }
    }
}

/// A required flow that the subnet NSG denies, and the rule that decides it.
#[derive(Debug, Clone)]
pub struct Denial<'a> {
    /// The deciding rule's `access`, or the NSG header for a default rule.
    pub span: Span,
    /// The resource whose text holds `span`: the NSG for an inline rule and a default rule, the
    /// rule resource for a standalone rule (the first of an orphan group's for a default rule).
    pub resource: &'a Resource,
    /// `rule 'deny-all' (priority 100) in azurerm_network_security_group.nsg`, the rule's name
    /// and priority quoted from where they are written.
    pub text: Message,
}

/// The resource whose text holds rule `i` of an NSG (see [`Denial::resource`]).
pub fn rule_holder<'a>(group: &NsgGroup<'a>, i: usize) -> Option<&'a Resource> {
    match group.origins.get(i) {
        Some(o) => Some(o.resource),
        None => group
            .resource
            .or_else(|| group.origins.first().map(|o| o.resource)),
    }
}

/// The flow between the workload's subnet and `other`, evaluated on its subnet NSG.
fn evaluate_site(
    ctx: &Ctx,
    site: &Site,
    direction: Direction,
    protocol: Protocol,
    other: Probe,
    port: u32,
) -> Decision {
    let group = &ctx.graph.nsgs[site.nsg];
    let subnet = ctx.graph.subnet_probe(Some(site.subnet));
    let (src, dst) = match direction {
        Direction::Inbound => (other, subnet),
        Direction::Outbound => (subnet, other),
    };
    let flow = Flow {
        direction,
        protocol,
        src,
        src_ports: EPHEMERAL,
        dst,
        dst_port: port,
    };
    group.rules.evaluate(&flow, ctx.options.broad_prefix_max)
}

/// The denials of one required flow: empty when the NSG allows it or the decision is unknown;
/// several when rules of one priority decide together (§1.5 item 7).
pub fn denials<'a>(ctx: &Ctx<'a>, site: &Site, req: &Required) -> Vec<Denial<'a>> {
    let group = &ctx.graph.nsgs[site.nsg];
    let d = evaluate_site(
        ctx,
        site,
        req.direction,
        req.protocol,
        req.probe(),
        req.port,
    );
    if d.outcome != Outcome::Deny {
        return Vec::new();
    }
    d.deciding
        .iter()
        .filter_map(|&(i, _)| {
            let rule = &group.rules.rules[i];
            let default = i >= group.rules.user_count;
            Some(Denial {
                span: if default {
                    group.header
                } else {
                    rule.access_span.unwrap_or(rule.anchor)
                },
                resource: rule_holder(group, i)?,
                text: rule_label(group, i).text(" in ").text(&group.label),
            })
        })
        .collect()
}

/// A user rule of the subnet NSG that lets the internet reach a port of the workload.
#[derive(Debug, Clone)]
pub struct Allowance<'a> {
    /// The allowing rule's source address entry that matches the internet (its property, or the
    /// element of its list), or the rule's anchor when it writes no source.
    pub span: Span,
    /// The resource whose text holds `span` (see [`Denial::resource`]).
    pub resource: &'a Resource,
    /// The source as written (`*`, `Internet`, `0.0.0.0/0`), quoted where it is written.
    pub source: Message,
    /// `rule 'open-mgmt' (priority 100) in azurerm_network_security_group.nsg`.
    pub text: Message,
    /// The internet it lets in: both families, or one, when the NSG filters a workload
    /// reachable over IPv6 (D34).
    pub reach: Reach,
}

/// The user rules that decide Allow for TCP `port` from the internet probe (§1.3) to the
/// workload's subnet: empty when the NSG denies it, a default rule decides, or the decision is
/// unknown; several when rules of one priority decide together (§1.5 item 7). When the NSG
/// filters a workload reachable over IPv6, the internet is probed once per family (D34).
pub fn internet_allowances<'a>(ctx: &Ctx<'a>, site: &Site, port: u32) -> Vec<Allowance<'a>> {
    let group = &ctx.graph.nsgs[site.nsg];
    let ipv6 = ctx.graph.nsg_ipv6(site.nsg);
    let inbound = |probe| evaluate_site(ctx, site, Direction::Inbound, Protocol::Tcp, probe, port);
    // (deciding rule, matching source entry, the families it allows)
    let mut found: Vec<(usize, Option<usize>, Vec<Family>)> = Vec::new();
    for probe in Probe::internet(ipv6) {
        let family = probe.family();
        let d = inbound(probe);
        if d.outcome != Outcome::Allow {
            continue;
        }
        for &(i, entry) in d
            .deciding
            .iter()
            .filter(|(i, _)| *i < group.rules.user_count)
        {
            match found
                .iter_mut()
                .find(|(fi, fe, _)| *fi == i && *fe == entry)
            {
                Some((.., families)) => families.extend(family),
                None => found.push((i, entry, family.into_iter().collect())),
            }
        }
    }
    found
        .into_iter()
        .filter_map(|(i, entry, families)| {
            let rule = &group.rules.rules[i];
            let src = entry.and_then(|e| rule.sources.get(e));
            let reach = Reach::of(ipv6, &families, |other| {
                cover(&group.rules, &inbound(Probe::InternetOver(other)), other)
            });
            Some(Allowance {
                span: src.and_then(|s| s.span).unwrap_or(rule.anchor),
                resource: rule_holder(group, i)?,
                source: match src {
                    Some(s) => Message::new().value(&s.text, s.span),
                    None => Message::new().text("*"),
                },
                text: rule_label(group, i).text(" in ").text(&group.label),
                reach,
            })
        })
        .collect()
}

/// Reports a "too closed" finding at the rule that denies the traffic, with the related
/// locations of the workload's site: its subnet reference and the subnet's NSG association.
pub fn report_denial<'c>(
    cx: &'c mut Checker,
    d: &Denial,
    site: &Site,
    says: Message,
) -> Reported<'c> {
    let ctx = cx.ctx;
    let association = association_span(
        ctx,
        site.subnet,
        types::link::SUBNET_NSG,
        "networkSecurityGroup",
    );
    let mut f = cx
        .report(At::span(d.resource, d.span), says)
        .related(site.subnet_ref, "the workload's subnet reference");
    if let Some(at) = association {
        f = f.related(at, "the subnet's NSG association");
    }
    f
}

/// The note messages add when the region is not known.
pub fn region_note(region: Option<&Region>) -> &'static str {
    if region.is_none() {
        " (the region is not known, so the global tag was probed)"
    } else {
        ""
    }
}
