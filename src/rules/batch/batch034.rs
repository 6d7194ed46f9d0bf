//! BATCH034: node user accounts on a Batch pool, escalated when they are administrators or the
//! pool's NAT endpoints are open (BATCH010/BATCH011).

use crate::findings::{Fix, Level, Message};
use crate::ir::types;
use crate::ir::Resource;
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::exposure::{nat_exposures, Layered};
use crate::rules::query::pool::{element_anchor, quoted_name};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Ctx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH034",
        name: "NodeUserAccountsDefined",
        title: "Node user accounts defined",
        level: Level::Note,
        security_severity: "3.1",
        tags: &["security", "identity", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH034.md"),
    },
    check,
};

const USER_ACCOUNTS: [&str; 2] = ["properties", "userAccounts"];

/// The security severity of an escalated result.
const ESCALATED: &str = "5.0";

/// Does BATCH010 or BATCH011 fire on the pool: a NAT pool open to the internet (Allow) or not
/// explicitly restricted (Unrestricted)? Describes the first such NAT pool.
fn exposure(ctx: &Ctx, pool: &Resource) -> Option<String> {
    nat_exposures(ctx, pool).iter().find_map(|x| {
        let state = match x.outcome {
            Layered::Allow { .. } => "is open to the internet",
            Layered::Unrestricted => "is not explicitly restricted",
            _ => return None,
        };
        Some(format!(
            "on a pool whose NAT endpoint for backend port {} {state} (BATCH010/BATCH011)",
            x.port
        ))
    })
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Prop::Known(accounts) = lookup(&pool.body, &USER_ACCOUNTS) else {
            continue;
        };
        let items = accounts.value.items();
        if items.is_empty() {
            continue;
        }
        let exposed = exposure(ctx, pool);
        for (i, acc) in items.iter().enumerate() {
            if acc.is_unknown() {
                continue;
            }
            let admin = match lookup(acc, &["elevationLevel"]) {
                Prop::Known(m) if str_in(m, &["Admin"]) == Some(true) => Some(m),
                _ => None,
            };
            let mut facts = Vec::new();
            if admin.is_some() {
                facts.push("with Admin elevation".to_string());
            }
            if let Some(e) = &exposed {
                facts.push(e.clone());
            }
            let facts = if facts.is_empty() {
                String::new()
            } else {
                format!(" {}", facts.join(", "))
            };
            let says = Message::new()
                .text(format!("{} defines node user account '", who(pool)))
                .append(quoted_name(acc))
                .text(format!("'{facts}; such accounts make remote logins to the nodes possible."))
                .help("Remove the account and run tasks under auto-user identities, or keep it non-admin and its endpoints closed.");
            let index = i.to_string();
            let mut f = cx
                .report(At::span(pool, element_anchor(acc)), says)
                .discriminator(format!("{i}"))
                .fix(
                    Fix::remove(&[USER_ACCOUNTS[0], USER_ACCOUNTS[1], &index])
                        .changing("tasks and logins that use the account stop working"),
                );
            if let Some(m) = admin {
                f = f.related(m.span(), "Admin elevation level");
            }
            if admin.is_some() || exposed.is_some() {
                f.level(Level::Warning).security_severity(ESCALATED);
            }
        }
    }
}
