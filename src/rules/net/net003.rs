//! NET003: a user NSG rule that an earlier rule of the same NSG and direction fully covers, so it
//! never takes effect (rules/NET003.md, §1.3 shadowing checks, §1.5 item 7).

use crate::findings::{Level, Message};
use crate::net::shadow::shadowed_pairs;
use crate::rules::checker::Checker;
use crate::rules::net::exposure::ORPHAN_NOTE;
use crate::rules::query::nsg::rule_label;
use crate::rules::query::shadow::{shadow_finding, Names};
use crate::rules::query::URI_RA;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET003",
        name: "ShadowedOrIneffectiveNsgRule",
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
    let ctx = cx.ctx;
    let redundant = ctx.options.redundant_rules;
    for nsg in &ctx.graph.nsgs {
        let user = nsg.rules.user_rules();
        let orphan = if nsg.is_orphan() { ORPHAN_NOTE } else { "" };
        let found = shadowed_pairs(user, ctx.options.broad_prefix_max);
        if let Some((checked, total)) = found.stopped {
            ctx.limit(
                nsg.header,
                format!(
                    "{} has {total} rules with a priority (Azure allows at most 1,000 in one NSG): \
                     NET003 compared the first {checked} in priority order for shadowing and stopped \
                     at its limit of {} comparisons; later rules were not checked",
                    nsg.label,
                    crate::net::shadow::MAX_COMPARISONS
                ),
            );
        }
        for (b, a) in found.pairs {
            let names = Names {
                b: rule_label(nsg, b),
                a: rule_label(nsg, a),
                what: Message::new().text(format!("in {}{orphan}", nsg.label)),
            };
            let r = nsg.origins[b].resource;
            shadow_finding(cx, r, &user[a], &user[b], redundant, names);
        }
    }
}
