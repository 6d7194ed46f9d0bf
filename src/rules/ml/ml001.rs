//! ML001: Azure ML workspace public network access enabled.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, str_in, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML001",
        name: "MlWorkspacePublicNetworkAccess",
        title: "Workspace public network access enabled",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network", "ml"],
        precision: "very-high",
        help_uri: URI_BE,
        peers: &[
            "Azure Policy 438c38d2-3772-465a-a9cc-7a6666a275ce",
            "Checkov CKV_AZURE_144",
            "Checkov CKV2_AZURE_49",
            "PSRule Azure.ML.PublicAccess (AZR-000406)",
        ],
        needs: &[],
        doc: include_str!("../../../rules/ML001.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Set publicNetworkAccess to Disabled (azurerm: public_network_access_enabled = false) and use private endpoints; batch endpoints then become private too.";
    for ws in ctx.of_type(types::ML_WORKSPACE) {
        match prop(ws, &["properties", "publicNetworkAccess"]) {
            Prop::Absent => out.push(finding(
                meta,
                ws.header,
                format!(
                    "{}: {} leaves public network access at its default, Enabled. {fix}",
                    meta.title,
                    ws.display()
                ),
            )),
            Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => out.push(finding(
                meta,
                m.span(),
                format!(
                    "{}: {} sets public network access to Enabled. {fix}",
                    meta.title,
                    ws.display()
                ),
            )),
            _ => {}
        }
    }
}
