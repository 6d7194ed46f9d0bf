//! What the NSG engine decides for each user rule of each NSG, for people reading the rule (the
//! language server's hover): which of the flows batchguard's rules probe it decides, allowing or
//! denying them, and whether an earlier rule of the same NSG takes all of its traffic first.
//!
//! Each flow is evaluated once per NSG (first match wins, with Azure's default rules) and the
//! decision is credited to the rule that made it; shadowing is the check of NET003, on every
//! earlier rule, within [`MAX_PAIRS`] comparisons per NSG.

use crate::ir::{Resource, Span};
use crate::net::address::{canonical_region, Probe};
use crate::net::nsg::{Access, Direction, Flow, NsgRule, Outcome, RuleList};
use crate::net::ports::{Protocol, EPHEMERAL};
use crate::net::shadow::shadows;
use crate::rules::checker::PARALLEL_FROM;
use crate::rules::query::{lookup, Prop};
use crate::rules::Ctx;
use crate::tri::Tri;

/// Most rule pairs compared for shadowing in one NSG.
pub const MAX_PAIRS: usize = 1_000_000;
/// Most flows made from the rules' own destination ports in one NSG.
const MAX_OWN_PORTS: usize = 32;

/// The engine's reading of one user rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleVerdict {
    /// The rule: its element of the NSG's list, or its own resource.
    pub span: Span,
    /// `rule 'ssh' (priority 100)`.
    pub label: String,
    /// The NSG it belongs to, as messages name it.
    pub nsg: String,
    pub direction: Option<Direction>,
    pub access: Option<Access>,
    /// The flows this rule decides, each with the decision (`Unknown` where a rule whose
    /// priority or match is unresolved could come first with the other access).
    pub decides: Vec<(String, Outcome)>,
    /// The flows checked in the rule's direction that it does not decide.
    pub checked: usize,
    /// The earlier rule that covers it in full, if one does.
    pub shadowed_by: Option<Shadow>,
    /// What keeps the engine from placing the rule: "its priority is not known", …
    pub unresolved: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shadow {
    pub by: String,
    pub by_span: Span,
    /// Surely (`true`), or only maybe, as values that are not known allow.
    pub certain: bool,
    /// The earlier rule has the same access: the later one is redundant rather than lost.
    pub same_access: bool,
}

/// One flow that the verdict tries: what it is called, and how it is made.
struct Probe3 {
    name: String,
    direction: Direction,
    protocol: Protocol,
    /// The outside end: the source of an inbound flow, the destination of an outbound one.
    remote: Probe,
    port: u32,
}

/// The flows batchguard's rules probe, in the NSG's region when it is known.
fn flows(region: Option<&str>, own_ports: &[u32]) -> Vec<Probe3> {
    let tag = |t: &str| match region {
        Some(r) => Probe::service(&format!("{t}.{r}")),
        None => Probe::service(t),
    };
    let inbound = |name: &str, remote: Probe, port: u32| Probe3 {
        name: name.to_string(),
        direction: Direction::Inbound,
        protocol: Protocol::Tcp,
        remote,
        port,
    };
    let outbound = |name: &str, protocol: Protocol, remote: Probe, port: u32| Probe3 {
        name: name.to_string(),
        direction: Direction::Outbound,
        protocol,
        remote,
        port,
    };
    let mut list = vec![
        inbound("SSH (TCP 22) from the internet", Probe::Internet, 22),
        inbound("RDP (TCP 3389) from the internet", Probe::Internet, 3389),
        inbound("HTTPS (TCP 443) from the internet", Probe::Internet, 443),
        inbound("HTTP (TCP 80) from the internet", Probe::Internet, 80),
        inbound(
            "Batch node ports (TCP 29876) from the internet",
            Probe::Internet,
            29876,
        ),
        inbound(
            "Azure Machine Learning compute port (TCP 44224) from the internet",
            Probe::Internet,
            44224,
        ),
        inbound(
            "TCP 29876 from BatchNodeManagement",
            tag("BatchNodeManagement"),
            29876,
        ),
        inbound(
            "TCP 44224 from AzureMachineLearning",
            tag("AzureMachineLearning"),
            44224,
        ),
        inbound(
            "SSH (TCP 22) from the virtual network",
            Probe::VirtualNetwork,
            22,
        ),
        inbound(
            "TCP 443 from AzureLoadBalancer",
            tag("AzureLoadBalancer"),
            443,
        ),
    ];
    for &p in own_ports {
        if !list
            .iter()
            .any(|f| f.remote == Probe::Internet && f.port == p)
        {
            list.push(inbound(
                &format!("TCP {p} from the internet"),
                Probe::Internet,
                p,
            ));
        }
    }
    for (t, port) in [
        ("BatchNodeManagement", 443),
        ("Storage", 443),
        ("AzureMachineLearning", 443),
        ("AzureActiveDirectory", 443),
        ("AzureResourceManager", 443),
        ("AzureMonitor", 443),
        ("MicrosoftContainerRegistry", 443),
    ] {
        list.push(outbound(
            &format!("TCP {port} to {t}"),
            Protocol::Tcp,
            tag(t),
            port,
        ));
    }
    list.push(outbound(
        "UDP 5831 to AzureMachineLearning",
        Protocol::Udp,
        tag("AzureMachineLearning"),
        5831,
    ));
    list.push(outbound(
        "HTTPS (TCP 443) to the internet",
        Protocol::Tcp,
        Probe::Internet,
        443,
    ));
    list
}

/// The verdict of every user rule of every NSG in the scope.
pub fn verdicts(ctx: &Ctx) -> Vec<RuleVerdict> {
    let broad = ctx.options.broad_prefix_max;
    let of_group = |group: &crate::graph::NsgGroup| {
        let region = group.resource.and_then(region);
        let label = crate::findings::plain(&group.label);
        of_list(&group.rules, &label, region.as_deref(), broad)
    };
    let groups = &ctx.graph.nsgs;
    if groups.len() < PARALLEL_FROM {
        return groups.iter().flat_map(of_group).collect();
    }
    use rayon::prelude::*;
    let lists: Vec<Vec<RuleVerdict>> = groups
        .par_iter()
        .with_min_len(PARALLEL_FROM / 4)
        .map(of_group)
        .collect();
    lists.into_iter().flatten().collect()
}

/// The NSG's `location`, canonical, when it is written as a value.
fn region(r: &Resource) -> Option<String> {
    match lookup(&r.body, &["location"]) {
        Prop::Known(m) => m
            .value
            .as_str()
            .map(canonical_region)
            .filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// The verdicts of the user rules of one list.
pub fn of_list(
    list: &RuleList,
    nsg: &str,
    region: Option<&str>,
    broad: Option<u8>,
) -> Vec<RuleVerdict> {
    let users = list.user_rules();
    let mut own_ports: Vec<u32> = Vec::new();
    for r in users {
        if r.direction != Some(Direction::Inbound) {
            continue;
        }
        for &(a, _) in r.dst_ports.as_ref().map_or(&[][..], |p| p.ranges()) {
            if own_ports.len() < MAX_OWN_PORTS && !own_ports.contains(&a) && a != 0 {
                own_ports.push(a);
            }
        }
    }
    let flows = flows(region, &own_ports);
    let mut verdicts: Vec<RuleVerdict> = users
        .iter()
        .map(|r| RuleVerdict {
            span: r.span,
            label: r.label(),
            nsg: nsg.to_string(),
            direction: r.direction,
            access: r.access,
            decides: Vec::new(),
            checked: 0,
            shadowed_by: None,
            unresolved: unresolved(r),
        })
        .collect();
    for f in &flows {
        // An inbound flow reaches any destination the rules name (§1.5 item 6); the first
        // destination at which a user rule decides is the one shown.
        let destinations = match f.direction {
            Direction::Inbound => list.destination_candidates(Direction::Inbound),
            Direction::Outbound => vec![Probe::VirtualNetwork],
        };
        let mut credited: Vec<usize> = Vec::new();
        for dst in destinations {
            let (src, dst) = match f.direction {
                Direction::Inbound => (f.remote.clone(), dst),
                Direction::Outbound => (dst, f.remote.clone()),
            };
            let flow = Flow {
                direction: f.direction,
                protocol: f.protocol,
                src,
                src_ports: EPHEMERAL,
                dst,
                dst_port: f.port,
            };
            let d = list.evaluate(&flow, broad);
            for &(j, _) in &d.deciding {
                if j < users.len() && !credited.contains(&j) {
                    credited.push(j);
                    verdicts[j].decides.push((f.name.clone(), d.outcome));
                }
            }
        }
    }
    for v in &mut verdicts {
        let in_direction = flows
            .iter()
            .filter(|f| v.direction.is_none_or(|d| d == f.direction))
            .count();
        v.checked = in_direction - v.decides.len();
    }
    let mut pairs = 0;
    for direction in [Direction::Inbound, Direction::Outbound] {
        let (order, _) = list.ordered(direction);
        for (k, &b) in order.iter().enumerate() {
            if b >= users.len() || users[b].direction != Some(direction) {
                continue;
            }
            let mut maybe = None;
            for &a in &order[..k] {
                if a >= users.len() || users[a].priority >= users[b].priority {
                    continue;
                }
                pairs += 1;
                if pairs > MAX_PAIRS {
                    break;
                }
                match shadows(&users[a], &users[b], broad) {
                    Tri::Yes => {
                        verdicts[b].shadowed_by = Some(shadow(&users[a], &users[b], true));
                        maybe = None;
                        break;
                    }
                    Tri::Unknown if maybe.is_none() => maybe = Some(a),
                    _ => {}
                }
            }
            if let Some(a) = maybe {
                verdicts[b].shadowed_by = Some(shadow(&users[a], &users[b], false));
            }
        }
    }
    verdicts
}

fn shadow(a: &NsgRule, b: &NsgRule, certain: bool) -> Shadow {
    Shadow {
        by: a.label(),
        by_span: a.priority_span.unwrap_or(a.anchor),
        certain,
        same_access: a.access.is_some() && a.access == b.access,
    }
}

/// What keeps the engine from knowing where the rule applies.
fn unresolved(r: &NsgRule) -> Vec<&'static str> {
    let mut out = Vec::new();
    if r.direction.is_none() {
        out.push("its direction is not known");
    }
    if r.access.is_none() {
        out.push("its access is not known");
    }
    if r.priority.is_none() {
        out.push("its priority is not known, so neither is its place in the order");
    }
    if r.protocol.is_none() {
        out.push("its protocol is not known");
    }
    if r.dst_ports.is_none() || r.src_ports.is_none() {
        out.push("a port range of it is not known");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::address::Prefix;
    use crate::net::nsg::AddrEntry;
    use crate::net::ports::PortSet;

    fn rule(name: &str, access: Access, priority: i64, source: &str, port: u32) -> NsgRule {
        let entry = |text: &str| AddrEntry {
            prefix: Prefix::parse(text),
            text: text.to_string(),
            span: None,
        };
        let at = Span::new(0, priority as usize, priority as usize + 1);
        NsgRule {
            name: Some(name.into()),
            span: at,
            anchor: at,
            direction: Some(Direction::Inbound),
            access: Some(access),
            priority: Some(priority),
            priority_span: Some(at),
            access_span: None,
            protocol: Some(Protocol::Tcp),
            sources: vec![entry(source)],
            dests: vec![entry("*")],
            src_ports: Some(PortSet::all()),
            dst_ports: Some(PortSet::single(port)),
            dst_port_span: None,
            default_name: None,
        }
    }

    #[test]
    fn each_flow_is_credited_to_the_rule_that_decides_it() {
        let list = RuleList::new(
            vec![
                rule("ssh", Access::Allow, 100, "*", 22),
                rule("no-ssh", Access::Deny, 200, "Internet", 22),
                rule("app", Access::Allow, 300, "10.0.0.0/8", 8080),
            ],
            Span::new(0, 0, 0),
        );
        let v = of_list(&list, "nsg", None, None);
        assert_eq!(v.len(), 3);
        let names: Vec<&str> = v[0].decides.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"SSH (TCP 22) from the internet"), "{v:#?}");
        assert!(
            names.contains(&"SSH (TCP 22) from the virtual network"),
            "{v:#?}"
        );
        assert!(v[0].decides.iter().all(|(_, o)| *o == Outcome::Allow));
        // The Deny comes after the Allow of all sources: it decides nothing and is lost.
        assert!(v[1].decides.is_empty(), "{v:#?}");
        let s = v[1].shadowed_by.as_ref().expect("shadowed");
        assert!(s.certain && !s.same_access);
        assert_eq!(s.by, "rule 'ssh' (priority 100)");
        // Only from private addresses: no internet flow on its port reaches it.
        assert!(v[2].decides.is_empty(), "{v:#?}");
        assert!(v[2].shadowed_by.is_none());
        assert!(v[2].checked > 0);
    }

    #[test]
    fn a_rule_whose_priority_is_unknown_says_so() {
        let mut r = rule("x", Access::Allow, 100, "*", 22);
        r.priority = None;
        let list = RuleList::new(vec![r], Span::new(0, 0, 0));
        let v = of_list(&list, "nsg", None, None);
        assert_eq!(v[0].unresolved.len(), 1);
        assert!(v[0].unresolved[0].contains("priority"));
    }
}
