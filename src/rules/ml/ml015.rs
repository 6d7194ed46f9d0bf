//! ML015: a workspace managed network that allows all internet outbound traffic.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, str_in, Prop, URI_NT};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML015",
        name: "MlManagedNetworkAllowsInternetOutbound",
        title: "Managed network not AllowOnlyApprovedOutbound",
        level: Level::Note,
        security_severity: "3.0",
        tags: &["security", "network", "ml"],
        precision: "very-high",
        help_uri: URI_NT,
        peers: &["Azure Policy 6ddb1705-c8cf-450e-aa4b-19ad6703c440"],
        needs: &[],
        doc: include_str!("../../../rules/ML015.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for ws in ctx.of_type(types::ML_WORKSPACE) {
        let Prop::Known(m) = prop(ws, &["properties", "managedNetwork", "isolationMode"]) else {
            continue;
        };
        if str_in(m, &["AllowInternetOutbound"]) != Some(true) {
            continue;
        }
        out.push(finding(
            meta,
            m.location(),
            format!(
                "{}: the managed network of {} allows all outbound internet traffic (AllowInternetOutbound). Set the isolation mode to AllowOnlyApprovedOutbound and add outbound rules for the destinations the workspace needs.",
                meta.title,
                ws.display()
            ),
        ));
    }
}
