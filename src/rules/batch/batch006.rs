//! BATCH006: a Batch account with public network access disabled and no `batchAccount` private
//! endpoint in scope (D9, D36).

use crate::findings::{Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::endpoints::{endpoint_note, Coverage};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH006",
        name: "PrivateBatchAccountWithoutPrivateEndpoint",
        title: "Private Batch account without a private endpoint",
        level: Level::Warning,
        security_severity: "4.0",
        tags: &["security", "network", "batch", "availability"],
        precision: "high",
        help_uri: URI_BP,
        peers: &["Azure Policy 009a0c92-f5b4-4776-9b66-4ed2b4775563"],
        needs: &[],
        doc: include_str!("../../../rules/BATCH006.md"),
    },
    check,
};

const PUBLIC_ACCESS: PropPath = PropPath::new(&["properties", "publicNetworkAccess"], 1);

/// The group id of the account API's private endpoints.
const GROUP: &str = "batchAccount";

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let Prop::Known(m) = lookup(&acct.body, PUBLIC_ACCESS.keys) else {
            continue;
        };
        if str_in(m, &["Disabled"]) != Some(true) {
            continue;
        }
        let Some(e) = ctx.graph.index.of_resource(acct) else {
            continue;
        };
        let cover = Coverage::of(ctx, e);
        // Silent when an endpoint that may exist, or whose target or group ids are not known,
        // could be the account's (D36).
        if cover.covers(GROUP) != Some(false) {
            continue;
        }
        let others: Vec<_> = cover.others(GROUP).collect();
        let serves = if others.is_empty() {
            ""
        } else {
            " (the private endpoints in scope that target it carry other group ids)"
        };
        let says = Message::from(format!(
            "{} has public network access disabled but no private endpoint with group id {GROUP} targets it{serves}, so no client can reach the account's API.",
            who(acct)
        ))
        .help(format!(
            "Add a private endpoint for the account with subresource {GROUP}."
        ));
        let mut f = cx.report(At::member(acct, m), says);
        for l in others {
            f = f.related(l.span, endpoint_note(l));
        }
    }
}
