//! BATCH011: a Batch pool NAT endpoint is open to the internet, or not explicitly restricted.

use crate::findings::{Fix, Level, Message};
use crate::ir::types;
use crate::ir::Resource;
use crate::net::address::{contains, Probe};
use crate::net::nsg::{Access, NsgRule};
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::exposure::{
    allow_finding, nat_exposures, nat_name, nat_pool_path, Layered,
};
use crate::rules::query::pool::{
    effective_api_date, max_endpoint_priority, nat_pools, quoted_name,
};
use crate::rules::query::URI_RA;
use crate::rules::{Rule, RuleMeta};
use crate::tri::Tri;
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH011",
        name: "NatEndpointOpenOrNotExplicitlyRestricted",
        title: "NAT endpoint open or not explicitly restricted",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network", "batch"],
        precision: "high",
        help_uri: URI_RA,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH011.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let exposures = nat_exposures(ctx, pool);
        // Computed once per pool: it reads every endpoint rule of the pool.
        let mut free = None;
        for x in &exposures {
            match x.outcome {
                // (a) open to the internet on a port outside the remote-access set.
                Layered::Allow { .. } if !ctx.options.remote_access_ports.contains(&x.port) => {
                    allow_finding(cx, pool, x, "open to the internet: ");
                }
                // (b) rules that all resolved and none matched the internet (D1).
                Layered::Unrestricted => {
                    let Some(rules) = x.nat.member("networkSecurityGroupRules") else {
                        continue;
                    };
                    let allow_rules: Vec<&NsgRule> =
                        x.endpoint.list.as_ref().map_or(Vec::new(), |l| {
                            l.user_rules()
                                .iter()
                                .filter(|r| r.access == Some(Access::Allow))
                                .collect()
                        });
                    // An Allow whose source takes in the internet (a broad prefix too, under
                    // `broad_prefix_max`, as in the verdict) misses it by its source ports.
                    let broad = ctx.options.broad_prefix_max;
                    let by_ports = allow_rules.iter().any(|r| {
                        r.sources
                            .iter()
                            .any(|e| contains(&e.prefix, &Probe::Internet, broad) == Tri::Yes)
                    });
                    let what = if by_ports {
                        "allow only some source ports, so none of them matches"
                    } else if !allow_rules.is_empty() {
                        "allow specific sources but none of them matches"
                    } else {
                        "only deny specific sources, and none of them matches"
                    };
                    let says = Message::new()
                        .text("not explicitly restricted: the endpoint rules of NAT pool '")
                        .append(quoted_name(x.nat))
                        .text(format!(
                            "' of {} (backend port {}) {what} the rest of {}",
                            who(pool),
                            x.port,
                            x.reach.internet(),
                        ))
                        .append(x.reach.note())
                        .text(", and what the service does then is not documented.")
                        .help("End the list with a Deny of `*` at the highest priority number.");
                    let mut path = nat_pool_path(x);
                    path.push("networkSecurityGroupRules".into());
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    let deny = json!({
                        "priority": *free.get_or_insert_with(|| free_priority(pool)),
                        "access": "Deny",
                        "sourceAddressPrefix": "*",
                    });
                    let mut f = cx
                        .report(At::member(pool, rules), says)
                        .discriminator(format!("{}:{}", nat_name(x.nat), x.port))
                        .fix(Fix::default().and_add(&path, deny));
                    if let Some((at, says)) = x.reach.related() {
                        f = f.related(at, says);
                    }
                    if let Some(list) = &x.endpoint.list {
                        for r in list
                            .user_rules()
                            .iter()
                            .filter(|r| r.access == Some(Access::Allow))
                        {
                            let at = r.sources.first().and_then(|s| s.span).unwrap_or(r.anchor);
                            f = f.related(
                                at,
                                format!("allow rule (priority {})", r.priority.unwrap_or(0)),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The highest endpoint rule priority the pool's API allows that none of its endpoint rules
/// uses (priorities are unique across the pool's NAT pools).
fn free_priority(pool: &Resource) -> i64 {
    let used: std::collections::HashSet<i64> = nat_pools(pool)
        .unwrap_or_default()
        .iter()
        .filter_map(|nat| nat.get("networkSecurityGroupRules"))
        .flat_map(|rules| rules.items())
        .filter_map(|r| r.get("priority").and_then(|p| p.as_i64()))
        .collect();
    let mut p = max_endpoint_priority(effective_api_date(pool));
    while used.contains(&p) {
        p -= 1;
    }
    p
}
