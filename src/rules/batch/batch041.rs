//! BATCH041: the subnet NSG of a Batch pool denies the outbound traffic its nodes need on TCP 443:
//! `BatchNodeManagement.<region>` for the simplified model (`Simplified`, `Default` or absent),
//! `Storage.<region>` for a pool that asks for `Classic` (D32).

use crate::findings::{Level, Message};
use crate::ir::{types, Resource};
use crate::rules::checker::{who, Checker};
use crate::rules::query::traffic::{denials, region_note, report_denial, site, Required};
use crate::rules::query::workloads::{
    account_has_node_management_pe, pool_is_public, pool_mode, pool_region, Mode, Written,
    POOL_SUBNET,
};
use crate::rules::query::URI_BP;
use crate::rules::{Ctx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH041",
        name: "RequiredOutboundBatchTrafficBlocked",
        title: "Required outbound Batch traffic blocked",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["availability", "network", "batch"],
        precision: "high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH041.md"),
    },
    check,
};

/// Is the pool exempt: no public IPs, and its account has a `nodeManagement` private endpoint?
/// `None` when that cannot be known.
fn exempt(ctx: &Ctx, pool: &Resource) -> Option<bool> {
    match pool_is_public(pool) {
        Some(true) => Some(false),
        Some(false) => account_has_node_management_pe(ctx, pool),
        None => match account_has_node_management_pe(ctx, pool) {
            Some(false) => Some(false),
            _ => None,
        },
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some(mode) = pool_mode(pool) else {
            continue;
        };
        if exempt(ctx, pool) != Some(false) {
            continue;
        }
        let Some(site) = site(ctx, pool, &POOL_SUBNET) else {
            continue;
        };
        let region = pool_region(ctx, pool);
        let (base, mode_text) = match mode {
            Mode::Classic => ("Storage", "uses the classic node communication mode"),
            Mode::Simplified(Written::Simplified) => (
                "BatchNodeManagement",
                "uses the simplified node communication mode",
            ),
            Mode::Simplified(Written::Default) => (
                "BatchNodeManagement",
                "sets the node communication mode to Default, which is the simplified model since classic communication was retired,",
            ),
            Mode::Simplified(Written::Absent) => (
                "BatchNodeManagement",
                "does not set the node communication mode, so it uses the simplified model (classic communication is retired),",
            ),
        };
        let req = Required::outbound(base, 443).in_region(region.as_ref());
        for d in denials(ctx, &site, &req) {
            let says = Message::new()
                .text(format!("{} {mode_text} and its nodes must reach `", who(pool)))
                .append(req.tag_message())
                .text(format!(
                    "` on TCP port 443{}, but ",
                    region_note(region.as_ref())
                ))
                .append(d.text.clone())
                .text(" denies that traffic from its subnet.")
                .help(format!(
                    "Allow outbound TCP 443 to the {base} service tag of the pool's region at a lower priority number than that rule."
                ));
            report_denial(cx, &d, &site, says)
                .about(pool)
                .discriminator(format!("{}|{base}", who(pool)));
        }
    }
}
