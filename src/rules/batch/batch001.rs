//! BATCH001: Batch account public network access enabled.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, who, At, Checker};
use crate::rules::query::endpoints::Coverage;
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH001",
        name: "BatchAccountPublicNetworkAccessEnabled",
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

const PUBLIC_ACCESS: PropPath = PropPath::new(&["properties", "publicNetworkAccess"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let disabled = json!("Disabled");
        let fix = format!(
            "Set {} and reach the account through private endpoints.",
            assignment(acct, PUBLIC_ACCESS, &disabled)
        );
        let says = match lookup(&acct.body, PUBLIC_ACCESS.keys) {
            Prop::Absent => (
                At::resource(acct),
                Message::from(format!(
                    "{} leaves public network access at its default, Enabled.",
                    who(acct)
                ))
                .help(fix),
            ),
            Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => (
                At::member(acct, m),
                Message::new()
                    .text(format!("{} sets public network access to ", who(acct)))
                    .value("Enabled", Some(m.value.span))
                    .text(".")
                    .help(fix),
            ),
            _ => continue,
        };
        // Without a private endpoint for the account, disabling public access leaves no way in
        // (BATCH006): the fix changes more than the finding.
        let reachable = ctx
            .graph
            .index
            .of_resource(acct)
            .and_then(|e| Coverage::of(ctx, e).covers("batchAccount"));
        let mut fix = Fix::set(PUBLIC_ACCESS.keys, disabled);
        if reachable != Some(true) {
            fix = fix.changing(
                "no private endpoint reaches the account yet, so disabling public access \
                 leaves clients no way in",
            );
        }
        cx.report(says.0, says.1).fix(fix);
    }
}
