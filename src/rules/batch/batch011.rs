//! BATCH011: a Batch pool NAT endpoint is open to the internet, or not explicitly restricted.

use crate::findings::Level;
use crate::ir::types;
use crate::net::nsg::Access;
use crate::rules::checker::Checker;
use crate::rules::query::exposure::allow_finding;
use crate::rules::query::exposure::{nat_exposures, nat_name, Layered};
use crate::rules::query::{finding, related, URI_RA};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH011",
        name: "BatchNatEndpointNotRestricted",
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
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for pool in ctx.of_type(types::BATCH_POOL) {
        for x in nat_exposures(ctx, pool) {
            match x.outcome {
                // (a) open to the internet on a port outside the remote-access set.
                Layered::Allow { .. } if !ctx.options.remote_access_ports.contains(&x.port) => {
                    let mut f = allow_finding(ctx, meta, pool, &x);
                    f.message = f
                        .message
                        .as_str()
                        .replacen(
                            meta.title,
                            &format!("{}: open to the internet", meta.title),
                            1,
                        )
                        .into();
                    out.push(f);
                }
                // (b) rules that all resolved and none matched the internet (D1).
                Layered::Unrestricted => {
                    let Some(rules) = x.nat.member("networkSecurityGroupRules") else {
                        continue;
                    };
                    let mut f = finding(
                        meta,
                        rules.location(),
                        format!(
                            "{}: not explicitly restricted: the endpoint rules of NAT pool '{}' of {} (backend port {}) allow specific sources but none of them matches the rest of the internet, and what the service does then is not documented. End the list with a Deny of `*` at the highest priority number.",
                            meta.title,
                            nat_name(x.nat),
                            pool.display(),
                            x.port
                        ),
                    );
                    if let Some(list) = &x.endpoint.list {
                        for r in list
                            .user_rules()
                            .iter()
                            .filter(|r| r.access == Some(Access::Allow))
                        {
                            let at = r.sources.first().and_then(|s| s.span).unwrap_or(r.anchor);
                            f.related.push(related(
                                at,
                                format!("allow rule (priority {})", r.priority.unwrap_or(0)),
                            ));
                        }
                    }
                    f.discriminator = format!("{}:{}", nat_name(x.nat), x.port);
                    out.push(f);
                }
                _ => {}
            }
        }
    }
}
