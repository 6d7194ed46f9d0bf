//! BATCH040: the subnet NSG of a public, non-simplified Batch pool denies the inbound management
//! traffic of the Batch service (TCP 29876–29877 from `BatchNodeManagement.<region>`).

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::traffic::{
    denial_text, denials, region_note, site, site_related, Denial, Required,
};
use crate::rules::query::workloads::{
    pool_is_public, pool_mode, pool_region, regional, Mode, POOL_SUBNET,
};
use crate::rules::query::{finding, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH040",
        name: "BatchInboundManagementTrafficBlocked",
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
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for pool in ctx.of_type(types::BATCH_POOL) {
        if pool_is_public(pool) != Some(true) {
            continue;
        }
        let level = match pool_mode(pool) {
            Some(Mode::Classic) => Level::Error,
            Some(Mode::Default { .. }) => Level::Note,
            Some(Mode::Simplified) | None => continue,
        };
        let Some(site) = site(ctx, pool, &POOL_SUBNET) else {
            continue;
        };
        let region = pool_region(ctx, pool);
        let tag = regional("BatchNodeManagement", region.as_deref());
        // One result per deciding rule, naming the ports it denies.
        let mut found: Vec<(Denial, Vec<u32>)> = Vec::new();
        for port in [29876, 29877] {
            for d in denials(ctx, &site, &Required::inbound(&tag, port)) {
                match found.iter_mut().find(|(f, _)| f.span == d.span) {
                    Some((_, ports)) => ports.push(port),
                    None => found.push((d, vec![port])),
                }
            }
        }
        let mode_text = match pool_mode(pool) {
            Some(Mode::Default { explicit: true }) => {
                "its node communication mode is Default, which may still be classic (D2)"
            }
            Some(Mode::Default { explicit: false }) => {
                "it does not set the node communication mode, so it is Default, which may still be classic (D2)"
            }
            _ => "it uses the classic node communication mode",
        };
        for (d, ports) in found {
            let ports = ports
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" and ");
            let mut f = finding(
                meta,
                d.span,
                format!(
                    "{}: {} has public IPs and {mode_text}, but {} denies inbound TCP port {ports} from `{tag}`{} to its subnet. Allow TCP 29876-29877 from the BatchNodeManagement service tag at a lower priority number than that rule, or move the pool to the simplified communication mode.",
                    meta.title,
                    pool.display(),
                    denial_text(&d),
                    region_note(region.as_deref()),
                ),
            );
            f.level = level;
            f.discriminator = pool.display();
            f.related = site_related(ctx, &site);
            out.push(f);
        }
    }
}
