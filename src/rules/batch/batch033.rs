//! BATCH033: a Batch pool without Auto OS upgrade. On azurerm, which cannot express an upgrade
//! policy, one note per scan (D19).

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Syntax;
use crate::rules::checker::Checker;
use crate::rules::query::pool::AUTO_OS_UPGRADE;
use crate::rules::query::{finding, prop, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH033",
        name: "BatchAutoOsUpgradeNotEnabled",
        title: "Auto OS upgrade not enabled",
        level: Level::Note,
        security_severity: "2.0",
        tags: &["security", "hardening", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH033.md"),
    },
    check,
};

/// The discriminator of the azurerm note; the scan keeps only the first result carrying it
/// (see [`super::limit_per_scan`]).
pub const ONCE_PER_SCAN: &str = "once-per-scan:azurerm";

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade to true (with upgradePolicy.mode), if the pool's image supports Auto OS upgrade.";
    for pool in ctx.of_type(types::BATCH_POOL) {
        if pool.syntax == Syntax::Azurerm {
            continue;
        }
        let who = pool.display();
        match prop(pool, &AUTO_OS_UPGRADE) {
            Prop::Unknown => {}
            Prop::Known(m) => {
                if m.value.as_bool() == Some(false) {
                    out.push(finding(
                        meta,
                        m.span(),
                        format!("{}: {who} turns Auto OS upgrade off. {fix}", meta.title),
                    ));
                }
            }
            Prop::Absent => {
                let at = match prop(pool, &AUTO_OS_UPGRADE[..2]) {
                    Prop::Known(up) => up.location(),
                    _ => pool.header,
                };
                out.push(finding(
                    meta,
                    at,
                    format!(
                        "{}: {who} does not enable Auto OS upgrade, so OS patches reach its nodes only when they are reimaged or recreated. {fix}",
                        meta.title
                    ),
                ));
            }
        }
    }
    // D19: azurerm cannot express an upgrade policy, so one note per scan, on the first
    // azurerm_batch_pool in scan order (files by path, then position); here the first of this
    // scope, and the scan keeps the first of all scopes.
    // A pool patched by an `azapi_update_resource` that enables it (or may) is left out.
    let first = ctx
        .of_type(types::BATCH_POOL)
        .filter(|p| p.syntax == Syntax::Azurerm)
        .filter(|p| match prop(p, &AUTO_OS_UPGRADE) {
            Prop::Known(m) => m.value.as_bool() != Some(true),
            Prop::Unknown => false,
            Prop::Absent => true,
        })
        .min_by_key(|p| (p.header.file, p.header.start));
    if let Some(pool) = first {
        let mut f = finding(
            meta,
            pool.header,
            format!(
                "{}: {} is an azurerm_batch_pool, and the azurerm provider has no setting for the pool's upgrade policy, so Auto OS upgrade cannot be enabled from it. This note is given once per scan, on the first azurerm pool. Where the image supports it, set upgradePolicy with an azapi_resource or azapi_update_resource on the pool (automaticOSUpgradePolicy.enableAutomaticOSUpgrade = true), or suppress this note.",
                meta.title,
                pool.display()
            ),
        );
        f.discriminator = ONCE_PER_SCAN.into();
        out.push(f);
    }
}
