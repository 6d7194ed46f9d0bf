//! Terraform evaluation end to end: values flow from variable defaults, tfvars files, locals,
//! `dynamic` blocks and local module arguments into findings, which point at the attribute that
//! holds the expression and name where the value came from.

mod common;

use batchguard::rules::Options;
use batchguard::scan::ScanOutput;
use common::{manifest_dir, scan_paths};
use std::path::PathBuf;

fn scan(case: &str) -> ScanOutput {
    let root = manifest_dir();
    scan_paths(
        &root,
        &[PathBuf::from("testdata/eval/terraform").join(case)],
        Options::default(),
    )
}

/// (rule, file, the source text of the primary location, related messages) per finding.
fn results(out: &ScanOutput) -> Vec<(String, String, String, Vec<String>)> {
    out.findings
        .iter()
        .map(|f| {
            let file = &out.files[f.span.file];
            (
                f.rule.to_string(),
                file.rel
                    .rsplit("terraform/")
                    .next()
                    .unwrap_or("")
                    .to_string(),
                file.text[f.span.start..f.span.end].to_string(),
                f.related.iter().map(|r| r.message.to_string()).collect(),
            )
        })
        .collect()
}

#[test]
fn variable_default_opens_ssh() {
    let out = scan("variable_default");
    let r = results(&out);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "NET001");
    assert_eq!(r[0].2, "source_address_prefix       = var.admin_source");
    assert!(r[0]
        .3
        .contains(&"default of variable `admin_source`".to_string()));
    let f = &out.findings[0];
    let rel = f
        .related
        .iter()
        .find(|x| x.message.as_str().starts_with("default"))
        .unwrap();
    assert_eq!(
        &out.files[rel.span.file].text[rel.span.start..rel.span.end],
        "default = \"*\""
    );
}

#[test]
fn tfvars_value_overrides_the_default() {
    let r = results(&scan("tfvars_override"));
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "NET001");
    assert!(r[0].1.ends_with("tfvars_override/main.tf"));
    assert!(r[0]
        .3
        .contains(&"value of variable `admin_source` (terraform.tfvars)".to_string()));
    // The same template with a tfvars file that restricts the source is compliant.
    assert!(results(&scan("tfvars_safe")).is_empty());
}

#[test]
fn dynamic_block_over_a_local_list() {
    let r = results(&scan("dynamic_local"));
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "NET001");
    assert_eq!(
        r[0].2,
        "source_address_prefix      = security_rule.value.source"
    );
    // The element's own definition in the local list is a related location (§1.13).
    assert!(
        r[0].3
            .iter()
            .any(|m| m == "definition of dynamic block element 1 ('ssh')"),
        "{:?}",
        r[0].3
    );
}

#[test]
fn count_zero_produces_nothing() {
    assert!(results(&scan("count_zero")).is_empty());
}

#[test]
fn unknown_values_stay_silent() {
    let out = scan("unknown_silent");
    assert!(results(&out).is_empty());
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
}

#[test]
fn local_module_finding_points_inside_the_module() {
    let out = scan("local_module");
    let r = results(&out);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "NET001");
    assert!(r[0].1.ends_with("local_module/modules/nsg/main.tf"));
    assert_eq!(r[0].2, "var.allowed_cidrs");
    assert_eq!(
        r[0].3
            .iter()
            .filter(|m| m.contains("module."))
            .collect::<Vec<_>>(),
        ["argument `allowed_cidrs` of module.jump"]
    );
    assert!(out.findings[0].message.as_str().contains("module.jump."));
}

/// Checkov's fixture feeds a `dynamic "security_rule"` from terraform.tfvars: its failing NSG
/// allows RDP from anywhere, its passing one denies it.
#[test]
fn peer_dynamic_block_from_tfvars() {
    let dir = manifest_dir().join(
        "../shared/corpus/peer-tests/checkov/CKV_AZURE_160_NSGRuleHTTPAccessRestricted/terraform",
    );
    let Ok(dir) = dir.canonicalize() else {
        eprintln!("skipped: no shared corpus");
        return;
    };
    let out = scan_paths(
        &dir,
        &[dir.join("dynamic_block_map_example")],
        Options::default(),
    );
    let found: Vec<(&str, &str)> = out
        .findings
        .iter()
        .map(|f| (f.rule, f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "NET002");
    assert!(found[0].1.contains("AllowRdpIn") && found[0].1.contains("dynamic_nsg_fail"));
}

/// `azapi_update_resource` bodies are merge-patched over their target in scope (§1.10): the
/// finding points at the update's property.
#[test]
fn azapi_update_resource_patches_its_target() {
    let out = scan("azapi_update");
    let r = results(&out);
    let batch001: Vec<_> = r.iter().filter(|x| x.0 == "BATCH001").collect();
    assert_eq!(batch001.len(), 1, "{r:?}");
    assert_eq!(batch001[0].2, "publicNetworkAccess = \"Enabled\"");
    // The update of an account outside the module is not applied to anything.
    assert!(r.iter().all(|x| x.0 != "BATCH003"), "{r:?}");
}

/// Object constructors that repeat a key, in a module and in a tfvars file, read as Terraform
/// reads them (the last item wins) rather than refused as syntax errors.
#[test]
fn a_repeated_object_key_takes_its_last_value() {
    let out = scan("repeated_keys");
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
    let r = results(&out);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "NET001");
    assert_eq!(r[0].2, "source_address_prefix       = each.value.source");
    assert!(
        r[0].3
            .contains(&"value of variable `sources` (terraform.tfvars)".to_string()),
        "{r:?}"
    );
}

/// A `dynamic` block whose `for_each` is not known may write no block, one or many, and what
/// they hold is not known: nothing is reported from it (§1.2; D21 is for whole resources). The
/// same block over a known collection is read.
#[test]
fn a_dynamic_block_over_an_unknown_collection_is_unknown() {
    let out = scan("dynamic_unknown");
    let r = results(&out);
    let rules: Vec<&str> = r.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(rules, ["ML007", "ML007", "ML008"], "{r:?}");
    let f = out.findings.iter().find(|f| f.rule == "ML008").unwrap();
    assert!(f.message.as_str().contains("known_ssh"), "{}", f.message);
    assert_eq!(f.conditional, None);
}

/// A registry or remote module is not fetched: when it is passed something that may name a
/// resource of the module (here the account's `id`), it may deploy that resource's private
/// endpoint, and "no private endpoint" is not said (D36); a call passed only literals, or called
/// zero times, changes nothing. Each call gets a note at its `source`.
#[test]
fn modules_that_are_not_fetched_may_deploy_private_endpoints() {
    let endpoint_rule = |out: &ScanOutput| {
        results(out)
            .into_iter()
            .filter(|r| r.0 == "BATCH006")
            .collect::<Vec<_>>()
    };
    let out = scan("remote_modules/endpoint");
    assert!(endpoint_rule(&out).is_empty(), "{:?}", results(&out));
    let notes: Vec<&str> = out
        .notifications
        .iter()
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(notes, ["batchguard does not fetch registry modules (`Azure/avm-res-network-privateendpoint/azurerm`); what module `endpoint` deploys is not analysed, and its outputs are unknown"]);

    let out = scan("remote_modules/naming");
    let r = endpoint_rule(&out);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].2, "public_network_access_enabled = false");
    // The call made zero times deploys nothing: no note.
    assert_eq!(out.notifications.len(), 1, "{:?}", out.notifications);
}

/// An NSG that nothing in scope uses but that is passed to a module batchguard does not read is
/// judged on its own, and NET001's message names the module; one passed to nothing does not.
#[test]
fn an_nsg_passed_to_a_module_not_fetched_is_named_with_it() {
    let out = scan("remote_modules/nsg_passed");
    let messages: Vec<&str> = out
        .findings
        .iter()
        .filter(|f| f.rule == "NET001")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let remote = messages
        .iter()
        .find(|m| m.contains("azurerm_network_security_group.remote"))
        .unwrap();
    assert!(
        remote.contains("not associated")
            && remote.contains(
                "a reference to it is passed to module.vnet, which batchguard does not read"
            ),
        "{remote}"
    );
    let spare = messages
        .iter()
        .find(|m| m.contains("azurerm_network_security_group.spare"))
        .unwrap();
    assert!(
        spare.contains("not associated") && !spare.contains("passed to"),
        "{spare}"
    );
}

/// A module argument of `null` leaves a variable declared `nullable = false` at its default, and
/// sets a nullable one (Terraform's default) to null, which lets the provider's default apply.
#[test]
fn null_arguments_follow_the_variable_s_nullable() {
    let out = scan("null_arguments");
    let opened: Vec<String> = out
        .findings
        .iter()
        .filter(|f| f.rule == "BATCH001")
        .map(|f| f.message.to_string())
        .collect();
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(
        opened[0].contains("module.acct2.azurerm_batch_account.b"),
        "{opened:?}"
    );
}

/// Rules generated from `setproduct` of ports and sources, ports written with `formatlist`, and
/// a Bastion subnet allocated with `cidrsubnets` are evaluated as Terraform computes them.
#[test]
fn set_and_cidr_functions_are_evaluated() {
    let out = scan("set_functions");
    let r = results(&out);
    let rules: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(rules, ["NET001", "NET006"], "{r:?}");
    assert!(
        out.findings[0]
            .message
            .to_string()
            .contains("'allow-22-Internet'"),
        "{r:?}"
    );
    assert!(
        out.findings[1].message.to_string().contains("10.0.1.0/27"),
        "{r:?}"
    );
}

/// Override files are merged as Terraform merges them: an argument of an override block replaces
/// the original's, a nested block type replaces all the original's blocks of that type, `count`
/// set by an override applies, and a local value or a variable's default (also from a
/// `_override.tf.json` file, applied after `override.tf`) replaces the original. What the module
/// then deploys is reported; what the overrides replaced is not. An override without an original
/// is a warning.
#[test]
fn override_files_are_merged_into_the_blocks_they_override() {
    let out = scan("overrides");
    let r = results(&out);
    let rules: Vec<(&str, &str, &str)> = r
        .iter()
        .map(|(rule, file, text, _)| (rule.as_str(), file.as_str(), text.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            (
                "BATCH004",
                "overrides/main.tf",
                "resource \"azurerm_batch_account\" \"acct\" {"
            ),
            (
                "NET001",
                "overrides/main.tf",
                "source_address_prefix      = var.admin_source"
            ),
            (
                "NET002",
                "overrides/main.tf",
                "source_address_prefix      = local.web_source"
            ),
        ],
        "{r:#?}"
    );
    // The values come from the override files, which the related locations name.
    let related = |i: usize| -> Vec<(String, String)> {
        out.findings[i]
            .related
            .iter()
            .map(|x| {
                let f = &out.files[x.span.file];
                (
                    f.rel.rsplit('/').next().unwrap().to_string(),
                    f.text[x.span.start..x.span.end].to_string(),
                )
            })
            .collect()
    };
    assert!(
        related(1).contains(&(
            "z_override.tf.json".into(),
            "\"default\": \"Internet\"".into()
        )),
        "{:?}",
        related(1)
    );
    assert!(
        related(2).contains(&("override.tf".into(), "web_source".into())),
        "{:?}",
        related(2)
    );
    let warnings: Vec<&str> = out
        .notifications
        .iter()
        .filter(|n| n.level == batchguard::findings::Level::Warning)
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        ["the override file `override.tf` overrides `resource azurerm_network_security_group.nowhere`, which no other file of the module declares; Terraform refuses an override without an original"]
    );
}
