//! BATCH041: the subnet NSG of a Batch pool denies the outbound traffic its nodes need: to
//! `BatchNodeManagement.<region>` (simplified) and `Storage.<region>` (classic) on TCP 443.

use crate::findings::{Level, Message};
use crate::ir::{types, Resource};
use crate::rules::checker::{who, Checker};
use crate::rules::query::traffic::{denials, region_note, report_denial, site, Required};
use crate::rules::query::workloads::{
    account_has_node_management_pe, pool_is_public, pool_mode, pool_region, Mode, POOL_SUBNET,
};
use crate::rules::query::URI_BP;
use crate::rules::{Ctx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH041",
        name: "BatchOutboundTrafficBlocked",
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

/// What the messages say of a pool whose mode is `Default` (D2).
const DEFAULT_MAY_BE_EITHER: &str =
    "which may be classic or simplified (the service does not document which model Default picks),";

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
        let (tags, level, mode_text): (&[&str], Level, String) = match mode {
            Mode::Classic => (
                &["Storage"],
                Level::Error,
                "the classic node communication mode".into(),
            ),
            Mode::Simplified => (
                &["BatchNodeManagement"],
                Level::Error,
                "the simplified node communication mode".into(),
            ),
            Mode::Default { explicit } => (
                &["BatchNodeManagement", "Storage"],
                Level::Note,
                if explicit {
                    format!("the Default node communication mode, {DEFAULT_MAY_BE_EITHER}")
                } else {
                    format!(
                        "no explicit node communication mode, so Default, {DEFAULT_MAY_BE_EITHER}"
                    )
                },
            ),
        };
        for base in tags {
            let req = Required::outbound(base, 443).in_region(region.as_ref());
            for d in denials(ctx, &site, &req) {
                let says = Message::new()
                    .text(format!(
                        "{} uses {mode_text} and its nodes must reach `",
                        who(pool)
                    ))
                    .append(req.tag_message())
                    .text(format!(
                        "` on TCP port 443{}, but ",
                        region_note(region.as_ref())
                    ))
                    .append(d.text.clone())
                    .text(format!(
                        " denies that traffic from its subnet. Allow outbound TCP 443 to the {base} service tag of the pool's region at a lower priority number than that rule."
                    ));
                report_denial(cx, &d, &site, says)
                    .level(level)
                    .discriminator(format!("{}|{base}", who(pool)));
            }
        }
    }
}
