//! BATCH041: the subnet NSG of a Batch pool denies the outbound traffic its nodes need: to
//! `BatchNodeManagement.<region>` (simplified) and `Storage.<region>` (classic) on TCP 443.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::traffic::{
    denial_text, denials, region_note, site, site_related, Required,
};
use crate::rules::query::workloads::{
    account_has_node_management_pe, pool_is_public, pool_mode, pool_region, regional, Mode,
    POOL_SUBNET,
};
use crate::rules::query::{finding, URI_BP};
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
fn exempt(ctx: &Ctx, pool: &crate::ir::Resource) -> Option<bool> {
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
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
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
        let (tags, level, mode_text): (&[&str], Level, &str) = match mode {
            Mode::Classic => (
                &["Storage"],
                Level::Error,
                "the classic node communication mode",
            ),
            Mode::Simplified => (
                &["BatchNodeManagement"],
                Level::Error,
                "the simplified node communication mode",
            ),
            Mode::Default { explicit } => (
                &["BatchNodeManagement", "Storage"],
                Level::Note,
                if explicit {
                    "the Default node communication mode, which may be classic or simplified (D2),"
                } else {
                    "no explicit node communication mode, so Default, which may be classic or simplified (D2),"
                },
            ),
        };
        for base in tags {
            let tag = regional(base, region.as_deref());
            for d in denials(ctx, &site, &Required::outbound(&tag, 443)) {
                let mut f = finding(
                    meta,
                    d.span,
                    format!(
                        "{}: {} uses {mode_text} and its nodes must reach `{tag}` on TCP port 443{}, but {} denies that traffic from its subnet. Allow outbound TCP 443 to the {base} service tag of the pool's region at a lower priority number than that rule.",
                        meta.title,
                        pool.display(),
                        region_note(region.as_deref()),
                        denial_text(&d),
                    ),
                );
                f.level = level;
                f.discriminator = format!("{}|{base}", pool.display());
                f.related = site_related(ctx, &site);
                out.push(f);
            }
        }
    }
}
