//! ML004: the container registry of a private workspace has quarantine enabled (D4, D13).

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::ml::{dependency, private_batch_workspaces, Dependency};
use crate::rules::query::{finding, prop, related, str_in, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML004",
        name: "MlRegistryQuarantineEnabled",
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

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    // One result per registry, however many private workspaces share it.
    let mut by_registry: Vec<(usize, Vec<(String, crate::ir::Span)>)> = Vec::new();
    for (ws, _) in private_batch_workspaces(ctx) {
        let Dependency::InScope(m, acr) =
            dependency(ctx, ws, "containerRegistry", types::CONTAINER_REGISTRY)
        else {
            continue;
        };
        let entry = (ws.display(), m.location());
        match by_registry.iter_mut().find(|(r, _)| *r == acr) {
            Some((_, refs)) => refs.push(entry),
            None => by_registry.push((acr, vec![entry])),
        }
    }
    for (acr, refs) in by_registry {
        let r = ctx.graph.index.get(acr).resource;
        let Prop::Known(q) = prop(r, &["properties", "policies", "quarantinePolicy", "status"])
        else {
            continue;
        };
        if str_in(q, &["enabled"]) != Some(true) {
            continue;
        }
        let names: Vec<&str> = refs.iter().map(|(n, _)| n.as_str()).collect();
        let mut f = finding(
            meta,
            q.location(),
            format!(
                "{}: container registry {} has quarantine enabled and serves private workspace {}; batch endpoints do not support quarantined registries. Disable quarantine (azurerm: quarantine_policy_enabled = false) or give batch workloads a dedicated registry.",
                meta.title,
                r.display(),
                names.join(", ")
            ),
        );
        f.related = refs
            .iter()
            .map(|(n, span)| related(*span, format!("registry reference of {n}")))
            .collect();
        out.push(f);
    }
}
