//! Facts about the two workloads the "too closed" and egress rules look at, Batch pools and Azure
//! ML compute: region, node communication mode, public IPs, customer subnet, the account's
//! `nodeManagement` private endpoint, and the routes of a subnet (§1.3, §4, §8 terms, D9, D32).

use crate::findings::Message;
use crate::graph::links::Link;
use crate::graph::refs::Entity;
use crate::ir::{Member, Node, Resource, Span, Value};
use crate::net::address::{canonical_region, canonical_tag};
use crate::rules::checker::who;
use crate::rules::query::exposure::is_public;
use crate::rules::query::{lookup, str_in, Prop};
use crate::rules::Ctx;

/// Where a Batch pool names its subnet.
pub const POOL_SUBNET: [&str; 3] = ["properties", "networkConfiguration", "subnetId"];
/// Where ML compute names its subnet (`CP.subnet.id`).
pub const COMPUTE_SUBNET: [&str; 4] = ["properties", "properties", "subnet", "id"];

/// A workload's region, canonical (`westeurope`), and where the `location` it comes from is
/// written: messages quote it as a value of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    pub span: Span,
}

/// A region read from a `location` property: known (canonical), or unknown.
fn location(r: &Resource) -> Prop<'_> {
    lookup(&r.body, &["location"])
}

fn region_of(m: &Member) -> Option<Region> {
    m.value
        .as_str()
        .map(canonical_region)
        .filter(|s| !s.is_empty())
        .map(|name| Region {
            name,
            span: m.value.span,
        })
}

/// A Batch pool's region: its account's `location` (§1.3). `None` when unknown.
pub fn pool_region(ctx: &Ctx, pool: &Resource) -> Option<Region> {
    let Link::Entity(acct) = ctx.graph.parent_of(pool) else {
        return None;
    };
    match location(ctx.graph.index.get(acct).resource) {
        Prop::Known(m) => region_of(m),
        _ => None,
    }
}

/// The workspace of ML compute, when it resolves.
pub fn workspace<'a>(ctx: &Ctx<'a>, compute: &Resource) -> Option<&'a Resource> {
    match ctx.graph.parent_of(compute) {
        Link::Entity(w) => Some(ctx.graph.index.get(w).resource),
        _ => None,
    }
}

/// ML compute's region: its own `location`, or its workspace's (§1.3). `None` when unknown.
pub fn compute_region(ctx: &Ctx, compute: &Resource) -> Option<Region> {
    match location(compute) {
        Prop::Known(m) => region_of(m),
        Prop::Unknown => None,
        Prop::Absent => match location(workspace(ctx, compute)?) {
            Prop::Known(m) => region_of(m),
            _ => None,
        },
    }
}

/// A tag, made regional when the region is known (`Storage.westeurope`); otherwise the global
/// tag, which is how §1.3 probes an unknown region.
pub fn regional(tag: &str, region: Option<&Region>) -> String {
    match region {
        Some(r) => format!("{tag}.{}", r.name),
        None => tag.to_string(),
    }
}

/// [`regional`] for messages: the region is a value of the scanned text (the `location` it
/// comes from), the tag fixed text.
pub fn regional_message(tag: &str, region: Option<&Region>) -> Message {
    match region {
        Some(r) => Message::new()
            .text(format!("{tag}."))
            .value(r.name.clone(), Some(r.span)),
        None => Message::new().text(tag),
    }
}

/// A Batch pool's node communication mode (D32). Classic communication was retired on 31 March
/// 2026: only a pool that says `Classic` is classic; `Simplified`, `Default` and an absent
/// property (including on API 2025-06-01 and later, whose schema no longer has it) all mean the
/// simplified model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `Classic`, written explicitly.
    Classic,
    /// The simplified model, and how the template says so.
    Simplified(Written),
}

/// How a simplified pool's mode is written, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Simplified,
    Default,
    Absent,
}

/// The pool's mode; `None` when it cannot be known (an unresolved or unrecognised value).
pub fn pool_mode(pool: &Resource) -> Option<Mode> {
    match lookup(&pool.body, &["properties", "targetNodeCommunicationMode"]) {
        Prop::Unknown => None,
        Prop::Absent => Some(Mode::Simplified(Written::Absent)),
        Prop::Known(m) => match m.value.as_str()?.trim().to_ascii_lowercase().as_str() {
            "classic" => Some(Mode::Classic),
            "simplified" => Some(Mode::Simplified(Written::Simplified)),
            "default" => Some(Mode::Simplified(Written::Default)),
            _ => None,
        },
    }
}

/// Does the pool's account have a `nodeManagement` private endpoint in scope (D9)? `None` when
/// the account does not resolve, or an endpoint's target or group ids are not known.
pub fn account_has_node_management_pe(ctx: &Ctx, pool: &Resource) -> Option<bool> {
    let Link::Entity(acct) = ctx.graph.parent_of(pool) else {
        return None;
    };
    let pes = ctx.graph.private_endpoints(acct);
    if pes
        .iter()
        .any(|p| p.group_ids.iter().any(|g| g == "nodemanagement"))
    {
        return Some(true);
    }
    if pes.iter().any(|p| p.unknown_groups) || ctx.graph.has_unresolved_private_endpoints() {
        return None;
    }
    Some(false)
}

/// Re-exported for the Batch rules: is the pool public (§4)?
pub fn pool_is_public(pool: &Resource) -> Option<bool> {
    is_public(pool)
}

pub use crate::rules::query::ml::ComputeKind;

/// The ML compute resources of kind `AmlCompute` or `ComputeInstance`.
pub fn ml_computes<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, ComputeKind)> {
    crate::rules::query::ml::computes(ctx).collect()
}

/// Does the compute have a public IP (§8 terms)? `None` when unknown.
pub fn compute_public_ip(c: &Resource) -> Option<bool> {
    match lookup(&c.body, &["properties", "properties", "enableNodePublicIp"]) {
        Prop::Absent => Some(true),
        Prop::Known(m) => m.value.as_bool(),
        Prop::Unknown => None,
    }
}

/// Does the workspace leave networking to the customer (isolation mode absent or `Disabled`)?
/// `None` when the workspace does not resolve or the mode is unknown.
pub fn workspace_unmanaged(ctx: &Ctx, compute: &Resource) -> Option<bool> {
    let ws = workspace(ctx, compute)?;
    match lookup(&ws.body, &["properties", "managedNetwork", "isolationMode"]) {
        Prop::Absent => Some(true),
        Prop::Known(m) => str_in(m, &["Disabled"]),
        Prop::Unknown => None,
    }
}

/// Is the compute in a customer subnet (§8 terms): a subnet is set and the workspace's isolation
/// mode is absent or `Disabled`? `None` when unknown.
pub fn in_customer_subnet(ctx: &Ctx, compute: &Resource) -> Option<bool> {
    // A reference is usually an unknown value (a traversal, an expression): it is set all the
    // same. Only an unknown object on the way leaves it open.
    let mut node = &compute.body;
    for key in &COMPUTE_SUBNET {
        if node.is_unknown() {
            return None;
        }
        match node.get(key).filter(|n| !n.is_null()) {
            None => return Some(false),
            Some(n) => node = n,
        }
    }
    workspace_unmanaged(ctx, compute)
}

/// The span of a workload's reference at `path`, or its header.
pub fn reference_span(r: &Resource, path: &[&str]) -> Span {
    r.body.path_member(path).map_or(r.header, Member::span)
}

/// A route of a route table, read for the egress rules (ML013, NET008).
#[derive(Debug, Clone)]
pub struct Route<'a> {
    pub node: &'a Node,
    /// The resource whose text holds the route: the route table for an inline route, the route
    /// resource otherwise. `None` when read without its table.
    pub holder: Option<&'a Resource>,
    pub prefix: RoutePrefix,
    /// Lowercased next hop type; `None` when not known.
    pub next_hop: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoutePrefix {
    /// `0.0.0.0/0` (any zero-length IPv4 prefix).
    Default,
    /// Another CIDR.
    Cidr,
    /// A service tag: canonical name and region.
    Tag {
        name: String,
        region: Option<String>,
    },
    Unknown,
}

impl<'a> Route<'a> {
    pub fn read(node: &'a Node) -> Route<'a> {
        let p = node.get("properties");
        let prefix = match p.and_then(|p| p.get("addressPrefix")).map(|n| &n.value) {
            Some(Value::String(s)) => match s.trim().parse::<ipnet::IpNet>() {
                Ok(ipnet::IpNet::V4(n)) if n.prefix_len() == 0 => RoutePrefix::Default,
                Ok(_) => RoutePrefix::Cidr,
                Err(_)
                    if !s.trim().is_empty()
                        && s.trim()
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '.') =>
                {
                    let (name, region) = canonical_tag(s);
                    RoutePrefix::Tag { name, region }
                }
                Err(_) => RoutePrefix::Unknown,
            },
            _ => RoutePrefix::Unknown,
        };
        let next_hop = p
            .and_then(|p| p.get("nextHopType"))
            .and_then(|n| n.as_str())
            .map(|s| s.trim().to_ascii_lowercase());
        Route {
            node,
            holder: None,
            prefix,
            next_hop,
        }
    }

    /// The `nextHopType` member, or the route itself, for locations.
    pub fn next_hop_span(&self) -> Span {
        self.node
            .path_member(&["properties", "nextHopType"])
            .map_or(self.node.span, Member::span)
    }

    pub fn next_hop_is(&self, hops: &[&str]) -> Option<bool> {
        self.next_hop
            .as_deref()
            .map(|h| hops.iter().any(|x| x.eq_ignore_ascii_case(h)))
    }
}

/// The routes of a subnet's route table: `Some(empty)` when it has none, `None` when the table
/// does not resolve.
pub fn subnet_routes<'a>(ctx: &Ctx<'a>, subnet: usize) -> Option<Vec<Route<'a>>> {
    match ctx.graph.subnet_route_table(subnet) {
        Link::None => Some(Vec::new()),
        Link::Unknown => None,
        Link::Entity(t) => {
            let table = ctx.graph.index.get(t).resource;
            Some(
                ctx.graph
                    .routes(t)
                    .into_iter()
                    .map(|n| {
                        // A route resource's body, or an element of the table's `routes`.
                        let holder = ctx
                            .resources
                            .iter()
                            .copied()
                            .find(|r| std::ptr::eq(&r.body, n))
                            .unwrap_or(table);
                        Route {
                            holder: Some(holder),
                            ..Route::read(n)
                        }
                    })
                    .collect(),
            )
        }
    }
}

/// Where a subnet's association with a route table, NAT gateway or NSG is written: the azurerm
/// association resource naming the subnet, or the subnet's own property.
pub fn association_span(
    ctx: &Ctx,
    subnet: usize,
    assoc_type: &str,
    property: &str,
) -> Option<Span> {
    let g = ctx.graph;
    for r in ctx.resources.iter().filter(|r| r.is_type(assoc_type)) {
        let s = r.properties().and_then(|p| p.get("subnetId"));
        if s.is_some_and(|s| g.link(Some(s)) == Link::Entity(subnet)) {
            return Some(r.header);
        }
    }
    g.index
        .get(subnet)
        .properties()
        .and_then(|p| p.member(property))
        .map(Member::span)
}

/// A subnet's name in quotes, `'training'`, the name quoted from where it is written (the
/// inline element's `name`, or the subnet resource's).
pub fn quoted_subnet_name(e: &Entity) -> Message {
    let at = if e.inline {
        e.node.get("name").map(|n| n.span)
    } else {
        Some(e.resource.name_span)
    };
    let name = match e.name() {
        Some(n) => Message::new().value(n, at),
        None => Message::new().text("?"),
    };
    Message::new().text("'").append(name).text("'")
}

/// The subnet as messages name it: the subnet resource's address, or `subnet '<name>'`.
pub fn subnet_name(ctx: &Ctx, subnet: usize) -> Message {
    let e = ctx.graph.index.get(subnet);
    if !e.inline && e.resource.tf_address.is_some() {
        return Message::new().text(who(e.resource));
    }
    Message::new().text("subnet ").append(quoted_subnet_name(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mode of one ARM pool with `mode` (a JSON member, or nothing) at `api`.
    fn mode_of(api: &str, mode: &str) -> Option<Mode> {
        use crate::frontend::arm;
        use crate::source::SourceFile;
        let text = format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "parameters": {{"m": {{"type": "string"}}}}, "resources": [{{"type": "Microsoft.Batch/batchAccounts/pools", "apiVersion": "{api}", "name": "acct/pool", "properties": {{"vmSize": "STANDARD_D2S_V3"{mode}}}}}]}}"#
        );
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), &text);
        let doc = arm::load(&f).unwrap();
        pool_mode(&doc.resources[0])
    }

    #[test]
    fn only_an_explicit_classic_is_classic() {
        let m = |v: &str| format!(r#", "targetNodeCommunicationMode": {v}"#);
        // D32: Default and an absent mode are the simplified model, on every API version.
        for api in ["2022-10-01", "2024-07-01", "2025-06-01"] {
            assert_eq!(
                mode_of(api, ""),
                Some(Mode::Simplified(Written::Absent)),
                "{api}"
            );
            assert_eq!(
                mode_of(api, &m(r#""Default""#)),
                Some(Mode::Simplified(Written::Default)),
                "{api}"
            );
        }
        assert_eq!(
            mode_of("2024-07-01", &m(r#""simplified""#)),
            Some(Mode::Simplified(Written::Simplified))
        );
        assert_eq!(
            mode_of("2024-07-01", &m(r#"" CLASSIC ""#)),
            Some(Mode::Classic)
        );
        // Unknown, or not a mode: nothing is assumed.
        assert_eq!(mode_of("2024-07-01", &m(r#""[parameters('m')]""#)), None);
        assert_eq!(mode_of("2024-07-01", &m(r#""Hybrid""#)), None);
        assert_eq!(mode_of("2024-07-01", &m("1")), None);
    }
}
