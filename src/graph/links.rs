//! Links beyond NSGs: a resource's parent, a subnet's route table and NAT gateway with their
//! routes, and the private endpoints that target a resource (with their group ids), or whose
//! target is not known (D9, D36).

use super::refs::{same_group, Entity, Index, NamedId, Resolved};
use super::Graph;
use crate::eval::arm::expr::resource_id_of;
use crate::ir::types;
use crate::ir::{Node, Reference, Resource, Span, Value};
use std::collections::HashMap;

/// Where a reference leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Known to be absent.
    None,
    /// An entity of [`Graph::index`].
    Entity(usize),
    /// Set, but it leaves the scope or cannot be resolved.
    Unknown,
}

/// A private endpoint connection that targets a resource, or, among
/// [`Graph::unresolved_private_endpoints`], one whose target is not known.
#[derive(Debug, Clone)]
pub struct PrivateEndpointLink<'a> {
    pub endpoint: &'a Resource,
    /// Lowercased group ids (`blob`, `vault`, `amlworkspace`, …).
    pub group_ids: Vec<String>,
    /// Some group id is not known.
    pub unknown_groups: bool,
    /// The connection's target reference, for locations (for a connection list that is not
    /// known, the list).
    pub span: Span,
    /// For a target that does not resolve in scope, its type and names where they are known
    /// (a resource outside the scope): it is then not any resource of the scope that has other
    /// names.
    pub target: Option<NamedId>,
}

impl PrivateEndpointLink<'_> {
    /// Is the target known to be another resource than entity `e`: of another type, with
    /// another name, or in another resource group (when both name theirs, §1.8)?
    pub fn names_another(&self, e: &Entity) -> bool {
        let Some(t) = &self.target else {
            return false;
        };
        !t.rtype.eq_ignore_ascii_case(&e.rtype)
            || !same_group(t.resource_group.as_deref(), e.resource)
            || t.names.len() == e.names.len()
                && t.names.iter().zip(&e.names).any(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => !a.eq_ignore_ascii_case(b),
                    _ => false,
                })
    }

    /// Whether the endpoint is deployed is not known (an unresolved condition, `count` or
    /// `for_each`, a copy loop over an unknown list, or a nested deployment of those; D21, D36).
    pub fn may_not_exist(&self) -> bool {
        self.endpoint.conditional.is_some()
    }
}

/// What the link queries read from the whole scope, gathered once when the graph is built so
/// that each query is a lookup.
#[derive(Default)]
pub(super) struct Links<'a> {
    /// Subnet entity → the first `azurerm_subnet_route_table_association` entity naming it.
    pub(super) route_table_assoc: HashMap<usize, usize>,
    /// Subnet entity → the first `azurerm_subnet_nat_gateway_association` entity naming it.
    pub(super) nat_gateway_assoc: HashMap<usize, usize>,
    /// Route table entity → its child route resources, in entity order.
    child_routes: HashMap<usize, Vec<&'a Node>>,
    /// Target entity → the private endpoint connections that resolve to it, in entity order.
    endpoints: HashMap<usize, Vec<PrivateEndpointLink<'a>>>,
    /// The private endpoint connections whose target does not resolve, or that are not known
    /// at all (an unknown connection list), in entity order.
    unresolved_endpoints: Vec<PrivateEndpointLink<'a>>,
    /// Every NIC and scale-set NIC configuration with its NSG and subnet.
    pub(super) nic_layers: Vec<NicLayers>,
}

const ENDPOINT_LISTS: [&str; 2] = [
    "privateLinkServiceConnections",
    "manualPrivateLinkServiceConnections",
];

impl<'a> Links<'a> {
    /// Reads the associations, child routes and private endpoint connections of the scope.
    /// `nic_layers` is filled by the graph once its NSG links are known.
    pub(super) fn build(index: &Index<'a>) -> Links<'a> {
        let mut links = Links::default();
        for (i, e) in index.entities.iter().enumerate() {
            if e.inline {
                continue;
            }
            let assoc = if e.is_type(types::link::SUBNET_ROUTE_TABLE) {
                Some(&mut links.route_table_assoc)
            } else if e.is_type(types::link::SUBNET_NAT_GATEWAY) {
                Some(&mut links.nat_gateway_assoc)
            } else {
                None
            };
            if let Some(assoc) = assoc {
                let subnet_ref = e.properties().and_then(|p| p.get("subnetId"));
                if let Some(Resolved::Entity(s)) = subnet_ref.map(|s| index.resolve(s)) {
                    assoc.entry(s).or_insert(i);
                }
            } else if e.is_type(types::ROUTE) {
                if let Link::Entity(t) = parent_entity(index, e.resource) {
                    links.child_routes.entry(t).or_default().push(e.node);
                }
            } else if e.is_type(types::PRIVATE_ENDPOINT) {
                links.read_private_endpoint(index, e);
            }
        }
        links
    }

    /// Reads the connections of one private endpoint. A connection list, connection or target
    /// that is not known is kept as unresolved with what is known of its group ids, so that a
    /// check for a missing endpoint stays open (D36).
    fn read_private_endpoint(&mut self, index: &Index<'a>, e: &Entity<'a>) {
        let unknown = |span: Span| PrivateEndpointLink {
            endpoint: e.resource,
            group_ids: Vec::new(),
            unknown_groups: true,
            span,
            target: None,
        };
        let props = match e.node.get("properties") {
            _ if e.node.is_unknown() => {
                self.unresolved_endpoints.push(unknown(e.resource.header));
                return;
            }
            Some(p) if p.is_unknown() => {
                self.unresolved_endpoints.push(unknown(p.span));
                return;
            }
            Some(p) => p,
            None => return,
        };
        for list in ENDPOINT_LISTS {
            let Some(conns) = props.get(list) else {
                continue;
            };
            if conns.is_unknown() {
                self.unresolved_endpoints.push(unknown(conns.span));
                continue;
            }
            for conn in conns.items() {
                let conn_props = conn.get("properties");
                if conn.is_unknown() || conn_props.is_some_and(Node::is_unknown) {
                    self.unresolved_endpoints.push(unknown(conn.span));
                    continue;
                }
                let groups = conn_props.and_then(|p| p.get("groupIds"));
                let mut group_ids = Vec::new();
                let mut unknown_groups = groups.is_none_or(|g| !matches!(g.value, Value::Array(_)));
                for g in groups.map(|g| g.items()).unwrap_or_default() {
                    match g.as_str() {
                        Some(s) => group_ids.push(s.to_ascii_lowercase()),
                        None => unknown_groups = true,
                    }
                }
                let target_ref = conn_props.and_then(|p| p.get("privateLinkServiceId"));
                let link = PrivateEndpointLink {
                    endpoint: e.resource,
                    group_ids,
                    unknown_groups,
                    span: target_ref.map_or(conn.span, |t| t.span),
                    target: None,
                };
                match target_ref.map(|t| index.resolve(t)) {
                    Some(Resolved::Entity(target)) => {
                        self.endpoints.entry(target).or_default().push(link)
                    }
                    _ => self.unresolved_endpoints.push(PrivateEndpointLink {
                        target: target_ref.and_then(|t| index.named(t)),
                        ..link
                    }),
                }
            }
        }
    }
}

/// The resource a child resource belongs to (see [`Graph::parent_of`]).
fn parent_entity(index: &Index, r: &Resource) -> Link {
    let parent_type = match r.rtype.rsplit_once('/') {
        Some((p, _)) if p.contains('/') => p,
        _ => return Link::None,
    };
    if let Some(p) = &r.parent_ref {
        return match (&p.value, index.resolve(p)) {
            (_, Resolved::Entity(e)) if index.get(e).is_type(parent_type) => Link::Entity(e),
            // azurerm names its parent by name (`account_name = "acct"`).
            (Value::String(name), _) if !name.contains('/') => index
                .resource_named(parent_type, name)
                .map_or(Link::Unknown, Link::Entity),
            _ => Link::Unknown,
        };
    }
    let parents = &r.name_segments[..r.name_segments.len().saturating_sub(1)];
    if parents.is_empty() {
        return Link::Unknown;
    }
    index
        .first_named(parent_type, parents.iter().map(Option::as_deref), |e| {
            !e.inline
        })
        .map_or(Link::Unknown, Link::Entity)
}

impl<'a> Graph<'a> {
    /// Resolves an optional reference node (`{ id }`, a traversal, an id).
    pub fn link(&self, node: Option<&Node>) -> Link {
        match node {
            None => Link::None,
            Some(n) if n.is_null() => Link::None,
            Some(n) => match self.index.resolve(n) {
                Resolved::Entity(e) => Link::Entity(e),
                Resolved::Unresolved => Link::Unknown,
            },
        }
    }

    /// Does the node name a resource, in scope or not: a Terraform reference to a resource, an
    /// ARM id (literal or built by an expression whose type and names are known, D23), or a
    /// reference that resolves? Such a value is set (never `null` or empty) even when its
    /// target is not known.
    pub fn names_resource(&self, node: &Node) -> bool {
        match &node.value {
            Value::Unknown(u) => match &u.reference {
                // A reference to a resource, or an id built from one (D38).
                Some(Reference::Terraform { .. } | Reference::BuiltId { .. }) => true,
                Some(Reference::ArmExpression(text)) => resource_id_of(text).is_some(),
                None => false,
            },
            Value::String(s) => resource_id_of(s).is_some(),
            _ => matches!(self.index.resolve(node), Resolved::Entity(_)),
        }
    }

    /// The resource a child resource belongs to: its parent reference (azapi `parent_id`,
    /// azurerm `account_name` / `machine_learning_workspace_id`), or its name segments (ARM
    /// `account/pool`, nested children).
    pub fn parent_of(&self, r: &Resource) -> Link {
        parent_entity(&self.index, r)
    }

    /// A subnet's association by an azurerm association resource (the first naming it, from
    /// `assoc`), or its own property.
    fn subnet_association(
        &self,
        subnet: usize,
        assoc: &HashMap<usize, usize>,
        target_key: &str,
        property: &str,
    ) -> Link {
        if let Some(&a) = assoc.get(&subnet) {
            let props = self.index.get(a).properties();
            return match self.link(props.and_then(|p| p.get(target_key))) {
                Link::None => Link::Unknown,
                l => l,
            };
        }
        let s = self.index.get(subnet);
        if s.node.is_unknown() {
            return Link::Unknown;
        }
        self.link(s.properties().and_then(|p| p.get(property)))
    }

    /// The route table of a subnet entity.
    pub fn subnet_route_table(&self, subnet: usize) -> Link {
        self.subnet_association(
            subnet,
            &self.links.route_table_assoc,
            "routeTableId",
            "routeTable",
        )
    }

    /// The NAT gateway of a subnet entity.
    pub fn subnet_nat_gateway(&self, subnet: usize) -> Link {
        self.subnet_association(
            subnet,
            &self.links.nat_gateway_assoc,
            "natGatewayId",
            "natGateway",
        )
    }

    /// The routes of a route table entity: inline `routes[]` and child route resources.
    pub fn routes(&self, table: usize) -> Vec<&'a Node> {
        let t = self.index.get(table);
        let mut out: Vec<&'a Node> = t
            .node
            .path(&["properties", "routes"])
            .map(|l| l.items().iter().collect())
            .unwrap_or_default();
        if let Some(children) = self.links.child_routes.get(&table) {
            out.extend(children);
        }
        out
    }

    /// The private endpoint connections in scope whose target resolves to `target`.
    pub fn private_endpoints(&self, target: usize) -> Vec<PrivateEndpointLink<'a>> {
        self.links
            .endpoints
            .get(&target)
            .cloned()
            .unwrap_or_default()
    }

    /// Does any private endpoint connection in scope have an unresolved target? Then a check
    /// that finds no endpoint for a resource cannot be sure (the connection may name it).
    pub fn has_unresolved_private_endpoints(&self) -> bool {
        !self.links.unresolved_endpoints.is_empty()
    }

    /// The private endpoint connections in scope whose target is not known (D36), with what is
    /// known of their group ids.
    pub fn unresolved_private_endpoints(&self) -> &[PrivateEndpointLink<'a>] {
        &self.links.unresolved_endpoints
    }

    /// The subnet entity a resource's reference property names, when it resolves to a subnet.
    pub fn subnet_of(&self, r: &Resource, path: &[&str]) -> Link {
        match self.link(r.body.path(path)) {
            Link::Entity(e) if self.index.get(e).is_type(types::SUBNET) => Link::Entity(e),
            Link::Entity(_) => Link::Unknown,
            l => l,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::frontend::arm;
    use crate::graph::{build, links::Link};
    use crate::source::SourceFile;

    #[test]
    fn parents_routes_and_private_endpoints() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
          {"type": "Microsoft.Batch/batchAccounts", "name": "acct", "apiVersion": "2024-07-01", "properties": {}},
          {"type": "Microsoft.Batch/batchAccounts/pools", "name": "acct/pool", "apiVersion": "2024-07-01", "properties": {}},
          {"type": "Microsoft.Network/routeTables", "name": "rt", "apiVersion": "2023-09-01", "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance"}}]}},
          {"type": "Microsoft.Network/routeTables/routes", "name": "rt/aml", "apiVersion": "2023-09-01", "properties": {"addressPrefix": "AzureMachineLearning", "nextHopType": "Internet"}},
          {"type": "Microsoft.Network/virtualNetworks/subnets", "name": "vnet/s", "apiVersion": "2023-09-01", "properties": {"routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt')]"}}},
          {"type": "Microsoft.Storage/storageAccounts", "name": "st", "apiVersion": "2023-01-01", "properties": {}},
          {"type": "Microsoft.Network/privateEndpoints", "name": "pe", "apiVersion": "2023-09-01", "properties": {"privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "[resourceId('Microsoft.Storage/storageAccounts', 'st')]", "groupIds": ["Blob"]}}]}}
        ]}"#;
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = build(&rs);
        let pool = rs.iter().find(|r| r.rtype.ends_with("pools")).unwrap();
        let Link::Entity(acct) = g.parent_of(pool) else {
            panic!("pool has its account")
        };
        assert_eq!(g.index.get(acct).name(), Some("acct"));
        let subnet = g
            .index
            .of_resource(rs.iter().find(|r| r.rtype.ends_with("subnets")).unwrap())
            .unwrap();
        let Link::Entity(rt) = g.subnet_route_table(subnet) else {
            panic!("route table")
        };
        assert_eq!(g.routes(rt).len(), 2);
        assert_eq!(g.subnet_nat_gateway(subnet), Link::None);
        let st = g
            .index
            .of_resource(
                rs.iter()
                    .find(|r| r.rtype.ends_with("storageAccounts"))
                    .unwrap(),
            )
            .unwrap();
        let pes = g.private_endpoints(st);
        assert_eq!(pes.len(), 1);
        assert_eq!(pes[0].group_ids, vec!["blob".to_string()]);
        assert!(!g.has_unresolved_private_endpoints());
    }
}

/// A network interface (or scale-set NIC configuration) with its own NSG and its subnet: the two
/// layers of §1.6.
#[derive(Debug, Clone)]
pub struct NicLayers {
    pub nic_nsg: super::NsgLink,
    pub subnet: Option<usize>,
    /// Known to be reachable over IPv6 (D34).
    pub ipv6: bool,
}

impl<'a> Graph<'a> {
    /// Every NIC and scale-set NIC configuration in scope with its NSG and subnet.
    pub fn nic_layers(&self) -> &[NicLayers] {
        &self.links.nic_layers
    }

    /// Reads [`Graph::nic_layers`] (once the NSG links are known).
    pub(super) fn read_nic_layers(&self) -> Vec<NicLayers> {
        let mut out = Vec::new();
        for (i, e) in self.index.entities.iter().enumerate() {
            if e.inline {
                continue;
            }
            let subnet_of_ip = |ip: &Node| match self.link(ip.path(&["properties", "subnet"])) {
                Link::Entity(s) if self.index.get(s).is_type(types::SUBNET) => Some(s),
                _ => None,
            };
            if e.is_type(types::NIC) {
                let ips = e
                    .node
                    .path(&["properties", "ipConfigurations"])
                    .map(|l| l.items())
                    .unwrap_or_default();
                out.push(NicLayers {
                    nic_nsg: self.nic_nsg(Some(i), e.node),
                    subnet: ips.iter().find_map(subnet_of_ip),
                    ipv6: self.ip_configurations_ipv6(e.node),
                });
            } else if e.is_type(types::VMSS) {
                let path = [
                    "properties",
                    "virtualMachineProfile",
                    "networkProfile",
                    "networkInterfaceConfigurations",
                ];
                for config in e.node.path(&path).map(|l| l.items()).unwrap_or_default() {
                    let ips = config
                        .path(&["properties", "ipConfigurations"])
                        .map(|l| l.items())
                        .unwrap_or_default();
                    out.push(NicLayers {
                        nic_nsg: self.nic_nsg(None, config),
                        subnet: ips.iter().find_map(subnet_of_ip),
                        ipv6: self.ip_configurations_ipv6(config),
                    });
                }
            }
        }
        out
    }
}
