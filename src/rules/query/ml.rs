//! What the Azure ML rules share: whether a workspace is private, its kind (a hub's project
//! shares the hub's network and dependencies), a workspace's dependencies and batch endpoints,
//! and a compute's subnet (§8, §1.8, D13, D35). Private-endpoint coverage is in
//! [`super::endpoints`].

use crate::graph::links::Link;
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Member, Node, Reference, Resource, Value};
use crate::rules::query::{lookup, str_in, Prop};
use crate::rules::Ctx;

/// Is the workspace private (`publicNetworkAccess` `Disabled`)? `None` when unknown.
pub fn is_private(ws: &Resource) -> Option<bool> {
    match lookup(&ws.body, &["properties", "publicNetworkAccess"]) {
        Prop::Absent => Some(false),
        Prop::Known(m) => str_in(m, &["Disabled"]),
        Prop::Unknown => None,
    }
}

/// Is the workspace a hub's project (D35): `kind` `Project` (compared case-insensitively), or a
/// `hubResourceId` set whatever the kind? A project uses its hub's network, storage, Key Vault,
/// registry and private endpoints, so the workspace rules (ML001 to ML004) judge the hub instead.
/// `None` when the kind or the hub reference is not known.
pub fn is_project(ws: &Resource) -> Option<bool> {
    let kind = match lookup(&ws.body, &["kind"]) {
        Prop::Absent => Some(false),
        Prop::Known(m) => str_in(m, &["Project"]),
        Prop::Unknown => None,
    };
    let hub = hub_set(ws);
    if kind == Some(true) || hub == Some(true) {
        Some(true)
    } else if kind.is_none() || hub.is_none() {
        None
    } else {
        Some(false)
    }
}

/// The workspace's `hubResourceId`, when written (not `null` or empty).
fn hub_reference(ws: &Resource) -> Option<&Node> {
    ws.properties()
        .and_then(|p| p.get("hubResourceId"))
        .filter(|h| !matches!(&h.value, Value::String(s) if s.trim().is_empty()))
}

/// Is `hubResourceId` set? A Terraform reference to another resource is set although its value
/// is not known; any other unknown value might be `null`.
fn hub_set(ws: &Resource) -> Option<bool> {
    if ws.body.is_unknown() || ws.properties().is_some_and(Node::is_unknown) {
        return None;
    }
    match hub_reference(ws).map(|h| &h.value) {
        None => Some(false),
        Some(Value::Unknown(u)) => match u.reference {
            Some(Reference::Terraform { .. } | Reference::BuiltId { .. }) => Some(true),
            _ => None,
        },
        Some(_) => Some(true),
    }
}

/// The workspaces the workspace rules (ML001 to ML004) judge: those known not to be a hub's
/// project (D35).
pub fn workspaces<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = &'a Resource> + 'a {
    ctx.of_type(types::ML_WORKSPACE)
        .filter(|ws| is_project(ws) == Some(false))
}

/// The workspace whose network settings apply to the computes of `ws`: `ws` itself, or a
/// project's hub (D35). `None` when that is not known (the kind is not known, or the project's
/// hub is not in scope).
pub fn network_workspace<'a>(ctx: &Ctx<'a>, ws: &'a Resource) -> Option<&'a Resource> {
    match is_project(ws)? {
        false => Some(ws),
        true => match ctx.graph.link(hub_reference(ws)) {
            Link::Entity(h) if ctx.graph.index.get(h).is_type(types::ML_WORKSPACE) => {
                Some(ctx.graph.index.get(h).resource)
            }
            _ => None,
        },
    }
}

/// A workspace dependency reference (`properties.keyVault`, …) and where it leads: the member
/// (when written and not empty) and the entity when it resolves to a resource of `rtype`.
pub enum Dependency<'a> {
    /// Not written (absent, `null` or an empty string).
    Absent,
    /// Written, resolving to an entity of the expected type.
    InScope(&'a Member, usize),
    /// Written, but unknown or outside the scan scope.
    Unknown,
}

pub fn dependency<'a>(ctx: &Ctx<'a>, ws: &'a Resource, key: &str, rtype: &str) -> Dependency<'a> {
    // A reference is an unknown value that names its target, so `lookup` (which treats it as
    // unknown) is not used here.
    let Some(props) = ws.properties() else {
        return Dependency::Absent;
    };
    if props.is_unknown() {
        return Dependency::Unknown;
    }
    let Some(m) = props.member(key).filter(|m| !m.value.is_null()) else {
        return Dependency::Absent;
    };
    if matches!(&m.value.value, Value::String(s) if s.trim().is_empty()) {
        return Dependency::Absent;
    }
    match ctx.graph.link(Some(&m.value)) {
        Link::Entity(e) if ctx.graph.index.get(e).is_type(rtype) => Dependency::InScope(m, e),
        _ => Dependency::Unknown,
    }
}

/// Does the workspace host a batch endpoint in scope? `None` when an endpoint's workspace is
/// not known.
pub fn has_batch_endpoint(ctx: &Ctx, ws: usize) -> Option<bool> {
    let mut unknown = false;
    for ep in ctx.of_type(types::ML_BATCH_ENDPOINT) {
        match ctx.graph.parent_of(ep) {
            Link::Entity(e) if e == ws => return Some(true),
            Link::Entity(_) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// The private workspaces that ML003 and ML004 look at (D13): `publicNetworkAccess` `Disabled`
/// and, with `ml.require_batch_endpoint`, a batch endpoint in scope; not a hub's project (D35).
pub fn private_batch_workspaces<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, usize)> {
    let mut out = Vec::new();
    for ws in workspaces(ctx) {
        if is_private(ws) != Some(true) {
            continue;
        }
        let Some(e) = ctx.graph.index.of_resource(ws) else {
            continue;
        };
        if ctx.options.ml_require_batch_endpoint && has_batch_endpoint(ctx, e) != Some(true) {
            continue;
        }
        out.push((ws, e));
    }
    out
}

/// The AmlCompute clusters and compute instances in scope, with their compute type.
pub fn computes<'a>(ctx: &Ctx<'a>) -> impl Iterator<Item = (&'a Resource, ComputeKind)> + 'a {
    ctx.of_type(types::ML_COMPUTE).filter_map(|c| {
        let Prop::Known(kind) = lookup(&c.body, &["properties", "computeType"]) else {
            return None;
        };
        if str_in(kind, &["AmlCompute"]) == Some(true) {
            Some((c, ComputeKind::Cluster))
        } else if str_in(kind, &["ComputeInstance"]) == Some(true) {
            Some((c, ComputeKind::Instance))
        } else {
            None
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComputeKind {
    Cluster,
    Instance,
}

impl ComputeKind {
    pub fn noun(self) -> &'static str {
        match self {
            ComputeKind::Cluster => "compute cluster",
            ComputeKind::Instance => "compute instance",
        }
    }
}

/// A compute's subnet setting (`CP.subnet.id`).
pub enum ComputeSubnet<'a> {
    /// No `subnet` at all.
    Absent,
    /// A `subnet` object without an `id` (or with a `null` or empty one).
    NoId(&'a Member),
    /// A subnet is set (known or not).
    Set,
    /// The `subnet` value itself is unknown.
    Unknown,
}

pub fn compute_subnet(c: &Resource) -> ComputeSubnet<'_> {
    match lookup(&c.body, &["properties", "properties", "subnet"]) {
        Prop::Absent => ComputeSubnet::Absent,
        Prop::Unknown => ComputeSubnet::Unknown,
        Prop::Known(m) => match &m.value.value {
            Value::Object(_) => match m.value.member("id").map(|id| &id.value) {
                None => ComputeSubnet::NoId(m),
                Some(id) if id.is_null() => ComputeSubnet::NoId(m),
                Some(id) if matches!(&id.value, Value::String(s) if s.trim().is_empty()) => {
                    ComputeSubnet::NoId(m)
                }
                Some(_) => ComputeSubnet::Set,
            },
            Value::String(s) if s.trim().is_empty() => ComputeSubnet::NoId(m),
            _ => ComputeSubnet::Set,
        },
    }
}

/// A compute's `enableNodePublicIp` (in `CP`, the compute's own properties).
pub const NODE_PUBLIC_IP: PropPath =
    PropPath::new(&["properties", "properties", "enableNodePublicIp"], 2);

/// Does the compute have a public IP (§8: `enableNodePublicIp` absent or `true`)? `Some(false)`
/// when it is known to have none, `None` when unknown.
pub fn has_public_ip(c: &Resource) -> Option<bool> {
    match lookup(&c.body, NODE_PUBLIC_IP.keys) {
        // What the syntax gives an absent value, otherwise Azure's default.
        Prop::Absent => match c.spelling().default_value(NODE_PUBLIC_IP.keys) {
            Some(v) => v.as_bool(),
            None => Some(true),
        },
        Prop::Known(m) => m.value.as_bool(),
        Prop::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::findings::{EditOp, Finding};
    use crate::frontend::arm;
    use crate::graph::build;
    use crate::rules::checker::Checker;
    use crate::rules::{find, Ctx, Options};
    use crate::source::SourceFile;
    use serde_json::json;

    fn template(resources: &str) -> String {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "parameters": {{"p": {{"type": "string"}}}}, "resources": [{resources}]}}"#
        )
    }

    /// The findings of one rule on an ARM template.
    fn findings(rule: &str, resources: &str, options: &Options) -> Vec<Finding> {
        let text = template(resources);
        let f = SourceFile::new(0, "t.json".into(), "t.json".into(), &text);
        let doc = arm::load(&f).unwrap();
        let rs: Vec<_> = doc.resources.iter().collect();
        let g = build(&rs);
        let ctx = Ctx::new(&rs, &g, options);
        let mut out = Vec::new();
        let r = find(rule).unwrap();
        (r.check)(&mut Checker::new(&ctx, &r.meta, &mut out));
        out
    }

    /// The messages of one rule on an ARM template.
    fn run(rule: &str, resources: &str, options: &Options) -> Vec<String> {
        findings(rule, resources, options)
            .into_iter()
            .map(|f| f.message.to_string())
            .collect()
    }

    /// The one edit of each finding's fix: (path, value set).
    fn fixes(rule: &str, resources: &str) -> Vec<(String, serde_json::Value)> {
        findings(rule, resources, &Options::default())
            .into_iter()
            .map(|f| {
                let fix = f.fix.expect("a structured fix");
                assert_eq!(fix.edits.len(), 1);
                let e = &fix.edits[0];
                match &e.op {
                    EditOp::Set(v) => (e.path.join("."), v.clone()),
                    other => panic!("{other:?}"),
                }
            })
            .collect()
    }

    /// ML008 is silenced only by a compute known to have no public IP (§8): one whose public IP
    /// comes from a parameter without a value is reported, and the message says why.
    #[test]
    fn public_ssh_with_a_public_ip_not_known_is_reported() {
        let compute = |pip: &str| {
            format!(
                r#"{{"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/c", "properties": {{"computeType": "AmlCompute", "properties": {{"enableNodePublicIp": {pip}, "remoteLoginPortPublicAccess": "Enabled"}}}}}}"#
            )
        };
        let m = run(
            "ML008",
            &compute(r#""[parameters('p')]""#),
            &Options::default(),
        );
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains("may have public node IPs (enableNodePublicIp is not known) and sets remoteLoginPortPublicAccess to Enabled"),
            "{}",
            m[0]
        );
        assert!(run("ML008", &compute("false"), &Options::default()).is_empty());
        assert!(
            run("ML008", &compute("true"), &Options::default())[0].contains("has public node IPs")
        );
    }

    #[test]
    fn workspace_and_compute_findings_carry_their_fixes() {
        let ws = r#"{"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "properties": {}}"#;
        assert_eq!(
            fixes("ML001", ws),
            [("properties.publicNetworkAccess".into(), json!("Disabled"))]
        );
        let compute = |kind: &str, props: &str| {
            format!(
                r#"{{"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/c", "properties": {{"computeType": "{kind}", "properties": {{{props}}}}}}}"#
            )
        };
        let cluster = compute("AmlCompute", "");
        assert_eq!(
            fixes("ML007", &cluster),
            [(
                "properties.properties.enableNodePublicIp".into(),
                json!(false)
            )]
        );
        assert_eq!(
            fixes("ML009", &cluster),
            [("properties.disableLocalAuth".into(), json!(true))]
        );
        assert_eq!(
            fixes("ML008", &cluster),
            [(
                "properties.properties.remoteLoginPortPublicAccess".into(),
                json!("Disabled")
            )]
        );
        let instance = compute(
            "ComputeInstance",
            r#""sshSettings": {"sshPublicAccess": "Enabled"}"#,
        );
        assert_eq!(
            fixes("ML008", &instance),
            [(
                "properties.properties.sshSettings.sshPublicAccess".into(),
                json!("Disabled")
            )]
        );
        let m = run("ML008", &instance, &Options::default());
        assert!(
            m[0].contains("sets sshSettings.sshPublicAccess to Enabled. Set sshSettings.sshPublicAccess to Disabled, or enableNodePublicIp to false with a subnet."),
            "{}",
            m[0]
        );
    }

    #[test]
    fn amended_and_new_workspace_findings_carry_their_fixes() {
        let ws = |props: &str| {
            format!(
                r#"{{"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-10-01", "name": "ws", "properties": {{{props}}}}}"#
            )
        };
        let behind =
            ws(r#""publicNetworkAccess": "Disabled", "allowPublicAccessWhenBehindVnet": true"#);
        assert_eq!(
            fixes("ML001", &behind),
            [(
                "properties.allowPublicAccessWhenBehindVnet".into(),
                json!(false)
            )]
        );
        // Only on a workspace that is otherwise private: a public one is reported as public.
        let public =
            ws(r#""publicNetworkAccess": "Enabled", "allowPublicAccessWhenBehindVnet": true"#);
        assert_eq!(
            fixes("ML001", &public),
            [("properties.publicNetworkAccess".into(), json!("Disabled"))]
        );
        let off =
            ws(r#""publicNetworkAccess": "Disabled", "allowPublicAccessWhenBehindVnet": false"#);
        assert!(run("ML001", &off, &Options::default()).is_empty());

        let subnet = r#""serverlessComputeCustomSubnet": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]""#;
        let serverless = ws(&format!(r#""serverlessComputeSettings": {{{subnet}}}"#));
        assert_eq!(
            fixes("ML016", &serverless),
            [(
                "properties.serverlessComputeSettings.serverlessComputeNoPublicIP".into(),
                json!(true)
            )]
        );
        let private = ws(&format!(
            r#""serverlessComputeSettings": {{{subnet}, "serverlessComputeNoPublicIP": true}}"#
        ));
        assert!(run("ML016", &private, &Options::default()).is_empty());
        let empty = ws(r#""serverlessComputeSettings": {"serverlessComputeCustomSubnet": ""}"#);
        assert!(run("ML016", &empty, &Options::default()).is_empty());
    }

    #[test]
    fn projects_are_judged_through_their_hub() {
        let o = Options::default();
        let ws = |kind: &str, props: &str| {
            format!(
                r#"{{"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-10-01", "name": "w", {kind} "properties": {{"publicNetworkAccess": "Disabled"{props}}}}}"#
            )
        };
        let hub_id = r#", "hubResourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/hub""#;
        // A private workspace without endpoint or registry: two ML002 results.
        assert_eq!(run("ML002", &ws("", ""), &o).len(), 2);
        assert_eq!(run("ML002", &ws(r#""kind": "hub","#, ""), &o).len(), 2);
        assert_eq!(
            run(
                "ML002",
                &ws(r#""kind": "Default","#, r#", "hubResourceId": """#),
                &o
            )
            .len(),
            2
        );
        // A project, by kind (any case) or by its hub reference: judged through the hub.
        assert!(run("ML002", &ws(r#""kind": "PROJECT","#, ""), &o).is_empty());
        assert!(run("ML002", &ws(r#""kind": "Default","#, hub_id), &o).is_empty());
        // A kind that is not known might be a project: silent.
        assert!(run("ML002", &ws(r#""kind": "[parameters('p')]","#, ""), &o).is_empty());
        let behind = r#", "allowPublicAccessWhenBehindVnet": true"#;
        assert_eq!(run("ML001", &ws("", behind), &o).len(), 1);
        assert!(run("ML001", &ws(r#""kind": "Project","#, behind), &o).is_empty());
    }

    const WS: &str = r#"{"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "properties": {"publicNetworkAccess": "Disabled", "storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'st')]", "containerRegistry": "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]"}}"#;
    const ST: &str = r#"{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "properties": {}}"#;
    const ACR: &str = r#"{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acr", "properties": {"policies": {"quarantinePolicy": {"status": "Enabled"}}}}"#;

    fn pe(name: &str, target: &str, groups: &str) -> String {
        format!(
            r#"{{"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "{name}", "properties": {{"privateLinkServiceConnections": [{{"name": "c", "properties": {{"privateLinkServiceId": "{target}", "groupIds": {groups}}}}}]}}}}"#
        )
    }

    #[test]
    fn storage_groups_missing_known_and_unknown() {
        let o = Options::default();
        let st_id = "[resourceId('Microsoft.Storage/storageAccounts', 'st')]";
        let blob = pe("pe1", st_id, r#"["Blob", "FILE"]"#);
        let m = run("ML003", &[WS, ST, &blob].join(","), &o);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("for queue, table."), "{}", m[0]);
        // All four across two endpoints.
        let rest = pe("pe2", st_id, r#"["queue", "table"]"#);
        assert!(run("ML003", &[WS, ST, &blob, &rest].join(","), &o).is_empty());
        // Unknown group ids on a connection to the account: Unknown.
        let unknown = pe("pe2", st_id, r#""[parameters('p')]""#);
        assert!(run("ML003", &[WS, ST, &blob, &unknown].join(","), &o).is_empty());
        // An endpoint whose target does not resolve might be the missing one: Unknown.
        let elsewhere = pe("pe3", "[parameters('p')]", r#"["queue"]"#);
        assert!(run("ML003", &[WS, ST, &blob, &elsewhere].join(","), &o).is_empty());
    }

    #[test]
    fn private_endpoint_makes_ml002_apply_to_a_public_workspace() {
        let o = Options::default();
        let public = r#"{"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "pub", "properties": {}}"#;
        assert!(run("ML002", public, &o).is_empty());
        let ws_id = "[resourceId('Microsoft.MachineLearningServices/workspaces', 'pub')]";
        let with_pe = pe("pe", ws_id, r#"["amlworkspace"]"#);
        let m = run("ML002", &[public, &with_pe].join(","), &o);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("no container registry"), "{}", m[0]);
        // A wrong group id: the workspace endpoint is reported as missing too.
        let wrong = pe("pe", ws_id, r#"["registry"]"#);
        assert_eq!(run("ML002", &[public, &wrong].join(","), &o).len(), 2);
    }

    #[test]
    fn require_batch_endpoint_option() {
        let mut o = Options::default();
        assert_eq!(run("ML004", &[WS, ACR].join(","), &o).len(), 1);
        o.ml_require_batch_endpoint = true;
        assert!(run("ML004", &[WS, ACR].join(","), &o).is_empty());
        assert!(run("ML003", &[WS, ST].join(","), &o).is_empty());
        let ep = r#"{"type": "Microsoft.MachineLearningServices/workspaces/batchEndpoints", "apiVersion": "2024-04-01", "name": "ws/ep", "properties": {}}"#;
        assert_eq!(run("ML004", &[WS, ACR, ep].join(","), &o).len(), 1);
        assert_eq!(run("ML003", &[WS, ST, ep].join(","), &o).len(), 1);
        // An endpoint of another workspace does not count.
        let other = r#"{"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "other", "properties": {}}"#;
        let ep2 = r#"{"type": "Microsoft.MachineLearningServices/workspaces/batchEndpoints", "apiVersion": "2024-04-01", "name": "other/ep", "properties": {}}"#;
        assert!(run("ML004", &[WS, ACR, other, ep2].join(","), &o).is_empty());
    }

    #[test]
    fn ssh_on_clusters_depends_on_subnet_and_public_ip() {
        let o = Options::default();
        let cluster = |props: &str| {
            format!(
                r#"{{"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/c", "properties": {{"computeType": "AmlCompute", "properties": {{{props}}}}}}}"#
            )
        };
        let subnet = r#""subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"}"#;
        assert_eq!(run("ML008", &cluster(""), &o).len(), 1);
        assert!(run("ML008", &cluster(subnet), &o).is_empty());
        let ns = format!(r#"{subnet}, "remoteLoginPortPublicAccess": "notspecified""#);
        assert!(run("ML008", &cluster(&ns), &o).is_empty());
        let en = format!(r#"{subnet}, "remoteLoginPortPublicAccess": "Enabled""#);
        assert_eq!(run("ML008", &cluster(&en), &o).len(), 1);
        let private = format!(r#"{en}, "enableNodePublicIp": false"#);
        assert!(run("ML008", &cluster(&private), &o).is_empty());
        // Not known to have no public IP: reported (§8).
        let unknown = format!(r#"{en}, "enableNodePublicIp": "[parameters('p')]""#);
        assert_eq!(run("ML008", &cluster(&unknown), &o).len(), 1);
        let unknown_subnet = r#""subnet": "[parameters('p')]""#;
        assert!(run("ML008", &cluster(unknown_subnet), &o).is_empty());
    }
}
