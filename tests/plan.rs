//! Terraform plans in JSON (`terraform show -json`): `testdata/plan/with-config` holds a plan
//! beside the configuration it was made from, with variable values other than the defaults;
//! `testdata/plan/alone` a plan whose configuration is not in the scan (a remote module, values
//! known only after apply, a sensitive value, a resource being destroyed, and a `prior_state`
//! holding a secret marker).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn testdata(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/plan")
        .join(dir)
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .arg("scan")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    serde_json::from_str(&run(dir, &all).1).unwrap()
}

/// (rule, path, line) of each finding, sorted.
fn found(v: &Value) -> Vec<(String, String, u64)> {
    let mut out = common::findings_at(v);
    out.sort();
    out
}

#[test]
fn findings_of_a_plan_are_reported_in_its_configuration() {
    let dir = testdata("with-config");
    let v = json(&dir, &[]);
    let f = found(&v);
    // The defaults are safe; the plan's variable values are not.
    assert!(
        f.contains(&("NET001".into(), "main.tf".into(), 33)),
        "{f:?}"
    );
    assert!(
        f.contains(&("BATCH001".into(), "main.tf".into(), 42)),
        "{f:?}"
    );
    assert!(f.iter().all(|(_, p, _)| p == "main.tf"), "{f:?}");
    // The value comes from the plan, which is named as its origin.
    let net001 = common::finding(&v, "NET001");
    assert!(
        net001["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["path"] == "plan.json"
                && r["message"]
                    .as_str()
                    .unwrap()
                    .contains("variable `ssh_source`")),
        "{net001}"
    );
    let notes = v["notifications"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["path"] == "plan.json"
            && n["message"]
                .as_str()
                .unwrap()
                .contains("made from the module in `.`")),
        "{notes:?}"
    );
}

/// The same findings as the configuration scanned with the plan's values given on the command
/// line: the plan adds what Terraform planned with, nothing else.
#[test]
fn a_plan_gives_the_findings_of_its_configuration_with_its_values() {
    let dir = testdata("with-config");
    let with_plan = found(&json(&dir, &[]));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("main.tf"), tmp.path().join("main.tf")).unwrap();
    let by_hand = found(&json(
        tmp.path(),
        &["--var", "ssh_source=Internet", "--var", "public=true"],
    ));
    assert_eq!(with_plan, by_hand);
    // Without the plan, the defaults hold: no NET001, no BATCH001.
    let defaults = found(&json(tmp.path(), &[]));
    assert!(
        defaults
            .iter()
            .all(|(r, _, _)| r != "NET001" && r != "BATCH001"),
        "{defaults:?}"
    );
}

/// `scan plan.json` alone brings the configuration of the plan's folder; `--plan FILE` reads a
/// file of any name as a plan.
#[test]
fn a_plan_named_alone_brings_its_folder() {
    let dir = testdata("with-config");
    let whole = found(&json(&dir, &[]));
    assert_eq!(found(&json(&dir, &["plan.json"])), whole);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("main.tf"), tmp.path().join("main.tf")).unwrap();
    std::fs::copy(dir.join("plan.json"), tmp.path().join("tfplan.out")).unwrap();
    assert_eq!(found(&json(tmp.path(), &["--plan", "tfplan.out"])), whole);
}

#[test]
fn a_plan_without_its_configuration_is_reported_in_the_plan() {
    let dir = testdata("alone");
    let v = json(&dir, &[]);
    let f = found(&v);
    assert!(f.iter().all(|(_, p, _)| p == "plan.json"), "{f:?}");
    // At the planned value, named by the plan's address.
    assert!(
        f.contains(&("BATCH001".into(), "plan.json".into(), 48)),
        "{f:?}"
    );
    assert!(
        f.contains(&("BATCH014".into(), "plan.json".into(), 69)),
        "{f:?}"
    );
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("module.batch.azurerm_batch_account.acct[0]")),
        "{messages:?}"
    );
    // The NSG being destroyed opens RDP, but it will not exist.
    assert!(f.iter().all(|(r, _, _)| r != "NET002"), "{f:?}");
    // The pool's subnet is known only after apply: nothing is decided about its NSG.
    assert!(
        f.iter()
            .all(|(r, _, _)| !matches!(r.as_str(), "BATCH010" | "BATCH011")),
        "{f:?}"
    );
    let notes = v["notifications"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["message"]
            .as_str()
            .unwrap()
            .contains("not in the scan, so its findings point into the plan")),
        "{notes:?}"
    );
}

/// Neither the prior state nor a sensitive planned value is ever quoted, in any format.
#[test]
fn plans_never_leak_secrets() {
    let dir = testdata("alone");
    for format in ["console", "json", "sarif", "github"] {
        let (_, out) = run(&dir, &["--format", format, "--fail-on", "never"]);
        assert!(!out.is_empty(), "{format}");
        assert!(!out.contains("PRIOR-STATE-SECRET"), "{format}");
        assert!(!out.contains("hunter2"), "{format}");
    }
}

#[test]
fn what_is_not_a_plan_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("x.out"), "{\"a\": 1}").unwrap();
    std::fs::write(
        tmp.path().join("state.json"),
        r#"{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}"#,
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("broken.json"),
        r#"{"format_version": "1.2", "planned_values": {"root_module": "#,
    )
    .unwrap();
    let (code, out) = run(tmp.path(), &["--plan", "x.out", ".", "--format", "json"]);
    assert_eq!(code, Some(2), "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let notes = v["notifications"].as_array().unwrap();
    let about = |path: &str, level: &str| {
        notes
            .iter()
            .any(|n| n["path"] == path && n["level"] == level)
    };
    assert!(about("x.out", "error"), "{notes:?}");
    assert!(about("state.json", "warning"), "{notes:?}");
    assert!(about("broken.json", "error"), "{notes:?}");
}

/// A plan written without its `configuration` (by a tool other than Terraform) is matched to its
/// module by the planned addresses.
#[test]
fn a_plan_without_configuration_is_matched_by_its_addresses() {
    let dir = testdata("with-config");
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    plan.as_object_mut().unwrap().remove("configuration");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("main.tf"), tmp.path().join("main.tf")).unwrap();
    std::fs::write(
        tmp.path().join("plan.json"),
        serde_json::to_string_pretty(&plan).unwrap(),
    )
    .unwrap();
    assert_eq!(found(&json(tmp.path(), &[])), found(&json(&dir, &[])));
}

// ---------------------------------------------------------------------------------------------
// Every Terraform fixture whose values are literals or references to other resources, written
// as the plan Terraform would make of it (references known only after apply), gives the same
// findings from the plan alone as from its `.tf` files.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use serde_json::{json, Map};

/// A literal expression as JSON; `Err(Some(reference))` for a reference to another resource's
/// attribute; `Err(None)` for anything a plan would hold a value of that the test cannot compute.
fn literal(e: &Expression) -> Result<Value, Option<String>> {
    Ok(match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => json!(*b.value()),
        Expression::Number(n) => json!(n.value().as_f64().ok_or(None)?),
        Expression::String(s) => json!(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut s = String::new();
            for el in t.iter() {
                match el {
                    hcl_edit::template::Element::Literal(l) => s.push_str(l),
                    _ => return Err(None),
                }
            }
            json!(s)
        }
        Expression::Array(a) => Value::Array(
            a.iter()
                .map(literal)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| None)?,
        ),
        Expression::Object(o) => {
            let mut m = Map::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                    _ => return Err(None),
                };
                m.insert(key, literal(v.expr()).map_err(|_| None)?);
            }
            Value::Object(m)
        }
        Expression::Traversal(t) => {
            let text = e.to_string().trim().to_string();
            let root = match &t.expr {
                Expression::Variable(v) => v.as_str().to_string(),
                _ => return Err(None),
            };
            let local = [
                "var", "local", "each", "count", "data", "module", "path", "self",
            ];
            if local.contains(&root.as_str()) || text.matches('.').count() < 2 {
                return Err(None);
            }
            return Err(Some(text));
        }
        _ => return Err(None),
    })
}

/// (values, after_unknown, expressions) of a body.
type Planned = (Map<String, Value>, Map<String, Value>, Map<String, Value>);

/// What a plan says of a body, blocks as arrays of objects; `None` when the body holds what the
/// test cannot plan.
fn planned(b: &Body) -> Option<Planned> {
    let (mut values, mut unknown, mut exprs) = (Map::new(), Map::new(), Map::new());
    for s in b.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if matches!(key, "depends_on" | "provider") {
                    continue;
                }
                if matches!(key, "count" | "for_each") {
                    return None;
                }
                match literal(&a.value) {
                    Ok(v) => {
                        values.insert(key.into(), v);
                    }
                    Err(Some(reference)) => {
                        unknown.insert(key.into(), json!(true));
                        exprs.insert(key.into(), json!({ "references": [reference] }));
                    }
                    Err(None) => return None,
                }
            }
            Structure::Block(blk) => {
                let key = blk.ident.as_str();
                if matches!(key, "dynamic") {
                    return None;
                }
                if matches!(key, "lifecycle" | "timeouts") {
                    continue;
                }
                let (v, u, x) = planned(&blk.body)?;
                for (map, item) in [(&mut values, v), (&mut unknown, u), (&mut exprs, x)] {
                    let list = map.entry(key).or_insert_with(|| json!([]));
                    list.as_array_mut()?.push(Value::Object(item));
                }
            }
        }
    }
    Some((values, unknown, exprs))
}

/// The plan of a module's `.tf` text, or `None`.
fn plan_of(text: &str) -> Option<Value> {
    let body = hcl_edit::parser::parse_body(text).ok()?;
    let (mut resources, mut changes, mut config) = (Vec::new(), Vec::new(), Vec::new());
    for blk in body.blocks() {
        let labels: Vec<&str> = blk.labels.iter().map(|l| l.as_str()).collect();
        match (blk.ident.as_str(), labels.as_slice()) {
            ("resource", [t, n]) => {
                let (values, unknown, exprs) = planned(&blk.body)?;
                let address = format!("{t}.{n}");
                resources.push(json!({"address": address, "mode": "managed", "type": t, "name": n, "values": values}));
                changes.push(json!({"address": address, "mode": "managed", "type": t, "name": n,
                    "change": {"actions": ["create"], "before": null, "after": values, "after_unknown": unknown}}));
                config.push(json!({"address": address, "mode": "managed", "type": t, "name": n, "expressions": exprs}));
            }
            ("terraform" | "provider", _) => {}
            _ => return None,
        }
    }
    Some(json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": config}}
    }))
}

/// The name a finding's location starts with: a key, or for a resource the last part of its
/// name or address.
fn key_at(dir: &Path, f: &Value) -> String {
    let text = std::fs::read_to_string(dir.join(f["path"].as_str().unwrap())).unwrap();
    let key = common::key_at(
        &text,
        f["start"]["line"].as_u64().unwrap(),
        f["start"]["column"].as_u64().unwrap(),
    );
    key.rsplit('.').next().unwrap_or(&key).to_string()
}

fn keyed(dir: &Path, v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), key_at(dir, f)))
        .collect();
    out.sort();
    out
}

#[test]
fn terraform_fixtures_planned_give_the_same_findings_from_the_plan_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let tmp = tempfile::tempdir().unwrap();
    let (mut compared, mut findings, mut differ) = (0, 0, Vec::new());
    let mut dirs: Vec<PathBuf> = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let rule = rule.unwrap().path();
        for case in ["violating", "compliant"] {
            let d = rule.join("azurerm").join(case);
            if d.join("main.tf").is_file() {
                dirs.push(d);
            }
        }
    }
    dirs.sort();
    for (i, dir) in dirs.iter().enumerate() {
        let files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        if files.len() != 1 {
            continue;
        }
        let Some(plan) = plan_of(&std::fs::read_to_string(dir.join("main.tf")).unwrap()) else {
            continue;
        };
        let twin = tmp.path().join(i.to_string());
        std::fs::create_dir_all(&twin).unwrap();
        std::fs::write(
            twin.join("plan.json"),
            serde_json::to_string_pretty(&plan).unwrap(),
        )
        .unwrap();
        let want = keyed(dir, &json(dir, &[]));
        let got = keyed(&twin, &json(&twin, &[]));
        compared += 1;
        findings += want.len();
        if want != got {
            differ.push(format!(
                "{} (plan in {}):\n  .tf  {want:?}\n  plan {got:?}",
                dir.display(),
                twin.display()
            ));
        }
    }
    eprintln!("{compared} fixtures, {findings} findings compared");
    assert!(compared >= 20 && findings >= 30, "{compared} {findings}");
    if !differ.is_empty() {
        let _ = tmp.keep();
        panic!("{}", differ.join("\n"));
    }
}
