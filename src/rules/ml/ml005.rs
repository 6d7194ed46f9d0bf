//! ML005: network keys that batch endpoints and their deployments do not support.

use crate::findings::{Fix, Level, Message};
use crate::graph::links::Link;
use crate::ir::spelling::{Need, PropPath};
use crate::ir::{types, Resource};
use crate::rules::checker::{name, who, At, Checker};
use crate::rules::query::{lookup, Prop, URI_BE};
use crate::rules::{Ctx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML005",
        name: "UnsupportedNetworkKeysOnBatchEndpoint",
        title: "Unsupported network keys on batch endpoint",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["correctness", "ml"],
        precision: "very-high",
        help_uri: URI_BE,
        peers: &[],
        needs: &[Need::Type(types::ML_BATCH_ENDPOINT)],
        doc: include_str!("../../../rules/ML005.md"),
    },
    check,
};

/// Where a workspace sets public network access, which batch endpoints follow.
const WORKSPACE_ACCESS: [&str; 2] = ["properties", "publicNetworkAccess"];

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (rtype, key, what) in [
        (
            types::ML_BATCH_ENDPOINT,
            "publicNetworkAccess",
            "batch endpoint",
        ),
        (
            types::ML_BATCH_DEPLOYMENT,
            "egressPublicNetworkAccess",
            "batch deployment",
        ),
    ] {
        for r in ctx.of_type(rtype) {
            let path = ["properties", key];
            // An unknown value may still turn out to be null, which removes the key.
            let Prop::Known(m) = lookup(&r.body, &path) else {
                continue;
            };
            let written = name(r, PropPath::of(&path));
            // The workspace's own spelling, when the endpoint's workspace is in scope.
            let workspace = workspace_of(ctx, r).map_or_else(
                || PropPath::of(&WORKSPACE_ACCESS).arm_name(),
                |ws| name(ws, PropPath::of(&WORKSPACE_ACCESS)),
            );
            let says = Message::from(format!("{what} {} sets {written}, which batch endpoints do not support; they follow the network settings of their workspace.", who(r))).help(format!("Remove {written} and set {workspace} on the workspace instead."));
            cx.report(At::member(r, m), says).fix(Fix::remove(&path));
        }
    }
}

/// The workspace of a batch endpoint or deployment (whose parent is its endpoint), when it is in
/// scope.
fn workspace_of<'a>(ctx: &Ctx<'a>, r: &Resource) -> Option<&'a Resource> {
    let g = ctx.graph;
    let mut at = g.parent_of(r);
    for _ in 0..2 {
        let Link::Entity(e) = at else {
            return None;
        };
        let p = g.index.get(e).resource;
        if p.is_type(types::ML_WORKSPACE) {
            return Some(p);
        }
        at = g.parent_of(p);
    }
    None
}
