//! ARM evaluation end to end: values from parameter defaults, parameters files, variables, copy
//! loops, conditions and nested templates reach the rules, and findings name where the value
//! came from.

mod common;

use batchguard::rules::Options;
use batchguard::scan::ScanOutput;
use common::{manifest_dir, scan_paths};
use std::path::PathBuf;

fn scan() -> ScanOutput {
    scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata/eval/arm")],
        Options::default(),
    )
}

/// (rule, file name, line, related messages) of every finding.
fn summary(out: &ScanOutput) -> Vec<(String, String, usize, Vec<String>)> {
    out.findings
        .iter()
        .map(|f| {
            let file = &out.files[f.span.file];
            let name = file.rel.rsplit('/').next().unwrap_or_default().to_string();
            let line = file.position(f.span.start).line;
            let related = f
                .related
                .iter()
                .map(|r| {
                    let rf = &out.files[r.span.file];
                    format!(
                        "{}:{} {}",
                        rf.rel.rsplit('/').next().unwrap_or_default(),
                        rf.position(r.span.start).line,
                        r.message
                    )
                })
                .collect();
            (f.rule.to_string(), name, line, related)
        })
        .collect()
}

#[test]
fn evaluated_values_are_reported_with_their_origin() {
    let out = scan();
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
    let found = summary(&out);
    let expect = |rule: &str, file: &str, line: usize, related: &[&str]| {
        let hit = found
            .iter()
            .find(|(r, f, l, _)| r == rule && f == file && *l == line)
            .unwrap_or_else(|| panic!("no {rule} at {file}:{line} in {found:#?}"));
        for want in related {
            assert!(
                hit.3.iter().any(|r| r == want),
                "{want} not in {:#?}",
                hit.3
            );
        }
    };
    // A parameter's default `*` (and the port from a variable).
    expect(
        "NET001",
        "default_value.json",
        33,
        &["default_value.json:7 default value of parameter `src`"],
    );
    // The parameters file beside the template overrides the harmless default.
    expect(
        "NET001",
        "parameters_file.json",
        36,
        &["parameters_file.parameters.json:9 value of parameter `sshSource` (parameters_file.parameters.json)"],
    );
    // A property copy loop: the second element opens port 22 from the internet.
    expect("NET001", "copy_and_nested.json", 32, &[]);
    // An inner-scope nested template gets `*` through its own parameter.
    expect(
        "NET002",
        "copy_and_nested.json",
        79,
        &["copy_and_nested.json:53 value of parameter `rdpSource` passed to the nested template"],
    );
    // Rules made by lambdas: `filter()` drops the disabled RDP opening, `sort()` puts HTTPS
    // first, `map()` gives SSH the second priority, from the parameter's default.
    expect(
        "NET001",
        "lambdas.json",
        25,
        &["lambdas.json:7 default value of parameter `openings`"],
    );
    assert!(
        out.findings
            .iter()
            .any(|f| f.rule == "NET001" && f.message.as_str().contains("rule 'ssh' (priority 101)")),
        "{:#?}",
        out.findings
    );
    // The admins' array default is private; the RDP rule whose condition is false does not exist.
    assert_eq!(found.len(), 5, "{found:#?}");
}

/// A template shaped as Bicep compiles one: user-defined types in `definitions`, resources keyed
/// by symbolic name, names built with `format()`, `take()` and `uniqueString()`, and a
/// `properties` object written as one `union(createObject(…))` expression thousands of columns
/// long.
fn compiled_bicep_template() -> String {
    let tags: Vec<String> = (0..60)
        .map(|i| format!("'tag{i}', 'xxxxxxxxxxxxxxxxxxxx{i}'"))
        .collect();
    let properties = format!(
        "[union(createObject('friendlyName', coalesce(parameters('friendlyName'), parameters('name')), 'hbiWorkspace', parameters('hbiWorkspace'), 'description', parameters('description'), 'note', 'a \\\"quoted\\\" word – é', {}, 'publicNetworkAccess', parameters('publicNetworkAccess'), 'v1LegacyMode', false()), if(not(empty(parameters('privateEndpoints'))), createObject('privateEndpointCount', length(parameters('privateEndpoints'))), createObject()))]",
        tags.join(", ")
    );
    r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "definitions": {
    "lockType": {"type": "object", "properties": {"name": {"type": "string", "nullable": true}}, "nullable": true},
    "privateEndpointType": {"type": "array", "items": {"type": "object"}, "nullable": true}
  },
  "parameters": {
    "name": {"type": "string", "defaultValue": "mlw-contoso"},
    "friendlyName": {"type": "string", "nullable": true},
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "hbiWorkspace": {"type": "bool", "defaultValue": false},
    "description": {"type": "string", "defaultValue": "a workspace"},
    "publicNetworkAccess": {"type": "string", "defaultValue": "Disabled"},
    "lock": {"$ref": "#/definitions/lockType"},
    "privateEndpoints": {"$ref": "#/definitions/privateEndpointType"}
  },
  "resources": {
    "workspace": {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-04-01",
      "name": "[format('{0}-{1}', parameters('name'), take(uniqueString(resourceGroup().id, parameters('name')), 5))]",
      "location": "[parameters('location')]",
      "identity": {"type": "SystemAssigned"},
      "properties": "PROPERTIES"
    },
    "workspace_lock": {
      "condition": "[not(empty(coalesce(parameters('lock'), createObject())))]",
      "type": "Microsoft.Authorization/locks",
      "apiVersion": "2020-05-01",
      "name": "[coalesce(tryGet(parameters('lock'), 'name'), format('lock-{0}', parameters('name')))]",
      "properties": {"level": "CanNotDelete"}
    }
  }
}
"##
    .replace("PROPERTIES", &properties)
}

/// On compiled Bicep, findings name the resource (its name evaluated from the defaults), point
/// at the argument of the long expression that holds the offending value, and relate only the
/// parameter that value came from; a resource of a nullable user-defined type's condition that
/// is false does not exist.
#[test]
fn compiled_bicep_findings_are_readable() {
    let d = tempfile::tempdir().unwrap();
    let text = compiled_bicep_template();
    std::fs::write(d.path().join("main.json"), &text).unwrap();
    let out = scan_paths(d.path(), &[d.path().join("main.json")], Options::default());
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
    let ml002: Vec<_> = out.findings.iter().filter(|f| f.rule == "ML002").collect();
    assert_eq!(ml002.len(), 2, "{:#?}", out.findings);
    for f in &out.findings {
        assert!(
            !f.message.as_str().contains("'?'"),
            "{}",
            f.message.as_str()
        );
        assert!(
            f.message
                .as_str()
                .contains("Microsoft.MachineLearningServices/workspaces 'mlw-contoso-"),
            "{}",
            f.message.as_str()
        );
    }
    // The private-endpoint finding is about `publicNetworkAccess`: it points at that argument
    // of `createObject()`, and names that parameter's default alone.
    let pe = ml002
        .iter()
        .find(|f| f.message.as_str().contains("amlworkspace"))
        .unwrap();
    let file = &out.files[pe.span.file];
    assert_eq!(
        &file.text[pe.span.start..pe.span.end],
        "'publicNetworkAccess', parameters('publicNetworkAccess')"
    );
    let p = file.position(pe.span.start);
    assert_eq!(p.line, 26);
    assert!(p.col_utf16 > 2000, "{p:?}");
    let related: Vec<String> = pe
        .related
        .iter()
        .map(|r| format!("{}:{}", r.message, file.position(r.span.start).line))
        .collect();
    assert_eq!(
        related,
        ["default value of parameter `publicNetworkAccess`:15"]
    );
    // The console shows a window of the line around the argument.
    let console = common::render_console(&out);
    let shown = console
        .lines()
        .find(|l| l.starts_with("26 | "))
        .unwrap_or_else(|| panic!("{console}"));
    assert!(shown.contains("'publicNetworkAccess', parameters('publicNetworkAccess')"));
    assert!(shown.chars().count() < 140, "{shown}");
    assert!(console.contains(&format!("--> main.json:26:{}", p.col_utf16)));
}

/// A linked template among the scanned files (`templateLink.relativePath`, or a `uri` built on
/// `_artifactsLocation`, passed down to the templates it links in turn) is analysed through the
/// deployments that link it, with the parameters they pass, and not on its own with its
/// defaults.
#[test]
fn linked_templates_are_analysed_with_what_their_callers_pass() {
    let out = scan_paths(
        &manifest_dir(),
        &[PathBuf::from("testdata/eval/arm_linked")],
        Options::default(),
    );
    // The deployment that passes its parameters in a `parametersLink` leaves the linked
    // template's `_artifactsLocation` unknown, so what that one links in turn is not analysed.
    let notes: Vec<(&str, usize, &str)> = out
        .notifications
        .iter()
        .map(|n| {
            let s = n.span.unwrap();
            let f = &out.files[s.file];
            (f.rel.as_str(), f.position(s.start).line, n.message.as_str())
        })
        .collect();
    assert_eq!(
        notes,
        [(
            "testdata/eval/arm_linked/nested/nsg.json",
            43,
            "this deployment links the template at `[concat(parameters('_artifactsLocation'), '/nested/extra.json', parameters('_artifactsLocationSasToken'))]`, but where `_artifactsLocation` points is not known here (the deployment of this template does not pass it, or passes it in a `parametersLink`); what it deploys is not analysed"
        )]
    );
    let found = summary(&out);
    let rules: Vec<(&str, &str, usize)> = found
        .iter()
        .map(|(r, f, l, _)| (r.as_str(), f.as_str(), *l))
        .collect();
    // `closed` passes a private range, so its NSG and the one its template links are not
    // reported; `open` passes `*` to both.
    assert_eq!(
        rules,
        vec![("NET002", "extra.json", 24), ("NET001", "nsg.json", 30)],
        "{found:#?}"
    );
    let net001 = out.findings.iter().find(|f| f.rule == "NET001").unwrap();
    assert!(
        net001.message.as_str().contains("'open-nsg'"),
        "{}",
        net001.message.as_str()
    );
    assert!(
        found[1].3.contains(
            &"azuredeploy.json:30 value of parameter `sshSource` passed to `nested/nsg.json`"
                .to_string()
        ),
        "{found:#?}"
    );
    assert!(
        found[0]
            .3
            .iter()
            .any(|r| r.starts_with("azuredeploy.json:30 ")),
        "{found:#?}"
    );
}

/// A `relativePath` that names no scanned template, or a scanned file that is not a template
/// batchguard could read, is a warning at the link; a `uri` built on `_artifactsLocation` that
/// names no scanned file (the convention it follows may not be the template's), an address
/// elsewhere and a template spec are a note each: what they deploy is not analysed.
#[test]
fn links_to_templates_that_are_not_read_are_named() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("nested")).unwrap();
    let deployment = |name: &str, link: &str| {
        format!(
            r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "{name}", "properties": {{"mode": "Incremental", "templateLink": {link}}}}}"#
        )
    };
    let template = format!(
        r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
  "parameters": {{"_artifactsLocation": {{"type": "string", "defaultValue": "[deployment().properties.templateLink.uri]"}}}},
  "resources": [
    {},
    {},
    {},
    {},
    {},
    {}
  ]}}"#,
        deployment("broken", r#"{"relativePath": "nested/broken.json"}"#),
        deployment("absent", r#"{"relativePath": "nested/absent.json"}"#),
        deployment(
            "convention",
            r#"{"uri": "[uri(parameters('_artifactsLocation'), 'nested/elsewhere.json')]"}"#
        ),
        deployment(
            "remote",
            r#"{"uri": "https://example.org/templates/nsg.json"}"#
        ),
        deployment(
            "remote-again",
            r#"{"uri": "https://example.org/templates/nsg.json"}"#
        ),
        deployment(
            "spec",
            r#"{"id": "[resourceId('Microsoft.Resources/templateSpecs/versions', 'nsg', '1.0')]"}"#
        ),
    );
    std::fs::write(d.path().join("azuredeploy.json"), template).unwrap();
    std::fs::write(
        d.path().join("nested/broken.json"),
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": ["#,
    )
    .unwrap();
    let out = scan_paths(d.path(), &[d.path().to_path_buf()], Options::default());
    let notes: Vec<(String, usize, &str)> = out
        .notifications
        .iter()
        .map(|n| {
            let line = n
                .span
                .map_or(0, |s| out.files[s.file].position(s.start).line);
            let file = n.file.map_or("", |f| out.files[f].rel.as_str());
            (file.to_string(), line, n.message.as_str())
        })
        .collect();
    assert_eq!(notes.len(), 6, "{notes:#?}");
    for (line, message) in [
        (6, "this deployment links `nested/elsewhere.json` beside the template (by its `_artifactsLocation`), which is not among the scanned files; what it deploys is not analysed"),
        (7, "this deployment and 1 more of this template link the template at `https://example.org/templates/nsg.json`, which names no scanned file; what they deploy is not analysed"),
        (9, "this deployment links the template spec `[resourceId('Microsoft.Resources/templateSpecs/versions', 'nsg', '1.0')]`, which names no scanned file; what it deploys is not analysed"),
    ] {
        assert!(
            notes.contains(&("azuredeploy.json".to_string(), line, message)),
            "{notes:#?}"
        );
    }
    assert!(notes.contains(&(
        "azuredeploy.json".to_string(),
        4,
        "the linked template `nested/broken.json` is scanned but is not a template batchguard could read; what it deploys is not analysed"
    )), "{notes:#?}");
    assert!(notes.contains(&(
        "azuredeploy.json".to_string(),
        5,
        "the linked template `nested/absent.json` does not exist: the deployment fails to find it, and what it would deploy is not analysed"
    )), "{notes:#?}");
    assert!(
        notes.iter().any(|n| n.0 == "nested/broken.json"),
        "{notes:#?}"
    );
}

/// A parameters file that gives a value for a parameter its template does not declare is named
/// at that parameter: Azure rejects the deployment. Declared ones are not.
#[test]
fn undeclared_parameters_in_a_parameters_file_are_named() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("t.json"),
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "access": { "type": "string", "defaultValue": "Disabled" } },
  "resources": []
}"#,
    )
    .unwrap();
    std::fs::write(
        d.path().join("t.parameters.json"),
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "Access": { "value": "Enabled" }, "extra": { "value": 1 } }
}"#,
    )
    .unwrap();
    let out = scan_paths(d.path(), &[d.path().to_path_buf()], Options::default());
    let named: Vec<&str> = out
        .notifications
        .iter()
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(
        named[0],
        "the parameters file gives a value for `extra`, which `t.json` does not declare; Azure \
         rejects a deployment with a parameter the template does not have"
    );
    let n = &out.notifications[0];
    assert_eq!(out.files[n.file.unwrap()].rel, "t.parameters.json");
}

/// A property copy loop whose count is not known writes rules that are not known: a child rule
/// resource of the same NSG is then not judged (an Internet deny may come first), nor is an NSG
/// whose `properties` are not known.
#[test]
fn rules_not_known_keep_the_verdicts_they_could_change_unknown() {
    let d = tempfile::tempdir().unwrap();
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "denyCount": { "type": "int" }, "props": { "type": "object" } },
  "resources": [
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg1", "location": "westeurope",
      "properties": { "copy": [ { "name": "securityRules", "count": "[parameters('denyCount')]",
        "input": { "name": "[concat('deny', copyIndex('securityRules'))]", "properties": { "direction": "Inbound", "access": "Deny", "priority": "[add(100, copyIndex('securityRules'))]", "protocol": "*", "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22" } } } ] } },
    { "type": "Microsoft.Network/networkSecurityGroups/securityRules", "apiVersion": "2023-04-01", "name": "nsg1/allow",
      "properties": { "direction": "Inbound", "access": "Allow", "priority": 1000, "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22" } },
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg2", "location": "westeurope", "properties": "[parameters('props')]" },
    { "type": "Microsoft.Network/networkSecurityGroups/securityRules", "apiVersion": "2023-04-01", "name": "nsg2/allow",
      "properties": { "direction": "Inbound", "access": "Allow", "priority": 1000, "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "3389" } }
  ]
}"#;
    std::fs::write(d.path().join("t.json"), template).unwrap();
    let out = scan_paths(d.path(), &[d.path().join("t.json")], Options::default());
    assert!(out.findings.is_empty(), "{:#?}", summary(&out));
    // Known to be empty, the loop leaves the child rule judged.
    std::fs::write(
        d.path().join("t.parameters.json"),
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"denyCount": {"value": 0}, "props": {"value": {}}}}"#,
    )
    .unwrap();
    let out = scan_paths(d.path(), &[d.path().to_path_buf()], Options::default());
    let rules: Vec<&str> = out.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["NET001", "NET002"], "{:#?}", summary(&out));
}

/// A value that decides a finding through a related location (BATCH030's `secureBootEnabled`,
/// set from a parameter) names where it came from, as the finding's own location would.
#[test]
fn a_deciding_related_value_names_its_origin() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("pool.json"),
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "sb": { "type": "bool", "defaultValue": false } },
  "resources": [
    {
      "type": "Microsoft.Batch/batchAccounts/pools",
      "apiVersion": "2024-07-01",
      "name": "acct/pool",
      "properties": {
        "vmSize": "Standard_D2s_v3",
        "deploymentConfiguration": {
          "virtualMachineConfiguration": {
            "nodeAgentSkuId": "batch.node.ubuntu 22.04",
            "securityProfile": {
              "securityType": "trustedLaunch",
              "encryptionAtHost": true,
              "uefiSettings": { "secureBootEnabled": "[parameters('sb')]", "vTpmEnabled": true }
            }
          }
        }
      }
    }
  ]
}"#,
    )
    .unwrap();
    let out = scan_paths(d.path(), &[d.path().to_path_buf()], Options::default());
    let found = summary(&out);
    let hit = found
        .iter()
        .find(|(r, ..)| r == "BATCH030")
        .expect("secure boot is off");
    assert!(
        hit.3
            .iter()
            .any(|r| r == "pool.json:4 default value of parameter `sb`"),
        "{found:#?}"
    );
}
