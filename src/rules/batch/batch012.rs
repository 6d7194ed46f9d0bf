//! BATCH012: an endpoint NSG rule of a Batch pool's NAT pool that an earlier rule of the same NAT
//! pool fully covers, so it never takes effect (rules/BATCH012.md, §1.3, §1.7).

use crate::findings::Message;
use crate::ir::types;
use crate::net::batch::endpoint_rule;
use crate::net::nsg::NsgRule;
use crate::net::shadow::shadowed_pairs;
use crate::rules::checker::{quote, who, Checker};
use crate::rules::query::shadow::{shadow_finding, Names};
use crate::rules::query::{lookup, Prop, URI_RA};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH012",
        name: "ShadowedEndpointNsgRule",
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

const NAT_POOLS: [&str; 4] = [
    "properties",
    "networkConfiguration",
    "endpointConfiguration",
    "inboundNatPools",
];

fn label(r: &NsgRule) -> String {
    match r.priority {
        Some(p) => format!("endpoint rule at priority {p}"),
        None => "endpoint rule at an unresolved priority".into(),
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let redundant = ctx.options.redundant_rules;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Prop::Known(nat_pools) = lookup(&pool.body, &NAT_POOLS) else {
            continue;
        };
        for nat in nat_pools.value.items() {
            let Some(list) = nat.get("networkSecurityGroupRules") else {
                continue;
            };
            let rules: Vec<NsgRule> = list.items().iter().map(endpoint_rule).collect();
            let nat_name = match nat.get("name") {
                Some(n) if n.as_str().is_some() => quote(n),
                _ => Message::new().text("?"),
            };
            let what = Message::new()
                .text("of NAT pool '")
                .append(nat_name)
                .text(format!("' in {}", who(pool)));
            let found = shadowed_pairs(&rules, ctx.options.broad_prefix_max);
            if let Some((checked, total)) = found.stopped {
                ctx.limit(
                    list.span,
                    format!(
                        "this NAT pool has {total} endpoint rules with a priority (Batch allows at \
                         most 25): BATCH012 compared the first {checked} in priority order for \
                         shadowing and stopped at its limit of {} comparisons; later rules were \
                         not checked",
                        crate::net::shadow::MAX_COMPARISONS
                    ),
                );
            }
            for (b, a) in found.pairs {
                let (a, b) = (&rules[a], &rules[b]);
                let names = Names {
                    b: Message::new().text(label(b)),
                    a: Message::new().text(label(a)),
                    what: what.clone(),
                };
                shadow_finding(cx, pool, a, b, redundant, names);
            }
        }
    }
}
