//! Terraform's JSON syntax reads as HCL does: every Terraform fixture of the test data, written
//! again in JSON syntax (`*.tf.json`, by the converter below), gives the same findings as its
//! `.tf` twin, each at the JSON member of the attribute or block the `.tf` finding is at. Fixes
//! and suppressions edit the JSON as JSON.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Element, Template};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// HCL to Terraform JSON, as `terraform` documents the JSON syntax.

/// An ordered JSON tree (Terraform JSON repeats block keys in order).
enum J {
    Obj(Vec<(String, J)>),
    Arr(Vec<J>),
    Raw(String),
}

impl J {
    fn write(&self, out: &mut String, indent: usize) {
        let pad = "  ".repeat(indent + 1);
        match self {
            J::Raw(s) => out.push_str(s),
            J::Arr(items) => {
                out.push('[');
                for (i, e) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&pad);
                    e.write(out, indent + 1);
                }
                if !items.is_empty() {
                    let _ = write!(out, "\n{}", "  ".repeat(indent));
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    let _ = write!(out, "{pad}{}: ", json_string(k));
                    v.write(out, indent + 1);
                }
                if !members.is_empty() {
                    let _ = write!(out, "\n{}", "  ".repeat(indent));
                }
                out.push('}');
            }
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A template's text as Terraform JSON writes it in a string: literal parts with `${` escaped,
/// interpolations and directives as written.
fn template_text(t: &Template) -> Option<String> {
    let mut s = String::new();
    for e in t.iter() {
        match e {
            Element::Literal(l) => s.push_str(&l.replace("${", "$${").replace("%{", "%%{")),
            Element::Interpolation(i) => {
                let _ = write!(s, "${{{}}}", i.expr.to_string().trim());
            }
            // Written whole, as an expression, by the caller.
            Element::Directive(_) => return None,
        }
    }
    Some(s)
}

/// An expression that is not a literal, as the one interpolation of a string.
fn interpolation(e: &Expression) -> J {
    J::Raw(json_string(&format!("${{{}}}", e.to_string().trim())))
}

fn expr(e: &Expression) -> J {
    match e {
        Expression::Null(_) | Expression::Bool(_) | Expression::Number(_) => {
            J::Raw(e.to_string().trim().to_string())
        }
        Expression::String(s) => J::Raw(json_string(
            &s.value().replace("${", "$${").replace("%{", "%%{"),
        )),
        Expression::StringTemplate(t) => {
            template_text(t).map_or_else(|| interpolation(e), |s| J::Raw(json_string(&s)))
        }
        Expression::HeredocTemplate(h) => {
            template_text(&h.template).map_or_else(|| interpolation(e), |s| J::Raw(json_string(&s)))
        }
        Expression::Array(a) => J::Arr(a.iter().map(expr).collect()),
        Expression::Object(o) => J::Obj(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                        ObjectKey::Expression(k) => format!("${{{}}}", k.to_string().trim()),
                    };
                    (key, expr(v.expr()))
                })
                .collect(),
        ),
        other => interpolation(other),
    }
}

/// Puts a block's body at `path` (its type, then its labels); a second block at the same path
/// makes an array.
fn insert(members: &mut Vec<(String, J)>, path: &[String], v: J) {
    let (first, rest) = path.split_first().unwrap();
    let at = members.iter().position(|(k, _)| k == first);
    if rest.is_empty() {
        match at {
            Some(i) => {
                let old = std::mem::replace(&mut members[i].1, J::Arr(Vec::new()));
                members[i].1 = match old {
                    J::Arr(mut a) => {
                        a.push(v);
                        J::Arr(a)
                    }
                    o => J::Arr(vec![o, v]),
                };
            }
            None => members.push((first.clone(), v)),
        }
        return;
    }
    let i = at.unwrap_or_else(|| {
        members.push((first.clone(), J::Obj(Vec::new())));
        members.len() - 1
    });
    if let J::Obj(inner) = &mut members[i].1 {
        insert(inner, rest, v);
    }
}

/// A body as Terraform JSON; `kind` is the enclosing block type.
fn body(b: &Body, kind: &str) -> J {
    let mut members = Vec::new();
    for s in b.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                let v = match (kind, key) {
                    // Read from a string as an expression.
                    ("variable", "type") | ("dynamic", "iterator") => {
                        J::Raw(json_string(a.value.to_string().trim()))
                    }
                    _ => expr(&a.value),
                };
                members.push((key.to_string(), v));
            }
            Structure::Block(blk) => {
                let mut path = vec![blk.ident.as_str().to_string()];
                path.extend(blk.labels.iter().map(|l| l.as_str().to_string()));
                insert(&mut members, &path, body(&blk.body, blk.ident.as_str()));
            }
        }
    }
    J::Obj(members)
}

fn to_json(hcl: &str) -> String {
    let b = hcl_edit::parser::parse_body(hcl).expect("fixture parses");
    let mut out = String::new();
    body(&b, "").write(&mut out, 0);
    out.push('\n');
    out
}

/// A copy of `from` with every `.tf` file written as `.tf.json`.
fn convert_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            convert_tree(&p, &to.join(&name));
        } else if name.ends_with(".tf") {
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(to.join(format!("{name}.json")), to_json(&text)).unwrap();
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scans and their findings.

fn scan(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(["scan", ".", "--format", "json", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// (rule, file without `.json`, key at the location) of each finding, and of each related
/// location, sorted.
fn findings(dir: &Path, v: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for f in v["findings"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        let key = common::key_at(
            &text,
            f["start"]["line"].as_u64().unwrap(),
            f["start"]["column"].as_u64().unwrap(),
        );
        out.push((
            f["rule"].as_str().unwrap().to_string(),
            path.trim_end_matches(".json").to_string(),
            key,
        ));
    }
    out.sort();
    out
}

fn terraform_fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut dirs = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let rule = rule.unwrap().path();
        for syntax in ["azurerm", "azapi"] {
            let Ok(cases) = std::fs::read_dir(rule.join(syntax)) else {
                continue;
            };
            for case in cases {
                let case = case.unwrap().path();
                let name = case.file_name().unwrap().to_string_lossy().to_string();
                if case.is_dir() && (name == "violating" || name == "compliant") {
                    dirs.push(case);
                }
            }
        }
    }
    let pairs = root.join("eval/pairs");
    for pair in std::fs::read_dir(&pairs).unwrap() {
        let pair = pair.unwrap().path();
        if !pair
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("tf_")
        {
            continue;
        }
        for case in ["violating", "compliant"] {
            if pair.join(case).is_dir() {
                dirs.push(pair.join(case));
            }
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_terraform_fixture_gives_the_same_findings_in_json_syntax() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = terraform_fixture_dirs();
    assert!(dirs.len() > 150, "{}", dirs.len());
    let mut differ = Vec::new();
    let mut total = 0;
    for (i, dir) in dirs.iter().enumerate() {
        let twin = tmp.path().join(i.to_string());
        convert_tree(dir, &twin);
        let want = findings(dir, &scan(dir, &[]));
        let got = findings(&twin, &scan(&twin, &[]));
        total += want.len();
        if want != got {
            differ.push(format!(
                "{} (as JSON in {}):\n  .tf  {want:?}\n  json {got:?}",
                dir.display(),
                twin.display()
            ));
        }
    }
    assert!(total > 150, "{total}");
    if !differ.is_empty() {
        // Kept for a look.
        let _ = tmp.keep();
        panic!("{}", differ.join("\n"));
    }
}

#[test]
fn converter_writes_terraform_json() {
    let hcl = r#"
variable "cidr" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}
resource "azurerm_network_security_group" "a" {
  name = "nsg-${var.env}"
  dynamic "security_rule" {
    for_each = var.rules
    iterator = r
    content {
      name = r.value.name
    }
  }
}
"#;
    let v: Value = serde_json::from_str(&to_json(hcl)).unwrap();
    assert_eq!(v["variable"]["cidr"]["type"], "list(string)");
    let nsg = &v["resource"]["azurerm_network_security_group"]["a"];
    assert_eq!(nsg["name"], "nsg-${var.env}");
    assert_eq!(nsg["dynamic"]["security_rule"]["iterator"], "r");
    assert_eq!(
        nsg["dynamic"]["security_rule"]["content"]["name"],
        "${r.value.name}"
    );
}

const NSG: &str = r#"{
  "variable": {
    "ssh_source": {"type": "string", "default": "*"}
  },
  "resource": {
    "azurerm_network_security_group": {
      "nsg": {
        "name": "nsg",
        "location": "westeurope",
        "resource_group_name": "rg",
        "security_rule": [
          {
            "name": "ssh",
            "priority": 100,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "Tcp",
            "source_port_range": "*",
            "destination_port_range": "22",
            "source_address_prefix": "${var.ssh_source}",
            "destination_address_prefix": "*"
          }
        ]
      }
    },
    "azurerm_batch_account": {
      "acct": {
        "name": "acct",
        "location": "westeurope",
        "resource_group_name": "rg",
        "public_network_access_enabled": true
      }
    }
  }
}
"#;

#[test]
fn fixes_edit_json_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("main.tf.json"), NSG).unwrap();
    let before = scan(tmp.path(), &[]);
    let rules: Vec<&str> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"NET001") && rules.contains(&"BATCH001"));
    scan(tmp.path(), &["--fix", "--unsafe-fixes"]);
    let text = std::fs::read_to_string(tmp.path().join("main.tf.json")).unwrap();
    let v: Value = serde_json::from_str(&text).expect("the fixed file is JSON");
    // The variable's default, not the template that reads it.
    assert_eq!(v["variable"]["ssh_source"]["default"], "VirtualNetwork");
    let acct = &v["resource"]["azurerm_batch_account"]["acct"];
    assert_eq!(acct["public_network_access_enabled"], false);
    assert_eq!(acct["allowed_authentication_modes"][0], "AAD");
    let after = scan(tmp.path(), &[]);
    let left: Vec<&str> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !left.contains(&"NET001") && !left.contains(&"BATCH001"),
        "{left:?}"
    );
}

#[test]
fn suppressions_are_comment_members() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("main.tf.json"), NSG).unwrap();
    scan(
        tmp.path(),
        &["--add-suppressions", "--reason", "a \"jump\" host"],
    );
    let text = std::fs::read_to_string(tmp.path().join("main.tf.json")).unwrap();
    serde_json::from_str::<Value>(&text).expect("the file is still JSON");
    assert!(
        text.contains(r#""//": "batchguard:ignore NET001 reason=\"a 'jump' host\"","#),
        "{text}"
    );
    let after = scan(tmp.path(), &[]);
    assert_eq!(after["findings"].as_array().unwrap().len(), 0, "{after}");
    // A suppression for a finding at a block's name sits first in the block's object.
    assert!(
        text.contains("\"acct\": {\n        \"//\": \"batchguard:ignore BATCH003"),
        "{text}"
    );
}

#[test]
fn json_that_is_not_terraform_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.tf.json"), "[1, 2]").unwrap();
    std::fs::write(tmp.path().join("b.tf.json"), "{\"resource\": ").unwrap();
    std::fs::write(
        tmp.path().join("c.tf.json"),
        r#"{"resource": {"azurerm_batch_account": {"a": {"name": "${"}}}}"#,
    )
    .unwrap();
    let v = scan(tmp.path(), &[]);
    let notes = v["notifications"].as_array().unwrap();
    for f in ["a.tf.json", "b.tf.json", "c.tf.json"] {
        assert!(
            notes
                .iter()
                .any(|n| n["path"] == f && n["start"]["line"].is_u64()),
            "{f}: {notes:?}"
        );
    }
}

/// `testdata/tfjson`: a CDK-for-Terraform-style stack in JSON, its variables in HCL beside it and
/// values in `terraform.tfvars.json`, read as one module.
#[test]
fn a_json_stack_with_hcl_variables_is_one_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tfjson");
    let v = scan(&dir, &[]);
    let at = common::findings_at(&v);
    let has = |rule: &str, line: u64| at.contains(&(rule.into(), "main.tf.json".into(), line));
    // The variable default in variables.tf, through "${var.admin_source}".
    assert!(has("NET001", 30), "{at:?}");
    assert!(has("BATCH001", 52), "{at:?}");
    // A dynamic block expanded over a map from terraform.tfvars.json.
    assert!(has("BATCH022", 74), "{at:?}");
    assert!(has("BATCH020", 81), "{at:?}");
    let net001 = common::finding(&v, "NET001");
    assert!(
        net001["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["path"] == "variables.tf" && r["start"]["line"] == 24),
        "{net001}"
    );
    assert!(v["notifications"].as_array().unwrap().is_empty(), "{v}");
}
