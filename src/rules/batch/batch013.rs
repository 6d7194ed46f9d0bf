//! BATCH013: a pool on an API version before 2024-07-01 had SSH/RDP mapped automatically.

use crate::findings::{Level, Message};
use crate::ir::spelling::Need;
use crate::ir::types;
use crate::ir::Node;
use crate::net::batch::{evaluate, EndpointOutcome};
use crate::net::nsg::match_rule;
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::exposure::PROVISION;
use crate::rules::query::pool::{
    api_text, date, is_public, nat_pools, parse_api_version, pool_os, Os,
};
use crate::rules::query::{lookup, service_name, Prop, URI_RA};
use crate::rules::{Rule, RuleMeta};
use crate::tri::Tri;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH013",
        name: "LegacyApiMapsSshRdpAutomatically",
        title: "Legacy API maps SSH/RDP automatically",
        level: Level::Note,
        security_severity: "3.5",
        tags: &["security", "network", "batch"],
        precision: "high",
        help_uri: URI_RA,
        peers: &[],
        // Only pools created with an API before 2024-07-01 had remote access mapped (D8).
        needs: &[Need::ApiBefore(types::BATCH_POOL, "2024-07-01")],
        doc: include_str!("../../../rules/BATCH013.md"),
    },
    check,
};

/// The first API version that no longer maps SSH/RDP by default.
const NO_AUTO_MAPPING: u32 = date(2024, 7, 1);

/// Does some NAT pool on `port` deny the internet? Yes, No, or Unknown when a NAT pool that
/// could be on that port cannot be evaluated.
fn denied(nats: &[Node], port: u32, broad: Option<u8>) -> Tri {
    let mut result = Tri::No;
    for nat in nats {
        let backend = match lookup(nat, &["backendPort"]) {
            Prop::Known(m) => m.value.as_i64(),
            Prop::Absent => continue,
            Prop::Unknown => None,
        };
        match backend {
            Some(p) if p == i64::from(port) => {}
            Some(_) => continue,
            None => {
                result = result.or(Tri::Unknown);
                continue;
            }
        }
        let rules = match lookup(nat, &["networkSecurityGroupRules"]) {
            Prop::Absent => None,
            Prop::Known(m) => Some(m.value.items()),
            Prop::Unknown => {
                result = result.or(Tri::Unknown);
                continue;
            }
        };
        let d = evaluate(rules, port, broad);
        let here = match d.outcome {
            EndpointOutcome::Deny => Tri::Yes,
            EndpointOutcome::Unknown => Tri::Unknown,
            // No rule matched for sure only when none of them might match: a Deny whose source
            // is unresolved could be the deny this rule looks for.
            EndpointOutcome::Unrestricted => match &d.list {
                Some(list)
                    if list.rules[..list.user_count]
                        .iter()
                        .any(|r| match_rule(r, &d.flow, broad).tri != Tri::No) =>
                {
                    Tri::Unknown
                }
                _ => Tri::No,
            },
            EndpointOutcome::Allow { .. } => Tri::No,
        };
        result = result.or(here);
    }
    result
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        // A syntax that implies its API version implies one from 2024-07-01 on (see `needs`).
        let Some(api) = pool.api() else {
            continue;
        };
        let Some(declared) = parse_api_version(api.version) else {
            continue;
        };
        if declared >= NO_AUTO_MAPPING || is_public(pool) != Some(true) {
            continue;
        }
        let Some(nats) = nat_pools(pool) else {
            continue;
        };
        let os = pool_os(pool);
        let ports: &[u32] = match os {
            Os::Linux => &[22],
            Os::Windows => &[3389],
            Os::Unknown => &[22, 3389],
        };
        // With an unknown OS, a deny of either port is taken as the author's intent.
        let mut any_denied = Tri::No;
        for &port in ports {
            any_denied = any_denied.or(denied(nats, port, ctx.options.broad_prefix_max));
        }
        if any_denied != Tri::No {
            continue;
        }
        let mapped = ports
            .iter()
            .map(|p| format!("{p} ({})", service_name(*p)))
            .collect::<Vec<_>>()
            .join(" or ");
        let os_text = match os {
            Os::Linux => "a Linux pool",
            Os::Windows => "a Windows pool",
            Os::Unknown => "a pool of unknown OS",
        };
        let at = api.span.map_or(At::resource(pool), |s| At::span(pool, s));
        let says = format!(
            "{} is {os_text} declared with {} (before 2024-07-01) on public IPs, and no NAT pool denies port {mapped} to the internet. A pool created this way before 30 November 2025 has remote access mapped for it; pools created later open nothing by default, so this concerns templates that still manage such older pools.",
            who(pool),
            api_text(&api),
        );
        let says = Message::from(says).help(
            "Add a NAT pool on the port whose endpoint rules end with a Deny of `*`, move to API 2024-07-01 or later, or drop the public IPs.",
        );
        let f = cx.report(at, says);
        if let Prop::Known(m) = lookup(&pool.body, &PROVISION) {
            f.related(m.span(), "public IP provisioning");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Span, Value};

    fn num(n: f64) -> Node {
        Node::new(Value::Number(n), Span::new(0, 0, 0))
    }
    fn s(t: &str) -> Node {
        Node::new(Value::String(t.into()), Span::new(0, 0, 0))
    }
    fn obj(members: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| crate::ir::Member {
                        key: k.to_string().into(),
                        key_span: Span::new(0, 0, 0),
                        value: v,
                        written: None,
                    })
                    .collect(),
            ),
            Span::new(0, 0, 0),
        )
    }
    fn rule(prio: i32, access: &str, src: &str) -> Node {
        obj(vec![
            ("priority", num(f64::from(prio))),
            ("access", s(access)),
            ("sourceAddressPrefix", s(src)),
        ])
    }
    fn nat(port: i32, rules: Option<Vec<Node>>) -> Node {
        let mut m = vec![
            ("name", s("n")),
            ("protocol", s("TCP")),
            ("backendPort", num(f64::from(port))),
        ];
        if let Some(r) = rules {
            m.push((
                "networkSecurityGroupRules",
                Node::new(Value::Array(r), Span::new(0, 0, 0)),
            ));
        }
        obj(m)
    }

    #[test]
    fn deny_on_the_port_is_needed() {
        assert_eq!(denied(&[], 22, None), Tri::No);
        assert_eq!(denied(&[nat(22, None)], 22, None), Tri::No);
        let deny = nat(22, Some(vec![rule(150, "Deny", "Internet")]));
        assert_eq!(denied(std::slice::from_ref(&deny), 22, None), Tri::Yes);
        assert_eq!(denied(&[deny], 3389, None), Tri::No);
        let allow_first = nat(
            22,
            Some(vec![rule(150, "Allow", "*"), rule(200, "Deny", "*")]),
        );
        assert_eq!(denied(&[allow_first], 22, None), Tri::No);
        // A Deny whose source is unresolved may be the deny: unknown, not "no deny".
        let mut n = nat(22, Some(vec![rule(150, "Deny", "*")]));
        if let Value::Object(ms) = &mut n.value {
            ms[3].value.value = Value::Array(vec![obj(vec![
                ("priority", num(150.0)),
                ("access", s("Deny")),
                (
                    "sourceAddressPrefix",
                    Node::unknown("param", Span::new(0, 0, 0)),
                ),
            ])]);
        }
        assert_eq!(denied(&[n], 22, None), Tri::Unknown);
        let mut port_unknown = nat(0, None);
        if let Value::Object(ms) = &mut port_unknown.value {
            ms[2].value = Node::unknown("param", Span::new(0, 0, 0));
        }
        assert_eq!(denied(&[port_unknown], 22, None), Tri::Unknown);
    }
}
