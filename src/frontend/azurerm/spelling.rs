//! The table read backwards: how an azurerm resource writes an ARM property, so that messages and
//! fixes quote `public_network_access_enabled = false` to a Terraform user and
//! `publicNetworkAccess to Disabled` to an ARM one, without the rule knowing which it speaks to.

use super::table::{COMMON, MAPPINGS};
use super::{Conv, Default, Field, Mapping};
use crate::ir::spelling::{arm_value, Limitation, Need, PropPath, Spelling, StepKind, WrittenStep};
use serde_json::Value as Json;

/// A Terraform name, where its ARM path ends in the keys looked up (an index into them), and
/// whether it is an attribute or a block.
type Step = (&'static str, usize, StepKind);

/// Whether a row's Terraform name is a block, and which kind.
fn kind(conv: &Conv) -> StepKind {
    match conv {
        Conv::Block(_) => StepKind::Block,
        Conv::Custom(_, inner) if !inner.is_empty() => StepKind::Block,
        Conv::Blocks(_) => StepKind::BlockElement,
        _ => StepKind::Attribute,
    }
}

/// The Terraform path of an ARM path (keys below the resource object), and the row that maps it
/// when the path ends exactly at one (a deeper path names the attribute that holds it).
fn reverse<'f>(
    fields: &'f [Field],
    keys: &[&str],
    at: usize,
) -> Option<(Vec<Step>, Option<&'f Field>)> {
    // A row whose path does not start with the first key's first letter cannot cover it: most
    // rows are passed over on one byte.
    let first = keys.first()?.as_bytes().first()?.to_ascii_lowercase();
    for field in fields {
        if field.arm.as_bytes().first().map(u8::to_ascii_lowercase) != Some(first) {
            continue;
        }
        // How many keys the row's ARM path covers, if they are its segments (compared in place:
        // this runs for every row of a table, for every fix and written name).
        let mut covered = 0;
        let mut segments = field.arm.split('.');
        if !segments.all(|a| {
            let same = keys.get(covered).is_some_and(|k| a.eq_ignore_ascii_case(k));
            covered += 1;
            same
        }) {
            continue;
        }
        // Of several spellings (`enable_x|x_enabled`), the provider's newest is the last.
        let tf = field.tf.rsplit('|').next().unwrap_or(field.tf);
        let end = at + covered;
        let rest = &keys[covered..];
        let k = kind(&field.conv);
        if rest.is_empty() {
            return Some((vec![(tf, end, k)], Some(field)));
        }
        let inner = match &field.conv {
            Conv::Block(inner) | Conv::Custom(_, inner) if !inner.is_empty() => {
                reverse(inner, rest, end)
            }
            Conv::Blocks(inner) => {
                // An element's position is not part of its name.
                match rest.first() {
                    Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => {
                        if rest.len() == 1 {
                            return Some((vec![(tf, end + 1, k)], None));
                        }
                        reverse(inner, &rest[1..], end + 1)
                    }
                    _ => reverse(inner, rest, end),
                }
            }
            _ => None,
        };
        // A repeatable block's step covers its element's position too.
        let end = if k == StepKind::BlockElement
            && rest
                .first()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            end + 1
        } else {
            end
        };
        return Some(match inner {
            Some((mut path, row)) => {
                path.insert(0, (tf, end, k));
                (path, row)
            }
            None => (vec![(tf, end, k)], None),
        });
    }
    None
}

/// What [`reverse`] found for a table and an ARM path.
type Found = Option<(Vec<Step>, Option<&'static Field>)>;

/// Most ARM paths a thread remembers [`Mapping::find`]'s answer for before it forgets them all.
const FOUND_KEPT: usize = 4096;

impl Mapping {
    /// The Terraform path of an ARM path: the common rows, then the type's own. Each thread
    /// remembers the answers it gave (keys compared without case, as the rows are), since the
    /// same few paths are asked of every resource of a type, several times per fix and message,
    /// and the rows are read one by one.
    fn find(&self, keys: &[&str]) -> Found {
        thread_local! {
            static FOUND: std::cell::RefCell<crate::hash::HashMap<(usize, Vec<String>), Found>> =
                std::cell::RefCell::default();
        }
        let key = (
            self.fields.as_ptr() as usize,
            keys.iter()
                .map(|k| k.to_ascii_lowercase())
                .collect::<Vec<_>>(),
        );
        if let Some(found) = FOUND.with_borrow(|m| m.get(&key).cloned()) {
            return found;
        }
        let found = reverse(COMMON, keys, 0).or_else(|| reverse(self.fields, keys, 0));
        FOUND.with_borrow_mut(|m| {
            if m.len() >= FOUND_KEPT {
                m.clear();
            }
            m.insert(key, found.clone());
        });
        found
    }
}

/// A JSON value as an HCL literal.
fn hcl(v: &Json) -> String {
    match v {
        Json::String(s) => Json::String(s.clone()).to_string(),
        Json::Array(a) => format!("[{}]", a.iter().map(hcl).collect::<Vec<_>>().join(", ")),
        Json::Object(o) => format!(
            "{{ {} }}",
            o.iter()
                .map(|(k, v)| format!("{k} = {}", hcl(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// The Terraform value that the row's conversion turns into the ARM value `v`.
fn unconvert(conv: &Conv, v: &Json) -> Json {
    let is = |s: &str| v.as_str().is_some_and(|x| x.eq_ignore_ascii_case(s));
    match conv {
        Conv::Enabled if is("Enabled") => Json::Bool(true),
        Conv::Enabled if is("Disabled") => Json::Bool(false),
        Conv::Bool(yes, _) if is(yes) => Json::Bool(true),
        Conv::Bool(_, no) if is(no) => Json::Bool(false),
        Conv::Not => v.as_bool().map_or(v.clone(), |b| Json::Bool(!b)),
        Conv::IdObjects => unwrap_objects(v, "id"),
        Conv::Objects(key) => unwrap_objects(v, key),
        _ => v.clone(),
    }
}

fn unwrap_objects(v: &Json, key: &str) -> Json {
    match v {
        Json::Array(a) => Json::Array(
            a.iter()
                .map(|e| e.get(key).cloned().unwrap_or_else(|| e.clone()))
                .collect(),
        ),
        _ => v.clone(),
    }
}

fn default_json(d: Default) -> Json {
    match d {
        Default::Str(s) => Json::String(s.into()),
        Default::Bool(b) => Json::Bool(b),
    }
}

fn same(keys: &[&str], path: &str) -> bool {
    let p: Vec<&str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').collect()
    };
    // `*` in the table stands for any element of a list.
    p.len() == keys.len()
        && p.iter().zip(keys).all(|(a, b)| {
            a.eq_ignore_ascii_case(b) || (*a == "*" && b.bytes().all(|c| c.is_ascii_digit()))
        })
}

impl Spelling for Mapping {
    fn written_type(&self) -> Option<&'static str> {
        Some(self.tf_type)
    }

    fn name(&self, path: PropPath) -> String {
        // The blocks that hold the context keys are context too; the innermost name stays.
        match self.find(path.keys) {
            Some((steps, _)) => {
                let keep = steps
                    .iter()
                    .position(|(_, end, _)| *end > path.shown_from)
                    .unwrap_or(steps.len() - 1);
                steps[keep..]
                    .iter()
                    .map(|(name, _, _)| *name)
                    .collect::<Vec<_>>()
                    .join(".")
            }
            None => path.arm_name(),
        }
    }

    fn value(&self, path: PropPath, value: &Json) -> String {
        match self.find(path.keys) {
            Some((_, Some(row))) => hcl(&unconvert(&row.conv, value)),
            Some((_, None)) => hcl(value),
            None => arm_value(value),
        }
    }

    fn assignment(&self, path: PropPath, value: &Json) -> String {
        format!("{} = {}", self.name(path), self.value(path, value))
    }

    fn written_path(&self, keys: &[&str]) -> Option<Vec<WrittenStep>> {
        let (steps, _) = self.find(keys)?;
        // A path that ends inside an attribute's value (an element of a list attribute, a key of
        // a map) is not a place of its own.
        let last = steps.last()?;
        (last.1 == keys.len()).then(|| {
            steps
                .iter()
                .map(|&(name, arm_end, kind)| WrittenStep {
                    name,
                    arm_end,
                    kind,
                })
                .collect()
        })
    }

    fn written_value(&self, keys: &[&str], value: &Json) -> Json {
        match self.find(keys) {
            Some((_, Some(row))) => unconvert(&row.conv, value),
            _ => value.clone(),
        }
    }

    fn limitation(&self, path: PropPath) -> Option<&'static Limitation> {
        self.limits
            .iter()
            .find(|(prefix, _)| {
                let p: Vec<&str> = prefix.split('.').collect();
                p.len() <= path.keys.len()
                    && p.iter()
                        .zip(path.keys)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b))
            })
            .map(|(_, l)| *l)
    }

    fn retired(&self, path: PropPath) -> Option<&'static str> {
        self.retired
            .iter()
            .find(|(p, _)| same(path.keys, p))
            .map(|(_, why)| *why)
    }

    fn default_value(&self, path: &[&str]) -> Option<Json> {
        self.defaults
            .iter()
            .find(|(p, _)| same(path, p))
            .map(|(_, d)| default_json(*d))
    }

    fn implied_api_version(&self) -> Option<(&'static str, &'static str)> {
        self.api_version
    }

    fn exclusive(&self, path: &[&str]) -> Option<&'static str> {
        self.exclusive
            .iter()
            .find(|(p, _)| same(path, p))
            .map(|(_, why)| *why)
    }
}

/// Can an azurerm resource write what a rule needs?
pub fn expresses(need: &Need) -> bool {
    let of = |t: &'static str| {
        MAPPINGS
            .iter()
            .filter(move |m| m.arm_type.eq_ignore_ascii_case(t))
    };
    match need {
        Need::Type(t) => of(t).next().is_some(),
        Need::Property(t, keys) => of(t).any(|m| matches!(m.find(keys), Some((_, Some(_))))),
        Need::ApiBefore(t, version) => of(t).any(|m| match m.api_version {
            Some((v, _)) => v < *version,
            None => true,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mapping(tf: &str) -> &'static Mapping {
        MAPPINGS.iter().find(|m| m.tf_type == tf).unwrap()
    }

    /// What `find` remembers is what the rows say: for every row of every type (in other letter
    /// cases, and paths below it through element positions), asked of more paths than it keeps,
    /// twice, the answer is the rows' own, whichever type asked before.
    #[test]
    fn remembered_paths_are_what_the_rows_say() {
        let mut paths = Vec::new();
        for m in MAPPINGS {
            for field in m.fields.iter().chain(COMMON) {
                let arm: Vec<String> = field.arm.split('.').map(str::to_string).collect();
                paths.push((m, arm.iter().map(|k| k.to_ascii_uppercase()).collect()));
                for position in 0..16 {
                    let mut deeper = arm.clone();
                    deeper.extend([position.to_string(), "properties".to_string()]);
                    paths.push((m, deeper));
                }
                paths.push((m, arm));
            }
        }
        assert!(paths.len() > FOUND_KEPT, "{} paths", paths.len());
        for round in 0..2 {
            for (m, keys) in &paths {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                let plain = reverse(COMMON, &keys, 0).or_else(|| reverse(m.fields, &keys, 0));
                assert_eq!(
                    m.find(&keys)
                        .as_ref()
                        .map(|(steps, row)| (steps, row.map(|r| r.tf))),
                    plain
                        .as_ref()
                        .map(|(steps, row)| (steps, row.map(|r| r.tf))),
                    "{} {keys:?}, round {round}",
                    m.tf_type
                );
            }
        }
    }

    #[test]
    fn ai_foundry_and_serverless_compute_spellings() {
        let hub = mapping("azurerm_ai_foundry");
        let pna = PropPath::of(&["properties", "publicNetworkAccess"]);
        assert_eq!(
            hub.assignment(pna, &json!("Disabled")),
            "public_network_access = \"Disabled\""
        );
        let ws = mapping("azurerm_machine_learning_workspace");
        let no_public_ip = [
            "properties",
            "serverlessComputeSettings",
            "serverlessComputeNoPublicIP",
        ];
        assert_eq!(
            ws.assignment(PropPath::new(&no_public_ip, 1), &json!(true)),
            "serverless_compute.public_ip_enabled = false"
        );
        // The provider sends `serverlessComputeNoPublicIP = true` when `public_ip_enabled` is
        // left out.
        assert_eq!(ws.default_value(&no_public_ip), Some(json!(true)));
        assert_eq!(hub.default_value(&no_public_ip), None);
    }

    #[test]
    fn names_and_values_come_back_through_the_table() {
        let acct = mapping("azurerm_batch_account");
        let pna = PropPath::of(&["properties", "publicNetworkAccess"]);
        assert_eq!(
            acct.assignment(pna, &json!("Disabled")),
            "public_network_access_enabled = false"
        );
        let modes = PropPath::of(&["properties", "allowedAuthenticationModes"]);
        assert_eq!(
            acct.assignment(modes, &json!(["AAD"])),
            "allowed_authentication_modes = [\"AAD\"]"
        );
        let action = PropPath::of(&[
            "properties",
            "networkProfile",
            "accountAccess",
            "defaultAction",
        ]);
        assert_eq!(
            acct.assignment(action, &json!("Deny")),
            "network_profile.account_access.default_action = \"Deny\""
        );
        let pool = mapping("azurerm_batch_pool");
        let provision = PropPath::new(
            &[
                "properties",
                "networkConfiguration",
                "publicIPAddressConfiguration",
                "provision",
            ],
            2,
        );
        assert_eq!(pool.name(provision), "public_address_provisioning_type");
        let updates = PropPath::new(
            &[
                "properties",
                "deploymentConfiguration",
                "virtualMachineConfiguration",
                "windowsConfiguration",
                "enableAutomaticUpdates",
            ],
            3,
        );
        assert_eq!(pool.name(updates), "windows.automatic_updates_enabled");
        let cluster = mapping("azurerm_machine_learning_compute_cluster");
        let dla = PropPath::of(&["properties", "disableLocalAuth"]);
        assert_eq!(
            cluster.assignment(dla, &json!(true)),
            "local_auth_enabled = false"
        );
        // An inline NSG rule's field, below its position in the list.
        let nsg = mapping("azurerm_network_security_group");
        let keys = [
            "properties",
            "securityRules",
            "3",
            "properties",
            "sourcePortRange",
        ];
        assert_eq!(nsg.name(PropPath::new(&keys, 4)), "source_port_range");
        assert_eq!(
            nsg.name(PropPath::new(&keys, 1)),
            "security_rule.source_port_range"
        );
        // What the provider does differently.
        assert_eq!(
            pool.implied_api_version(),
            Some(("2024-07-01", "the azurerm provider's Batch API"))
        );
        let upgrade = ["properties", "upgradePolicy", "automaticOSUpgradePolicy"];
        assert_eq!(
            pool.limitation(PropPath::of(&upgrade)).unwrap().key,
            "azurerm"
        );
        assert_eq!(
            mapping("azurerm_lb").default_value(&["sku", "name"]),
            Some(json!("Standard"))
        );
        let inline_subnet = [
            "properties",
            "subnets",
            "2",
            "properties",
            "defaultOutboundAccess",
        ];
        assert_eq!(
            mapping("azurerm_virtual_network").default_value(&inline_subnet),
            Some(json!(true))
        );
        assert!(nsg.exclusive(&["properties", "securityRules"]).is_some());
        assert!(!expresses(&Need::ApiBefore(
            "Microsoft.Batch/batchAccounts/pools",
            "2024-07-01"
        )));
        assert!(!expresses(&Need::Type(
            "Microsoft.MachineLearningServices/workspaces/batchEndpoints"
        )));
        assert!(expresses(&Need::Property(
            "Microsoft.Batch/batchAccounts/pools",
            &["properties", "networkConfiguration", "subnetId"]
        )));
        // A path the table does not map keeps ARM's name.
        let other = PropPath::of(&["properties", "upgradePolicy", "mode"]);
        assert_eq!(pool.name(other), "upgradePolicy.mode");
    }
}
