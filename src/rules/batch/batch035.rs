//! BATCH035: deprecated Batch pool certificates and certificate resources.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::rules::checker::{who, At, Checker};
use crate::rules::query::{lookup, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH035",
        name: "DeprecatedPoolCertificates",
        title: "Deprecated pool certificates",
        level: Level::Warning,
        security_severity: "2.5",
        tags: &["security", "correctness", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH035.md"),
    },
    check,
};

const CERTIFICATES: [&str; 2] = ["properties", "certificates"];

fn check(cx: &mut Checker) {
    let ctx = cx.ctx;
    let fix = "Install certificates with the Azure Key Vault VM extension and a pool managed identity instead.";
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Prop::Known(certs) = lookup(&pool.body, &CERTIFICATES) else {
            continue;
        };
        let n = certs.value.items().len();
        if n == 0 {
            continue;
        }
        let what = match pool.spelling().retired(PropPath::of(&CERTIFICATES)) {
            Some(retired) => format!("has {n} {retired}"),
            None => format!(
                "references {n} pool certificate(s), a feature removed in Batch API 2025-06-01"
            ),
        };
        cx.report(
            At::member(pool, certs),
            Message::from(format!("{} {what}.", who(pool))).help(fix),
        )
        .fix(Fix::remove(&CERTIFICATES).changing(
            "the certificates no longer reach the nodes; tasks that use them need Key Vault",
        ));
    }
    for cert in ctx.of_type(types::BATCH_CERTIFICATE) {
        let what = cert
            .spelling()
            .retired(PropPath::new(&[], 0))
            .unwrap_or("is a Batch account certificate, a feature removed in Batch API 2025-06-01");
        cx.report(
            At::resource(cert),
            Message::from(format!("{} {what}.", who(cert))).help(fix),
        );
    }
}
