//! NSG rules read from the IR, and first-match-wins evaluation with Azure's default rules
//! appended (§1.5).

use super::address::{contains, Prefix, Probe};
use super::ports::{parse_port_range, PortSet, Protocol};
use crate::ir::{Node, Span, Value};
use crate::tri::Tri;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Allow,
    Deny,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Allow => "Allow",
            Access::Deny => "Deny",
        }
    }
}

/// One value of a source or destination field, with the span that holds it (the singular
/// member, or the element of the plural list). `None` when the field is absent (read as `*`).
#[derive(Debug, Clone, PartialEq)]
pub struct AddrEntry {
    pub prefix: Prefix,
    /// The value as written (`"?"` when it is not a literal).
    pub text: String,
    pub span: Option<Span>,
}

/// An NSG rule, user-written or default.
#[derive(Debug, Clone, PartialEq)]
pub struct NsgRule {
    pub name: Option<String>,
    /// The rule element or resource.
    pub span: Span,
    /// The rule's `name` member, or the element/resource span: where to point when a field is absent.
    pub anchor: Span,
    pub direction: Option<Direction>,
    pub access: Option<Access>,
    pub priority: Option<i64>,
    pub priority_span: Option<Span>,
    pub access_span: Option<Span>,
    pub protocol: Option<Protocol>,
    pub sources: Vec<AddrEntry>,
    pub dests: Vec<AddrEntry>,
    /// `None` when a port value is malformed or unknown.
    pub src_ports: Option<PortSet>,
    pub dst_ports: Option<PortSet>,
    /// The destination port member (singular or plural), for related locations.
    pub dst_port_span: Option<Span>,
    /// `Some(name)` for Azure's default rules.
    pub default_name: Option<&'static str>,
}

impl NsgRule {
    pub fn is_default(&self) -> bool {
        self.default_name.is_some()
    }
    /// `'name' (priority 100)` for messages.
    pub fn label(&self) -> String {
        if let Some(d) = self.default_name {
            return format!("default rule {d} (priority {})", self.priority.unwrap_or(0));
        }
        let prio = self
            .priority
            .map(|p| p.to_string())
            .unwrap_or_else(|| "unresolved".into());
        match &self.name {
            Some(n) => format!("rule '{n}' (priority {prio})"),
            None => format!("rule at priority {prio}"),
        }
    }

    /// Reads a rule from its IR object: `{ "name": …, "properties": { … } }` (inline element or
    /// child resource body). Unknown and malformed fields become unknown parts of the rule.
    pub fn from_ir(node: &Node) -> NsgRule {
        let props = node.get("properties");
        let field = |k: &str| props.and_then(|p| p.get(k));
        let member_span = |k: &str| props.and_then(|p| p.member(k)).map(|m| m.span());
        let anchor = node.member("name").map(|m| m.span()).unwrap_or(node.span);
        let direction = field("direction").and_then(|n| n.as_str()).and_then(|s| {
            match s.to_ascii_lowercase().as_str() {
                "inbound" => Some(Direction::Inbound),
                "outbound" => Some(Direction::Outbound),
                _ => None,
            }
        });
        let access = field("access").and_then(|n| n.as_str()).and_then(|s| {
            match s.to_ascii_lowercase().as_str() {
                "allow" => Some(Access::Allow),
                "deny" => Some(Access::Deny),
                _ => None,
            }
        });
        let protocol = field("protocol")
            .and_then(|n| n.as_str())
            .and_then(Protocol::parse);
        let priority = field("priority").and_then(|n| n.as_i64());
        let sources = addresses(
            props,
            "sourceAddressPrefix",
            "sourceAddressPrefixes",
            "sourceApplicationSecurityGroups",
        );
        let dests = addresses(
            props,
            "destinationAddressPrefix",
            "destinationAddressPrefixes",
            "destinationApplicationSecurityGroups",
        );
        let src_ports = ports(props, "sourcePortRange", "sourcePortRanges");
        let dst_ports = ports(props, "destinationPortRange", "destinationPortRanges");
        NsgRule {
            name: node
                .get("name")
                .and_then(|n| n.as_str())
                .map(str::to_string),
            span: node.span,
            anchor,
            direction,
            access,
            priority,
            priority_span: member_span("priority"),
            access_span: member_span("access"),
            protocol,
            sources,
            dests,
            src_ports,
            dst_ports,
            dst_port_span: props
                .and_then(|p| p.member("destinationPortRange"))
                .filter(|m| !is_blank(&m.value))
                .map(|m| m.span())
                .or_else(|| member_span("destinationPortRanges")),
            default_name: None,
        }
    }
}

/// Values of a singular field, a plural field and an ASG field, united. An absent field is `*`.
pub(crate) fn addresses(
    props: Option<&Node>,
    singular: &str,
    plural: &str,
    asg: &str,
) -> Vec<AddrEntry> {
    let any = || AddrEntry {
        prefix: Prefix::Any,
        text: "*".into(),
        span: None,
    };
    let Some(props) = props else {
        return vec![any()];
    };
    let mut out = Vec::new();
    let entry = |value: &Value, span: Span| {
        let (prefix, text) = match value {
            Value::String(s) => (Prefix::parse(s), s.trim().to_string()),
            // An unresolved value keeps its expression text, which names an opaque destination.
            Value::Unknown(u) => (
                Prefix::Unknown,
                match &u.reference {
                    Some(crate::ir::Reference::ArmExpression(e)) => e.clone(),
                    Some(crate::ir::Reference::Terraform { address, attribute }) => {
                        format!("{address}.{}", attribute.join("."))
                    }
                    Some(crate::ir::Reference::BuiltId { address, segments }) => {
                        let rest: Vec<&str> = segments
                            .iter()
                            .map(|s| s.as_deref().unwrap_or("?"))
                            .collect();
                        format!("{address}.id/{}", rest.join("/"))
                    }
                    // No expression to name it (a Terraform variable without a value, a
                    // data source): where the value comes from identifies it.
                    None => format!("?{}:{}", span.file, span.start),
                },
            ),
            _ => (Prefix::Unknown, "?".to_string()),
        };
        AddrEntry {
            prefix,
            text,
            span: Some(span),
        }
    };
    let plural_set = props.get(plural).is_some_and(|l| !l.items().is_empty());
    if let Some(m) = props
        .member(singular)
        .filter(|m| !(m.value.is_null() || plural_set && is_blank(&m.value)))
    {
        match &m.value.value {
            // A comma-separated list in a singular field is read as a list (§1.5 item 8).
            Value::String(s) if s.contains(',') => {
                for part in s.split(',').filter(|p| !p.trim().is_empty()) {
                    out.push(entry(&Value::String(part.to_string()), m.span()));
                }
            }
            v => out.push(entry(v, m.span())),
        }
    }
    if let Some(list) = props.get(plural) {
        match &list.value {
            Value::Array(items) => out.extend(items.iter().map(|it| entry(&it.value, it.span))),
            v => out.push(entry(v, list.span)),
        }
    }
    if let Some(asgs) = props.get(asg) {
        if !asgs.items().is_empty() || asgs.is_unknown() {
            let text = "application security group".to_string();
            out.push(AddrEntry {
                prefix: Prefix::Unknown,
                text,
                span: Some(asgs.span),
            });
        }
    }
    if out.is_empty() {
        out.push(any());
    }
    out
}

/// An empty string: how templates leave the singular field of a rule unset when they use the
/// plural one (`destinationPortRange: ''` beside `destinationPortRanges`, as Azure Verified
/// Modules write every rule). Azure reads it as not set; alone, it is no value at all.
fn is_blank(n: &Node) -> bool {
    matches!(&n.value, Value::String(s) if s.trim().is_empty())
}

/// Ports of a singular and a plural field, united. Absent means `*`; an empty singular string
/// beside a plural list that is not empty is absent. `None` when any value is malformed or
/// unknown.
pub(crate) fn ports(props: Option<&Node>, singular: &str, plural: &str) -> Option<PortSet> {
    let Some(props) = props else {
        return Some(PortSet::all());
    };
    let mut set = PortSet::default();
    let mut any = false;
    let one = |n: &Node, set: &mut PortSet| -> Option<()> {
        match &n.value {
            Value::String(s) => {
                for part in s.split(',') {
                    set.add(parse_port_range(part)?);
                }
                Some(())
            }
            Value::Number(_) => {
                let p = n.as_i64().filter(|p| (0..=65535).contains(p))? as u32;
                set.add((p, p));
                Some(())
            }
            _ => None,
        }
    };
    let plural_set = props.get(plural).is_some_and(|l| !l.items().is_empty());
    if let Some(n) = props.get(singular).filter(|n| !(plural_set && is_blank(n))) {
        any = true;
        one(n, &mut set)?;
    }
    if let Some(list) = props.get(plural) {
        any = true;
        for it in list.items() {
            one(it, &mut set)?;
        }
        if !matches!(list.value, Value::Array(_)) {
            return None;
        }
    }
    if !any {
        return Some(PortSet::all());
    }
    Some(set)
}

/// One flow to test: (direction, protocol, source, source ports, destination, destination port).
#[derive(Debug, Clone)]
pub struct Flow {
    pub direction: Direction,
    pub protocol: Protocol,
    pub src: Probe,
    pub src_ports: (u32, u32),
    pub dst: Probe,
    pub dst_port: u32,
}

/// How one rule matches a flow, and which source/destination entries matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleMatch {
    pub tri: Tri,
    pub src_entry: Option<usize>,
}

fn any_entry(entries: &[AddrEntry], probe: &Probe, broad: Option<u8>) -> (Tri, Option<usize>) {
    let mut acc = Tri::No;
    for (i, e) in entries.iter().enumerate() {
        let t = match probe {
            // The same unresolved expression names the same destination.
            Probe::Opaque(text) if e.prefix == Prefix::Unknown && e.text == *text => Tri::Yes,
            _ => contains(&e.prefix, probe, broad),
        };
        if t == Tri::Yes {
            return (Tri::Yes, Some(i));
        }
        acc = acc.or(t);
    }
    (acc, None)
}

pub fn match_rule(rule: &NsgRule, flow: &Flow, broad: Option<u8>) -> RuleMatch {
    const NO: RuleMatch = RuleMatch {
        tri: Tri::No,
        src_entry: None,
    };
    // The cheap dimensions first: most rules fail one of them.
    let dir = match rule.direction {
        Some(d) => Tri::from_bool(d == flow.direction),
        None => Tri::Unknown,
    };
    let proto = rule
        .protocol
        .map_or(Tri::Unknown, |p| p.contains(flow.protocol));
    let dports = rule.dst_ports.as_ref().map_or(Tri::Unknown, |p| {
        Tri::from_bool(p.contains_port(flow.dst_port))
    });
    let sports = rule.src_ports.as_ref().map_or(Tri::Unknown, |p| {
        Tri::from_bool(p.covers_range(flow.src_ports))
    });
    let cheap = Tri::all([dir, proto, dports, sports]);
    if cheap == Tri::No {
        return NO;
    }
    let (src, src_entry) = any_entry(&rule.sources, &flow.src, broad);
    if src == Tri::No {
        return NO;
    }
    let (dst, _) = any_entry(&rule.dests, &flow.dst, broad);
    RuleMatch {
        tri: Tri::all([cheap, src, dst]),
        src_entry,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    Deny,
    Unknown,
}

impl From<Access> for Outcome {
    fn from(a: Access) -> Outcome {
        match a {
            Access::Allow => Outcome::Allow,
            Access::Deny => Outcome::Deny,
        }
    }
}

/// The decision for a flow and the rules that made it (several for a tie group).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub outcome: Outcome,
    /// Indexes into [`RuleList::rules`] with the source entry that matched.
    pub deciding: Vec<(usize, Option<usize>)>,
}

/// The rules of one NSG in one list: user rules in source order, then the six defaults.
#[derive(Debug, Clone)]
pub struct RuleList {
    pub rules: Vec<NsgRule>,
    pub user_count: usize,
    /// Evaluation order per direction (inbound, outbound), computed once.
    plans: [Plan; 2],
}

/// The groups of a direction in evaluation order: resolved user rules by priority (equal
/// priorities together), then the user rules whose priority is unresolved (one group), then the
/// defaults.
#[derive(Debug, Clone, Default)]
struct Plan {
    groups: Vec<Vec<usize>>,
    unresolved: Vec<usize>,
}

fn default_rule(
    direction: Direction,
    priority: i64,
    name: &'static str,
    src: Prefix,
    dst: Prefix,
    access: Access,
    at: Span,
) -> NsgRule {
    NsgRule {
        name: Some(name.to_string()),
        span: at,
        anchor: at,
        direction: Some(direction),
        access: Some(access),
        priority: Some(priority),
        priority_span: None,
        access_span: None,
        protocol: Some(Protocol::Any),
        sources: vec![AddrEntry {
            text: format!("{src:?}"),
            prefix: src,
            span: None,
        }],
        dests: vec![AddrEntry {
            text: format!("{dst:?}"),
            prefix: dst,
            span: None,
        }],
        src_ports: Some(PortSet::all()),
        dst_ports: Some(PortSet::all()),
        dst_port_span: None,
        default_name: Some(name),
    }
}

impl RuleList {
    /// `at` is the NSG's header, where default rules are located.
    pub fn new(user: Vec<NsgRule>, at: Span) -> RuleList {
        use Direction::*;
        let alb = Prefix::Tag {
            name: "azureloadbalancer".into(),
            region: None,
        };
        let user_count = user.len();
        let mut rules = user;
        rules.extend([
            default_rule(
                Inbound,
                65000,
                "AllowVnetInBound",
                Prefix::VirtualNetwork,
                Prefix::VirtualNetwork,
                Access::Allow,
                at,
            ),
            default_rule(
                Inbound,
                65001,
                "AllowAzureLoadBalancerInBound",
                alb,
                Prefix::Any,
                Access::Allow,
                at,
            ),
            default_rule(
                Inbound,
                65500,
                "DenyAllInBound",
                Prefix::Any,
                Prefix::Any,
                Access::Deny,
                at,
            ),
            default_rule(
                Outbound,
                65000,
                "AllowVnetOutBound",
                Prefix::VirtualNetwork,
                Prefix::VirtualNetwork,
                Access::Allow,
                at,
            ),
            default_rule(
                Outbound,
                65001,
                "AllowInternetOutBound",
                Prefix::Any,
                Prefix::Internet,
                Access::Allow,
                at,
            ),
            default_rule(
                Outbound,
                65500,
                "DenyAllOutBound",
                Prefix::Any,
                Prefix::Any,
                Access::Deny,
                at,
            ),
        ]);
        let mut list = RuleList {
            rules,
            user_count,
            plans: Default::default(),
        };
        list.plans = [Direction::Inbound, Direction::Outbound].map(|d| list.plan(d));
        list
    }

    pub fn user_rules(&self) -> &[NsgRule] {
        &self.rules[..self.user_count]
    }

    /// Indexes of the rules that can apply to `direction` (known direction equal, or unknown),
    /// with a resolved priority, sorted by priority (stable: source order breaks no ties, equal
    /// priorities form a tie group), and the user rules whose priority is unresolved.
    pub fn ordered(&self, direction: Direction) -> (Vec<usize>, Vec<usize>) {
        let mut resolved = Vec::new();
        let mut unresolved = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            if r.direction.is_some_and(|d| d != direction) {
                continue;
            }
            match r.priority {
                Some(_) => resolved.push(i),
                None => unresolved.push(i),
            }
        }
        resolved.sort_by_key(|&i| self.rules[i].priority);
        (resolved, unresolved)
    }

    /// First match wins (§1.5 items 3, 4 and 7). User rules whose priority is unresolved sort
    /// after the resolved user rules and before the defaults, as one group whose inner order is
    /// unknown; where a resolved rule decides first, an unresolved one that may match with the
    /// other access could have come earlier, and the decision becomes Unknown.
    fn plan(&self, direction: Direction) -> Plan {
        let (order, unresolved) = self.ordered(direction);
        let first_default = order
            .iter()
            .position(|&j| j >= self.user_count)
            .unwrap_or(order.len());
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (k, &j) in order.iter().enumerate() {
            if k == first_default && !unresolved.is_empty() {
                groups.push(unresolved.clone());
            }
            match groups.last_mut() {
                Some(g)
                    if self.rules[g[0]].priority.is_some()
                        && self.rules[g[0]].priority == self.rules[j].priority
                        && (g[0] < self.user_count) == (j < self.user_count) =>
                {
                    g.push(j)
                }
                _ => groups.push(vec![j]),
            }
        }
        Plan { groups, unresolved }
    }

    pub fn evaluate(&self, flow: &Flow, broad: Option<u8>) -> Decision {
        let plan = &self.plans[match flow.direction {
            Direction::Inbound => 0,
            Direction::Outbound => 1,
        }];
        let (groups, unresolved) = (&plan.groups, &plan.unresolved);
        // Accesses of the rules that matched Unknown before the decision.
        let mut recorded: Vec<Option<Access>> = Vec::new();
        let mut decision = Decision {
            outcome: Outcome::Unknown,
            deciding: Vec::new(),
        };
        let mut decided_before_unresolved = false;
        for group in groups {
            let mut yes = Vec::new();
            for &j in group {
                let m = match_rule(&self.rules[j], flow, broad);
                match m.tri {
                    Tri::Yes => yes.push((j, m.src_entry)),
                    Tri::Unknown => recorded.push(self.rules[j].access),
                    Tri::No => {}
                }
            }
            if yes.is_empty() {
                continue;
            }
            let first = self.rules[yes[0].0].access;
            let agreed = first.is_some() && yes.iter().all(|&(j, _)| self.rules[j].access == first);
            let consistent = recorded.iter().all(|a| *a == first);
            decision.outcome = match first {
                Some(a) if agreed && consistent => a.into(),
                _ => Outcome::Unknown,
            };
            decision.deciding = yes;
            decided_before_unresolved =
                self.rules[group[0]].priority.is_some() && group[0] < self.user_count;
            break;
        }
        if decided_before_unresolved && decision.outcome != Outcome::Unknown {
            for &j in unresolved {
                let m = match_rule(&self.rules[j], flow, broad);
                let same = self.rules[j].access.map(Outcome::from) == Some(decision.outcome);
                if m.tri != Tri::No && !same {
                    decision.outcome = Outcome::Unknown;
                }
            }
        }
        decision
    }

    /// Distinct CIDR destinations used by user rules of `direction` (bare IPs included), plus
    /// `VirtualNetwork`: the destination candidates of the exposure probes (§1.5 item 6).
    pub fn destination_candidates(&self, direction: Direction) -> Vec<Probe> {
        let mut out = vec![Probe::VirtualNetwork];
        for r in self.user_rules() {
            if r.direction.is_some_and(|d| d != direction) {
                continue;
            }
            for e in &r.dests {
                let p = match &e.prefix {
                    Prefix::Cidr { net, .. } => Probe::Address {
                        net: *net,
                        in_vnet: false,
                    },
                    // An unresolved destination written as an expression: its value, whatever
                    // it is, is a destination too.
                    Prefix::Unknown if e.text != "?" && e.text != "application security group" => {
                        Probe::Opaque(e.text.clone())
                    }
                    _ => continue,
                };
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ir::build::{arr, num, obj, s, span as sp};

    /// R(dir, access, prio, proto, src, dst, ports) (§0).
    fn r(
        dir: &str,
        access: &str,
        prio: i64,
        proto: &str,
        src: &str,
        dst: &str,
        ports: &str,
    ) -> NsgRule {
        NsgRule::from_ir(&obj(vec![
            ("name", s(&format!("r{prio}"))),
            (
                "properties",
                obj(vec![
                    ("direction", s(dir)),
                    ("access", s(access)),
                    ("priority", num(prio as f64)),
                    ("protocol", s(proto)),
                    ("sourceAddressPrefix", s(src)),
                    ("sourcePortRange", s("*")),
                    ("destinationAddressPrefix", s(dst)),
                    ("destinationPortRange", s(ports)),
                ]),
            ),
        ]))
    }
    fn ssh_flow(dst: Probe) -> Flow {
        Flow {
            direction: Direction::Inbound,
            protocol: Protocol::Tcp,
            src: Probe::Internet,
            src_ports: super::super::ports::EPHEMERAL,
            dst,
            dst_port: 22,
        }
    }
    fn decide(rules: Vec<NsgRule>) -> (Outcome, Vec<String>) {
        let list = RuleList::new(rules, sp());
        let d = list.evaluate(&ssh_flow(Probe::VirtualNetwork), None);
        (
            d.outcome,
            d.deciding
                .iter()
                .map(|(i, _)| list.rules[*i].label())
                .collect(),
        )
    }

    /// An empty singular field beside its plural one is not set, as Azure reads it (the form
    /// Azure Verified Modules write every rule in).
    #[test]
    fn an_empty_singular_field_beside_the_plural_one_is_not_set() {
        let rule = NsgRule::from_ir(&obj(vec![
            ("name", s("rdp")),
            (
                "properties",
                obj(vec![
                    ("direction", s("Inbound")),
                    ("access", s("Allow")),
                    ("priority", num(110.0)),
                    ("protocol", s("Tcp")),
                    ("sourceAddressPrefix", s("")),
                    ("sourceAddressPrefixes", arr(&["0.0.0.0/0"])),
                    ("sourcePortRange", s("*")),
                    ("sourcePortRanges", arr(&[])),
                    ("destinationAddressPrefix", s("*")),
                    ("destinationPortRange", s("")),
                    ("destinationPortRanges", arr(&["22", "3389"])),
                ]),
            ),
        ]));
        assert_eq!(rule.sources.len(), 1);
        let ports = rule.dst_ports.clone().expect("the plural field's ports");
        assert!(ports.contains_port(22) && ports.contains_port(3389) && !ports.contains_port(80));
        let src_ports = rule.src_ports.clone();
        assert!(src_ports
            .expect("the singular field's ports")
            .contains_port(1024));
        let (o, _) = decide(vec![rule]);
        assert_eq!(o, Outcome::Allow);
    }

    #[test]
    fn first_match_wins_over_later_deny() {
        let (o, by) = decide(vec![
            r("Inbound", "Deny", 200, "*", "Internet", "*", "22"),
            r("Inbound", "Allow", 150, "*", "*", "*", "22"),
        ]);
        assert_eq!(o, Outcome::Allow);
        assert_eq!(by, vec!["rule 'r150' (priority 150)"]);
    }

    #[test]
    fn each_family_meets_the_rules_that_cover_it() {
        use crate::net::address::Family;
        let list = RuleList::new(
            vec![
                r("Inbound", "Deny", 200, "*", "0.0.0.0/0", "*", "22"),
                r("Inbound", "Allow", 300, "Tcp", "*", "*", "22"),
            ],
            sp(),
        );
        let from = |src: Probe| {
            let mut flow = ssh_flow(Probe::VirtualNetwork);
            flow.src = src;
            let d = list.evaluate(&flow, None);
            (
                d.outcome,
                d.deciding.first().map(|(i, _)| list.rules[*i].label()),
            )
        };
        let denied = (
            Outcome::Deny,
            Some("rule 'r200' (priority 200)".to_string()),
        );
        assert_eq!(from(Probe::Internet), denied);
        assert_eq!(from(Probe::InternetOver(Family::V4)), denied);
        assert_eq!(
            from(Probe::InternetOver(Family::V6)),
            (
                Outcome::Allow,
                Some("rule 'r300' (priority 300)".to_string())
            )
        );
    }

    #[test]
    fn default_deny_decides_when_nothing_matches() {
        let (o, by) = decide(vec![r(
            "Inbound",
            "Allow",
            100,
            "Tcp",
            "10.0.0.0/8",
            "*",
            "22",
        )]);
        assert_eq!(o, Outcome::Deny);
        assert_eq!(by, vec!["default rule DenyAllInBound (priority 65500)"]);
        let (o, _) = decide(vec![]);
        assert_eq!(o, Outcome::Deny);
    }

    #[test]
    fn udp_rule_and_outbound_rule_do_not_match() {
        let (o, _) = decide(vec![
            r("Inbound", "Allow", 100, "Udp", "*", "*", "22"),
            r("Outbound", "Allow", 101, "*", "*", "*", "22"),
        ]);
        assert_eq!(o, Outcome::Deny);
    }

    #[test]
    fn unknown_before_decider_with_other_access_gives_unknown() {
        let (o, _) = decide(vec![
            r(
                "Inbound",
                "Deny",
                100,
                "*",
                "[parameters('src')]",
                "*",
                "22",
            ),
            r("Inbound", "Allow", 200, "*", "*", "*", "22"),
        ]);
        // "[parameters('src')]" is not a valid prefix: Unknown match, Deny recorded.
        assert_eq!(o, Outcome::Unknown);
        let (o, _) = decide(vec![
            r("Inbound", "Allow", 100, "*", "bad prefix!", "*", "22"),
            r("Inbound", "Allow", 200, "*", "*", "*", "22"),
        ]);
        assert_eq!(o, Outcome::Allow);
    }

    #[test]
    fn tie_groups_agree_or_become_unknown() {
        let (o, by) = decide(vec![
            r("Inbound", "Allow", 100, "*", "*", "*", "22"),
            r("Inbound", "Allow", 100, "Tcp", "Internet", "*", "20-25"),
        ]);
        assert_eq!((o, by.len()), (Outcome::Allow, 2));
        let (o, _) = decide(vec![
            r("Inbound", "Allow", 100, "*", "*", "*", "22"),
            r("Inbound", "Deny", 100, "*", "*", "*", "22"),
        ]);
        assert_eq!(o, Outcome::Unknown);
    }

    #[test]
    fn unresolved_priority_sorts_before_the_defaults() {
        let mut allow = r("Inbound", "Allow", 1, "*", "*", "*", "22");
        allow.priority = None;
        let (o, by) = decide(vec![allow.clone()]);
        assert_eq!(
            (o, by),
            (
                Outcome::Allow,
                vec!["rule 'r1' (priority unresolved)".to_string()]
            )
        );
        // Two unresolved rules that disagree: their order is unknown.
        let mut deny = r("Inbound", "Deny", 2, "*", "*", "*", "22");
        deny.priority = None;
        let (o, _) = decide(vec![allow, deny]);
        assert_eq!(o, Outcome::Unknown);
    }

    #[test]
    fn unresolved_priority_with_other_access_gives_unknown() {
        let mut deny = r("Inbound", "Deny", 1, "*", "*", "*", "22");
        deny.priority = None;
        let (o, _) = decide(vec![deny, r("Inbound", "Allow", 200, "*", "*", "*", "22")]);
        assert_eq!(o, Outcome::Unknown);
    }

    #[test]
    fn port_lists_and_ranges() {
        for ports in ["20-25", "*", "21,22", "0-65535", "22"] {
            let (o, _) = decide(vec![r("Inbound", "Allow", 100, "Tcp", "Any", "*", ports)]);
            assert_eq!(o, Outcome::Allow, "{ports}");
        }
        for ports in ["23-25", "2222", "21, 23", "0", "65535"] {
            let (o, _) = decide(vec![r("Inbound", "Allow", 100, "Tcp", "Any", "*", ports)]);
            assert_eq!(o, Outcome::Deny, "{ports}");
        }
        let (o, _) = decide(vec![r("Inbound", "Allow", 100, "Tcp", "Any", "*", "abc")]);
        assert_eq!(o, Outcome::Unknown, "malformed ports make the rule unknown");
    }

    #[test]
    fn an_unresolved_destination_is_a_candidate_of_its_own() {
        let mut rule = r("Inbound", "Allow", 100, "Tcp", "*", "*", "22");
        rule.dests = vec![AddrEntry {
            prefix: Prefix::Unknown,
            text: "[parameters('subnet')]".into(),
            span: None,
        }];
        let list = RuleList::new(vec![rule.clone()], sp());
        let c = list.destination_candidates(Direction::Inbound);
        assert_eq!(c[1], Probe::Opaque("[parameters('subnet')]".into()));
        assert_eq!(
            list.evaluate(&ssh_flow(c[1].clone()), None).outcome,
            Outcome::Allow
        );
        assert_eq!(
            list.evaluate(&ssh_flow(c[0].clone()), None).outcome,
            Outcome::Unknown
        );
        // An earlier deny to some other range may cover the same destination: unknown.
        let deny = r("Inbound", "Deny", 90, "Tcp", "*", "10.0.0.0/8", "22");
        let list = RuleList::new(vec![deny, rule], sp());
        assert_eq!(
            list.evaluate(&ssh_flow(c[1].clone()), None).outcome,
            Outcome::Unknown
        );
    }

    #[test]
    fn destination_candidates_include_cidrs() {
        let list = RuleList::new(
            vec![
                r("Inbound", "Allow", 100, "Tcp", "*", "10.0.0.4", "22"),
                r("Inbound", "Allow", 110, "Tcp", "*", "Internet", "22"),
            ],
            sp(),
        );
        let c = list.destination_candidates(Direction::Inbound);
        assert_eq!(c.len(), 2);
        // The VirtualNetwork candidate is not covered by 10.0.0.4 (Unknown), but the address one is.
        assert_eq!(
            list.evaluate(&ssh_flow(c[1].clone()), None).outcome,
            Outcome::Allow
        );
    }
}
