//! NET009: a load balancer or public IP with the retired Basic SKU (D33).

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{assignment, name, quote, who, At, Checker};
use crate::rules::query::{lookup, str_in, Prop, URI_NSG};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET009",
        name: "RetiredBasicSkuLoadBalancerOrPublicIp",
        title: "Retired Basic SKU load balancer or public IP",
        level: Level::Error,
        security_severity: "1.0",
        tags: &["correctness", "availability", "network"],
        precision: "very-high",
        help_uri: URI_NSG,
        peers: &[
            "PSRule Azure.PublicIP.MigrateStandard (AZR-000395)",
            "PSRule Azure.LB.StandardSKU",
        ],
        needs: &[],
        doc: include_str!("../../../rules/NET009.md"),
    },
    check,
};

const SKU: PropPath = PropPath::new(&["sku", "name"], 0);
const ALLOCATION: PropPath = PropPath::new(&["properties", "publicIPAllocationMethod"], 1);

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let kinds = [
        (types::LOAD_BALANCER, "load balancer"),
        (types::PUBLIC_IP, "public IP"),
    ];
    for (rtype, what) in kinds {
        for r in ctx.of_type(rtype) {
            // Azure Stack Hub has only the Basic SKU, and it is not retired there.
            if r.targets_azure_stack_hub() {
                continue;
            }
            // An absent SKU is Standard now that Basic cannot be created.
            let Prop::Known(sku) = lookup(&r.body, SKU.keys) else {
                continue;
            };
            if str_in(sku, &["Basic"]) != Some(true) {
                continue;
            }
            let standard = json!("Standard");
            let mut fix = Fix::set(SKU.keys, standard.clone());
            let mut how = format!("Set {}", assignment(r, SKU, &standard));
            // A Standard public IP is always statically allocated.
            let dynamic = match lookup(&r.body, ALLOCATION.keys) {
                Prop::Known(m) => str_in(m, &["Dynamic"]) == Some(true),
                _ => false,
            };
            if dynamic {
                let stat = json!("Static");
                fix = fix.and_set(ALLOCATION.keys, stat.clone());
                how.push_str(&format!(" and {}", assignment(r, ALLOCATION, &stat)));
            }
            let closed = if rtype == types::LOAD_BALANCER {
                "a Standard load balancer passes no inbound traffic that an NSG on its backends does not allow, so give them one that admits what they serve"
            } else {
                "a Standard public IP accepts no inbound traffic that an NSG does not allow, so give the resource behind it one that admits what it serves"
            };
            let says = Message::new()
                .text(format!("{} sets {} to `", who(r), name(r, SKU)))
                .append(quote(&sku.value))
                .text(format!("`: the Basic {what} SKU was retired on 30 September 2025 and can no longer be created.")).help(format!("{how}; {closed}."));
            // At the `sku` property as a whole, where the SKU is chosen.
            let at = match lookup(&r.body, &["sku"]) {
                Prop::Known(m) => At::whole(r, m),
                _ => At::member(r, sku),
            };
            cx.report(at, says).fix(fix);
        }
    }
}
