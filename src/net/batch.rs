//! Batch pool endpoint rules (§1.7): the NSG rules of an inbound NAT pool, whose protocol,
//! destination and port are implicit, evaluated first match by priority for the Internet probe.

use super::address::Probe;
use super::nsg::{addresses, ports, Access, Direction, Flow, NsgRule, Outcome, RuleList};
use super::ports::{PortSet, Protocol, EPHEMERAL};
use crate::ir::{Node, Value};

/// The outcome of a NAT pool's endpoint rules for the Internet probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointOutcome {
    /// A rule allows it, or (`implicit`) the list is empty and the service creates an allow.
    Allow {
        implicit: bool,
    },
    Deny,
    /// Every rule resolved and none matched (D1).
    Unrestricted,
    Unknown,
}

pub struct EndpointDecision {
    pub outcome: EndpointOutcome,
    /// The rules as an NSG rule list (in the order of the input), when there are any.
    pub list: Option<RuleList>,
    /// The deciding rule (index into the input) and its matching source entry.
    pub deciding: Option<(usize, Option<usize>)>,
    /// The flow that was tested.
    pub flow: Flow,
}

/// Reads one endpoint rule `{priority, access, sourceAddressPrefix, sourcePortRanges}`.
pub fn endpoint_rule(node: &Node) -> NsgRule {
    let access = node.get("access").and_then(|n| n.as_str()).and_then(|s| {
        match s.to_ascii_lowercase().as_str() {
            "allow" => Some(Access::Allow),
            "deny" => Some(Access::Deny),
            _ => None,
        }
    });
    let sources = addresses(Some(node), "sourceAddressPrefix", "", "");
    NsgRule {
        name: None,
        span: node.span,
        anchor: node
            .member("priority")
            .map(|m| m.span())
            .unwrap_or(node.span),
        direction: Some(Direction::Inbound),
        access,
        priority: node.get("priority").and_then(|n| n.as_i64()),
        priority_span: node.member("priority").map(|m| m.span()),
        access_span: node.member("access").map(|m| m.span()),
        protocol: Some(Protocol::Any),
        sources,
        dests: addresses(None, "", "", ""),
        src_ports: source_ports(node),
        dst_ports: Some(PortSet::all()),
        dst_port_span: None,
        default_name: None,
    }
}

/// The source ports of an endpoint rule: `sourcePortRanges`, whose default `["*"]` also stands
/// when it is `null` or an empty list (nothing given).
fn source_ports(node: &Node) -> Option<PortSet> {
    let given = node
        .get("sourcePortRanges")
        .is_some_and(|n| match &n.value {
            Value::Null => false,
            Value::Array(items) => !items.is_empty(),
            _ => true,
        });
    if !given {
        return Some(PortSet::all());
    }
    ports(Some(node), "", "sourcePortRanges")
}

/// Evaluates a NAT pool's endpoint rules (`None` or an empty list: the implicit allow).
pub fn evaluate(rules: Option<&[Node]>, backend_port: u32, broad: Option<u8>) -> EndpointDecision {
    evaluate_from(rules, backend_port, broad, Probe::Internet)
}

/// [`evaluate`] for an Internet probe of one address family (D34), or the single one.
pub fn evaluate_from(
    rules: Option<&[Node]>,
    backend_port: u32,
    broad: Option<u8>,
    src: Probe,
) -> EndpointDecision {
    let flow = Flow {
        direction: Direction::Inbound,
        protocol: Protocol::Tcp,
        src,
        src_ports: EPHEMERAL,
        dst: Probe::VirtualNetwork,
        dst_port: backend_port,
    };
    let rules = match rules {
        Some(r) if !r.is_empty() => r,
        _ => {
            let outcome = EndpointOutcome::Allow { implicit: true };
            return EndpointDecision {
                outcome,
                list: None,
                deciding: None,
                flow,
            };
        }
    };
    let at = rules[0].span;
    let list = RuleList::new(rules.iter().map(endpoint_rule).collect(), at);
    let d = list.evaluate(&flow, broad);
    let by_user = d.deciding.iter().all(|(i, _)| *i < list.user_count);
    // Unrestricted means every rule resolved and none matched (D1): a rule that may have matched
    // leaves the outcome unknown.
    let any_unknown = list
        .user_rules()
        .iter()
        .any(|r| super::nsg::match_rule(r, &flow, broad).tri == crate::tri::Tri::Unknown);
    let outcome = match d.outcome {
        Outcome::Allow if by_user => EndpointOutcome::Allow { implicit: false },
        Outcome::Deny if by_user => EndpointOutcome::Deny,
        // Only the appended DenyAllInBound can decide otherwise: no endpoint rule matched.
        Outcome::Deny if !any_unknown => EndpointOutcome::Unrestricted,
        _ => EndpointOutcome::Unknown,
    };
    let deciding = d
        .deciding
        .first()
        .copied()
        .filter(|(i, _)| *i < list.user_count);
    EndpointDecision {
        outcome,
        list: Some(list),
        deciding,
        flow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::build::{num, obj, s, unknown};

    fn rule(priority: i64, access: &str, src: Node) -> Node {
        obj(vec![
            ("priority", num(priority as f64)),
            ("access", s(access)),
            ("sourceAddressPrefix", src),
        ])
    }

    #[test]
    fn outcomes_for_the_internet() {
        let out = |rules: Vec<Node>| evaluate(Some(&rules), 22, None).outcome;
        assert_eq!(
            evaluate(None, 22, None).outcome,
            EndpointOutcome::Allow { implicit: true }
        );
        assert_eq!(
            evaluate(Some(&[]), 22, None).outcome,
            EndpointOutcome::Allow { implicit: true }
        );
        assert_eq!(
            out(vec![
                rule(150, "Allow", s("*")),
                rule(200, "Deny", s("Internet"))
            ]),
            EndpointOutcome::Allow { implicit: false }
        );
        assert_eq!(
            out(vec![
                rule(150, "Deny", s("Internet")),
                rule(200, "Allow", s("*"))
            ]),
            EndpointOutcome::Deny
        );
        assert_eq!(
            out(vec![rule(170, "Allow", s("192.168.1.0/24"))]),
            EndpointOutcome::Unrestricted
        );
        // A rule whose source is not known may match: not Unrestricted (D1 needs every rule resolved).
        let unknown = unknown("ARM expression");
        assert_eq!(
            out(vec![rule(170, "Deny", unknown.clone())]),
            EndpointOutcome::Unknown
        );
        assert_eq!(
            out(vec![rule(170, "Allow", unknown)]),
            EndpointOutcome::Unknown
        );
    }

    /// `sourcePortRanges` left `null` or empty is its default `["*"]`; a list of some ports
    /// misses the probe's ephemeral source ports.
    #[test]
    fn empty_source_port_ranges_are_the_default() {
        let with_ports = |ports: Node| {
            let mut r = rule(150, "Allow", s("*"));
            if let Value::Object(m) = &mut r.value {
                m.push(crate::ir::Member {
                    key: "sourcePortRanges".into(),
                    key_span: ports.span,
                    value: ports,
                    written: None,
                });
            }
            evaluate(Some(&[r]), 22, None).outcome
        };
        let open = EndpointOutcome::Allow { implicit: false };
        assert_eq!(with_ports(crate::ir::build::arr(&[])), open);
        assert_eq!(
            with_ports(Node::new(Value::Null, crate::ir::Span::new(0, 0, 0))),
            open
        );
        assert_eq!(with_ports(crate::ir::build::arr(&["*"])), open);
        assert_eq!(
            with_ports(crate::ir::build::arr(&["1000-2000"])),
            EndpointOutcome::Unrestricted
        );
    }

    #[test]
    fn a_deny_of_one_family_leaves_the_other_to_the_next_rule() {
        use crate::net::address::Family;
        let rules = vec![
            rule(150, "Deny", s("0.0.0.0/0")),
            rule(200, "Allow", s("*")),
        ];
        let from = |f| evaluate_from(Some(&rules), 22, None, Probe::InternetOver(f)).outcome;
        assert_eq!(from(Family::V4), EndpointOutcome::Deny);
        assert_eq!(from(Family::V6), EndpointOutcome::Allow { implicit: false });
        // Without IPv6, the single probe is denied as before.
        assert_eq!(
            evaluate(Some(&rules), 22, None).outcome,
            EndpointOutcome::Deny
        );
        // Rules that name only IPv4 ranges leave IPv6 unrestricted.
        let rules = vec![rule(150, "Allow", s("203.0.113.0/24"))];
        let from = |f| evaluate_from(Some(&rules), 22, None, Probe::InternetOver(f)).outcome;
        assert_eq!(from(Family::V6), EndpointOutcome::Unrestricted);
    }
}
