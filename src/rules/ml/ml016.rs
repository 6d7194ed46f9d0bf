//! ML016: serverless compute placed in a customer subnet keeps public IPs.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Node, Value};
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::{lookup, Prop, URI_NT};
use crate::rules::{Ctx, Rule, RuleMeta};
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML016",
        name: "ServerlessComputeInCustomerSubnetWithPublicIps",
        title: "Serverless compute in a customer subnet with public IPs",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "network", "ml"],
        precision: "high",
        help_uri: URI_NT,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/ML016.md"),
    },
    check,
};

const SETTINGS: PropPath = PropPath::new(&["properties", "serverlessComputeSettings"], 1);
const SUBNET: PropPath = PropPath::new(
    &[
        "properties",
        "serverlessComputeSettings",
        "serverlessComputeCustomSubnet",
    ],
    1,
);
const NO_PUBLIC_IP: PropPath = PropPath::new(
    &[
        "properties",
        "serverlessComputeSettings",
        "serverlessComputeNoPublicIP",
    ],
    1,
);

/// Is a subnet written? A string that is not empty, or a value that names a resource (a
/// reference, an id built by an expression); `None` for any other value that is not known.
fn subnet_set(ctx: &Ctx, n: &Node) -> Option<bool> {
    match &n.value {
        Value::Null => Some(false),
        Value::String(s) => Some(!s.trim().is_empty()),
        _ if ctx.graph.names_resource(n) => Some(true),
        _ => None,
    }
}

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    for ws in ctx.of_type(types::ML_WORKSPACE) {
        let Prop::Known(settings) = lookup(&ws.body, SETTINGS.keys) else {
            continue;
        };
        let Some(subnet) = settings
            .value
            .member("serverlessComputeCustomSubnet")
            .filter(|s| subnet_set(ctx, &s.value) == Some(true))
        else {
            continue;
        };
        let on = json!(true);
        let fix = format!(
            "Set {}: with private networking the nodes need no public IPs.",
            assignment(ws, NO_PUBLIC_IP, &on)
        );
        let (at, says) = match lookup(&ws.body, NO_PUBLIC_IP.keys) {
            // What the syntax sends when it is left out, otherwise Azure's default (false).
            Prop::Absent => {
                if ws.spelling().default_value(NO_PUBLIC_IP.keys).and_then(|v| v.as_bool())
                    == Some(true)
                {
                    continue;
                }
                (
                    At::member(ws, settings),
                    Message::from(format!("{} places serverless compute in its own subnet ({}) but leaves {} unset, so the nodes get public IPs.",
                        who(ws),
                        name(ws, SUBNET),
                        name(ws, NO_PUBLIC_IP)
                    )).help(fix),
                )
            }
            Prop::Known(m) if m.value.as_bool() == Some(false) => (
                At::whole(ws, m),
                Message::from(format!("{} places serverless compute in its own subnet ({}) and sets {}, so the nodes get public IPs.",
                    who(ws),
                    name(ws, SUBNET),
                    assignment(ws, NO_PUBLIC_IP, &json!(false))
                )).help(fix),
            ),
            _ => continue,
        };
        cx.report(at, says)
            .related(subnet.location(), "serverless compute subnet")
            .fix(Fix::set(NO_PUBLIC_IP.keys, on));
    }
}
