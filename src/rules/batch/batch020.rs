//! BATCH020: a Batch pool's inbound NAT pools break the service's constraints (§1.11).

use crate::findings::{Level, Message};
use crate::ir::types;
use crate::ir::{Member, Node, Resource, Span, Value};
use crate::rules::checker::{quote, Checker};
use crate::rules::query::pool::{
    date, effective_api_date, element_anchor, nat_name, nat_pool, nat_pools, report_on_pool,
    show_date, shown,
};
use crate::rules::query::{lookup, str_in, Prop, URI_RA};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH020",
        name: "InvalidNatPoolPortsOrRanges",
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
/// The fewest ports a frontend range may hold.
const MIN_FRONTEND_PORTS: i64 = 40;
/// The last API version whose schema also reserves 22 and 3389 as backend ports (D7).
const LAST_API_RESERVING_REMOTE: u32 = date(2024, 2, 1);

/// One NAT pool's frontend range, once read.
struct Range<'n> {
    start: i64,
    end: i64,
    span: Span,
    nat: &'n Node,
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some(nats) = nat_pools(pool) else {
            continue;
        };
        check_pool(cx, pool, nats);
    }
}

fn check_pool(cx: &mut Checker, pool: &Resource, nats: &[Node]) {
    let api = effective_api_date(pool);
    let mut names: Vec<(String, Span)> = Vec::new();
    let mut backends: Vec<(i64, Span, &Node)> = Vec::new();
    let mut ranges: Vec<Range> = Vec::new();
    for (i, nat) in nats.iter().enumerate() {
        if i >= MAX_NAT_POOLS {
            report_on_pool(
                cx,
                pool,
                element_anchor(nat),
                format!("count:{i}"),
                Message::new()
                    .text(format!("declares {} NAT pools; ", nats.len()))
                    .append(nat_pool(nat))
                    .text(format!(
                        " is number {} and at most {MAX_NAT_POOLS} are allowed",
                        i + 1
                    )),
                "Merge or remove NAT pools so that at most five remain.",
            );
        }
        if nat.is_unknown() {
            continue;
        }
        check_name(cx, pool, nat, &mut names);
        check_protocol(cx, pool, nat);
        check_backend(cx, pool, nat, api, &mut backends);
        // What the pool's syntax itself rejects in this NAT pool's range is reported as the
        // syntax says, in place of the service's check of the same thing (D5).
        // The rejection belongs to this NAT pool when its attribute lies in the pool's block and
        // it was written in the element of this pool's name: the elements of a `dynamic` block
        // share one block and attribute. Elements that share a value each record its rejection,
        // reported once per pool.
        let name = nat.get("name").and_then(Node::as_str);
        let mut rejected: Vec<&str> = Vec::new();
        for x in pool.rejected.iter().filter(|x| {
            nat.span.holds(x.at) && (x.element.is_none() || x.element.as_deref() == name)
        }) {
            if rejected.contains(&x.key) {
                continue;
            }
            report_on_pool(
                cx,
                pool,
                x.at,
                format!("frontend-{}", x.key),
                Message::new()
                    .text("has ")
                    .append(nat_pool(nat))
                    .text(format!(" whose {} \"", x.name))
                    .value(&x.value, Some(x.value_at))
                    .text(format!("\" {}", x.problem)),
                x.fix,
            );
            rejected.push(x.key);
        }
        if rejected.contains(&"form") {
            continue;
        }
        if let Some(r) = check_frontend(cx, pool, nat, rejected.contains(&"size")) {
            for earlier in &ranges {
                if earlier.start <= r.end && r.start <= earlier.end {
                    let same = earlier.start == r.start && earlier.end == r.end;
                    let what = if same { "repeats" } else { "overlaps" };
                    report_on_pool(
                        cx,
                        pool,
                        r.span,
                        format!("overlap:{}", nat_name(earlier.nat)),
                        Message::new()
                            .text("has ")
                            .append(nat_pool(nat))
                            .text(format!(
                                " whose frontend range {}-{} {what} the range {}-{} of ",
                                r.start, r.end, earlier.start, earlier.end
                            ))
                            .append(nat_pool(earlier.nat))
                            .text("; each NAT pool needs its own frontend ports"),
                        "Move one of the ranges so that they are disjoint.",
                    )
                    .related(
                        earlier.span,
                        Message::new()
                            .text(format!(
                                "frontend range {}-{} of ",
                                earlier.start, earlier.end
                            ))
                            .append(nat_pool(earlier.nat)),
                    );
                }
            }
            ranges.push(r);
        }
    }
}

fn check_name(cx: &mut Checker, pool: &Resource, nat: &Node, names: &mut Vec<(String, Span)>) {
    let Prop::Known(m) = lookup(nat, &["name"]) else {
        return;
    };
    let Some(name) = m.value.as_str() else {
        return;
    };
    let at = m.span();
    let fix = "Use a name of at most 77 letters, digits, `_`, `.` and `-` that starts with a letter or digit and ends with a letter, digit or `_`, unique in the pool.";
    let quoted = || Message::new().text("'").append(quote(&m.value)).text("'");
    if let Some((first_name, first)) = names.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        let (first_name, first) = (first_name.clone(), *first);
        // Names differ only by case: the service compares them case-insensitively.
        let both = if first_name == name {
            Message::new().text("two NAT pools named ").append(quoted())
        } else {
            Message::new()
                .text("NAT pools named '")
                .value(first_name.clone(), Some(first))
                .text("' and ")
                .append(quoted())
                .text(" (which differ only by case)")
        };
        report_on_pool(
            cx,
            pool,
            at,
            "name-duplicate".into(),
            Message::new()
                .text("has ")
                .append(both)
                .text("; names must be unique in the pool"),
            fix,
        )
        .related(
            first,
            Message::new()
                .text("NAT pool '")
                .value(first_name, Some(first))
                .text("'"),
        );
    } else {
        names.push((name.to_string(), at));
    }
    if name.is_empty() {
        report_on_pool(
            cx,
            pool,
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
        report_on_pool(
            cx,
            pool,
            at,
            "name-charset".into(),
            Message::new()
                .text("has NAT pool name ")
                .append(quoted())
                .text(" with the characters `")
                .value(bad, Some(m.value.span))
                .text("`, outside letters, digits, `_`, `.` and `-`"),
            fix,
        );
    }
    let first = name.chars().next().expect("not empty");
    if !first.is_ascii_alphanumeric() {
        report_on_pool(
            cx,
            pool,
            at,
            "name-start".into(),
            Message::new()
                .text("has NAT pool name ")
                .append(quoted())
                .text(", which does not start with a letter or digit"),
            fix,
        );
    }
    let last = name.chars().last().expect("not empty");
    if !(last.is_ascii_alphanumeric() || last == '_') {
        report_on_pool(
            cx,
            pool,
            at,
            "name-end".into(),
            Message::new()
                .text("has NAT pool name ")
                .append(quoted())
                .text(", which does not end with a letter, digit or `_`"),
            fix,
        );
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        report_on_pool(
            cx,
            pool,
            at,
            "name-length".into(),
            format!("has a NAT pool name of {len} characters; at most {MAX_NAME_LEN} are allowed")
                .into(),
            fix,
        );
    }
}

/// A port or protocol as the message shows it: a string quoted, a whole number as written.
fn show(m: &Member) -> Message {
    match (&m.value.value, m.value.as_i64()) {
        (Value::String(_), _) => shown(&m.value),
        (_, Some(n)) => Message::new().text(n.to_string()),
        _ => Message::new().text("a non-numeric value"),
    }
}

fn check_protocol(cx: &mut Checker, pool: &Resource, nat: &Node) {
    let Prop::Known(m) = lookup(nat, &["protocol"]) else {
        return;
    };
    if str_in(m, &["TCP", "UDP"]) != Some(true) {
        report_on_pool(
            cx,
            pool,
            m.span(),
            "protocol".into(),
            Message::new()
                .text("has ")
                .append(nat_pool(nat))
                .text(" with protocol ")
                .append(show(m))
                .text("; only TCP and UDP are accepted"),
            "Set the protocol to TCP or UDP.",
        );
    }
}

fn check_backend<'n>(
    cx: &mut Checker,
    pool: &Resource,
    nat: &'n Node,
    api: Option<u32>,
    backends: &mut Vec<(i64, Span, &'n Node)>,
) {
    let Prop::Known(m) = lookup(nat, &["backendPort"]) else {
        return;
    };
    let at = m.span();
    let fix = "Choose another backend port.";
    let has = || Message::new().text("has ").append(nat_pool(nat));
    let Some(port) = m.value.as_i64() else {
        report_on_pool(
            cx,
            pool,
            at,
            "backend-range".into(),
            has()
                .text(" with backend port ")
                .append(show(m))
                .text(", which is not a port number"),
            "Set the backend port to a number from 1 to 65535.",
        );
        return;
    };
    if !(1..=65535).contains(&port) {
        report_on_pool(
            cx,
            pool,
            at,
            "backend-range".into(),
            has().text(format!(" with backend port {port}, outside 1-65535")),
            "Set the backend port to a number from 1 to 65535.",
        );
        return;
    }
    if RESERVED_BACKEND.contains(&port) {
        report_on_pool(
            cx,
            pool,
            at,
            "backend-reserved".into(),
            has().text(format!(
                " with backend port {port}, which the Batch service reserves (29876 and 29877)"
            )),
            fix,
        );
    }
    if let Some((_, first, other)) = backends.iter().find(|(b, _, _)| *b == port) {
        let (first, other) = (*first, *other);
        report_on_pool(
            cx,
            pool,
            at,
            "backend-duplicate".into(),
            has()
                .text(format!(" with backend port {port}, already used by "))
                .append(nat_pool(other))
                .text("; backend ports must be unique in the pool"),
            "Give each NAT pool its own backend port.",
        )
        .related(
            first,
            Message::new()
                .text(format!("backend port {port} of "))
                .append(nat_pool(other)),
        );
    } else {
        backends.push((port, at, nat));
    }
    if (port == 22 || port == 3389) && api.is_some_and(|a| a <= LAST_API_RESERVING_REMOTE) {
        report_on_pool(
            cx,
            pool,
            at,
            "backend-remote-reserved".into(),
            has().text(format!(
                " with backend port {port}, which the schema of API version {} lists as reserved, although the remote-access guide uses it",
                show_date(api.expect("checked"))
            )),
            "If the deployment is rejected, move to API 2024-07-01 or later.",
        )
        .level(Level::Note);
    }
}

/// Checks the frontend bounds and range size (unless the syntax already rejected the size);
/// returns the range when both bounds are known whole numbers with start ≤ end, for the overlap
/// check across NAT pools.
fn check_frontend<'n>(
    cx: &mut Checker,
    pool: &Resource,
    nat: &'n Node,
    size_rejected: bool,
) -> Option<Range<'n>> {
    let known = |key: &str| match lookup(nat, &[key]) {
        Prop::Known(m) => Some(m),
        _ => None,
    };
    let (sm, em) = (
        known("frontendPortRangeStart"),
        known("frontendPortRangeEnd"),
    );
    // Both bounds written in one member (a `START-END` string, as azurerm writes the range):
    // each bound is pointed at by its own digits, the range by the member.
    let one_member = matches!((sm, em), (Some(s), Some(e)) if s.key_span == e.key_span);
    let mut bound = |m: Option<&Member>, label: &str| -> Option<i64> {
        let m = m?;
        let at = if one_member { m.value.span } else { m.span() };
        let fix = "Use frontend ports from 1 to 65534.";
        let has = Message::new().text("has ").append(nat_pool(nat));
        let Some(v) = m.value.as_i64() else {
            report_on_pool(
                cx,
                pool,
                at,
                format!("{label}-range"),
                has.text(format!(" with frontend range {label} "))
                    .append(show(m))
                    .text(", which is not a port number"),
                fix,
            );
            return None;
        };
        if !(1..=65534).contains(&v) {
            report_on_pool(
                cx,
                pool,
                at,
                format!("{label}-range"),
                has.text(format!(" with frontend range {label} {v}, outside 1-65534")),
                fix,
            );
        }
        Some(v)
    };
    let start = bound(sm, "start");
    let end = bound(em, "end");
    let (start, end, sm, em) = (start?, end?, sm?, em?);
    let span = sm.span().to(em.span());
    let has = || Message::new().text("has ").append(nat_pool(nat));
    if start > end {
        report_on_pool(
            cx,
            pool,
            span,
            "frontend-order".into(),
            has().text(format!(
                " whose frontend range starts at {start}, after its end {end}"
            )),
            "Make the start no greater than the end.",
        );
        return None;
    }
    let (rs, re) = RESERVED_FRONTEND;
    if start <= re && rs <= end {
        report_on_pool(
            cx,
            pool,
            span,
            "frontend-reserved".into(),
            has().text(format!(
                " whose frontend range {start}-{end} overlaps 50000-55000, which the Batch service reserves"
            )),
            "Move the range below 50000 or above 55000.",
        );
    }
    if end - start + 1 < MIN_FRONTEND_PORTS && !size_rejected {
        report_on_pool(
            cx,
            pool,
            span,
            "frontend-size".into(),
            has().text(format!(
                " whose frontend range {start}-{end} holds {} ports; the Batch service requires at least {MIN_FRONTEND_PORTS}",
                end - start + 1
            )),
            "Widen the range to at least 40 ports.",
        );
    }
    Some(Range {
        start,
        end,
        span,
        nat,
    })
}
