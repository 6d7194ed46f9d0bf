//! Helpers shared by the Batch pool rules: API versions, OS detection and the NAT pools of a
//! pool (§4, §1.11).

use crate::findings::Message;
use crate::ir::{Api, Member, Node, Resource, Span, Value};
use crate::rules::checker::{quote, who, At, Checker, Reported};
use crate::rules::query::{lookup, Prop};

pub use crate::rules::query::exposure::is_public;

/// An API version reduced to its date, `YYYYMMDD`. A `-preview` suffix compares as its date.
pub type ApiDate = u32;

/// Builds an [`ApiDate`] from its parts (for readable constants).
pub const fn date(y: u32, m: u32, d: u32) -> ApiDate {
    y * 10000 + m * 100 + d
}

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

/// The API version the pool is created with: as written (ARM `apiVersion`, azapi `type`
/// suffix), or the one its syntax implies (the azurerm provider's Batch API, D8).
pub fn effective_api_date(r: &Resource) -> Option<ApiDate> {
    r.api().and_then(|a| parse_api_version(a.version))
}

/// The API version for messages: "API version 2023-05-01" when written, or who implies it,
/// e.g. "the azurerm provider's Batch API 2024-07-01".
pub fn api_text(api: &Api) -> String {
    match api.implied_by {
        Some(by) => format!("{by} {}", api.version),
        // As written: a preview (`2025-06-01-preview`) is named as one.
        None => format!("API version {}", api.version.trim()),
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
    match lookup(&pool.body, &vmc("windowsConfiguration")) {
        Prop::Known(_) => return Os::Windows,
        Prop::Unknown => windows_unknown = true,
        Prop::Absent => {}
    }
    let publisher_path = [VMC[0], VMC[1], VMC[2], "imageReference", "publisher"];
    match lookup(&pool.body, &publisher_path) {
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
    let sku = match lookup(&pool.body, &vmc("nodeAgentSkuId")) {
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
    match lookup(&pool.body, &INBOUND_NAT_POOLS) {
        Prop::Absent => Some(&[]),
        Prop::Known(m) => match &m.value.value {
            Value::Array(items) => Some(items),
            _ => None,
        },
        Prop::Unknown => None,
    }
}

/// Where a list element (NAT pool, endpoint rule) is pointed at as a whole: its `name` member,
/// or the element itself.
pub fn element_anchor(node: &Node) -> Span {
    node.member("name").map_or(node.span, Member::span)
}

/// The NAT pool's name for discriminators and related locations.
pub fn nat_name(nat: &Node) -> &str {
    nat.get("name").and_then(|n| n.as_str()).unwrap_or("?")
}

/// "NAT pool 'name'" with the name quoted where it is written.
pub fn nat_pool(nat: &Node) -> Message {
    Message::new()
        .text("NAT pool '")
        .append(quoted_name(nat))
        .text("'")
}

/// A list element's name (NAT pool, user account) quoted in a message where it is written, or
/// `?` when it has none.
pub fn quoted_name(node: &Node) -> Message {
    match node.get("name") {
        Some(n) if n.as_str().is_some() => quote(n),
        _ => Message::new().text("?"),
    }
}

/// A value quoted in a message as the text shows it: a string in double quotes, a number or
/// boolean as written; what is not a scalar in prose ("a list").
pub fn shown(n: &Node) -> Message {
    match &n.value {
        Value::String(_) => Message::new().text("\"").append(quote(n)).text("\""),
        Value::Number(_) | Value::Bool(_) => quote(n),
        Value::Array(_) => Message::new().text("a list"),
        Value::Object(_) => Message::new().text("an object"),
        Value::Null => Message::new().text("null"),
        Value::Unknown(_) => Message::new().text("an unknown value"),
    }
}

/// A string that is really an unevaluated expression (ARM `[...]`, Terraform `${...}`) and so
/// must not be judged.
pub fn looks_like_expression(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('[') && t.ends_with(']') && !t.starts_with("[[")) || t.contains("${")
}

/// Reports `who text. fix` on a pool at `at`: the message of the pool constraint rules, each
/// naming the pool and then what is wrong with one of its NAT pools or endpoint rules.
pub fn report_on_pool<'x>(
    cx: &'x mut Checker,
    pool: &Resource,
    at: Span,
    disc: String,
    text: Message,
    fix: &str,
) -> Reported<'x> {
    let says = Message::new()
        .text(who(pool))
        .text(" ")
        .append(text)
        .text(".")
        .help(fix);
    cx.report(At::span(pool, at), says).discriminator(disc)
}

/// The NAT pools of a pool.
pub const INBOUND_NAT_POOLS: [&str; 4] = [
    "properties",
    "networkConfiguration",
    "endpointConfiguration",
    "inboundNatPools",
];

/// The API 2017-09-01 capped endpoint rule priorities lower.
const OLD_ENDPOINT_API: ApiDate = date(2017, 9, 1);

/// The highest priority an endpoint rule may have with the pool's API version.
pub fn max_endpoint_priority(api: Option<ApiDate>) -> i64 {
    if api == Some(OLD_ENDPOINT_API) {
        3500
    } else {
        4096
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

    /// The findings of one rule on an ARM template, evaluated as written.
    fn run(rule: &str, path: &str, text: &str) -> Vec<crate::findings::Finding> {
        use crate::frontend::arm;
        use crate::rules::{find, Ctx, Options};
        use crate::source::SourceFile;
        let f = SourceFile::new(0, path.into(), path.into(), text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = crate::graph::build(&rs);
        let options = Options::default();
        let ctx = Ctx::new(&rs, &g, &options);
        let mut out = Vec::new();
        let r = find(rule).unwrap();
        (r.check)(&mut Checker::new(&ctx, &r.meta, &mut out));
        out
    }

    fn arm(resources: &str) -> String {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{resources}]}}"#
        )
    }

    const ACCOUNT: &str = r#"{"type": "Microsoft.Batch/batchAccounts", "apiVersion": "2024-07-01", "name": "acct", "location": "westeurope", "properties": {"allowedAuthenticationModes": ["SharedKey", "AAD"]}}"#;

    const POOL: &str = r#"{"type": "Microsoft.Batch/batchAccounts/pools", "apiVersion": "2024-02-01", "name": "acct/pool", "properties": {"targetNodeCommunicationMode": "Classic", "networkConfiguration": {"endpointConfiguration": {"inboundNatPools": [{"name": "web-in", "protocol": "TCP", "backendPort": 8080, "frontendPortRangeStart": 4000, "frontendPortRangeEnd": 4010}]}}}}"#;

    fn edit(path: &[&str], value: serde_json::Value) -> crate::findings::Edit {
        crate::findings::Edit {
            path: path.iter().map(|s| s.to_string()).collect(),
            op: crate::findings::EditOp::Set(value),
        }
    }

    #[test]
    fn account_and_pool_findings_carry_structured_fixes() {
        use serde_json::json;
        let text = arm(&format!("{ACCOUNT}, {POOL}"));
        let f = run("BATCH003", "t.json", &text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits,
            vec![edit(
                &["properties", "allowedAuthenticationModes"],
                json!(["AAD"])
            )]
        );
        assert!(f[0].message.as_str().ends_with(
            "Allow only Microsoft Entra ID (AAD): set allowedAuthenticationModes to [\"AAD\"]."
        ));
        // Nodes without public IPs need a subnet: without one, no fix is offered.
        let f = run("BATCH014", "t.json", &text);
        assert!(f[0].fix.is_none(), "{:?}", f[0].fix);
        let in_subnet = POOL.replace(
            r#""endpointConfiguration""#,
            r#""subnetId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b", "x""#,
        );
        let f = run(
            "BATCH014",
            "t.json",
            &arm(&format!("{ACCOUNT}, {in_subnet}")),
        );
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits,
            vec![edit(
                &[
                    "properties",
                    "networkConfiguration",
                    "publicIPAddressConfiguration",
                    "provision"
                ],
                json!("NoPublicIPAddresses")
            )]
        );
        assert_eq!(
            f[0].fix.as_ref().unwrap().safety,
            crate::findings::Safety::Safe
        );
        // With NAT endpoints, they go too: the fix is unsafe.
        let f = run("BATCH014", "t.json", &arm(&format!("{ACCOUNT}, {}", POOL.replace(
            r#""endpointConfiguration""#,
            r#""subnetId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b", "endpointConfiguration""#,
        ))));
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits.len(), 2);
        assert!(matches!(fix.safety, crate::findings::Safety::Unsafe(_)));
        let f = run("BATCH023", "t.json", &text);
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits,
            vec![edit(
                &["properties", "targetNodeCommunicationMode"],
                json!("Simplified")
            )]
        );
    }

    #[test]
    fn nat_pool_names_are_quoted_where_they_are_written() {
        let text = arm(POOL);
        let f = run("BATCH020", "t.json", &text);
        let size = f
            .iter()
            .find(|f| f.discriminator == "frontend-size")
            .expect("an 11-port range");
        let name = size.message.values().next().expect("the NAT pool's name");
        assert_eq!(name.text, "web-in");
        let at = name.span.unwrap();
        assert_eq!(&text[at.start..at.end], "\"web-in\"");
        // BATCH011 (a): the name, quoted; the implicit allow is fixed by removing the NAT pool.
        let f = run("BATCH011", "t.json", &text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].message.values().next().unwrap().text, "web-in");
        assert_eq!(
            f[0].fix.as_ref().unwrap().edits[0].path,
            [
                "properties",
                "networkConfiguration",
                "endpointConfiguration",
                "inboundNatPools",
                "0"
            ]
        );
    }

    #[test]
    fn an_unrestricted_endpoint_is_closed_at_the_highest_free_priority() {
        let pool = POOL.replace(
            r#""frontendPortRangeEnd": 4010"#,
            r#""frontendPortRangeEnd": 4010, "networkSecurityGroupRules": [{"priority": 4096, "access": "Allow", "sourceAddressPrefix": "10.0.0.0/8"}]"#,
        );
        let f = run("BATCH011", "t.json", &arm(&pool));
        assert_eq!(f.len(), 1, "{f:?}");
        let edit = &f[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(
            edit.path.last().map(String::as_str),
            Some("networkSecurityGroupRules")
        );
        assert_eq!(
            edit.op,
            crate::findings::EditOp::Add(serde_json::json!({
                "priority": 4095, "access": "Deny", "sourceAddressPrefix": "*"
            }))
        );
    }
}
