//! NET010: the subnet NSG of a Batch pool or of Azure ML compute in a customer subnet lets the
//! internet reach a management port of the platform: TCP 29876–29877 (the Batch node agent) or
//! TCP 44224 (ML job submission). Only the service tags that use them should be admitted.

use crate::findings::{Level, Message};
use crate::ir::{types, Resource};
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::traffic::{internet_allowances, site, Allowance, Site};
use crate::rules::query::workloads::{
    in_customer_subnet, ml_computes, pool_region, regional_message, COMPUTE_SUBNET, POOL_SUBNET,
};
use crate::rules::query::URI_VN;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET010",
        name: "BatchOrMlManagementPortOpenToInternet",
        title: "Batch or ML management port open to the internet",
        level: Level::Warning,
        security_severity: "6.5",
        tags: &["security", "network", "batch", "ml"],
        precision: "high",
        help_uri: URI_VN,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/NET010.md"),
    },
    check,
};

/// The management ports of the Batch node agent.
const BATCH_PORTS: [u32; 2] = [29876, 29877];
/// The port through which Azure ML submits jobs to compute with public IPs.
const ML_PORT: u32 = 44224;

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some(site) = site(ctx, pool, &POOL_SUBNET) else {
            continue;
        };
        let tag = regional_message("BatchNodeManagement", pool_region(ctx, pool).as_ref());
        for (a, ports) in allowed(cx, &site, &BATCH_PORTS) {
            let says = Message::new()
                .text(format!(
                    "{} is in a subnet whose NSG opens the Batch management ports to the internet: ",
                    who(pool)
                ))
                .append(opening(&a, &ports))
                .text(".")
                .help(
                    Message::new()
                        .text("Restrict the rule's source to the `")
                        .append(tag.clone())
                        .text("` service tag, or remove the rule if no pool in the subnet uses classic node communication."),
                );
            report(cx, pool, &a, &site, says);
        }
    }
    for (c, kind) in ml_computes(ctx) {
        // The subnet of compute in a managed network is not the customer's (§8 terms).
        if in_customer_subnet(ctx, c) != Some(true) {
            continue;
        }
        let Some(site) = site(ctx, c, &COMPUTE_SUBNET) else {
            continue;
        };
        for (a, ports) in allowed(cx, &site, &[ML_PORT]) {
            let says = Message::new()
                .text(format!(
                    "{} is a {} in a customer subnet whose NSG opens the ML job-submission port to the internet: ",
                    who(c),
                    kind.noun()
                ))
                .append(opening(&a, &ports))
                .text(".")
                .help("Restrict the rule's source to the `AzureMachineLearning` service tag.");
            report(cx, c, &a, &site, says);
        }
    }
}

/// The allowing rules of the internet probe on `ports`, one per source entry, each with the
/// ports it opens.
fn allowed<'a>(cx: &Checker<'_, 'a>, site: &Site, ports: &[u32]) -> Vec<(Allowance<'a>, Vec<u32>)> {
    let mut found: Vec<(Allowance, Vec<u32>)> = Vec::new();
    for &port in ports {
        for a in internet_allowances(cx.ctx, site, port) {
            match found.iter_mut().find(|(f, _)| f.span == a.span) {
                Some((_, ps)) => ps.push(port),
                None => found.push((a, vec![port])),
            }
        }
    }
    found
}

/// `rule 'open-mgmt' (priority 100) in … allows TCP ports 29876 and 29877 from `*``.
fn opening(a: &Allowance, ports: &[u32]) -> Message {
    let list = ports
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" and ");
    let noun = if ports.len() == 1 { "port" } else { "ports" };
    a.text
        .clone()
        .text(format!(" allows TCP {noun} {list} "))
        .append(a.reach.source_clause(a.source.clone()))
}

fn report(cx: &mut Checker, workload: &Resource, a: &Allowance, site: &Site, says: Message) {
    let f = cx
        .report(At::span(a.resource, a.span), says)
        .related(site.subnet_ref, "the workload's subnet reference")
        .about(workload)
        .discriminator(who(workload));
    // The Deny that closes only the other family, where one does.
    if let Some((at, says)) = a.reach.related() {
        f.related(at, says);
    }
}
