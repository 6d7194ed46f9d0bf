//! BATCH002: the network profile of a public Batch account lets the internet in.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::{Member, Resource};
use crate::net::address::Prefix;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, related, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

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
    match prop(acct, &["properties", "publicNetworkAccess"]) {
        Prop::Absent => Some(None),
        Prop::Known(m) if str_in(m, &["Enabled"]) == Some(true) => Some(Some(m)),
        _ => None,
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let broad = ctx.options.broad_prefix_max;
    for acct in ctx.of_type(types::BATCH_ACCOUNT) {
        // The profile only matters while the public endpoint is on (BATCH001's condition).
        let Some(pna) = public_access(acct) else {
            continue;
        };
        // D16: no profile at all is BATCH001's case.
        let Prop::Known(profile) = prop(acct, &["properties", "networkProfile"]) else {
            continue;
        };
        if profile.value.is_unknown() {
            continue;
        }
        let who = acct.display();
        let public = if pna.is_some() {
            "public network access Enabled"
        } else {
            "public network access left at its default (Enabled)"
        };
        let mut push = |at: crate::ir::Span, disc: String, text: String, fix: &str| {
            let mut f = finding(
                meta,
                at,
                format!("{}: {who} has {public} and {text}. {fix}", meta.title),
            );
            f.discriminator = disc;
            if let Some(m) = pna {
                f.related.push(related(m.span(), "public network access"));
            }
            out.push(f);
        };
        for (key, label) in SECTIONS {
            let Some(section) = profile.value.member(key).filter(|m| !m.value.is_null()) else {
                continue;
            };
            let section = &section.value;
            if section.is_unknown() {
                continue;
            }
            if let Some(m) = section.member("defaultAction") {
                if str_in(m, &["Allow"]) == Some(true) {
                    push(
                        m.span(),
                        format!("{key}:defaultAction"),
                        format!("its {label} access profile ({key}) allows every address by default"),
                        "Set defaultAction to Deny (azurerm: default_action = \"Deny\") and list the permitted ranges in ipRules.",
                    );
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
                    push(
                        v.span(),
                        format!("{key}:ipRules:{i}"),
                        format!("its {label} access profile ({key}) has an IP rule for `{text}`, which covers the whole internet"),
                        "Replace the rule with the specific public ranges that need access.",
                    );
                }
            }
        }
    }
}
