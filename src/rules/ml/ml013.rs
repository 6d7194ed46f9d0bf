//! ML013: public-IP Azure ML compute, or a public Classic Batch pool, whose subnet sends the
//! default route to a firewall without a route for its management service tag to `Internet`.

use crate::findings::{Fix, Level, Message};
use crate::graph::links::Link;
use crate::ir::types;
use crate::ir::Resource;
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::workloads::{
    association_span, compute_public_ip, compute_region, ml_computes, pool_is_public, pool_mode,
    pool_region, reference_span, regional_message, subnet_name, subnet_routes, workspace_unmanaged,
    Mode, Region, Route, RoutePrefix, COMPUTE_SUBNET, POOL_SUBNET,
};
use crate::rules::query::URI_NT;
use crate::rules::{Ctx, Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML013",
        name: "ForcedTunnellingWithoutInternetNextHopForManagementTraffic",
        title: "Forced tunnelling without Internet next hop for management traffic",
        level: Level::Warning,
        security_severity: "2.5",
        tags: &["availability", "network", "ml", "batch"],
        precision: "high",
        help_uri: URI_NT,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML013.md"),
    },
    check,
};

/// The outcome for one subnet's routes and one management tag.
#[derive(Debug, Clone)]
pub enum Verdict<'a> {
    /// The default route goes to a firewall and no route sends the tag to `Internet`.
    Violating(Route<'a>),
    Compliant,
    Unknown,
}

/// Judges the routes of a subnet for a workload whose management traffic comes from `tag`
/// (lowercase, e.g. `azuremachinelearning`) in `region`.
pub fn judge<'a>(routes: &[Route<'a>], tag: &str, region: Option<&str>) -> Verdict<'a> {
    let forced = routes.iter().find(|r| {
        r.prefix == RoutePrefix::Default
            && r.next_hop_is(&["VirtualAppliance", "VirtualApplianceEcmp"]) == Some(true)
    });
    let Some(forced) = forced else {
        return Verdict::Compliant;
    };
    let mut unknown = false;
    for r in routes {
        let to_internet = r.next_hop_is(&["Internet"]);
        if to_internet == Some(false) {
            continue;
        }
        match &r.prefix {
            RoutePrefix::Tag { name, region: rr } if name == tag => {
                let region_ok = match (rr, region) {
                    (None, _) => Some(true),
                    (Some(a), Some(b)) => Some(a == b),
                    (Some(_), None) => None,
                };
                match (to_internet, region_ok) {
                    (Some(true), Some(true)) => return Verdict::Compliant,
                    (_, Some(false)) => {}
                    _ => unknown = true,
                }
            }
            // Other service tags do not carry the management traffic.
            RoutePrefix::Tag { .. } => {}
            // Another CIDR to Internet may or may not cover the service's addresses.
            RoutePrefix::Cidr | RoutePrefix::Unknown => unknown = true,
            RoutePrefix::Default => {
                if to_internet.is_none() {
                    unknown = true;
                }
            }
        }
    }
    if unknown {
        Verdict::Unknown
    } else {
        Verdict::Violating(forced.clone())
    }
}

struct Workload<'a> {
    r: &'a Resource,
    subnet: usize,
    path: &'static [&'static str],
    tag: &'static str,
    region: Option<Region>,
    what: String,
}

fn workloads<'a>(ctx: &Ctx<'a>) -> Vec<Workload<'a>> {
    let mut out = Vec::new();
    for (c, kind) in ml_computes(ctx) {
        if compute_public_ip(c) != Some(true) || workspace_unmanaged(ctx, c) == Some(false) {
            continue;
        }
        if let Link::Entity(subnet) = ctx.graph.subnet_of(c, &COMPUTE_SUBNET) {
            out.push(Workload {
                r: c,
                subnet,
                path: &COMPUTE_SUBNET,
                tag: "AzureMachineLearning",
                region: compute_region(ctx, c),
                what: format!("{} with public IPs", kind.noun()),
            });
        }
    }
    for pool in ctx.of_type(types::BATCH_POOL) {
        if pool_is_public(pool) != Some(true) || pool_mode(pool) != Some(Mode::Classic) {
            continue;
        }
        if let Link::Entity(subnet) = ctx.graph.subnet_of(pool, &POOL_SUBNET) {
            out.push(Workload {
                r: pool,
                subnet,
                path: &POOL_SUBNET,
                tag: "BatchNodeManagement",
                region: pool_region(ctx, pool),
                what: "classic Batch pool with public IPs".into(),
            });
        }
    }
    out
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for w in workloads(ctx) {
        let Some(routes) = subnet_routes(ctx, w.subnet) else {
            continue;
        };
        let region = w.region.as_ref().map(|r| r.name.as_str());
        let Verdict::Violating(route) = judge(&routes, &w.tag.to_ascii_lowercase(), region) else {
            continue;
        };
        // `AzureMachineLearning[.westeurope]`: the global tag or the region's.
        let tag = match &w.region {
            Some(r) => Message::new()
                .text(format!("{}[", w.tag))
                .append(regional_message("", Some(r)))
                .text("]"),
            None => Message::new().text(w.tag),
        };
        let says = Message::new()
            .text(format!("{} is a {} in ", who(w.r), w.what))
            .append(subnet_name(ctx, w.subnet))
            .text(", whose route table sends 0.0.0.0/0 to a virtual appliance, and no route sends `")
            .append(tag)
            .text("` to next hop Internet, so the management traffic's replies leave through the firewall and break.").help(format!("Add a route with address prefix {} and next hop type Internet.", w.tag));
        let holder = route.holder.unwrap_or(w.r);
        // A route written in the table's `routes` (not a route resource of its own): the fix
        // adds the missing route beside it.
        let in_table = route
            .holder
            .is_some_and(|t| !std::ptr::eq(&t.body, route.node));
        let mut f = cx
            .report(At::span(holder, route.next_hop_span()), says)
            .discriminator(who(w.r))
            .related(
                reference_span(w.r, w.path),
                "the workload's subnet reference",
            );
        if let Some(at) =
            association_span(ctx, w.subnet, types::link::SUBNET_ROUTE_TABLE, "routeTable")
        {
            f = f.related(at, "the subnet's route table association");
        }
        if in_table {
            f.fix(Fix::default().and_add(
                &["properties", "routes"],
                json!({
                    "name": format!("{}-Internet", w.tag),
                    "properties": { "addressPrefix": w.tag, "nextHopType": "Internet" },
                }),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Member, Node, Span, Value};

    fn s(v: &str) -> Node {
        Node::new(Value::String(v.into()), Span::new(0, 0, 0))
    }
    fn route(prefix: Option<&str>, hop: &str) -> Node {
        let m = |k: &str, v: Node| Member {
            key: k.to_string().into(),
            key_span: Span::new(0, 0, 0),
            value: v,
            written: None,
        };
        let prefix = match prefix {
            Some(p) => s(p),
            None => Node::unknown("var.prefix", Span::new(0, 0, 0)),
        };
        let props = Node::new(
            Value::Object(vec![m("addressPrefix", prefix), m("nextHopType", s(hop))]),
            Span::new(0, 0, 0),
        );
        Node::new(
            Value::Object(vec![m("properties", props)]),
            Span::new(0, 0, 0),
        )
    }
    fn verdict(nodes: &[Node], region: Option<&str>) -> &'static str {
        let routes: Vec<Route> = nodes.iter().map(Route::read).collect();
        match judge(&routes, "azuremachinelearning", region) {
            Verdict::Violating(_) => "violating",
            Verdict::Compliant => "compliant",
            Verdict::Unknown => "unknown",
        }
    }

    #[test]
    fn forced_tunnel_needs_a_management_route() {
        let fw = route(Some("0.0.0.0/0"), "VirtualAppliance");
        assert_eq!(
            verdict(std::slice::from_ref(&fw), Some("westeurope")),
            "violating"
        );
        let ecmp = route(Some("0.0.0.0/0"), "virtualapplianceecmp");
        assert_eq!(verdict(&[ecmp], None), "violating");
        // The global or same-region tag to Internet fixes it; another region does not.
        for ok in ["AzureMachineLearning", "azuremachinelearning.westeurope"] {
            let r = route(Some(ok), "Internet");
            assert_eq!(verdict(&[fw.clone(), r], Some("westeurope")), "compliant");
        }
        let other = route(Some("AzureMachineLearning.eastus"), "Internet");
        assert_eq!(
            verdict(&[fw.clone(), other.clone()], Some("westeurope")),
            "violating"
        );
        assert_eq!(verdict(&[fw.clone(), other], None), "unknown");
        // A tag route to the firewall is not a fix; other tags are ignored.
        let to_fw = route(Some("AzureMachineLearning"), "VirtualAppliance");
        let storage = route(Some("Storage"), "Internet");
        assert_eq!(verdict(&[fw.clone(), to_fw, storage], None), "violating");
        // Other CIDRs to Internet, and unknown prefixes, leave it unknown.
        let cidr = route(Some("20.0.0.0/8"), "Internet");
        assert_eq!(verdict(&[fw.clone(), cidr], None), "unknown");
        let unknown = route(None, "Internet");
        assert_eq!(verdict(&[fw.clone(), unknown], None), "unknown");
        // No forced tunnel: nothing to report.
        let internet = route(Some("0.0.0.0/0"), "Internet");
        assert_eq!(verdict(&[internet], None), "compliant");
        assert_eq!(verdict(&[], None), "compliant");
    }
}
