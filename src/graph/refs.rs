//! References between resources: what a reference node names (a Terraform traversal, an ARM
//! `resourceId(...)`/`concat(...)` expression or a literal resource id), resolved within one scope
//! to a resource or to an element inlined in one (a virtual network's subnet, a load balancer's
//! NAT pool, NAT rule or frontend).

use crate::eval::arm::expr::{resource_id_of, ResourceId};
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
    ("Microsoft.Network/virtualNetworks", "subnets", "subnets"),
    (
        "Microsoft.Network/loadBalancers",
        "inboundNatPools",
        "inboundNatPools",
    ),
    (
        "Microsoft.Network/loadBalancers",
        "inboundNatRules",
        "inboundNatRules",
    ),
    (
        "Microsoft.Network/loadBalancers",
        "frontendIPConfigurations",
        "frontendIPConfigurations",
    ),
    (
        "Microsoft.Network/loadBalancers",
        "backendAddressPools",
        "backendAddressPools",
    ),
    ("Microsoft.Network/routeTables", "routes", "routes"),
];

/// Every entity of a scope, for resolving references.
pub struct Index<'a> {
    pub entities: Vec<Entity<'a>>,
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
        Index { entities }
    }

    /// The entity a resource itself is.
    pub fn of_resource(&self, r: &Resource) -> Option<usize> {
        self.entities
            .iter()
            .position(|e| !e.inline && std::ptr::eq(e.resource, r))
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
                    .entities
                    .iter()
                    .position(|e| {
                        !e.inline && e.resource.tf_address.as_deref() == Some(address.as_str())
                    })
                    .map_or(Resolved::Unresolved, Resolved::Entity),
                Some(Reference::ArmExpression(text)) => self.by_id(resource_id_of(text)),
                None => Resolved::Unresolved,
            },
            Value::String(s) => self.by_id(resource_id_of(s)),
            _ => Resolved::Unresolved,
        }
    }

    fn by_id(&self, id: Option<ResourceId>) -> Resolved {
        let Some(id) = id else {
            return Resolved::Unresolved;
        };
        if id.names.iter().any(Option::is_none) {
            return Resolved::Unresolved;
        }
        let hit = self.entities.iter().position(|e| {
            e.is_type(&id.rtype)
                && e.names.len() == id.names.len()
                && e.names.iter().zip(&id.names).all(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => false,
                })
        });
        hit.map_or(Resolved::Unresolved, Resolved::Entity)
    }

    /// The element named `name` inlined under `collection` of entity `owner` (for azurerm NAT
    /// pools that name their load balancer's frontend).
    pub fn child_named(&self, owner: usize, collection: &str, name: &str) -> Option<usize> {
        let o = &self.entities[owner];
        let rtype = format!("{}/{collection}", o.rtype);
        self.entities.iter().position(|e| {
            e.inline
                && std::ptr::eq(e.resource, o.resource)
                && e.is_type(&rtype)
                && e.name().is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// Entities of a type (inline elements and resources alike).
    pub fn of_type<'s>(
        &'s self,
        rtype: &'s str,
    ) -> impl Iterator<Item = (usize, &'s Entity<'a>)> + 's {
        self.entities
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.is_type(rtype))
    }
}
