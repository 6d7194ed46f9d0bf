//! ML009: local authentication left enabled on an ML compute.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, found_assignment, name, who, At, Checker};
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML009",
        name: "LocalAuthenticationEnabledOnCompute",
        title: "Local authentication enabled on compute",
        level: Level::Warning,
        security_severity: "4.0",
        tags: &["security", "identity", "ml"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[
            "Azure Policy e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f",
            "Checkov CKV_AZURE_142",
            "PSRule Azure.ML.DisableLocalAuth (AZR-000404)",
        ],
        needs: &[],
        doc: include_str!("../../../rules/ML009.md"),
    },
    check,
};

const DISABLE_LOCAL_AUTH: PropPath = PropPath::new(&["properties", "disableLocalAuth"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for c in ctx.of_type(types::ML_COMPUTE) {
        let fix = format!(
            "Set {} and use Microsoft Entra ID.",
            assignment(c, DISABLE_LOCAL_AUTH, &json!(true))
        );
        let (at, says) = match lookup(&c.body, DISABLE_LOCAL_AUTH.keys) {
            Prop::Absent => (
                At::resource(c),
                Message::from(format!(
                    "{} leaves {} at its default, so local authentication stays enabled.",
                    who(c),
                    name(c, DISABLE_LOCAL_AUTH)
                ))
                .help(fix),
            ),
            Prop::Known(m) if m.value.as_bool() == Some(false) => (
                At::member(c, m),
                Message::new()
                    .text(format!("{} sets ", who(c)))
                    .append(found_assignment(c, DISABLE_LOCAL_AUTH, m, &json!(false)))
                    .text(".")
                    .help(fix),
            ),
            _ => continue,
        };
        cx.report(at, says)
            .fix(Fix::set(DISABLE_LOCAL_AUTH.keys, json!(true)));
    }
}
