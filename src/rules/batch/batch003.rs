//! BATCH003: Shared Key authentication allowed on a Batch account.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::Value;
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH003",
        name: "SharedKeyAuthenticationAllowed",
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

const MODES: PropPath = PropPath::new(&["properties", "allowedAuthenticationModes"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let aad = json!(["AAD"]);
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        let who = who(acct);
        let modes = name(acct, MODES);
        let fix = format!(
            "Allow only Microsoft Entra ID (AAD): set {}.",
            assignment(acct, MODES, &aad)
        );
        let (at, says) = match lookup(&acct.body, MODES.keys) {
            Prop::Unknown => continue,
            Prop::Absent => (
                At::resource(acct),
                Message::from(format!("{who} does not set {modes}, and the service default accepts Shared Key.")).help(fix),
            ),
            Prop::Known(list) => match &list.value.value {
                Value::Array(items) if items.is_empty() => (
                    At::member(acct, list),
                    Message::from(format!("{who} has an empty {modes} list, which means the service default and accepts Shared Key.")).help(fix),
                ),
                Value::Array(items) => {
                    let mut unknown = false;
                    let mut reported = false;
                    for it in items {
                        match it.as_str() {
                            Some(s) if s.eq_ignore_ascii_case("SharedKey") => {
                                cx.report(
                                    At::node(acct, it),
                                    Message::from(format!(
                                        "{who} allows the SharedKey authentication mode."
                                    ))
                                    .help(fix.as_str()),
                                )
                                .fix(Fix::set(MODES.keys, aad.clone()));
                                reported = true;
                            }
                            Some(_) => {}
                            None => unknown = true,
                        }
                    }
                    // batch003.strict (D11): anything other than exactly ["AAD"], as Azure Policy
                    // requires.
                    let only_aad = items.len() == 1
                        && items[0]
                            .as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case("AAD"));
                    if !ctx.options.batch003_strict || reported || unknown || only_aad {
                        continue;
                    }
                    (
                        At::member(acct, list),
                        Message::from(format!("{who} allows authentication modes other than AAD (option batch003.strict).")).help(fix),
                    )
                }
                _ => continue,
            },
        };
        cx.report(at, says).fix(Fix::set(MODES.keys, aad.clone()));
    }
}
