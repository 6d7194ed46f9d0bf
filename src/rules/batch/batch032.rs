//! BATCH032: a Windows pool whose own automatic updates run alongside Auto OS upgrade.

use crate::findings::{Finding, Level};
use crate::ir::spelling::Need;
use crate::ir::types;
use crate::ir::{Resource, Syntax};
use crate::rules::checker::Checker;
use crate::rules::query::pool::AUTO_OS_UPGRADE;
use crate::rules::query::pool::{pool_os, Os};
use crate::rules::query::{finding, prop, related, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH032",
        name: "BatchWindowsUpdatesWithAutoOsUpgrade",
        title: "Windows automatic updates combined with Auto OS upgrade",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["correctness", "availability", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[Need::Property(types::BATCH_POOL, &AUTO_OS_UPGRADE)],
        doc: include_str!("../../../rules/BATCH032.md"),
    },
    check,
};

const WINDOWS: [&str; 4] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "windowsConfiguration",
];

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    for pool in ctx.of_type(types::BATCH_POOL) {
        if pool.syntax == Syntax::Azurerm {
            continue;
        }
        check_pool(pool, out);
    }
}

fn check_pool(pool: &Resource, out: &mut Vec<Finding>) {
    let meta = &RULE.meta;
    let Prop::Known(upgrade) = prop(pool, &AUTO_OS_UPGRADE) else {
        return;
    };
    if upgrade.value.as_bool() != Some(true) || pool_os(pool) != Os::Windows {
        return;
    }
    let mut updates_path = WINDOWS.to_vec();
    updates_path.push("enableAutomaticUpdates");
    let updates = prop(pool, &updates_path);
    let fix = "Set windowsConfiguration.enableAutomaticUpdates to false so that Auto OS upgrade alone patches the nodes.";
    let who = pool.display();
    let f = match updates {
        Prop::Unknown => return,
        Prop::Absent => {
            let mut f = finding(
                meta,
                upgrade.span(),
                format!(
                    "{}: {who} is a Windows pool with Auto OS upgrade on and Windows automatic updates left at their default, on. {fix}",
                    meta.title
                ),
            );
            if let Prop::Known(w) = prop(pool, &WINDOWS) {
                f.related.push(related(
                    w.location(),
                    "windowsConfiguration without enableAutomaticUpdates",
                ));
            }
            f
        }
        Prop::Known(m) => {
            if m.value.as_bool() != Some(true) {
                return;
            }
            let mut f = finding(
                meta,
                m.span(),
                format!(
                    "{}: {who} is a Windows pool with Auto OS upgrade on and Windows automatic updates turned on. {fix}",
                    meta.title
                ),
            );
            f.related
                .push(related(upgrade.span(), "Auto OS upgrade enabled"));
            f
        }
    };
    out.push(f);
}
