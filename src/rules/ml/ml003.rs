//! ML003: the storage account of a private workspace lacks blob, file, queue or table private
//! endpoints (D13, D31, D9); a hub's project is judged through its hub (D35), and an endpoint
//! that may exist keeps it silent (D36).

use crate::findings::{Level, Message};
use crate::ir::types;
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::endpoints::{endpoint_note, Coverage};
use crate::rules::query::ml::{dependency, private_batch_workspaces, Dependency};
use crate::rules::query::URI_BE;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML003",
        name: "StorageLacksBlobFileQueueTablePrivateEndpoints",
        title: "Storage lacks blob/file/queue/table private endpoints",
        level: Level::Error,
        security_severity: "3.0",
        tags: &["availability", "network", "ml"],
        precision: "high",
        help_uri: URI_BE,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML003.md"),
    },
    check,
};

/// The storage sub-resources batch deployments need private endpoints for.
pub const STORAGE_GROUPS: [&str; 4] = ["blob", "file", "queue", "table"];

/// The groups of `STORAGE_GROUPS` that are known to be missing; `None` when some are missing
/// but an endpoint that may exist, or whose group ids or target are not known, might supply them.
pub fn missing_groups(cover: &Coverage) -> Option<Vec<&'static str>> {
    let mut missing = Vec::new();
    for g in STORAGE_GROUPS {
        match cover.covers(g) {
            Some(true) => {}
            Some(false) => missing.push(g),
            None => return None,
        }
    }
    Some(missing)
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (ws, _) in private_batch_workspaces(ctx) {
        let Dependency::InScope(m, st) =
            dependency(ctx, ws, "storageAccount", types::STORAGE_ACCOUNT)
        else {
            continue;
        };
        let cover = Coverage::of(ctx, st);
        let Some(missing) = missing_groups(&cover) else {
            continue;
        };
        if missing.is_empty() {
            continue;
        }
        let s = ctx.graph.index.get(st).resource;
        let says = Message::from(format!("storage account {} of private workspace {} has no private endpoint for {}.", who(s), who(ws), missing.join(", "))).help("Add one private endpoint per missing sub-resource (group id) so that batch deployments can reach the storage.");
        let mut f = cx
            .report(At::member(ws, m), says)
            .related(s.header, format!("storage account {}", who(s)));
        for l in &cover.links {
            f = f.related(l.span, endpoint_note(l));
        }
    }
}
