//! BATCH023: a Batch pool uses (or may use) the classic node communication mode.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Syntax;
use crate::rules::checker::Checker;
use crate::rules::query::pool::{date, effective_api_date, show_date};
use crate::rules::query::{finding, prop, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH023",
        name: "BatchClassicNodeCommunication",
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

/// The last API version whose `Default` may still mean classic (D2).
const LAST_DEFAULT_API: u32 = date(2024, 7, 1);
/// The first API version without `targetNodeCommunicationMode` in its schema.
const REMOVED_API: u32 = date(2025, 6, 1);

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Set targetNodeCommunicationMode (azurerm: target_node_communication_mode) to Simplified and open the simplified model's outbound traffic.";
    for pool in ctx.of_type(types::BATCH_POOL) {
        let who = pool.display();
        let api = effective_api_date(pool);
        let api_text = match (pool.syntax, api) {
            (Syntax::Azurerm, _) => "the azurerm provider's Batch API 2024-07-01".to_string(),
            (_, Some(a)) => format!("API version {}", show_date(a)),
            (_, None) => String::new(),
        };
        let mode = prop(pool, &["properties", "targetNodeCommunicationMode"]);
        match mode {
            Prop::Unknown => {}
            Prop::Known(m) if api.is_some_and(|a| a >= REMOVED_API) => {
                let value = m.value.as_str().unwrap_or("a value");
                let mut f = finding(
                    meta,
                    m.span(),
                    format!("{}: {who} sets targetNodeCommunicationMode to {value} with {api_text}, whose schema no longer has this property (classic communication was retired on 31 March 2026). Remove the property.", meta.title),
                );
                f.discriminator = "removed".into();
                out.push(f);
            }
            Prop::Known(m) if str_in(m, &["Classic"]) == Some(true) => {
                out.push(finding(
                    meta,
                    m.span(),
                    format!("{}: {who} sets the node communication mode to Classic, in which the Batch service connects inward to the nodes and the nodes need storage egress; the classic model was retired on 31 March 2026. {fix}", meta.title),
                ));
            }
            Prop::Known(m) if str_in(m, &["Default"]) == Some(true) => {
                if api.is_some_and(|a| a <= LAST_DEFAULT_API) {
                    let mut f = finding(
                        meta,
                        m.span(),
                        format!("{}: {who} sets the node communication mode to Default with {api_text}, where the service may choose the classic model; what Default means after classic's retirement is undocumented. {fix}", meta.title),
                    );
                    f.level = Level::Note;
                    out.push(f);
                }
            }
            Prop::Known(_) => {}
            Prop::Absent => {
                if api.is_some_and(|a| a <= LAST_DEFAULT_API) {
                    let mut f = finding(
                        meta,
                        pool.header,
                        format!("{}: {who} does not set the node communication mode, so it is Default with {api_text}, where the service may choose the classic model; what Default means after classic's retirement is undocumented. {fix}", meta.title),
                    );
                    f.level = Level::Note;
                    out.push(f);
                }
            }
        }
    }
}
