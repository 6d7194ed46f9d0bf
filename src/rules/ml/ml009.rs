//! ML009: local authentication left enabled on an ML compute.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Syntax;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML009",
        name: "MlComputeLocalAuthEnabled",
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

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for c in ctx.of_type(types::ML_COMPUTE) {
        let azurerm = c.syntax == Syntax::Azurerm;
        let fix = if azurerm {
            "Set local_auth_enabled = false and use Microsoft Entra ID."
        } else {
            "Set disableLocalAuth to true and use Microsoft Entra ID."
        };
        match prop(c, &["properties", "disableLocalAuth"]) {
            Prop::Absent => {
                out.push(finding(
                    meta,
                    c.header,
                    format!(
                    "{}: {} leaves {} at its default, so local authentication stays enabled. {fix}",
                    meta.title,
                    c.display(),
                    if azurerm { "local_auth_enabled" } else { "disableLocalAuth" }
                ),
                ))
            }
            Prop::Known(m) if m.value.as_bool() == Some(false) => out.push(finding(
                meta,
                m.location(),
                format!(
                    "{}: {} {}. {fix}",
                    meta.title,
                    c.display(),
                    if azurerm {
                        "sets local_auth_enabled = true"
                    } else {
                        "sets disableLocalAuth to false"
                    }
                ),
            )),
            _ => {}
        }
    }
}
