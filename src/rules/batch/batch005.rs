//! BATCH005: a user-subscription Batch account without a Key Vault reference.

use crate::findings::{Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::Node;
use crate::rules::checker::{name, who, At, Checker};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH005",
        name: "UserSubscriptionAccountWithoutKeyVault",
        title: "UserSubscription account without Key Vault",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["correctness", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH005.md"),
    },
    check,
};

/// Is `key` missing from the reference? A member whose value is unknown is present; an empty
/// string or `null` is missing.
fn missing(reference: &Node, key: &str) -> bool {
    match reference.member(key) {
        None => true,
        Some(m) => m.value.is_null() || m.value.as_str().is_some_and(|s| s.trim().is_empty()),
    }
}

const REFERENCE: [&str; 2] = ["properties", "keyVaultReference"];

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let Prop::Known(mode) = lookup(&acct.body, &["properties", "poolAllocationMode"]) else {
            continue;
        };
        if str_in(mode, &["UserSubscription"]) != Some(true) {
            continue;
        }
        let who = who(acct);
        let reference = name(acct, PropPath::new(&REFERENCE, 1));
        let field = |k: &'static str, shown_from: usize| {
            name(
                acct,
                PropPath::new(&["properties", "keyVaultReference", k], shown_from),
            )
        };
        let fix = format!(
            "Set {} and {} to the vault's resource id and URL, and register the subscription with the Batch service.",
            field("id", 1),
            field("url", 1)
        );
        match lookup(&acct.body, &REFERENCE) {
            Prop::Unknown => {}
            Prop::Absent => {
                let says = Message::from(format!(
                    "{who} allocates pools in the user's subscription but has no {reference}."
                ))
                .help(fix);
                cx.report(At::member(acct, mode), says);
            }
            Prop::Known(r) => {
                let lacks: Vec<String> = ["id", "url"]
                    .into_iter()
                    .filter(|k| missing(&r.value, k))
                    .map(|k| field(k, 2))
                    .collect();
                if lacks.is_empty() {
                    continue;
                }
                let says = Message::from(format!(
                    "{who} allocates pools in the user's subscription but its {reference} lacks {}.",
                    lacks.join(" and ")
                ))
                .help(fix);
                cx.report(At::member(acct, mode), says).related(
                    r.location(),
                    format!("partial Key Vault reference (no {})", lacks.join(", no ")),
                );
            }
        }
    }
}
