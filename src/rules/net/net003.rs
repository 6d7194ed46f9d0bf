//! NET003: a user NSG rule that an earlier rule of the same NSG and direction fully covers, so it
//! never takes effect (spec NET003, §1.3 shadowing checks, §1.5 item 7).

use crate::findings::Level;
use crate::net::shadow::shadowed_pairs;
use crate::rules::checker::Checker;
use crate::rules::query::shadow::shadow_finding;
use crate::rules::query::URI_RA;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET003",
        name: "NsgRuleShadowed",
        title: "Shadowed or ineffective NSG rule",
        level: Level::Warning,
        security_severity: "4.0",
        tags: &["security", "network", "correctness"],
        precision: "high",
        help_uri: URI_RA,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/NET003.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for nsg in &ctx.graph.nsgs {
        let user = nsg.rules.user_rules();
        let orphan = if nsg.is_orphan() {
            " (a standalone rule whose NSG is not in the scanned files; its other rules were not seen)"
        } else {
            ""
        };
        let what = format!("in {}{orphan}", nsg.label);
        for (b, a) in shadowed_pairs(user, ctx.options.broad_prefix_max) {
            let (a, b) = (&user[a], &user[b]);
            let labels = (b.label(), a.label());
            let redundant = ctx.options.redundant_rules;
            out.extend(shadow_finding(
                meta,
                a,
                b,
                redundant,
                (&labels.0, &labels.1),
                &what,
            ));
        }
    }
}
