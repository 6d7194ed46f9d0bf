//! BATCH003: Shared Key authentication allowed on a Batch account.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Value;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH003",
        name: "BatchSharedKeyAuthAllowed",
        title: "Shared Key authentication allowed",
        level: Level::Warning,
        security_severity: "5.9",
        tags: &["security", "identity", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &["Azure Policy 6f68b69f-05fe-49cd-b361-777ee9ca7e35"],
        needs: &[],
        doc: include_str!("../../../rules/BATCH003.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "List only AAD (Microsoft Entra ID) in allowedAuthenticationModes (azurerm: allowed_authentication_modes = [\"AAD\"]).";
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let who = acct.display();
        let list = match prop(acct, &["properties", "allowedAuthenticationModes"]) {
            Prop::Unknown => continue,
            Prop::Absent => {
                out.push(finding(
                    meta,
                    acct.header,
                    format!("{}: {who} does not set allowedAuthenticationModes, and the service default accepts Shared Key. {fix}", meta.title),
                ));
                continue;
            }
            Prop::Known(m) => m,
        };
        let Value::Array(items) = &list.value.value else {
            continue;
        };
        if items.is_empty() {
            out.push(finding(
                meta,
                list.span(),
                format!("{}: {who} has an empty allowedAuthenticationModes list, which means the service default and accepts Shared Key. {fix}", meta.title),
            ));
            continue;
        }
        let mut unknown = false;
        let mut reported = false;
        for it in items {
            match it.as_str() {
                Some(s) if s.eq_ignore_ascii_case("SharedKey") => {
                    out.push(finding(
                        meta,
                        it.span,
                        format!(
                            "{}: {who} allows the SharedKey authentication mode. {fix}",
                            meta.title
                        ),
                    ));
                    reported = true;
                }
                Some(_) => {}
                None => unknown = true,
            }
        }
        // batch003.strict (D11): anything other than exactly ["AAD"], as Azure Policy requires.
        if ctx.options.batch003_strict && !reported && !unknown {
            let only_aad = items.len() == 1
                && items[0]
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("AAD"));
            if !only_aad {
                out.push(finding(
                    meta,
                    list.span(),
                    format!("{}: {who} allows authentication modes other than AAD (option batch003.strict). {fix}", meta.title),
                ));
            }
        }
    }
}
