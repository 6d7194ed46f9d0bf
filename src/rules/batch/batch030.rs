//! BATCH030: a Batch pool that does not run its nodes as Trusted Launch VMs with secure boot and
//! vTPM on.

use crate::findings::{Fix, Level, Message};
use crate::ir::spelling::PropPath;
use crate::ir::types;
use crate::ir::{Member, Resource};
use crate::rules::checker::{assignment, name, who, At, Checker};
use crate::rules::query::{lookup, str_in, Prop, URI_BP};
use crate::rules::{Rule, RuleMeta};
use crate::tri::Tri;
use serde_json::json;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BATCH030",
        name: "TrustedLaunchSecureBootOrVtpmOff",
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

const SECURITY_TYPE: [&str; 5] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "securityProfile",
    "securityType",
];
const SECURE_BOOT: [&str; 6] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "securityProfile",
    "uefiSettings",
    "secureBootEnabled",
];
const VTPM: [&str; 6] = [
    "properties",
    "deploymentConfiguration",
    "virtualMachineConfiguration",
    "securityProfile",
    "uefiSettings",
    "vTpmEnabled",
];

/// Is a UEFI setting on? Yes for a known `true`; No when absent or anything else known.
fn uefi<'a>(pool: &'a Resource, path: &[&str]) -> (Tri, Option<&'a Member>) {
    match lookup(&pool.body, path) {
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
    let ctx = cx.ctx;
    for pool in ctx.of_type(types::BATCH_POOL) {
        // The security profile's settings, named from `securityProfile` on.
        let set =
            |keys: &[&str], v: serde_json::Value| assignment(pool, PropPath::new(keys, 3), &v);
        let fix_tl = format!(
            "Set {}, {} and {} (with a Gen2 image and a VM size that supports Trusted Launch).",
            set(&SECURITY_TYPE, json!("trustedLaunch")),
            set(&SECURE_BOOT, json!(true)),
            set(&VTPM, json!(true)),
        );
        let who = who(pool);
        let st = match lookup(&pool.body, &SECURITY_TYPE) {
            Prop::Unknown => continue,
            Prop::Absent => {
                cx.report(
                    At::resource(pool),
                    Message::from(format!("{who} does not set a security type, so its nodes are not Trusted Launch VMs and run without secure boot or vTPM.")).help(fix_tl),
                )
                .fix(
                    Fix::set(&SECURITY_TYPE, json!("trustedLaunch"))
                        .and_set(&SECURE_BOOT, json!(true))
                        .and_set(&VTPM, json!(true)),
                );
                continue;
            }
            Prop::Known(m) => m,
        };
        if str_in(st, &["trustedLaunch"]) != Some(true) {
            // confidentialVM passes; other values are left to the service's validation.
            continue;
        }
        let settings: [(&[&str], &str); 2] = [(&SECURE_BOOT, "secure boot"), (&VTPM, "vTPM")];
        let off: Vec<(Option<&Member>, &[&str], &str)> = settings
            .iter()
            .filter_map(|(path, label)| match uefi(pool, path) {
                (Tri::No, m) => Some((m, *path, *label)),
                _ => None,
            })
            .collect();
        if off.is_empty() {
            continue;
        }
        let what = off
            .iter()
            .map(|(m, _, label)| {
                if m.is_some() {
                    format!("{label} is turned off")
                } else {
                    format!("{label} is not set to true")
                }
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let fix = off.iter().fold(Fix::default(), |f, (_, path, _)| {
            f.and_set(path, json!(true))
        });
        let mut f = cx
            .report(
                At::member(pool, st),
                Message::from(format!("{who} uses Trusted Launch but {what}.")).help(fix_tl),
            )
            .fix(fix);
        for (m, path, _) in &off {
            if let Some(m) = m {
                f = f.related(
                    m.span(),
                    format!("{} set to false", name(pool, PropPath::new(path, 5))),
                );
            }
        }
    }
}
