//! BATCH035: deprecated Batch pool certificates and certificate resources.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::Syntax;
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH035",
        name: "BatchDeprecatedPoolCertificates",
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

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    let fix = "Install certificates with the Azure Key Vault VM extension and a pool managed identity instead.";
    for pool in ctx.of_type(types::BATCH_POOL) {
        let Prop::Known(certs) = prop(pool, &["properties", "certificates"]) else {
            continue;
        };
        let n = certs.value.items().len();
        if n == 0 {
            continue;
        }
        let what = if pool.syntax == Syntax::Azurerm {
            format!("has {n} certificate block(s), which the azurerm provider removed in 5.0")
        } else {
            format!("references {n} pool certificate(s), a feature removed in Batch API 2025-06-01")
        };
        out.push(finding(
            meta,
            certs.location(),
            format!("{}: {} {what}. {fix}", meta.title, pool.display()),
        ));
    }
    for cert in ctx.of_type(types::BATCH_CERTIFICATE) {
        let what = if cert.syntax == Syntax::Azurerm {
            "is an azurerm_batch_certificate, a resource removed in azurerm 5.0"
        } else {
            "is a Batch account certificate, a feature removed in Batch API 2025-06-01"
        };
        out.push(finding(
            meta,
            cert.header,
            format!("{}: {} {what}. {fix}", meta.title, cert.display()),
        ));
    }
}
