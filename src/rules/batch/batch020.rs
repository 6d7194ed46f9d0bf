//! BATCH020: a Batch pool's inbound NAT pools break the service's constraints (spec §1.11).

use crate::findings::Level;
use crate::ir::types;
use crate::ir::{Member, Node, Resource, Span, Syntax};
use crate::rules::checker::Checker;
use crate::rules::query::pool::{
    date, effective_api_date, element_anchor, field, nat_name, nat_pools, show_date, PoolFindings,
};
use crate::rules::query::{related, Prop, URI_RA};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH020",
        name: "BatchInvalidNatPoolPorts",
        title: "Invalid NAT pool ports or ranges",
        level: Level::Error,
        security_severity: "1.0",
        tags: &["correctness", "network", "batch"],
        precision: "very-high",
        help_uri: URI_RA,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH020.md"),
    },
    check,
};

const MAX_NAT_POOLS: usize = 5;
const MAX_NAME_LEN: usize = 77;
/// Backend ports the Batch service keeps for itself.
const RESERVED_BACKEND: [i64; 2] = [29876, 29877];
/// Frontend ports the Batch service keeps for itself.
const RESERVED_FRONTEND: (i64, i64) = (50000, 55000);
/// The last API version whose schema also reserves 22 and 3389 as backend ports (D7).
const LAST_API_RESERVING_REMOTE: u32 = date(2024, 2, 1);

/// One NAT pool's frontend range, once read.
struct Range {
    start: i64,
    end: i64,
    span: Span,
    nat: String,
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some(nats) = nat_pools(pool) else {
            continue;
        };
        let mut p = PoolFindings {
            meta: &RULE.meta,
            pool,
            out,
        };
        check_pool(&mut p, nats);
    }
}

fn check_pool(p: &mut PoolFindings, nats: &[Node]) {
    let azurerm = p.pool.syntax == Syntax::Azurerm;
    let api = effective_api_date(p.pool);
    let mut names: Vec<(String, Span)> = Vec::new();
    let mut backends: Vec<(i64, Span, String)> = Vec::new();
    let mut ranges: Vec<Range> = Vec::new();
    for (i, nat) in nats.iter().enumerate() {
        let nname = nat_name(nat);
        if i >= MAX_NAT_POOLS {
            p.report(
                element_anchor(nat),
                format!("count:{i}"),
                format!(
                    "declares {} NAT pools; NAT pool '{nname}' is number {} and at most {MAX_NAT_POOLS} are allowed",
                    nats.len(),
                    i + 1
                ),
                "Merge or remove NAT pools so that at most five remain.",
            );
        }
        if nat.is_unknown() {
            continue;
        }
        check_name(p, nat, &mut names);
        check_protocol(p, nat, &nname);
        check_backend(p, nat, &nname, api, &mut backends);
        if azurerm && !azurerm_range_form_ok(p, i, &nname) {
            continue;
        }
        if let Some(r) = check_frontend(p, nat, &nname, azurerm, i) {
            for earlier in &ranges {
                if earlier.start <= r.end && r.start <= earlier.end {
                    let same = earlier.start == r.start && earlier.end == r.end;
                    let what = if same { "repeats" } else { "overlaps" };
                    let f = p.report(
                        r.span,
                        format!("overlap:{}", earlier.nat),
                        format!(
                            "has NAT pool '{nname}' whose frontend range {}-{} {what} the range {}-{} of NAT pool '{}'; each NAT pool needs its own frontend ports",
                            r.start, r.end, earlier.start, earlier.end, earlier.nat
                        ),
                        "Move one of the ranges so that they are disjoint.",
                    );
                    f.related.push(related(
                        earlier.span,
                        format!(
                            "frontend range {}-{} of NAT pool '{}'",
                            earlier.start, earlier.end, earlier.nat
                        ),
                    ));
                }
            }
            ranges.push(r);
        }
    }
}

fn check_name(p: &mut PoolFindings, nat: &Node, names: &mut Vec<(String, Span)>) {
    let Prop::Known(m) = field(nat, "name") else {
        return;
    };
    let Some(name) = m.value.as_str() else {
        return;
    };
    let at = m.span();
    let fix = "Use a name of at most 77 letters, digits, `_`, `.` and `-` that starts with a letter or digit and ends with a letter, digit or `_`, unique in the pool.";
    if let Some((_, first)) = names.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        let first = *first;
        let f = p.report(
            at,
            "name-duplicate".into(),
            format!("has two NAT pools named '{name}'; names must be unique in the pool"),
            fix,
        );
        f.related.push(related(first, format!("NAT pool '{name}'")));
    } else {
        names.push((name.to_string(), at));
    }
    if name.is_empty() {
        p.report(
            at,
            "name-empty".into(),
            "has a NAT pool with an empty name".into(),
            fix,
        );
        return;
    }
    let bad: String = name
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .collect();
    if !bad.is_empty() {
        p.report(
            at,
            "name-charset".into(),
            format!("has NAT pool name '{name}' with the characters `{bad}`, outside letters, digits, `_`, `.` and `-`"),
            fix,
        );
    }
    let first = name.chars().next().expect("not empty");
    if !first.is_ascii_alphanumeric() {
        p.report(
            at,
            "name-start".into(),
            format!("has NAT pool name '{name}', which does not start with a letter or digit"),
            fix,
        );
    }
    let last = name.chars().last().expect("not empty");
    if !(last.is_ascii_alphanumeric() || last == '_') {
        p.report(
            at,
            "name-end".into(),
            format!("has NAT pool name '{name}', which does not end with a letter, digit or `_`"),
            fix,
        );
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        p.report(
            at,
            "name-length".into(),
            format!("has a NAT pool name of {len} characters; at most {MAX_NAME_LEN} are allowed"),
            fix,
        );
    }
}

fn show(m: &Member) -> String {
    match m.value.as_str() {
        Some(s) => format!("\"{s}\""),
        None => m
            .value
            .as_i64()
            .map_or_else(|| "a non-numeric value".to_string(), |n| n.to_string()),
    }
}

fn check_protocol(p: &mut PoolFindings, nat: &Node, nname: &str) {
    let Prop::Known(m) = field(nat, "protocol") else {
        return;
    };
    let ok = m
        .value
        .as_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("TCP") || s.eq_ignore_ascii_case("UDP"));
    if !ok {
        p.report(
            m.span(),
            "protocol".into(),
            format!(
                "has NAT pool '{nname}' with protocol {}; only TCP and UDP are accepted",
                show(m)
            ),
            "Set the protocol to TCP or UDP.",
        );
    }
}

fn check_backend(
    p: &mut PoolFindings,
    nat: &Node,
    nname: &str,
    api: Option<u32>,
    backends: &mut Vec<(i64, Span, String)>,
) {
    let Prop::Known(m) = field(nat, "backendPort") else {
        return;
    };
    let at = m.span();
    let fix = "Choose another backend port.";
    let Some(port) = m.value.as_i64() else {
        p.report(
            at,
            "backend-range".into(),
            format!(
                "has NAT pool '{nname}' with backend port {}, which is not a port number",
                show(m)
            ),
            "Set the backend port to a number from 1 to 65535.",
        );
        return;
    };
    if !(1..=65535).contains(&port) {
        p.report(
            at,
            "backend-range".into(),
            format!("has NAT pool '{nname}' with backend port {port}, outside 1-65535"),
            "Set the backend port to a number from 1 to 65535.",
        );
        return;
    }
    if RESERVED_BACKEND.contains(&port) {
        p.report(
            at,
            "backend-reserved".into(),
            format!("has NAT pool '{nname}' with backend port {port}, which the Batch service reserves (29876 and 29877)"),
            fix,
        );
    }
    if let Some((_, first, other)) = backends.iter().find(|(b, _, _)| *b == port) {
        let (first, other) = (*first, other.clone());
        let f = p.report(
            at,
            "backend-duplicate".into(),
            format!("has NAT pool '{nname}' with backend port {port}, already used by NAT pool '{other}'; backend ports must be unique in the pool"),
            "Give each NAT pool its own backend port.",
        );
        f.related.push(related(
            first,
            format!("backend port {port} of NAT pool '{other}'"),
        ));
    } else {
        backends.push((port, at, nname.to_string()));
    }
    if (port == 22 || port == 3389) && api.is_some_and(|a| a <= LAST_API_RESERVING_REMOTE) {
        let f = p.report(
            at,
            "backend-remote-reserved".into(),
            format!(
                "has NAT pool '{nname}' with backend port {port}, which the schema of API version {} lists as reserved, although the remote-access guide uses it",
                show_date(api.expect("checked"))
            ),
            "If the deployment is rejected, move to API 2024-07-01 or later.",
        );
        f.level = Level::Note;
    }
}

/// The tf_body attribute `frontend_port_range` of the `i`th `endpoint_configuration` block.
fn azurerm_range_attr(pool: &Resource, i: usize) -> Option<&Member> {
    let nc = pool.tf_body.as_ref()?.get("network_configuration")?;
    let nc = nc.items().first().unwrap_or(nc);
    let ep = nc.get("endpoint_configuration")?;
    let block = if ep.items().is_empty() {
        (i == 0).then_some(ep)?
    } else {
        ep.items().get(i)?
    };
    block
        .member("frontend_port_range")
        .filter(|m| !m.value.is_null())
}

/// azurerm's validator wants `frontend_port_range` as `START-END`, digits only. Reports a known
/// value of another form; `false` when the range cannot be checked further.
fn azurerm_range_form_ok(p: &mut PoolFindings, i: usize, nname: &str) -> bool {
    let Some(m) = azurerm_range_attr(p.pool, i) else {
        return true;
    };
    if m.value.is_unknown() {
        return true;
    }
    let ok = m.value.as_str().is_some_and(|s| {
        s.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    });
    if !ok {
        p.report(
            m.span(),
            "frontend-form".into(),
            format!(
                "has endpoint_configuration '{nname}' with frontend_port_range {}, which is not of the form START-END",
                show(m)
            ),
            "Write the range as two port numbers joined by a dash, e.g. \"4000-4100\".",
        );
    }
    ok
}

/// Checks the frontend bounds and range size; returns the range when both bounds are known
/// whole numbers with start ≤ end, for the overlap check across NAT pools.
fn check_frontend(
    p: &mut PoolFindings,
    nat: &Node,
    nname: &str,
    azurerm: bool,
    i: usize,
) -> Option<Range> {
    let bound = |p: &mut PoolFindings, key: &str, label: &str| -> Option<(i64, &Member)> {
        let Prop::Known(m) = field(nat, key) else {
            return None;
        };
        // azurerm: the bound is the digits inside `frontend_port_range`.
        let at = if azurerm { m.value.span } else { m.span() };
        let fix = "Use frontend ports from 1 to 65534.";
        let Some(v) = m.value.as_i64() else {
            p.report(
                at,
                format!("{label}-range"),
                format!(
                    "has NAT pool '{nname}' with frontend range {label} {}, which is not a port number",
                    show(m)
                ),
                fix,
            );
            return None;
        };
        if !(1..=65534).contains(&v) {
            p.report(
                at,
                format!("{label}-range"),
                format!("has NAT pool '{nname}' with frontend range {label} {v}, outside 1-65534"),
                fix,
            );
        }
        Some((v, m))
    };
    let start = bound(p, "frontendPortRangeStart", "start");
    let end = bound(p, "frontendPortRangeEnd", "end");
    let ((start, sm), (end, em)) = (start?, end?);
    let span = if azurerm {
        azurerm_range_attr(p.pool, i).map_or(sm.key_span.to(em.value.span), Member::span)
    } else {
        sm.span().to(em.span())
    };
    if start > end {
        p.report(
            span,
            "frontend-order".into(),
            format!("has NAT pool '{nname}' whose frontend range starts at {start}, after its end {end}"),
            "Make the start no greater than the end.",
        );
        return None;
    }
    let (rs, re) = RESERVED_FRONTEND;
    if start <= re && rs <= end {
        p.report(
            span,
            "frontend-reserved".into(),
            format!("has NAT pool '{nname}' whose frontend range {start}-{end} overlaps 50000-55000, which the Batch service reserves"),
            "Move the range below 50000 or above 55000.",
        );
    }
    if azurerm {
        if end - start < 100 {
            p.report(
                span,
                "frontend-size".into(),
                format!("has endpoint_configuration '{nname}' whose frontend_port_range {start}-{end} spans {} ports; the azurerm provider requires the end to exceed the start by at least 100", end - start + 1),
                "Widen the range, e.g. \"4000-4100\".",
            );
        }
    } else if end - start + 1 < 40 {
        p.report(
            span,
            "frontend-size".into(),
            format!("has NAT pool '{nname}' whose frontend range {start}-{end} holds {} ports; the Batch service requires at least 40", end - start + 1),
            "Widen the range to at least 40 ports.",
        );
    }
    Some(Range {
        start,
        end,
        span,
        nat: nname.to_string(),
    })
}
