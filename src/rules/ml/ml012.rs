//! ML012: the subnet NSG of compute in a high-business-impact workspace denies outbound TCP 443
//! to the regional Key Vault tag.

use crate::findings::Level;
use crate::rules::checker::Checker;
use crate::rules::query::traffic::{
    denial_text, denials, region_note, site, site_related, Required,
};
use crate::rules::query::workloads::{
    compute_region, in_customer_subnet, ml_computes, regional, workspace, COMPUTE_SUBNET,
};
use crate::rules::query::{finding, prop, related, Prop, URI_NT};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML012",
        name: "MlHbiKeyVaultOutboundBlocked",
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
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for (c, kind) in ml_computes(ctx) {
        let Some(ws) = workspace(ctx, c) else {
            continue;
        };
        let Prop::Known(hbi) = prop(ws, &["properties", "hbiWorkspace"]) else {
            continue;
        };
        if hbi.value.as_bool() != Some(true) || in_customer_subnet(ctx, c) != Some(true) {
            continue;
        }
        let Some(site) = site(ctx, c, &COMPUTE_SUBNET) else {
            continue;
        };
        let region = compute_region(ctx, c);
        let tag = regional("AzureKeyVault", region.as_deref());
        for d in denials(ctx, &site, &Required::outbound(&tag, 443)) {
            let mut f = finding(
                meta,
                d.span,
                format!(
                    "{}: {} is a {} of the high-business-impact workspace {}, which needs outbound TCP port 443 to `{tag}`{}, but {} denies it. Allow outbound TCP 443 to the AzureKeyVault service tag of the compute's region at a lower priority number than that rule.",
                    meta.title,
                    c.display(),
                    kind.noun(),
                    ws.display(),
                    region_note(region.as_deref()),
                    denial_text(&d),
                ),
            );
            f.discriminator = c.display();
            f.related = site_related(ctx, &site);
            f.related
                .push(related(hbi.span(), "the workspace is high business impact"));
            out.push(f);
        }
    }
}
