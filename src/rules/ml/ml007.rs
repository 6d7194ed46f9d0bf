//! ML007: Azure ML compute with public node IPs.

use crate::findings::{Fix, Level, Message};
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::ml::{computes, NODE_PUBLIC_IP};
use crate::rules::query::{lookup, Prop, URI_NT};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML007",
        name: "ComputeHasPublicIp",
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
    let ctx = cx.ctx;
    for (c, _) in computes(ctx) {
        let off = json!(false);
        let fix = format!(
            "Set {} and place the compute in a subnet with explicit outbound access.",
            assignment(c, NODE_PUBLIC_IP, &off)
        );
        let (at, says) = match lookup(&c.body, NODE_PUBLIC_IP.keys) {
            Prop::Absent => (
                At::resource(c),
                Message::from(format!(
                    "{} leaves {} at its default, true, so its nodes get public IPs.",
                    who(c),
                    name(c, NODE_PUBLIC_IP)
                ))
                .help(fix),
            ),
            Prop::Known(m) if m.value.as_bool() == Some(true) => (
                At::whole(c, m),
                Message::from(format!("{} enables node public IPs.", who(c))).help(fix),
            ),
            _ => continue,
        };
        cx.report(at, says).fix(Fix::set(NODE_PUBLIC_IP.keys, off));
    }
}
