//! BATCH021: a Batch pool's endpoint NSG rules break the service's constraints (§1.11).

use crate::findings::{Level, Message};
use crate::ir::types;
use crate::ir::{Member, Node, Resource, Span, Value};
use crate::net::address::Prefix;
use crate::net::ports::parse_port_range;
use crate::rules::checker::Checker;
use crate::rules::query::pool::{
    effective_api_date, looks_like_expression, max_endpoint_priority, nat_pool, nat_pools,
    quoted_name, report_on_pool, show_date, shown,
};
use crate::rules::query::{lookup, str_in, Prop, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH021",
        name: "InvalidEndpointNsgRules",
        title: "Invalid endpoint NSG rules",
        level: Level::Error,
        security_severity: "1.0",
        tags: &["correctness", "network", "batch"],
        precision: "very-high",
        help_uri: URI_NSG,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH021.md"),
    },
    check,
};

const MAX_RULES: usize = 25;
const MIN_PRIORITY: i64 = 150;

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some(nats) = nat_pools(pool) else {
            continue;
        };
        check_pool(cx, pool, nats);
    }
}

/// "has an endpoint rule in NAT pool 'name'".
fn has_a_rule_in(nat: &Node) -> Message {
    Message::new()
        .text("has an endpoint rule in ")
        .append(nat_pool(nat))
}

/// "has the endpoint rule with priority N in NAT pool 'name'", or without the priority when it
/// is not known. Endpoint rules have no names: the priority, unique in a pool, tells them apart
/// (and the definition of a `dynamic` block's element, which findings that quote it get).
fn has_rule_in(nat: &Node, rule: &Node) -> Message {
    let priority = match lookup(rule, &["priority"]) {
        Prop::Known(m) => m.value.as_i64().map(|p| (p, m.value.span)),
        _ => None,
    };
    match priority {
        Some((p, at)) => Message::new()
            .text("has the endpoint rule with priority ")
            .value(p.to_string(), Some(at))
            .text(" in ")
            .append(nat_pool(nat)),
        None => has_a_rule_in(nat),
    }
}

fn check_pool(cx: &mut Checker, pool: &Resource, nats: &[Node]) {
    let api = effective_api_date(pool);
    let max_prio = max_endpoint_priority(api);
    // The number of rules seen so far, while every list before is known.
    let mut count = Some(0usize);
    let mut priorities: Vec<(i64, Span, &Node)> = Vec::new();
    for nat in nats {
        let rules = match lookup(nat, &["networkSecurityGroupRules"]) {
            Prop::Known(m) => m.value.items(),
            Prop::Absent => continue,
            Prop::Unknown => {
                count = None;
                continue;
            }
        };
        for rule in rules {
            let anchor = rule.member("priority").map_or(rule.span, Member::span);
            if let Some(c) = count.as_mut() {
                *c += 1;
                if *c > MAX_RULES {
                    report_on_pool(
                        cx,
                        pool,
                        anchor,
                        format!("count:{c}"),
                        Message::new()
                            .text(format!("has more than {MAX_RULES} endpoint rules across its NAT pools; this rule of "))
                            .append(nat_pool(nat))
                            .text(format!(" is number {c}")),
                        "Merge rules (a rule takes one source prefix, so group sources under service tags or wider ranges) or remove NAT pools.",
                    );
                }
            }
            if rule.is_unknown() {
                continue;
            }
            check_priority(cx, pool, rule, nat, api, max_prio, &mut priorities);
            check_access(cx, pool, rule, nat);
            check_source(cx, pool, rule, nat);
            check_source_ports(cx, pool, rule, nat);
        }
    }
}

fn check_priority<'n>(
    cx: &mut Checker,
    pool: &Resource,
    rule: &Node,
    nat: &'n Node,
    api: Option<u32>,
    max_prio: i64,
    priorities: &mut Vec<(i64, Span, &'n Node)>,
) {
    let Prop::Known(m) = lookup(rule, &["priority"]) else {
        return;
    };
    let at = m.span();
    let range = format!("{MIN_PRIORITY}-{max_prio}");
    let Some(prio) = m.value.as_i64() else {
        report_on_pool(
            cx,
            pool,
            at,
            "priority-range".into(),
            has_a_rule_in(nat)
                .text(" with priority ")
                .append(shown(&m.value))
                .text(", which is not a number"),
            &format!("Use a priority from {range}."),
        );
        return;
    };
    if !(MIN_PRIORITY..=max_prio).contains(&prio) {
        let why = if max_prio == 3500 {
            format!(
                " (API version {} allows {range})",
                show_date(api.expect("old API"))
            )
        } else {
            String::new()
        };
        report_on_pool(
            cx,
            pool,
            at,
            "priority-range".into(),
            has_a_rule_in(nat)
                .text(" with priority ")
                .value(prio.to_string(), Some(m.value.span))
                .text(format!(", outside {range}{why}")),
            &format!("Use a priority from {range}."),
        );
    }
    if let Some((_, first, other)) = priorities.iter().find(|(p, _, _)| *p == prio) {
        let (first, other) = (*first, *other);
        let both = if std::ptr::eq(other, nat) {
            Message::new().text("both in ").append(nat_pool(nat))
        } else {
            Message::new()
                .text("NAT pools '")
                .append(quoted_name(other))
                .text("' and '")
                .append(quoted_name(nat))
                .text("'")
        };
        report_on_pool(
            cx,
            pool,
            at,
            "priority-duplicate".into(),
            Message::new()
                .text(format!("has two endpoint rules with priority {prio} ("))
                .append(both)
                .text("); priorities must be unique across all NAT pools of the pool"),
            "Give every endpoint rule of the pool its own priority.",
        )
        .related(
            first,
            Message::new()
                .text(format!("rule with priority {prio} in "))
                .append(nat_pool(other)),
        );
    } else {
        priorities.push((prio, at, nat));
    }
}

fn check_access(cx: &mut Checker, pool: &Resource, rule: &Node, nat: &Node) {
    let Prop::Known(m) = lookup(rule, &["access"]) else {
        return;
    };
    if str_in(m, &["Allow", "Deny"]) != Some(true) {
        report_on_pool(
            cx,
            pool,
            m.span(),
            "access".into(),
            has_rule_in(nat, rule)
                .text(" with access ")
                .append(shown(&m.value))
                .text("; only Allow and Deny are accepted"),
            "Set access to Allow or Deny.",
        );
    }
}

fn check_source(cx: &mut Checker, pool: &Resource, rule: &Node, nat: &Node) {
    let Prop::Known(m) = lookup(rule, &["sourceAddressPrefix"]) else {
        return;
    };
    let malformed = match m.value.as_str() {
        Some(text) if looks_like_expression(text) => false,
        Some(text) => Prefix::parse(text) == Prefix::Unknown,
        None => true,
    };
    if malformed {
        report_on_pool(
            cx,
            pool,
            m.span(),
            "source".into(),
            has_rule_in(nat, rule)
                .text(" with source address prefix ")
                .append(shown(&m.value))
                .text(", which is not an IP address, CIDR, service tag or `*`"),
            "Write a single IP address, CIDR (e.g. 203.0.113.0/24), service tag (e.g. Internet) or `*`.",
        );
    }
}

fn check_source_ports(cx: &mut Checker, pool: &Resource, rule: &Node, nat: &Node) {
    let Prop::Known(m) = lookup(rule, &["sourcePortRanges"]) else {
        return;
    };
    let fix = "List `*` alone, or non-overlapping ports and ranges from 0 to 65535 such as \"1024-65535\".";
    let single = std::slice::from_ref(&m.value);
    let items: &[Node] = match &m.value.value {
        Value::Array(items) => items,
        Value::String(_) | Value::Number(_) => single,
        _ => {
            report_on_pool(
                cx,
                pool,
                m.span(),
                "source-ports".into(),
                has_rule_in(nat, rule)
                    .text(" whose source port ranges are ")
                    .append(shown(&m.value))
                    .text(", not a list of ports"),
                fix,
            );
            return;
        }
    };
    let mut star = false;
    let mut seen: Vec<((u32, u32), Span, String)> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let text = match &item.value {
            Value::String(t) if looks_like_expression(t) => continue,
            Value::String(t) => t.trim().to_string(),
            Value::Number(_) => match item.as_i64() {
                Some(n) => n.to_string(),
                None => shown(item).as_str().to_string(),
            },
            Value::Unknown(_) => continue,
            _ => shown(item).as_str().to_string(),
        };
        if text == "*" {
            star = true;
            continue;
        }
        // The range as the message quotes it: the item's text, trimmed, where it is written.
        let quoted =
            |text: &str, span: Span| Message::new().text("\"").value(text, Some(span)).text("\"");
        let Some(r) = parse_port_range(&text) else {
            report_on_pool(
                cx,
                pool,
                item.span,
                format!("source-ports:{k}"),
                has_rule_in(nat, rule)
                    .text(" with source port range ")
                    .append(quoted(&text, item.span))
                    .text(", which is not a port or range within 0-65535"),
                fix,
            );
            continue;
        };
        if let Some((_, first, other)) = seen.iter().find(|(o, _, _)| o.0 <= r.1 && r.0 <= o.1) {
            let (first, other) = (*first, other.clone());
            report_on_pool(
                cx,
                pool,
                item.span,
                format!("source-ports:{k}"),
                has_rule_in(nat, rule)
                    .text(" whose source port range ")
                    .append(quoted(&text, item.span))
                    .text(" overlaps ")
                    .append(quoted(&other, first))
                    .text(" in the same list"),
                fix,
            )
            .related(
                first,
                Message::new()
                    .text("source port range ")
                    .append(quoted(&other, first)),
            );
        }
        seen.push((r, item.span, text));
    }
    if star && items.len() > 1 {
        report_on_pool(
            cx,
            pool,
            m.span(),
            "source-ports-star".into(),
            has_rule_in(nat, rule).text(" that lists `*` among other source port ranges"),
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_api_caps_priorities() {
        use crate::rules::query::pool::date;
        assert_eq!(max_endpoint_priority(Some(date(2017, 9, 1))), 3500);
        assert_eq!(max_endpoint_priority(Some(date(2018, 12, 1))), 4096);
        assert_eq!(max_endpoint_priority(None), 4096);
    }

    #[test]
    fn prefix_forms() {
        for ok in [
            "*",
            "Internet",
            "10.0.0.0/8",
            "198.51.100.7",
            "Storage.WestEurope",
            "::/0",
        ] {
            assert_ne!(Prefix::parse(ok), Prefix::Unknown, "{ok}");
        }
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/8,10.1.0.0/16",
            "",
            "300.1.1.1",
            "-x",
        ] {
            assert_eq!(Prefix::parse(bad), Prefix::Unknown, "{bad}");
        }
    }
}
