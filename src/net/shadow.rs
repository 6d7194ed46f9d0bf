//! Shadowing (§1.3 "Shadowing checks", NET003 and BATCH012): does an earlier rule A take
//! every flow that a later rule B would match, so that B never takes effect?
//!
//! A shadows B when A covers B in every dimension: the direction is the same, A's protocol
//! contains B's, every source of B is contained by some source of A (B's prefix read as a probe,
//! `*`/`Any` contained only by `*`/`Any`), A's source ports include all of B's, and likewise for
//! destinations and destination ports. Coverage by the union of several entries of A is not
//! computed. The answer is three-valued: anything unresolved on either side that matters gives
//! Unknown, and Unknown never becomes a finding.

use super::address::{contains, Prefix};
use super::nsg::{AddrEntry, NsgRule};
use super::ports::{PortSet, Protocol};
use crate::tri::Tri;

/// Does earlier rule `a` cover later rule `b` in all five dimensions? Priorities and access are
/// not looked at: the caller orders the rules and judges what the shadowing means.
pub fn shadows(a: &NsgRule, b: &NsgRule, broad: Option<u8>) -> Tri {
    let direction = match (a.direction, b.direction) {
        (Some(x), Some(y)) => Tri::from_bool(x == y),
        _ => Tri::Unknown,
    };
    Tri::all([
        direction,
        protocol_covers(a.protocol, b.protocol),
        addresses_cover(&a.sources, &b.sources, broad),
        ports_cover(a.src_ports.as_ref(), b.src_ports.as_ref()),
        addresses_cover(&a.dests, &b.dests, broad),
        ports_cover(a.dst_ports.as_ref(), b.dst_ports.as_ref()),
    ])
}

/// A's protocol contains B's. `*` contains every protocol, even one that is not known.
pub fn protocol_covers(a: Option<Protocol>, b: Option<Protocol>) -> Tri {
    match (a, b) {
        (Some(Protocol::Any), _) => Tri::Yes,
        (Some(x), Some(y)) => x.contains(y),
        _ => Tri::Unknown,
    }
}

/// A's port set includes all of B's. All ports include even a set that is not known.
pub fn ports_cover(a: Option<&PortSet>, b: Option<&PortSet>) -> Tri {
    match (a, b) {
        (Some(x), _) if *x == PortSet::all() => Tri::Yes,
        (Some(x), Some(y)) => Tri::from_bool(x.covers(y)),
        _ => Tri::Unknown,
    }
}

/// Every entry of B is contained by some entry of A (§1.3 shadowing checks).
pub fn addresses_cover(a: &[AddrEntry], b: &[AddrEntry], broad: Option<u8>) -> Tri {
    Tri::all(b.iter().map(|be| entry_covered(a, &be.prefix, broad)))
}

fn entry_covered(a: &[AddrEntry], b: &Prefix, broad: Option<u8>) -> Tri {
    match b.as_probe() {
        Some(probe) => Tri::any(a.iter().map(|ae| contains(&ae.prefix, &probe, broad))),
        // An unresolved value or an application security group: only `*` surely contains it.
        None => {
            if a.iter().any(|ae| ae.prefix == Prefix::Any) {
                Tri::Yes
            } else {
                Tri::Unknown
            }
        }
    }
}

/// Most pairs of rules [`shadowed_pairs`] compares for one list: every pair of an NSG of 2,800
/// rules, well above the 1,000 rules Azure allows in one NSG.
pub const MAX_COMPARISONS: usize = 4_000_000;

/// What [`shadowed_pairs`] found.
#[derive(Debug, Default, PartialEq)]
pub struct Shadowed {
    /// Each rule B that an earlier rule A shadows, with the first such A, as `(b, a)`.
    pub pairs: Vec<(usize, usize)>,
    /// The comparisons stopped at [`MAX_COMPARISONS`]: rules after this many (in priority
    /// order) were not checked, and this is how many rules the list has.
    pub stopped: Option<(usize, usize)>,
}

/// For rules evaluated first match by priority (the user rules of one NSG, or the endpoint rules
/// of one NAT pool): each rule B that an earlier rule A shadows, with the first such A, as
/// `(b, a)` indexes into `rules`, in the order of B's priority. Rules whose priority is
/// unresolved are left out, and rules of equal priority (a tie group) are never paired. At most
/// [`MAX_COMPARISONS`] pairs are compared (the work grows with the square of the rules).
pub fn shadowed_pairs(rules: &[NsgRule], broad: Option<u8>) -> Shadowed {
    shadowed_pairs_within(rules, broad, MAX_COMPARISONS)
}

fn shadowed_pairs_within(rules: &[NsgRule], broad: Option<u8>, max: usize) -> Shadowed {
    let mut order: Vec<usize> = (0..rules.len())
        .filter(|&i| rules[i].priority.is_some())
        .collect();
    order.sort_by_key(|&i| rules[i].priority);
    let mut out = Shadowed::default();
    let mut compared = 0usize;
    for (k, &b) in order.iter().enumerate() {
        if compared.saturating_add(k) > max {
            out.stopped = Some((k, order.len()));
            break;
        }
        compared += k;
        let earlier = order[..k]
            .iter()
            .copied()
            .filter(|&a| rules[a].priority < rules[b].priority);
        for a in earlier {
            if shadows(&rules[a], &rules[b], broad) == Tri::Yes {
                out.pairs.push((b, a));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::nsg::Direction;
    use super::Tri::*;
    use super::*;
    use crate::ir::{Node, Span, Value};

    fn sp() -> Span {
        Span::new(0, 0, 0)
    }
    use crate::ir::build::{arr, obj, s};

    /// R(dir, access, prio, proto, src, dst, ports) (§0); a field written with `|` is a
    /// plural list, `?` an unresolved value.
    fn r(
        dir: &str,
        access: &str,
        prio: i64,
        proto: &str,
        src: &str,
        dst: &str,
        ports: &str,
    ) -> NsgRule {
        rs(dir, access, prio, proto, src, "*", dst, ports)
    }
    #[allow(clippy::too_many_arguments)]
    fn rs(
        dir: &str,
        access: &str,
        prio: i64,
        proto: &str,
        src: &str,
        sports: &str,
        dst: &str,
        ports: &str,
    ) -> NsgRule {
        let field = |singular: &'static str, plural: &'static str, v: &str| -> (&str, Node) {
            if v == "?" {
                (singular, Node::unknown("variable", sp()))
            } else if v.contains('|') {
                (plural, arr(&v.split('|').collect::<Vec<_>>()))
            } else {
                (singular, s(v))
            }
        };
        NsgRule::from_ir(&obj(vec![
            ("name", s(&format!("r{prio}"))),
            (
                "properties",
                obj(vec![
                    ("direction", s(dir)),
                    ("access", s(access)),
                    ("priority", Node::new(Value::Number(prio as f64), sp())),
                    ("protocol", s(proto)),
                    field("sourceAddressPrefix", "sourceAddressPrefixes", src),
                    field("sourcePortRange", "sourcePortRanges", sports),
                    field(
                        "destinationAddressPrefix",
                        "destinationAddressPrefixes",
                        dst,
                    ),
                    field("destinationPortRange", "destinationPortRanges", ports),
                ]),
            ),
        ]))
    }

    /// A source-only comparison: both rules inbound, `*` protocol, destination and ports.
    fn src(a: &str, b: &str) -> Tri {
        shadows(
            &r("Inbound", "Allow", 100, "*", a, "*", "*"),
            &r("Inbound", "Deny", 200, "*", b, "*", "*"),
            None,
        )
    }
    fn dst(a: &str, b: &str) -> Tri {
        shadows(
            &r("Inbound", "Allow", 100, "*", "*", a, "*"),
            &r("Inbound", "Deny", 200, "*", "*", b, "*"),
            None,
        )
    }
    fn dports(a: &str, b: &str) -> Tri {
        shadows(
            &r("Inbound", "Allow", 100, "*", "*", "*", a),
            &r("Inbound", "Deny", 200, "*", "*", "*", b),
            None,
        )
    }
    fn sports(a: &str, b: &str) -> Tri {
        shadows(
            &rs("Inbound", "Allow", 100, "*", "*", a, "*", "*"),
            &rs("Inbound", "Deny", 200, "*", "*", b, "*", "*"),
            None,
        )
    }
    fn proto(a: &str, b: &str) -> Tri {
        shadows(
            &r("Inbound", "Allow", 100, a, "*", "*", "*"),
            &r("Inbound", "Deny", 200, b, "*", "*", "*"),
            None,
        )
    }

    #[test]
    fn spec_examples() {
        // NET003 ✗: the Allow of everything on 22 takes the later Deny of Internet on 22.
        let a = r("Inbound", "Allow", 150, "*", "*", "*", "22");
        let b = r("Inbound", "Deny", 200, "*", "Internet", "*", "22");
        assert_eq!(shadows(&a, &b, None), Yes);
        // ✓ swapped: Internet does not contain `*`.
        assert_eq!(shadows(&b, &a, None), No);
    }

    /// Rows: A's prefix; columns: B's prefix. Every address kind against every other.
    #[test]
    fn address_kinds_table() {
        let kinds = [
            "*",
            "Any",
            "Internet",
            "VirtualNetwork",
            "AzureLoadBalancer",
            "Storage",
            "Storage.westeurope",
            "Storage.northeurope",
            "AzureCloud",
            "AzureCloud.westeurope",
            "0.0.0.0/0",
            "0.0.0.0",
            "::/0",
            "10.0.0.0/8",
            "10.1.0.0/16",
            "20.0.0.0/8",
            "20.1.2.3",
            "2001:db8::/32",
            "?",
        ];
        #[rustfmt::skip]
        let expected: [[Tri; 19]; 19] = [
            // B:   *    Any  Inet VNet ALB  Stor St.we St.ne ACld AC.we 0/0  0.0.0.0 ::/0 10/8 10.1 20/8 20.1.2.3 v6  ?
            /* *     */ [Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes],
            /* Any   */ [Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes],
            /* Inet  */ [No, No, Yes, No, No, Yes, Yes, Yes, Yes, Yes, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* VNet  */ [No, No, No, Yes, No, No, No, No, No, No, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown],
            /* ALB   */ [No, No, No, No, Yes, No, No, No, No, No, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* Stor  */ [No, No, No, No, No, Yes, Yes, Yes, No, No, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* St.we */ [No, No, No, No, No, Unknown, Yes, No, No, No, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* St.ne */ [No, No, No, No, No, Unknown, No, Yes, No, No, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* ACld  */ [No, No, No, No, No, Yes, Yes, Yes, Yes, Yes, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* AC.we */ [No, No, No, No, No, Unknown, Yes, No, Unknown, Yes, Unknown, Unknown, Unknown, No, No, Unknown, Unknown, Unknown, Unknown],
            /* 0/0   */ [No, No, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, No, Yes, Yes, Yes, Yes, No, Unknown],
            /* 0.0.0.0 */ [No, No, Yes, Unknown, Unknown, Yes, Yes, Yes, Yes, Yes, Unknown, Yes, No, No, No, No, No, No, Unknown],
            /* ::/0  */ [No, No, Yes, Yes, Yes, Yes, Yes, Yes, Yes, Yes, No, No, Yes, No, No, No, No, Yes, Unknown],
            /* 10/8  */ [No, No, No, Unknown, Unknown, No, No, No, No, No, Unknown, No, No, Yes, Yes, No, No, No, Unknown],
            /* 10.1  */ [No, No, No, Unknown, Unknown, No, No, No, No, No, Unknown, No, No, Unknown, Yes, No, No, No, Unknown],
            /* 20/8  */ [No, No, No, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, No, No, No, No, Yes, Yes, No, Unknown],
            /* 20.1.2.3 */ [No, No, No, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, No, No, No, No, Unknown, Yes, No, Unknown],
            /* v6    */ [No, No, No, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, No, No, Unknown, No, No, No, No, Yes, Unknown],
            /* ?     */ [Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown],
        ];
        for (i, a) in kinds.iter().enumerate() {
            for (j, b) in kinds.iter().enumerate() {
                assert_eq!(src(a, b), expected[i][j], "source: {a} covers {b}?");
                assert_eq!(dst(a, b), expected[i][j], "destination: {a} covers {b}?");
            }
        }
    }

    #[test]
    fn plural_fields_each_entry_covered_by_some_entry() {
        assert_eq!(
            src("10.0.0.0/8|192.168.0.0/16", "10.1.0.0/16|192.168.1.0/24"),
            Yes
        );
        assert_eq!(src("10.0.0.0/8", "10.1.0.0/16|192.168.1.0/24"), No);
        // The union of two halves is not computed: each half only partly covers B.
        assert_eq!(src("10.0.0.0/9|10.128.0.0/9", "10.0.0.0/8"), Unknown);
        assert_eq!(
            src("Internet|VirtualNetwork", "VirtualNetwork|Storage"),
            Yes
        );
        assert_eq!(src("*", "10.0.0.0/8|?"), Yes);
        assert_eq!(src("10.0.0.0/8", "10.0.0.0/8|?"), Unknown);
        assert_eq!(src("192.168.0.0/16", "10.0.0.0/8|?"), No);
    }

    #[test]
    fn broad_prefix_option_reads_public_ranges_as_the_internet() {
        let a = r("Inbound", "Allow", 100, "*", "20.0.0.0/8", "*", "*");
        let b = r("Inbound", "Deny", 200, "*", "Internet", "*", "*");
        assert_eq!(shadows(&a, &b, None), No);
        assert_eq!(shadows(&a, &b, Some(8)), Yes);
        assert_eq!(shadows(&a, &b, Some(7)), No);
    }

    #[test]
    fn destination_ports() {
        let cases = [
            ("*", "*", Yes),
            ("*", "0", Yes),
            ("*", "65535", Yes),
            ("0-65535", "*", Yes),
            ("1-65535", "*", No),
            ("0-65534", "*", No),
            ("0", "0", Yes),
            ("0", "0-1", No),
            ("65535", "65535", Yes),
            ("65534-65535", "65535", Yes),
            ("22", "22", Yes),
            ("22", "23", No),
            ("20-25", "22", Yes),
            ("20-25", "22-25", Yes),
            ("20-25", "20-26", No),
            ("20-25", "19-21", No),
            ("22", "20-25", No),
            ("20-22|23-25", "21-24", Yes),
            ("20-22|24-25", "21-24", No),
            ("80|443", "443", Yes),
            ("80|443", "80|443", Yes),
            ("80|443", "80|8443", No),
            ("1000-2000|1500-3000", "1200-2800", Yes),
            ("21,22", "22", Yes),
            ("abc", "22", Unknown),
            ("22", "abc", Unknown),
            ("*", "abc", Yes),
            ("?", "22", Unknown),
            ("*", "?", Yes),
        ];
        for (a, b, want) in cases {
            assert_eq!(dports(a, b), want, "{a} ⊇ {b}");
        }
    }

    #[test]
    fn source_ports() {
        assert_eq!(sports("*", "1024-65535"), Yes);
        assert_eq!(sports("1024-65535", "*"), No);
        assert_eq!(sports("1024-65535", "2000-3000"), Yes);
        assert_eq!(sports("80", "80"), Yes);
        assert_eq!(sports("80", "81"), No);
        assert_eq!(sports("70000", "80"), Unknown);
    }

    #[test]
    fn protocols() {
        let all = ["*", "Tcp", "Udp", "Icmp", "Esp", "Ah"];
        for a in all {
            for b in all {
                let want = Tri::from_bool(a == "*" || a == b);
                assert_eq!(proto(a, b), want, "{a} ⊇ {b}");
            }
        }
        assert_eq!(proto("TCP", "tcp"), Yes);
        assert_eq!(proto("Any", "Udp"), Unknown);
        assert_eq!(proto("gre", "Tcp"), Unknown);
        assert_eq!(proto("Tcp", "gre"), Unknown);
        assert_eq!(proto("*", "gre"), Yes);
    }

    #[test]
    fn direction_must_match() {
        let a = r("Inbound", "Allow", 100, "*", "*", "*", "*");
        let out = r("Outbound", "Deny", 200, "*", "*", "*", "*");
        let unknown = r("sideways", "Deny", 200, "*", "*", "*", "*");
        assert_eq!(out.direction, Some(Direction::Outbound));
        assert_eq!(shadows(&a, &out, None), No);
        assert_eq!(shadows(&a, &unknown, None), Unknown);
        assert_eq!(shadows(&a, &a, None), Yes);
    }

    #[test]
    fn one_dimension_not_covered_is_enough() {
        let b = r("Inbound", "Deny", 200, "Tcp", "Internet", "10.0.0.4", "22");
        for a in [
            r("Inbound", "Allow", 100, "Udp", "*", "*", "*"),
            r("Inbound", "Allow", 100, "*", "VirtualNetwork", "*", "*"),
            r("Inbound", "Allow", 100, "*", "*", "10.0.1.0/24", "*"),
            r("Inbound", "Allow", 100, "*", "*", "*", "3389"),
            rs("Inbound", "Allow", 100, "*", "*", "1024-65535", "*", "*"),
        ] {
            assert_eq!(shadows(&a, &b, None), No);
        }
        let a = r(
            "Inbound",
            "Allow",
            100,
            "Tcp",
            "Internet",
            "10.0.0.0/16",
            "20-25",
        );
        assert_eq!(shadows(&a, &b, None), Yes);
        // An unknown dimension and a failing one: No wins.
        let a = r("Inbound", "Allow", 100, "Udp", "?", "*", "*");
        assert_eq!(shadows(&a, &b, None), No);
        let a = r("Inbound", "Allow", 100, "Tcp", "?", "*", "*");
        assert_eq!(shadows(&a, &b, None), Unknown);
    }

    #[test]
    fn absent_fields_read_as_any() {
        let a = NsgRule::from_ir(&obj(vec![(
            "properties",
            obj(vec![
                ("direction", s("Inbound")),
                ("access", s("Allow")),
                ("priority", s("100")),
                ("protocol", s("*")),
            ]),
        )]));
        let b = r("Inbound", "Deny", 200, "Tcp", "Internet", "*", "22");
        assert_eq!(shadows(&a, &b, None), Yes);
        assert_eq!(shadows(&b, &a, None), No);
    }

    #[test]
    fn pairs_follow_priority_skip_ties_and_unresolved() {
        let mut unresolved = r("Inbound", "Allow", 1, "*", "*", "*", "*");
        unresolved.priority = None;
        let rules = vec![
            r("Inbound", "Deny", 200, "*", "Internet", "*", "22"),
            r("Inbound", "Allow", 150, "*", "*", "*", "22"),
            // Same priority as the allow of everything: a tie group, never paired.
            r("Inbound", "Deny", 150, "Tcp", "Internet", "*", "22"),
            // Covered by 150 and by 200: the first shadowing rule is named.
            r("Inbound", "Deny", 300, "Tcp", "Internet", "*", "22"),
            // Only partly covered: port 23 is not in 150's range.
            r("Inbound", "Deny", 400, "*", "*", "*", "22-23"),
            // Another direction.
            r("Outbound", "Deny", 500, "*", "*", "*", "22"),
            unresolved,
        ];
        let found = shadowed_pairs(&rules, None);
        assert_eq!(found.pairs, vec![(0, 1), (3, 1)]);
        assert_eq!(found.stopped, None);
        // With room for the comparisons of the first three rules in priority order only (150,
        // 150, 200: 0 + 1 + 2), the fourth of the six with a priority (300) is not checked.
        let found = shadowed_pairs_within(&rules, None, 3);
        assert_eq!(found.pairs, vec![(0, 1)]);
        assert_eq!(found.stopped, Some((3, 6)));
    }
}
