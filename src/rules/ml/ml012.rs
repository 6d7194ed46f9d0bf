//! ML012: the subnet NSG of compute in a high-business-impact workspace denies outbound TCP 443
//! to the regional Key Vault tag.

use crate::findings::{Level, Message};
use crate::rules::checker::{who, Checker};
use crate::rules::query::traffic::{denials, region_note, report_denial, site, Required};
use crate::rules::query::workloads::{
    compute_region, in_customer_subnet, ml_computes, workspace, COMPUTE_SUBNET,
};
use crate::rules::query::{lookup, Prop, URI_NT};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML012",
        name: "HbiWorkspaceKeyVaultOutboundBlocked",
        title: "HBI workspace: Key Vault outbound blocked",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["availability", "network", "ml"],
        precision: "high",
        help_uri: URI_NT,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML012.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for (c, kind) in ml_computes(ctx) {
        let Some(ws) = workspace(ctx, c) else {
            continue;
        };
        let Prop::Known(hbi) = lookup(&ws.body, &["properties", "hbiWorkspace"]) else {
            continue;
        };
        if hbi.value.as_bool() != Some(true) || in_customer_subnet(ctx, c) != Some(true) {
            continue;
        }
        let Some(site) = site(ctx, c, &COMPUTE_SUBNET) else {
            continue;
        };
        let region = compute_region(ctx, c);
        let req = Required::outbound("AzureKeyVault", 443).in_region(region.as_ref());
        for d in denials(ctx, &site, &req) {
            let says = Message::new()
                .text(format!(
                    "{} is a {} of the high-business-impact workspace {}, which needs outbound TCP port 443 to `",
                    who(c),
                    kind.noun(),
                    who(ws),
                ))
                .append(req.tag_message())
                .text(format!("`{}, but ", region_note(region.as_ref())))
                .append(d.text.clone())
                .text(" denies it.")
                .help("Allow outbound TCP 443 to the AzureKeyVault service tag of the compute's region at a lower priority number than that rule.");
            report_denial(cx, &d, &site, says)
                .about(c)
                .discriminator(who(c))
                .related(hbi.span(), "the workspace is high business impact");
        }
    }
}
