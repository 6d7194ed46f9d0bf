//! ML006: compute outside a virtual network in a workspace without a managed network.

use crate::findings::Level;
use crate::graph::links::Link;
use crate::rules::checker::Checker;
use crate::rules::query::ml::{compute_subnet, computes, ComputeSubnet};
use crate::rules::query::{finding, prop, related, str_in, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML006",
        name: "MlComputeNotInVirtualNetwork",
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

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Place the compute in a subnet (subnet.id; azurerm: subnet_resource_id), or give the workspace a managed network (managedNetwork.isolationMode).";
    for (c, _) in computes(ctx) {
        let at = match compute_subnet(c) {
            ComputeSubnet::Absent => c.header,
            ComputeSubnet::NoId(m) => m.location(),
            ComputeSubnet::Set | ComputeSubnet::Unknown => continue,
        };
        // The workspace must resolve, without a managed network.
        let Link::Entity(w) = ctx.graph.parent_of(c) else {
            continue;
        };
        let ws = ctx.graph.index.get(w).resource;
        let mode = match prop(ws, &["properties", "managedNetwork", "isolationMode"]) {
            Prop::Absent => None,
            Prop::Known(m) if str_in(m, &["Disabled"]) == Some(true) => Some(m),
            _ => continue,
        };
        let mut f = finding(
            meta,
            at,
            format!(
                "{}: {} has no subnet and its workspace {} has no managed network (isolation mode {}). {fix}",
                meta.title,
                c.display(),
                ws.display(),
                if mode.is_some() { "Disabled" } else { "absent" }
            ),
        );
        f.related.push(match mode {
            Some(m) => related(m.location(), "managed network isolation mode Disabled"),
            None => related(ws.header, format!("workspace {}", ws.display())),
        });
        out.push(f);
    }
}
