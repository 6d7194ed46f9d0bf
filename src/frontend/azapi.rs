//! azapi: an `azapi_resource` carries the ARM resource as written. `type = "<ARM type>@<api>"`
//! gives the type and API version; `body` is the ARM object, written as an HCL object (azapi 2.x),
//! as `jsonencode({…})` (azapi 1.x; the inner object is lowered with its HCL spans) or as a JSON
//! string (every node then spans the `body` attribute, since positions inside the string are not
//! mapped). `sensitive_body` is merge-patched over `body`, its nodes keeping their own spans.
//! `name`, `location`, `tags` and `identity` come from the resource's attributes and blocks;
//! `parent_id` is the parent reference.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Attribute;

use super::azurerm::identity_value;
use super::hcl::{self, Ctx};
use super::terraform::ResourceBlock;
use crate::ir::armid::ArmId;
use crate::ir::{Member, Node, Resource, Secret, Span, Value};
use std::collections::HashMap;

/// Lowers an `azapi_resource` block; `None` when its `type` is not a literal string.
pub fn lower(rb: &ResourceBlock, ctx: &Ctx) -> Option<Resource> {
    let attr = |k: &str| rb.block.body.attributes().find(|a| a.key.as_str() == k);
    let type_attr = attr("type")?;
    let full = resource_type(rb, ctx)?;
    let (rtype, api_version) = match full.split_once('@') {
        Some((t, v)) => (t.to_string(), Some(v.to_string()).filter(|v| !v.is_empty())),
        None => (full, None),
    };
    let tf = super::terraform::resource_body(rb, ctx);

    let mut members = match attr("body") {
        Some(a) => match body_node(a, ctx) {
            Node {
                value: Value::Object(m),
                ..
            } => m,
            Node {
                value: Value::Null, ..
            } => Vec::new(),
            n => vec![Member {
                key: "properties".into(),
                key_span: ctx.span_of(&a.key),
                value: n,
                written: None,
            }],
        },
        None => Vec::new(),
    };
    let sensitive: Vec<Secret> = attr("sensitive_body")
        .map(|a| Secret {
            range: ctx.span_of(a),
            name: ctx.span_of(&a.key),
        })
        .into_iter()
        .collect();
    if let Some(a) = attr("sensitive_body") {
        // A sensitive body that is not known (usually a variable holding secrets) is not applied.
        if let Value::Object(patch) = body_node(a, ctx).value {
            merge_patch(&mut members, patch);
        }
    }
    for k in ["name", "location", "tags"] {
        if let Some(m) = tf.member(k) {
            if !members.iter().any(|x| x.key.eq_ignore_ascii_case(k)) {
                members.push(m.clone());
            }
        }
    }
    if let Some(m) = tf.member("identity") {
        if !members
            .iter()
            .any(|x| x.key.eq_ignore_ascii_case("identity"))
        {
            if let Some(value) = identity_value(m) {
                members.push(Member {
                    key: "identity".into(),
                    key_span: m.key_span,
                    value,
                    written: None,
                });
            }
        }
    }

    let levels = rtype.split('/').count().saturating_sub(1).max(1);
    let mut name_segments: Vec<Option<String>> = vec![None; levels];
    let name_member = tf.member("name");
    name_segments[levels - 1] = name_member
        .and_then(|m| m.value.as_str())
        .map(str::to_string);
    let parent_ref = tf.member("parent_id").map(|m| m.value.clone());
    let parent_ref_at = tf.member("parent_id").map(Member::span);
    if let Some(id) = parent_ref
        .as_ref()
        .and_then(|p| p.as_str())
        .and_then(ArmId::parse)
    {
        for (seg, name) in name_segments[..levels - 1]
            .iter_mut()
            .rev()
            .zip(id.names.into_iter().rev())
        {
            *seg = name;
        }
    }

    Some(Resource {
        rtype,
        api_version,
        api_version_span: Some(ctx.span_of(type_attr)),
        tf_address: Some(rb.address.clone()),
        name_segments,
        name_span: name_member.map_or(rb.name_label, |m| m.span()),
        parent_ref,
        parent_ref_at,
        resource_group: None,
        header: rb.header,
        span: rb.span,
        body: Node::new(Value::Object(members), rb.span),
        provenance: Vec::new(),
        spelling: Default::default(),
        rejected: Vec::new(),
        conditional: None,
        api_profile: None,
        sensitive,
    })
}

/// The ARM object a `body` or `sensitive_body` attribute carries.
fn body_node(a: &Attribute, ctx: &Ctx) -> Node {
    if let Expression::FuncCall(f) = &a.value {
        let args: Vec<&Expression> = f.args.iter().collect();
        if f.name.namespace.is_empty() && f.name.name.as_str() == "jsonencode" && args.len() == 1 {
            let mut n = hcl::lower_expr(args[0], ctx);
            if let Value::Unknown(u) = &mut n.value {
                u.reason = format!("`{}` is not evaluated", a.key.as_str());
            }
            return n;
        }
    }
    let n = hcl::lower_expr(&a.value, ctx);
    match &n.value {
        Value::String(s) => {
            let span = ctx.span_of(a);
            match serde_json::from_str::<serde_json::Value>(s) {
                Ok(v) => json_node(&v, span),
                Err(e) => {
                    Node::unknown(format!("`{}` is not valid JSON: {e}", a.key.as_str()), span)
                }
            }
        }
        _ => n,
    }
}

/// A JSON value as IR, every node with the same span.
fn json_node(v: &serde_json::Value, span: Span) -> Node {
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) => Value::Number(f),
            None => return Node::unknown("number out of range", span),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(|x| json_node(x, span)).collect()),
        serde_json::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| Member {
                    key: k.clone().into(),
                    key_span: span,
                    value: json_node(x, span),
                    written: None,
                })
                .collect(),
        ),
    };
    Node::new(value, span)
}

/// The pseudo type of an `azapi_update_resource`: its body is merge-patched over the resource its
/// `resource_id` names when that resource is in scope (§1.10).
pub const UPDATE_TYPE: &str = "Terraform.AzapiUpdate";

/// An `azapi_update_resource`, lowered like an `azapi_resource` whose parent reference is its
/// `resource_id` and whose type is [`UPDATE_TYPE`].
/// The block's `type` (`Microsoft.Batch/batchAccounts/pools@2024-07-01`), when it is a string.
fn resource_type(rb: &ResourceBlock, ctx: &Ctx) -> Option<String> {
    let type_attr = rb
        .block
        .body
        .attributes()
        .find(|a| a.key.as_str() == "type")?;
    if let Some(t) = hcl::lower_expr(&type_attr.value, ctx).as_str() {
        return Some(t.to_string());
    }
    // `"Microsoft.Batch/batchAccounts/pools@${var.api_version}"`: the type is written, only the
    // API version is not known (it is then absent, as version-dependent rules read it).
    let written = ctx.text.get(hcl_edit::Span::span(&type_attr.value)?)?;
    let (rtype, _) = written.trim().strip_prefix('"')?.split_once('@')?;
    let known = rtype.contains('/')
        && rtype
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'));
    known.then(|| format!("{rtype}@"))
}

/// Does [`lower`] (and [`lower_update`]) read this block, i.e. is its `type` a string?
pub fn has_type(rb: &ResourceBlock, ctx: &Ctx) -> bool {
    resource_type(rb, ctx).is_some()
}

pub fn lower_update(rb: &ResourceBlock, ctx: &Ctx) -> Option<Resource> {
    let mut r = lower(rb, ctx)?;
    let tf = super::terraform::resource_body(rb, ctx);
    r.parent_ref = tf.member("resource_id").map(|m| m.value.clone());
    r.parent_ref_at = tf.member("resource_id").map(Member::span);
    r.rtype = UPDATE_TYPE.to_string();
    Some(r)
}

/// Applies every update of `resources` to its target in the same list (when the target
/// resolves by Terraform address) and removes the updates.
pub fn apply_updates(resources: &mut Vec<Resource>) {
    let updates: Vec<Resource> = resources
        .iter()
        .filter(|r| r.rtype == UPDATE_TYPE)
        .cloned()
        .collect();
    resources.retain(|r| r.rtype != UPDATE_TYPE);
    // The first resource with each address, so that each update finds its target at once.
    let mut by_address: HashMap<String, usize> = HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        if let Some(a) = &r.tf_address {
            by_address.entry(a.clone()).or_insert(i);
        }
    }
    for u in updates {
        let target = match u.parent_ref.as_ref().map(|p| &p.value) {
            Some(Value::Unknown(unknown)) => match &unknown.reference {
                Some(crate::ir::Reference::Terraform { address, .. }) => address.clone(),
                _ => continue,
            },
            _ => continue,
        };
        let Some(&t) = by_address.get(&target) else {
            continue;
        };
        let t = &mut resources[t];
        let (Value::Object(patch), Value::Object(members)) = (u.body.value, &mut t.body.value)
        else {
            continue;
        };
        // Only the ARM properties are patched; the update's own name, location and tags are not
        // the target's.
        let patch: Vec<Member> = patch
            .into_iter()
            .filter(|m| {
                !["name", "location", "tags"]
                    .iter()
                    .any(|k| m.key.eq_ignore_ascii_case(k))
            })
            .collect();
        merge_patch(members, patch);
        t.provenance.extend(u.provenance);
        t.sensitive.extend(u.sensitive);
    }
}

/// JSON merge patch (RFC 7386) of `patch` over `target`, keys compared as ARM compares them
/// (case-insensitively). Patched members keep the patch's spans.
fn merge_patch(target: &mut Vec<Member>, patch: Vec<Member>) {
    for p in patch {
        let i = target
            .iter()
            .position(|m| m.key.eq_ignore_ascii_case(&p.key));
        match (i, p.value.value) {
            (Some(i), Value::Null) => {
                target.remove(i);
            }
            (None, Value::Null) => {}
            (Some(i), Value::Object(pm)) if matches!(target[i].value.value, Value::Object(_)) => {
                if let Value::Object(tm) = &mut target[i].value.value {
                    merge_patch(tm, pm);
                }
            }
            (i, Value::Object(pm)) => {
                let mut fresh = Vec::new();
                merge_patch(&mut fresh, pm);
                let m = Member {
                    key: p.key,
                    key_span: p.key_span,
                    value: Node::new(Value::Object(fresh), p.value.span),
                    written: None,
                };
                match i {
                    Some(i) => target[i] = m,
                    None => target.push(m),
                }
            }
            (i, value) => {
                let m = Member {
                    key: p.key,
                    key_span: p.key_span,
                    value: Node::new(value, p.value.span),
                    written: None,
                };
                match i {
                    Some(i) => target[i] = m,
                    None => target.push(m),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::{terraform, InputKind};
    use crate::ir::Document;
    use crate::source::SourceFile;

    fn load(text: &str) -> Document {
        let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), text);
        let d = terraform::load(&f, InputKind::Terraform).doc;
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        d
    }

    fn at(text: &str, s: Span) -> &str {
        &text[s.start..s.end]
    }

    /// The value shape without spans, for comparing bodies written in different syntaxes.
    fn shape(n: &Node) -> String {
        match &n.value {
            Value::Object(m) => {
                let inner: Vec<String> = m
                    .iter()
                    .map(|m| format!("{}:{}", m.key, shape(&m.value)))
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
            Value::Array(a) => {
                format!("[{}]", a.iter().map(shape).collect::<Vec<_>>().join(","))
            }
            Value::Unknown(u) => format!("?{:?}", u.reference),
            v => format!("{v:?}"),
        }
    }

    const POOL_HCL: &str = r#"resource "azapi_resource" "p" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "pool"
  parent_id = azapi_resource.acct.id
  body = {
    properties = {
      vmSize = "STANDARD_D2S_V3"
      networkConfiguration = {
        subnetId = azurerm_subnet.s.id
        endpointConfiguration = {
          inboundNatPools = [{
            name                   = "ssh"
            backendPort            = 22
            frontendPortRangeStart = 4000
          }]
        }
      }
    }
  }
}
"#;

    const POOL_JSONENCODE: &str = r#"resource "azapi_resource" "p" {
  type      = "Microsoft.Batch/batchAccounts/pools@2023-05-01"
  name      = "pool"
  parent_id = azapi_resource.acct.id
  body = jsonencode({
    properties = {
      vmSize = "STANDARD_D2S_V3"
      networkConfiguration = {
        subnetId = azurerm_subnet.s.id
        endpointConfiguration = {
          "inboundNatPools" : [{
            name                   = "ssh"
            backendPort            = 22
            frontendPortRangeStart = 4000
          }]
        }
      }
    }
  })
}
"#;

    #[test]
    fn hcl_object_and_jsonencode_bodies_lower_alike() {
        let a = load(POOL_HCL).resources.remove(0);
        let b = load(POOL_JSONENCODE).resources.remove(0);
        assert_eq!(shape(&a.body), shape(&b.body));
        assert_eq!(a.rtype, "Microsoft.Batch/batchAccounts/pools");
        assert_eq!(a.api_version.as_deref(), Some("2023-05-01"));
        assert_eq!(
            at(POOL_HCL, a.api_version_span.unwrap()),
            "type      = \"Microsoft.Batch/batchAccounts/pools@2023-05-01\""
        );
        assert_eq!(a.name_segments, [None, Some("pool".to_string())]);
        assert!(a.parent_ref.as_ref().unwrap().is_unknown());
        for (r, t) in [(&a, POOL_HCL), (&b, POOL_JSONENCODE)] {
            let np = r
                .body
                .path(&[
                    "properties",
                    "networkConfiguration",
                    "endpointConfiguration",
                    "inboundNatPools",
                ])
                .unwrap();
            let bp = np.items()[0].member("backendPort").unwrap();
            assert_eq!(at(t, bp.span()), "backendPort            = 22");
            assert_eq!(r.body.get("name").unwrap().as_str(), Some("pool"));
        }
    }

    #[test]
    fn json_string_body_spans_the_attribute() {
        let t = "resource \"azapi_resource\" \"w\" {\n  type = \"Microsoft.MachineLearningServices/workspaces@2024-04-01\"\n  name = \"ws\"\n  location = \"westeurope\"\n  parent_id = \"/subscriptions/s/resourceGroups/rg\"\n  body = <<JSON\n{\"properties\": {\"publicNetworkAccess\": \"Enabled\"}}\nJSON\n  identity {\n    type = \"SystemAssigned\"\n  }\n}\n";
        let d = load(t);
        let r = &d.resources[0];
        let m = r
            .body
            .path_member(&["properties", "publicNetworkAccess"])
            .unwrap();
        assert_eq!(m.value.as_str(), Some("Enabled"));
        assert!(at(t, m.value.span).starts_with("body = <<JSON"));
        assert_eq!(m.key_span, m.value.span);
        assert_eq!(r.body.get("location").unwrap().as_str(), Some("westeurope"));
        assert_eq!(
            r.body.path(&["identity", "type"]).unwrap().as_str(),
            Some("SystemAssigned")
        );
        assert_eq!(r.name_segments, [Some("ws".to_string())]);
    }

    #[test]
    fn sensitive_body_is_merge_patched() {
        let t = "resource \"azapi_resource\" \"c\" {\n  type = \"Microsoft.MachineLearningServices/workspaces/computes@2024-04-01\"\n  name = \"c\"\n  parent_id = \"/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws\"\n  body = {\n    properties = {\n      computeType = \"AmlCompute\"\n      disableLocalAuth = true\n      properties = { vmSize = \"A\", remove = 1 }\n    }\n  }\n  sensitive_body = {\n    properties = {\n      disableLocalAuth = false\n      properties = { remove = null, secret = \"s\" }\n    }\n  }\n}\n";
        let d = load(t);
        let r = &d.resources[0];
        assert_eq!(
            r.name_segments,
            [Some("ws".to_string()), Some("c".to_string())]
        );
        let p = r.properties().unwrap();
        let dla = p.member("disableLocalAuth").unwrap();
        assert_eq!(dla.value.as_bool(), Some(false));
        assert!(dla.key_span.start > t.find("sensitive_body").unwrap());
        let cp = p.get("properties").unwrap();
        assert_eq!(cp.get("vmSize").unwrap().as_str(), Some("A"));
        assert!(cp.member("remove").is_none());
        assert_eq!(cp.get("secret").unwrap().as_str(), Some("s"));
        assert_eq!(p.get("computeType").unwrap().as_str(), Some("AmlCompute"));
    }

    #[test]
    fn unknown_body_is_unknown_properties() {
        let t = "resource \"azapi_resource\" \"x\" {\n  type = \"Microsoft.Batch/batchAccounts@2024-07-01\"\n  name = var.n\n  body = var.body\n}\nresource \"azapi_resource\" \"y\" {\n  type = var.t\n}\n";
        let d = load(t);
        assert_eq!(d.resources.len(), 1);
        let r = &d.resources[0];
        assert!(r.body.get("properties").unwrap().is_unknown());
        assert_eq!(r.name_segments, [None]);
    }

    /// A type whose API version is not known is read, without an API version; one whose type
    /// is not known is not.
    #[test]
    fn an_api_version_that_is_not_known_leaves_the_type() {
        let t = "resource \"azapi_resource\" \"p\" {\n  type = \"Microsoft.Batch/batchAccounts/pools@${var.v}\"\n  name = \"pool\"\n}\nresource \"azapi_resource\" \"q\" {\n  type = \"${var.t}@2024-07-01\"\n}\n";
        let d = load(t);
        assert_eq!(d.resources.len(), 1);
        let r = &d.resources[0];
        assert_eq!(r.rtype, "Microsoft.Batch/batchAccounts/pools");
        assert_eq!(r.api_version, None);
        assert_eq!(r.name_segments, [None, Some("pool".to_string())]);
    }
}
