//! ML004: the container registry of a private workspace has quarantine enabled (D4, D13).

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, who, At, Checker};
use crate::rules::query::ml::{dependency, private_batch_workspaces, Dependency};
use crate::rules::query::{lookup, str_in, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML004",
        name: "WorkspaceRegistryHasQuarantineEnabled",
        title: "Workspace registry has quarantine enabled",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["availability", "correctness", "ml"],
        precision: "high",
        help_uri: URI_BE,
        peers: &[
            "Conflicts with Checkov CKV_AZURE_166",
            "Conflicts with PSRule Azure.ACR.Quarantine",
        ],
        needs: &[],
        doc: include_str!("../../../rules/ML004.md"),
    },
    check,
};

const QUARANTINE: PropPath =
    PropPath::new(&["properties", "policies", "quarantinePolicy", "status"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    // One result per registry, however many private workspaces share it.
    let mut by_registry: Vec<(usize, Vec<(String, crate::ir::Span)>)> = Vec::new();
    for (ws, _) in private_batch_workspaces(ctx) {
        let Dependency::InScope(m, acr) =
            dependency(ctx, ws, "containerRegistry", types::CONTAINER_REGISTRY)
        else {
            continue;
        };
        let entry = (who(ws), m.location());
        match by_registry.iter_mut().find(|(r, _)| *r == acr) {
            Some((_, refs)) => refs.push(entry),
            None => by_registry.push((acr, vec![entry])),
        }
    }
    for (acr, refs) in by_registry {
        let r = ctx.graph.index.get(acr).resource;
        let Prop::Known(q) = lookup(&r.body, QUARANTINE.keys) else {
            continue;
        };
        if str_in(q, &["enabled"]) != Some(true) {
            continue;
        }
        let names: Vec<&str> = refs.iter().map(|(n, _)| n.as_str()).collect();
        let disabled = json!("disabled");
        let says = Message::from(format!("container registry {} has quarantine enabled and serves private workspace {}; batch endpoints do not support quarantined registries.", who(r), names.join(", "))).help(format!("Set {} or give batch workloads a dedicated registry.", assignment(r, QUARANTINE, &disabled)));
        let mut f = cx
            .report(At::member(r, q), says)
            .fix(Fix::set(QUARANTINE.keys, disabled));
        for (n, span) in &refs {
            f = f.related(*span, format!("registry reference of {n}"));
        }
    }
}
