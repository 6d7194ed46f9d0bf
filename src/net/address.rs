//! Address prefixes of NSG rules, the probes they are tested against, and `contains` (§1.3).

use crate::tri::Tri;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::IpAddr;

/// An address prefix as written in a rule's source or destination field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prefix {
    /// `*` or `Any`.
    Any,
    Internet,
    VirtualNetwork,
    /// A CIDR; a bare IP is a /32 or /128. `bare_zero` marks the literal `0.0.0.0`, which is
    /// internet-equivalent for the Internet probe (D22) but a single host otherwise.
    Cidr {
        net: IpNet,
        bare_zero: bool,
    },
    /// A service tag other than the three above, lowercased, aliases mapped (D3), with its region.
    Tag {
        name: String,
        region: Option<String>,
    },
    /// An application security group, an unresolved value or a malformed prefix.
    Unknown,
}

/// An IP address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn of(net: &IpNet) -> Family {
        match net {
            IpNet::V4(_) => Family::V4,
            IpNet::V6(_) => Family::V6,
        }
    }
    /// `IPv4` or `IPv6`, as Azure writes them.
    pub fn label(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
    pub fn other(self) -> Family {
        match self {
            Family::V4 => Family::V6,
            Family::V6 => Family::V4,
        }
    }
}

/// What a prefix is tested against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// An arbitrary internet host.
    Internet,
    /// An arbitrary internet host of one address family: the Internet probe of a workload known
    /// to be reachable over IPv6 runs once per family (D34).
    InternetOver(Family),
    /// A service tag, e.g. `Storage.westeurope`; lowercased, aliases mapped.
    Service {
        name: String,
        region: Option<String>,
    },
    /// A CIDR; `in_vnet` marks the workload subnet's own prefix (the subnet probe).
    Address { net: IpNet, in_vnet: bool },
    /// `VirtualNetwork` (also the subnet probe when the subnet prefix is unknown).
    VirtualNetwork,
    /// `*` read as a probe in shadowing checks: only `*`/`Any` contain it.
    Any,
    /// The value of a destination that batchguard cannot know (an unresolved parameter or
    /// variable), named by its expression text: whatever it is, a rule written with the same
    /// expression covers it, `*` covers it, and anything else may or may not (§1.5 item 6 reads
    /// the destination existentially).
    Opaque(String),
}

/// Dotted tag names that are not `<tag>.<region>`.
const UNREGIONED_DOTTED: &[&str] = &[
    "azurefrontdoor.frontend",
    "azurefrontdoor.backend",
    "azurefrontdoor.firstparty",
];

/// Canonical lowercase tag name and region, with the aliases of D3 mapped.
pub fn canonical_tag(raw: &str) -> (String, Option<String>) {
    let lower: String = raw.trim().to_ascii_lowercase();
    let lower = match lower.as_str() {
        "frontdoor.firstparty" => "azurefrontdoor.firstparty".to_string(),
        _ => lower,
    };
    if UNREGIONED_DOTTED.contains(&lower.as_str()) {
        return (lower, None);
    }
    let (name, region) = match lower.split_once('.') {
        Some((n, r)) => (n.to_string(), Some(r.replace(' ', ""))),
        None => (lower, None),
    };
    let name = if name == "keyvault" {
        "azurekeyvault".to_string()
    } else {
        name
    };
    (name, region)
}

/// Region as Azure compares it: lowercase, spaces removed (`West Europe` → `westeurope`).
pub fn canonical_region(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn parse_net(s: &str) -> Option<(IpNet, bool)> {
    if let Ok(net) = s.parse::<IpNet>() {
        return Some((net, false));
    }
    let ip: IpAddr = s.parse().ok()?;
    let net = match ip {
        IpAddr::V4(a) => IpNet::V4(Ipv4Net::new(a, 32).ok()?),
        IpAddr::V6(a) => IpNet::V6(Ipv6Net::new(a, 128).ok()?),
    };
    Some((net, s == "0.0.0.0"))
}

impl Prefix {
    /// Reads one prefix value. Returns `Unknown` for anything that is not a CIDR, IP, `*` or a
    /// plausible service tag name.
    pub fn parse(raw: &str) -> Prefix {
        let s = raw.trim();
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "*" | "any" => return Prefix::Any,
            "internet" => return Prefix::Internet,
            "virtualnetwork" | "virtual_network" => return Prefix::VirtualNetwork,
            "azure_loadbalancer" => {
                return Prefix::Tag {
                    name: "azureloadbalancer".into(),
                    region: None,
                }
            }
            _ => {}
        }
        if let Some((net, bare_zero)) = parse_net(s) {
            return Prefix::Cidr { net, bare_zero };
        }
        // A tag name is letters and digits; a region after a dot may be written as a location's
        // display name (`Storage.West Europe`, from a Terraform `location`), read without spaces.
        let (tag, region) = s.split_once('.').unwrap_or((s, ""));
        let plausible_tag = tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && tag.chars().all(|c| c.is_ascii_alphanumeric())
            && region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ' ');
        if plausible_tag {
            let (name, region) = canonical_tag(s);
            return Prefix::Tag { name, region };
        }
        Prefix::Unknown
    }

    /// Is this one of the values that mean "the whole internet" for the Internet probe (§1.3)?
    pub fn is_internet_equivalent(&self, broad_prefix_max: Option<u8>) -> bool {
        contains(self, &Probe::Internet, broad_prefix_max) == Tri::Yes
    }

    pub fn is_tag(&self) -> bool {
        matches!(
            self,
            Prefix::Internet | Prefix::VirtualNetwork | Prefix::Tag { .. }
        )
    }

    /// Reads this prefix as a probe, for shadowing checks (§1.3).
    pub fn as_probe(&self) -> Option<Probe> {
        Some(match self {
            Prefix::Any => Probe::Any,
            Prefix::Internet => Probe::Internet,
            Prefix::VirtualNetwork => Probe::VirtualNetwork,
            Prefix::Cidr { net, .. } => Probe::Address {
                net: *net,
                in_vnet: false,
            },
            Prefix::Tag { name, region } => Probe::Service {
                name: name.clone(),
                region: region.clone(),
            },
            Prefix::Unknown => return None,
        })
    }
}

impl Probe {
    pub fn service(tag: &str) -> Probe {
        let (name, region) = canonical_tag(tag);
        Probe::Service { name, region }
    }

    /// The Internet probes of a workload: one per address family when it is known to be
    /// reachable over IPv6 (D34), otherwise the single Internet probe of §1.3.
    pub fn internet(ipv6: bool) -> Vec<Probe> {
        if ipv6 {
            vec![
                Probe::InternetOver(Family::V4),
                Probe::InternetOver(Family::V6),
            ]
        } else {
            vec![Probe::Internet]
        }
    }

    /// The address family of a per-family Internet probe.
    pub fn family(&self) -> Option<Family> {
        match self {
            Probe::InternetOver(f) => Some(*f),
            _ => None,
        }
    }
}

fn is_zero_len(net: &IpNet) -> bool {
    net.prefix_len() == 0
}

/// RFC 1918, RFC 6598, IPv6 ULA, plus loopback and link-local: never public.
static PRIVATE: std::sync::LazyLock<Vec<IpNet>> = std::sync::LazyLock::new(|| {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    ]
    .iter()
    .map(|p| p.parse().expect("constant CIDR"))
    .collect()
});

pub fn is_private(net: &IpNet) -> bool {
    PRIVATE.iter().any(|p| p.contains(net))
}

fn is_public_tag(name: &str) -> bool {
    name != "virtualnetwork" && name != "azureloadbalancer"
}

fn cidr_vs_cidr(a: &IpNet, b: &IpNet) -> Tri {
    match (a, b) {
        (IpNet::V4(_), IpNet::V6(_)) | (IpNet::V6(_), IpNet::V4(_)) => Tri::No,
        _ if a.contains(b) => Tri::Yes,
        _ if b.contains(a) => Tri::Unknown, // partial overlap: some of the probe's hosts only
        _ => Tri::No,
    }
}

/// `contains(A, B)` of §1.3: does rule prefix `a` cover probe `b`?
pub fn contains(a: &Prefix, b: &Probe, broad_prefix_max: Option<u8>) -> Tri {
    use Tri::*;
    if let Probe::Opaque(_) = b {
        return if *a == Prefix::Any { Yes } else { Unknown };
    }
    match a {
        Prefix::Any => Yes,
        Prefix::Unknown => Unknown,
        Prefix::Internet => match b {
            Probe::Internet | Probe::InternetOver(_) => Yes,
            Probe::Service { name, .. } => Tri::from_bool(is_public_tag(name)),
            Probe::VirtualNetwork | Probe::Any | Probe::Opaque(_) => No,
            Probe::Address { net, in_vnet } => {
                if *in_vnet || is_private(net) {
                    No
                } else {
                    Unknown
                }
            }
        },
        Prefix::Cidr { net, bare_zero } => match b {
            Probe::Any | Probe::Opaque(_) => No,
            Probe::Internet | Probe::InternetOver(_) => {
                // A prefix of one family covers only that family's internet (D34).
                if b.family().is_some_and(|f| f != Family::of(net)) {
                    return No;
                }
                let whole = is_zero_len(net) || *bare_zero;
                let broad =
                    !is_private(net) && broad_prefix_max.is_some_and(|max| net.prefix_len() <= max);
                Tri::from_bool(whole || broad)
            }
            Probe::Service { name, .. } => {
                if is_zero_len(net) || (*bare_zero && is_public_tag(name)) {
                    Yes
                } else if is_private(net) && is_public_tag(name) {
                    No
                } else {
                    Unknown
                }
            }
            Probe::Address { net: bn, .. } => cidr_vs_cidr(net, bn),
            Probe::VirtualNetwork => {
                if is_zero_len(net) {
                    Yes
                } else {
                    Unknown
                }
            }
        },
        Prefix::VirtualNetwork => match b {
            Probe::VirtualNetwork => Yes,
            Probe::Address { in_vnet: true, .. } => Yes,
            Probe::Address { .. } => Unknown,
            Probe::Service { name, .. } if name == "virtualnetwork" => Yes,
            _ => No,
        },
        Prefix::Tag { name, region } => {
            let other_tag = |b: &Probe| match b {
                Probe::Address {
                    net,
                    in_vnet: false,
                } if !is_private(net) => Unknown,
                _ => No,
            };
            if name == "azurecloud" {
                if let Probe::Service {
                    name: bn,
                    region: br,
                } = b
                {
                    if !is_public_tag(bn) {
                        return No;
                    }
                    return match (region, br) {
                        (None, _) => Yes,
                        (Some(r), Some(r2)) => Tri::from_bool(r == r2),
                        (Some(_), None) => Unknown,
                    };
                }
                return other_tag(b);
            }
            match b {
                Probe::Service {
                    name: bn,
                    region: br,
                } if bn == name => match (region, br) {
                    (None, _) => Yes,
                    (Some(r), Some(r2)) => Tri::from_bool(r == r2),
                    (Some(_), None) => Unknown,
                },
                _ => other_tag(b),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::*;
    use super::*;

    fn c(a: &str, b: &Probe) -> Tri {
        contains(&Prefix::parse(a), b, None)
    }
    fn addr(s: &str) -> Probe {
        Probe::Address {
            net: s.parse().unwrap(),
            in_vnet: false,
        }
    }

    #[test]
    fn internet_equivalents() {
        for s in [
            "*",
            "Any",
            "any",
            "Internet",
            "INTERNET",
            "0.0.0.0/0",
            "0.0.0.0",
            "::/0",
            "10.0.0.0/0",
        ] {
            assert_eq!(c(s, &Probe::Internet), Yes, "{s}");
        }
        for s in [
            "10.0.0.0/8",
            "VirtualNetwork",
            "AzureLoadBalancer",
            "203.0.113.0/24",
            "0.0.0.0/1",
            "Storage",
        ] {
            assert_eq!(c(s, &Probe::Internet), No, "{s}");
        }
    }

    #[test]
    fn internet_probes_per_family() {
        let v4 = Probe::InternetOver(Family::V4);
        let v6 = Probe::InternetOver(Family::V6);
        // (prefix, IPv4 probe, IPv6 probe)
        for (s, four, six) in [
            ("*", Yes, Yes),
            ("Any", Yes, Yes),
            ("Internet", Yes, Yes),
            ("0.0.0.0/0", Yes, No),
            ("0.0.0.0", Yes, No),
            ("10.0.0.0/0", Yes, No),
            ("::/0", No, Yes),
            ("2001:db8::/0", No, Yes),
            ("203.0.113.0/24", No, No),
            ("2001:db8::/32", No, No),
            ("fd00::/8", No, No),
            ("VirtualNetwork", No, No),
            ("Storage", No, No),
            ("not a prefix!", Unknown, Unknown),
        ] {
            assert_eq!((c(s, &v4), c(s, &v6)), (four, six), "{s}");
            // The single probe is either family.
            assert_eq!(c(s, &Probe::Internet), four.or(six), "{s}");
        }
        // `broad_prefix_max` applies within the family.
        let p = Prefix::parse("2000::/3");
        assert_eq!(contains(&p, &v6, Some(8)), Yes);
        assert_eq!(contains(&p, &v4, Some(8)), No);
        assert_eq!(Probe::internet(false), vec![Probe::Internet]);
        assert_eq!(Probe::internet(true), vec![v4, v6]);
    }

    #[test]
    fn service_tags_have_no_spaces_but_their_regions_may() {
        assert_eq!(Prefix::parse("abc def"), Prefix::Unknown);
        assert_eq!(Prefix::parse("Azure Cloud"), Prefix::Unknown);
        assert_eq!(Prefix::parse("Storage-West"), Prefix::Unknown);
        assert_eq!(
            Prefix::parse("Storage.West Europe"),
            Prefix::Tag {
                name: "storage".into(),
                region: Some("westeurope".into())
            }
        );
        assert_eq!(
            Prefix::parse("AzureMachineLearning"),
            Prefix::Tag {
                name: "azuremachinelearning".into(),
                region: None
            }
        );
    }

    #[test]
    fn broad_prefix_option_only_for_public_ranges() {
        let p = Prefix::parse("64.0.0.0/4");
        assert_eq!(contains(&p, &Probe::Internet, Some(8)), Yes);
        assert_eq!(contains(&p, &Probe::Internet, None), No);
        assert_eq!(
            contains(&Prefix::parse("10.0.0.0/8"), &Probe::Internet, Some(8)),
            No
        );
    }

    #[test]
    fn cidr_containment_and_families() {
        assert_eq!(c("10.0.0.0/8", &addr("10.1.0.0/16")), Yes);
        assert_eq!(c("10.1.0.0/16", &addr("10.0.0.0/8")), Unknown);
        assert_eq!(c("10.0.0.0/8", &addr("192.168.0.0/16")), No);
        assert_eq!(
            c("0.0.0.0", &addr("10.0.0.1/32")),
            No,
            "bare 0.0.0.0 is a single host (D22)"
        );
        assert_eq!(c("0.0.0.0/0", &addr("2001:db8::/32")), No);
        assert_eq!(c("::/0", &addr("2001:db8::/32")), Yes);
        assert_eq!(c("10.0.0.5", &addr("10.0.0.5/32")), Yes);
    }

    #[test]
    fn tags_and_regions() {
        assert_eq!(c("Storage", &Probe::service("Storage.westeurope")), Yes);
        assert_eq!(
            c("Storage.WestEurope", &Probe::service("Storage.westeurope")),
            Yes
        );
        assert_eq!(
            c("Storage.westeurope", &Probe::service("Storage.northeurope")),
            No
        );
        assert_eq!(c("Storage.westeurope", &Probe::service("Storage")), Unknown);
        assert_eq!(
            c(
                "Keyvault.westeurope",
                &Probe::service("AzureKeyVault.westeurope")
            ),
            Yes
        );
        assert_eq!(
            c(
                "Frontdoor.FirstParty",
                &Probe::service("AzureFrontDoor.FirstParty")
            ),
            Yes
        );
        assert_eq!(
            c(
                "AzureFrontDoor.FrontEnd",
                &Probe::service("AzureFrontDoor.Frontend")
            ),
            Yes
        );
        assert_eq!(c("AzureCloud", &Probe::service("Storage")), Yes);
        assert_eq!(
            c(
                "AzureCloud.westeurope",
                &Probe::service("Storage.westeurope")
            ),
            Yes
        );
        assert_eq!(
            c("AzureCloud.westeurope", &Probe::service("Storage.eastus")),
            No
        );
        assert_eq!(c("Storage", &addr("20.0.0.0/8")), Unknown);
        assert_eq!(c("Storage", &addr("10.0.0.0/8")), No);
        assert_eq!(c("Internet", &Probe::service("Storage")), Yes);
        assert_eq!(c("Internet", &Probe::VirtualNetwork), No);
        assert_eq!(c("Internet", &addr("20.1.2.3/32")), Unknown);
        assert_eq!(c("VirtualNetwork", &Probe::VirtualNetwork), Yes);
        assert_eq!(c("VirtualNetwork", &Probe::Internet), No);
        assert_eq!(c("0.0.0.0/0", &Probe::VirtualNetwork), Yes);
        assert_eq!(c("10.0.0.0/8", &Probe::VirtualNetwork), Unknown);
        assert_eq!(c("10.0.0.0/8", &Probe::service("Storage")), No);
        assert_eq!(c("20.0.0.0/8", &Probe::service("Storage")), Unknown);
    }

    #[test]
    fn unknown_and_any() {
        assert_eq!(c("not a prefix!", &Probe::Internet), Unknown);
        assert_eq!(c("*", &Probe::Any), Yes);
        assert_eq!(c("Internet", &Probe::Any), No);
        assert_eq!(c("0.0.0.0/0", &Probe::Any), No);
    }
}
