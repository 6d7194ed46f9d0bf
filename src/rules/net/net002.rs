//! NET002: NSG allows RDP from the internet.

use crate::findings::Level;
use crate::rules::checker::Checker;
use crate::rules::net::exposure;
use crate::rules::query::URI_BP;
use crate::rules::{Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "NET002",
        name: "NsgAllowsRdpFromInternet",
        title: "NSG allows RDP from the internet",
        level: Level::Error,
        security_severity: "8.1",
        tags: &["security", "network"],
        precision: "high",
        help_uri: URI_BP,
        peers: &[
            "Checkov CKV_AZURE_9",
            "Trivy AVD-AZU-0048",
            "KICS efbf6449-5ec5-4cfe-8f15-acc51e0d787c",
            "KICS 59cb3da7-f206-4ae6-b827-7abf0a9cab9d",
            "PSRule Azure.NSG.AnyInboundSource (AZR-000137)",
            "Azure Policy 22730e10-96f6-4aac-ad84-9383d35b5917",
        ],
        needs: &[],
        doc: include_str!("../../../rules/NET002.md"),
    },
    check,
};

fn check(cx: &mut Checker) {
    exposure::check(cx, 3389, "RDP");
}
