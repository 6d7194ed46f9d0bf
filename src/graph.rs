//! The resource graph of one scan scope. For now: which NSG each rule belongs to (inline rules,
//! nested and top-level ARM children, `azurerm_network_security_rule`, azapi children), and the
//! orphan groups of D20. Depends on `ir` and `net`.

pub mod links;
pub mod nat;
pub mod refs;

use crate::ir::{Node, Reference, Resource, Span, Value};
use crate::net::address::Probe;
use crate::net::nsg::{NsgRule, RuleList};
use refs::{Index, Resolved};

pub const NSG_TYPE: &str = "Microsoft.Network/networkSecurityGroups";
pub const NSG_RULE_TYPE: &str = "Microsoft.Network/networkSecurityGroups/securityRules";

/// An NSG and all its rules, or (D20) a group of standalone rules whose NSG is not in scope.
#[derive(Debug, Clone)]
pub struct NsgGroup<'a> {
    /// `None` for an orphan group.
    pub resource: Option<&'a Resource>,
    /// Where the NSG's default rules are located: the NSG header, or the first orphan rule's.
    pub header: Span,
    /// How messages name it: `azurerm_network_security_group.nsg` or `networkSecurityGroups 'nsg'`.
    pub label: String,
    pub rules: RuleList,
    /// Where each user rule was written, in the order of `rules.user_rules()`.
    pub origins: Vec<RuleOrigin<'a>>,
}

/// The IR a user rule was read from, for rules that check how it is written (NET007).
#[derive(Debug, Clone, Copy)]
pub struct RuleOrigin<'a> {
    /// The rule object `{ name, properties }`: an element of the NSG's `securityRules`, or the
    /// body of a standalone rule resource.
    pub node: &'a Node,
    /// The NSG for an inline rule; the rule resource itself for a standalone rule.
    pub resource: &'a Resource,
}

impl RuleOrigin<'_> {
    /// Written inside the NSG (`securityRules[]`, a `security_rule` block)?
    pub fn is_inline(&self) -> bool {
        !self.resource.is_type(NSG_RULE_TYPE)
    }
}

impl NsgGroup<'_> {
    pub fn is_orphan(&self) -> bool {
        self.resource.is_none()
    }
}

pub struct Graph<'a> {
    pub nsgs: Vec<NsgGroup<'a>>,
    /// Every resource and inline element that references can name.
    pub index: Index<'a>,
    /// Subnet entity → NSG, from `azurerm_subnet_network_security_group_association`.
    subnet_assoc: Vec<(usize, NsgLink)>,
    /// Network interface entity → NSG, from `azurerm_network_interface_security_group_association`.
    nic_assoc: Vec<(usize, NsgLink)>,
    /// Per NSG group: whether a subnet, NIC or scale-set NIC configuration in scope uses it.
    associated: Vec<bool>,
    /// NAT pool and rule entity → the NICs and scale-set NIC configurations behind it.
    nat: nat::NatBackends<'a>,
}

pub const SUBNET_TYPE: &str = "Microsoft.Network/virtualNetworks/subnets";
pub const SUBNET_NSG_ASSOCIATION: &str = "Terraform.Association/subnetNetworkSecurityGroup";
pub const NIC_NSG_ASSOCIATION: &str = "Terraform.Association/networkInterfaceSecurityGroup";
pub const VMSS_TYPE: &str = "Microsoft.Compute/virtualMachineScaleSets";
pub const NIC_TYPE: &str = "Microsoft.Network/networkInterfaces";

/// Which NSG filters a subnet or network interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NsgLink {
    /// Known to have none.
    NoNsg,
    /// Index into [`Graph::nsgs`].
    Nsg(usize),
    /// Set, but the NSG is not in scope or the reference does not resolve.
    Unknown,
}

impl<'a> Graph<'a> {
    /// The NSG group of an NSG reference node (`{ id: … }` or the id itself).
    pub fn nsg_ref(&self, node: &Node) -> NsgLink {
        match self.index.resolve(node) {
            Resolved::Entity(e) => {
                let r = self.index.get(e).resource;
                match self
                    .nsgs
                    .iter()
                    .position(|g| g.resource.is_some_and(|n| std::ptr::eq(n, r)))
                {
                    Some(g) if !self.index.get(e).inline => NsgLink::Nsg(g),
                    _ => NsgLink::Unknown,
                }
            }
            Resolved::Unresolved => NsgLink::Unknown,
        }
    }

    /// The NSG of a subnet entity: its `networkSecurityGroup`, or an association resource.
    pub fn subnet_nsg(&self, subnet: usize) -> NsgLink {
        if let Some((_, link)) = self.subnet_assoc.iter().find(|(s, _)| *s == subnet) {
            return *link;
        }
        match self
            .index
            .get(subnet)
            .properties()
            .map(|p| p.member("networkSecurityGroup"))
        {
            Some(Some(m)) if !m.value.is_null() => self.nsg_ref(&m.value),
            Some(_) => NsgLink::NoNsg,
            None if self.index.get(subnet).node.is_unknown() => NsgLink::Unknown,
            None => NsgLink::NoNsg,
        }
    }

    /// The NSG of a network interface resource entity (property or association), or of a
    /// scale-set NIC configuration object.
    pub fn nic_nsg(&self, nic_entity: Option<usize>, config: &Node) -> NsgLink {
        if let Some(e) = nic_entity {
            if let Some((_, link)) = self.nic_assoc.iter().find(|(n, _)| *n == e) {
                return *link;
            }
        }
        match config
            .get("properties")
            .map(|p| p.member("networkSecurityGroup"))
        {
            Some(Some(m)) if !m.value.is_null() => self.nsg_ref(&m.value),
            Some(_) => NsgLink::NoNsg,
            None if config.is_unknown() => NsgLink::Unknown,
            None => NsgLink::NoNsg,
        }
    }

    /// The subnet entity a `subnetId` / `subnet: {id}` node names, when it resolves to a subnet.
    pub fn subnet_ref(&self, node: &Node) -> Option<usize> {
        match self.index.resolve(node) {
            Resolved::Entity(e) if self.index.get(e).is_type(SUBNET_TYPE) => Some(e),
            _ => None,
        }
    }

    /// The subnet probe (§1.3): the subnet's own prefix, or `VirtualNetwork` when unknown.
    pub fn subnet_probe(&self, subnet: Option<usize>) -> Probe {
        let props = subnet.and_then(|s| self.index.get(s).properties());
        let prefix = props.and_then(|p| {
            p.get("addressPrefix").and_then(|n| n.as_str()).or_else(|| {
                p.get("addressPrefixes")
                    .and_then(|l| l.items().first())
                    .and_then(|n| n.as_str())
            })
        });
        match prefix.and_then(|p| p.parse::<ipnet::IpNet>().ok()) {
            Some(net) => Probe::Address { net, in_vnet: true },
            None => Probe::VirtualNetwork,
        }
    }

    /// Is this NSG used by a subnet, network interface or scale-set NIC configuration in scope?
    pub fn is_associated(&self, nsg: usize) -> bool {
        self.associated.get(nsg).copied().unwrap_or(false)
    }
}

fn nsg_label(r: &Resource) -> String {
    match &r.tf_address {
        Some(a) => a.clone(),
        None => format!("networkSecurityGroups '{}'", r.name().unwrap_or("?")),
    }
}

/// The NSG a standalone rule belongs to, as an index into `nsgs`, or the key of its orphan group.
fn owner(rule: &Resource, nsgs: &[&Resource]) -> Result<usize, String> {
    // Nested ARM child: textually inside its parent.
    if let Some(i) = nsgs.iter().position(|n| {
        n.span.file == rule.span.file
            && n.span.start < rule.span.start
            && rule.span.end <= n.span.end
    }) {
        return Ok(i);
    }
    if let Some(parent) = &rule.parent_ref {
        match &parent.value {
            Value::Unknown(u) => match &u.reference {
                Some(Reference::Terraform { address, .. }) => {
                    return nsgs
                        .iter()
                        .position(|n| n.tf_address.as_deref() == Some(address.as_str()))
                        .ok_or_else(|| format!("`{address}`"));
                    // A reference to an NSG the module does not declare is not valid Terraform
                    // for the directory as a whole: such files are fragments (a folder of
                    // examples), so their orphan rules are grouped per file.
                }
                Some(Reference::ArmExpression(e)) => return Err(format!("`{e}`")),
                None => return Err(format!("`{}`", u.reason)),
            },
            Value::String(s) => {
                // A literal ARM id (azapi parent_id) or an NSG name (azurerm).
                let name = match s.to_ascii_lowercase().find("/networksecuritygroups/") {
                    Some(at) => s[at + "/networkSecurityGroups/".len()..]
                        .split('/')
                        .next()
                        .unwrap_or(""),
                    None => s.as_str(),
                };
                let rg = |r: &Resource| {
                    r.resource_group
                        .as_ref()
                        .and_then(|n| n.as_str().map(str::to_string))
                };
                let rule_rg = rg(rule);
                return nsgs
                    .iter()
                    .position(|n| {
                        n.name().is_some_and(|nn| nn.eq_ignore_ascii_case(name))
                            && match (rg(n), &rule_rg) {
                                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                                _ => true,
                            }
                    })
                    .ok_or_else(|| format!("'{name}'"));
            }
            _ => {}
        }
    }
    if let Some(Some(nsg_name)) = rule.name_segments.first() {
        if rule.name_segments.len() >= 2 {
            return nsgs
                .iter()
                .position(|n| n.name().is_some_and(|nn| nn.eq_ignore_ascii_case(nsg_name)))
                .ok_or_else(|| format!("'{nsg_name}'"));
        }
    }
    let key = match rule.body.get("name").map(|n| &n.value) {
        Some(Value::Unknown(u)) => match &u.reference {
            Some(Reference::ArmExpression(e)) => format!("`{e}`"),
            _ => format!("`{}`", u.reason),
        },
        _ => format!("(parent of rule '{}')", rule.name().unwrap_or("?")),
    };
    Err(key)
}

pub fn build<'a>(resources: &[&'a Resource]) -> Graph<'a> {
    let nsg_resources: Vec<&Resource> = resources
        .iter()
        .copied()
        .filter(|r| r.is_type(NSG_TYPE))
        .collect();
    let mut rules: Vec<Vec<(NsgRule, RuleOrigin<'a>)>> = nsg_resources
        .iter()
        .map(|&n| {
            n.properties()
                .and_then(|p| p.get("securityRules"))
                .map(|l| {
                    l.items()
                        .iter()
                        .map(|node| (NsgRule::from_ir(node), RuleOrigin { node, resource: n }))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    // (label, file for per-file groups, first rule's header, rules)
    type Orphan<'a> = (String, Option<usize>, Span, Vec<(NsgRule, RuleOrigin<'a>)>);
    let mut orphans: Vec<Orphan<'a>> = Vec::new();
    let group_file = |r: &Resource| -> Option<usize> {
        let undeclared_tf_ref = matches!(
            r.parent_ref.as_ref().map(|p| &p.value),
            Some(Value::Unknown(crate::ir::Unknown {
                reference: Some(Reference::Terraform { .. }),
                ..
            }))
        );
        undeclared_tf_ref.then_some(r.span.file)
    };
    for &r in resources.iter().filter(|r| r.is_type(NSG_RULE_TYPE)) {
        let origin = RuleOrigin {
            node: &r.body,
            resource: r,
        };
        let mut rule = NsgRule::from_ir(&r.body);
        // A child's `name` may be `nsg/rule`; the rule's own name is the last segment.
        if let Some(n) = r.name() {
            rule.name = Some(n.to_string());
        }
        match owner(r, &nsg_resources) {
            Ok(i) => rules[i].push((rule, origin)),
            Err(label) => {
                let file = group_file(r);
                match orphans
                    .iter_mut()
                    .find(|(k, f, _, _)| *k == label && *f == file)
                {
                    Some((_, _, _, list)) => list.push((rule, origin)),
                    None => orphans.push((label, file, r.header, vec![(rule, origin)])),
                }
            }
        }
    }
    let mut nsgs: Vec<NsgGroup> = nsg_resources
        .iter()
        .zip(rules)
        .map(|(n, rules)| {
            let (rules, origins) = rules.into_iter().unzip();
            NsgGroup {
                resource: Some(n),
                header: n.header,
                label: nsg_label(n),
                rules: RuleList::new(rules, n.header),
                origins,
            }
        })
        .collect();
    for (key, _, header, list) in orphans {
        let (rules, origins) = list.into_iter().unzip();
        nsgs.push(NsgGroup {
            resource: None,
            header,
            label: format!("NSG {key}"),
            rules: RuleList::new(rules, header),
            origins,
        });
    }
    let index = Index::build(resources);
    let mut graph = Graph {
        nsgs,
        index,
        subnet_assoc: Vec::new(),
        nic_assoc: Vec::new(),
        associated: Vec::new(),
        nat: Default::default(),
    };
    link_associations(&mut graph, resources);
    graph.nat = nat::backends(&graph);
    graph
}

/// Reads the association resources and marks which NSGs are in use.
fn link_associations(graph: &mut Graph, resources: &[&Resource]) {
    let prop = |r: &Resource, k: &str| r.properties().and_then(|p| p.get(k)).cloned();
    let mut subnet_assoc = Vec::new();
    let mut nic_assoc = Vec::new();
    for r in resources {
        let (target_key, list) = if r.is_type(SUBNET_NSG_ASSOCIATION) {
            ("subnetId", &mut subnet_assoc)
        } else if r.is_type(NIC_NSG_ASSOCIATION) {
            ("networkInterfaceId", &mut nic_assoc)
        } else {
            continue;
        };
        let (Some(target), Some(nsg)) = (prop(r, target_key), prop(r, "networkSecurityGroupId"))
        else {
            continue;
        };
        if let Resolved::Entity(t) = graph.index.resolve(&target) {
            list.push((t, graph.nsg_ref(&nsg)));
        }
    }
    graph.subnet_assoc = subnet_assoc;
    graph.nic_assoc = nic_assoc;

    let mut associated = vec![false; graph.nsgs.len()];
    let mut mark = |link: NsgLink| {
        if let NsgLink::Nsg(g) = link {
            associated[g] = true;
        }
    };
    for (_, link) in graph.subnet_assoc.iter().chain(&graph.nic_assoc) {
        mark(*link);
    }
    for (i, e) in graph.index.entities.iter().enumerate() {
        if e.is_type(SUBNET_TYPE) || e.is_type(NIC_TYPE) {
            mark(graph.subnet_nsg(i));
        }
        if e.is_type(VMSS_TYPE) {
            let configs = e.node.path(&[
                "properties",
                "virtualMachineProfile",
                "networkProfile",
                "networkInterfaceConfigurations",
            ]);
            for c in configs.map(|c| c.items()).unwrap_or_default() {
                mark(graph.nic_nsg(None, c));
            }
        }
    }
    graph.associated = associated;
}
