//! NET006: the subnet of an Azure Bastion host is not named `AzureBastionSubnet` or is smaller
//! than /26.

use crate::findings::{Finding, Level};
use crate::graph::links::Link;
use crate::ir::types;
use crate::ir::{Member, Span, Value};
use crate::rules::checker::Checker;
use crate::rules::query::{finding, related, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET006",
        name: "BastionSubnetMisconfigured",
        title: "Bastion subnet misconfigured",
        level: Level::Error,
        security_severity: "1.0",
        tags: &["correctness", "network"],
        precision: "high",
        help_uri: URI_NSG,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/NET006.md"),
    },
    check,
};

/// The longest prefix Bastion accepts.
const MAX_PREFIX_LEN: u8 = 26;

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let g = ctx.graph;
    // Per subnet: the Bastion references that name it.
    let mut subnets: Vec<(usize, Vec<(Span, String)>)> = Vec::new();
    for b in ctx.of_type(types::BASTION) {
        let configs = b
            .body
            .path(&["properties", "ipConfigurations"])
            .map(|c| c.items())
            .unwrap_or_default();
        for c in configs {
            let Some(m) = c.path_member(&["properties", "subnet", "id"]) else {
                continue;
            };
            let Link::Entity(s) = g.link(Some(&m.value)) else {
                continue;
            };
            if !g.index.get(s).is_type(types::SUBNET) {
                continue;
            }
            match subnets.iter_mut().find(|(x, _)| *x == s) {
                Some((_, refs)) => refs.push((m.span(), b.display())),
                None => subnets.push((s, vec![(m.span(), b.display())])),
            }
        }
    }
    for (s, refs) in subnets {
        let e = g.index.get(s);
        let who = refs
            .iter()
            .map(|(_, d)| d.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let rel = |f: &mut Finding| {
            for (span, _) in &refs {
                f.related
                    .push(related(*span, "the Bastion's subnet reference"));
            }
        };
        // The name: an ARM child's `name` may be `vnet/subnet`; its last segment is compared.
        if let Some(name) = e.name() {
            if !name.eq_ignore_ascii_case("AzureBastionSubnet") {
                let at = e.node.member("name").map_or(e.anchor, Member::span);
                let mut f = finding(
                    meta,
                    at,
                    format!(
                        "{}: {who} is deployed into the subnet '{name}', but Azure Bastion requires a subnet named AzureBastionSubnet. Rename the subnet to AzureBastionSubnet (a /26 or larger).",
                        meta.title
                    ),
                );
                f.discriminator = "name".into();
                rel(&mut f);
                out.push(f);
            }
        }
        let props = e.properties();
        for key in ["addressPrefix", "addressPrefixes"] {
            let Some(m) = props.and_then(|p| p.member(key)) else {
                continue;
            };
            let values: Vec<&str> = match &m.value.value {
                Value::String(v) => vec![v.as_str()],
                Value::Array(items) => items.iter().filter_map(|n| n.as_str()).collect(),
                _ => Vec::new(),
            };
            let small: Vec<&str> = values
                .into_iter()
                .filter(|v| {
                    matches!(v.trim().parse::<ipnet::IpNet>(),
                        Ok(ipnet::IpNet::V4(n)) if n.prefix_len() > MAX_PREFIX_LEN)
                })
                .collect();
            if small.is_empty() {
                continue;
            }
            let mut f = finding(
                meta,
                m.span(),
                format!(
                    "{}: the subnet '{}' of {who} has the address prefix {}, smaller than the /26 Azure Bastion requires. Give AzureBastionSubnet a /26 or larger prefix.",
                    meta.title,
                    e.name().unwrap_or("?"),
                    small.join(", "),
                ),
            );
            f.discriminator = "prefix".into();
            rel(&mut f);
            out.push(f);
        }
    }
}
