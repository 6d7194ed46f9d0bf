//! ML002: a private workspace (or one with any private endpoint) whose workspace, Key Vault or
//! container registry lacks a private endpoint, or that has no container registry (D31, D9). A
//! hub's project is judged through its hub (D35); an endpoint that may exist keeps it silent
//! (D36).

use crate::findings::{Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{name, who, At, Checker};
use crate::rules::query::endpoints::{endpoint_note, Coverage};
use crate::rules::query::ml::{dependency, is_private, workspaces, Dependency};
use crate::rules::query::{lookup, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML002",
        name: "PrivateWorkspaceOrDependenciesLackPrivateEndpoints",
        title: "Private workspace or dependencies lack private endpoints",
        level: Level::Warning,
        security_severity: "4.3",
        tags: &["security", "network", "ml"],
        precision: "high",
        help_uri: URI_BE,
        peers: &[
            "Azure Policy 45e05259-1eb5-4f70-9574-baf73e9d219b",
            "Azure Policy e8eef0a8-67cf-4eb4-9386-14b0e78733d4 (ACR)",
            "Checkov CKV_AZURE_243",
        ],
        needs: &[],
        doc: include_str!("../../../rules/ML002.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for ws in workspaces(ctx) {
        let Some(ws_entity) = ctx.graph.index.of_resource(ws) else {
            continue;
        };
        let own = Coverage::of(ctx, ws_entity);
        let private = is_private(ws);
        // D31: private, or any private endpoint on the workspace.
        if private != Some(true) && own.any() != Some(true) {
            continue;
        }
        let why = if private == Some(true) {
            "has public network access disabled"
        } else {
            "has a private endpoint"
        };

        // The workspace's own endpoint (group id amlworkspace).
        if own.covers("amlworkspace") == Some(false) {
            let at = match lookup(&ws.body, &["properties", "publicNetworkAccess"]) {
                Prop::Known(m) => At::member(ws, m),
                _ => At::resource(ws),
            };
            let says = Message::from(format!(
                "{} {why} but no private endpoint with group id amlworkspace targets it.",
                who(ws)
            ))
            .help("Add a private endpoint for the workspace with subresource amlworkspace.");
            let mut f = cx.report(at, says).discriminator("amlworkspace");
            for l in &own.links {
                f = f.related(l.span, endpoint_note(l));
            }
        }

        // Key Vault and container registry in scope need their own endpoints.
        for (key, rtype, group, what) in [
            ("keyVault", types::KEY_VAULT, "vault", "Key Vault"),
            (
                "containerRegistry",
                types::CONTAINER_REGISTRY,
                "registry",
                "container registry",
            ),
        ] {
            let Dependency::InScope(m, dep) = dependency(ctx, ws, key, rtype) else {
                continue;
            };
            let cover = Coverage::of(ctx, dep);
            if cover.covers(group) != Some(false) {
                continue;
            }
            let d = ctx.graph.index.get(dep).resource;
            let says = Message::from(format!(
                "{} {why} but its {what} {} has no private endpoint with group id {group}.",
                who(ws),
                who(d)
            ))
            .help(format!(
                "Add a private endpoint for the {what} with subresource {group}."
            ));
            let mut f = cx
                .report(At::member(ws, m), says)
                .discriminator(group)
                .related(d.header, format!("{what} {}", who(d)));
            for l in &cover.links {
                f = f.related(l.span, endpoint_note(l));
            }
        }

        // A private workspace needs a container registry (D30: header when absent).
        if let Dependency::Absent =
            dependency(ctx, ws, "containerRegistry", types::CONTAINER_REGISTRY)
        {
            let registry = name(ws, PropPath::of(&["properties", "containerRegistry"]));
            let says = Message::from(format!("{} {why} but names no container registry, which a network-isolated workspace requires.", who(ws))).help(format!("Set {registry} to a registry reachable through a private endpoint."));
            cx.report(At::resource(ws), says)
                .discriminator("containerRegistry");
        }
    }
}
