//! BATCH004: a Batch account without a customer-managed key.

use crate::findings::{Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, name, quote, who, At, Checker};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH004",
        name: "NoCustomerManagedKey",
        title: "No customer-managed key",
        level: Level::Note,
        security_severity: "3.0",
        tags: &["security", "encryption", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &["Azure Policy 99e9ccd8-3db9-4592-b0d1-14b1715a4d8a"],
        needs: &[],
        doc: include_str!("../../../rules/BATCH004.md"),
    },
    check,
};

const ENCRYPTION: PropPath = PropPath::new(&["properties", "encryption"], 1);
const KEY_SOURCE: PropPath = PropPath::new(&["properties", "encryption", "keySource"], 1);
const KEY_ID: PropPath = PropPath::new(
    &[
        "properties",
        "encryption",
        "keyVaultProperties",
        "keyIdentifier",
    ],
    1,
);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let who = who(acct);
        let key_id = name(acct, KEY_ID);
        let use_key = "to a Key Vault key the account's identity can use";
        // A syntax whose name for the key source is the encryption setting's own (the azurerm
        // `encryption` block) sets the key source by giving the key.
        let fix = if name(acct, KEY_SOURCE) == name(acct, ENCRYPTION) {
            format!("Set {key_id} {use_key}.")
        } else {
            format!(
                "Set {} and {key_id} {use_key}.",
                assignment(acct, KEY_SOURCE, &json!("Microsoft.KeyVault"))
            )
        };
        let consequence = "so its stored data is encrypted with Microsoft-managed keys";
        match lookup(&acct.body, KEY_SOURCE.keys) {
            Prop::Absent => {
                let says = Message::from(format!(
                    "{who} does not set {}, {consequence}.",
                    name(acct, KEY_SOURCE)
                ))
                .help(fix);
                cx.report(At::resource(acct), says);
            }
            Prop::Known(m) if str_in(m, &["Microsoft.KeyVault"]) == Some(false) => {
                let says = Message::new()
                    .text(format!("{who} sets {} to `", name(acct, KEY_SOURCE)))
                    .append(quote(&m.value))
                    .text(format!("`, {consequence}."))
                    .help(fix);
                cx.report(At::member(acct, m), says);
            }
            _ => {}
        }
    }
}
