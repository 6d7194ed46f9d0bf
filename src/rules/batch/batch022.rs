//! BATCH022: a Batch pool's public-IP provisioning contradicts its endpoints or static IPs.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Member, Resource, Value};
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::exposure::PROVISION;
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH022",
        name: "InconsistentPublicIpEndpointConfiguration",
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

const IP_IDS: [&str; 4] = [
    "properties",
    "networkConfiguration",
    "publicIPAddressConfiguration",
    "ipAddressIds",
];
const ENDPOINTS: [&str; 3] = [
    "properties",
    "networkConfiguration",
    "endpointConfiguration",
];

fn provision(pool: &Resource) -> Option<(Provision, Option<&Member>)> {
    match lookup(&pool.body, &PROVISION) {
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
    match lookup(&pool.body, &IP_IDS) {
        Prop::Absent => Some(None),
        Prop::Unknown => None,
        Prop::Known(m) => match &m.value.value {
            Value::Array(items) if items.is_empty() => Some(None),
            _ => Some(Some(m)),
        },
    }
}

/// Is an endpoint configuration declared? `Some(Some(member))` when it declares NAT pools (or
/// cannot be shown to be empty), `Some(None)` when absent or an empty list, `None` when unknown.
fn endpoints(pool: &Resource) -> Option<Option<&Member>> {
    let m = match lookup(&pool.body, &ENDPOINTS) {
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
    Some(Some(m))
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Some((prov, prov_m)) = provision(pool) else {
            continue;
        };
        let who = who(pool);
        let ip_ids_name = name(pool, PropPath::new(&IP_IDS, 3));
        if prov == Provision::None {
            if let Some(Some(m)) = endpoints(pool) {
                // A block's opening line (the first `endpoint_configuration` block of azurerm),
                // otherwise the property.
                let f = cx
                    .report(
                        At::member(pool, m),
                        Message::from(format!("{who} declares inbound NAT endpoints although its public IP provisioning is NoPublicIPAddresses, so there is no public address to map them on.")).help("Remove the endpoint configuration, or provision public IPs if the endpoints are needed."),
                    )
                    .discriminator("endpoints")
                    .fix(Fix::remove(&ENDPOINTS).changing("the pool's NAT endpoints are removed"));
                if let Some(p) = prov_m {
                    f.related(p.span(), "provision NoPublicIPAddresses");
                }
            }
        }
        let Some(ids) = ip_ids(pool) else {
            continue;
        };
        match (prov, ids) {
            (Provision::UserManaged, None) => {
                let at = prov_m.map_or(At::resource(pool), |m| At::member(pool, m));
                cx.report(
                    at,
                    Message::from(format!(
                        "{who} provisions public IPs as UserManaged but lists no {ip_ids_name}."
                    ))
                    .help("List the static public IP addresses, or use BatchManaged provisioning."),
                )
                .discriminator("user-managed")
                .fix(Fix::set(&PROVISION, json!("BatchManaged")));
            }
            (Provision::BatchManaged | Provision::None, Some(m)) => {
                let how = match (prov, prov_m) {
                    (Provision::None, _) => "NoPublicIPAddresses",
                    (_, Some(_)) => "BatchManaged",
                    (_, None) => "BatchManaged (the default)",
                };
                let user = json!("UserManaged");
                let f = cx
                    .report(
                        At::member(pool, m),
                        Message::from(format!("{who} lists static public IPs in {ip_ids_name} while its provisioning is {how}; static IPs are only used with UserManaged.")).help(format!("Set {}, or remove the IP list.", assignment(pool, PropPath::new(&PROVISION, 3), &user))),
                    )
                    .discriminator("ip-ids")
                    .fix(Fix::set(&PROVISION, user));
                if let Some(p) = prov_m {
                    f.related(p.span(), "public IP provisioning");
                }
            }
            _ => {}
        }
    }
}
