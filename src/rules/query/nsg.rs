//! How messages name an NSG rule, with the name and priority quoted from where they are written
//! (so that a rule in a secret range is named `(sensitive)`). Shared by every rule that names one.

use crate::findings::Message;
use crate::graph::NsgGroup;
use crate::rules::query::{lookup, Prop};

/// How messages name rule `i` of an NSG: `rule 'deny-all' (priority 100)`,
/// `default rule DenyAllOutBound (priority 65500)` or `rule at priority 100`. A user rule's name
/// and priority are quoted from where they are written.
pub fn rule_label(group: &NsgGroup, i: usize) -> Message {
    let rule = &group.rules.rules[i];
    if let Some(d) = rule.default_name {
        return Message::new().text(format!(
            "default rule {d} (priority {})",
            rule.priority.unwrap_or(0)
        ));
    }
    let node = group.origins.get(i).map(|o| o.node);
    let priority = match (
        rule.priority,
        node.map(|n| lookup(n, &["properties", "priority"])),
    ) {
        (Some(p), Some(Prop::Known(m))) => Message::new().value(p.to_string(), Some(m.value.span)),
        (Some(p), _) => Message::new().text(p.to_string()),
        (None, _) => Message::new().text("unresolved"),
    };
    match &rule.name {
        Some(n) => Message::new()
            .text("rule '")
            .value(n.clone(), Some(rule_name_at(group, i)))
            .text("' (priority ")
            .append(priority)
            .text(")"),
        None => Message::new().text("rule at priority ").append(priority),
    }
}

/// Where user rule `i` of an NSG group writes its name: the `name` value of the rule object, or
/// the rule's anchor.
pub fn rule_name_at(nsg: &NsgGroup, i: usize) -> crate::ir::Span {
    let rule = &nsg.rules.rules[i];
    nsg.origins
        .get(i)
        .and_then(|o| o.node.member("name"))
        .filter(|m| !m.value.is_null())
        .map_or(rule.anchor, |m| m.value.span)
}
