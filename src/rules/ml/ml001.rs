//! ML001: Azure ML workspace public network access enabled, or allowed behind a virtual network
//! on an otherwise private workspace; a hub's project is judged through its hub (D35).

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::{Member, Resource};
use crate::rules::checker::{assignment, name, quote, who, At, Checker};
use crate::rules::query::endpoints::Coverage;
use crate::rules::query::ml::workspaces;
use crate::rules::query::{lookup, str_in, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML001",
        name: "WorkspacePublicNetworkAccessEnabled",
        title: "Workspace public network access enabled",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network", "ml"],
        precision: "very-high",
        help_uri: URI_BE,
        peers: &[
            "Azure Policy 438c38d2-3772-465a-a9cc-7a6666a275ce",
            "Checkov CKV_AZURE_144",
            "Checkov CKV2_AZURE_49",
            "PSRule Azure.ML.PublicAccess (AZR-000406)",
        ],
        needs: &[],
        doc: include_str!("../../../rules/ML001.md"),
    },
    check,
};

const PUBLIC_ACCESS: PropPath = PropPath::new(&["properties", "publicNetworkAccess"], 1);
const BEHIND_VNET: PropPath = PropPath::new(&["properties", "allowPublicAccessWhenBehindVnet"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    // A hub's project shares its hub's network access: the hub is judged (D35).
    for ws in workspaces(ctx) {
        let disabled = json!("Disabled");
        let fix = format!(
            "Set {} and use private endpoints; batch endpoints then become private too.",
            assignment(ws, PUBLIC_ACCESS, &disabled)
        );
        let (at, says) = match lookup(&ws.body, PUBLIC_ACCESS.keys) {
            Prop::Absent => (
                At::resource(ws),
                Message::from(format!(
                    "{} leaves public network access at its default, Enabled.",
                    who(ws)
                ))
                .help(fix),
            ),
            Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => (
                At::whole(ws, m),
                Message::new()
                    .text(format!("{} sets public network access to ", who(ws)))
                    .value("Enabled", Some(m.value.span))
                    .text(".")
                    .help(fix),
            ),
            Prop::Known(m) if str_in(m, &["Disabled"]) == Some(true) => {
                behind_vnet(cx, ws, m);
                continue;
            }
            _ => continue,
        };
        // Without a private endpoint for the workspace, disabling public access leaves no way
        // in (ML002): the fix changes more than the finding.
        let reachable = ctx
            .graph
            .index
            .of_resource(ws)
            .and_then(|e| Coverage::of(ctx, e).covers("amlworkspace"));
        let mut fix = Fix::set(PUBLIC_ACCESS.keys, disabled);
        if reachable != Some(true) {
            fix = fix.changing(
                "no private endpoint reaches the workspace yet, so disabling public access \
                 leaves clients no way in",
            );
        }
        cx.report(at, says).fix(fix);
    }
}

/// A workspace that disables public network access but still allows public access to clients
/// behind a virtual network is not private.
fn behind_vnet(cx: &mut Checker, ws: &Resource, public_access: &Member) {
    let Prop::Known(m) = lookup(&ws.body, BEHIND_VNET.keys) else {
        return;
    };
    if m.value.as_bool() != Some(true) {
        return;
    }
    let off = json!(false);
    let says = Message::new()
        .text(format!(
            "{} disables public network access but sets ",
            who(ws)
        ))
        .text(name(ws, BEHIND_VNET))
        .text(" to ")
        .append(quote(&m.value))
        .text(", which still admits public traffic to the workspace.")
        .help(format!(
            "Set {} and reach the workspace through its private endpoints.",
            assignment(ws, BEHIND_VNET, &off)
        ));
    cx.report(At::whole(ws, m), says)
        .related(public_access.location(), "public network access Disabled")
        .fix(Fix::set(BEHIND_VNET.keys, off));
}
