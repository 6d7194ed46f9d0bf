//! Shadowing findings: an NSG rule that an earlier rule of the same list covers in full. Shared by
//! NET003 (NSG rules) and BATCH012 (pool endpoint rules).

use crate::findings::{Finding, Level};
use crate::net::nsg::{Access, NsgRule};
use crate::rules::query::{finding, related};
use crate::rules::RuleMeta;

/// What a shadowed rule's access would have done, as a verb.
pub fn verb(a: Access) -> &'static str {
    match a {
        Access::Allow => "allows",
        Access::Deny => "denies",
    }
}

/// The message and level for rule `b` shadowed by `a`, or `None` when the pair is not reported
/// (unknown access, or a redundant pair without `redundant_rules`). `what` names the rules'
/// container, e.g. "in networkSecurityGroups 'nsg'".
pub fn judge(
    a: &NsgRule,
    b: &NsgRule,
    redundant_rules: bool,
    title: &str,
    b_label: &str,
    a_label: &str,
    what: &str,
) -> Option<(Level, String)> {
    let (Some(aa), Some(ba)) = (a.access, b.access) else {
        return None;
    };
    if aa != ba {
        let lost = match ba {
            Access::Deny => "the Deny is lost and the traffic stays allowed",
            Access::Allow => "the Allow is dead and the traffic stays denied",
        };
        Some((
            Level::Warning,
            format!(
                "{title}: {b_label} {what} {} traffic that the earlier {a_label} already {} in full, so {lost}. Give it a lower priority number than {}, or narrow the earlier rule so that it no longer covers this one.",
                verb(ba),
                verb(aa),
                a.priority.unwrap_or(0),
            ),
        ))
    } else if redundant_rules {
        Some((
            Level::Note,
            format!(
                "{title}: {b_label} {what} is redundant: the earlier {a_label} already {} all of its traffic, so it never takes effect. Remove it, or narrow the earlier rule if the overlap is not intended.",
                verb(aa),
            ),
        ))
    } else {
        None
    }
}

/// The finding for rule `b` shadowed by `a` (see [`judge`]): at `b`'s priority, with `a`'s
/// priority as the shadowing rule. Shared by NET003 and BATCH012.
pub fn shadow_finding(
    meta: &RuleMeta,
    a: &NsgRule,
    b: &NsgRule,
    redundant_rules: bool,
    labels: (&str, &str),
    what: &str,
) -> Option<Finding> {
    let (b_label, a_label) = labels;
    let (level, message) = judge(a, b, redundant_rules, meta.title, b_label, a_label, what)?;
    let mut f = finding(meta, b.priority_span.unwrap_or(b.anchor), message);
    f.level = level;
    f.related.push(related(
        a.priority_span.unwrap_or(a.anchor),
        format!("shadowing rule (priority {})", a.priority.unwrap_or(0)),
    ));
    Some(f)
}
