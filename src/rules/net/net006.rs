//! NET006: the subnet of an Azure Bastion host is not named `AzureBastionSubnet` or is smaller
//! than /26.

use crate::findings::{Level, Message};
use crate::graph::links::Link;
use crate::ir::types;
use crate::ir::{Member, Node, Span, Value};
use crate::rules::checker::{who, At, Checker, Reported};
use crate::rules::query::workloads::quoted_subnet_name;
use crate::rules::query::URI_NSG;
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

/// The Bastion references that name a subnet, as related locations.
fn with_references<'f>(mut f: Reported<'f>, refs: &[(Span, String)]) -> Reported<'f> {
    for (span, _) in refs {
        f = f.related(*span, "the Bastion's subnet reference");
    }
    f
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
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
                Some((_, refs)) => refs.push((m.span(), who(b))),
                None => subnets.push((s, vec![(m.span(), who(b))])),
            }
        }
    }
    for (s, refs) in subnets {
        let e = g.index.get(s);
        let bastions = refs
            .iter()
            .map(|(_, d)| d.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        // The name: an ARM child's `name` may be `vnet/subnet`; its last segment is compared.
        if let Some(n) = e.name() {
            if !n.eq_ignore_ascii_case("AzureBastionSubnet") {
                let at = e.node.member("name").map_or(e.anchor, Member::span);
                let says = Message::new()
                    .text(format!("{bastions} is deployed into the subnet "))
                    .append(quoted_subnet_name(e))
                    .text(", but Azure Bastion requires a subnet named AzureBastionSubnet.")
                    .help("Rename the subnet to AzureBastionSubnet (a /26 or larger).");
                let f = cx
                    .report(At::span(e.resource, at), says)
                    .discriminator("name");
                with_references(f, &refs);
            }
        }
        let props = e.properties();
        for key in ["addressPrefix", "addressPrefixes"] {
            let Some(m) = props.and_then(|p| p.member(key)) else {
                continue;
            };
            let values: Vec<&Node> = match &m.value.value {
                Value::String(_) => vec![&m.value],
                Value::Array(items) => items.iter().collect(),
                _ => Vec::new(),
            };
            let small: Vec<(&str, Span)> = values
                .into_iter()
                .filter_map(|n| Some((n.as_str()?, n.span)))
                .filter(|(v, _)| {
                    matches!(v.trim().parse::<ipnet::IpNet>(),
                        Ok(ipnet::IpNet::V4(n)) if n.prefix_len() > MAX_PREFIX_LEN)
                })
                .collect();
            if small.is_empty() {
                continue;
            }
            let mut says = Message::new()
                .text("the subnet ")
                .append(quoted_subnet_name(e))
                .text(format!(" of {bastions} has the address prefix "));
            for (i, (v, at)) in small.iter().enumerate() {
                if i > 0 {
                    says = says.text(", ");
                }
                says = says.value(*v, Some(*at));
            }
            says = says
                .text(", smaller than the /26 Azure Bastion requires.")
                .help("Give AzureBastionSubnet a /26 or larger prefix.");
            let f = cx
                .report(At::member(e.resource, m), says)
                .discriminator("prefix");
            with_references(f, &refs);
        }
    }
}
