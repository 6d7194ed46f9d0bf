//! The rule pack. One rule per file, each carrying its metadata next to its logic; the registry
//! below is the one table that lists them. Rules read the IR and the graph of one scope and ask
//! the network engine; they never see a front-end's syntax.

pub mod checker;
pub mod custom;
pub mod meta;

mod batch;
mod ml;
mod net;
pub(crate) mod query;

use crate::findings::{Finding, Level, Notification};
use crate::graph::Graph;
use crate::ir::{Resource, Span};
use checker::Checker;
pub use meta::RuleMeta;
use std::collections::HashMap;
use std::sync::Mutex;

/// Rule options (§1.14), set with `--option KEY=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub redundant_rules: bool,
    pub broad_prefix_max: Option<u8>,
    pub batch003_strict: bool,
    pub batch031_policy_strict: bool,
    pub ml_require_batch_endpoint: bool,
    pub ml011_azure_monitor: bool,
    pub remote_access_ports: Vec<u32>,
    /// The organisation's own rules (`custom_rules`, `--custom-rules`).
    pub custom: custom::Pack,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            redundant_rules: false,
            broad_prefix_max: None,
            batch003_strict: false,
            batch031_policy_strict: false,
            ml_require_batch_endpoint: false,
            ml011_azure_monitor: false,
            remote_access_ports: vec![22, 3389],
            custom: custom::Pack::default(),
        }
    }
}

/// The option keys `--option` accepts.
pub const OPTION_KEYS: &[&str] = &[
    "redundant_rules",
    "broad_prefix_max",
    "batch003.strict",
    "batch031.policy_strict",
    "ml.require_batch_endpoint",
    "ml011.azure_monitor",
    "remote_access_ports",
];

fn parse_bool(key: &str, v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!("option `{key}` takes true or false, not `{v}`")),
    }
}

impl Options {
    /// Applies one `KEY=VALUE` setting.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            "redundant_rules" => self.redundant_rules = parse_bool(key, value)?,
            "batch003.strict" => self.batch003_strict = parse_bool(key, value)?,
            "batch031.policy_strict" => self.batch031_policy_strict = parse_bool(key, value)?,
            "ml.require_batch_endpoint" => self.ml_require_batch_endpoint = parse_bool(key, value)?,
            "ml011.azure_monitor" => self.ml011_azure_monitor = parse_bool(key, value)?,
            "broad_prefix_max" => {
                let v = value.trim();
                self.broad_prefix_max = if v.eq_ignore_ascii_case("off") || v.is_empty() {
                    None
                } else {
                    let n: u8 = v.parse().ok().filter(|n| *n <= 128).ok_or_else(|| {
                        format!("option `broad_prefix_max` takes a prefix length (0-128) or `off`, not `{value}`")
                    })?;
                    Some(n)
                };
            }
            "remote_access_ports" => {
                let mut ports = Vec::new();
                for p in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let n: u32 = p.parse().ok().filter(|n| (1..=65535).contains(n)).ok_or_else(|| {
                        format!("option `remote_access_ports` takes a comma-separated list of ports (1-65535), not `{p}`")
                    })?;
                    ports.push(n);
                }
                if ports.is_empty() {
                    return Err("option `remote_access_ports` needs at least one port".into());
                }
                self.remote_access_ports = ports;
            }
            _ => {
                return Err(format!(
                    "unknown option `{key}`; known options: {}",
                    OPTION_KEYS.join(", ")
                ))
            }
        }
        Ok(())
    }
}

/// What a rule sees: the resources of one scope, its graph, and the options.
pub struct Ctx<'a> {
    pub resources: &'a [&'a Resource],
    pub graph: &'a Graph<'a>,
    pub options: &'a Options,
    /// Each resource's index in `resources`, by its address in memory.
    ids: HashMap<usize, usize>,
    /// Limits of the analysis that rules reached (a list too long to compare whole), as warnings
    /// the scan reports beside the findings ([`Ctx::limit`]); rules run in parallel.
    limits: Mutex<Vec<Notification>>,
}

impl<'a> Ctx<'a> {
    pub fn new(resources: &'a [&'a Resource], graph: &'a Graph<'a>, options: &'a Options) -> Self {
        let ids = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (*r as *const Resource as usize, i))
            .collect();
        Ctx {
            resources,
            graph,
            options,
            ids,
            limits: Mutex::new(Vec::new()),
        }
    }

    /// A limit of the analysis reached at `at`: a warning the scan reports, so that a check cut
    /// short is never silent. The same message at the same place is reported once. Resource
    /// names in `message` (NSG labels) are written plainly.
    pub fn limit(&self, at: Span, message: String) {
        let n = Notification {
            level: Level::Warning,
            message: crate::findings::plain(&message),
            span: Some(at),
            file: Some(at.file),
        };
        let mut limits = self
            .limits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !limits.contains(&n) {
            limits.push(n);
        }
    }

    /// The limits reached so far ([`Ctx::limit`]), in the order of their places.
    pub fn take_limits(&self) -> Vec<Notification> {
        let mut limits = std::mem::take(
            &mut *self
                .limits
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        limits.sort_by(|a, b| {
            let key = |n: &Notification| n.span.map(|s| (s.file, s.start, s.end));
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        limits
    }

    pub fn of_type(&self, rtype: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources
            .iter()
            .copied()
            .filter(move |r| r.is_type(rtype))
    }

    /// The index of a resource of this scope.
    pub fn id_of(&self, r: &Resource) -> Option<usize> {
        self.ids.get(&(r as *const Resource as usize)).copied()
    }
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&mut Checker),
}

/// Every rule, in id order.
pub static RULES: &[&Rule] = &[
    &batch::batch001::RULE,
    &batch::batch002::RULE,
    &batch::batch003::RULE,
    &batch::batch004::RULE,
    &batch::batch005::RULE,
    &batch::batch006::RULE,
    &batch::batch010::RULE,
    &batch::batch011::RULE,
    &batch::batch012::RULE,
    &batch::batch013::RULE,
    &batch::batch014::RULE,
    &batch::batch020::RULE,
    &batch::batch021::RULE,
    &batch::batch022::RULE,
    &batch::batch023::RULE,
    &batch::batch030::RULE,
    &batch::batch031::RULE,
    &batch::batch032::RULE,
    &batch::batch033::RULE,
    &batch::batch034::RULE,
    &batch::batch035::RULE,
    &batch::batch040::RULE,
    &batch::batch041::RULE,
    &ml::ml001::RULE,
    &ml::ml002::RULE,
    &ml::ml003::RULE,
    &ml::ml004::RULE,
    &ml::ml005::RULE,
    &ml::ml006::RULE,
    &ml::ml007::RULE,
    &ml::ml008::RULE,
    &ml::ml009::RULE,
    &ml::ml010::RULE,
    &ml::ml011::RULE,
    &ml::ml012::RULE,
    &ml::ml013::RULE,
    &ml::ml014::RULE,
    &ml::ml015::RULE,
    &ml::ml016::RULE,
    &net::net001::RULE,
    &net::net002::RULE,
    &net::net003::RULE,
    &net::net004::RULE,
    &net::net005::RULE,
    &net::net006::RULE,
    &net::net007::RULE,
    &net::net008::RULE,
    &net::net009::RULE,
    &net::net010::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta.id.eq_ignore_ascii_case(id))
}

/// The built-in rules' metadata, in id order.
pub fn metas() -> Vec<&'static RuleMeta> {
    RULES.iter().map(|r| &r.meta).collect()
}

/// Every rule of a scan with these options: the built-in rules, then the custom ones.
pub fn all_metas(options: &Options) -> Vec<&'static RuleMeta> {
    let mut v = metas();
    v.extend(options.custom.metas());
    v
}

/// The ids of every rule of a scan with these options.
pub fn all_ids(options: &Options) -> Vec<&'static str> {
    all_metas(options).into_iter().map(|m| m.id).collect()
}

/// Custom rules' metadata read in this process, newest last ([`register_custom`]).
static CUSTOM: Mutex<Vec<&'static RuleMeta>> = Mutex::new(Vec::new());

/// Records a custom rule's metadata, so that [`meta_of`] finds the rule of a finding.
pub fn register_custom(meta: &'static RuleMeta) {
    CUSTOM
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(meta);
}

/// The metadata of the rule a finding names (its `rule` field): a built-in rule, or the custom
/// rule whose id it is (the very one that made the finding, then the newest of that id).
pub fn meta_of(rule: &str) -> Option<&'static RuleMeta> {
    if let Some(r) = find(rule) {
        return Some(&r.meta);
    }
    let custom = CUSTOM
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    custom
        .iter()
        .rev()
        .find(|m| std::ptr::eq(m.id, rule))
        .or_else(|| {
            custom
                .iter()
                .rev()
                .find(|m| m.id.eq_ignore_ascii_case(rule))
        })
        .copied()
}

/// Applies the limits that span scopes, on findings already sorted in report order (files by
/// path, then position): a finding marked once per scan is kept only the first time its rule and
/// key occur in the whole scan (BATCH033's note on pools whose syntax cannot set an upgrade
/// policy, D19).
pub fn limit_per_scan(findings: &mut Vec<Finding>) {
    let mut seen: std::collections::HashSet<(&'static str, String)> = Default::default();
    findings.retain(|f| match &f.once_per_scan {
        None => true,
        Some(key) => seen.insert((f.rule, key.clone())),
    });
}

/// Runs every rule on one scope.
/// Runs every rule on a scope; the findings in rule order.
pub fn run(ctx: &Ctx) -> Vec<Finding> {
    RULES.iter().flat_map(|r| run_one(ctx, r)).collect()
}

/// Runs one rule on a scope (the scan runs the rules of a scope in parallel).
pub fn run_one(ctx: &Ctx, rule: &'static Rule) -> Vec<Finding> {
    let mut out = Vec::new();
    (rule.check)(&mut Checker::new(ctx, &rule.meta, &mut out));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SARIF's rule `name` is the title in PascalCase, without articles, an acronym written as a
    /// word (`NsgAllowsSshFromInternet` for "NSG allows SSH from the internet", spec §1.15).
    #[test]
    fn rule_names_are_their_titles_in_pascal_case() {
        fn word(w: &str) -> String {
            let upper = w.chars().filter(char::is_ascii_uppercase).count();
            let (first, rest) = w.split_at(1);
            if upper >= 2 {
                // NSG, SSH, IPs, vTPM.
                first.to_ascii_uppercase() + &rest.to_ascii_lowercase()
            } else {
                first.to_ascii_uppercase() + rest
            }
        }
        for r in RULES {
            let m = &r.meta;
            let want: String = m
                .title
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty() && !["the", "a", "an"].contains(w))
                .map(word)
                .collect();
            // Words that are several words in one keep their capitals.
            let want = want
                .replace("Allowonlyapprovedoutbound", "AllowOnlyApprovedOutbound")
                .replace("Azuremachinelearning", "AzureMachineLearning")
                .replace("Usersubscription", "UserSubscription");
            assert_eq!(m.name, want, "{}", m.id);
        }
    }

    /// Every rule's findings on a scope of many NSGs, whose groups rules and verdicts check in
    /// parallel (`Checker::each`), are those of the same NSGs checked a few at a time, in order.
    #[test]
    fn nsgs_checked_in_parallel_give_the_findings_of_a_loop() {
        use crate::source::SourceFile;
        let nsgs = checker::PARALLEL_FROM * 2 + 7;
        let rules: Vec<String> = (0..nsgs)
            .map(|i| {
                let (source, priority, port) = match i % 4 {
                    0 => ("*", 100, "22"),
                    1 => ("10.0.0.0/8", 100, "3389"),
                    2 => ("Internet", 5000, "22-3389"),
                    _ => ("*", 200, "x"),
                };
                format!(
                    r#"{{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg{i}", "location": "westeurope", "properties": {{"securityRules": [{{"name": "r", "properties": {{"priority": {priority}, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "{port}", "sourceAddressPrefix": "{source}", "destinationAddressPrefix": "*"}}}}, {{"name": "d", "properties": {{"priority": {priority}, "direction": "Inbound", "access": "Deny", "protocol": "*", "sourcePortRange": "*", "destinationPortRange": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"}}}}]}}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{}]}}"#,
            rules.join(",\n")
        );
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), &text);
        let doc = crate::frontend::arm::load(&f).unwrap();
        let all: Vec<&Resource> = doc.resources.iter().collect();
        let options = Options::default();
        let check = |rs: &[&Resource]| {
            let graph = crate::graph::build(rs);
            let ctx = Ctx::new(rs, &graph, &options);
            let mut found: Vec<String> = RULES
                .iter()
                .flat_map(|r| run_one(&ctx, r))
                .map(|mut f| {
                    f.resource = None;
                    format!("{f:?}")
                })
                .collect();
            found.extend(
                query::verdicts::verdicts(&ctx)
                    .iter()
                    .map(|v| format!("{v:?}")),
            );
            found
        };
        let whole = check(&all);
        let by_rule = |found: Vec<String>| {
            let mut found = found;
            found.sort();
            found
        };
        let few: Vec<String> = all.chunks(50).flat_map(check).collect();
        assert!(whole.len() > nsgs, "{} findings", whole.len());
        assert_eq!(by_rule(whole.clone()), by_rule(few));
        // In order: within one rule, the findings of the loop over the NSGs.
        let per_chunk: Vec<Vec<String>> = all.chunks(50).map(check).collect();
        for rule in RULES {
            let id = format!("rule: \"{}\"", rule.meta.id);
            let of = |v: &[String]| -> Vec<String> {
                v.iter().filter(|f| f.contains(&id)).cloned().collect()
            };
            let ordered: Vec<String> = per_chunk.iter().flat_map(|c| of(c)).collect();
            assert_eq!(of(&whole), ordered, "{}", rule.meta.id);
        }
    }

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for r in RULES {
            let m = &r.meta;
            assert!(
                m.doc.starts_with(&format!("# {} ", m.id)),
                "{} doc title",
                m.id
            );
            assert!(!m.full_description().is_empty(), "{}", m.id);
            assert!(m.name.chars().next().unwrap().is_ascii_uppercase());
            assert!(m.security_severity.parse::<f32>().is_ok());
            assert!(m.help_uri.starts_with("https://learn.microsoft.com/"));
        }
    }

    #[test]
    fn once_per_scan_results_keep_the_first() {
        use crate::findings::Level;
        use crate::ir::Span;
        let f = |file: usize, start: usize, key: Option<&str>| {
            let mut f = Finding::new(
                "BATCH033",
                Level::Note,
                Span::new(file, start, start + 1),
                "",
            );
            f.once_per_scan = key.map(str::to_string);
            f
        };
        let mut v = vec![
            f(0, 5, None),
            f(0, 9, Some("k")),
            f(1, 2, Some("k")),
            f(1, 7, None),
        ];
        limit_per_scan(&mut v);
        let kept: Vec<(usize, usize)> = v.iter().map(|x| (x.span.file, x.span.start)).collect();
        assert_eq!(kept, vec![(0, 5), (0, 9), (1, 7)]);
    }

    #[test]
    fn options_parse_and_reject() {
        let mut o = Options::default();
        o.set("redundant_rules", "true").unwrap();
        o.set("broad_prefix_max", "8").unwrap();
        o.set("remote_access_ports", "22, 2222").unwrap();
        assert!(o.redundant_rules);
        assert_eq!(o.broad_prefix_max, Some(8));
        assert_eq!(o.remote_access_ports, vec![22, 2222]);
        assert!(o.set("nope", "1").unwrap_err().contains("unknown option"));
        assert!(o.set("redundant_rules", "maybe").is_err());
        assert!(o.set("remote_access_ports", "0").is_err());
    }
}
