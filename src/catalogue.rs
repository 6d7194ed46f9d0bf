//! The rule catalogue as users read it: `batchguard rules` and the coverage table of
//! `rules/README.md`, with the syntaxes each rule applies to, which the front-ends decide from
//! what the rule needs.

use crate::frontend;
use crate::frontend::Syntax;
use crate::rules::custom::Pack;
use crate::rules::{RuleMeta, RULES};

fn syntax_names(m: &RuleMeta) -> String {
    frontend::syntaxes(m.needs)
        .iter()
        .map(|s| match s {
            Syntax::Arm => "ARM",
            Syntax::Azurerm => "azurerm",
            Syntax::Azapi => "azapi",
            Syntax::Bicep => "Bicep",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rule list as `batchguard rules` prints it: id, level, title, syntaxes, related peer rules;
/// then the custom rules, with the file that defines each.
pub fn listing(custom: &Pack) -> String {
    let mut out = String::new();
    for r in RULES {
        let m = &r.meta;
        entry(&mut out, m);
        if !m.peers.is_empty() {
            out.push_str(&format!("          peers: {}\n", m.peers.join("; ")));
        }
    }
    for r in custom.rules.iter() {
        entry(&mut out, r.meta);
        out.push_str(&format!(
            "          custom rule: {}:{} (types: {})\n",
            r.file.display(),
            r.line,
            r.types.join(", ")
        ));
    }
    out
}

/// A rule's id, level and title, then the syntaxes it applies to.
fn entry(out: &mut String, m: &RuleMeta) {
    out.push_str(&format!(
        "{:<9} {:<8} {}\n",
        m.id,
        m.level.as_str(),
        m.title
    ));
    out.push_str(&format!("          syntaxes: {}\n", syntax_names(m)));
}

/// `batchguard rules --format json`: every rule as an object, for machines.
pub fn listing_json(custom: &Pack) -> String {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| &r.meta)
        .chain(custom.metas())
        .map(|m| {
            let source = custom
                .rules
                .iter()
                .find(|r| std::ptr::eq(r.meta, m))
                .map(|r| format!("{}:{}", r.file.display(), r.line));
            serde_json::json!({
                "id": m.id,
                "name": m.name,
                "title": m.title,
                "level": m.level.as_str(),
                "security_severity": m.security_severity,
                "precision": m.precision,
                "tags": m.tags,
                "syntaxes": syntax_names(m).split(", ").collect::<Vec<_>>(),
                "peers": m.peers,
                "help_uri": m.help_uri,
                "description": m.full_description(),
                "custom": source,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// The coverage table of `rules/README.md`, generated from the rule metadata.
pub fn coverage_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule metadata (`batchguard rules` prints the same); \
         `cargo test` fails when this page is out of date, and \
         `BATCHGUARD_UPDATE_DOCS=1 cargo test --test coverage` rewrites it.\n\n\
         | id | level | title | syntaxes | related peer rules |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        let m = &r.meta;
        out.push_str(&format!(
            "| [{id}]({id}.md) | {} | {} | {} | {} |\n",
            m.level.as_str(),
            m.title,
            syntax_names(m),
            if m.peers.is_empty() {
                "—".to_string()
            } else {
                m.peers.join("; ")
            },
            id = m.id,
        ));
    }
    out
}
