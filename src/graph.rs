//! The resource graph of one scan scope. For now: which NSG each rule belongs to (inline rules,
//! nested and top-level ARM children, `azurerm_network_security_rule`, azapi children), and the
//! orphan groups of D20. Depends on `ir` and `net`.

pub mod ipv6;
pub mod links;
pub mod nat;
pub mod refs;

use crate::eval::arm::expr::{canonical, parent_name_expression};
use crate::ir::armid::ArmId;
use crate::ir::types;
use crate::ir::{Member, Node, Reference, Resource, Span, Value};
use crate::net::address::Probe;
use crate::net::nsg::{NsgRule, RuleList};
use rayon::prelude::*;
use refs::{address_of, Index, Resolved};
use std::collections::HashMap;

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
        !self.resource.is_type(types::NSG_RULE)
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
    /// Subnet entity → NSG, from the first `azurerm_subnet_network_security_group_association`
    /// naming it.
    subnet_assoc: HashMap<usize, NsgLink>,
    /// Network interface entity → NSG, from the first
    /// `azurerm_network_interface_security_group_association` naming it.
    nic_assoc: HashMap<usize, NsgLink>,
    /// Subnet and network interface entity → the first NSG association resource naming it.
    nsg_assoc_by: HashMap<usize, &'a Resource>,
    /// Per NSG group: whether a subnet, NIC or scale-set NIC configuration in scope uses it.
    associated: Vec<bool>,
    /// NSG resource (by [`address_of`]) → its group in `nsgs`.
    group_of: HashMap<usize, usize>,
    /// Associations, routes, private endpoints and NIC layers, read once.
    links: links::Links<'a>,
    /// NAT pool and rule entity → the NICs and scale-set NIC configurations behind it.
    nat: nat::NatBackends<'a>,
    /// Per NSG group: whether a workload it filters is known to be reachable over IPv6 (D34).
    ipv6: Vec<bool>,
}

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
                let entity = self.index.get(e);
                match self.group_of.get(&address_of(entity.resource)) {
                    Some(&g) if !entity.inline => NsgLink::Nsg(g),
                    _ => NsgLink::Unknown,
                }
            }
            Resolved::Unresolved => NsgLink::Unknown,
        }
    }

    /// The NSG of a subnet entity: its `networkSecurityGroup`, or an association resource.
    pub fn subnet_nsg(&self, subnet: usize) -> NsgLink {
        if let Some(&link) = self.subnet_assoc.get(&subnet) {
            return link;
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
            if let Some(&link) = self.nic_assoc.get(&e) {
                return link;
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
            Resolved::Entity(e) if self.index.get(e).is_type(types::SUBNET) => Some(e),
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

    /// The properties that association resources set on a subnet or network interface entity
    /// (an azurerm `…_association`, the first that names it): the ARM property, and the
    /// association's member that holds its id.
    pub fn associated(&self, target: usize) -> Vec<(&'static str, &'a Member)> {
        let member = |r: &'a Resource, key: &str| r.properties().and_then(|p| p.member(key));
        let mut out = Vec::new();
        if let Some(m) = self
            .nsg_assoc_by
            .get(&target)
            .and_then(|r| member(r, "networkSecurityGroupId"))
        {
            out.push(("networkSecurityGroup", m));
        }
        for (map, key, property) in [
            (&self.links.route_table_assoc, "routeTableId", "routeTable"),
            (&self.links.nat_gateway_assoc, "natGatewayId", "natGateway"),
        ] {
            if let Some(m) = map
                .get(&target)
                .and_then(|&a| member(self.index.get(a).resource, key))
            {
                out.push((property, m));
            }
        }
        out
    }

    /// Is this NSG used by a subnet, network interface or scale-set NIC configuration in scope?
    pub fn is_associated(&self, nsg: usize) -> bool {
        self.associated.get(nsg).copied().unwrap_or(false)
    }

    /// The first of `resources` that is a nested deployment whose template is not read (a
    /// registry or remote module) and is passed a reference to `target` among its parameters:
    /// where a resource that nothing in scope uses may be used.
    pub fn passed_to_unread(
        &self,
        resources: &[&'a Resource],
        target: &Resource,
    ) -> Option<&'a Resource> {
        resources
            .iter()
            .copied()
            .filter(|r| r.is_unread_deployment())
            .find(|d| {
                d.properties()
                    .and_then(|p| p.get("parameters"))
                    .is_some_and(|ps| self.names_in(ps, target))
            })
    }

    /// Does a value in `n` name `target` (the resource itself, not an element inside it)?
    fn names_in(&self, n: &Node, target: &Resource) -> bool {
        match &n.value {
            Value::Array(items) => items.iter().any(|i| self.names_in(i, target)),
            Value::Object(members) => members.iter().any(|m| self.names_in(&m.value, target)),
            _ => match self.index.resolve(n) {
                Resolved::Entity(e) => {
                    let e = self.index.get(e);
                    !e.inline && std::ptr::eq(e.resource, target)
                }
                Resolved::Unresolved => false,
            },
        }
    }
}

/// How messages name an NSG resource: its address, or `networkSecurityGroups 'name'`, marked as
/// naming that resource (`findings::named`) so that results of its instances merge (D37).
fn nsg_label(r: &Resource) -> String {
    let label = match (&r.tf_address, r.name()) {
        (Some(a), _) => a.clone(),
        (None, Some(name)) => format!("networkSecurityGroups '{name}'"),
        // Named by an expression not known: the expression, to tell such NSGs apart.
        (None, None) => match r.name_expression() {
            Some(e) => format!("networkSecurityGroups `{e}`"),
            None => "networkSecurityGroups '?'".to_string(),
        },
    };
    crate::findings::named(r.span, &label)
}

/// An NSG a standalone rule names that is not in scope: what its rules are grouped by, and how
/// messages name it.
struct Unowned {
    key: String,
    label: String,
}

impl Unowned {
    fn named(key: String) -> Unowned {
        Unowned {
            label: key.clone(),
            key,
        }
    }

    /// An NSG whose name is not known, grouped by the reason; named by the expression the
    /// reason quotes (`module output `m.x` is not evaluated` names `m.x`), if it quotes one.
    fn unknown(reason: &str) -> Unowned {
        let key = format!("`{reason}`");
        let quoted = reason
            .split_once('`')
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(expr, _)| expr)
            .filter(|expr| !expr.is_empty());
        Unowned {
            label: quoted.map_or_else(|| key.clone(), |expr| format!("`{expr}`")),
            key,
        }
    }
}

/// The NSG resources of a scope, with the lookups [`owner`] needs.
struct NsgLookup<'r, 'a> {
    nsgs: &'r [&'a Resource],
    /// By Terraform address (the first with it).
    by_address: HashMap<&'a str, usize>,
    /// By lowercased own name, in order.
    by_name: HashMap<String, Vec<usize>>,
    /// NSGs whose name is an ARM expression not known, by its canonical text, in order.
    by_expression: HashMap<String, Vec<usize>>,
}

impl<'r, 'a> NsgLookup<'r, 'a> {
    fn new(nsgs: &'r [&'a Resource]) -> Self {
        let mut by_address = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_expression: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in nsgs.iter().enumerate() {
            if let Some(key) = unknown_name_expression(n) {
                by_expression.entry(key).or_default().push(i);
            }
            if let Some(a) = n.tf_address.as_deref() {
                by_address.entry(a).or_insert(i);
            }
            if let Some(name) = n.name() {
                by_name
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(i);
            }
        }
        NsgLookup {
            nsgs,
            by_address,
            by_name,
            by_expression,
        }
    }

    /// The NSGs named `name` (case-insensitively), in order.
    fn named(&self, name: &str) -> &[usize] {
        self.by_name
            .get(&name.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }
}

/// The canonical text of a resource's name when it is an ARM expression whose value is not known.
fn unknown_name_expression(r: &Resource) -> Option<String> {
    canonical(r.name_expression()?)
}

/// For each of the `inner` resources, the first of the `outer` resources (by index) whose span
/// strictly encloses it in the same file: a nested ARM child inside its parent. One sweep over
/// both sorted by position; the spans still open at a resource are the syntax nodes around it.
fn enclosing(outer: &[&Resource], inner: &[&Resource]) -> Vec<Option<usize>> {
    // Instances of one copy loop share a span: keep the first of each span.
    let mut first_of_span: HashMap<Span, usize> = HashMap::new();
    for (i, o) in outer.iter().enumerate() {
        first_of_span.entry(o.span).or_insert(i);
    }
    let mut spans: Vec<(Span, usize)> = first_of_span.into_iter().collect();
    spans.sort_by_key(|(s, _)| (s.file, s.start, std::cmp::Reverse(s.end)));
    let mut order: Vec<usize> = (0..inner.len()).collect();
    order.sort_by_key(|&i| (inner[i].span.file, inner[i].span.start));
    let mut out = vec![None; inner.len()];
    let mut open: Vec<(Span, usize)> = Vec::new();
    let mut next = 0;
    for i in order {
        let s = inner[i].span;
        while next < spans.len() && (spans[next].0.file, spans[next].0.start) < (s.file, s.start) {
            open.push(spans[next]);
            next += 1;
        }
        // What ended before this resource starts encloses neither it nor any later one.
        open.retain(|(o, _)| o.file == s.file && o.end >= s.start);
        out[i] = open
            .iter()
            .filter(|(o, _)| s.end <= o.end)
            .map(|&(_, n)| n)
            .min();
    }
    out
}

/// The NSG a standalone rule belongs to, as an index into `nsgs`, or the key of its orphan group.
/// `enclosing` is the NSG the rule is written inside, if any.
fn owner(rule: &Resource, enclosing: Option<usize>, nsgs: &NsgLookup) -> Result<usize, Unowned> {
    // Nested ARM child: textually inside its parent.
    if let Some(i) = enclosing {
        return Ok(i);
    }
    if let Some(parent) = &rule.parent_ref {
        match &parent.value {
            Value::Unknown(u) => match &u.reference {
                Some(Reference::Terraform { address, .. }) => {
                    return nsgs
                        .by_address
                        .get(address.as_str())
                        .copied()
                        .ok_or_else(|| Unowned::named(format!("`{address}`")));
                    // A reference to an NSG the module does not declare is not valid Terraform
                    // for the directory as a whole: such files are fragments (a folder of
                    // examples), so their orphan rules are grouped per file.
                }
                Some(Reference::ArmExpression(e)) => return Err(Unowned::named(format!("`{e}`"))),
                // An id built below a resource group (D38): the NSG it names.
                Some(Reference::BuiltId { address, segments }) => {
                    let named = segments.windows(2).find_map(|w| match (&w[0], &w[1]) {
                        (Some(t), Some(n)) if t.eq_ignore_ascii_case("networkSecurityGroups") => {
                            Some(n.as_str())
                        }
                        _ => None,
                    });
                    return match named {
                        Some(name) => nsgs
                            .named(name)
                            .first()
                            .copied()
                            .ok_or_else(|| Unowned::named(format!("'{name}'"))),
                        None => Err(Unowned::named(format!("(below `{address}`)"))),
                    };
                }
                None => return Err(Unowned::unknown(&u.reason)),
            },
            Value::String(s) => {
                // A literal ARM id (azapi parent_id) or an NSG name (azurerm).
                let id = ArmId::parse(s);
                let name = id
                    .as_ref()
                    .and_then(|id| id.name_of(types::NSG))
                    .unwrap_or(s.as_str());
                let rg = |r: &Resource| {
                    r.resource_group
                        .as_ref()
                        .and_then(|n| n.as_str().map(str::to_string))
                };
                let rule_rg = rg(rule);
                return nsgs
                    .named(name)
                    .iter()
                    .copied()
                    .find(|&i| match (rg(nsgs.nsgs[i]), &rule_rg) {
                        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                        _ => true,
                    })
                    .ok_or_else(|| Unowned::named(format!("'{name}'")));
            }
            _ => {}
        }
    }
    if let Some(Some(nsg_name)) = rule.name_segments.first() {
        if rule.name_segments.len() >= 2 {
            return nsgs
                .named(nsg_name)
                .first()
                .copied()
                .ok_or_else(|| Unowned::named(format!("'{nsg_name}'")));
        }
    }
    Err(match rule.body.get("name").map(|n| &n.value) {
        Some(Value::Unknown(u)) => match &u.reference {
            Some(Reference::ArmExpression(e)) => {
                // `[format('{0}/{1}', parameters('nsg'), 'rule')]` (Bicep's `parent: nsg`) is
                // a rule of the NSG named `[parameters('nsg')]`, in the template or not.
                if let Some((parent, _)) = parent_name_expression(e) {
                    if let Some(&i) = nsgs.by_expression.get(&parent).and_then(|v| v.first()) {
                        return Ok(i);
                    }
                    return Err(Unowned::named(format!("`[{parent}]`")));
                }
                Unowned::named(format!("`{e}`"))
            }
            _ => Unowned::unknown(&u.reason),
        },
        _ => Unowned::named(format!("(parent of rule '{}')", rule.name().unwrap_or("?"))),
    })
}

/// A scope of this many resources builds its graph's NSG groups in parallel, beside its index.
const PARALLEL_FROM: usize = 1_000;

/// The graph of one scope's resources.
pub fn build<'a>(resources: &[&'a Resource]) -> Graph<'a> {
    let parallel = resources.len() >= PARALLEL_FROM;
    let (nsgs, index) = if parallel {
        rayon::join(|| nsg_groups(resources, true), || Index::build(resources))
    } else {
        (nsg_groups(resources, false), Index::build(resources))
    };
    let links = links::Links::build(&index);
    let mut group_of = HashMap::new();
    for (g, group) in nsgs.iter().enumerate() {
        if let Some(r) = group.resource {
            group_of.entry(address_of(r)).or_insert(g);
        }
    }
    let mut graph = Graph {
        nsgs,
        index,
        subnet_assoc: HashMap::new(),
        nic_assoc: HashMap::new(),
        nsg_assoc_by: HashMap::new(),
        associated: Vec::new(),
        group_of,
        links,
        nat: Default::default(),
        ipv6: Vec::new(),
    };
    link_associations(&mut graph, resources);
    graph.links.nic_layers = graph.read_nic_layers();
    graph.nat = nat::backends(&graph);
    graph.ipv6 = graph.read_ipv6();
    graph
}

/// The NSG groups of a scope: each NSG with its inline and child rules, then the groups of rules
/// whose NSG is not in the scope; each NSG's rules read in parallel when `parallel`.
fn nsg_groups<'a>(resources: &[&'a Resource], parallel: bool) -> Vec<NsgGroup<'a>> {
    let nsg_resources: Vec<&Resource> = resources
        .iter()
        .copied()
        .filter(|r| r.is_type(types::NSG))
        .collect();
    // A list (or properties) that is not known is a rule of which nothing is known: any
    // decision it could come before stays unknown, whatever rules of their own resources add.
    let inline = |n: &&'a Resource| -> Vec<(NsgRule, RuleOrigin<'a>)> {
        let list = n.properties().and_then(|p| {
            if p.is_unknown() {
                Some(p)
            } else {
                p.get("securityRules")
            }
        });
        let nodes = match list {
            Some(l) if l.is_unknown() => std::slice::from_ref(l),
            Some(l) => l.items(),
            None => &[],
        };
        nodes
            .iter()
            .map(|node| (NsgRule::from_ir(node), RuleOrigin { node, resource: n }))
            .collect()
    };
    let mut rules: Vec<Vec<(NsgRule, RuleOrigin<'a>)>> = if parallel {
        nsg_resources.par_iter().map(inline).collect()
    } else {
        nsg_resources.iter().map(inline).collect()
    };
    // (label, file for per-file groups, first rule's header, rules)
    type Orphan<'a> = (Unowned, Option<usize>, Span, Vec<(NsgRule, RuleOrigin<'a>)>);
    let mut orphans: Vec<Orphan<'a>> = Vec::new();
    let group_file = |r: &Resource| -> Option<usize> {
        let undeclared_tf_ref = matches!(
            r.parent_ref.as_ref().map(|p| &p.value),
            Some(Value::Unknown(u)) if matches!(u.reference, Some(Reference::Terraform { .. }))
        );
        undeclared_tf_ref.then_some(r.span.file)
    };
    let rule_resources: Vec<&'a Resource> = resources
        .iter()
        .copied()
        .filter(|r| r.is_type(types::NSG_RULE))
        .collect();
    let enclosing = enclosing(&nsg_resources, &rule_resources);
    let lookup = NsgLookup::new(&nsg_resources);
    // (label, file) → index into `orphans`
    let mut orphan_of: HashMap<(String, Option<usize>), usize> = HashMap::new();
    for (&r, enclosing) in rule_resources.iter().zip(enclosing) {
        let origin = RuleOrigin {
            node: &r.body,
            resource: r,
        };
        let mut rule = NsgRule::from_ir(&r.body);
        // A child's `name` may be `nsg/rule`; the rule's own name is the last segment.
        if let Some(n) = r.name() {
            rule.name = Some(n.to_string());
        }
        match owner(r, enclosing, &lookup) {
            Ok(i) => rules[i].push((rule, origin)),
            Err(unowned) => {
                let file = group_file(r);
                match orphan_of.get(&(unowned.key.clone(), file)) {
                    Some(&o) => orphans[o].3.push((rule, origin)),
                    None => {
                        orphan_of.insert((unowned.key.clone(), file), orphans.len());
                        orphans.push((unowned, file, r.header, vec![(rule, origin)]));
                    }
                }
            }
        }
    }
    let group = |(n, rules): (&&'a Resource, Vec<(NsgRule, RuleOrigin<'a>)>)| {
        let (rules, origins) = rules.into_iter().unzip();
        NsgGroup {
            resource: Some(*n),
            header: n.header,
            label: nsg_label(n),
            rules: RuleList::new(rules, n.header),
            origins,
        }
    };
    let mut nsgs: Vec<NsgGroup> = if parallel {
        nsg_resources.par_iter().zip(rules).map(group).collect()
    } else {
        nsg_resources.iter().zip(rules).map(group).collect()
    };
    for (unowned, _, header, list) in orphans {
        let (rules, origins) = list.into_iter().unzip();
        nsgs.push(NsgGroup {
            resource: None,
            header,
            label: format!("NSG {}", unowned.label),
            rules: RuleList::new(rules, header),
            origins,
        });
    }
    nsgs
}

/// Reads the association resources and marks which NSGs are in use.
fn link_associations<'a>(graph: &mut Graph<'a>, resources: &[&'a Resource]) {
    let prop = |r: &Resource, k: &str| r.properties().and_then(|p| p.get(k)).cloned();
    let mut subnet_assoc = Vec::new();
    let mut nic_assoc = Vec::new();
    for r in resources {
        let (target_key, list) = if r.is_type(types::link::SUBNET_NSG) {
            ("subnetId", &mut subnet_assoc)
        } else if r.is_type(types::link::NIC_NSG) {
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
            graph.nsg_assoc_by.entry(t).or_insert(*r);
        }
    }
    let mut associated = vec![false; graph.nsgs.len()];
    let mut mark = |link: NsgLink| {
        if let NsgLink::Nsg(g) = link {
            associated[g] = true;
        }
    };
    for &(_, link) in subnet_assoc.iter().chain(&nic_assoc) {
        mark(link);
    }
    // A subnet or NIC named by several associations takes the first.
    let first = |list: Vec<(usize, NsgLink)>| {
        let mut map = HashMap::new();
        for (target, link) in list {
            map.entry(target).or_insert(link);
        }
        map
    };
    graph.subnet_assoc = first(subnet_assoc);
    graph.nic_assoc = first(nic_assoc);

    for (i, e) in graph.index.entities.iter().enumerate() {
        if e.is_type(types::SUBNET) || e.is_type(types::NIC) {
            mark(graph.subnet_nsg(i));
        }
        if e.is_type(types::VMSS) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::{arm, terraform, InputKind};
    use crate::ir::Document;
    use crate::source::SourceFile;

    fn tf(text: &str) -> Document {
        let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), text);
        terraform::load(&f, InputKind::Terraform).doc
    }

    fn rule_names(g: &NsgGroup) -> Vec<String> {
        g.rules
            .user_rules()
            .iter()
            .map(|r| r.name.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn standalone_rules_find_their_nsg_or_an_orphan_group() {
        let d = tf(r#"
resource "azurerm_network_security_group" "a" {
  name                = "nsg"
  resource_group_name = "rg1"
}
resource "azurerm_network_security_group" "b" {
  name                = "nsg"
  resource_group_name = "rg2"
}
resource "azurerm_network_security_rule" "in_rg2" {
  name                        = "in_rg2"
  resource_group_name         = "rg2"
  network_security_group_name = "nsg"
}
resource "azurerm_network_security_rule" "any_rg" {
  name                        = "any_rg"
  network_security_group_name = "NSG"
}
resource "azurerm_network_security_rule" "by_reference" {
  name                        = "by_reference"
  network_security_group_name = azurerm_network_security_group.b.name
}
resource "azurerm_network_security_rule" "m1" {
  name                        = "m1"
  network_security_group_name = azurerm_network_security_group.missing.name
}
resource "azurerm_network_security_rule" "m2" {
  name                        = "m2"
  network_security_group_name = azurerm_network_security_group.missing.name
}
resource "azurerm_network_security_rule" "elsewhere" {
  name                        = "elsewhere"
  network_security_group_name = "other"
}
"#);
        let rs: Vec<&Resource> = d.resources.iter().collect();
        let g = build(&rs);
        assert_eq!(g.nsgs.len(), 4);
        assert_eq!(rule_names(&g.nsgs[0]), ["any_rg"]);
        assert_eq!(rule_names(&g.nsgs[1]), ["in_rg2", "by_reference"]);
        assert!(g.nsgs[2].is_orphan());
        assert_eq!(rule_names(&g.nsgs[2]), ["m1", "m2"]);
        assert_eq!(g.nsgs[3].label, "NSG 'other'");
    }

    #[test]
    fn the_first_association_of_a_subnet_counts_and_every_associated_nsg_is_used() {
        let d = tf(r#"
resource "azurerm_network_security_group" "a" {
  name = "a"
}
resource "azurerm_network_security_group" "b" {
  name = "b"
}
resource "azurerm_network_security_group" "unused" {
  name = "unused"
}
resource "azurerm_subnet" "s" {
  name                 = "s"
  virtual_network_name = "v"
}
resource "azurerm_subnet_network_security_group_association" "first" {
  subnet_id                 = azurerm_subnet.s.id
  network_security_group_id = azurerm_network_security_group.a.id
}
resource "azurerm_subnet_network_security_group_association" "second" {
  subnet_id                 = azurerm_subnet.s.id
  network_security_group_id = azurerm_network_security_group.b.id
}
"#);
        let rs: Vec<&Resource> = d.resources.iter().collect();
        let g = build(&rs);
        let subnet = g
            .index
            .of_type(types::SUBNET)
            .map(|(i, _)| i)
            .next()
            .unwrap();
        assert_eq!(g.subnet_nsg(subnet), NsgLink::Nsg(0));
        assert!(g.is_associated(0) && g.is_associated(1) && !g.is_associated(2));
    }

    #[test]
    fn nested_arm_children_belong_to_the_nsg_around_them() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
          {"type": "Microsoft.Network/networkSecurityGroups", "name": "one", "apiVersion": "2023-09-01", "properties": {},
           "resources": [{"type": "securityRules", "name": "nested", "apiVersion": "2023-09-01", "properties": {}}]},
          {"type": "Microsoft.Network/networkSecurityGroups", "name": "two", "apiVersion": "2023-09-01", "properties": {}},
          {"type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "two/top", "apiVersion": "2023-09-01", "properties": {}}
        ]}"#;
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<&Resource> = doc.resources.iter().collect();
        let g = build(&rs);
        let names: Vec<Vec<String>> = g.nsgs.iter().map(rule_names).collect();
        assert_eq!(names, [vec!["nested".to_string()], vec!["top".to_string()]]);
    }

    #[test]
    fn child_rules_named_after_an_unknown_nsg_name_find_it_or_share_a_group() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
          "parameters": {"m": {"type": "string"}, "n": {"type": "string"}}, "resources": [
          {"type": "Microsoft.Network/networkSecurityGroups", "name": "[parameters('m')]", "apiVersion": "2023-09-01", "properties": {}},
          {"type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "[format('{0}/{1}', parameters('m'), 'c')]", "apiVersion": "2023-09-01", "properties": {}},
          {"type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "[concat(parameters('n'), '/a')]", "apiVersion": "2023-09-01", "properties": {}},
          {"type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "[format('{0}/{1}', parameters( 'n' ), 'b')]", "apiVersion": "2023-09-01", "properties": {}}
        ]}"#;
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<&Resource> = doc.resources.iter().collect();
        let g = build(&rs);
        assert_eq!(g.nsgs.len(), 2);
        assert!(!g.nsgs[0].is_orphan());
        assert_eq!(g.nsgs[0].rules.user_rules().len(), 1);
        assert!(g.nsgs[1].is_orphan());
        assert_eq!(g.nsgs[1].rules.user_rules().len(), 2);
        assert_eq!(g.nsgs[1].label, "NSG `[parameters('n')]`");
    }

    #[test]
    fn enclosing_takes_the_first_of_the_spans_around() {
        let f = SourceFile::new(
            0,
            "t.json".into(),
            "t.json".into(),
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "name": "n", "apiVersion": "2023-09-01"}]}"#,
        );
        let doc = arm::load(&f).unwrap();
        let at = |file: usize, start: usize, end: usize| {
            let mut r = doc.resources[0].clone();
            r.span = Span::new(file, start, end);
            r
        };
        // Two instances of one copy loop (same span, 1 and 3), one inside another (2 in 0), a
        // resource in another file (4).
        let outer = [
            at(0, 0, 100),
            at(0, 200, 300),
            at(0, 10, 50),
            at(0, 200, 300),
            at(1, 0, 1000),
        ];
        let inner = [
            at(0, 20, 30),   // in 0 and 2
            at(0, 60, 70),   // in 0
            at(0, 210, 220), // in 1 and 3
            at(0, 200, 300), // not strictly after the start of 1 and 3
            at(0, 290, 310), // overlaps 1's end
            at(1, 5, 6),     // in 4
            at(2, 5, 6),     // nowhere
            at(0, 100, 120), // after 0
        ];
        let outer: Vec<&Resource> = outer.iter().collect();
        let inner: Vec<&Resource> = inner.iter().collect();
        assert_eq!(
            enclosing(&outer, &inner),
            [Some(0), Some(0), Some(1), None, None, Some(4), None, None]
        );
    }

    /// An NSG out of scope whose name is not known is named by the expression the reason quotes,
    /// and grouped by the whole reason; other keys name it as they are.
    #[test]
    fn orphan_nsgs_are_named_by_their_expression() {
        let u = Unowned::unknown("module output `module.nsgs.resource.name` is not evaluated");
        assert_eq!(u.label, "`module.nsgs.resource.name`");
        assert_eq!(
            u.key,
            "`module output `module.nsgs.resource.name` is not evaluated`"
        );
        assert_eq!(
            Unowned::unknown("variable `var.nsg` has no value").label,
            "`var.nsg`"
        );
        assert_eq!(Unowned::unknown("not known").label, "`not known`");
        let arm = Unowned::named("`[concat('`a`', 'b')]`".to_string());
        assert_eq!(arm.label, arm.key);
    }
}
