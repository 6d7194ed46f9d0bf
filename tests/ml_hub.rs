//! AI Foundry hubs and projects (D35) and private endpoints that may exist (D36), end to end in
//! the three syntaxes (`testdata/ml_hub`):
//!
//! - `arm/hub_endpoint_nested.json` has the shape of a common AI platform pattern: the hub's
//!   `amlworkspace` endpoint is created two nested deployments below the hub, by a copy loop over
//!   a list built from another deployment's outputs (`reference()`, `map()` with a lambda). The
//!   endpoint may exist, so the hub has no ML002 result; `hub_without_endpoint_nested.json` is
//!   the same with the list known to be empty, and the hub's missing endpoint is reported.
//! - In every syntax, a private project is judged through its hub: no ML001 to ML004 result,
//!   and its computes use the hub's managed network (ML006).
//! - `azurerm/` creates the hub's endpoint under a `count` that is not known (no result);
//!   `azurerm_without_endpoint/` calls it with the endpoint known not to exist (reported).
//! - `azapi/` builds the endpoint's connections from a list without a value (no result).

mod common;

use batchguard::findings::Level;
use batchguard::rules::Options;
use common::{manifest_dir, scan_paths};
use std::path::PathBuf;

#[test]
fn hubs_are_judged_and_projects_follow_them() {
    let out = scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata/ml_hub")],
        Options::default(),
    );
    assert!(
        !out.notifications.iter().any(|n| n.level == Level::Error),
        "{:?}",
        out.notifications
    );
    let found: Vec<(String, String, usize)> = out
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("ML") || f.rule == "BATCH006")
        .map(|f| {
            let file = &out.files[f.span.file];
            (
                f.rule.to_string(),
                file.rel.trim_start_matches("testdata/ml_hub/").to_string(),
                file.position(f.span.start).line,
            )
        })
        .collect();
    let want = [
        ("ML002", "arm/hub_without_endpoint_nested.json", 101),
        ("ML002", "azurerm/main.tf", 39),
    ];
    let want: Vec<(String, String, usize)> = want
        .iter()
        .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(found, want);
    // The hub's finding from the module call names the hub, through the call.
    let hub = out
        .findings
        .iter()
        .find(|f| out.files[f.span.file].rel.ends_with("azurerm/main.tf"))
        .unwrap();
    assert!(
        hub.message
            .to_string()
            .contains("module.hub.azurerm_ai_foundry.hub has public network access disabled"),
        "{}",
        hub.message
    );
}
