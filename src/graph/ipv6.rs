//! Which workloads are known to be reachable over IPv6 (D34): network interfaces and scale-set
//! NIC configurations with an IPv6 IP configuration or an IPv6 public IP, Batch pools whose
//! public IP configuration includes the IPv6 family, and the NSGs in front of them. Only a value
//! written as `IPv6` counts; anything else, or a value that is not known, leaves the single
//! Internet probe of §1.3.

use super::links::Link;
use super::{Graph, NsgLink};
use crate::ir::{types, Node, Resource};

const VERSION: [&str; 2] = ["properties", "publicIPAddressVersion"];

fn is_ipv6(n: Option<&Node>) -> bool {
    n.and_then(Node::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("IPv6"))
}

fn items(n: Option<&Node>) -> &[Node] {
    n.map(Node::items).unwrap_or_default()
}

impl Graph<'_> {
    /// Does a public IP reference (`{ id }`, a traversal, an id, or the public IP written inline)
    /// name a public IP whose `publicIPAddressVersion` is IPv6?
    pub fn public_ip_ipv6(&self, reference: Option<&Node>) -> bool {
        let Some(r) = reference else {
            return false;
        };
        if is_ipv6(r.path(&VERSION)) {
            return true;
        }
        match self.link(Some(r)) {
            Link::Entity(e) => {
                let e = self.index.get(e);
                e.is_type(types::PUBLIC_IP) && is_ipv6(e.node.path(&VERSION))
            }
            _ => false,
        }
    }

    /// Does a network interface (its body) or a scale-set NIC configuration have an IP
    /// configuration over IPv6: `privateIPAddressVersion` IPv6, or an IPv6 public IP (referenced,
    /// or the scale set's per-instance public IP configuration)?
    pub fn ip_configurations_ipv6(&self, holder: &Node) -> bool {
        items(holder.path(&["properties", "ipConfigurations"]))
            .iter()
            .any(|ip| {
                is_ipv6(ip.path(&["properties", "privateIPAddressVersion"]))
                    || self.public_ip_ipv6(ip.path(&["properties", "publicIPAddress"]))
                    || is_ipv6(ip.path(&[
                        "properties",
                        "publicIPAddressConfiguration",
                        "properties",
                        "publicIPAddressVersion",
                    ]))
            })
    }

    /// Is a Batch pool reachable over IPv6: its `publicIPAddressConfiguration.ipFamilies`
    /// includes IPv6, or one of its `ipAddressIds` is an IPv6 public IP?
    pub fn pool_ipv6(&self, pool: &Resource) -> bool {
        let Some(config) = pool.body.path(&[
            "properties",
            "networkConfiguration",
            "publicIPAddressConfiguration",
        ]) else {
            return false;
        };
        items(config.get("ipFamilies"))
            .iter()
            .any(|f| is_ipv6(Some(f)))
            || items(config.get("ipAddressIds"))
                .iter()
                .any(|id| self.public_ip_ipv6(Some(id)))
    }

    /// Does NSG group `nsg` filter a workload known to be reachable over IPv6 (on its own
    /// network interface, or in a subnet it is the NSG of)?
    pub fn nsg_ipv6(&self, nsg: usize) -> bool {
        self.ipv6.get(nsg).copied().unwrap_or(false)
    }

    /// Reads [`Graph::nsg_ipv6`] for every NSG group (once the NIC layers are known).
    pub(super) fn read_ipv6(&self) -> Vec<bool> {
        let mut out = vec![false; self.nsgs.len()];
        let mut mark = |link: NsgLink| {
            if let NsgLink::Nsg(g) = link {
                out[g] = true;
            }
        };
        for layer in self.nic_layers().iter().filter(|l| l.ipv6) {
            mark(layer.nic_nsg);
            if let Some(s) = layer.subnet {
                mark(self.subnet_nsg(s));
            }
        }
        for (_, e) in self.index.of_type(types::BATCH_POOL) {
            if e.inline || !self.pool_ipv6(e.resource) {
                continue;
            }
            let path = ["properties", "networkConfiguration", "subnetId"];
            if let Link::Entity(s) = self.subnet_of(e.resource, &path) {
                mark(self.subnet_nsg(s));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::frontend::arm;
    use crate::graph::build;
    use crate::source::SourceFile;

    #[test]
    fn nsgs_in_front_of_ipv6_workloads() {
        let nsg = |n: &str| {
            format!(
                r#"{{"type": "Microsoft.Network/networkSecurityGroups", "name": "{n}", "apiVersion": "2023-09-01", "properties": {{}}}}"#
            )
        };
        let nsg_ref = |n: &str| {
            format!(r#"{{"id": "[resourceId('Microsoft.Network/networkSecurityGroups', '{n}')]"}}"#)
        };
        let resources = [
            nsg("private-v6"),
            nsg("public-v6"),
            nsg("vmss-v6"),
            nsg("pool-subnet"),
            nsg("v4-only"),
            nsg("unused"),
            // A NIC with an IPv6 IP configuration.
            format!(r#"{{"type": "Microsoft.Network/networkInterfaces", "name": "a", "apiVersion": "2023-09-01", "properties": {{"networkSecurityGroup": {}, "ipConfigurations": [{{"name": "v4", "properties": {{}}}}, {{"name": "v6", "properties": {{"privateIPAddressVersion": "ipv6"}}}}]}}}}"#, nsg_ref("private-v6")),
            // A NIC whose public IP is IPv6.
            r#"{"type": "Microsoft.Network/publicIPAddresses", "name": "pip6", "apiVersion": "2023-09-01", "properties": {"publicIPAddressVersion": "IPv6"}}"#.to_string(),
            format!(r#"{{"type": "Microsoft.Network/networkInterfaces", "name": "b", "apiVersion": "2023-09-01", "properties": {{"networkSecurityGroup": {}, "ipConfigurations": [{{"name": "ip", "properties": {{"publicIPAddress": {{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip6')]"}}}}}}]}}}}"#, nsg_ref("public-v6")),
            // A scale set whose per-instance public IPs are IPv6.
            format!(r#"{{"type": "Microsoft.Compute/virtualMachineScaleSets", "name": "s", "apiVersion": "2023-09-01", "properties": {{"virtualMachineProfile": {{"networkProfile": {{"networkInterfaceConfigurations": [{{"name": "nic", "properties": {{"networkSecurityGroup": {}, "ipConfigurations": [{{"name": "ip", "properties": {{"publicIPAddressConfiguration": {{"name": "p", "properties": {{"publicIPAddressVersion": "IPv6"}}}}}}}}]}}}}]}}}}}}}}"#, nsg_ref("vmss-v6")),
            // A dual-stack Batch pool in a subnet with an NSG.
            format!(r#"{{"type": "Microsoft.Network/virtualNetworks/subnets", "name": "v/pools", "apiVersion": "2023-09-01", "properties": {{"networkSecurityGroup": {}}}}}"#, nsg_ref("pool-subnet")),
            r#"{"type": "Microsoft.Batch/batchAccounts/pools", "name": "acct/p", "apiVersion": "2024-07-01", "properties": {"networkConfiguration": {"subnetId": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'pools')]", "publicIPAddressConfiguration": {"ipFamilies": ["IPv4", "IPv6"]}}}}"#.to_string(),
            // IPv4 only.
            format!(r#"{{"type": "Microsoft.Network/networkInterfaces", "name": "c", "apiVersion": "2023-09-01", "properties": {{"networkSecurityGroup": {}, "ipConfigurations": [{{"name": "v4", "properties": {{"privateIPAddressVersion": "IPv4"}}}}]}}}}"#, nsg_ref("v4-only")),
        ];
        let text = format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{}]}}"#,
            resources.join(",\n")
        );
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), &text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = build(&rs);
        let marked: Vec<(&str, bool)> = g
            .nsgs
            .iter()
            .enumerate()
            .map(|(i, n)| (n.resource.unwrap().name().unwrap(), g.nsg_ipv6(i)))
            .collect();
        assert_eq!(
            marked,
            [
                ("private-v6", true),
                ("public-v6", true),
                ("vmss-v6", true),
                ("pool-subnet", true),
                ("v4-only", false),
                ("unused", false)
            ]
        );
    }
}
