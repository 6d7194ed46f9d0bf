//! BATCH005: a user-subscription Batch account without a Key Vault reference.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Node;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, related, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH005",
        name: "BatchUserSubscriptionWithoutKeyVault",
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

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Add keyVaultReference with both the vault's resource id and its URL (azurerm: key_vault_reference { id, url }), and register the subscription with the Batch service.";
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let Prop::Known(mode) = prop(acct, &["properties", "poolAllocationMode"]) else {
            continue;
        };
        if str_in(mode, &["UserSubscription"]) != Some(true) {
            continue;
        }
        let who = acct.display();
        match prop(acct, &["properties", "keyVaultReference"]) {
            Prop::Unknown => {}
            Prop::Absent => out.push(finding(
                meta,
                mode.span(),
                format!(
                    "{}: {who} allocates pools in the user's subscription but has no keyVaultReference. {fix}",
                    meta.title
                ),
            )),
            Prop::Known(r) => {
                let lacks: Vec<&str> = ["id", "url"]
                    .into_iter()
                    .filter(|k| missing(&r.value, k))
                    .collect();
                if lacks.is_empty() {
                    continue;
                }
                let mut f = finding(
                    meta,
                    mode.span(),
                    format!(
                        "{}: {who} allocates pools in the user's subscription but its keyVaultReference lacks {}. {fix}",
                        meta.title,
                        lacks.join(" and ")
                    ),
                );
                f.related.push(related(
                    r.location(),
                    format!("partial Key Vault reference (no {})", lacks.join(", no ")),
                ));
                out.push(f);
            }
        }
    }
}
