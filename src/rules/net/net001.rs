//! NET001: NSG allows SSH from the internet.

use crate::findings::Level;
use crate::rules::checker::Checker;
use crate::rules::net::exposure;
use crate::rules::query::URI_BP;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET001",
        name: "NsgAllowsSshFromInternet",
        title: "NSG allows SSH from the internet",
        level: Level::Error,
        security_severity: "7.5",
        tags: &["security", "network"],
        precision: "high",
        help_uri: URI_BP,
        peers: &[
            "Checkov CKV_AZURE_10",
            "Trivy AVD-AZU-0050",
            "KICS 3e3c175e-aadf-4e2b-a464-3fdac5748d24",
            "KICS 2ade1579-4b2c-4590-bebb-f99bf597f612",
            "PSRule Azure.NSG.AnyInboundSource (AZR-000137)",
            "Azure Policy 22730e10-96f6-4aac-ad84-9383d35b5917",
        ],
        needs: &[],
        doc: include_str!("../../../rules/NET001.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    exposure::check(cx, 22, "SSH");
}
