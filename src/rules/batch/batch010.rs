//! BATCH010: a Batch pool NAT endpoint exposes SSH/RDP to the internet.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::exposure::allow_finding;
use crate::rules::query::exposure::{nat_exposures, Layered};
use crate::rules::query::URI_RA;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH010",
        name: "NatEndpointExposesSshRdpToInternet",
        title: "NAT endpoint exposes SSH/RDP to the internet",
        level: Level::Error,
        security_severity: "8.1",
        tags: &["security", "network", "batch"],
        precision: "high",
        help_uri: URI_RA,
        peers: &[
            "Checkov CKV_AZURE_10",
            "Checkov CKV_AZURE_9",
            "Trivy AVD-AZU-0050",
            "Trivy AVD-AZU-0048",
            "KICS 3e3c175e-aadf-4e2b-a464-3fdac5748d24",
            "KICS efbf6449-5ec5-4cfe-8f15-acc51e0d787c",
        ],
        needs: &[],
        doc: include_str!("../../../rules/BATCH010.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        for x in nat_exposures(ctx, pool) {
            if matches!(x.outcome, Layered::Allow { .. })
                && ctx.options.remote_access_ports.contains(&x.port)
            {
                allow_finding(cx, pool, &x, "");
            }
        }
    }
}
