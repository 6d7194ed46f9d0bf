//! NET007: NSG rules that Azure (or the azurerm provider) rejects or that cannot be evaluated
//! as written: priorities out of range or repeated within a direction (D6), both forms of a
//! field, service tags in plural prefix fields, malformed ports, invalid enums, absent required
//! fields, lists in singular fields, and azurerm NSGs managed both inline and by standalone rules.

use crate::findings::{Finding, Level};
use crate::graph::{NsgGroup, RuleOrigin};
use crate::ir::{Member, Node, Span, Syntax, Value};
use crate::net::address::Prefix;
use crate::net::nsg::NsgRule;
use crate::net::ports::{parse_port_range, Protocol};
use crate::rules::checker::Checker;
use crate::rules::query::{finding, related, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET007",
        name: "NsgRuleInvalid",
        title: "Invalid NSG rule definition",
        level: Level::Error,
        security_severity: "1.0",
        tags: &["correctness", "network"],
        precision: "high",
        help_uri: URI_NSG,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/NET007.md"),
    },
    check,
};

/// The NSG's lowest and highest user priority.
pub const PRIORITY_MIN: i64 = 100;
pub const PRIORITY_MAX: i64 = 4096;

/// A rule field: absent (or `null`), unknown, or known.
enum Field<'a> {
    Absent,
    Unknown,
    Known(&'a Member),
}

fn field<'a>(props: &'a Node, key: &str) -> Field<'a> {
    match props.member(key) {
        None => Field::Absent,
        Some(m) if m.value.is_null() => Field::Absent,
        Some(m) if m.value.is_unknown() => Field::Unknown,
        Some(m) => Field::Known(m),
    }
}

/// Does a known field hold a value? An empty string or an empty list does not: exported
/// templates and the Terraform attribute form carry `""` and `[]` for the form not in use.
fn has_value(m: &Member) -> bool {
    match &m.value.value {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// The field's name as the user wrote it: camelCase for ARM and azapi, snake_case for azurerm.
fn shown(syntax: Syntax, arm: &str) -> String {
    if syntax != Syntax::Azurerm {
        return arm.to_string();
    }
    match arm {
        "sourceApplicationSecurityGroups" => "source_application_security_group_ids".into(),
        "destinationApplicationSecurityGroups" => {
            "destination_application_security_group_ids".into()
        }
        _ => {
            let mut out = String::new();
            for c in arm.chars() {
                if c.is_ascii_uppercase() {
                    out.push('_');
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// Everything one rule's checks need to report.
struct RuleCx<'a> {
    meta: &'static RuleMeta,
    syntax: Syntax,
    /// `rule 'ssh' of networkSecurityGroups 'nsg'` for messages.
    who: String,
    /// Where to point when a field is absent.
    anchor: Span,
    out: &'a mut Vec<Finding>,
}

impl RuleCx<'_> {
    fn name(&self, arm: &str) -> String {
        shown(self.syntax, arm)
    }
    fn report(&mut self, span: Span, discriminator: String, what: String, fix: &str) {
        let mut f = finding(
            self.meta,
            span,
            format!("{}: {} {what}. {fix}", self.meta.title, self.who),
        );
        f.discriminator = discriminator;
        self.out.push(f);
    }
    fn absent(&mut self, what: &str, fix: &str) {
        let anchor = self.anchor;
        self.report(
            anchor,
            format!("absent:{what}"),
            format!("does not set {what}, which Azure requires"),
            fix,
        );
    }
}

/// Checks an enum-valued field (`direction`, `access`, `protocol`).
fn check_enum(cx: &mut RuleCx, props: &Node, key: &str, valid: fn(&str) -> bool, values: &str) {
    match field(props, key) {
        Field::Unknown => {}
        Field::Absent => {
            let name = cx.name(key);
            cx.absent(&format!("`{name}`"), &format!("Set it to {values}."));
        }
        Field::Known(m) => {
            if m.value.as_str().is_some_and(valid) {
                return;
            }
            let written = match &m.value.value {
                Value::String(s) => format!("`{s}`"),
                _ => "a value that is not a string".into(),
            };
            let name = cx.name(key);
            cx.report(
                m.span(),
                format!("enum:{key}"),
                format!("sets `{name}` to {written}, which is not valid"),
                &format!("Use one of {values}."),
            );
        }
    }
}

fn check_priority(cx: &mut RuleCx, props: &Node) {
    let name = cx.name("priority");
    let range = format!("Use a priority from {PRIORITY_MIN} to {PRIORITY_MAX}, unique among the NSG's rules of the same direction.");
    match field(props, "priority") {
        Field::Unknown => {}
        Field::Absent => cx.absent(&format!("`{name}`"), &range),
        Field::Known(m) => match m.value.as_i64() {
            Some(p) if (PRIORITY_MIN..=PRIORITY_MAX).contains(&p) => {}
            Some(p) => cx.report(
                m.span(),
                "priority".into(),
                format!("has priority {p}, outside the range {PRIORITY_MIN}–{PRIORITY_MAX} that Azure accepts"),
                &range,
            ),
            None => cx.report(
                m.span(),
                "priority".into(),
                "has a priority that is not a whole number".into(),
                &range,
            ),
        },
    }
}

/// Is one port value (`*`, `N`, `A-B`, or a number) well formed?
fn port_ok(n: &Node) -> bool {
    match &n.value {
        Value::String(s) => parse_port_range(s).is_some(),
        Value::Number(_) => n.as_i64().is_some_and(|p| (0..=65535).contains(&p)),
        _ => false,
    }
}

fn port_text(n: &Node) -> String {
    match &n.value {
        Value::String(s) => format!("`{s}`"),
        Value::Number(x) => format!("`{x}`"),
        _ => "a value that is not a port".into(),
    }
}

/// A singular/plural pair of address or port fields.
fn check_pair(cx: &mut RuleCx, props: &Node, singular: &str, plural: &str, ports: bool) {
    let (s, p) = (field(props, singular), field(props, plural));
    let (sn, pn) = (cx.name(singular), cx.name(plural));
    // Both forms set.
    if let (Field::Known(sm), Field::Known(pm)) = (&s, &p) {
        if has_value(sm) && has_value(pm) {
            let mut f = finding(
                cx.meta,
                pm.span(),
                format!(
                    "{}: {} sets both `{sn}` and `{pn}`. Azure accepts only one of the two forms (both are still evaluated here, as their union); keep `{pn}` and remove `{sn}`, or the reverse.",
                    cx.meta.title, cx.who
                ),
            );
            f.discriminator = format!("both:{singular}");
            f.related
                .push(related(sm.span(), format!("`{sn}` is also set")));
            cx.out.push(f);
        }
    }
    // Neither form set (an address field may be replaced by application security groups).
    let unset = |f: &Field| match f {
        Field::Absent => true,
        Field::Known(m) => !has_value(m),
        Field::Unknown => false,
    };
    let asg = if ports {
        None
    } else {
        Some(singular.replace("AddressPrefix", "ApplicationSecurityGroups"))
    };
    let asg_unset = asg.as_ref().is_none_or(|k| unset(&field(props, k)));
    if unset(&s) && unset(&p) && asg_unset {
        let extra = asg
            .as_ref()
            .map(|k| format!(" (or `{}`)", cx.name(k)))
            .unwrap_or_default();
        let fix = if ports {
            format!("Set `{sn}` (`*` for every port) or `{pn}`.")
        } else {
            format!("Set `{sn}` (`*` for every address), `{pn}`{extra}.")
        };
        cx.absent(&format!("`{sn}` or `{pn}`{extra}"), &fix);
    }
    // A list written into the singular field, and malformed singular ports.
    if let Field::Known(sm) = &s {
        if let Value::String(text) = &sm.value.value {
            if text.contains(',') {
                cx.report(
                    sm.span(),
                    format!("list:{singular}"),
                    format!("writes the list `{text}` into the singular field `{sn}` (it is read as a list here, but Azure rejects it)"),
                    &format!("Put the values into `{pn}` as separate elements."),
                );
            }
            if ports {
                let bad: Vec<&str> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|part| !part.is_empty() && parse_port_range(part).is_none())
                    .collect();
                if !bad.is_empty() {
                    cx.report(
                        sm.span(),
                        format!("port:{singular}"),
                        format!("has a malformed port value `{}` in `{sn}`, so the rule cannot be evaluated", bad.join(", ")),
                        "Write `*`, a port from 0 to 65535, or a range `A-B` with A ≤ B.",
                    );
                }
            }
        } else if ports && !port_ok(&sm.value) {
            let text = port_text(&sm.value);
            cx.report(
                sm.span(),
                format!("port:{singular}"),
                format!(
                    "has a malformed port value {text} in `{sn}`, so the rule cannot be evaluated"
                ),
                "Write `*`, a port from 0 to 65535, or a range `A-B` with A ≤ B.",
            );
        }
    }
    // The plural field's elements.
    if let Field::Known(pm) = &p {
        for (i, item) in pm.value.items().iter().enumerate() {
            if item.is_unknown() || item.is_null() {
                continue;
            }
            if ports {
                if !port_ok(item) {
                    let text = port_text(item);
                    cx.report(
                        item.span,
                        format!("port:{plural}[{i}]"),
                        format!("has a malformed port value {text} in `{pn}`, so the rule cannot be evaluated"),
                        "Write each element as `*`, a port from 0 to 65535, or a range `A-B` with A ≤ B.",
                    );
                }
            } else if let Some(text) = item.as_str() {
                if Prefix::parse(text).is_tag() {
                    cx.report(
                        item.span,
                        format!("tag:{plural}[{i}]"),
                        format!("lists the service tag `{}` in `{pn}`; Azure accepts service tags only in `{sn}` (the value is still evaluated here)", text.trim()),
                        &format!("Move the tag into `{sn}`, or split the rule into one rule per tag."),
                    );
                }
            }
        }
    }
}

fn check_rule(
    meta: &'static RuleMeta,
    nsg: &NsgGroup,
    rule: &NsgRule,
    origin: &RuleOrigin,
    out: &mut Vec<Finding>,
) {
    let node = origin.node;
    let props = node.member("properties").map(|m| &m.value);
    if node.is_unknown() || props.is_some_and(|p| p.is_unknown()) {
        return;
    }
    check_fields(meta, nsg, rule, origin, props, out);
}

fn check_fields(
    meta: &'static RuleMeta,
    nsg: &NsgGroup,
    rule: &NsgRule,
    origin: &RuleOrigin,
    props: Option<&Node>,
    out: &mut Vec<Finding>,
) {
    let empty = Node::new(Value::Object(Vec::new()), origin.node.span);
    let props = props.filter(|p| !p.is_null()).unwrap_or(&empty);
    let who = match &rule.name {
        Some(n) => format!("rule '{n}' of {}", nsg.label),
        None => format!("a rule of {}", nsg.label),
    };
    let anchor = if origin.is_inline() {
        rule.anchor
    } else {
        origin.resource.header
    };
    let mut cx = RuleCx {
        meta,
        syntax: origin.resource.syntax,
        who,
        anchor,
        out,
    };
    check_priority(&mut cx, props);
    check_enum(
        &mut cx,
        props,
        "direction",
        |s| ["inbound", "outbound"].contains(&s.trim().to_ascii_lowercase().as_str()),
        "`Inbound` or `Outbound`",
    );
    check_enum(
        &mut cx,
        props,
        "access",
        |s| ["allow", "deny"].contains(&s.trim().to_ascii_lowercase().as_str()),
        "`Allow` or `Deny`",
    );
    check_enum(
        &mut cx,
        props,
        "protocol",
        |s| Protocol::parse(s).is_some(),
        "`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`",
    );
    check_pair(
        &mut cx,
        props,
        "sourceAddressPrefix",
        "sourceAddressPrefixes",
        false,
    );
    check_pair(&mut cx, props, "sourcePortRange", "sourcePortRanges", true);
    check_pair(
        &mut cx,
        props,
        "destinationAddressPrefix",
        "destinationAddressPrefixes",
        false,
    );
    check_pair(
        &mut cx,
        props,
        "destinationPortRange",
        "destinationPortRanges",
        true,
    );
}

/// `rule 'ssh'`, or `a rule` when it has no name.
fn named(r: &NsgRule) -> String {
    match &r.name {
        Some(n) => format!("rule '{n}'"),
        None => "a rule".into(),
    }
}

/// Two rules of one direction with the same priority (D6): the later one in source order is
/// reported, with the first one as related location.
fn check_duplicates(meta: &RuleMeta, nsg: &NsgGroup, out: &mut Vec<Finding>) {
    let user = nsg.rules.user_rules();
    let mut order: Vec<usize> = (0..user.len()).collect();
    order.sort_by_key(|&i| nsg.origins[i].node.span);
    let mut seen: Vec<usize> = Vec::new();
    for i in order {
        let r = &user[i];
        let (Some(dir), Some(prio)) = (r.direction, r.priority) else {
            continue;
        };
        let first = seen
            .iter()
            .copied()
            .find(|&j| user[j].direction == Some(dir) && user[j].priority == Some(prio));
        match first {
            Some(j) => {
                let earlier = &user[j];
                let mut f = finding(
                    meta,
                    r.priority_span.unwrap_or(r.anchor),
                    format!(
                        "{}: {} of {} has priority {prio}, which {} already uses for the same direction ({dir:?}); Azure requires priorities to be unique per direction. Give one of them another priority.",
                        meta.title,
                        named(r),
                        nsg.label,
                        named(earlier),
                    ),
                );
                f.discriminator = "duplicate".into();
                f.related.push(related(
                    earlier.priority_span.unwrap_or(earlier.anchor),
                    format!("{} also has priority {prio}", named(earlier)),
                ));
                out.push(f);
            }
            None => seen.push(i),
        }
    }
}

/// An azurerm NSG with inline `security_rule` blocks that is also the target of
/// `azurerm_network_security_rule` resources: each apply overwrites the other's rules.
fn check_mixed(meta: &RuleMeta, nsg: &NsgGroup, out: &mut Vec<Finding>) {
    let Some(res) = nsg.resource else { return };
    if res.syntax != Syntax::Azurerm {
        return;
    }
    let Some(inline) = res
        .properties()
        .and_then(|p| p.member("securityRules"))
        .filter(|m| !m.value.items().is_empty())
    else {
        return;
    };
    for origin in &nsg.origins {
        let r = origin.resource;
        if origin.is_inline() || r.syntax != Syntax::Azurerm {
            continue;
        }
        let at = r
            .tf_body
            .as_ref()
            .and_then(|b| b.member("network_security_group_name"))
            .map(|m| m.span())
            .unwrap_or(r.header);
        let mut f = finding(
            meta,
            at,
            format!(
                "{}: {} targets {}, which also declares inline security_rule blocks. The azurerm provider cannot combine the two on one NSG: each apply removes the rules the other one manages. Move every rule into security_rule blocks, or every rule into azurerm_network_security_rule resources.",
                meta.title,
                r.display(),
                nsg.label,
            ),
        );
        f.related.push(related(
            inline.key_span,
            format!("inline security_rule blocks of {}", nsg.label),
        ));
        out.push(f);
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for nsg in &ctx.graph.nsgs {
        for (rule, origin) in nsg.rules.user_rules().iter().zip(&nsg.origins) {
            check_rule(meta, nsg, rule, origin, out);
        }
        check_duplicates(meta, nsg, out);
        check_mixed(meta, nsg, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_follow_the_syntax() {
        assert_eq!(shown(Syntax::Arm, "sourcePortRanges"), "sourcePortRanges");
        assert_eq!(
            shown(Syntax::Azurerm, "destinationAddressPrefixes"),
            "destination_address_prefixes"
        );
        assert_eq!(
            shown(Syntax::Azurerm, "sourceApplicationSecurityGroups"),
            "source_application_security_group_ids"
        );
        assert_eq!(shown(Syntax::Azapi, "priority"), "priority");
    }

    #[test]
    fn port_values() {
        let sp = Span::new(0, 0, 0);
        let n = |v: Value| Node::new(v, sp);
        assert!(port_ok(&n(Value::String("*".into()))));
        assert!(port_ok(&n(Value::String("0-65535".into()))));
        assert!(port_ok(&n(Value::Number(0.0))));
        assert!(port_ok(&n(Value::Number(65535.0))));
        assert!(!port_ok(&n(Value::Number(65536.0))));
        assert!(!port_ok(&n(Value::Number(22.5))));
        assert!(!port_ok(&n(Value::String("22,23".into()))));
        assert!(!port_ok(&n(Value::Bool(true))));
    }
}
