//! ML007: Azure ML compute with public node IPs.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, str_in, Prop, URI_NT};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML007",
        name: "MlComputeHasPublicIp",
        title: "Compute has public IP",
        level: Level::Warning,
        security_severity: "4.3",
        tags: &["security", "network", "ml"],
        precision: "very-high",
        help_uri: URI_NT,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML007.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Set enableNodePublicIp to false (azurerm: node_public_ip_enabled = false) and place the compute in a subnet with explicit outbound access.";
    for c in ctx.of_type(types::ML_COMPUTE) {
        // Only AmlCompute clusters and compute instances have node public IPs.
        let Prop::Known(kind) = prop(c, &["properties", "computeType"]) else {
            continue;
        };
        if str_in(kind, &["AmlCompute", "ComputeInstance"]) != Some(true) {
            continue;
        }
        match prop(c, &["properties", "properties", "enableNodePublicIp"]) {
            Prop::Absent => out.push(finding(
                meta,
                c.header,
                format!("{}: {} leaves enableNodePublicIp at its default, true, so its nodes get public IPs. {fix}", meta.title, c.display()),
            )),
            Prop::Known(m) if m.value.as_bool() == Some(true) => out.push(finding(
                meta,
                m.span(),
                format!("{}: {} enables node public IPs. {fix}", meta.title, c.display()),
            )),
            _ => {}
        }
    }
}
