//! BATCH004: a Batch account without a customer-managed key.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Syntax;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH004",
        name: "BatchNoCustomerManagedKey",
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

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let who = acct.display();
        let fix = if acct.syntax == Syntax::Azurerm {
            "Add an encryption block with key_vault_key_id pointing at a Key Vault key the account's identity can use."
        } else {
            "Set encryption.keySource to Microsoft.KeyVault and keyVaultProperties.keyIdentifier to a Key Vault key the account's identity can use."
        };
        match prop(acct, &["properties", "encryption", "keySource"]) {
            Prop::Absent => {
                let what = if acct.syntax == Syntax::Azurerm {
                    "has no encryption block"
                } else {
                    "does not set encryption.keySource"
                };
                out.push(finding(
                    meta,
                    acct.header,
                    format!(
                        "{}: {who} {what}, so its stored data is encrypted with Microsoft-managed keys. {fix}",
                        meta.title
                    ),
                ));
            }
            Prop::Known(m) if str_in(m, &["Microsoft.KeyVault"]) == Some(false) => {
                out.push(finding(
                    meta,
                    m.span(),
                    format!(
                        "{}: {who} sets encryption.keySource to `{}`, so its stored data is encrypted with Microsoft-managed keys. {fix}",
                        meta.title,
                        m.value.as_str().unwrap_or_default()
                    ),
                ));
            }
            _ => {}
        }
    }
}
