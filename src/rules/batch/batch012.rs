//! BATCH012: an endpoint NSG rule of a Batch pool's NAT pool that an earlier rule of the same NAT
//! pool fully covers, so it never takes effect (spec BATCH012, §1.7).

use crate::ir::types;
use crate::net::batch::endpoint_rule;
use crate::net::nsg::NsgRule;
use crate::net::shadow::shadowed_pairs;
use crate::rules::checker::Checker;
use crate::rules::query::shadow::shadow_finding;
use crate::rules::query::{prop, Prop, URI_RA};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH012",
        name: "BatchEndpointRuleShadowed",
        title: "Shadowed endpoint NSG rule",
        level: crate::findings::Level::Warning,
        security_severity: "4.0",
        tags: &["security", "network", "batch", "correctness"],
        precision: "high",
        help_uri: URI_RA,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH012.md"),
    },
    check,
};

fn label(r: &NsgRule) -> String {
    match r.priority {
        Some(p) => format!("endpoint rule at priority {p}"),
        None => "endpoint rule at an unresolved priority".into(),
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Prop::Known(nat_pools) = prop(
            pool,
            &[
                "properties",
                "networkConfiguration",
                "endpointConfiguration",
                "inboundNatPools",
            ],
        ) else {
            continue;
        };
        for nat in nat_pools.value.items() {
            let Some(list) = nat.get("networkSecurityGroupRules") else {
                continue;
            };
            let rules: Vec<NsgRule> = list.items().iter().map(endpoint_rule).collect();
            let nat_name = nat.get("name").and_then(|n| n.as_str()).unwrap_or("?");
            let what = format!("of NAT pool '{nat_name}' in {}", pool.display());
            for (b, a) in shadowed_pairs(&rules, ctx.options.broad_prefix_max) {
                let (a, b) = (&rules[a], &rules[b]);
                let labels = (label(b), label(a));
                let redundant = ctx.options.redundant_rules;
                out.extend(shadow_finding(
                    meta,
                    a,
                    b,
                    redundant,
                    (&labels.0, &labels.1),
                    &what,
                ));
            }
        }
    }
}
