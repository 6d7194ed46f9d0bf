//! BATCH014: Batch pool nodes have public IPs.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::exposure::{is_public, nat_exposures, nat_name, Layered, NC};
use crate::rules::query::{finding, prop, related, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH014",
        name: "BatchPoolNodesHavePublicIps",
        title: "Pool nodes have public IPs",
        level: Level::Note,
        security_severity: "3.7",
        tags: &["security", "network", "batch"],
        precision: "high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH014.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Set publicIPAddressConfiguration.provision to NoPublicIPAddresses (azurerm: public_address_provisioning_type = \"NoPublicIPAddresses\") with a subnet, and reach nodes through the virtual network.";
    for pool in ctx.of_type(types::BATCH_POOL) {
        if is_public(pool) != Some(true) {
            continue;
        }
        let (span, how) = match prop(
            pool,
            &[NC[0], NC[1], "publicIPAddressConfiguration", "provision"],
        ) {
            Prop::Known(m) => (m.span(), "provisions public IPs for its nodes"),
            _ => (
                pool.header,
                "leaves public IP provisioning at its default, BatchManaged",
            ),
        };
        let exposing: Vec<_> = nat_exposures(ctx, pool)
            .into_iter()
            .filter(|x| matches!(x.outcome, Layered::Allow { .. } | Layered::Unrestricted))
            .collect();
        let mut f = finding(
            meta,
            span,
            format!("{}: {} {how}. {fix}", meta.title, pool.display()),
        );
        if !exposing.is_empty() {
            // BATCH010 or BATCH011 fires on this pool: the public IPs are reachable.
            f.level = Level::Warning;
            f.message = format!(
                "{}: {} {how}, and NAT endpoints are open to the internet through them. {fix}",
                meta.title,
                pool.display()
            )
            .into();
        }
        for x in exposing {
            let at = x.nat.member("name").map_or(x.nat.span, |m| m.span());
            f.related.push(related(
                at,
                format!(
                    "exposing NAT pool '{}' (backend port {})",
                    nat_name(x.nat),
                    x.port
                ),
            ));
        }
        out.push(f);
    }
}
