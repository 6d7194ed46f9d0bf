//! BATCH040: the subnet NSG of a public Batch pool that asks for the classic node communication
//! mode denies the inbound management traffic of the Batch service (TCP 29876–29877 from
//! `BatchNodeManagement.<region>`). `Default` and an absent mode are simplified, which needs no
//! inbound management traffic (D32).

use crate::findings::{Level, Message};
use crate::ir::types;
use crate::rules::checker::{who, Checker};
use crate::rules::query::traffic::{denials, region_note, report_denial, site, Denial, Required};
use crate::rules::query::workloads::{
    pool_is_public, pool_mode, pool_region, regional_message, Mode, POOL_SUBNET,
};
use crate::rules::query::URI_BP;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH040",
        name: "RequiredInboundBatchManagementTrafficBlocked",
        title: "Required inbound Batch management traffic blocked",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["availability", "network", "batch"],
        precision: "high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH040.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        // Only classic pools receive inbound management connections (D32).
        if pool_mode(pool) != Some(Mode::Classic) || pool_is_public(pool) != Some(true) {
            continue;
        }
        let Some(site) = site(ctx, pool, &POOL_SUBNET) else {
            continue;
        };
        let region = pool_region(ctx, pool);
        // One result per deciding rule, naming the ports it denies.
        let mut found: Vec<(Denial, Vec<u32>)> = Vec::new();
        let tag = regional_message("BatchNodeManagement", region.as_ref());
        for port in [29876, 29877] {
            let req = Required::inbound("BatchNodeManagement", port).in_region(region.as_ref());
            for d in denials(ctx, &site, &req) {
                match found.iter_mut().find(|(f, _)| f.span == d.span) {
                    Some((_, ports)) => ports.push(port),
                    None => found.push((d, vec![port])),
                }
            }
        }
        for (d, ports) in found {
            let ports = ports
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" and ");
            let says = Message::new()
                .text(format!(
                    "{} has public IPs and it uses the classic node communication mode, but ",
                    who(pool)
                ))
                .append(d.text.clone())
                .text(format!(" denies inbound TCP port {ports} from `"))
                .append(tag.clone())
                .text(format!(
                    "`{} to its subnet.",
                    region_note(region.as_ref()),
                ))
                .help("Allow TCP 29876-29877 from the BatchNodeManagement service tag at a lower priority number than that rule, or move the pool to the simplified communication mode.");
            report_denial(cx, &d, &site, says)
                .about(pool)
                .discriminator(who(pool));
        }
    }
}
