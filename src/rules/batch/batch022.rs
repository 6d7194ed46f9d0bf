//! BATCH022: a Batch pool's public-IP provisioning contradicts its endpoints or static IPs.

use crate::findings::{Finding, Level};
use crate::ir::types;
use crate::ir::{Member, Resource, Span, Syntax, Value};
use crate::rules::checker::Checker;
use crate::rules::query::pool::NC;
use crate::rules::query::{finding, prop, related, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH022",
        name: "BatchInconsistentPublicIpConfiguration",
        title: "Inconsistent public-IP / endpoint configuration",
        level: Level::Error,
        security_severity: "1.0",
        tags: &["correctness", "network", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH022.md"),
    },
    check,
};

/// How public IPs are provisioned, when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provision {
    BatchManaged,
    UserManaged,
    None,
    /// A known value outside the three (the schema rejects it; not this rule's concern).
    Other,
}

fn provision(pool: &Resource) -> Option<(Provision, Option<&Member>)> {
    match prop(
        pool,
        &[NC[0], NC[1], "publicIPAddressConfiguration", "provision"],
    ) {
        Prop::Absent => Some((Provision::BatchManaged, None)),
        Prop::Unknown => None,
        Prop::Known(m) => {
            let p = if str_in(m, &["BatchManaged"])? {
                Provision::BatchManaged
            } else if str_in(m, &["UserManaged"])? {
                Provision::UserManaged
            } else if str_in(m, &["NoPublicIPAddresses"])? {
                Provision::None
            } else {
                Provision::Other
            };
            Some((p, Some(m)))
        }
    }
}

/// `ipAddressIds`: `Some(Some(m))` when a non-empty list is given, `Some(None)` when absent or
/// empty, `None` when unknown.
fn ip_ids(pool: &Resource) -> Option<Option<&Member>> {
    match prop(
        pool,
        &[NC[0], NC[1], "publicIPAddressConfiguration", "ipAddressIds"],
    ) {
        Prop::Absent => Some(None),
        Prop::Unknown => None,
        Prop::Known(m) => match &m.value.value {
            Value::Array(items) if items.is_empty() => Some(None),
            _ => Some(Some(m)),
        },
    }
}

/// Is an endpoint configuration declared? `Some(Some(span))` when it declares NAT pools (or
/// cannot be shown to be empty), `Some(None)` when absent or an empty list, `None` when unknown.
fn endpoints(pool: &Resource) -> Option<Option<Span>> {
    let m = match prop(pool, &[NC[0], NC[1], "endpointConfiguration"]) {
        Prop::Absent => return Some(None),
        Prop::Unknown => return None,
        Prop::Known(m) => m,
    };
    let nats = m.value.get("inboundNatPools");
    if nats.is_some_and(|n| n.is_unknown()) {
        return None;
    }
    if nats.is_some_and(|n| matches!(&n.value, Value::Array(a) if a.is_empty())) {
        return Some(None);
    }
    // azurerm: the opening line of the first `endpoint_configuration` block.
    let at = if pool.syntax == Syntax::Azurerm {
        m.key_span
    } else {
        m.span()
    };
    Some(Some(at))
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some((prov, prov_m)) = provision(pool) else {
            continue;
        };
        let who = pool.display();
        let add_prov = |f: &mut Finding, text: &str| {
            if let Some(m) = prov_m {
                f.related.push(related(m.span(), text.to_string()));
            }
        };
        if prov == Provision::None {
            if let Some(Some(at)) = endpoints(pool) {
                let mut f = finding(
                    meta,
                    at,
                    format!("{}: {who} declares inbound NAT endpoints although its public IP provisioning is NoPublicIPAddresses, so there is no public address to map them on. Remove the endpoint configuration, or provision public IPs if the endpoints are needed.", meta.title),
                );
                add_prov(&mut f, "provision NoPublicIPAddresses");
                f.discriminator = "endpoints".into();
                out.push(f);
            }
        }
        let Some(ids) = ip_ids(pool) else {
            continue;
        };
        match (prov, ids) {
            (Provision::UserManaged, None) => {
                let at = prov_m.map_or(pool.header, Member::span);
                let mut f = finding(
                    meta,
                    at,
                    format!("{}: {who} provisions public IPs as UserManaged but lists no ipAddressIds (azurerm: public_ips). List the static public IP addresses, or use BatchManaged provisioning.", meta.title),
                );
                f.discriminator = "user-managed".into();
                out.push(f);
            }
            (Provision::BatchManaged | Provision::None, Some(m)) => {
                let how = match (prov, prov_m) {
                    (Provision::None, _) => "NoPublicIPAddresses",
                    (_, Some(_)) => "BatchManaged",
                    (_, None) => "BatchManaged (the default)",
                };
                let mut f = finding(
                    meta,
                    m.span(),
                    format!("{}: {who} lists static public IPs in ipAddressIds (azurerm: public_ips) while its provisioning is {how}; static IPs are only used with UserManaged. Set provision (azurerm: public_address_provisioning_type) to UserManaged, or remove the IP list.", meta.title),
                );
                add_prov(&mut f, "public IP provisioning");
                f.discriminator = "ip-ids".into();
                out.push(f);
            }
            _ => {}
        }
    }
}
