//! The "too closed" query shared by BATCH040, BATCH041, ML010, ML011 and ML012 (spec §1.6, §7,
//! §8): which of the flows a workload needs does its subnet's NSG deny, and which rule decides?
//!
//! Only the subnet NSG is evaluated: the platform puts an NSG of its own on the nodes' network
//! interfaces, and that one is not in the templates. A decision by a default rule
//! (`DenyAllInBound`, `DenyAllOutBound`) counts and is located at the NSG header. Unknown
//! decisions are silent.

use crate::findings::Related;
use crate::graph::links::Link;
use crate::graph::NsgLink;
use crate::ir::types;
use crate::ir::{Member, Resource, Span};
use crate::net::address::Probe;
use crate::net::nsg::{Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::query::related;
use crate::rules::query::workloads::association_span;
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
    /// The tag as probed, e.g. `BatchNodeManagement.westeurope` or `VirtualNetwork`.
    pub tag: String,
    pub port: u32,
}

impl Required {
    pub fn inbound(tag: &str, port: u32) -> Required {
        Required {
            direction: Direction::Inbound,
            protocol: Protocol::Tcp,
            tag: tag.to_string(),
            port,
        }
    }
    pub fn outbound(tag: &str, port: u32) -> Required {
        Required {
            direction: Direction::Outbound,
            protocol: Protocol::Tcp,
            tag: tag.to_string(),
            port,
        }
    }
    pub fn udp(mut self) -> Required {
        self.protocol = Protocol::Udp;
        self
    }
    /// `AzureMachineLearning:443/TCP`, for messages and discriminators.
    pub fn label(&self) -> String {
        format!("{}:{}/{}", self.tag, self.port, self.protocol.as_str())
    }
    fn probe(&self) -> Probe {
        if self.tag.eq_ignore_ascii_case("VirtualNetwork") {
            Probe::VirtualNetwork
        } else {
            Probe::service(&self.tag)
        }
    }
}

/// A required flow that the subnet NSG denies, and the rule that decides it.
#[derive(Debug, Clone, PartialEq)]
pub struct Denial {
    /// The deciding rule's `access`, or the NSG header for a default rule.
    pub span: Span,
    /// `rule 'deny-all' (priority 100)` or `default rule DenyAllOutBound (priority 65500)`.
    pub rule: String,
    pub default: bool,
    /// `azurerm_network_security_group.nsg` or `networkSecurityGroups 'nsg'`.
    pub nsg: String,
}

/// The denials of one required flow: empty when the NSG allows it or the decision is unknown;
/// several when rules of one priority decide together (§1.5 item 7).
pub fn denials(ctx: &Ctx, site: &Site, req: &Required) -> Vec<Denial> {
    let group = &ctx.graph.nsgs[site.nsg];
    let subnet = ctx.graph.subnet_probe(Some(site.subnet));
    let (src, dst) = match req.direction {
        Direction::Inbound => (req.probe(), subnet),
        Direction::Outbound => (subnet, req.probe()),
    };
    let flow = Flow {
        direction: req.direction,
        protocol: req.protocol,
        src,
        src_ports: EPHEMERAL,
        dst,
        dst_port: req.port,
    };
    let d = group.rules.evaluate(&flow, ctx.options.broad_prefix_max);
    if d.outcome != Outcome::Deny {
        return Vec::new();
    }
    d.deciding
        .iter()
        .map(|&(i, _)| {
            let rule = &group.rules.rules[i];
            let default = i >= group.rules.user_count;
            Denial {
                span: if default {
                    group.header
                } else {
                    rule.access_span.unwrap_or(rule.anchor)
                },
                rule: rule.label(),
                default,
                nsg: group.label.clone(),
            }
        })
        .collect()
}

/// The related locations of a "too closed" finding: the workload's subnet reference and the
/// subnet's NSG association.
pub fn site_related(ctx: &Ctx, site: &Site) -> Vec<Related> {
    let mut out = vec![related(site.subnet_ref, "the workload's subnet reference")];
    if let Some(at) = association_span(
        ctx,
        site.subnet,
        types::link::SUBNET_NSG,
        "networkSecurityGroup",
    ) {
        out.push(related(at, "the subnet's NSG association"));
    }
    out
}

/// "rule 'deny-all' (priority 100) in azurerm_network_security_group.nsg" for messages.
pub fn denial_text(d: &Denial) -> String {
    format!("{} in {}", d.rule, d.nsg)
}

/// The note messages add when the region is not known.
pub fn region_note(region: Option<&str>) -> &'static str {
    if region.is_none() {
        " (the region is not known, so the global tag was probed)"
    } else {
        ""
    }
}
