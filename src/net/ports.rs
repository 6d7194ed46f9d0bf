//! Port sets and protocols (§1.4).

use crate::tri::Tri;

/// A set of ports as inclusive ranges, kept sorted and merged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PortSet {
    ranges: Vec<(u32, u32)>,
}

pub const ALL_PORTS: (u32, u32) = (0, 65535);
/// The ephemeral source ports of every probe.
pub const EPHEMERAL: (u32, u32) = (1024, 65535);

impl PortSet {
    pub fn all() -> PortSet {
        PortSet {
            ranges: vec![ALL_PORTS],
        }
    }
    pub fn single(p: u32) -> PortSet {
        PortSet {
            ranges: vec![(p, p)],
        }
    }
    pub fn range(a: u32, b: u32) -> PortSet {
        PortSet {
            ranges: vec![(a, b)],
        }
    }
    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.ranges
    }
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn add(&mut self, (a, b): (u32, u32)) {
        self.ranges.push((a, b));
        self.ranges.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(self.ranges.len());
        for &(s, e) in &self.ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1.saturating_add(1) => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.ranges = merged;
    }
    pub fn union(&mut self, other: &PortSet) {
        for r in &other.ranges {
            self.add(*r);
        }
    }

    pub fn contains_port(&self, p: u32) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= p && p <= b)
    }
    /// Every port of `(a, b)` is in the set.
    pub fn covers_range(&self, (a, b): (u32, u32)) -> bool {
        self.ranges.iter().any(|&(s, e)| s <= a && b <= e)
    }
    /// Every port of `other` is in the set.
    pub fn covers(&self, other: &PortSet) -> bool {
        other.ranges.iter().all(|r| self.covers_range(*r))
    }
    pub fn overlaps(&self, other: &PortSet) -> bool {
        self.ranges
            .iter()
            .any(|&(a, b)| other.ranges.iter().any(|&(c, d)| a <= d && c <= b))
    }
}

/// Parses one port value: `*`, `N` or `A-B` (0–65535, A ≤ B). `None` when malformed.
pub fn parse_port_range(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    if s == "*" {
        return Some(ALL_PORTS);
    }
    let num = |t: &str| -> Option<u32> {
        let t = t.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 5 {
            return None;
        }
        t.parse().ok().filter(|n| *n <= 65535)
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (num(a)?, num(b)?);
            (a <= b).then_some((a, b))
        }
        None => num(s).map(|n| (n, n)),
    }
}

/// Protocols of NSG rules, Batch NAT pools and load-balancer NAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    Esp,
    Ah,
    /// `*`: every protocol.
    Any,
}

impl Protocol {
    /// An NSG rule's protocol, as the network API accepts it (case-insensitively). `Any` and `All`
    /// name every protocol elsewhere (network manager admin rules, load balancers), not in an
    /// NSG rule, which Azure rejects with them.
    pub fn parse(s: &str) -> Option<Protocol> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "icmp" => Protocol::Icmp,
            "esp" => Protocol::Esp,
            "ah" => Protocol::Ah,
            "*" => Protocol::Any,
            _ => return None,
        })
    }
    pub fn contains(self, probe: Protocol) -> Tri {
        Tri::from_bool(self == Protocol::Any || self == probe)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Icmp => "ICMP",
            Protocol::Esp => "ESP",
            Protocol::Ah => "AH",
            Protocol::Any => "*",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_port_forms_and_edges() {
        assert_eq!(parse_port_range("*"), Some((0, 65535)));
        assert_eq!(parse_port_range("0"), Some((0, 0)));
        assert_eq!(parse_port_range("65535"), Some((65535, 65535)));
        assert_eq!(parse_port_range(" 20-25 "), Some((20, 25)));
        assert_eq!(parse_port_range("65536"), None);
        assert_eq!(parse_port_range("25-20"), None);
        assert_eq!(parse_port_range("-1"), None);
        assert_eq!(parse_port_range("ssh"), None);
        assert_eq!(parse_port_range(""), None);
        assert_eq!(parse_port_range("22,23"), None);
    }

    #[test]
    fn sets_merge_and_cover() {
        let mut s = PortSet::default();
        s.add((20, 22));
        s.add((23, 30));
        s.add((1000, 2000));
        assert_eq!(s.ranges(), &[(20, 30), (1000, 2000)]);
        assert!(s.contains_port(22));
        assert!(!s.contains_port(31));
        assert!(s.covers(&PortSet::range(21, 29)));
        assert!(!s.covers(&PortSet::range(25, 1500)));
        assert!(s.overlaps(&PortSet::range(25, 1500)));
        assert!(PortSet::all().covers_range(EPHEMERAL));
        assert!(!PortSet::range(1024, 2000).covers_range(EPHEMERAL));
    }

    #[test]
    fn protocols() {
        assert_eq!(Protocol::parse("*"), Some(Protocol::Any));
        assert_eq!(Protocol::parse("TCP"), Some(Protocol::Tcp));
        assert_eq!(Protocol::parse("All"), None);
        assert_eq!(Protocol::parse("Any"), None);
        assert_eq!(Protocol::parse("gre"), None);
        assert_eq!(Protocol::Any.contains(Protocol::Udp), crate::tri::Tri::Yes);
        assert_eq!(Protocol::Udp.contains(Protocol::Tcp), crate::tri::Tri::No);
    }
}
