//! NET005: scale-set instances get their own public IPs.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{name, quote, who, At, Checker};
use crate::rules::query::{lookup, Prop, NIC_CONFIGS, URI_NSG};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET005",
        name: "VmssInstanceLevelPublicIps",
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
    let ctx = cx.ctx;
    for vmss in ctx.of_type(types::VMSS) {
        let Some(configs) = vmss.body.path(&NIC_CONFIGS) else {
            continue;
        };
        for (n, nic) in configs.items().iter().enumerate() {
            let ip_configs = nic.path(&["properties", "ipConfigurations"]);
            for (i, ip) in ip_configs
                .map(|l| l.items())
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let Prop::Known(m) = lookup(ip, &["properties", "publicIPAddressConfiguration"])
                else {
                    continue;
                };
                let (n, i) = (n.to_string(), i.to_string());
                let mut keys: Vec<&str> = NIC_CONFIGS.to_vec();
                keys.extend([
                    n.as_str(),
                    "properties",
                    "ipConfigurations",
                    i.as_str(),
                    "properties",
                    "publicIPAddressConfiguration",
                ]);
                let public_ip = name(vmss, PropPath::new(&keys, keys.len() - 1));
                let (ip_name, discriminator) = match ip.get("name") {
                    Some(n) if n.as_str().is_some() => (quote(n), n.as_str().unwrap_or_default()),
                    _ => (Message::new().text("?"), "?"),
                };
                let says = Message::new()
                    .text("IP configuration '")
                    .append(ip_name)
                    .text(format!("' of {} gives every instance its own public IP address.", who(vmss))).help(format!("Remove {public_ip} and reach instances through Azure Bastion, a jump box or a load balancer with restricted NAT rules."));
                cx.report(At::member(vmss, m), says)
                    .discriminator(discriminator)
                    .fix(Fix::remove(&keys).changing(
                        "instances lose their public addresses and whatever reached them there",
                    ));
            }
        }
    }
}
