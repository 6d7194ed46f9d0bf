//! Shadowing findings: an NSG rule that an earlier rule of the same list covers in full. Shared by
//! NET003 (NSG rules) and BATCH012 (pool endpoint rules).

use crate::findings::{Level, Message};
use crate::ir::Resource;
use crate::net::nsg::{Access, NsgRule};
use crate::rules::checker::{At, Checker};

/// What a shadowed rule's access would have done, as a verb.
pub fn verb(a: Access) -> &'static str {
    match a {
        Access::Allow => "allows",
        Access::Deny => "denies",
    }
}

/// How the rules of a shadowed pair are named: the shadowed rule `b`, the earlier rule `a`, and
/// their container (e.g. "in networkSecurityGroups 'nsg'").
pub struct Names {
    pub b: Message,
    pub a: Message,
    pub what: Message,
}

/// The level and message (after the title) for rule `b` shadowed by `a`, or `None` when the pair
/// is not reported (unknown access, or a redundant pair without `redundant_rules`).
pub fn judge(
    a: &NsgRule,
    b: &NsgRule,
    redundant_rules: bool,
    names: Names,
) -> Option<(Level, Message)> {
    let (Some(aa), Some(ba)) = (a.access, b.access) else {
        return None;
    };
    let Names {
        b: b_label,
        a: a_label,
        what,
    } = names;
    if aa != ba {
        let lost = match ba {
            Access::Deny => "the Deny is lost and the traffic stays allowed",
            Access::Allow => "the Allow is dead and the traffic stays denied",
        };
        Some((
            Level::Warning,
            b_label
                .text(" ")
                .append(what)
                .text(format!(" {} traffic that the earlier ", verb(ba)))
                .append(a_label)
                .text(format!(" already {} in full, so {lost}.", verb(aa)))
                .help(format!(
                    "Give it a lower priority number than {}, or narrow the earlier rule so that it no longer covers this one.",
                    a.priority.unwrap_or(0),
                )),
        ))
    } else if redundant_rules {
        Some((
            Level::Note,
            b_label
                .text(" ")
                .append(what)
                .text(" is redundant: the earlier ")
                .append(a_label)
                .text(format!(
                    " already {} all of its traffic, so it never takes effect.",
                    verb(aa),
                ))
                .help("Remove it, or narrow the earlier rule if the overlap is not intended."),
        ))
    } else {
        None
    }
}

/// Reports rule `b` shadowed by `a` (see [`judge`]) in resource `r`: at `b`'s priority, with
/// `a`'s priority as the shadowing rule. Shared by NET003 and BATCH012.
pub fn shadow_finding(
    cx: &mut Checker,
    r: &Resource,
    a: &NsgRule,
    b: &NsgRule,
    redundant_rules: bool,
    names: Names,
) {
    let Some((level, says)) = judge(a, b, redundant_rules, names) else {
        return;
    };
    cx.report(At::span(r, b.priority_span.unwrap_or(b.anchor)), says)
        .level(level)
        .related(
            a.priority_span.unwrap_or(a.anchor),
            format!("shadowing rule (priority {})", a.priority.unwrap_or(0)),
        );
}
