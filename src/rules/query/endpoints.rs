//! Private-endpoint coverage: which private endpoints in scope serve a resource, with which group
//! ids, and whether one that may exist could be the one a check finds missing (D9, D36). Shared
//! by ML002, ML003 and BATCH006.
//!
//! An endpoint counts as covering only when it is known to exist and known to carry the group id.
//! An endpoint that may not exist (an unresolved condition, `count` or `for_each`, a copy loop
//! over an unknown list, a nested deployment of those), whose group ids are not known, or whose
//! target is not known and could be the resource, leaves the answer open: "no private endpoint"
//! is then Unknown, and the rules stay silent. So does a nested deployment whose template is not
//! read (an ARM `templateLink`, a Bicep registry module, a module file outside the scan): it may
//! deploy one.

use crate::graph::links::PrivateEndpointLink;
use crate::ir::types;
use crate::rules::Ctx;

/// The group ids (lowercase) of each resource type whose private endpoints the rules read (D9),
/// with the other sub-resources of those types, so that an endpoint whose target is not known
/// but whose group ids are can be ruled out for a resource of another type.
const GROUPS: &[(&str, &[&str])] = &[
    (types::ML_WORKSPACE, &["amlworkspace"]),
    (types::KEY_VAULT, &["vault"]),
    (types::CONTAINER_REGISTRY, &["registry"]),
    (
        types::STORAGE_ACCOUNT,
        &[
            "blob",
            "blob_secondary",
            "file",
            "file_secondary",
            "queue",
            "queue_secondary",
            "table",
            "table_secondary",
            "web",
            "web_secondary",
            "dfs",
            "dfs_secondary",
        ],
    ),
    (types::BATCH_ACCOUNT, &["batchaccount", "nodemanagement"]),
];

/// Could a connection whose target is not known be one to a resource of `rtype`? Only when
/// all its group ids are known and each belongs to another resource type is it ruled out.
fn could_target(l: &PrivateEndpointLink, rtype: &str) -> bool {
    if l.unknown_groups || l.group_ids.is_empty() {
        return true;
    }
    let of_other_type = |g: &str| {
        GROUPS
            .iter()
            .any(|(t, gs)| !t.eq_ignore_ascii_case(rtype) && gs.contains(&g))
            && !GROUPS
                .iter()
                .any(|(t, gs)| t.eq_ignore_ascii_case(rtype) && gs.contains(&g))
    };
    !l.group_ids.iter().all(|g| of_other_type(g))
}

/// The private endpoint connections that target one resource, and those that might.
pub struct Coverage<'a> {
    /// The connections that resolve to the resource, in scope order.
    pub links: Vec<PrivateEndpointLink<'a>>,
    /// Connections whose target is not known and that could be to the resource.
    maybe: Vec<PrivateEndpointLink<'a>>,
    /// The scope holds a nested deployment whose template is not read, which may deploy an
    /// endpoint to the resource.
    unread: bool,
}

/// Does the scope hold a nested deployment whose template batchguard did not read?
fn unread_deployment(ctx: &Ctx) -> bool {
    ctx.resources.iter().any(|r| r.is_unread_deployment())
}

impl<'a> Coverage<'a> {
    /// The coverage of an entity of the scope's graph.
    pub fn of(ctx: &Ctx<'a>, entity: usize) -> Coverage<'a> {
        let e = ctx.graph.index.get(entity);
        Coverage {
            links: ctx.graph.private_endpoints(entity),
            maybe: ctx
                .graph
                .unresolved_private_endpoints()
                .iter()
                .filter(|l| could_target(l, &e.rtype) && !l.names_another(e))
                .cloned()
                .collect(),
            unread: unread_deployment(ctx),
        }
    }

    /// Is the resource served by an endpoint with `group` (case-insensitive)? `Some(true)` when
    /// one that certainly exists carries it, `None` when one that may exist, may carry it or may
    /// target the resource could (D36), `Some(false)` otherwise.
    pub fn covers(&self, group: &str) -> Option<bool> {
        let carries =
            |l: &PrivateEndpointLink| l.group_ids.iter().any(|g| g.eq_ignore_ascii_case(group));
        if self.links.iter().any(|l| carries(l) && !l.may_not_exist()) {
            Some(true)
        } else if self.unread
            || self.links.iter().any(|l| carries(l) || l.unknown_groups)
            || self.maybe.iter().any(|l| carries(l) || l.unknown_groups)
        {
            None
        } else {
            Some(false)
        }
    }

    /// Does any private endpoint serve the resource? `None` when only endpoints that may not
    /// exist, or whose target is not known, could (D36).
    pub fn any(&self) -> Option<bool> {
        if self.links.iter().any(|l| !l.may_not_exist()) {
            Some(true)
        } else if self.unread || !self.links.is_empty() || !self.maybe.is_empty() {
            None
        } else {
            Some(false)
        }
    }

    /// The connections to the resource that do not carry `group`: the endpoints a finding about
    /// a missing `group` endpoint names as related.
    pub fn others(&self, group: &str) -> impl Iterator<Item = &PrivateEndpointLink<'a>> {
        let group = group.to_ascii_lowercase();
        self.links
            .iter()
            .filter(move |l| !l.group_ids.contains(&group))
    }
}

/// Names a private endpoint connection and its group ids, for related locations.
pub fn endpoint_note(l: &PrivateEndpointLink) -> String {
    let groups = if l.group_ids.is_empty() {
        if l.unknown_groups {
            "unknown group ids".to_string()
        } else {
            "no group ids".to_string()
        }
    } else {
        format!("group ids {}", l.group_ids.join(", "))
    };
    format!("private endpoint {} ({groups})", l.endpoint.display())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::arm;
    use crate::graph::build;
    use crate::rules::Options;
    use crate::source::SourceFile;

    fn template(resources: &[&str]) -> String {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "parameters": {{"p": {{"type": "string"}}, "flag": {{"type": "bool"}}}}, "resources": [{}]}}"#,
            resources.join(",")
        )
    }

    const ACCT: &str = r#"{"type": "Microsoft.Batch/batchAccounts", "apiVersion": "2024-07-01", "name": "acct", "properties": {}}"#;
    const ACCT_ID: &str = "[resourceId('Microsoft.Batch/batchAccounts', 'acct')]";

    fn pe(name: &str, target: &str, groups: &str, extra: &str) -> String {
        format!(
            r#"{{"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "{name}"{extra}, "properties": {{"privateLinkServiceConnections": [{{"name": "c", "properties": {{"privateLinkServiceId": "{target}", "groupIds": {groups}}}}}]}}}}"#
        )
    }

    /// (covers(group), any()) of the Batch account `acct` among `resources`.
    fn account(resources: &[&str], group: &str) -> (Option<bool>, Option<bool>) {
        let text = template(resources);
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), &text);
        let doc = arm::load(&f).unwrap();
        let mut rs: Vec<crate::ir::Resource> = doc.resources.clone();
        // What evaluation would say of the conditional endpoints of these templates.
        for r in &mut rs {
            if r.name() == Some("maybe") {
                r.conditional = Some("condition [parameters('flag')] is not known".into());
            }
        }
        let refs: Vec<_> = rs.iter().collect();
        let g = build(&refs);
        let o = Options::default();
        let ctx = Ctx::new(&refs, &g, &o);
        let acct = g.index.of_resource(refs[0]).unwrap();
        let c = Coverage::of(&ctx, acct);
        (c.covers(group), c.any())
    }

    #[test]
    fn known_endpoints_cover_or_do_not() {
        let batch = pe("pe", ACCT_ID, r#"["BatchAccount"]"#, "");
        assert_eq!(
            account(&[ACCT, &batch], "batchAccount"),
            (Some(true), Some(true))
        );
        let node = pe("pe", ACCT_ID, r#"["nodeManagement"]"#, "");
        assert_eq!(
            account(&[ACCT, &node], "batchAccount"),
            (Some(false), Some(true))
        );
        assert_eq!(account(&[ACCT], "batchAccount"), (Some(false), Some(false)));
    }

    #[test]
    fn endpoints_that_may_exist_leave_it_open() {
        // An endpoint whose existence is not known.
        let maybe = pe("maybe", ACCT_ID, r#"["batchAccount"]"#, "");
        assert_eq!(account(&[ACCT, &maybe], "batchAccount"), (None, None));
        // Group ids that are not known.
        let groups = pe("pe", ACCT_ID, r#""[parameters('p')]""#, "");
        assert_eq!(
            account(&[ACCT, &groups], "batchAccount"),
            (None, Some(true))
        );
        // A target that is not known, with a group id a Batch account could have.
        let target = pe("pe", "[parameters('p')]", r#"["batchAccount"]"#, "");
        assert_eq!(account(&[ACCT, &target], "batchAccount"), (None, None));
        // A connection list that is not known.
        let list = r#"{"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe", "properties": {"privateLinkServiceConnections": "[parameters('p')]"}}"#;
        assert_eq!(account(&[ACCT, list], "batchAccount"), (None, None));
    }

    #[test]
    fn unknown_targets_with_another_type_s_group_ids_are_ruled_out() {
        let vault = pe("pe", "[parameters('p')]", r#"["vault"]"#, "");
        assert_eq!(
            account(&[ACCT, &vault], "batchAccount"),
            (Some(false), Some(false))
        );
        // A group id of no type the table knows could be anything.
        let other = pe("pe", "[parameters('p')]", r#"["sqlServer"]"#, "");
        assert_eq!(
            account(&[ACCT, &other], "batchAccount"),
            (Some(false), None)
        );
    }
}
