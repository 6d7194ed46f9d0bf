//! BATCH021: a Batch pool's endpoint NSG rules break the service's constraints (spec §1.11).

use crate::findings::Level;
use crate::ir::types;
use crate::ir::{Member, Node, Span, Value};
use crate::net::address::Prefix;
use crate::net::ports::parse_port_range;
use crate::rules::checker::Checker;
use crate::rules::query::pool::{
    date, effective_api_date, field, looks_like_expression, nat_name, nat_pools, show_date,
    PoolFindings,
};
use crate::rules::query::{related, Prop, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH021",
        name: "BatchInvalidEndpointNsgRules",
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
/// API 2017-09-01 capped endpoint rule priorities lower.
const OLD_API: u32 = date(2017, 9, 1);

fn max_priority(api: Option<u32>) -> i64 {
    if api == Some(OLD_API) {
        3500
    } else {
        4096
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some(nats) = nat_pools(pool) else {
            continue;
        };
        let mut s = PoolFindings {
            meta: &RULE.meta,
            pool,
            out,
        };
        check_pool(&mut s, nats);
    }
}

fn show(n: &Node) -> String {
    match &n.value {
        Value::String(s) => format!("\"{s}\""),
        Value::Number(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        Value::Null => "null".into(),
        Value::Unknown(_) => "an unknown value".into(),
    }
}

fn check_pool(s: &mut PoolFindings, nats: &[Node]) {
    let api = effective_api_date(s.pool);
    let max_prio = max_priority(api);
    // The number of rules seen so far, while every list before is known.
    let mut count = Some(0usize);
    let mut priorities: Vec<(i64, Span, String)> = Vec::new();
    for nat in nats {
        let nname = nat_name(nat);
        let rules = match field(nat, "networkSecurityGroupRules") {
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
                    s.report(
                        anchor,
                        format!("count:{c}"),
                        format!("has more than {MAX_RULES} endpoint rules across its NAT pools; this rule of NAT pool '{nname}' is number {c}"),
                        "Merge rules (a rule takes one source prefix, so group sources under service tags or wider ranges) or remove NAT pools.",
                    );
                }
            }
            if rule.is_unknown() {
                continue;
            }
            check_priority(s, rule, &nname, api, max_prio, &mut priorities);
            check_access(s, rule, &nname);
            check_source(s, rule, &nname);
            check_source_ports(s, rule, &nname);
        }
    }
}

fn check_priority(
    s: &mut PoolFindings,
    rule: &Node,
    nname: &str,
    api: Option<u32>,
    max_prio: i64,
    priorities: &mut Vec<(i64, Span, String)>,
) {
    let Prop::Known(m) = field(rule, "priority") else {
        return;
    };
    let at = m.span();
    let range = format!("{MIN_PRIORITY}-{max_prio}");
    let Some(prio) = m.value.as_i64() else {
        s.report(
            at,
            "priority-range".into(),
            format!(
                "has an endpoint rule in NAT pool '{nname}' with priority {}, which is not a number",
                show(&m.value)
            ),
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
        s.report(
            at,
            "priority-range".into(),
            format!("has an endpoint rule in NAT pool '{nname}' with priority {prio}, outside {range}{why}"),
            &format!("Use a priority from {range}."),
        );
    }
    if let Some((_, first, other)) = priorities.iter().find(|(p, _, _)| *p == prio) {
        let (first, other) = (*first, other.clone());
        let f = s.report(
            at,
            "priority-duplicate".into(),
            format!(
                "has two endpoint rules with priority {prio} ({}); priorities must be unique across all NAT pools of the pool",
                if other == nname {
                    format!("both in NAT pool '{nname}'")
                } else {
                    format!("NAT pools '{other}' and '{nname}'")
                }
            ),
            "Give every endpoint rule of the pool its own priority.",
        );
        f.related.push(related(
            first,
            format!("rule with priority {prio} in NAT pool '{other}'"),
        ));
    } else {
        priorities.push((prio, at, nname.to_string()));
    }
}

fn check_access(s: &mut PoolFindings, rule: &Node, nname: &str) {
    let Prop::Known(m) = field(rule, "access") else {
        return;
    };
    let ok = m
        .value
        .as_str()
        .is_some_and(|a| a.eq_ignore_ascii_case("Allow") || a.eq_ignore_ascii_case("Deny"));
    if !ok {
        s.report(
            m.span(),
            "access".into(),
            format!(
                "has an endpoint rule in NAT pool '{nname}' with access {}; only Allow and Deny are accepted",
                show(&m.value)
            ),
            "Set access to Allow or Deny.",
        );
    }
}

fn check_source(s: &mut PoolFindings, rule: &Node, nname: &str) {
    let Prop::Known(m) = field(rule, "sourceAddressPrefix") else {
        return;
    };
    let malformed = match m.value.as_str() {
        Some(text) if looks_like_expression(text) => false,
        Some(text) => Prefix::parse(text) == Prefix::Unknown,
        None => true,
    };
    if malformed {
        s.report(
            m.span(),
            "source".into(),
            format!(
                "has an endpoint rule in NAT pool '{nname}' with source address prefix {}, which is not an IP address, CIDR, service tag or `*`",
                show(&m.value)
            ),
            "Write a single IP address, CIDR (e.g. 203.0.113.0/24), service tag (e.g. Internet) or `*`.",
        );
    }
}

fn check_source_ports(s: &mut PoolFindings, rule: &Node, nname: &str) {
    let Prop::Known(m) = field(rule, "sourcePortRanges") else {
        return;
    };
    let fix = "List `*` alone, or non-overlapping ports and ranges from 0 to 65535 such as \"1024-65535\".";
    let single = std::slice::from_ref(&m.value);
    let items: &[Node] = match &m.value.value {
        Value::Array(items) => items,
        Value::String(_) | Value::Number(_) => single,
        _ => {
            s.report(
                m.span(),
                "source-ports".into(),
                format!("has an endpoint rule in NAT pool '{nname}' whose source port ranges are {}, not a list of ports", show(&m.value)),
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
                None => show(item),
            },
            Value::Unknown(_) => continue,
            _ => show(item),
        };
        if text == "*" {
            star = true;
            continue;
        }
        let Some(r) = parse_port_range(&text) else {
            s.report(
                item.span,
                format!("source-ports:{k}"),
                format!("has an endpoint rule in NAT pool '{nname}' with source port range \"{text}\", which is not a port or range within 0-65535"),
                fix,
            );
            continue;
        };
        if let Some((_, first, other)) = seen.iter().find(|(o, _, _)| o.0 <= r.1 && r.0 <= o.1) {
            let (first, other) = (*first, other.clone());
            let f = s.report(
                item.span,
                format!("source-ports:{k}"),
                format!("has an endpoint rule in NAT pool '{nname}' whose source port range \"{text}\" overlaps \"{other}\" in the same list"),
                fix,
            );
            f.related
                .push(related(first, format!("source port range \"{other}\"")));
        }
        seen.push((r, item.span, text));
    }
    if star && items.len() > 1 {
        s.report(
            m.span(),
            "source-ports-star".into(),
            format!("has an endpoint rule in NAT pool '{nname}' that lists `*` among other source port ranges"),
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_api_caps_priorities() {
        assert_eq!(max_priority(Some(date(2017, 9, 1))), 3500);
        assert_eq!(max_priority(Some(date(2018, 12, 1))), 4096);
        assert_eq!(max_priority(None), 4096);
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
