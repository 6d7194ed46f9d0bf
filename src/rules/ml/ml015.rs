//! ML015: a workspace managed network that allows all internet outbound traffic.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, who, At, Checker};
use crate::rules::query::{lookup, str_in, Prop, URI_NT};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML015",
        name: "ManagedNetworkNotAllowOnlyApprovedOutbound",
        title: "Managed network not AllowOnlyApprovedOutbound",
        level: Level::Note,
        security_severity: "3.0",
        tags: &["security", "network", "ml"],
        precision: "very-high",
        help_uri: URI_NT,
        peers: &["Azure Policy 6ddb1705-c8cf-450e-aa4b-19ad6703c440"],
        needs: &[],
        doc: include_str!("../../../rules/ML015.md"),
    },
    check,
};

const ISOLATION: PropPath = PropPath::new(&["properties", "managedNetwork", "isolationMode"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for ws in ctx.of_type(types::ML_WORKSPACE) {
        let Prop::Known(m) = lookup(&ws.body, ISOLATION.keys) else {
            continue;
        };
        if str_in(m, &["AllowInternetOutbound"]) != Some(true) {
            continue;
        }
        let approved = json!("AllowOnlyApprovedOutbound");
        let says = Message::new()
            .text(format!(
                "the managed network of {} allows all outbound internet traffic (",
                who(ws)
            ))
            .value("AllowInternetOutbound", Some(m.value.span))
            .text(").")
            .help(format!(
                "Set {} and add outbound rules for the destinations the workspace needs.",
                assignment(ws, ISOLATION, &approved)
            ));
        cx.report(At::member(ws, m), says)
            .fix(Fix::set(ISOLATION.keys, approved));
    }
}
