//! BATCH002: the network profile of a public Batch account lets the internet in.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Member, Resource};
use crate::net::address::Prefix;
use crate::rules::checker::{assignment, name, quote, who, At, Checker};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH002",
        name: "BatchEndpointAccessProfileOpen",
        title: "Batch endpoint access profile open",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &["Checkov CKV_AZURE_248"],
        needs: &[],
        doc: include_str!("../../../rules/BATCH002.md"),
    },
    check,
};

/// The two endpoints of the profile: ARM key and what messages call them.
const SECTIONS: [(&str, &str); 2] = [
    ("accountAccess", "account API"),
    ("nodeManagementAccess", "node management"),
];

/// Does BATCH001's condition hold (public network access absent or `Enabled`)? `None` when the
/// value is unknown; `Some(member)` carries the property when it is written.
fn public_access(acct: &Resource) -> Option<Option<&Member>> {
    match lookup(&acct.body, &["properties", "publicNetworkAccess"]) {
        Prop::Absent => Some(None),
        Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => Some(Some(m)),
        _ => None,
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let broad = ctx.options.broad_prefix_max;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        // The profile only matters while the public endpoint is on (BATCH001's condition).
        let Some(pna) = public_access(acct) else {
            continue;
        };
        // D16: no profile at all is BATCH001's case.
        let Prop::Known(profile) = lookup(&acct.body, &["properties", "networkProfile"]) else {
            continue;
        };
        if profile.value.is_unknown() {
            continue;
        }
        let public = if pna.is_some() {
            "public network access Enabled"
        } else {
            "public network access left at its default (Enabled)"
        };
        let lead = format!("{} has {public} and ", who(acct));
        for (key, label) in SECTIONS {
            let Some(section) = profile.value.member(key).filter(|m| !m.value.is_null()) else {
                continue;
            };
            let section = &section.value;
            if section.is_unknown() {
                continue;
            }
            let keys = |leaf: &'static str| ["properties", "networkProfile", key, leaf];
            let section_name = name(
                acct,
                PropPath::new(&["properties", "networkProfile", key], 2),
            );
            let action_keys = keys("defaultAction");
            let rules_keys = keys("ipRules");
            if let Some(m) = section.member("defaultAction") {
                if str_in(m, &["Allow"]) == Some(true) {
                    let deny = json!("Deny");
                    let says = Message::new().text(format!(
                        "{lead}its {label} access profile ({section_name}) allows every address by default."
                    )).help(format!(
                        "Set {} and list the permitted ranges in {}.",
                        assignment(acct, PropPath::new(&action_keys, 3), &deny),
                        name(acct, PropPath::new(&rules_keys, 3)),
                    ));
                    let f = cx
                        .report(At::member(acct, m), says)
                        .discriminator(format!("{key}:defaultAction"))
                        .fix(
                            Fix::set(&action_keys, deny)
                                .changing("every address not listed in the IP rules loses access"),
                        );
                    if let Some(m) = pna {
                        f.related(m.span(), "public network access");
                    }
                }
            }
            let Some(rules) = section.member("ipRules").filter(|m| !m.value.is_null()) else {
                continue;
            };
            for (i, rule) in rules.value.items().iter().enumerate() {
                let Some(v) = rule.member("value") else {
                    continue;
                };
                let Some(text) = v.value.as_str() else {
                    continue;
                };
                if Prefix::parse(text).is_internet_equivalent(broad) {
                    let says = Message::new()
                        .text(format!(
                            "{lead}its {label} access profile ({section_name}) has an IP rule for `"
                        ))
                        .append(quote(&v.value))
                        .text("`, which covers the whole internet.")
                        .help("Replace the rule with the specific public ranges that need access.");
                    let index = i.to_string();
                    let f = cx
                        .report(At::member(acct, v), says)
                        .discriminator(format!("{key}:ipRules:{i}"))
                        .fix(
                            Fix::remove(&["properties", "networkProfile", key, "ipRules", &index])
                                .changing("the clients the rule admitted lose access"),
                        );
                    if let Some(m) = pna {
                        f.related(m.span(), "public network access");
                    }
                }
            }
        }
    }
}
