//! The backends of load-balancer NAT pools and NAT rules: the scale-set NIC configurations whose
//! IP configurations list a NAT pool, the network interfaces whose IP configurations list a NAT
//! rule, and the NAT rule associations some syntaxes write as resources of their own
//! ([`types::link::NIC_NAT_RULE`], read here like the property it stands for). Read once per
//! scope, in one pass over its resources.

use super::Graph;
use crate::ir::{types, Node, Resource, Span};
use std::collections::HashMap;

/// One backend of a NAT pool or rule: the NIC (configuration) whose IP configuration uses it.
#[derive(Debug, Clone)]
pub struct NatBackend<'a> {
    /// The scale set or network interface that uses the NAT pool or rule.
    pub resource: &'a Resource,
    /// The scale-set NIC configuration, or the network interface's body: where its own NSG is.
    pub config: &'a Node,
    /// The scale set or network interface entity, for an NSG association that names it.
    pub nic_entity: Option<usize>,
    /// The IP configuration's subnet reference, when it has one.
    pub subnet: Option<&'a Node>,
    /// Where the backend names the NAT pool or rule (the list element, or the association's
    /// reference).
    pub reference: Span,
}

/// NAT pool or rule entity → its backends, in the order of the scope's resources (the
/// association resources after the IP configurations that name a NAT themselves).
pub type NatBackends<'a> = HashMap<usize, Vec<NatBackend<'a>>>;

const NIC_CONFIGS: [&str; 4] = [
    "properties",
    "virtualMachineProfile",
    "networkProfile",
    "networkInterfaceConfigurations",
];

fn items(n: Option<&Node>) -> &[Node] {
    n.map(|l| l.items()).unwrap_or_default()
}

impl<'a> Graph<'a> {
    /// The backends of a NAT pool or NAT rule entity (see [`NatBackend`]).
    pub fn nat_backends(&self, nat: usize) -> &[NatBackend<'a>] {
        self.nat.get(&nat).map_or(&[], Vec::as_slice)
    }
}

/// Reads the NAT backends of a scope: one pass over its resources, each reference resolved once.
pub(super) fn backends<'a>(g: &Graph<'a>) -> NatBackends<'a> {
    let mut out: NatBackends<'a> = HashMap::new();
    // The NAT pool or rule entity a reference names, if it names one.
    let nat_of = |n: &Node| match g.index.resolve(n) {
        super::refs::Resolved::Entity(e)
            if g.index.get(e).is_type(types::LB_NAT_POOL)
                || g.index.get(e).is_type(types::LB_NAT_RULE) =>
        {
            Some(e)
        }
        _ => None,
    };
    // One backend per IP configuration and NAT, however often the list names it.
    fn add<'a>(out: &mut NatBackends<'a>, nat: usize, seen: &mut Vec<usize>, b: NatBackend<'a>) {
        if !seen.contains(&nat) {
            seen.push(nat);
            out.entry(nat).or_default().push(b);
        }
    }
    let mut associations: Vec<&'a Resource> = Vec::new();
    for (i, e) in g.index.entities.iter().enumerate() {
        if e.inline {
            continue;
        }
        let r = e.resource;
        if r.is_type(types::VMSS) {
            for config in items(r.body.path(&NIC_CONFIGS)) {
                for ip in items(config.path(&["properties", "ipConfigurations"])) {
                    let mut seen = Vec::new();
                    let pools = ip.path(&["properties", "loadBalancerInboundNatPools"]);
                    for p in items(pools) {
                        if let Some(nat) = nat_of(p) {
                            let backend = NatBackend {
                                resource: r,
                                config,
                                nic_entity: Some(i),
                                subnet: ip.path(&["properties", "subnet"]),
                                reference: p.span,
                            };
                            add(&mut out, nat, &mut seen, backend);
                        }
                    }
                }
            }
        } else if r.is_type(types::NIC) {
            for ip in items(r.body.path(&["properties", "ipConfigurations"])) {
                let mut seen = Vec::new();
                let rules = ip.path(&["properties", "loadBalancerInboundNatRules"]);
                for p in items(rules) {
                    if let Some(nat) = nat_of(p) {
                        let backend = NatBackend {
                            resource: r,
                            config: &r.body,
                            nic_entity: Some(i),
                            subnet: ip.path(&["properties", "subnet"]),
                            reference: p.span,
                        };
                        add(&mut out, nat, &mut seen, backend);
                    }
                }
            }
        } else if r.is_type(types::link::NIC_NAT_RULE) {
            associations.push(r);
        }
    }
    for r in associations {
        let props = r.properties();
        let (Some(rule_ref), Some(nic_ref)) = (
            props.and_then(|p| p.get("natRuleId")),
            props.and_then(|p| p.get("networkInterfaceId")),
        ) else {
            continue;
        };
        let Some(nat) = nat_of(rule_ref) else {
            continue;
        };
        let super::refs::Resolved::Entity(nic) = g.index.resolve(nic_ref) else {
            continue;
        };
        let nic_res = g.index.get(nic).resource;
        let ip_name = props
            .and_then(|p| p.get("ipConfigurationName"))
            .and_then(|n| n.as_str());
        let ip = items(nic_res.body.path(&["properties", "ipConfigurations"]))
            .iter()
            .find(|ip| ip_name.is_some() && ip.get("name").and_then(|n| n.as_str()) == ip_name);
        out.entry(nat).or_default().push(NatBackend {
            resource: nic_res,
            config: &nic_res.body,
            nic_entity: Some(nic),
            subnet: ip.and_then(|ip| ip.path(&["properties", "subnet"])),
            reference: rule_ref.span,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::frontend::{arm, terraform, InputKind};
    use crate::graph::build;
    use crate::ir::types;
    use crate::source::SourceFile;

    #[test]
    fn scale_sets_and_nics_name_their_nat_pools_and_rules() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
          {"type": "Microsoft.Network/loadBalancers", "name": "lb", "apiVersion": "2023-09-01", "properties": {
            "inboundNatPools": [{"name": "ssh", "properties": {"backendPort": 22}}],
            "inboundNatRules": [{"name": "rdp", "properties": {"backendPort": 3389}}]}},
          {"type": "Microsoft.Compute/virtualMachineScaleSets", "name": "vmss", "apiVersion": "2023-09-01", "properties": {"virtualMachineProfile": {"networkProfile": {"networkInterfaceConfigurations": [
            {"name": "nic", "properties": {"ipConfigurations": [{"name": "ip", "properties": {
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"},
              "loadBalancerInboundNatPools": [
                {"id": "[resourceId('Microsoft.Network/loadBalancers/inboundNatPools', 'lb', 'ssh')]"},
                {"id": "[resourceId('Microsoft.Network/loadBalancers/inboundNatPools', 'lb', 'ssh')]"}]}}]}}]}}}},
          {"type": "Microsoft.Network/networkInterfaces", "name": "nic", "apiVersion": "2023-09-01", "properties": {"ipConfigurations": [{"name": "ip", "properties": {
            "loadBalancerInboundNatRules": [{"id": "[resourceId('Microsoft.Network/loadBalancers/inboundNatRules', 'lb', 'rdp')]"}]}}]}}
        ]}"#;
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = build(&rs);
        let (pool, _) = g.index.of_type(types::LB_NAT_POOL).next().unwrap();
        let (rule, _) = g.index.of_type(types::LB_NAT_RULE).next().unwrap();
        // One backend per IP configuration, however often it lists the pool.
        let b = g.nat_backends(pool);
        assert_eq!(b.len(), 1);
        assert!(b[0].resource.is_type(types::VMSS));
        assert!(b[0].subnet.is_some());
        assert_eq!(
            b[0].config.get("name").and_then(|n| n.as_str()),
            Some("nic")
        );
        let b = g.nat_backends(rule);
        assert_eq!(b.len(), 1);
        assert!(b[0].resource.is_type(types::NIC));
        assert!(b[0].subnet.is_none());
        // Anything else has none.
        assert!(g.nat_backends(0).is_empty());
    }

    #[test]
    fn nat_rule_association_resources_are_read_like_the_property() {
        let text = r#"
resource "azurerm_lb" "lb" {
  name                = "lb"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_lb_nat_rule" "ssh" {
  name                           = "ssh"
  resource_group_name            = "rg"
  loadbalancer_id                = azurerm_lb.lb.id
  protocol                       = "Tcp"
  frontend_port                  = 50022
  backend_port                   = 22
  frontend_ip_configuration_name = "public"
}
resource "azurerm_network_interface" "nic" {
  name                = "nic"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_network_interface_nat_rule_association" "a" {
  network_interface_id  = azurerm_network_interface.nic.id
  ip_configuration_name = "internal"
  nat_rule_id           = azurerm_lb_nat_rule.ssh.id
}
"#;
        let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), text);
        let doc = terraform::load(&f, InputKind::Terraform).doc;
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = build(&rs);
        let (rule, _) = g.index.of_type(types::LB_NAT_RULE).next().unwrap();
        let b = g.nat_backends(rule);
        assert_eq!(b.len(), 1);
        assert_eq!(
            b[0].resource.tf_address.as_deref(),
            Some("azurerm_network_interface.nic")
        );
        // The association names the IP configuration, whose subnet is the backend's.
        assert!(b[0].subnet.is_some());
        assert_eq!(
            &text[b[0].reference.start..b[0].reference.end],
            "azurerm_lb_nat_rule.ssh.id"
        );
    }
}
