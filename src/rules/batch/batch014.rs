//! BATCH014: Batch pool nodes have public IPs.

use crate::findings::Message;
use crate::findings::{Fix, Level};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, who, At, Checker};
use crate::rules::query::exposure::{is_public, nat_exposures, Layered, PROVISION};
use crate::rules::query::pool::element_anchor;
use crate::rules::query::pool::nat_pool;
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH014",
        name: "PoolNodesHavePublicIps",
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

const SUBNET: [&str; 3] = ["properties", "networkConfiguration", "subnetId"];
const ENDPOINTS: [&str; 3] = [
    "properties",
    "networkConfiguration",
    "endpointConfiguration",
];

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let none = json!("NoPublicIPAddresses");
    for pool in ctx.of_type(types::BATCH_POOL) {
        if is_public(pool) != Some(true) {
            continue;
        }
        let fix = format!(
            "Set {} with a subnet, and reach nodes through the virtual network.",
            assignment(pool, PropPath::new(&PROVISION, 2), &none)
        );
        let (at, how) = match lookup(&pool.body, &PROVISION) {
            Prop::Known(m) => (At::member(pool, m), "provisions public IPs for its nodes"),
            _ => (
                At::resource(pool),
                "leaves public IP provisioning at its default, BatchManaged",
            ),
        };
        let exposing: Vec<_> = nat_exposures(ctx, pool)
            .into_iter()
            .filter(|x| matches!(x.outcome, Layered::Allow { .. } | Layered::Unrestricted))
            .collect();
        let says = if exposing.is_empty() {
            format!("{} {how}.", who(pool))
        } else {
            format!(
                "{} {how}, and NAT endpoints are open to the internet through them.",
                who(pool)
            )
        };
        let mut f = cx.report(at, Message::from(says).help(fix));
        // Nodes without public IPs need a subnet: the fix is offered where one is set. NAT
        // endpoints cannot stay on such a pool, so where the pool has some the fix removes them
        // too, which changes more than the finding.
        if !matches!(lookup(&pool.body, &SUBNET), Prop::Absent) {
            let mut fix = Fix::set(&PROVISION, none.clone());
            if !matches!(lookup(&pool.body, &ENDPOINTS), Prop::Absent) {
                fix = fix
                    .and_remove(&ENDPOINTS)
                    .changing("the pool's NAT endpoints are removed with its public IPs");
            }
            f = f.fix(fix);
        }
        if !exposing.is_empty() {
            // BATCH010 or BATCH011 fires on this pool: the public IPs are reachable.
            f = f.level(Level::Warning);
        }
        for x in exposing {
            f = f.related(
                element_anchor(x.nat),
                Message::new()
                    .text("exposing ")
                    .append(nat_pool(x.nat))
                    .text(format!(" (backend port {})", x.port)),
            );
        }
    }
}
