//! Bicep read natively: `testdata/bicep` holds a template with a module and a `.bicepparam`
//! file, a compiled template beside its source, and syntax newer than the grammar; a file with a
//! syntax error is written here. Findings point at the Bicep property, fixes edit the Bicep text, and the
//! language server reads `.bicep` documents.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn scan(dir: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(dir)
        .args(["scan", ".", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        v,
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The rules of the findings (in their order) of a folder holding `text` as `main.bicep`, scanned
/// to JSON, and that JSON.
fn rules_of_main_bicep(text: &str) -> (Vec<String>, Value) {
    let v = scan_files(&[("main.bicep", text)]);
    let rules = common::findings_at(&v)
        .into_iter()
        .map(|(r, _, _)| r)
        .collect();
    (rules, v)
}

/// The JSON report of a folder holding `files` (relative path, text), scanned without failing.
fn scan_files(files: &[(&str, &str)]) -> Value {
    let d = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = d.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    scan(d.path(), &["--fail-on", "never"]).1
}

fn testdata() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/bicep")
}

#[test]
fn findings_point_at_the_bicep_property() {
    let (code, v, _) = scan(&testdata(), &["--fail-on", "never"]);
    assert_eq!(code, Some(0));
    let f = common::findings_at(&v);
    let has =
        |rule: &str, path: &str, line: u64| f.contains(&(rule.to_string(), path.to_string(), line));
    // A parent: child rule, an interpolated name, a literal list.
    assert!(has("NET002", "modules/main.bicep", 43), "{f:?}");
    assert!(has("BATCH001", "modules/main.bicep", 52), "{f:?}");
    assert!(has("BATCH003", "modules/main.bicep", 54), "{f:?}");
    // The module's parameter default, through the call.
    assert!(has("ML001", "modules/inner.bicep", 9), "{f:?}");
    // main.bicepparam narrows SSH to a private range: no NET001 there.
    assert!(
        !f.iter()
            .any(|(r, p, _)| r == "NET001" && p.starts_with("modules/")),
        "{f:?}"
    );
    // The compiled twin is left to its source, with a note.
    assert!(has("BATCH001", "compiled/main.bicep", 5), "{f:?}");
    assert!(!f.iter().any(|(_, p, _)| p.ends_with(".json")), "{f:?}");
    let notes = v["notifications"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["path"] == "compiled/main.json"
        && n["message"]
            .as_str()
            .unwrap()
            .contains("compiled from `main.bicep`")));
    // Newer syntax in types, imports and a lambda does not stop the file.
    assert!(has("BATCH001", "newer/main.bicep", 25), "{f:?}");
    assert!(
        !f.iter()
            .any(|(r, p, _)| r == "BATCH003" && p == "newer/main.bicep"),
        "{f:?}"
    );
}

#[test]
fn a_syntax_error_is_named_at_its_place_and_the_rest_is_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    std::fs::write(
        dir.join("broken.bicep"),
        "resource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {\n  name: 'broken'\n  properties: {\n    publicNetworkAccess: 'Enabled\n  }\n}\n",
    )
    .unwrap();
    std::fs::copy(testdata().join("compiled/main.bicep"), dir.join("ok.bicep")).unwrap();
    let (code, v, _) = scan(&dir, &[]);
    assert_eq!(code, Some(2));
    let notes = v["notifications"].as_array().unwrap();
    // The syntax error, at the string left open.
    let broken = notes
        .iter()
        .find(|n| n["path"] == "broken.bicep")
        .expect("broken.bicep is named");
    assert_eq!(broken["level"], "error");
    assert_eq!(broken["start"]["line"], 4, "{broken}");
    assert!(broken["message"].as_str().unwrap().contains("not closed"));
    assert!(common::findings_at(&v)
        .iter()
        .any(|(r, p, _)| r == "BATCH001" && p == "ok.bicep"));
}

#[test]
fn fixes_edit_the_bicep_text_and_the_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    for f in ["main.bicep", "inner.bicep"] {
        std::fs::copy(testdata().join("modules").join(f), dir.join(f)).unwrap();
    }
    let (code, _, stderr) = scan(&dir, &["--fix", "--unsafe-fixes"]);
    // What has no fix (a customer-managed key) remains.
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("fixed 5 findings in 2 files"), "{stderr}");
    let main = std::fs::read_to_string(dir.join("main.bicep")).unwrap();
    assert!(
        main.contains("param allowedSsh string = 'VirtualNetwork'"),
        "{main}"
    );
    assert!(
        main.contains(
            "    publicNetworkAccess: 'Disabled'\n    allowedAuthenticationModes: ['AAD']\n"
        ),
        "{main}"
    );
    assert!(
        main.contains("    sourceAddressPrefix: 'VirtualNetwork'\n"),
        "{main}"
    );
    let inner = std::fs::read_to_string(dir.join("inner.bicep")).unwrap();
    assert!(
        inner.contains("param publicAccess string = 'Disabled'"),
        "{inner}"
    );
    // A second run has nothing left to change.
    let (_, _, again) = scan(&dir, &["--fix", "--unsafe-fixes"]);
    assert!(again.contains("fixed 0"), "{again}");
}

#[test]
fn a_missing_property_is_inserted_like_its_neighbours() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    std::fs::write(
        dir.join("main.bicep"),
        "resource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {\n  name: 'b'\n  location: 'westeurope'\n  properties: {\n    publicNetworkAccess: 'Disabled'\n  }\n}\n",
    )
    .unwrap();
    let (_, before, _) = scan(&dir, &[]);
    assert!(common::findings_at(&before)
        .iter()
        .any(|(r, _, _)| r == "BATCH003"));
    scan(&dir, &["--fix"]);
    let text = std::fs::read_to_string(dir.join("main.bicep")).unwrap();
    assert!(
        text.contains(
            "    publicNetworkAccess: 'Disabled'\n    allowedAuthenticationModes: ['AAD']\n  }"
        ),
        "{text}"
    );
    let (_, after, _) = scan(&dir, &[]);
    assert!(!common::findings_at(&after)
        .iter()
        .any(|(r, _, _)| r == "BATCH003"));
}

#[test]
fn the_language_server_reads_bicep_documents() {
    use common::lsp::{file_uri, Client, Memory};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let text = std::fs::read_to_string(testdata().join("compiled/main.bicep")).unwrap();
    let uri = file_uri(&dir.join("main.bicep"));
    let mut client = Memory::start();
    client.initialize(serde_json::json!({ "capabilities": {} }));
    client.open(&uri, "bicep", 1, &text);
    let diags = client.diagnostics(&uri);
    let d = diags
        .iter()
        .find(|d| d["code"] == "BATCH001")
        .expect("BATCH001");
    assert_eq!(d["range"]["start"]["line"], 4, "{d}");
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}

/// Loops with an index (`for (x, i) in …`) over resources, properties and variables.
#[test]
fn loops_with_an_index_evaluate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    std::fs::write(
        dir.join("main.bicep"),
        r#"param ports array = [22, 443]
var rules = [for (p, i) in ports: {
  name: 'r${i}'
  properties: {
    priority: 100 + i
    direction: 'Inbound'
    access: 'Allow'
    protocol: 'Tcp'
    sourcePortRange: '*'
    destinationPortRange: string(p)
    sourceAddressPrefix: '*'
    destinationAddressPrefix: '*'
  }
}]
resource nsgs 'Microsoft.Network/networkSecurityGroups@2023-09-01' = [for (n, k) in ['a', 'b']: {
  name: 'nsg-${n}-${k}'
  location: 'westeurope'
  properties: {
    securityRules: rules
  }
}]
"#,
    )
    .unwrap();
    let (_, v, _) = scan(&dir, &[]);
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET001")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("rule 'r0' (priority 100)"),
        "{messages:?}"
    );
    assert!(
        messages[0].contains("nsg-a-0") && messages[0].contains("nsg-b-1"),
        "{messages:?}"
    );
}

/// `m.outputs.x` is the module's output, evaluated with the parameters the call passes.
#[test]
fn module_outputs_are_read_by_their_callers() {
    let dir = testdata().parent().unwrap().join("bicep/outputs");
    let (_, v, _) = scan(&dir, &["--fail-on", "never"]);
    let f = common::findings_at(&v);
    assert!(
        f.contains(&("NET001".to_string(), "main.bicep".to_string(), 32)),
        "{f:?}"
    );
    assert!(
        f.contains(&("NET002".to_string(), "main.bicep".to_string(), 45)),
        "{f:?}"
    );
}

/// A spread merges as Bicep does: a known spread's members are read and later members win; a
/// spread whose value is not known leaves the object unknown (no finding), and a module called
/// with spread `params` gets unknown parameters rather than their defaults.
#[test]
fn spreads_merge_or_leave_their_object_unknown() {
    let v = scan_files(&[
        (
            "main.bicep",
        "param extra object\n\
         param secure bool = true\n\
         resource unknownSpread 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {\n  name: 'a'\n  location: 'westeurope'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n    ...extra\n  }\n}\n\
         resource spreadWins 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {\n  name: 'b'\n  location: 'westeurope'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n    ...(secure ? { publicNetworkAccess: 'Disabled' } : {})\n  }\n}\n\
         resource laterWins 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {\n  name: 'c'\n  location: 'westeurope'\n  properties: {\n    ...(secure ? { publicNetworkAccess: 'Disabled' } : {})\n    publicNetworkAccess: 'Enabled'\n  }\n}\n\
         module spreadParams './ws.bicep' = {\n  name: 'm'\n  params: {\n    ...extra\n  }\n}\n",
        ),
        (
            "ws.bicep",
        "param access string = 'Enabled'\n\
         resource ws 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {\n  name: 'ws'\n  location: 'westeurope'\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
        ),
    ]);
    let notes = v["notifications"].as_array().unwrap();
    assert!(!notes.iter().any(|n| n["level"] == "error"), "{notes:?}");
    let f = common::findings_at(&v);
    let ml001: Vec<u64> = f
        .iter()
        .filter(|(r, p, _)| r == "ML001" && p == "main.bicep")
        .map(|(_, _, line)| *line)
        .collect();
    // Only `laterWins`, at its own attribute.
    assert_eq!(ml001, [24], "{f:?}");
    // `spreadWins` is private (public access disabled by the spread).
    assert!(
        f.iter().any(|(r, p, _)| r == "ML002" && p == "main.bicep"),
        "{f:?}"
    );
    // The module's default (Enabled) is not taken for parameters passed through a spread.
    assert!(!f.iter().any(|(_, p, _)| p == "ws.bicep"), "{f:?}");
}

/// Arrays that spread others (`[ ...base, x ]`, Bicep 0.27): the items spread take the item's
/// place, known or not; an array that spreads a value not known is not known (an unknown rule
/// may deny first), and gives no finding.
#[test]
fn array_spreads_join_or_leave_their_array_unknown() {
    let ssh = "{\n  name: 'ssh'\n  properties: {\n    priority: 100\n    direction: 'Inbound'\n    access: 'Allow'\n    protocol: 'Tcp'\n    sourcePortRange: '*'\n    destinationPortRange: '22'\n    sourceAddressPrefix: '*'\n    destinationAddressPrefix: '*'\n  }\n}";
    let rdp = ssh
        .replace("'ssh'", "'rdp'")
        .replace("'22'", "'3389'")
        .replace("100", "110");
    let https = ssh
        .replace("'ssh'", "'https'")
        .replace("'22'", "'443'")
        .replace("100", "120");
    let nsg = |name: &str, rules: &str| {
        format!(
            "resource {name} 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {{\n  name: '{name}'\n  location: 'westeurope'\n  properties: {{\n    securityRules: {rules}\n  }}\n}}\n"
        )
    };
    let text = [
        "param extraRules array\nparam allowSsh bool = true\n".to_string(),
        format!("var sshRules = [\n  {ssh}\n]\n"),
        // SSH from a variable spread first, then a literal item: NET001.
        nsg(
            "fromVariable",
            &format!("[\n      ...sshRules\n      {https}\n    ]"),
        ),
        // RDP in a conditional spread after a literal item: NET002.
        nsg(
            "fromCondition",
            &format!(
                "[\n      {https}\n      ...(allowSsh ? [\n        {rdp}\n      ] : [])\n    ]"
            ),
        ),
        // An unknown list spread beside an open SSH rule: nothing is known of the NSG.
        nsg(
            "unknownSpread",
            &format!("[\n      ...extraRules\n      {ssh}\n    ]"),
        ),
        // In an expression: `concat()` of what is spread and the items around it.
        nsg("inExpression", "union([\n      ...sshRules\n    ], [])"),
    ]
    .concat();
    let v = scan_files(&[("main.bicep", &text)]);
    let notes = v["notifications"].as_array().unwrap();
    assert!(!notes.iter().any(|n| n["level"] == "error"), "{notes:?}");
    let mut f: Vec<(String, u64)> = common::findings_at(&v)
        .into_iter()
        .filter(|(r, p, _)| r.starts_with("NET") && p == "main.bicep")
        .map(|(r, _, line)| (r, line))
        .collect();
    f.sort_unstable_by_key(|(_, line)| *line);
    // Each at the spread that brings the rule in; none for `unknownSpread`, whose list spreads
    // a parameter.
    let lines: Vec<(usize, &str)> = text.lines().enumerate().collect();
    let spread_lines = |what: &str| -> Vec<u64> {
        lines
            .iter()
            .filter(|(_, l)| l.trim_start().starts_with(what))
            .map(|(i, _)| *i as u64 + 1)
            .collect()
    };
    let ssh = spread_lines("...sshRules");
    let rdp = spread_lines("...(allowSsh");
    // In an expression, at the expression.
    let union = spread_lines("securityRules: union(");
    assert_eq!((ssh.len(), rdp.len(), union.len()), (2, 1, 1));
    let expected = vec![
        ("NET001".to_string(), ssh[0]),
        ("NET002".to_string(), rdp[0]),
        ("NET001".to_string(), union[0]),
    ];
    assert_eq!(f, expected);
}

/// The grammar reads `[ ports[0] ]` as two elements, `ports` and `[0]`, and `...a ?? b` as a
/// spread of `a` alone: both are read as written, so an NSG rule whose lists are written with
/// subscripts is judged on its values (here it opens SSH and RDP to the internet), not taken
/// for a rule with malformed ports.
#[test]
fn subscripted_and_coalesced_array_elements_are_read_as_written() {
    let text = "param sources array = [\n  'Internet'\n]\n\
                param ports array = [\n  '22'\n  '3389'\n]\n\
                param extra array?\n\
                var https = {\n  name: 'https'\n  properties: {\n    priority: 200\n    direction: 'Inbound'\n    access: 'Allow'\n    protocol: 'Tcp'\n    sourcePortRange: '*'\n    destinationPortRange: '443'\n    sourceAddressPrefix: '*'\n    destinationAddressPrefix: '*'\n  }\n}\n\
                resource nsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {\n\
                \x20 name: 'admin'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n\
                \x20     {\n        name: 'admin'\n        properties: {\n          priority: 100\n\
                \x20         direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n\
                \x20         sourcePortRange: '*'\n          sourceAddressPrefix: sources[0]\n\
                \x20         destinationAddressPrefix: '*'\n\
                \x20         destinationPortRanges: [ports[0], ports[1]]\n        }\n      }\n\
                \x20     ...extra ?? [https]\n    ]\n  }\n}\n";
    let (mut rules, v) = rules_of_main_bicep(text);
    let notes = v["notifications"].as_array().unwrap();
    assert!(!notes.iter().any(|n| n["level"] == "error"), "{notes:?}");
    rules.sort();
    assert_eq!(rules, ["NET001", "NET002"], "{v:#}");
}

/// `rule.?source ?? '*'`: a member the object does not have is null, so the default applies and
/// the rule is judged on it (it opens SSH to any source).
#[test]
fn a_safe_dereference_of_a_missing_member_takes_the_default() {
    let text = "param rule object = {\n  port: '22'\n}\n\
                resource nsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {\n\
                \x20 name: 'admin'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n\
                \x20     {\n        name: 'ssh'\n        properties: {\n          priority: 100\n\
                \x20         direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n\
                \x20         sourcePortRange: '*'\n          sourceAddressPrefix: rule.?source ?? '*'\n\
                \x20         destinationAddressPrefix: '*'\n          destinationPortRange: rule.port\n\
                \x20       }\n      }\n    ]\n  }\n}\n";
    let (rules, v) = rules_of_main_bicep(text);
    assert_eq!(rules, ["NET001"], "{v:#}");
}

/// A member access after an operator's last operand belongs to that operand (`f && a.b` is
/// `f && (a.b)`), which the grammar reads as applying to the whole operation: the rule below
/// opens SSH to any source, and its priority is a sum, not a member of one.
#[test]
fn member_accesses_after_operators_are_read_with_bicep_precedence() {
    let text = "param open bool = true\n\
                param ranges object = {\n  office: '10.1.0.0/16'\n  ssh: '22'\n}\n\
                param base object = {\n  priority: 100\n}\n\
                resource nsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {\n\
                \x20 name: 'admin'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n\
                \x20     {\n        name: 'ssh'\n        properties: {\n          priority: 10 + base.priority\n\
                \x20         direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n\
                \x20         sourcePortRange: '*'\n          sourceAddressPrefix: !open ? ranges.office : '*'\n\
                \x20         destinationAddressPrefix: '*'\n\
                \x20         destinationPortRange: open && !empty(ranges) ? ranges.ssh : ranges.office\n\
                \x20       }\n      }\n    ]\n  }\n}\n";
    let (rules, v) = rules_of_main_bicep(text);
    assert_eq!(rules, ["NET001"], "{v:#}");
}

/// A Bicep module may be an ARM template in JSON: it is deployed with the parameters the call
/// passes, as a `.bicep` module is, and its findings point into the JSON file.
#[test]
fn a_json_module_is_deployed_with_its_parameters() {
    let v = scan_files(&[
        (
            "main.bicep",
        "module open './modules/nsg.json' = {\n  name: 'open'\n  params: {\n    source: '*'\n  }\n}\n\
         module closed './modules/nsg.json' = {\n  name: 'closed'\n  params: {\n    source: '10.0.0.0/8'\n  }\n}\n",
        ),
        (
            "modules/nsg.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "source": { "type": "string", "defaultValue": "10.0.0.0/8" }
  },
  "resources": [
    {
      "type": "Microsoft.Network/networkSecurityGroups",
      "apiVersion": "2023-09-01",
      "name": "[format('nsg-{0}', deployment().name)]",
      "location": "westeurope",
      "properties": {
        "securityRules": [
          {
            "name": "ssh",
            "properties": {
              "priority": 100,
              "direction": "Inbound",
              "access": "Allow",
              "protocol": "Tcp",
              "sourcePortRange": "*",
              "destinationPortRange": "22",
              "sourceAddressPrefix": "[parameters('source')]",
              "destinationAddressPrefix": "*"
            }
          }
        ]
      }
    }
  ]
}
"#,
        ),
    ]);
    let notes = v["notifications"].as_array().unwrap();
    assert!(!notes.iter().any(|n| n["level"] != "note"), "{notes:?}");
    let f = common::findings_at(&v);
    // Once, for the call that passes `*`: the module's default would not open it.
    let net001: Vec<&(String, String, u64)> = f.iter().filter(|(r, _, _)| r == "NET001").collect();
    assert_eq!(
        net001,
        [&("NET001".to_string(), "modules/nsg.json".to_string(), 24)],
        "{f:?}"
    );
    // The value's origin is the call, named with the module it is passed to.
    let related: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "NET001")
        .flat_map(|x| x["related"].as_array().unwrap())
        .filter_map(|r| r["message"].as_str())
        .collect();
    assert!(
        related.contains(&"value of parameter `source` passed to `./modules/nsg.json`"),
        "{related:?}"
    );
}

/// The quickstarts' layout: `azuredeploy.json` compiled from the `main.bicep` beside it, with
/// `azuredeploy.parameters.json`. The Bicep source is read instead of the compiled template (one
/// finding, at the source), with the compiled template's parameters file.
#[test]
fn a_quickstart_s_compiled_template_is_left_to_main_bicep_with_its_parameters() {
    let v = scan_files(&[
        (
            "main.bicep",
        "param source string\n\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: 'nsg'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n      {\n        name: 'ssh'\n        properties: {\n          priority: 100\n          direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n          sourcePortRange: '*'\n          destinationPortRange: '22'\n          sourceAddressPrefix: source\n          destinationAddressPrefix: '*'\n        }\n      }\n    ]\n  }\n}\n",
        ),
        (
            "azuredeploy.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "_generator": { "name": "bicep", "version": "0.30.23.60470" } },
  "parameters": { "source": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Network/networkSecurityGroups",
      "apiVersion": "2023-09-01",
      "name": "nsg",
      "location": "westeurope",
      "properties": {
        "securityRules": [
          {
            "name": "ssh",
            "properties": {
              "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
              "sourcePortRange": "*", "destinationPortRange": "22",
              "sourceAddressPrefix": "[parameters('source')]", "destinationAddressPrefix": "*"
            }
          }
        ]
      }
    }
  ]
}
"#,
        ),
        (
            "azuredeploy.parameters.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "source": { "value": "*" } }
}
"#,
        ),
    ]);
    let f = common::findings_at(&v);
    assert_eq!(
        f,
        [("NET001".to_string(), "main.bicep".to_string(), 17)],
        "{f:?}"
    );
    let related: Vec<&str> = v["findings"][0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["message"].as_str())
        .collect();
    assert!(
        related.contains(&"value of parameter `source` (azuredeploy.parameters.json)"),
        "{related:?}"
    );
    let notes: Vec<&str> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["message"].as_str())
        .collect();
    assert_eq!(notes, ["`azuredeploy.json` is compiled from `main.bicep`, which is scanned instead; its findings are reported at the Bicep source"]);
}

/// A module parameter passed `null` takes its default, as ARM reads a null value (Azure Verified
/// Modules pass `options.?name` this way): the account is private by default and stays so, and
/// a compute whose `deploy == true` condition reads a null stays deployed by its default.
#[test]
fn a_null_module_argument_takes_the_parameter_s_default() {
    let v = scan_files(&[
        (
            "main.bicep",
        "param options object = {}\n\
         module acct './account.bicep' = {\n  name: 'acct'\n  params: {\n    \
         publicNetworkAccess: options.?publicNetworkAccess\n    deploy: options.?deploy\n  }\n}\n",
        ),
        (
            "account.bicep",
        "param publicNetworkAccess string = 'Disabled'\nparam deploy bool = true\n\
         resource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = if (deploy == true) {\n  \
         name: 'acct'\n  location: 'westeurope'\n  properties: {\n    \
         publicNetworkAccess: publicNetworkAccess\n    allowedAuthenticationModes: [\n      'AAD'\n    ]\n  }\n}\n",
        ),
    ]);
    let rules: Vec<String> = common::findings_at(&v)
        .into_iter()
        .map(|(r, _, _)| r)
        .collect();
    // Deployed (BATCH004 fires on it) and private (no BATCH001).
    assert!(rules.contains(&"BATCH004".to_string()), "{v}");
    assert!(!rules.contains(&"BATCH001".to_string()), "{v}");
}

/// A `.bicepparam` file's variables are written into the parameters that use them, as Bicep
/// compiles them, and are not parameters of their own (no warning that the template lacks them).
#[test]
fn bicepparam_variables_reach_the_parameters_that_use_them() {
    let v = scan_files(&[
        (
            "main.bicep",
        "param mode string\nparam allowed array\nparam other string = 'x'\n\nresource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {\n  name: 'acct'\n  location: 'westeurope'\n  properties: {\n    publicNetworkAccess: mode\n    allowedAuthenticationModes: allowed\n  }\n}\n",
        ),
        (
            "main.bicepparam",
        "using 'main.bicep'\n\nvar base = 'Enab'\nvar modes = [\n  'AAD'\n]\nvar broken = readEnvironmentVariable('MODE')\nparam mode = '${base}led'\nparam allowed = concat(modes, ['SharedKey'])\nparam other = broken\n",
        ),
    ]);
    let f = common::findings_at(&v);
    assert!(
        f.contains(&("BATCH001".into(), "main.bicep".into(), 9)),
        "{f:?}"
    );
    assert!(
        f.contains(&("BATCH003".into(), "main.bicep".into(), 10)),
        "{f:?}"
    );
    // The finding names where the value was written.
    let b1 = common::finding(&v, "BATCH001");
    assert_eq!(b1["related"][0]["path"], "main.bicepparam", "{b1}");
    assert_eq!(b1["related"][0]["start"]["line"], 8, "{b1}");
    let notes = v["notifications"].as_array().unwrap();
    assert!(
        !notes
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("does not declare")),
        "{notes:?}"
    );
}

/// A module whose deployment name is computed (`'${uniqueString(deployment().name)}-deps'`, as
/// every Azure Verified Modules test writes it) still has its outputs read.
#[test]
fn outputs_of_a_module_with_a_computed_name_are_read() {
    let v = scan_files(&[
        (
            "deps.bicep",
        "param mode string\noutput access string = mode\n",
        ),
        (
            "main.bicep",
        "module deps 'deps.bicep' = {\n  name: '${uniqueString(deployment().name)}-deps'\n  params: {\n    mode: 'Enabled'\n  }\n}\n\nresource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {\n  name: 'acct'\n  location: 'westeurope'\n  properties: {\n    publicNetworkAccess: deps.outputs.access\n    allowedAuthenticationModes: ['AAD']\n  }\n}\n",
        ),
    ]);
    let f = common::findings_at(&v);
    assert!(
        f.contains(&("BATCH001".into(), "main.bicep".into(), 12)),
        "{f:?}"
    );
    // The finding names the module's parameter the value was passed as.
    let b1 = common::finding(&v, "BATCH001");
    assert_eq!(b1["related"][0]["path"], "main.bicep", "{b1}");
    assert_eq!(b1["related"][0]["start"]["line"], 4, "{b1}");
    assert!(
        b1["related"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`mode` passed to `deps.bicep`"),
        "{b1}"
    );
}

/// `cidrSubnet()` computes the prefix of a subnet as ARM does: a Bastion subnet allocated as
/// the third /27 of the network is found too small.
#[test]
fn cidr_functions_compute_subnet_prefixes() {
    let (rules, v) = rules_of_main_bicep("param vnetPrefix string = '10.0.0.0/16'\n\nresource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {\n  name: 'vnet'\n  location: 'westeurope'\n  properties: {\n    addressSpace: {\n      addressPrefixes: [vnetPrefix]\n    }\n    subnets: [\n      {\n        name: 'AzureBastionSubnet'\n        properties: {\n          addressPrefix: cidrSubnet(vnetPrefix, 27, 2)\n        }\n      }\n    ]\n  }\n}\n\nresource bastion 'Microsoft.Network/bastionHosts@2024-05-01' = {\n  name: 'bastion'\n  location: 'westeurope'\n  properties: {\n    ipConfigurations: [\n      {\n        name: 'ip'\n        properties: {\n          subnet: {\n            id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureBastionSubnet')\n          }\n          publicIPAddress: {\n            id: resourceId('Microsoft.Network/publicIPAddresses', 'pip')\n          }\n        }\n      }\n    ]\n  }\n}\n");
    assert_eq!(rules, ["NET006"], "{v}");
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("10.0.0.64/27"),
        "{v}"
    );
}

/// Lambdas compile to ARM's lambda functions and evaluate per element, whichever way the
/// grammar groups them: `r => r.port` (read by the grammar as `(r => r).port`), a body with
/// operators and `!`, an index variable, `toObject()`, `reduce()` and nested lambdas.
#[test]
fn lambdas_compute_rule_lists() {
    let text = r#"param rules array = [
  { name: 'ssh', port: '22', src: '*' }
  { name: 'web', port: '443', src: '*' }
  { name: 'rdp', port: '3389', src: 'Internet' }
]
var byName = toObject(rules, r => r.name)
var ports = map(rules, r => r.port)
var names = reduce(rules, '', (acc, r, i) => i == 0 ? r.name : '${acc},${r.name}')
var nested = map(rules, r => map(ports, p => p == r.port ? 'same' : 'other'))
var notWeb = filter(rules, r => !(r.port == '443') && r.src != 'none')

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {
  name: 'nsg-${names}'
  location: 'westeurope'
  properties: {
    securityRules: map(notWeb, (r, i) => {
      name: byName[r.name].name
      properties: {
        priority: 200 + i * 10
        direction: 'Inbound'
        access: 'Allow'
        protocol: 'Tcp'
        sourceAddressPrefix: r.src
        sourcePortRange: '*'
        destinationAddressPrefix: '*'
        destinationPortRange: length(nested[i]) == 3 ? r.port : '1'
      }
    })
  }
}
"#;
    let (rules, v) = rules_of_main_bicep(text);
    assert_eq!(rules, ["NET001", "NET002"], "{v}");
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0]
            .contains("rule 'ssh' (priority 200) in networkSecurityGroups 'nsg-ssh,web,rdp'"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("rule 'rdp' (priority 210)"),
        "{messages:?}"
    );
}

/// Rules a loop writes, over a count that is not known, may decide first what a rule of its own
/// resource would: that rule's verdict is unknown, and nothing is reported. With the count known
/// (here 0 rules), it is.
#[test]
fn rules_of_a_loop_of_unknown_length_keep_a_child_rule_unknown() {
    let text = |count: &str| {
        format!(
            "param denyCount int{count}\n\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-04-01' = {{\n  name: 'nsg1'\n  location: 'westeurope'\n  properties: {{\n    securityRules: [for i in range(0, denyCount): {{\n      name: 'deny${{i}}'\n      properties: {{ direction: 'Inbound', access: 'Deny', priority: 100 + i, protocol: '*', sourceAddressPrefix: 'Internet', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '22' }}\n    }}]\n  }}\n}}\n\nresource allow 'Microsoft.Network/networkSecurityGroups/securityRules@2023-04-01' = {{\n  parent: nsg\n  name: 'allow'\n  properties: {{ direction: 'Inbound', access: 'Allow', priority: 1000, protocol: 'Tcp', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '22' }}\n}}\n"
        )
    };
    let (rules, v) = rules_of_main_bicep(&text(""));
    assert!(rules.is_empty(), "{v}");
    let (rules, v) = rules_of_main_bicep(&text(" = 0"));
    assert_eq!(rules, ["NET001"], "{v}");
    let (rules, v) = rules_of_main_bicep(&text(" = 1"));
    assert!(rules.is_empty(), "{v}");
}

/// A child resource named `parent/child` without `parent:` has an id of each part, as Bicep
/// compiles `.id` (`split(name, '/')[i]`): a pool that references the subnet by symbol finds
/// it, and its NSG.
#[test]
fn a_child_named_with_its_parent_links_by_symbol() {
    let text = "param vnetName string = 'vnet'\n\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: 'nsg'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n      {\n        name: 'deny-out'\n        properties: { priority: 100, direction: 'Outbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '*' }\n      }\n    ]\n  }\n}\n\nresource subnet 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' = {\n  name: '${vnetName}/batch'\n  properties: {\n    addressPrefix: '10.0.1.0/24'\n    networkSecurityGroup: { id: nsg.id }\n  }\n}\n\nresource acct 'Microsoft.Batch/batchAccounts@2024-07-01' = {\n  name: 'acct'\n  location: 'westeurope'\n  properties: {}\n}\n\nresource pool 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {\n  name: 'acct/pool'\n  properties: {\n    vmSize: 'STANDARD_D2S_V3'\n    deploymentConfiguration: { virtualMachineConfiguration: { nodeAgentSkuId: 'batch.node.ubuntu 22.04' } }\n    networkConfiguration: {\n      subnetId: subnet.id\n      publicIPAddressConfiguration: { provision: 'NoPublicIPAddresses' }\n    }\n  }\n}\n";
    let (rules, v) = rules_of_main_bicep(text);
    assert!(rules.iter().any(|r| r == "BATCH041"), "{v}");
    let f = common::finding(&v, "BATCH041");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Microsoft.Batch/batchAccounts/pools 'acct/pool'"),
        "{f}"
    );
}

/// Resources named by a parameter without a value keep their links: a child rule with `parent:`
/// belongs to its NSG (whose Deny comes first), a subnet's `nsg.id` associates that NSG, and two
/// NSGs named by different parameters stay apart in messages.
#[test]
fn resources_named_by_unknown_parameters_are_linked_by_their_expressions() {
    let rule = |name: &str, access: &str, priority: u32, source: &str| {
        format!(
            "{{\n  name: '{name}'\n  properties: {{\n    direction: 'Inbound'\n    access: '{access}'\n    priority: {priority}\n    protocol: 'Tcp'\n    sourceAddressPrefix: '{source}'\n    sourcePortRange: '*'\n    destinationAddressPrefix: '*'\n    destinationPortRange: '22'\n  }}\n}}"
        )
    };
    let child = |access: &str| {
        format!(
            "resource allow 'Microsoft.Network/networkSecurityGroups/securityRules@2023-11-01' = {}\n",
            rule("allow", access, 300, "*").replacen('{', "{\n  parent: nsg", 1)
        )
    };
    let nsg = |rules: &str| {
        format!("param nsgName string\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {{\n  name: nsgName\n  location: 'westeurope'\n  properties: {{\n    securityRules: [\n{rules}\n    ]\n  }}\n}}\n")
    };
    // The NSG's own Deny at 100 decides before the child's Allow at 300.
    let denied = nsg(&rule("deny", "Deny", 100, "Internet")) + &child("Allow");
    let (rules, v) = rules_of_main_bicep(&denied);
    assert!(!rules.contains(&"NET001".to_string()), "{v:#}");
    // Without it, the child's Allow is reported in that NSG, named by its expression.
    let open = nsg("") + &child("Allow");
    let (rules, v) = rules_of_main_bicep(&open);
    assert_eq!(rules, ["NET001"], "{v:#}");
    let message = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("networkSecurityGroups `[parameters('nsgName')]`")
            && !message.contains("standalone rule"),
        "{message}"
    );
    // A subnet associated through `nsg.id`: the NSG is judged with its subnet, not alone.
    let vnet = "resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: 'vnet'\n  location: 'westeurope'\n  properties: {\n    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }\n    subnets: [\n      {\n        name: 's1'\n        properties: {\n          addressPrefix: '10.0.1.0/24'\n          networkSecurityGroup: { id: nsg.id }\n        }\n      }\n    ]\n  }\n}\n";
    let associated = nsg(&rule("ssh", "Allow", 100, "*")) + vnet;
    let (rules, v) = rules_of_main_bicep(&associated);
    assert_eq!(rules, ["NET001"], "{v:#}");
    let message = v["findings"][0]["message"].as_str().unwrap();
    assert!(!message.contains("not associated"), "{message}");
    // Passed to a registry module instead (Azure Verified Modules' virtual network takes the
    // NSG's id), which batchguard does not read: judged on its own, and the message says where
    // it may be used.
    let passed = nsg(&rule("ssh", "Allow", 100, "*"))
        + "module vnet 'br/public:avm/res/network/virtual-network:0.7.0' = {\n  name: 'vnet'\n  params: {\n    name: 'vnet'\n    addressPrefixes: ['10.0.0.0/16']\n    subnets: [\n      {\n        name: 's1'\n        addressPrefix: '10.0.1.0/24'\n        networkSecurityGroupResourceId: nsg.id\n      }\n    ]\n  }\n}\n";
    let (rules, v) = rules_of_main_bicep(&passed);
    assert_eq!(rules, ["NET001"], "{v:#}");
    let message = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("not associated")
            && message.contains(
                "a reference to it is passed to module vnet, which batchguard does not read"
            ),
        "{message}"
    );
    // A module that is passed something else says nothing of it.
    let other = nsg(&rule("ssh", "Allow", 100, "*"))
        + "module vnet 'br/public:avm/res/network/virtual-network:0.7.0' = {\n  name: 'vnet'\n  params: {\n    name: 'vnet'\n    tags: { nsg: 'none' }\n  }\n}\n";
    let (_, v) = rules_of_main_bicep(&other);
    let message = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("not associated") && !message.contains("passed to"),
        "{message}"
    );
}

/// A module that is not scanned is told apart from one that does not exist: the first is in a
/// folder the scan left out (scan it too), the second breaks `bicep build`.
#[test]
fn a_module_outside_the_scan_is_told_apart_from_a_missing_one() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("a")).unwrap();
    std::fs::create_dir_all(d.path().join("b")).unwrap();
    std::fs::write(
        d.path().join("a/main.bicep"),
        "module m '../b/mod.bicep' = {\n  name: 'm'\n}\nmodule n '../c/missing.bicep' = {\n  name: 'n'\n}\n",
    )
    .unwrap();
    std::fs::write(d.path().join("b/mod.bicep"), "param x string = 'a'\n").unwrap();
    let (_, v, _) = scan(&d.path().join("a"), &[]);
    let notes: Vec<(u64, &str)> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["start"]["line"].as_u64().unwrap(),
                n["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (
                1,
                "the module `../b/mod.bicep` is not among the scanned files; what it deploys is \
                 not analysed (scan the folder that holds it too)"
            ),
            (
                4,
                "the module `../c/missing.bicep` does not exist: Bicep cannot build this file, \
                 and what it would deploy is not analysed"
            ),
        ]
    );
}

/// A value passed to a module inside an object argument names the parameter it came from, even
/// through another module's output, and not another member's parameter; a member written as a
/// literal names the object written in the call.
#[test]
fn each_member_of_an_object_argument_names_its_own_origin() {
    let nsg = "param config object\n\nresource nsg 'Microsoft.Network/networkSecurityGroups@2023-09-01' = {\n  name: config.name\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n      {\n        name: 'ssh'\n        properties: {\n          priority: 100\n          direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n          sourcePortRange: '*'\n          destinationPortRange: config.port\n          sourceAddressPrefix: config.source\n          destinationAddressPrefix: '*'\n        }\n      }\n    ]\n  }\n}\n";
    let net = "param src string\noutput src string = src\n";
    let main = "param allowedSource string = '*'\nparam nsgName string = 'nsg-a'\n\nmodule net 'net.bicep' = {\n  name: 'net'\n  params: {\n    src: allowedSource\n  }\n}\n\nmodule nsg 'nsg.bicep' = {\n  name: 'nsg'\n  params: {\n    config: {\n      name: nsgName\n      port: '22'\n      source: net.outputs.src\n    }\n  }\n}\n";
    let v = scan_files(&[("main.bicep", main), ("net.bicep", net), ("nsg.bicep", nsg)]);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "NET001", "{v}");
    let related: Vec<(String, u64)> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "main.bicep")
        .map(|r| {
            (
                r["message"].as_str().unwrap().to_string(),
                r["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        related.contains(&(
            "default value of parameter `allowedSource` (passed to `net.bicep` as `src`) (passed to `nsg.bicep` as `config`)".into(),
            1
        )),
        "{related:?}"
    );
    assert!(
        related.iter().all(|(m, _)| !m.contains("nsgName")),
        "{related:?}"
    );
}

/// tree-sitter-bicep's scanner, unguarded, read to the end of the file at each parenthesised
/// call with a member access as its argument: 4,000 of them (190 KB) took the parser past its
/// time bound and the file was refused. Guarded (`src/frontend/bicep_scanner.c`), it is read,
/// and the NSG after them is judged.
#[test]
fn conditions_by_the_thousand_do_not_stop_the_parser() {
    let mut text = String::from("param o object = {\n  a: 'x'\n}\n");
    for i in 0..4000 {
        text.push_str(&format!("var v{i} = (contains(o, o.a)) ? 'x{i}' : o.a\n"));
    }
    text.push_str(
        "resource nsg 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {\n  name: 'nsg'\n  location: 'westeurope'\n  properties: {\n    securityRules: [\n      {\n        name: 'ssh'\n        properties: {\n          priority: 100\n          direction: 'Inbound'\n          access: 'Allow'\n          protocol: 'Tcp'\n          sourceAddressPrefix: '*'\n          sourcePortRange: '*'\n          destinationAddressPrefix: '*'\n          destinationPortRange: '22'\n        }\n      }\n    ]\n  }\n}\n",
    );
    let (rules, v) = rules_of_main_bicep(&text);
    assert_eq!(
        v["notifications"],
        serde_json::json!([]),
        "{:#}",
        v["notifications"]
    );
    assert_eq!(rules, ["NET001"], "{v:#}");
}
