//! The layered outcome of a Batch pool's NAT pools for the internet (§1.7): the endpoint
//! rules of each NAT pool, combined with the decision of the pool subnet's NSG, once per address
//! family when the pool is known to be reachable over IPv6 (D34). BATCH010, BATCH011 and
//! BATCH014 read it.

use crate::findings::{Fix, Message};
use crate::graph::NsgLink;
use crate::ir::{Member, Node, Resource, Span};
use crate::net::address::Probe;
use crate::net::batch::{evaluate_from, EndpointDecision, EndpointOutcome};
use crate::net::nsg::{match_rule, Access, Decision};
use crate::net::nsg::{Direction, Flow, Outcome};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::ipv6::{cover, Cover, Reach};
pub use crate::rules::query::pool::nat_name;
use crate::rules::query::pool::{quoted_name, INBOUND_NAT_POOLS};
use crate::rules::query::{lookup, service_name, str_in, Prop};
use crate::rules::Ctx;
use crate::tri::Tri;

pub const NC: [&str; 2] = ["properties", "networkConfiguration"];

/// How a pool provisions public IPs for its nodes.
pub const PROVISION: [&str; 4] = [
    "properties",
    "networkConfiguration",
    "publicIPAddressConfiguration",
    "provision",
];

/// Is the pool public (§4)? `None` when that is not known.
pub fn is_public(pool: &Resource) -> Option<bool> {
    match lookup(&pool.body, &PROVISION) {
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

/// What the pool subnet's NSG decides for the NAT traffic.
#[derive(Debug, Clone, PartialEq)]
pub enum SubnetLayer {
    /// No subnet of the customer's, or a subnet without an NSG.
    Open,
    /// The NSG's decision, with the deciding rule when it is a user rule (group, rule index)
    /// and its matching source entry.
    Decided {
        outcome: Outcome,
        nsg: usize,
        rule: Option<usize>,
        entry: Option<usize>,
    },
    Unknown,
}

/// The combined outcome of one NAT pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layered {
    Allow { implicit: bool },
    Unrestricted,
    Deny,
    Unknown,
}

pub struct NatExposure<'a> {
    pub nat: &'a Node,
    /// The NAT pool's position in the pool's list.
    pub index: usize,
    pub backend: &'a Member,
    pub port: u32,
    pub endpoint: EndpointDecision,
    pub subnet: SubnetLayer,
    pub outcome: Layered,
    /// The internet the outcome concerns: the single Internet probe, or, for a pool reachable
    /// over IPv6, the address families that get the outcome (D34). `endpoint` and `subnet` are
    /// those of the first such family.
    pub reach: Reach,
}

fn protocol(nat: &Node) -> Option<Protocol> {
    match nat
        .get("protocol")
        .and_then(|p| p.as_str())
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("TCP") => Some(Protocol::Tcp),
        Some("UDP") => Some(Protocol::Udp),
        _ => None,
    }
}

/// The subnet layer for (Inbound, protocol, `src`, ephemeral, subnet, port).
fn subnet_layer(
    ctx: &Ctx,
    pool: &Resource,
    proto: Option<Protocol>,
    port: u32,
    src: &Probe,
) -> SubnetLayer {
    let Some(subnet_ref) = pool.body.path(&[NC[0], NC[1], "subnetId"]) else {
        return SubnetLayer::Open;
    };
    let Some(subnet) = ctx.graph.subnet_ref(subnet_ref) else {
        return SubnetLayer::Unknown;
    };
    match ctx.graph.subnet_nsg(subnet) {
        NsgLink::NoNsg => SubnetLayer::Open,
        NsgLink::Unknown => SubnetLayer::Unknown,
        NsgLink::Nsg(g) => {
            let Some(protocol) = proto else {
                return SubnetLayer::Unknown;
            };
            let flow = Flow {
                direction: Direction::Inbound,
                protocol,
                src: src.clone(),
                src_ports: EPHEMERAL,
                dst: ctx.graph.subnet_probe(Some(subnet)),
                dst_port: port,
            };
            let list = &ctx.graph.nsgs[g].rules;
            let d = list.evaluate(&flow, ctx.options.broad_prefix_max);
            let (rule, entry) = match d.deciding.first() {
                Some(&(i, e)) if i < list.user_count => (Some(i), e),
                _ => (None, None),
            };
            SubnetLayer::Decided {
                outcome: d.outcome,
                nsg: g,
                rule,
                entry,
            }
        }
    }
}

/// Every NAT pool of a public pool with a known backend port, and its layered outcome.
pub fn nat_exposures<'a>(ctx: &Ctx, pool: &'a Resource) -> Vec<NatExposure<'a>> {
    let mut out = Vec::new();
    if is_public(pool) != Some(true) {
        return out;
    }
    let Prop::Known(nat_pools) = lookup(&pool.body, &INBOUND_NAT_POOLS) else {
        return out;
    };
    let ipv6 = ctx.graph.pool_ipv6(pool);
    let broad = ctx.options.broad_prefix_max;
    for (index, nat) in nat_pools.value.items().iter().enumerate() {
        let Some(backend) = nat.member("backendPort") else {
            continue;
        };
        let Some(port) = backend.value.as_i64().and_then(|p| u32::try_from(p).ok()) else {
            continue;
        };
        let rules = match nat
            .member("networkSecurityGroupRules")
            .filter(|m| !m.value.is_null())
        {
            None => None,
            Some(m) if m.value.is_unknown() => continue,
            Some(m) => Some(m.value.items()),
        };
        // One outcome per Internet probe: per address family for a pool reachable over IPv6.
        let mut per: Vec<(Probe, EndpointDecision, SubnetLayer, Layered)> = Probe::internet(ipv6)
            .into_iter()
            .map(|src| {
                let endpoint = evaluate_from(rules, port, broad, src.clone());
                let subnet = subnet_layer(ctx, pool, protocol(nat), port, &src);
                let outcome = combine(&endpoint.outcome, &subnet);
                (src, endpoint, subnet, outcome)
            })
            .collect();
        // A family that is open is what the rules report; then one not explicitly restricted.
        let rank = |o: &Layered| match o {
            Layered::Allow { .. } => 0,
            Layered::Unrestricted => 1,
            Layered::Unknown => 2,
            Layered::Deny => 3,
        };
        let chosen = (0..per.len())
            .min_by_key(|&i| rank(&per[i].3))
            .expect("at least one probe");
        let same: Vec<_> = per
            .iter()
            .filter(|p| rank(&p.3) == rank(&per[chosen].3))
            .filter_map(|p| p.0.family())
            .collect();
        let reach = Reach::of(ipv6, &same, |other| {
            per.iter()
                .find(|p| p.0.family() == Some(other))
                .and_then(|p| closed_by(ctx, &p.1, &p.2, other))
        });
        let (_, endpoint, subnet, outcome) = per.swap_remove(chosen);
        out.push(NatExposure {
            nat,
            index,
            backend,
            port,
            endpoint,
            subnet,
            outcome,
            reach,
        });
    }
    out
}

/// The layered outcome of one NAT pool for one probe (§1.7).
fn combine(endpoint: &EndpointOutcome, subnet: &SubnetLayer) -> Layered {
    match (endpoint, subnet) {
        (EndpointOutcome::Deny, _) => Layered::Deny,
        (
            _,
            SubnetLayer::Decided {
                outcome: Outcome::Deny,
                ..
            },
        ) => Layered::Deny,
        (_, SubnetLayer::Unknown)
        | (
            _,
            SubnetLayer::Decided {
                outcome: Outcome::Unknown,
                ..
            },
        ) => Layered::Unknown,
        (EndpointOutcome::Unknown, _) => Layered::Unknown,
        (EndpointOutcome::Allow { implicit }, _) => Layered::Allow {
            implicit: *implicit,
        },
        (EndpointOutcome::Unrestricted, _) => Layered::Unrestricted,
    }
}

/// The Deny of yours, in the endpoint rules or the subnet's NSG, that closes `family` with a
/// prefix of that family only (D34).
fn closed_by(
    ctx: &Ctx,
    endpoint: &EndpointDecision,
    subnet: &SubnetLayer,
    family: crate::net::address::Family,
) -> Option<Cover> {
    if let (EndpointOutcome::Deny, Some(list), Some(d)) =
        (endpoint.outcome, &endpoint.list, endpoint.deciding)
    {
        let decision = Decision {
            outcome: Outcome::Deny,
            deciding: vec![d],
        };
        return cover(list, &decision, family);
    }
    if let SubnetLayer::Decided {
        outcome: Outcome::Deny,
        nsg,
        rule: Some(r),
        entry,
    } = subnet
    {
        let decision = Decision {
            outcome: Outcome::Deny,
            deciding: vec![(*r, *entry)],
        };
        return cover(&ctx.graph.nsgs[*nsg].rules, &decision, family);
    }
    None
}

/// Where a finding on an Allow outcome points: the deciding endpoint rule's source prefix, or the
/// backend port for the implicit allow. Also returns the source as the message quotes it: the
/// prefix where it is written, or `*`.
pub fn allow_location(x: &NatExposure) -> (Span, Message) {
    match (&x.endpoint.list, x.endpoint.deciding) {
        (Some(list), Some((idx, entry))) => {
            let rule = &list.rules[idx];
            let src = entry.map(|e| &rule.sources[e]);
            (
                src.and_then(|s| s.span).unwrap_or(rule.anchor),
                src.map_or(Message::new().text("*"), |s| {
                    Message::new().value(s.text.clone(), s.span)
                }),
            )
        }
        _ => (x.backend.span(), Message::new().text("*")),
    }
}

/// The path of the NAT pool's list element, for fixes.
pub fn nat_pool_path(x: &NatExposure) -> Vec<String> {
    INBOUND_NAT_POOLS
        .iter()
        .map(|k| k.to_string())
        .chain([x.index.to_string()])
        .collect()
}

/// A NAT pool's endpoint rules, for messages.
const ENDPOINT_RULES: crate::ir::spelling::PropPath = crate::ir::spelling::PropPath::new(
    &[
        "properties",
        "networkConfiguration",
        "endpointConfiguration",
        "inboundNatPools",
        "networkSecurityGroupRules",
    ],
    4,
);

/// Reports an Allow outcome (BATCH010, and BATCH011 (a) with `lead` "open to the internet: "):
/// at the deciding endpoint rule's source, or at the backend port for the implicit allow;
/// related: the backend port, shadowed denies, the subnet NSG's allowing rule, the public IP
/// provisioning.
pub fn allow_finding(cx: &mut Checker, pool: &Resource, x: &NatExposure, lead: &str) {
    let ctx = cx.ctx;
    let port = x.port;
    let service = service_name(port);
    let (span, source) = allow_location(x);
    let what = Message::new()
        .text(lead)
        .text("NAT pool '")
        .append(quoted_name(x.nat))
        .text(format!(
            "' of {} maps backend port {port}{} on public IPs",
            who(pool),
            if service == "remote access" {
                String::new()
            } else {
                format!(" ({service})")
            }
        ));
    let implicit = matches!(x.outcome, Layered::Allow { implicit: true });
    let says = if implicit {
        let reach = match x.reach {
            Reach::Internet => Message::new(),
            _ => Message::new()
                .text(format!(" (open to {}", x.reach.internet()))
                .append(x.reach.note())
                .text(")"),
        };
        what.text(" and has no endpoint rules, so the Batch service allows it from any source")
            .append(reach)
            .text(".")
            .help(format!(
                "Add {} that allow only known ranges and end with a Deny of `*`, or remove the endpoint.",
                crate::rules::checker::name(pool, ENDPOINT_RULES)
            ))
    } else {
        let priority = x
            .endpoint
            .deciding
            .and_then(|(i, _)| x.endpoint.list.as_ref()?.rules[i].priority)
            .map_or("?".to_string(), |p| p.to_string());
        what.text(format!(
            ", and endpoint rule at priority {priority} allows it "
        ))
        .append(x.reach.source_clause(source))
        .text(".")
        .help("Allow only known ranges and end the list with a Deny of `*`.")
    };
    let mut f = cx
        .report(At::span(pool, span), says)
        .discriminator(format!("{}:{port}", nat_name(x.nat)));
    if implicit {
        // Removing the endpoint is the one property change that closes it.
        let path = nat_pool_path(x);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        f = f.fix(
            Fix::remove(&path)
                .changing("the NAT endpoint is removed, and with it every connection through it"),
        );
    } else {
        f = f.related(x.backend.span(), format!("backend port {port}"));
    }
    if let Some((at, says)) = x.reach.related() {
        f = f.related(at, says);
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
                f = f.related(
                    at,
                    format!("shadowed deny (priority {})", later.priority.unwrap_or(0)),
                );
            }
        }
    }
    if let SubnetLayer::Decided {
        nsg, rule: Some(r), ..
    } = &x.subnet
    {
        let g = &ctx.graph.nsgs[*nsg];
        let rule = &g.rules.rules[*r];
        f = f.related(
            rule.priority_span.unwrap_or(rule.anchor),
            Message::new()
                .text(format!("the subnet's NSG {} also allows it: ", g.label))
                .append(crate::rules::query::nsg::rule_label(g, *r)),
        );
    }
    if let Prop::Known(m) = lookup(&pool.body, &PROVISION) {
        f.related(m.span(), "public IP provisioning");
    }
}
