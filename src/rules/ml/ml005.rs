//! ML005: network keys that batch endpoints and their deployments do not support.

use crate::findings::Level;
use crate::ir::spelling::Need;
use crate::ir::types;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, Prop, URI_BE};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ML005",
        name: "MlBatchEndpointUnsupportedNetworkKey",
        title: "Unsupported network keys on batch endpoint",
        level: Level::Error,
        security_severity: "2.0",
        tags: &["correctness", "ml"],
        precision: "very-high",
        help_uri: URI_BE,
        peers: &[],
        needs: &[Need::Type(types::ML_BATCH_ENDPOINT)],
        doc: include_str!("../../../rules/ML005.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for (rtype, key, what) in [
        (
            types::ML_BATCH_ENDPOINT,
            "publicNetworkAccess",
            "batch endpoint",
        ),
        (
            types::ML_BATCH_DEPLOYMENT,
            "egressPublicNetworkAccess",
            "batch deployment",
        ),
    ] {
        for r in ctx.of_type(rtype) {
            // An unknown value may still turn out to be null, which removes the key.
            let Prop::Known(m) = prop(r, &["properties", key]) else {
                continue;
            };
            out.push(finding(
                meta,
                m.location(),
                format!(
                    "{}: {what} {} sets {key}, which batch endpoints do not support; they follow the network settings of their workspace. Remove {key} and set publicNetworkAccess on the workspace instead.",
                    meta.title,
                    r.display()
                ),
            ));
        }
    }
}
