//! NET007: NSG rules that Azure (or the azurerm provider) rejects or that cannot be evaluated
//! as written: priorities out of range or repeated within a direction (D6), both forms of a
//! field, service tags in plural prefix fields, malformed ports, invalid enums, absent required
//! fields, lists in singular fields, and NSGs whose syntax manages their rule list as a whole
//! (azurerm's inline `security_rule` blocks) that standalone rule resources also add to.

use crate::findings::{Fix, Level, Message};
use crate::graph::NsgGroup;
use crate::ir::spelling::PropPath;
use crate::ir::{Member, Node, Resource, Span, Value};
use crate::net::address::Prefix;
use crate::net::ports::{parse_port_range, Protocol};
use crate::rules::checker::{name, quote, who, At, Checker, Reported};
use crate::rules::query::nsg::rule_name_at;
use crate::rules::query::{lookup, Prop, URI_NSG};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET007",
        name: "InvalidNsgRuleDefinition",
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

/// Does a known field hold a value? An empty string or an empty list does not: exported
/// templates and the Terraform attribute form carry `""` and `[]` for the form not in use.
fn has_value(m: &Member) -> bool {
    match &m.value.value {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// One user rule as written: the resource that holds it, its properties, the ARM keys from the
/// resource object to them, and how messages name it.
struct Written<'a> {
    /// The NSG for an inline rule, the rule resource for a standalone one.
    resource: &'a Resource,
    props: &'a Node,
    /// `properties.securityRules.<i>.properties` or `properties`.
    base: Vec<String>,
    /// `rule 'ssh' of networkSecurityGroups 'nsg'`, the name quoted where it is written.
    who: Message,
    /// Where to point when a field is absent.
    anchor: Span,
}

impl<'a> Written<'a> {
    /// The full ARM path of one of the rule's fields.
    fn keys<'k>(&'k self, field: &'k str) -> Vec<&'k str> {
        let mut keys: Vec<&str> = self.base.iter().map(String::as_str).collect();
        keys.push(field);
        keys
    }
    /// The field's name as the resource's syntax writes it.
    fn name(&self, field: &str) -> String {
        let keys = self.keys(field);
        name(self.resource, PropPath::new(&keys, keys.len() - 1))
    }
    /// [`Written::name`], worked out when a message first prints it: most rules have nothing
    /// to report, and naming a field asks the resource's spelling.
    fn lazy_name<'w>(&'w self, field: &'w str) -> LazyName<'w, 'a> {
        LazyName {
            written: self,
            field,
            name: std::cell::OnceCell::new(),
        }
    }
    fn field(&self, field: &str) -> Prop<'_> {
        lookup(self.props, &[field])
    }
    /// Reports `{who} {what}. {fix}` at `at`.
    fn report<'c>(
        &self,
        cx: &'c mut Checker,
        at: Span,
        discriminator: String,
        what: Message,
        fix: &str,
    ) -> Reported<'c> {
        let says = self.who.clone().text(" ").append(what).text(".").help(fix);
        cx.report(At::span(self.resource, at), says)
            .discriminator(discriminator)
    }
    /// A required field that is absent.
    fn absent(&self, cx: &mut Checker, what: &str, fix: &str) {
        let says = Message::new().text(format!("does not set {what}, which Azure requires"));
        self.report(cx, self.anchor, format!("absent:{what}"), says, fix);
    }
}

/// A field's written name that is worked out when first printed ([`Written::lazy_name`]).
struct LazyName<'w, 'a> {
    written: &'w Written<'a>,
    field: &'w str,
    name: std::cell::OnceCell<String>,
}

impl std::fmt::Display for LazyName<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name.get_or_init(|| self.written.name(self.field)))
    }
}

/// A value quoted between backticks.
fn ticked(value: Message) -> Message {
    Message::new().text("`").append(value).text("`")
}

/// Checks an enum-valued field (`direction`, `access`, `protocol`).
fn check_enum(cx: &mut Checker, w: &Written, key: &str, valid: fn(&str) -> bool, values: &str) {
    match w.field(key) {
        Prop::Unknown => {}
        Prop::Absent => {
            let name = w.name(key);
            w.absent(cx, &format!("`{name}`"), &format!("Set it to {values}."));
        }
        Prop::Known(m) => {
            if m.value.as_str().is_some_and(valid) {
                return;
            }
            let written = match &m.value.value {
                Value::String(_) => ticked(quote(&m.value)),
                _ => Message::new().text("a value that is not a string"),
            };
            let name = w.name(key);
            let what = Message::new()
                .text(format!("sets `{name}` to "))
                .append(written)
                .text(", which is not valid");
            w.report(
                cx,
                m.span(),
                format!("enum:{key}"),
                what,
                &format!("Use one of {values}."),
            );
        }
    }
}

fn check_priority(cx: &mut Checker, w: &Written) {
    let name = w.lazy_name("priority");
    let range = format!("Use a priority from {PRIORITY_MIN} to {PRIORITY_MAX}, unique among the NSG's rules of the same direction.");
    match w.field("priority") {
        Prop::Unknown => {}
        Prop::Absent => w.absent(cx, &format!("`{name}`"), &range),
        Prop::Known(m) => match m.value.as_i64() {
            Some(p) if (PRIORITY_MIN..=PRIORITY_MAX).contains(&p) => {}
            Some(p) => {
                let what = Message::new()
                    .text("has priority ")
                    .value(p.to_string(), Some(m.value.span))
                    .text(format!(
                        ", outside the range {PRIORITY_MIN}–{PRIORITY_MAX} that Azure accepts"
                    ));
                w.report(cx, m.span(), "priority".into(), what, &range);
            }
            None => {
                let what = Message::new().text("has a priority that is not a whole number");
                w.report(cx, m.span(), "priority".into(), what, &range);
            }
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

fn port_text(n: &Node) -> Message {
    match &n.value {
        Value::String(_) | Value::Number(_) => ticked(quote(n)),
        _ => Message::new().text("a value that is not a port"),
    }
}

/// A singular/plural pair of address or port fields.
fn check_pair(cx: &mut Checker, w: &Written, singular: &str, plural: &str, ports: bool) {
    let (s, p) = (w.field(singular), w.field(plural));
    let (sn, pn) = (w.lazy_name(singular), w.lazy_name(plural));
    // Both forms set.
    if let (Prop::Known(sm), Prop::Known(pm)) = (&s, &p) {
        if has_value(sm) && has_value(pm) {
            let what = Message::new().text(format!("sets both `{sn}` and `{pn}`"));
            let fix = format!("Azure accepts only one of the two forms (both are still evaluated here, as their union); keep `{pn}` and remove `{sn}`, or the reverse.");
            w.report(cx, pm.span(), format!("both:{singular}"), what, &fix)
                .related(sm.span(), format!("`{sn}` is also set"))
                .fix(Fix::remove(&w.keys(singular)));
        }
    }
    // Neither form set (an address field may be replaced by application security groups).
    let unset = |f: &Prop| match f {
        Prop::Absent => true,
        Prop::Known(m) => !has_value(m),
        Prop::Unknown => false,
    };
    let asg = if ports {
        None
    } else {
        Some(singular.replace("AddressPrefix", "ApplicationSecurityGroups"))
    };
    let asg_unset = asg.as_ref().is_none_or(|k| unset(&w.field(k)));
    if unset(&s) && unset(&p) && asg_unset {
        let extra = asg
            .as_ref()
            .map(|k| format!(" (or `{}`)", w.name(k)))
            .unwrap_or_default();
        let fix = if ports {
            format!("Set `{sn}` (`*` for every port) or `{pn}`.")
        } else {
            format!("Set `{sn}` (`*` for every address), `{pn}`{extra}.")
        };
        w.absent(cx, &format!("`{sn}` or `{pn}`{extra}"), &fix);
    }
    // A list written into the singular field, and malformed singular ports.
    if let Prop::Known(sm) = &s {
        if let Value::String(text) = &sm.value.value {
            if text.contains(',') {
                let what = Message::new()
                    .text("writes the list ")
                    .append(ticked(quote(&sm.value)))
                    .text(format!(" into the singular field `{sn}` (it is read as a list here, but Azure rejects it)"));
                let parts: Vec<&str> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                    .collect();
                let f = w.report(
                    cx,
                    sm.span(),
                    format!("list:{singular}"),
                    what,
                    &format!("Put the values into `{pn}` as separate elements."),
                );
                // The values move into the plural field when it does not hold any yet.
                if unset(&p) && !matches!(p, Prop::Unknown) {
                    f.fix(Fix::remove(&w.keys(singular)).and_set(&w.keys(plural), json!(parts)));
                }
            }
            if ports {
                let bad: Vec<&str> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|part| !part.is_empty() && parse_port_range(part).is_none())
                    .collect();
                if !bad.is_empty() {
                    let what = Message::new()
                        .text("has a malformed port value ")
                        .append(ticked(
                            Message::new().value(bad.join(", "), Some(sm.value.span)),
                        ))
                        .text(format!(" in `{sn}`, so the rule cannot be evaluated"));
                    w.report(
                        cx,
                        sm.span(),
                        format!("port:{singular}"),
                        what,
                        "Write `*`, a port from 0 to 65535, or a range `A-B` with A ≤ B.",
                    );
                }
            }
        } else if ports && !port_ok(&sm.value) {
            let what = Message::new()
                .text("has a malformed port value ")
                .append(port_text(&sm.value))
                .text(format!(" in `{sn}`, so the rule cannot be evaluated"));
            w.report(
                cx,
                sm.span(),
                format!("port:{singular}"),
                what,
                "Write `*`, a port from 0 to 65535, or a range `A-B` with A ≤ B.",
            );
        }
    }
    // The plural field's elements.
    if let Prop::Known(pm) = &p {
        for (i, item) in pm.value.items().iter().enumerate() {
            if item.is_unknown() || item.is_null() {
                continue;
            }
            if ports {
                if !port_ok(item) {
                    let what = Message::new()
                        .text("has a malformed port value ")
                        .append(port_text(item))
                        .text(format!(" in `{pn}`, so the rule cannot be evaluated"));
                    w.report(
                        cx,
                        item.span,
                        format!("port:{plural}[{i}]"),
                        what,
                        "Write each element as `*`, a port from 0 to 65535, or a range `A-B` with A ≤ B.",
                    );
                }
            } else if let Some(text) = item.as_str() {
                if Prefix::parse(text).is_tag() {
                    let what = Message::new()
                        .text("lists the service tag ")
                        .append(ticked(Message::new().value(text.trim(), Some(item.span))))
                        .text(format!(" in `{pn}`; Azure accepts service tags only in `{sn}` (the value is still evaluated here)"));
                    w.report(
                        cx,
                        item.span,
                        format!("tag:{plural}[{i}]"),
                        what,
                        &format!(
                            "Move the tag into `{sn}`, or split the rule into one rule per tag."
                        ),
                    );
                }
            }
        }
    }
}

/// `rule 'ssh'` (the name quoted where it is written), or `a rule` when it has none.
fn named(nsg: &NsgGroup, i: usize) -> Message {
    match &nsg.rules.rules[i].name {
        Some(n) => Message::new()
            .text("rule '")
            .value(n, Some(rule_name_at(nsg, i)))
            .text("'"),
        None => Message::new().text("a rule"),
    }
}

/// Checks how user rule `i` of an NSG group is written.
fn check_rule(cx: &mut Checker, nsg: &NsgGroup, i: usize, positions: &HashMap<*const Node, usize>) {
    let rule = &nsg.rules.rules[i];
    let origin = &nsg.origins[i];
    let node = origin.node;
    let props = node.member("properties").map(|m| &m.value);
    if node.is_unknown() || props.is_some_and(|p| p.is_unknown()) {
        return;
    }
    let empty = Node::new(Value::Object(Vec::new()), node.span);
    let props = props.filter(|p| !p.is_null()).unwrap_or(&empty);
    // An inline rule's fields are below its position in the NSG's list.
    let base = match positions.get(&(node as *const Node)) {
        Some(at) if origin.is_inline() => vec![
            "properties".to_string(),
            "securityRules".to_string(),
            at.to_string(),
            "properties".to_string(),
        ],
        _ => vec!["properties".to_string()],
    };
    let w = Written {
        resource: origin.resource,
        props,
        base,
        who: named(nsg, i).text(format!(" of {}", nsg.label)),
        anchor: if origin.is_inline() {
            rule.anchor
        } else {
            origin.resource.header
        },
    };
    check_priority(cx, &w);
    check_enum(
        cx,
        &w,
        "direction",
        |s| ["inbound", "outbound"].contains(&s.trim().to_ascii_lowercase().as_str()),
        "`Inbound` or `Outbound`",
    );
    check_enum(
        cx,
        &w,
        "access",
        |s| ["allow", "deny"].contains(&s.trim().to_ascii_lowercase().as_str()),
        "`Allow` or `Deny`",
    );
    check_enum(
        cx,
        &w,
        "protocol",
        |s| Protocol::parse(s).is_some(),
        "`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`",
    );
    check_pair(
        cx,
        &w,
        "sourceAddressPrefix",
        "sourceAddressPrefixes",
        false,
    );
    check_pair(cx, &w, "sourcePortRange", "sourcePortRanges", true);
    check_pair(
        cx,
        &w,
        "destinationAddressPrefix",
        "destinationAddressPrefixes",
        false,
    );
    check_pair(
        cx,
        &w,
        "destinationPortRange",
        "destinationPortRanges",
        true,
    );
}

/// Two rules of one direction with the same priority (D6): the later one in source order is
/// reported, with the first one as related location.
fn check_duplicates(cx: &mut Checker, nsg: &NsgGroup) {
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
                let says = named(nsg, i)
                    .text(format!(" of {} has priority {prio}, which ", nsg.label))
                    .append(named(nsg, j))
                    .text(format!(" already uses for the same direction ({dir:?}); Azure requires priorities to be unique per direction."))
                    .help("Give one of them another priority.");
                let at = At::span(nsg.origins[i].resource, r.priority_span.unwrap_or(r.anchor));
                let also = format!("{} also has priority {prio}", named(nsg, j));
                cx.report(at, says)
                    .discriminator("duplicate")
                    .related(earlier.priority_span.unwrap_or(earlier.anchor), also);
            }
            None => seen.push(i),
        }
    }
}

const SECURITY_RULES: [&str; 2] = ["properties", "securityRules"];

/// An NSG whose syntax manages its rule list as a whole (azurerm's inline `security_rule`
/// blocks) that is also the target of standalone rule resources: each apply overwrites the
/// other's rules.
fn check_mixed(cx: &mut Checker, nsg: &NsgGroup) {
    let Some(res) = nsg.resource else { return };
    let Some(why) = res.spelling().exclusive(&SECURITY_RULES) else {
        return;
    };
    let Prop::Known(inline) = lookup(&res.body, &SECURITY_RULES) else {
        return;
    };
    if inline.value.items().is_empty() {
        return;
    }
    let list = name(res, PropPath::of(&SECURITY_RULES));
    for origin in nsg.origins.iter().filter(|o| !o.is_inline()) {
        let r = origin.resource;
        let standalone = match r.spelling().written_type() {
            Some(t) => format!("{t} resources"),
            None => "rule resources of their own".to_string(),
        };
        let says = Message::new()
            .text(format!(
                "{} targets {}, which also declares rules inline ({list}). {why}",
                who(r),
                nsg.label
            ))
            .help(format!(
                "Move every rule into {list}, or every rule into {standalone}."
            ));
        cx.report(At::span(r, r.parent_ref_at.unwrap_or(r.header)), says)
            .related(
                inline.key_span,
                format!("the rules {} declares inline ({list})", nsg.label),
            );
    }
}

fn check(cx: &mut Checker) {
    cx.each(&cx.ctx.graph.nsgs, |cx, _, nsg| {
        // Where each inline rule stands in its NSG's list.
        let positions: HashMap<*const Node, usize> = nsg
            .resource
            .and_then(|r| r.properties())
            .and_then(|p| p.get("securityRules"))
            .map(|l| l.items())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, n)| (n as *const Node, i))
            .collect();
        for i in 0..nsg.rules.user_count {
            check_rule(cx, nsg, i, &positions);
        }
        check_duplicates(cx, nsg);
        check_mixed(cx, nsg);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{EditOp, Finding};
    use crate::frontend::arm;
    use crate::rules::{Ctx, Options};
    use crate::source::SourceFile;

    fn findings(text: &str) -> Vec<Finding> {
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = crate::graph::build(&rs);
        let options = Options::default();
        let ctx = Ctx::new(&rs, &g, &options);
        let mut out = Vec::new();
        check(&mut Checker::new(&ctx, &RULE.meta, &mut out));
        out
    }

    #[test]
    fn inline_rules_are_named_as_written_and_fixed_at_their_position() {
        let rule = |name: &str, extra: &str| {
            format!(
                r#"{{"name": "{name}", "properties": {{"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "443", "sourceAddressPrefix": "10.0.0.0/8", "destinationAddressPrefix": "*"{extra}}}}}"#
            )
        };
        let text = format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
              {{"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg", "apiVersion": "2023-09-01", "properties": {{"securityRules": [{}, {}]}}}}]}}"#,
            rule("first", ""),
            rule("second", r#", "sourcePortRanges": ["1024-65535"]"#),
        );
        let found = findings(&text);
        let both: Vec<&Finding> = found
            .iter()
            .filter(|f| f.discriminator == "both:sourcePortRange")
            .collect();
        assert_eq!(both.len(), 1, "{found:#?}");
        assert!(
            both[0].message.as_str().contains(
                "rule 'second' of networkSecurityGroups 'nsg' sets both `sourcePortRange` and `sourcePortRanges`"
            ),
            "{}",
            both[0].message
        );
        // The rule's name is a quoted value, located where it is written.
        let name = both[0].message.values().next().unwrap();
        let at = name.span.unwrap();
        assert_eq!(
            (name.text.as_str(), &text[at.start..at.end]),
            ("second", "\"second\"")
        );
        let edit = &both[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(
            edit.path.join("."),
            "properties.securityRules.1.properties.sourcePortRange"
        );
        assert_eq!(edit.op, EditOp::Remove);
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
