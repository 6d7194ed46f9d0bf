//! BATCH001: Batch account public network access enabled.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH001",
        name: "BatchAccountPublicNetworkAccess",
        title: "Batch account public network access enabled",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[
            "Azure Policy 74c5a0ae-5e48-4738-b093-65e23a060488",
            "Azure Policy 009a0c92-f5b4-4776-9b66-4ed2b4775563",
        ],
        needs: &[],
        doc: include_str!("../../../rules/BATCH001.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let fix = "Set publicNetworkAccess to Disabled (azurerm: public_network_access_enabled = false) and reach the account through private endpoints.";
        match prop(acct, &["properties", "publicNetworkAccess"]) {
            Prop::Absent => out.push(finding(
                meta,
                acct.header,
                format!(
                    "{}: {} leaves public network access at its default, Enabled. {fix}",
                    meta.title,
                    acct.display()
                ),
            )),
            Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => out.push(finding(
                meta,
                m.span(),
                format!(
                    "{}: {} sets public network access to Enabled. {fix}",
                    meta.title,
                    acct.display()
                ),
            )),
            _ => {}
        }
    }
}
