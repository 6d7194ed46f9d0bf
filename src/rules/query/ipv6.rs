//! Which internet an exposure comes from, when the workload is known to be reachable over IPv6
//! and the Internet probe runs once per address family (D34), and how messages say so. Shared by
//! NET001, NET002, NET004, BATCH010 and BATCH011.

use crate::findings::Message;
use crate::ir::Span;
use crate::net::address::{Family, Prefix};
use crate::net::nsg::{Decision, Outcome, RuleList};

/// A Deny of yours that decided one family's probe with a prefix of that family only.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// The matching source prefix as written, and where.
    pub prefix: String,
    pub at: Option<Span>,
    pub priority: Option<i64>,
    pub family: Family,
}

/// The internet an exposure comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    /// The single Internet probe: the workload is not known to be reachable over IPv6.
    Internet,
    /// Both address families.
    Both,
    /// One family only; the other is closed, by `Cover` when a Deny of yours closes just that
    /// family.
    Only(Family, Option<Cover>),
}

impl Reach {
    /// The reach of an exposure found open for the families `open`: the single probe unless
    /// the workload is known to be reachable over IPv6, both families, or one family with what
    /// closes the other (`cover` is asked for that other family).
    pub fn of(ipv6: bool, open: &[Family], cover: impl FnOnce(Family) -> Option<Cover>) -> Reach {
        match open {
            _ if !ipv6 => Reach::Internet,
            [] => Reach::Internet,
            [f] => Reach::Only(*f, cover(f.other())),
            _ => Reach::Both,
        }
    }

    /// "the internet", "the IPv4 and IPv6 internet" or "the IPv6 internet".
    pub fn internet(&self) -> &'static str {
        match self {
            Reach::Internet => "the internet",
            Reach::Both => "the IPv4 and IPv6 internet",
            Reach::Only(Family::V4, _) => "the IPv4 internet",
            Reach::Only(Family::V6, _) => "the IPv6 internet",
        }
    }

    /// What closes the other family, when a Deny of yours covers only it: ": the Deny of
    /// `0.0.0.0/0` at priority 200 covers IPv4 only". Empty otherwise.
    pub fn note(&self) -> Message {
        let Reach::Only(_, Some(c)) = self else {
            return Message::new();
        };
        let priority = c
            .priority
            .map_or_else(|| "unresolved".to_string(), |p| p.to_string());
        Message::new()
            .text(": the Deny of `")
            .value(c.prefix.clone(), c.at)
            .text(format!(
                "` at priority {priority} covers {} only",
                c.family.label()
            ))
    }

    /// A related location for the Deny of [`Reach::note`]: its source prefix.
    pub fn related(&self) -> Option<(Span, String)> {
        let Reach::Only(_, Some(c)) = self else {
            return None;
        };
        let priority = c
            .priority
            .map_or_else(|| "unresolved".to_string(), |p| p.to_string());
        Some((
            c.at?,
            format!("deny of {} only (priority {priority})", c.family.label()),
        ))
    }

    /// Where the traffic comes from, with the source prefix of the rule that allows it:
    /// "from `*`", or, for a workload reachable over IPv6, "from the IPv6 internet (source `*`)"
    /// and the [`Reach::note`].
    pub fn source_clause(&self, source: Message) -> Message {
        match self {
            Reach::Internet => Message::new().text("from `").append(source).text("`"),
            _ => Message::new()
                .text(format!("from {} (source `", self.internet()))
                .append(source)
                .text("`)")
                .append(self.note()),
        }
    }
}

/// The Deny of yours that decided `d` for the probe of `family`, when its matching source is a
/// prefix of that family only (so that the other family is not covered by it).
pub fn cover(list: &RuleList, d: &Decision, family: Family) -> Option<Cover> {
    if d.outcome != Outcome::Deny {
        return None;
    }
    let &(i, entry) = d.deciding.first()?;
    if i >= list.user_count {
        return None;
    }
    let rule = &list.rules[i];
    let src = &rule.sources[entry?];
    match &src.prefix {
        Prefix::Cidr { net, .. } if Family::of(net) == family => Some(Cover {
            prefix: src.text.clone(),
            at: src.span,
            priority: rule.priority,
            family,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::build::{num, obj, s, span};
    use crate::net::address::Probe;
    use crate::net::nsg::{Direction, Flow, NsgRule};
    use crate::net::ports::{Protocol, EPHEMERAL};

    fn rule(access: &str, prio: i64, src: &str) -> NsgRule {
        NsgRule::from_ir(&obj(vec![
            ("name", s(&format!("r{prio}"))),
            (
                "properties",
                obj(vec![
                    ("direction", s("Inbound")),
                    ("access", s(access)),
                    ("priority", num(prio as f64)),
                    ("protocol", s("*")),
                    ("sourceAddressPrefix", s(src)),
                    ("sourcePortRange", s("*")),
                    ("destinationAddressPrefix", s("*")),
                    ("destinationPortRange", s("22")),
                ]),
            ),
        ]))
    }

    fn decide(list: &RuleList, f: Family) -> Decision {
        let flow = Flow {
            direction: Direction::Inbound,
            protocol: Protocol::Tcp,
            src: Probe::InternetOver(f),
            src_ports: EPHEMERAL,
            dst: Probe::VirtualNetwork,
            dst_port: 22,
        };
        list.evaluate(&flow, None)
    }

    #[test]
    fn a_deny_of_one_family_is_named() {
        let list = RuleList::new(
            vec![rule("Deny", 200, "0.0.0.0/0"), rule("Allow", 300, "*")],
            span(),
        );
        let c = cover(&list, &decide(&list, Family::V4), Family::V4).unwrap();
        assert_eq!((c.prefix.as_str(), c.priority), ("0.0.0.0/0", Some(200)));
        let reach = Reach::of(true, &[Family::V6], |_| Some(c.clone()));
        assert_eq!(
            reach.source_clause(Message::new().text("*")).as_str(),
            "from the IPv6 internet (source `*`): the Deny of `0.0.0.0/0` at priority 200 covers IPv4 only"
        );
        // A Deny of both families, or a default rule, names no family.
        let list = RuleList::new(vec![rule("Deny", 200, "Internet")], span());
        assert_eq!(cover(&list, &decide(&list, Family::V4), Family::V4), None);
        let list = RuleList::new(vec![], span());
        assert_eq!(cover(&list, &decide(&list, Family::V4), Family::V4), None);
    }

    #[test]
    fn messages_name_the_family_only_for_ipv6_workloads() {
        let src = || Message::new().text("*");
        assert_eq!(
            Reach::of(false, &[], |_| None)
                .source_clause(src())
                .as_str(),
            "from `*`"
        );
        let both = Reach::of(true, &[Family::V4, Family::V6], |_| None);
        assert_eq!(both, Reach::Both);
        assert_eq!(
            both.source_clause(src()).as_str(),
            "from the IPv4 and IPv6 internet (source `*`)"
        );
        assert_eq!(both.internet(), "the IPv4 and IPv6 internet");
        assert_eq!(
            Reach::of(true, &[Family::V6], |_| None).internet(),
            "the IPv6 internet"
        );
    }
}
