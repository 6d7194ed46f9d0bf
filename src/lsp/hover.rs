//! Hover: on a finding, the rule's title, the finding's message, the rule's short explanation,
//! whether it has an automatic fix, and a link to its page; on an NSG rule, what the NSG engine
//! decided for it ([`crate::rules::query::verdicts`]).

use crate::findings::{Finding, Safety};
use crate::ir::Span;
use crate::net::nsg::{Access, Direction, Outcome};
use crate::rules;
use crate::rules::query::verdicts::RuleVerdict;
use crate::scan::ScanOutput;
use crate::source::SourceFile;

/// Most rules shown for one text that writes several (the instances of a `for_each`).
const MAX_INSTANCES: usize = 5;

/// The hover text at byte `offset` of `file`, and the span it is about; `None` where nothing is.
/// Markdown when `markdown`, plain text otherwise.
pub fn hover(
    out: &ScanOutput,
    verdicts: &[RuleVerdict],
    file: &SourceFile,
    offset: usize,
    markdown: bool,
) -> Option<(Span, String)> {
    let at = |span: Span| {
        let r = crate::report::display_range(file, span);
        span.file == file.id && r.start <= offset && offset <= r.end
    };
    let mut sections = Vec::new();
    let mut span: Option<Span> = None;
    let mut narrow = |s: Span| {
        span = Some(match span {
            Some(old) if old.end - old.start <= s.end - s.start => old,
            _ => s,
        });
    };
    for f in out
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && at(f.span))
    {
        sections.push(finding(f, markdown));
        narrow(f.span);
    }
    // The innermost rule: an NSG's element, not the NSG resource around it; each instance
    // written by that text (a `for_each` over rules) that reads differently, up to
    // [`MAX_INSTANCES`].
    if let Some(inner) = verdicts
        .iter()
        .filter(|v| at(v.span))
        .map(|v| v.span)
        .min_by_key(|s| s.end - s.start)
    {
        let all: Vec<&RuleVerdict> = verdicts.iter().filter(|v| v.span == inner).collect();
        for v in all.iter().take(MAX_INSTANCES) {
            sections.push(verdict(v, markdown));
        }
        if all.len() > MAX_INSTANCES {
            sections.push(format!(
                "… and {} more rules written by this text.",
                all.len() - MAX_INSTANCES
            ));
        }
        narrow(inner);
    }
    let span = span?;
    let rule = if markdown { "\n\n---\n\n" } else { "\n\n" };
    Some((span, sections.join(rule)))
}

fn bold(s: &str, markdown: bool) -> String {
    if markdown {
        format!("**{}**", escape(s))
    } else {
        s.to_string()
    }
}

/// Text shown as Markdown, with the characters Markdown would read escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn finding(f: &Finding, markdown: bool) -> String {
    let text = |s: &str| if markdown { escape(s) } else { s.to_string() };
    let meta = rules::meta_of(f.rule);
    let title = meta.map_or(String::new(), |m| format!(" — {}", m.title));
    let mut parts = vec![
        format!(
            "{} ({})",
            bold(&format!("{}{title}", f.rule), markdown),
            f.level.as_str()
        ),
        text(&f.message.to_string()),
    ];
    if let Some(m) = meta {
        // The rule page's first paragraph is Markdown already.
        parts.push(m.full_description());
    }
    let fix = match f.fix.as_ref().map(|x| (&x.planned, x.safety)) {
        Some((Some(Ok(p)), Safety::Safe)) => format!("Automatic fix: {}.", text(&p.title)),
        Some((Some(Ok(p)), Safety::Unsafe(why))) => {
            format!("Automatic fix, unsafe ({}): {}.", text(why), text(&p.title))
        }
        Some((Some(Err(why)), _)) => format!("No automatic fix here: {}.", text(why)),
        _ => "No automatic fix.".into(),
    };
    parts.push(fix);
    if let Some(m) = meta.filter(|m| m.help_uri.is_empty()) {
        // A custom rule without a `help_uri`: its page only.
        parts.push(if markdown {
            format!("The rule's page: `batchguard explain {}`", m.id)
        } else {
            format!("The rule's page: batchguard explain {}", m.id)
        });
    } else if let Some(m) = meta {
        let guidance = if m.tags.contains(&"custom") {
            "More"
        } else {
            "Azure guidance"
        };
        parts.push(if markdown {
            format!(
                "[{guidance}]({}) · the rule's page: `batchguard explain {}`",
                m.help_uri, m.id
            )
        } else {
            format!(
                "{guidance}: {} · the rule's page: batchguard explain {}",
                m.help_uri, m.id
            )
        });
    }
    parts.join("\n\n")
}

fn verdict(v: &RuleVerdict, markdown: bool) -> String {
    let text = |s: &str| if markdown { escape(s) } else { s.to_string() };
    let direction = match v.direction {
        Some(Direction::Inbound) => "inbound",
        Some(Direction::Outbound) => "outbound",
        None => "direction unknown",
    };
    let access = v.access.map_or("access unknown", Access::as_str);
    let mut parts = vec![format!(
        "{} of {} ({direction}, {access})",
        bold(&upper_first(&v.label), markdown),
        text(&v.nsg)
    )];
    let item = if markdown { "- " } else { "  " };
    if v.decides.is_empty() {
        parts.push(format!(
            "It decides none of the {} flows batchguard checks in its direction: an earlier \
             rule decides them, or it does not match them.",
            v.checked
        ));
    } else {
        let lines: Vec<String> = v
            .decides
            .iter()
            .map(|(flow, outcome)| {
                let verb = match outcome {
                    Outcome::Allow => "allows",
                    Outcome::Deny => "denies",
                    Outcome::Unknown => "decides (allow or deny is not known)",
                };
                format!("{item}{verb} {}", text(flow))
            })
            .collect();
        parts.push(format!(
            "The NSG engine finds that this rule is the first to match, and so decides:\n{}",
            lines.join("\n")
        ));
    }
    if let Some(s) = &v.shadowed_by {
        let effect = if s.same_access {
            "so it is redundant"
        } else {
            "so its access never takes effect"
        };
        parts.push(if s.certain {
            format!(
                "Shadowed: the earlier {} matches all of its traffic first, {effect}.",
                text(&s.by)
            )
        } else {
            format!(
                "Maybe shadowed: the earlier {} may match all of its traffic first (values \
                 batchguard cannot know decide it).",
                text(&s.by)
            )
        });
    }
    if !v.unresolved.is_empty() {
        parts.push(format!(
            "Not fully known: {}.",
            text(&v.unresolved.join("; "))
        ));
    }
    parts.join("\n\n")
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
