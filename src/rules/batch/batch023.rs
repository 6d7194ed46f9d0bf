//! BATCH023: a Batch pool asks for the retired classic node communication mode, or sets the mode
//! on an API version whose schema no longer has it. `Default` and an absent mode mean the
//! simplified model since classic's retirement and are not reported (D32).

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, name, quote, who, At, Checker};
use crate::rules::query::pool::{api_text, date, parse_api_version};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH023",
        name: "ClassicNodeCommunicationMode",
        title: "Classic node communication mode",
        level: Level::Error,
        security_severity: "3.0",
        tags: &["security", "correctness", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH023.md"),
    },
    check,
};

/// The first API version without `targetNodeCommunicationMode` in its schema.
const REMOVED_API: u32 = date(2025, 6, 1);

const MODE: PropPath = PropPath::new(&["properties", "targetNodeCommunicationMode"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let simplified = json!("Simplified");
    for pool in ctx.of_type(types::BATCH_POOL) {
        let who = who(pool);
        let api = pool.api();
        let declared = api.and_then(|a| parse_api_version(a.version));
        let api_text = api.as_ref().map(api_text).unwrap_or_default();
        let prop = lookup(&pool.body, MODE.keys);
        // At an API without the property, its presence is the fault, whatever the value: also
        // one written with a value not known here.
        let removed = declared.is_some_and(|a| a >= REMOVED_API);
        let present = match prop {
            Prop::Known(m) => Some(m),
            Prop::Unknown => pool
                .body
                .get("properties")
                .and_then(|p| p.member(MODE.keys[1]))
                .filter(|m| m.value.is_unknown()),
            Prop::Absent => None,
        };
        if let Some(m) = present.filter(|_| removed) {
            let value = if m.value.as_str().is_some() {
                Message::new().text(" to ").append(quote(&m.value))
            } else if m.value.is_unknown() {
                Message::new().text(" (to a value not known here)")
            } else {
                Message::new().text(" to a value")
            };
            let says = Message::new()
                .text(format!("{who} sets {}", name(pool, MODE)))
                .append(value)
                .text(format!(" with {api_text}, whose schema no longer has this property (classic communication was retired on 31 March 2026)."))
                .help("Remove the property.");
            cx.report(At::member(pool, m), says)
                .discriminator("removed")
                .fix(Fix::remove(MODE.keys));
            continue;
        }
        match prop {
            Prop::Known(m) if str_in(m, &["Classic"]) == Some(true) => {
                let fix = format!(
                    "Set {} and open the simplified model's outbound traffic.",
                    assignment(pool, MODE, &simplified)
                );
                cx.report(
                    At::member(pool, m),
                    Message::from(format!("{who} sets the node communication mode to Classic, in which the Batch service connects inward to the nodes and the nodes need storage egress; the classic model was retired on 31 March 2026.")).help(fix),
                )
                .fix(Fix::set(MODE.keys, simplified.clone()));
            }
            // `Simplified`, `Default`, absent (D32), not a string, or not known.
            Prop::Known(_) | Prop::Absent | Prop::Unknown => {}
        }
    }
}
