//! ML010: the subnet NSG of public-IP Azure ML compute denies the inbound job-submission traffic
//! from `AzureMachineLearning` on TCP 44224.

use crate::findings::{Level, Message};
use crate::rules::checker::{who, Checker};
use crate::rules::query::traffic::{denials, report_denial, site, Required};
use crate::rules::query::workloads::{
    compute_public_ip, in_customer_subnet, ml_computes, COMPUTE_SUBNET,
};
use crate::rules::query::URI_NT;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML010",
        name: "RequiredInboundAzureMachineLearning44224Blocked",
        title: "Required inbound AzureMachineLearning:44224 blocked",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["availability", "network", "ml"],
        precision: "high",
        help_uri: URI_NT,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML010.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (c, kind) in ml_computes(ctx) {
        if compute_public_ip(c) != Some(true) || in_customer_subnet(ctx, c) != Some(true) {
            continue;
        }
        let Some(site) = site(ctx, c, &COMPUTE_SUBNET) else {
            continue;
        };
        for d in denials(
            ctx,
            &site,
            &Required::inbound("AzureMachineLearning", 44224),
        ) {
            let says = Message::new()
                .text(format!(
                    "{} is a {} with public IPs in a customer subnet, and ",
                    who(c),
                    kind.noun(),
                ))
                .append(d.text.clone())
                .text(" denies inbound TCP port 44224 from `AzureMachineLearning`, so jobs cannot be submitted to it.")
                .help("Allow TCP 44224 from the AzureMachineLearning service tag at a lower priority number than that rule, or disable the node public IPs.");
            report_denial(cx, &d, &site, says)
                .about(c)
                .discriminator(who(c));
        }
    }
}
