//! BATCH010: a Batch pool NAT endpoint exposes SSH/RDP to the internet.

use super::batch_exposure::{
    allow_location, nat_exposures, nat_name, Layered, NatExposure, SubnetLayer, NC,
};
use super::common::{finding, prop, related, service_name, Prop, BATCH_POOL, URI_RA};
use super::{Ctx, Rule, RuleMeta, ALL_SYNTAXES};
use crate::findings::{Finding, Level};
use crate::ir::Resource;
use crate::net::nsg::{match_rule, Access, Direction};
use crate::tri::Tri;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH010",
        name: "BatchNatEndpointExposesRemoteAccess",
        title: "NAT endpoint exposes SSH/RDP to the internet",
        level: Level::Error,
        security_severity: "8.1",
        tags: &["security", "network", "batch"],
        precision: "high",
        help_uri: URI_RA,
        peers: &[
            "Checkov CKV_AZURE_10",
            "Checkov CKV_AZURE_9",
            "Trivy AVD-AZU-0050",
            "Trivy AVD-AZU-0048",
            "KICS 3e3c175e-aadf-4e2b-a464-3fdac5748d24",
            "KICS efbf6449-5ec5-4cfe-8f15-acc51e0d787c",
        ],
        syntaxes: ALL_SYNTAXES,
        doc: include_str!("../../rules/BATCH010.md"),
    },
    check,
};

fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    for pool in ctx.of_type(BATCH_POOL) {
        for x in nat_exposures(ctx, pool) {
            if matches!(x.outcome, Layered::Allow { .. })
                && ctx.options.remote_access_ports.contains(&x.port)
            {
                out.push(allow_finding(ctx, &RULE.meta, pool, &x));
            }
        }
    }
}

/// The finding for an Allow outcome (BATCH010, and BATCH011 (a)): at the deciding endpoint rule's
/// source, or at the backend port for the implicit allow; related: the backend port, shadowed
/// denies, the subnet NSG's allowing rule, the public IP provisioning.
pub fn allow_finding(ctx: &Ctx, meta: &RuleMeta, pool: &Resource, x: &NatExposure) -> Finding {
    let port = x.port;
    let service = service_name(port);
    let (span, source) = allow_location(x);
    let what = format!(
        "NAT pool '{}' of {} maps backend port {port}{} on public IPs",
        nat_name(x.nat),
        pool.display(),
        if service == "remote access" {
            String::new()
        } else {
            format!(" ({service})")
        }
    );
    let implicit = matches!(x.outcome, Layered::Allow { implicit: true });
    let mut f = if implicit {
        finding(
            meta,
            span,
            format!(
                "{}: {what} and has no endpoint rules, so the Batch service allows it from any source. Add networkSecurityGroupRules that allow only known ranges and end with a Deny of `*`, or remove the endpoint.",
                meta.title
            ),
        )
    } else {
        let priority = x
            .endpoint
            .deciding
            .and_then(|(i, _)| x.endpoint.list.as_ref()?.rules[i].priority)
            .map_or("?".to_string(), |p| p.to_string());
        finding(
            meta,
            span,
            format!(
                "{}: {what}, and endpoint rule at priority {priority} allows it from `{source}`. Allow only known ranges and end the list with a Deny of `*`.",
                meta.title
            ),
        )
    };
    if !implicit {
        f.related
            .push(related(x.backend.span(), format!("backend port {port}")));
    }
    if let (Some(list), Some((idx, _))) = (&x.endpoint.list, x.endpoint.deciding) {
        let allow_prio = list.rules[idx].priority;
        let (order, _) = list.ordered(Direction::Inbound);
        for &j in &order {
            let later = &list.rules[j];
            if j >= list.user_count
                || later.priority <= allow_prio
                || later.access != Some(Access::Deny)
            {
                continue;
            }
            if match_rule(later, &x.endpoint.flow, ctx.options.broad_prefix_max).tri == Tri::Yes {
                let at = later.priority_span.unwrap_or(later.anchor);
                f.related.push(related(
                    at,
                    format!("shadowed deny (priority {})", later.priority.unwrap_or(0)),
                ));
            }
        }
    }
    if let SubnetLayer::Decided {
        nsg, rule: Some(r), ..
    } = &x.subnet
    {
        let g = &ctx.graph.nsgs[*nsg];
        let rule = &g.rules.rules[*r];
        f.related.push(related(
            rule.priority_span.unwrap_or(rule.anchor),
            format!(
                "the subnet's NSG {} also allows it: {}",
                g.label,
                rule.label()
            ),
        ));
    }
    if let Prop::Known(m) = prop(
        pool,
        &[NC[0], NC[1], "publicIPAddressConfiguration", "provision"],
    ) {
        f.related.push(related(m.span(), "public IP provisioning"));
    }
    f.discriminator = format!("{}:{port}", nat_name(x.nat));
    f
}
