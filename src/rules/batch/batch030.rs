//! BATCH030: a Batch pool that does not run its nodes as Trusted Launch VMs with secure boot and
//! vTPM on.

use crate::findings::Level;
use crate::ir::types;
use crate::ir::{Member, Resource, Syntax};
use crate::rules::checker::Checker;
use crate::rules::query::{finding, prop, related, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use crate::tri::Tri;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH030",
        name: "BatchPoolTrustedLaunchOff",
        title: "Trusted Launch, secure boot or vTPM off",
        level: Level::Warning,
        security_severity: "4.0",
        tags: &["security", "hardening", "batch"],
        precision: "very-high",
        help_uri: URI_BP,
        peers: &[],
        needs: &[],
        doc: include_str!("../../../rules/BATCH030.md"),
    },
    check,
};

const SP: [&str; 4] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "securityProfile",
];

/// Is a UEFI setting on? Yes for a known `true`; No when absent or anything else known.
fn uefi<'a>(pool: &'a Resource, key: &str) -> (Tri, Option<&'a Member>) {
    let path = [SP[0], SP[1], SP[2], SP[3], "uefiSettings", key];
    match prop(pool, &path) {
        Prop::Absent => (Tri::No, None),
        Prop::Unknown => (Tri::Unknown, None),
        Prop::Known(m) => match m.value.as_bool() {
            Some(true) => (Tri::Yes, Some(m)),
            Some(false) => (Tri::No, Some(m)),
            None => (Tri::Unknown, Some(m)),
        },
    }
}

fn check(cx: &mut Checker) {
    let (ctx, out) = cx.legacy();
    let meta = &RULE.meta;
    for pool in ctx.of_type(types::BATCH_POOL) {
        let fix_tl = if pool.syntax == Syntax::Azurerm {
            "Add security_profile { security_type = \"trustedLaunch\", secure_boot_enabled = true, vtpm_enabled = true } (with a Gen2 image and a VM size that supports Trusted Launch)."
        } else {
            "Set securityType to trustedLaunch with uefiSettings.secureBootEnabled and vTpmEnabled true (with a Gen2 image and a VM size that supports Trusted Launch)."
        };
        let who = pool.display();
        let st = match prop(pool, &[SP[0], SP[1], SP[2], SP[3], "securityType"]) {
            Prop::Unknown => continue,
            Prop::Absent => {
                out.push(finding(
                    meta,
                    pool.header,
                    format!(
                        "{}: {who} does not set a security type, so its nodes are not Trusted Launch VMs and run without secure boot or vTPM. {fix_tl}",
                        meta.title
                    ),
                ));
                continue;
            }
            Prop::Known(m) => m,
        };
        if str_in(st, &["trustedLaunch"]) != Some(true) {
            // confidentialVM passes; other values are left to the service's validation.
            continue;
        }
        let settings = [
            ("secureBootEnabled", "secure boot"),
            ("vTpmEnabled", "vTPM"),
        ];
        let states: Vec<(Tri, Option<&Member>, &str, &str)> = settings
            .iter()
            .map(|(k, label)| {
                let (t, m) = uefi(pool, k);
                (t, m, *k, *label)
            })
            .collect();
        let off: Vec<_> = states.iter().filter(|s| s.0 == Tri::No).collect();
        if off.is_empty() {
            continue;
        }
        let what = off
            .iter()
            .map(|(_, m, _, label)| {
                if m.is_some() {
                    format!("{label} is turned off")
                } else {
                    format!("{label} is not set to true")
                }
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let mut f = finding(
            meta,
            st.span(),
            format!(
                "{}: {who} uses Trusted Launch but {what}. {fix_tl}",
                meta.title
            ),
        );
        for (_, m, key, _) in &off {
            if let Some(m) = m {
                f.related
                    .push(related(m.span(), format!("{key} set to false")));
            }
        }
        out.push(f);
    }
}
