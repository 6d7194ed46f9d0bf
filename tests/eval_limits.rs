//! Evaluation never hangs or explodes: self-references, huge loops and self-including modules end
//! with a warning notification at a documented limit, and the scan goes on.

use std::fs;
use std::process::Command;

#[test]
fn cycles_and_huge_loops_end_with_a_diagnostic() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    fs::create_dir_all(p.join("tf")).unwrap();
    fs::create_dir_all(p.join("mod")).unwrap();
    fs::write(
        p.join("tf/main.tf"),
        "locals {\n  a = local.b\n  b = local.a\n}\nmodule \"m\" {\n  source = \"../mod\"\n}\nresource \"azurerm_network_security_group\" \"n\" {\n  name                = local.a\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n  count               = 5000\n}\n",
    )
    .unwrap();
    fs::write(
        p.join("mod/main.tf"),
        "module \"again\" {\n  source = \"../mod\"\n}\n",
    )
    .unwrap();
    fs::write(
        p.join("deep.json"),
        r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
 "variables": {"x": "[variables('y')]", "y": "[variables('x')]"},
 "resources":[{"type":"Microsoft.Network/networkSecurityGroups","apiVersion":"2023-09-01","name":"[concat('n', copyIndex(), variables('x'))]",
   "copy":{"name":"c","count":100000},"properties":{}}]}"#,
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(p)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "semantic faults do not change the exit code"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let notes: Vec<String> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect();
    // The copy limit is named at the loop's `count`.
    let copy = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["message"]
                .as_str()
                .unwrap()
                .contains("exceeds Azure's limit")
        })
        .expect("a copy-limit warning");
    assert_eq!(copy["path"], "deep.json");
    assert_eq!(copy["start"]["line"], 4, "{copy}");
    assert_eq!(copy["start"]["column"], 31, "{copy}");
    for expected in [
        "`local.a` refers to itself",
        "variable `x` refers to itself",
        "exceeds Azure's limit of 800",
        "only the first 1000 are analysed",
        "already being evaluated on this path",
    ] {
        assert!(
            notes.iter().any(|n| n.contains(expected)),
            "{expected}: {notes:#?}"
        );
    }
}

/// Calls of one module that open SSH alike are one result listing the call paths, with every
/// caller's argument as a related location (D37); a call that opens it to a different source
/// differs by more than its call path and stays a result of its own.
#[test]
fn results_from_different_call_paths_merge_unless_they_differ_by_more() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    fs::create_dir_all(p.join("modules/nsg")).unwrap();
    fs::write(
        p.join("modules/nsg/main.tf"),
        "variable \"name\" {}\nvariable \"source_cidr\" {}\nresource \"azurerm_network_security_group\" \"this\" {\n  name                = var.name\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n  security_rule {\n    name                       = \"ssh\"\n    priority                   = 100\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"22\"\n    source_address_prefix      = var.source_cidr\n    destination_address_prefix = \"*\"\n  }\n}\n",
    )
    .unwrap();
    fs::write(
        p.join("main.tf"),
        "module \"a\" {\n  source      = \"./modules/nsg\"\n  name        = \"a\"\n  source_cidr = \"*\"\n}\nmodule \"b\" {\n  source      = \"./modules/nsg\"\n  name        = \"b\"\n  source_cidr = \"*\"\n}\nmodule \"c\" {\n  source      = \"./modules/nsg\"\n  name        = \"c\"\n  source_cidr = \"0.0.0.0/0\"\n}\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(p)
        .args(["scan", ".", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let inside: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET001" && f["path"] == "modules/nsg/main.tf")
        .collect();
    assert_eq!(inside.len(), 2, "{inside:#?}");
    let instances = |f: &serde_json::Value| -> Vec<String> {
        f["instances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let related = |f: &serde_json::Value| -> Vec<String> {
        f["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"].as_str().unwrap().to_string())
            .collect()
    };
    let merged = inside
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("from `*`"))
        .unwrap_or_else(|| panic!("{inside:#?}"));
    assert_eq!(
        instances(merged),
        [
            "module.a.azurerm_network_security_group.this",
            "module.b.azurerm_network_security_group.this"
        ]
    );
    assert!(merged["message"].as_str().unwrap().ends_with(
        " Reported once for 2 instances: module.a.azurerm_network_security_group.this, module.b.azurerm_network_security_group.this."
    ));
    let args = related(merged);
    assert!(
        args.iter()
            .any(|m| m == "argument `source_cidr` of module.a"),
        "{args:#?}"
    );
    assert!(
        args.iter()
            .any(|m| m == "argument `source_cidr` of module.b"),
        "{args:#?}"
    );
    let apart = inside
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("from `0.0.0.0/0`"))
        .unwrap_or_else(|| panic!("{inside:#?}"));
    assert_eq!(
        instances(apart),
        ["module.c.azurerm_network_security_group.this"]
    );
    assert!(!apart["message"].as_str().unwrap().contains("Reported once"));
}

#[path = "common/network.rs"]
mod network;

use batchguard::ir::{Resource, Value};
use batchguard::scan::{load, ScanConfig};
use std::time::{Duration, Instant};

/// Writes the generated network module with `subnets` subnets, evaluates it, and returns its
/// resources, the notifications and the time evaluation took.
fn evaluate_network(subnets: usize) -> (Vec<Resource>, Vec<String>, Duration) {
    let d = tempfile::tempdir().unwrap();
    for (rel, text) in network::network_module(subnets) {
        fs::write(d.path().join(rel), text).unwrap();
    }
    let cfg = ScanConfig {
        eval: Default::default(),
        config: Default::default(),
        paths: vec![d.path().to_path_buf()],
        root: d.path().to_path_buf(),
        options: Default::default(),
    };
    let loaded = load(&cfg).unwrap();
    let start = Instant::now();
    let (scopes, notes) =
        batchguard::eval::scopes(&loaded.files, &loaded.docs, &loaded.bodies, &cfg.eval);
    let took = start.elapsed();
    let resources = scopes.into_iter().flat_map(|s| s.resources).collect();
    let notes = notes.into_iter().map(|n| n.message).collect();
    (resources, notes, took)
}

/// D39: a module whose evaluation grows in proportion to its size is evaluated to the end, at
/// any size: every NSG of the `for_each` with every rule of its `dynamic` block, every subnet and
/// every association, with nothing left unknown and no limit reported.
#[test]
fn a_large_network_module_is_evaluated_completely() {
    for subnets in [35, 70, 140] {
        let (resources, notes, took) = evaluate_network(subnets);
        eprintln!(
            "{subnets} subnets: {} resources in {took:?}",
            resources.len()
        );
        assert!(notes.is_empty(), "{subnets} subnets: {notes:#?}");
        let of = |t: &str| -> Vec<&Resource> {
            resources
                .iter()
                .filter(|r| r.tf_address.as_deref().is_some_and(|a| a.starts_with(t)))
                .collect()
        };
        let nsgs = of("azurerm_network_security_group.nsg[");
        assert_eq!(nsgs.len(), subnets);
        assert_eq!(of("azurerm_subnet.subnet[").len(), subnets);
        assert_eq!(
            of("azurerm_subnet_network_security_group_association.nsg[").len(),
            subnets
        );
        assert_eq!(
            of("azurerm_route_table.rt[").len(),
            (0..subnets).filter(|i| i % 7 == 3).count()
        );
        for (i, nsg) in nsgs.iter().enumerate() {
            assert!(nsg.conditional.is_none(), "{}", nsg.display());
            let name = nsg.name().unwrap_or_else(|| panic!("{}", nsg.display()));
            assert!(name.starts_with("nsg-"), "{name}");
            let rules = nsg
                .properties()
                .and_then(|p| p.get("securityRules"))
                .map(|r| r.items().to_vec())
                .unwrap_or_default();
            assert_eq!(
                rules.len(),
                network::RULES_PER_SUBNET + network::ADDED_RULES,
                "{} (#{i})",
                nsg.display()
            );
            for rule in &rules {
                let props = rule.get("properties").unwrap();
                for k in ["priority", "direction", "access", "protocol"] {
                    let v = props.get(k).unwrap_or_else(|| panic!("{k} of {rule:?}"));
                    assert!(!matches!(v.value, Value::Unknown(_)), "{k} of {rule:?}");
                }
            }
        }
    }
}

const SSH_NSG_TF: &str = "resource \"azurerm_network_security_group\" \"n\" {\n  name                = NAME\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n  security_rule {\n    name                       = \"ssh\"\n    priority                   = 100\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"22\"\n    source_address_prefix      = \"*\"\n    destination_address_prefix = \"*\"\n  }\n}\n";

/// Hostile evaluation in several modules and templates of one scan (a string doubled 60 times,
/// module calls that multiply, `format` widths and precisions, `range` of 10^9, nested copy
/// loops, deployments nested past the limit): each ends in seconds with a warning at its place,
/// the exit code stays that of the findings, and a good module beside them is reported in full.
#[test]
fn hostile_evaluation_is_bounded_and_the_rest_is_reported() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let module = |dir: &str, name: &str, extra: &str| {
        fs::create_dir_all(p.join(dir)).unwrap();
        fs::write(
            p.join(dir).join("main.tf"),
            SSH_NSG_TF.replace("NAME", name) + extra,
        )
        .unwrap();
    };
    module("good", "\"good\"", "");
    let mut locals = String::from("locals {\n  a0 = \"xxxxxxxxxx\"\n");
    for i in 1..=60 {
        locals.push_str(&format!(
            "  a{i} = \"${{local.a{0}}}${{local.a{0}}}\"\n",
            i - 1
        ));
    }
    module("doubling", "local.a60", &(locals + "}\n"));
    module("width", "format(\"%-999999999s\", \"x\")", "");
    module("precision", "format(\"%.70000f\", 1)", "");
    module("range", "\"n${length(range(1000000000))}\"", "");
    for i in 0..4 {
        module(
            &format!("fan/m{i}"),
            "\"fan\"",
            &format!(
                "module \"next\" {{\n  source = \"../m{}\"\n  count  = 1000\n}}\n",
                i + 1
            ),
        );
    }
    module("fan/m4", "\"leaf\"", "");
    let schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
    let template = |resources: &str| {
        format!(
            r#"{{"$schema": "{schema}", "contentVersion": "1.0.0.0", "resources": [{resources}]}}"#
        )
    };
    fs::write(
        p.join("copy.json"),
        template(
            r#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "[concat('n', copyIndex())]", "location": "westeurope", "copy": {"name": "c", "count": 800},
               "properties": {"copy": [{"name": "securityRules", "count": 800, "input": {"name": "[concat('r', copyIndex('securityRules'))]", "properties": {"priority": "[add(100, copyIndex('securityRules'))]", "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "22", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"}}}]}}"#,
        ),
    )
    .unwrap();
    let mut inner = r#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "deep", "properties": {}}"#.to_string();
    for level in (0..14).rev() {
        inner = format!(
            r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d{level}", "properties": {{"mode": "Incremental", "template": {}}}}}"#,
            template(&inner)
        );
    }
    fs::write(p.join("nested.json"), template(&inner)).unwrap();
    let started = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(p)
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    // The findings decide the exit code: the limits are warnings.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let notes: Vec<(String, String)> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap_or_default().to_string(),
                n["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (path, expected) in [
        ("doubling/main.tf", "in `local.a17`, the string template"),
        (
            "width/main.tf",
            "`format(...)` would build a string of more than 1048576 bytes",
        ),
        (
            "precision/main.tf",
            "`format(...)` with a precision of 70000 digits",
        ),
        (
            "range/main.tf",
            "`range(...)` would have 1000000000 elements",
        ),
        ("fan/", "goes past the 20000 resource and module instances"),
        ("copy.json", "stopped at the work limit of this template"),
        (
            "nested.json",
            "the nested deployment `d12` is 13 levels deep",
        ),
    ] {
        assert!(
            notes
                .iter()
                .any(|(p, m)| p.starts_with(path) && m.contains(expected)),
            "{path}: {expected}: {notes:#?}"
        );
    }
    assert!(notes.iter().all(|(p, _)| !p.is_empty()), "{notes:#?}");
    let ssh: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET001")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for path in ["good/main.tf", "copy.json", "fan/m4/main.tf"] {
        assert!(ssh.contains(&path), "{path}: {ssh:#?}");
    }
}

/// Templates that each deploy several copies of the next (ARM linked templates here; Bicep
/// modules take the same path), ten levels down, would join exponentially many templates into
/// the first: joining stops at a limit, with a warning, and the rest of the scan is reported.
#[test]
fn linked_templates_that_multiply_are_joined_up_to_a_limit() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for i in 0..10 {
        let mut resources: Vec<String> = (0..8)
            .filter(|_| i < 9)
            .map(|k| {
                format!(
                    r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d{k}", "properties": {{"mode": "Incremental", "templateLink": {{"relativePath": "t{}.json"}}}}}}"#,
                    i + 1
                )
            })
            .collect();
        resources.push(format!(
            r#"{{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "n{i}", "location": "westeurope", "properties": {{"securityRules": [{{"name": "ssh", "properties": {{"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "22", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"}}}}]}}}}"#
        ));
        fs::write(
            p.join(format!("t{i}.json")),
            format!(
                r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{}]}}"#,
                resources.join(",\n")
            ),
        )
        .unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(p)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let notes: Vec<&str> = v["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains(
            "is not joined: `t0.json` deploys more than 1000 modules and linked templates in all"
        )),
        "{notes:#?}"
    );
    // The NSGs of the first levels are analysed through t0.
    let findings = v["findings"].as_array().unwrap();
    for level in ["t0.json", "t1.json", "t2.json"] {
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == "NET001" && f["path"] == level),
            "{level}: {findings:#?}"
        );
    }
}
