//! Helpers shared by the Batch pool rules: API versions, OS detection and the NAT pools of a
//! pool (spec §4, §1.11).

use crate::ir::{Member, Node, Resource, Span, Syntax, Value};
use crate::rules::query::{prop, Prop};

pub use crate::rules::query::exposure::{is_public, NC};

/// An API version reduced to its date, `YYYYMMDD`. A `-preview` suffix compares as its date.
pub type ApiDate = u32;

/// Builds an [`ApiDate`] from its parts (for readable constants).
pub const fn date(y: u32, m: u32, d: u32) -> ApiDate {
    y * 10000 + m * 100 + d
}

/// The Batch API version the azurerm provider (4.x, 5.x) speaks (D8).
pub const AZURERM_BATCH_API: ApiDate = date(2024, 7, 1);

/// Parses `YYYY-MM-DD` or `YYYY-MM-DD-preview` (any suffix after the date, e.g. `-beta`, is
/// read as a pre-release of that date). `None` when the text has another form.
pub fn parse_api_version(s: &str) -> Option<ApiDate> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && (b[10] != b'-' || b.len() == 11) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = &s[r];
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(date(y, m, d))
}

/// The pool's API version as written (ARM `apiVersion`, azapi `type` suffix); `None` for
/// azurerm and when unknown.
pub fn api_date(r: &Resource) -> Option<ApiDate> {
    r.api_version.as_deref().and_then(parse_api_version)
}

/// The API version the pool is created with: as written for ARM and azapi, the provider's for
/// azurerm (D8).
pub fn effective_api_date(r: &Resource) -> Option<ApiDate> {
    match r.syntax {
        Syntax::Azurerm => Some(AZURERM_BATCH_API),
        _ => api_date(r),
    }
}

/// `YYYY-MM-DD` for messages.
pub fn show_date(d: ApiDate) -> String {
    format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100)
}

/// Whether a pool's nodes take OS upgrades automatically.
pub const AUTO_OS_UPGRADE: [&str; 4] = [
    "properties",
    "upgradePolicy",
    "automaticOSUpgradePolicy",
    "enableAutomaticOSUpgrade",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Windows,
    Linux,
    Unknown,
}

const VMC: [&str; 4] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "",
];

fn vmc(leaf: &str) -> [&str; 4] {
    let mut p = VMC;
    p[3] = leaf;
    p
}

/// The pool's operating system (§4): Windows when `windowsConfiguration` is present, the node
/// agent SKU starts with `batch.node.windows` or the image publisher is
/// `MicrosoftWindowsServer`; Linux for any other `batch.node.*` SKU; otherwise unknown.
pub fn pool_os(pool: &Resource) -> Os {
    let mut windows_unknown = false;
    match prop(pool, &vmc("windowsConfiguration")) {
        Prop::Known(_) => return Os::Windows,
        Prop::Unknown => windows_unknown = true,
        Prop::Absent => {}
    }
    let publisher_path = [VMC[0], VMC[1], VMC[2], "imageReference", "publisher"];
    match prop(pool, &publisher_path) {
        Prop::Known(m) => match m.value.as_str() {
            Some(p) if p.trim().eq_ignore_ascii_case("MicrosoftWindowsServer") => {
                return Os::Windows
            }
            Some(_) => {}
            None => windows_unknown = true,
        },
        Prop::Unknown => windows_unknown = true,
        Prop::Absent => {}
    }
    let sku = match prop(pool, &vmc("nodeAgentSkuId")) {
        Prop::Known(m) => m.value.as_str().map(|s| s.trim().to_ascii_lowercase()),
        _ => None,
    };
    match sku {
        Some(s) if s.starts_with("batch.node.windows") => Os::Windows,
        Some(s) if s.starts_with("batch.node.") && !windows_unknown => Os::Linux,
        _ => Os::Unknown,
    }
}

/// The NAT pools of a pool: `None` when they cannot be known, an empty slice when there are none.
pub fn nat_pools(pool: &Resource) -> Option<&[Node]> {
    match prop(
        pool,
        &[NC[0], NC[1], "endpointConfiguration", "inboundNatPools"],
    ) {
        Prop::Absent => Some(&[]),
        Prop::Known(m) => match &m.value.value {
            Value::Array(items) => Some(items),
            _ => None,
        },
        Prop::Unknown => None,
    }
}

/// A member of a NAT pool or endpoint rule (being replaced by [`super::lookup`]).
pub fn field<'a>(node: &'a Node, key: &str) -> Prop<'a> {
    super::lookup(node, &[key])
}

/// Where a list element (NAT pool, endpoint rule) is pointed at as a whole: its `name` member,
/// or the element itself.
pub fn element_anchor(node: &Node) -> Span {
    node.member("name").map_or(node.span, Member::span)
}

/// The NAT pool's name for messages.
pub fn nat_name(nat: &Node) -> String {
    nat.get("name")
        .and_then(|n| n.as_str())
        .map_or_else(|| "?".to_string(), str::to_string)
}

/// A string that is really an unevaluated expression (ARM `[...]`, Terraform `${...}`) and so
/// must not be judged.
pub fn looks_like_expression(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('[') && t.ends_with(']') && !t.starts_with("[[")) || t.contains("${")
}

/// Collects one rule's findings on one pool, each message naming the pool.
pub struct PoolFindings<'a> {
    pub meta: &'static crate::rules::RuleMeta,
    pub pool: &'a Resource,
    pub out: &'a mut Vec<crate::findings::Finding>,
}

impl PoolFindings<'_> {
    /// Adds a finding `title: pool text. fix` at `span` and returns it for related locations.
    pub fn report(
        &mut self,
        span: Span,
        disc: String,
        text: String,
        fix: &str,
    ) -> &mut crate::findings::Finding {
        let meta = self.meta;
        let mut f = crate::rules::query::finding(
            meta,
            span,
            format!("{}: {} {text}. {fix}", meta.title, self.pool.display()),
        );
        f.discriminator = disc;
        self.out.push(f);
        self.out.last_mut().expect("just pushed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_parse_and_compare_by_date() {
        assert_eq!(parse_api_version("2024-07-01"), Some(20240701));
        assert_eq!(parse_api_version("2023-05-01-preview"), Some(20230501));
        assert_eq!(parse_api_version(" 2017-09-01 "), Some(20170901));
        assert!(parse_api_version("2024-07-01") > parse_api_version("2024-02-01"));
        assert!(parse_api_version("2024-06-30") < Some(date(2024, 7, 1)));
        for bad in [
            "",
            "2024",
            "2024-7-1",
            "2024-13-01",
            "2024-00-10",
            "24-07-01xx",
            "2024-07-01-",
            "2024-07-01preview",
            "abcd-ef-gh",
        ] {
            assert_eq!(parse_api_version(bad), None, "{bad}");
        }
        assert_eq!(show_date(date(2024, 7, 1)), "2024-07-01");
    }

    #[test]
    fn expressions_are_recognised() {
        assert!(looks_like_expression("[parameters('x')]"));
        assert!(looks_like_expression("${var.x}"));
        assert!(!looks_like_expression("[[literal]"));
        assert!(!looks_like_expression("10.0.0.0/8"));
    }
}
