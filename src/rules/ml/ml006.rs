//! ML006: compute outside a virtual network in a workspace without a managed network (for a
//! hub's project, the hub's; D35).

use crate::findings::{Level, Message};
use crate::graph::links::Link;
use crate::ir::spelling::PropPath;
use crate::rules::checker::{name, who, At, Checker};
use crate::rules::query::ml::{compute_subnet, computes, network_workspace, ComputeSubnet};
use crate::rules::query::{lookup, str_in, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML006",
        name: "ComputeNotInVirtualNetwork",
        title: "Compute not in a virtual network",
        level: Level::Warning,
        security_severity: "4.3",
        tags: &["security", "network", "ml"],
        precision: "high",
        help_uri: URI_BE,
        peers: &[
            "Azure Policy 7804b5c7-01dc-4723-969b-ae300cc07ff1",
            "PSRule Azure.ML.ComputeVnet (AZR-000405)",
        ],
        needs: &[],
        doc: include_str!("../../../rules/ML006.md"),
    },
    check,
};

const SUBNET_ID: PropPath = PropPath::new(&["properties", "properties", "subnet", "id"], 2);
const ISOLATION: PropPath = PropPath::new(&["properties", "managedNetwork", "isolationMode"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (c, _) in computes(ctx) {
        let at = match compute_subnet(c) {
            ComputeSubnet::Absent => At::resource(c),
            ComputeSubnet::NoId(m) => At::member(c, m),
            ComputeSubnet::Set | ComputeSubnet::Unknown => continue,
        };
        // The workspace must resolve, without a managed network; a hub's project has its
        // hub's network (D35).
        let Link::Entity(w) = ctx.graph.parent_of(c) else {
            continue;
        };
        let Some(ws) = network_workspace(ctx, ctx.graph.index.get(w).resource) else {
            continue;
        };
        let mode = match lookup(&ws.body, ISOLATION.keys) {
            Prop::Absent => None,
            Prop::Known(m) if str_in(m, &["Disabled"]) == Some(true) => Some(m),
            _ => continue,
        };
        let says = Message::from(format!(
            "{} has no subnet and its workspace {} has no managed network (isolation mode {}).",
            who(c),
            who(ws),
            if mode.is_some() { "Disabled" } else { "absent" }
        ))
        .help(format!(
            "Place the compute in a subnet ({}), or give the workspace a managed network ({}).",
            name(c, SUBNET_ID),
            name(ws, ISOLATION)
        ));
        let f = cx.report(at, says);
        match mode {
            Some(m) => f.related(m.location(), "managed network isolation mode Disabled"),
            None => f.related(ws.header, format!("workspace {}", who(ws))),
        };
    }
}
