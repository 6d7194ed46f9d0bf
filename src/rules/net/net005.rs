//! NET005: scale-set instances get their own public IPs.

use crate::findings::Level;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::NIC_CONFIGS;
use crate::rules::query::{finding, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET005",
        name: "VmssInstancePublicIps",
        title: "VMSS instance-level public IPs",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network"],
        precision: "very-high",
        help_uri: URI_NSG,
        peers: &["Trivy AVD-AZU-0076"],
        needs: &[],
        doc: include_str!("../../../rules/NET005.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for vmss in ctx.of_type(types::VMSS) {
        let Some(configs) = vmss.body.path(&NIC_CONFIGS) else {
            continue;
        };
        for nic in configs.items() {
            let ip_configs = nic.path(&["properties", "ipConfigurations"]);
            for ip in ip_configs.map(|l| l.items()).unwrap_or_default() {
                let Some(m) = ip.path_member(&["properties", "publicIPAddressConfiguration"])
                else {
                    continue;
                };
                let ip_name = ip.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let mut f = finding(
                    meta,
                    m.location(),
                    format!(
                        "{}: IP configuration '{ip_name}' of {} gives every instance its own public IP address. Remove publicIPAddressConfiguration (azurerm: the public_ip_address block) and reach instances through Azure Bastion, a jump box or a load balancer with restricted NAT rules.",
                        meta.title,
                        vmss.display()
                    ),
                );
                f.discriminator = ip_name.to_string();
                out.push(f);
            }
        }
    }
}
