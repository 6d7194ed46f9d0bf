//! BATCH032: a Windows pool whose own automatic updates run alongside Auto OS upgrade.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::{Need, PropPath};
use crate::ir::types;
use crate::ir::Resource;
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::pool::AUTO_OS_UPGRADE;
use crate::rules::query::pool::{pool_os, Os};
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH032",
        name: "WindowsAutomaticUpdatesCombinedWithAutoOsUpgrade",
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
const UPDATES: [&str; 5] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "windowsConfiguration",
    "enableAutomaticUpdates",
];

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    // A syntax without an upgrade policy writes none unless another resource adds one (an ARM
    // update of the pool), and then it is checked like any other.
    for pool in ctx.of_type(types::BATCH_POOL) {
        check_pool(cx, pool);
    }
}

fn check_pool(cx: &mut Checker, pool: &Resource) {
    let Prop::Known(upgrade) = lookup(&pool.body, &AUTO_OS_UPGRADE) else {
        return;
    };
    if upgrade.value.as_bool() != Some(true) || pool_os(pool) != Os::Windows {
        return;
    }
    let updates = PropPath::new(&UPDATES, 3);
    let fix = format!(
        "Set {} so that Auto OS upgrade alone patches the nodes.",
        assignment(pool, updates, &json!(false))
    );
    let who = who(pool);
    let off = Fix::set(&UPDATES, json!(false));
    match lookup(&pool.body, &UPDATES) {
        Prop::Unknown => {}
        Prop::Absent => {
            let f = cx
                .report(
                    At::member(pool, upgrade),
                    Message::from(format!("{who} is a Windows pool with Auto OS upgrade on and Windows automatic updates left at their default, on.")).help(fix),
                )
                .fix(off);
            if let Prop::Known(w) = lookup(&pool.body, &WINDOWS) {
                f.related(
                    w.location(),
                    format!(
                        "{} without {}",
                        name(pool, PropPath::new(&WINDOWS, 3)),
                        name(pool, PropPath::new(&UPDATES, 4))
                    ),
                );
            }
        }
        Prop::Known(m) => {
            if m.value.as_bool() != Some(true) {
                return;
            }
            cx.report(
                At::member(pool, m),
                Message::from(format!("{who} is a Windows pool with Auto OS upgrade on and Windows automatic updates turned on.")).help(fix),
            )
            .fix(off)
            .related(upgrade.span(), "Auto OS upgrade enabled");
        }
    }
}
