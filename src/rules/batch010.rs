//! BATCH010: a Batch pool NAT endpoint exposes SSH/RDP to the internet.

use super::common::{finding, prop, related, service_name, str_in, Prop, BATCH_POOL, URI_RA};
use super::{Ctx, Rule, RuleMeta, ALL_SYNTAXES};
use crate::findings::{Finding, Level};
use crate::ir::{Node, Resource};
use crate::net::batch::{evaluate, EndpointOutcome};
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

const NC: [&str; 2] = ["properties", "networkConfiguration"];

/// Is the pool public (§4)? `None` when that is not known.
pub fn is_public(pool: &Resource) -> Option<bool> {
    match prop(
        pool,
        &[NC[0], NC[1], "publicIPAddressConfiguration", "provision"],
    ) {
        Prop::Absent => Some(true),
        Prop::Known(m) => {
            if str_in(m, &["BatchManaged", "UserManaged"])? {
                Some(true)
            } else {
                str_in(m, &["NoPublicIPAddresses"])
                    .filter(|b| *b)
                    .map(|_| false)
            }
        }
        Prop::Unknown => None,
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Finding>) {
    let meta = &RULE.meta;
    for pool in ctx.of_type(BATCH_POOL) {
        if is_public(pool) != Some(true) {
            continue;
        }
        // The subnet's NSG may deny what the endpoint rules allow (§1.7). Until the subnet
        // resolves, a pool in a customer subnet has an unknown outcome and is not reported.
        if !matches!(prop(pool, &[NC[0], NC[1], "subnetId"]), Prop::Absent) {
            continue;
        }
        let Prop::Known(nat_pools) = prop(
            pool,
            &[NC[0], NC[1], "endpointConfiguration", "inboundNatPools"],
        ) else {
            continue;
        };
        for nat in nat_pools.value.items() {
            check_nat_pool(ctx, out, meta, pool, nat);
        }
    }
}

fn check_nat_pool(ctx: &Ctx, out: &mut Vec<Finding>, meta: &RuleMeta, pool: &Resource, nat: &Node) {
    let Some(backend) = nat.member("backendPort") else {
        return;
    };
    let Some(port) = backend.value.as_i64().and_then(|p| u32::try_from(p).ok()) else {
        return;
    };
    if !ctx.options.remote_access_ports.contains(&port) {
        return;
    }
    // SSH and RDP run over TCP: a UDP NAT pool does not expose them.
    if !nat
        .get("protocol")
        .and_then(|p| p.as_str())
        .is_some_and(|p| p.eq_ignore_ascii_case("TCP"))
    {
        return;
    }
    let rules = match nat
        .member("networkSecurityGroupRules")
        .filter(|m| !m.value.is_null())
    {
        None => None,
        Some(m) if m.value.is_unknown() => return,
        Some(m) => Some(m.value.items()),
    };
    let d = evaluate(rules, port, ctx.options.broad_prefix_max);
    let EndpointOutcome::Allow { implicit } = d.outcome else {
        return;
    };
    let service = service_name(port);
    let nat_name = nat.get("name").and_then(|n| n.as_str()).unwrap_or("?");
    let mut f = if implicit {
        finding(
            meta,
            backend.span(),
            format!(
                "{}: NAT pool '{nat_name}' of {} maps backend port {port} ({service}) on public IPs and has no endpoint rules, so the Batch service allows it from any source. Add networkSecurityGroupRules that allow only known ranges and end with a Deny of `*`, or remove the endpoint.",
                meta.title,
                pool.display()
            ),
        )
    } else {
        let list = d.list.as_ref().expect("rules were evaluated");
        let (idx, entry) = d.deciding.expect("an allow has a deciding rule");
        let rule = &list.rules[idx];
        let src = entry.map(|e| &rule.sources[e]);
        let span = src.and_then(|s| s.span).unwrap_or(rule.anchor);
        let mut f = finding(
            meta,
            span,
            format!(
                "{}: NAT pool '{nat_name}' of {} maps backend port {port} ({service}) on public IPs, and endpoint rule at priority {} allows it from `{}`. Allow only known ranges and end the list with a Deny of `*`.",
                meta.title,
                pool.display(),
                rule.priority.map_or("?".to_string(), |p| p.to_string()),
                src.map_or("*", |s| s.text.as_str()),
            ),
        );
        f.related.push(related(
            backend.span(),
            format!("backend port {port} ({service})"),
        ));
        let (order, _) = list.ordered(Direction::Inbound);
        for &j in &order {
            let later = &list.rules[j];
            if j >= list.user_count
                || later.priority <= rule.priority
                || later.access != Some(Access::Deny)
            {
                continue;
            }
            if match_rule(later, &d.flow, ctx.options.broad_prefix_max).tri == Tri::Yes {
                let at = later.priority_span.unwrap_or(later.anchor);
                f.related.push(related(
                    at,
                    format!("shadowed deny (priority {})", later.priority.unwrap_or(0)),
                ));
            }
        }
        f
    };
    if let Prop::Known(m) = prop(
        pool,
        &[NC[0], NC[1], "publicIPAddressConfiguration", "provision"],
    ) {
        f.related.push(related(m.span(), "public IP provisioning"));
    }
    f.discriminator = format!("{nat_name}:{port}");
    out.push(f);
}
