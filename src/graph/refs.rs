//! References between resources: what a reference node names (a Terraform traversal, an ARM
//! `resourceId(...)`/`concat(...)` expression or a literal resource id), resolved within one scope
//! to a resource or to an element inlined in one (a virtual network's subnet, a load balancer's
//! NAT pool, NAT rule or frontend).

use crate::eval::arm::expr::{
    canonical, parent_name_expression, resource_id_of, symbolic_name, symbolic_resource_id,
};
use crate::hash::HashMap;
use crate::ir::armid::ArmId;
use crate::ir::types;
use crate::ir::{Node, Reference, Resource, Span, Value};

/// A resource, or an element inlined in a resource, that a reference can name.
#[derive(Debug, Clone)]
pub struct Entity<'a> {
    /// Full ARM type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    pub rtype: String,
    pub names: Vec<Option<String>>,
    /// The object with `name` and `properties` (the resource body, or the inline element).
    pub node: &'a Node,
    /// The resource that holds it.
    pub resource: &'a Resource,
    pub inline: bool,
    /// Where to point at it: the resource header, or the inline element's `name` member.
    pub anchor: Span,
}

impl Entity<'_> {
    pub fn is_type(&self, rtype: &str) -> bool {
        self.rtype.eq_ignore_ascii_case(rtype)
    }
    pub fn properties(&self) -> Option<&Node> {
        self.node.get("properties")
    }
    pub fn name(&self) -> Option<&str> {
        self.names.last().and_then(|n| n.as_deref())
    }
}

/// Inline collections that references can name: (resource type, property, element type).
const INLINE: &[(&str, &str, &str)] = &[
    (types::VNET, "subnets", "subnets"),
    (types::LOAD_BALANCER, "inboundNatPools", "inboundNatPools"),
    (types::LOAD_BALANCER, "inboundNatRules", "inboundNatRules"),
    (
        types::LOAD_BALANCER,
        "frontendIPConfigurations",
        "frontendIPConfigurations",
    ),
    (
        types::LOAD_BALANCER,
        "backendAddressPools",
        "backendAddressPools",
    ),
    (types::ROUTE_TABLE, "routes", "routes"),
];

/// Every entity of a scope, for resolving references, with lookup tables built once so that
/// each lookup takes constant time whatever the size of the scope. Where several entities match,
/// lookups answer the first in entity order.
pub struct Index<'a> {
    pub entities: Vec<Entity<'a>>,
    /// Resource entities by Terraform address.
    by_address: HashMap<&'a str, usize>,
    /// Entities whose names are all known, by [`id_key`] of their type and names.
    by_id: HashMap<IdKey, Vec<usize>>,
    /// Resource entities by lowercased type and own name.
    by_name: HashMap<(String, String), Vec<usize>>,
    /// Entities by lowercased type.
    by_type: HashMap<String, Vec<usize>>,
    /// The entity of each resource, by the resource's address in memory.
    by_resource: HashMap<usize, usize>,
    /// Inline elements by their resource, lowercased type and lowercased name.
    inline_by_name: HashMap<(usize, String, String), usize>,
}

/// Lowercased full type and names: how an id names an entity (ASCII case-insensitively).
type IdKey = (String, Vec<String>);

fn id_key<'n>(rtype: &str, names: impl IntoIterator<Item = Option<&'n str>>) -> Option<IdKey> {
    let names = names
        .into_iter()
        .map(|n| n.map(str::to_ascii_lowercase))
        .collect::<Option<Vec<String>>>()?;
    Some((rtype.to_ascii_lowercase(), names))
}

/// The names of an entity whose names are not all known, each name not known as the expression
/// that gives it ([`symbolic_name`]): an ARM resource named by an expression
/// (`[parameters('nsg')]`), a child named after its parent's expression
/// (`[format('{0}/{1}', parameters('vnet'), 's')]`), and the inline elements of those.
fn symbolic_names(e: &Entity) -> Option<Vec<String>> {
    let r = e.resource;
    let text = r.name_expression()?;
    let mut names = match r.name_segments.as_slice() {
        [None] => vec![symbolic_name(&canonical(text)?)],
        [None, Some(own)] => {
            let (parent, _) = parent_name_expression(text)?;
            vec![symbolic_name(&parent), own.clone()]
        }
        _ => return None,
    };
    if e.inline {
        names.push(e.names.last()?.clone()?);
    }
    Some(names)
}

/// A resource's identity for the lookup tables: where it is in memory.
pub(super) fn address_of(r: &Resource) -> usize {
    r as *const Resource as usize
}

/// A resource id known but for its subscription (and maybe its resource group): see
/// [`Index::unknown_id`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedId {
    /// Full ARM type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    pub rtype: String,
    /// One name per type segment below the namespace, all known.
    pub names: Vec<Option<String>>,
    pub resource_group: Option<String>,
}

impl NamedId {
    /// The id with `subscription` and, when it is not known, `resource_group` put in:
    /// `/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/v/subnets/s`.
    pub fn text(&self, subscription: &str, resource_group: &str) -> String {
        let mut parts = self.rtype.split('/');
        let namespace = parts.next().unwrap_or_default();
        let mut id = format!(
            "/subscriptions/{subscription}/resourceGroups/{}/providers/{namespace}",
            self.resource_group.as_deref().unwrap_or(resource_group)
        );
        for (t, n) in parts.zip(&self.names) {
            id.push('/');
            id.push_str(t);
            id.push('/');
            id.push_str(n.as_deref().unwrap_or_default());
        }
        id
    }
}

/// Could resource `r` be in resource group `group` (of an id)? Unless both are known and differ
/// (ASCII case-insensitively).
pub fn same_group(group: Option<&str>, r: &Resource) -> bool {
    match (group, r.resource_group.as_ref().and_then(Node::as_str)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

/// What a reference resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Entity(usize),
    /// It leaves the scope, or is not known well enough to say.
    Unresolved,
}

impl<'a> Index<'a> {
    pub fn build(resources: &[&'a Resource]) -> Index<'a> {
        let mut entities = Vec::new();
        for &r in resources {
            entities.push(Entity {
                rtype: r.rtype.clone(),
                names: r.name_segments.clone(),
                node: &r.body,
                resource: r,
                inline: false,
                anchor: r.header,
            });
            for (rtype, prop, child) in INLINE {
                if !r.is_type(rtype) {
                    continue;
                }
                let Some(list) = r.properties().and_then(|p| p.get(prop)) else {
                    continue;
                };
                for el in list.items() {
                    let mut names = r.name_segments.clone();
                    names.push(el.get("name").and_then(|n| n.as_str()).map(str::to_string));
                    entities.push(Entity {
                        rtype: format!("{rtype}/{child}"),
                        names,
                        node: el,
                        resource: r,
                        inline: true,
                        anchor: el.member("name").map_or(el.span, |m| m.span()),
                    });
                }
            }
        }
        let mut index = Index {
            entities: Vec::new(),
            by_address: HashMap::default(),
            by_id: HashMap::default(),
            by_name: HashMap::default(),
            by_type: HashMap::default(),
            by_resource: HashMap::default(),
            inline_by_name: HashMap::default(),
        };
        for (i, e) in entities.iter().enumerate() {
            let rtype = e.rtype.to_ascii_lowercase();
            let name = e.name().map(str::to_ascii_lowercase);
            if let Some(key) = id_key(&e.rtype, e.names.iter().map(Option::as_deref)) {
                index.by_id.entry(key).or_default().push(i);
            } else if let Some(names) = symbolic_names(e) {
                // Names not known, by the expressions that give them: `resourceId(…,
                // parameters('nsg'))` names the NSG named `[parameters('nsg')]`.
                if let Some(key) = id_key(&e.rtype, names.iter().map(|n| Some(n.as_str()))) {
                    index.by_id.entry(key).or_default().push(i);
                }
            }
            if e.inline {
                if let Some(name) = name {
                    index
                        .inline_by_name
                        .entry((address_of(e.resource), rtype.clone(), name))
                        .or_insert(i);
                }
            } else {
                if let Some(a) = e.resource.tf_address.as_deref() {
                    index.by_address.entry(a).or_insert(i);
                }
                index.by_resource.entry(address_of(e.resource)).or_insert(i);
                if let Some(name) = name {
                    index
                        .by_name
                        .entry((rtype.clone(), name))
                        .or_default()
                        .push(i);
                }
            }
            index.by_type.entry(rtype).or_default().push(i);
        }
        index.entities = entities;
        index
    }

    /// The entity a resource itself is.
    pub fn of_resource(&self, r: &Resource) -> Option<usize> {
        self.by_resource.get(&address_of(r)).copied()
    }

    pub fn get(&self, i: usize) -> &Entity<'a> {
        &self.entities[i]
    }

    /// Resolves a reference node: a traversal, an expression, a literal id, or an object whose
    /// `id` member is one of those.
    pub fn resolve(&self, node: &Node) -> Resolved {
        match &node.value {
            Value::Object(_) => match node.get("id") {
                Some(id) => self.resolve(id),
                None => Resolved::Unresolved,
            },
            Value::Unknown(u) => match &u.reference {
                Some(Reference::Terraform { address, .. }) => self
                    .by_address
                    .get(address.as_str())
                    .map_or(Resolved::Unresolved, |&i| Resolved::Entity(i)),
                Some(Reference::ArmExpression(text)) => match self.by_id(resource_id_of(text)) {
                    Resolved::Unresolved => match symbolic_resource_id(text) {
                        Some((rtype, names)) => self
                            .first_named(&rtype, names.iter().map(|n| Some(n.as_str())), |_| true)
                            .map_or(Resolved::Unresolved, Resolved::Entity),
                        None => Resolved::Unresolved,
                    },
                    found => found,
                },
                Some(Reference::BuiltId { address, segments }) => self.built(address, segments),
                None => Resolved::Unresolved,
            },
            Value::String(s) => self.by_id(resource_id_of(s)),
            _ => Resolved::Unresolved,
        }
    }

    /// What an id that is not known as text stands for: the resource's ARM type, its names,
    /// and its resource group when that is known. For a Terraform reference to a resource's
    /// `id` in scope, an id built from one (D38), or an ARM expression that builds an id
    /// (`resourceId(…)` with known names, whether or not the template declares the resource);
    /// `None` for anything else, or an id with a name that is not known.
    pub fn unknown_id(&self, node: &Node) -> Option<NamedId> {
        let Value::Unknown(u) = &node.value else {
            return None;
        };
        let entity = |i: usize| {
            let e = &self.entities[i];
            NamedId {
                rtype: e.rtype.clone(),
                names: e.names.clone(),
                resource_group: e
                    .resource
                    .resource_group
                    .as_ref()
                    .and_then(|g| g.as_str())
                    .map(str::to_string),
            }
        };
        let named = match &u.reference {
            Some(Reference::Terraform { address, attribute })
                if attribute.len() == 1 && attribute[0] == "id" =>
            {
                self.by_address.get(address.as_str()).map(|&i| entity(i))
            }
            Some(Reference::BuiltId { .. }) => match self.resolve(node) {
                Resolved::Entity(i) => Some(entity(i)),
                Resolved::Unresolved => None,
            },
            Some(Reference::ArmExpression(text)) => resource_id_of(text).map(|id| NamedId {
                rtype: id.rtype(),
                names: id.names,
                resource_group: id.resource_group,
            }),
            _ => None,
        }?;
        (named.names.iter().all(Option::is_some) && named.rtype.contains('/')).then_some(named)
    }

    /// The type and names of the resource a reference names, where they are known, whether or
    /// not that resource is in scope: a literal id, an ARM expression that builds one, or what
    /// [`Index::unknown_id`] reads of a reference. A reference that does not resolve names a
    /// resource of the scope only if these allow it.
    pub fn named(&self, node: &Node) -> Option<NamedId> {
        match &node.value {
            Value::Object(_) => self.named(node.get("id")?),
            Value::String(s) => resource_id_of(s).map(|id| NamedId {
                rtype: id.rtype(),
                names: id.names,
                resource_group: id.resource_group,
            }),
            Value::Unknown(_) => self.unknown_id(node),
            _ => None,
        }
    }

    /// An id built from a resource's id and the segments after it (D38), resolved like an id
    /// whose scope is unknown (D23): `<type>/<name>…` below that resource (a subnet of a virtual
    /// network), or `providers/<namespace>/<type>/<name>…` below a resource group.
    fn built(&self, address: &str, segments: &[Option<String>]) -> Resolved {
        let Some(&base) = self.by_address.get(address) else {
            return Resolved::Unresolved;
        };
        let provider = segments
            .first()
            .and_then(|s| s.as_deref())
            .is_some_and(|s| s.eq_ignore_ascii_case("providers"));
        // (namespace or the base's type, the base's names, the type/name pairs after them)
        let (mut rtype, mut names, pairs) = if provider {
            match segments.get(1).and_then(|s| s.as_deref()) {
                Some(namespace) => (namespace.to_string(), Vec::new(), &segments[2..]),
                None => return Resolved::Unresolved,
            }
        } else {
            let b = &self.entities[base];
            let names: Vec<Option<&str>> = b.names.iter().map(Option::as_deref).collect();
            (b.rtype.clone(), names, segments)
        };
        if pairs.is_empty() || pairs.len() % 2 != 0 {
            return Resolved::Unresolved;
        }
        for pair in pairs.chunks(2) {
            let Some(child) = pair[0].as_deref() else {
                return Resolved::Unresolved;
            };
            rtype = format!("{rtype}/{child}");
            names.push(pair[1].as_deref());
        }
        self.first_named(&rtype, names, |_| true)
            .map_or(Resolved::Unresolved, Resolved::Entity)
    }

    fn by_id(&self, id: Option<ArmId>) -> Resolved {
        let Some(id) = id else {
            return Resolved::Unresolved;
        };
        // The resource group counts when both the id and the resource name one (§1.8).
        let group = id.resource_group.as_deref();
        self.first_named(&id.rtype(), id.names.iter().map(Option::as_deref), |e| {
            same_group(group, e.resource)
        })
        .map_or(Resolved::Unresolved, Resolved::Entity)
    }

    /// The first entity of type `rtype` whose names are `names` (all known, compared
    /// case-insensitively) and that passes `filter`.
    pub(super) fn first_named<'n>(
        &self,
        rtype: &str,
        names: impl IntoIterator<Item = Option<&'n str>>,
        filter: impl Fn(&Entity) -> bool,
    ) -> Option<usize> {
        let key = id_key(rtype, names)?;
        let hits = self.by_id.get(&key)?;
        hits.iter().copied().find(|&i| filter(&self.entities[i]))
    }

    /// The first resource entity of type `rtype` whose own name is `name` (case-insensitively).
    pub(super) fn resource_named(&self, rtype: &str, name: &str) -> Option<usize> {
        let key = (rtype.to_ascii_lowercase(), name.to_ascii_lowercase());
        self.by_name
            .get(&key)
            .and_then(|hits| hits.first().copied())
    }

    /// The element named `name` inlined under `collection` of entity `owner` (for azurerm NAT
    /// pools that name their load balancer's frontend).
    pub fn child_named(&self, owner: usize, collection: &str, name: &str) -> Option<usize> {
        let o = &self.entities[owner];
        let rtype = format!("{}/{collection}", o.rtype).to_ascii_lowercase();
        let key = (address_of(o.resource), rtype, name.to_ascii_lowercase());
        self.inline_by_name.get(&key).copied()
    }

    /// Entities of a type (inline elements and resources alike).
    pub fn of_type<'s>(
        &'s self,
        rtype: &'s str,
    ) -> impl Iterator<Item = (usize, &'s Entity<'a>)> + 's {
        self.by_type
            .get(&rtype.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| (i, &self.entities[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::arm;
    use crate::source::SourceFile;

    #[test]
    fn lookups_answer_the_first_match_in_entity_order() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
          {"type": "Microsoft.Network/virtualNetworks", "name": "V", "apiVersion": "2023-09-01", "properties": {"subnets": [{"name": "S1", "properties": {}}]}},
          {"type": "Microsoft.Network/virtualNetworks/subnets", "name": "v/s1", "apiVersion": "2023-09-01", "properties": {}},
          {"type": "Microsoft.Network/loadBalancers", "name": "lb", "apiVersion": "2023-09-01", "properties": {"frontendIPConfigurations": [{"name": "fe", "properties": {}}]}}
        ]}"#;
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<&Resource> = doc.resources.iter().collect();
        let index = Index::build(&rs);
        // vnet, its inline subnet, the subnet resource, the load balancer, its frontend
        assert_eq!(index.entities.len(), 5);
        let id = |s: &str| Node::new(Value::String(s.into()), Span::new(0, 0, 0));
        assert_eq!(
            index.resolve(&id("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/S1")),
            Resolved::Entity(1)
        );
        assert_eq!(
            index.resolve(&id(
                "[resourceId('microsoft.network/virtualNetworks', 'v')]"
            )),
            Resolved::Entity(0)
        );
        assert_eq!(
            index.resolve(&id(
                "[resourceId('Microsoft.Network/virtualNetworks', parameters('v'))]"
            )),
            Resolved::Unresolved
        );
        assert_eq!(index.of_resource(rs[1]), Some(2));
        assert_eq!(
            index.child_named(3, "frontendIPConfigurations", "FE"),
            Some(4)
        );
        assert_eq!(index.child_named(0, "frontendIPConfigurations", "fe"), None);
        let subnets: Vec<usize> = index
            .of_type("microsoft.network/virtualnetworks/SUBNETS")
            .map(|(i, _)| i)
            .collect();
        assert_eq!(subnets, [1, 2]);
        assert_eq!(index.of_type("Microsoft.Network/nothing").count(), 0);
        assert_eq!(
            index.resource_named("Microsoft.Network/virtualNetworks", "v"),
            Some(0)
        );
    }

    #[test]
    fn ids_built_from_a_resource_id_resolve_below_it() {
        let text = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}
resource "azurerm_virtual_network" "v" {
  name                = "vnet"
  resource_group_name = "rg"
  subnet {
    name             = "s"
    address_prefixes = ["10.0.1.0/24"]
  }
}
resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  resource_group_name = "rg"
}
"#;
        let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), text);
        let doc = crate::frontend::terraform::load(&f, crate::frontend::InputKind::Terraform).doc;
        let rs: Vec<&Resource> = doc.resources.iter().collect();
        let index = Index::build(&rs);
        let built = |address: &str, segments: &[Option<&str>]| {
            let reference = Reference::BuiltId {
                address: address.into(),
                segments: segments.iter().map(|s| s.map(str::to_string)).collect(),
            };
            let node = Node::new(
                Value::Unknown(
                    crate::ir::Unknown {
                        reason: "built".into(),
                        reference: Some(reference),
                    }
                    .into(),
                ),
                Span::new(0, 0, 0),
            );
            match index.resolve(&node) {
                Resolved::Entity(e) => Some((index.get(e).rtype.clone(), index.get(e).name())),
                Resolved::Unresolved => None,
            }
        };
        let subnet = Some((types::SUBNET.to_string(), Some("s")));
        let v = "azurerm_virtual_network.v";
        assert_eq!(built(v, &[Some("subnets"), Some("S")]), subnet);
        assert_eq!(built(v, &[Some("subnets"), Some("other")]), None);
        assert_eq!(built(v, &[Some("subnets"), None]), None);
        assert_eq!(built(v, &[Some("subnets")]), None);
        assert_eq!(
            built(
                "azurerm_virtual_network.missing",
                &[Some("subnets"), Some("s")]
            ),
            None
        );
        // Below a resource group, through the provider namespace.
        let rg = "azurerm_resource_group.rg";
        let nsg = [
            Some("providers"),
            Some("Microsoft.Network"),
            Some("networkSecurityGroups"),
            Some("nsg"),
        ];
        assert_eq!(built(rg, &nsg), Some((types::NSG.to_string(), Some("nsg"))));
        let sub = [
            Some("providers"),
            Some("Microsoft.Network"),
            Some("virtualNetworks"),
            Some("vnet"),
            Some("subnets"),
            Some("s"),
        ];
        assert_eq!(built(rg, &sub), subnet);
        assert_eq!(built(rg, &sub[..5]), None);
    }
}
