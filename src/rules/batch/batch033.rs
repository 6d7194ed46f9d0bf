//! BATCH033: a Batch pool without Auto OS upgrade. On a syntax that cannot express an upgrade
//! policy (azurerm), one note per scan (D19).

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::{Limitation, PropPath};
use crate::ir::types;
use crate::ir::Resource;
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::pool::AUTO_OS_UPGRADE;
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH033",
        name: "AutoOsUpgradeNotEnabled",
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

const UPGRADE: PropPath = PropPath::new(&AUTO_OS_UPGRADE, 1);
const MODE: [&str; 3] = ["properties", "upgradePolicy", "mode"];

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let upgrade = lookup(&pool.body, &AUTO_OS_UPGRADE);
        if let Some(limit) = pool.spelling().limitation(UPGRADE) {
            // D19: the syntax cannot express an upgrade policy, so one note per scan, on the
            // first such pool in report order (files by path, then position). A pool whose
            // policy another resource enables (or may) is left out.
            let noted = match upgrade {
                Prop::Known(m) => m.value.as_bool() != Some(true),
                Prop::Unknown => false,
                Prop::Absent => true,
            };
            if noted {
                note(cx, pool, limit);
            }
            continue;
        }
        let fix = format!(
            "Set {} (with {}), if the pool's image supports Auto OS upgrade.",
            assignment(pool, UPGRADE, &json!(true)),
            name(pool, PropPath::new(&MODE, 1))
        );
        let on = Fix::set(&AUTO_OS_UPGRADE, json!(true));
        match upgrade {
            Prop::Unknown => {}
            Prop::Known(m) => {
                if m.value.as_bool() == Some(false) {
                    cx.report(
                        At::member(pool, m),
                        Message::from(format!("{} turns Auto OS upgrade off.", who(pool)))
                            .help(fix),
                    )
                    .fix(on);
                }
            }
            Prop::Absent => {
                let (at, fix_struct) = match lookup(&pool.body, &AUTO_OS_UPGRADE[..2]) {
                    Prop::Known(up) => {
                        let with_mode = match lookup(&pool.body, &MODE) {
                            Prop::Absent => on.and_set(&MODE, json!("automatic")),
                            _ => on,
                        };
                        (At::member(pool, up), with_mode)
                    }
                    _ => (At::resource(pool), on.and_set(&MODE, json!("automatic"))),
                };
                cx.report(
                    at,
                    Message::from(format!("{} does not enable Auto OS upgrade, so OS patches reach its nodes only when they are reimaged or recreated.",
                        who(pool)
                    )).help(fix),
                )
                .fix(fix_struct);
            }
        }
    }
}

/// The note on a pool whose syntax cannot set an upgrade policy, given once per scan for the
/// limitation (the scan keeps the first in report order).
fn note(cx: &mut Checker, pool: &Resource, limit: &Limitation) {
    let is = match pool.spelling().written_type() {
        Some(t) => format!(" is {} {t}, and", article(t)),
        None => String::new(),
    };
    let says = Message::from(format!(
        "{}{is} {}, so Auto OS upgrade cannot be enabled from it. This note is given once per scan, on the first {}.",
        who(pool),
        limit.why,
        limit.what,
    ))
    .help(format!(
        "Where the image supports it, {}, or suppress this note.",
        limit.instead
    ));
    cx.report(At::resource(pool), says).once_per_scan(limit.key);
}

/// "a" or "an" before a word.
fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
