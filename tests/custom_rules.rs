//! Custom rules (organisation policies): the semantics of conditions in every syntax, written as
//! rule files with inline tests and run as `batchguard test-rules` runs them; located errors for
//! bad rule files; and custom rules' findings through selection, suppression, SARIF, fixes and
//! the example policies under `integrations/policies/`.

use batchguard::controls::rulefile;
use batchguard::testrules;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_batchguard"))
}

/// Runs the inline tests of a rule file written to a temporary folder; panics with every failure.
fn passes(name: &str, text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let results = testrules::run_file(&file).unwrap_or_else(|e| panic!("{e}"));
    assert!(!results.is_empty(), "{name} has no tests");
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| {
            format!(
                "{} {} (line {}): expected {:?}, found {:?} {}",
                r.rule,
                r.name,
                r.line,
                r.expected,
                r.found,
                r.problem.clone().unwrap_or_default()
            )
        })
        .collect();
    assert!(failed.is_empty(), "{name}:\n{}", failed.join("\n"));
}

const ACCOUNT_PUBLIC: &str = r#"
[[rule]]
id = "ORG100"
title = "Batch accounts must not be public"
type = "microsoft.batch/BATCHACCOUNTS"
assert = [ { path = "$.properties.publicNetworkAccess", equals = "Disabled", default = "Enabled" } ]

[[rule.test]]
name = "azurerm: true is Enabled, at the attribute"
syntax = "azurerm"
snippet = '''
resource "azurerm_batch_account" "a" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = true
}
'''
expect = [5]

[[rule.test]]
name = "azurerm: absent takes the rule's default, at the header"
syntax = "azurerm"
snippet = '''
resource "azurerm_batch_account" "a" {
  name                = "acct"
  resource_group_name = "rg"
  location            = "westeurope"
}
'''
expect = [1]

[[rule.test]]
name = "azurerm: false is Disabled"
syntax = "azurerm"
snippet = '''
resource "azurerm_batch_account" "a" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
}
'''
expect = []

[[rule.test]]
name = "azurerm: a variable without a value is unknown, silent"
syntax = "azurerm"
snippet = '''
variable "public" {
  type = bool
}
resource "azurerm_batch_account" "a" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = var.public
}
'''
expect = []

[[rule.test]]
name = "azurerm: a variable's default is read"
syntax = "azurerm"
snippet = '''
variable "public" {
  default = true
}
resource "azurerm_batch_account" "a" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = var.public
}
'''
expect = [8]

[[rule.test]]
name = "ARM: Enabled at the property, enum case ignored"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.Batch/batchAccounts",
  "apiVersion": "2024-07-01",
  "name": "acct",
  "location": "westeurope",
  "properties": {
    "publicNetworkAccess": "enabled"
  }
}
'''
expect = [7]

[[rule.test]]
name = "ARM: disabled in any case passes"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.Batch/batchAccounts",
  "apiVersion": "2024-07-01",
  "name": "acct",
  "location": "westeurope",
  "properties": { "publicNetworkAccess": "DISABLED" }
}
'''
expect = []

[[rule.test]]
name = "ARM: a parameter without a value is unknown"
syntax = "arm"
snippet = '''
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "access": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Batch/batchAccounts",
      "apiVersion": "2024-07-01",
      "name": "acct",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "[parameters('access')]" }
    }
  ]
}
'''
expect = []

[[rule.test]]
name = "azapi: the body as written"
syntax = "azapi"
snippet = '''
resource "azapi_resource" "a" {
  type      = "Microsoft.Batch/batchAccounts@2024-07-01"
  name      = "acct"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      publicNetworkAccess = "Enabled"
    }
  }
}
'''
expect = [8]

[[rule.test]]
name = "Bicep"
syntax = "bicep"
snippet = '''
resource a 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}

resource b 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct2'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}
'''
expect = [5]
"#;

#[test]
fn equals_with_a_default_in_every_syntax() {
    passes("public.toml", ACCOUNT_PUBLIC);
}

const AUTH_MODES: &str = r#"
[[rule]]
id = "ORG101"
title = "No shared keys"
type = "Microsoft.Batch/batchAccounts"
assert = [ { path = "$.properties.allowedAuthenticationModes", not_in = ["SharedKey"] } ]

[[rule.test]]
name = "an array is tested element by element, at the element"
syntax = "bicep"
snippet = '''
resource a 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: 'acct'
  location: 'westeurope'
  properties: {
    allowedAuthenticationModes: [
      'AAD'
      'sharedkey'
    ]
  }
}
'''
expect = [7]

[[rule.test]]
name = "azurerm list; absent passes not_in"
syntax = "azurerm"
snippet = '''
resource "azurerm_batch_account" "a" {
  name                         = "acct"
  resource_group_name          = "rg"
  location                     = "westeurope"
  allowed_authentication_modes = ["AAD", "SharedKey"]
}
resource "azurerm_batch_account" "b" {
  name                = "acct2"
  resource_group_name = "rg"
  location            = "westeurope"
}
'''
expect = [5]
"#;

#[test]
fn not_in_tests_each_element_and_holds_of_absent_values() {
    passes("auth.toml", AUTH_MODES);
}

const NSG_SOURCES: &str = r#"
[[rule]]
id = "ORG102"
title = "Inbound allow rules come from the corporate network"
type = "Microsoft.Network/networkSecurityGroups"
assert = [ { path = "$.properties.securityRules[?@.properties.direction == 'Inbound' && @.properties.access == 'Allow'].properties.sourceAddressPrefix", cidr_within = ["10.0.0.0/8", "192.168.0.0/16"] } ]
message = "rule source {$.properties.securityRules[?@.properties.access == 'Allow'].name}"

[[rule.test]]
name = "azurerm inline rules: each failing source at its line"
syntax = "azurerm"
snippet = '''
resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "corp"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "10.1.0.0/16"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "deny"
    priority                   = 4096
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }
}
'''
expect = [13]

[[rule.test]]
name = "a filter that reads an unknown value is unknown as a whole"
syntax = "azurerm"
snippet = '''
variable "access" {
  type = string
}
resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = var.access
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
'''
expect = []

[[rule.test]]
name = "ARM: Internet and a service tag"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.Network/networkSecurityGroups",
  "apiVersion": "2023-09-01",
  "name": "nsg",
  "location": "westeurope",
  "properties": {
    "securityRules": [
      {
        "name": "web",
        "properties": {
          "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
          "sourcePortRange": "*", "destinationPortRange": "443",
          "sourceAddressPrefix": "Internet",
          "destinationAddressPrefix": "*"
        }
      },
      {
        "name": "vnet",
        "properties": {
          "priority": 110, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
          "sourcePortRange": "*", "destinationPortRange": "443",
          "sourceAddressPrefix": "VirtualNetwork",
          "destinationAddressPrefix": "*"
        }
      }
    ]
  }
}
'''
expect = [13]
"#;

#[test]
fn filters_select_and_cidr_within_reads_prefixes() {
    passes("sources.toml", NSG_SOURCES);
}

const DENY_ALL: &str = r#"
[[rule]]
id = "ORG103"
title = "Every NSG ends with a deny-all at 4096"
type = "Microsoft.Network/networkSecurityGroups"
assert = [
  { path = "$.properties.securityRules[?@.properties.priority == 4096 && @.properties.direction == 'Inbound'].properties.access", equals = "Deny", each = "any" },
]

[[rule.test]]
name = "no rule at 4096: at the header; one: passes"
syntax = "azurerm"
snippet = '''
resource "azurerm_network_security_group" "bare" {
  name                = "bare"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_network_security_group" "closed" {
  name                = "closed"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "deny-all"
    priority                   = 4096
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
'''
expect = [1]

[[rule.test]]
name = "ARM: an allow at 4096 fails at its access"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.Network/networkSecurityGroups",
  "apiVersion": "2023-09-01",
  "name": "nsg",
  "location": "westeurope",
  "properties": {
    "securityRules": [
      {
        "name": "last",
        "properties": {
          "priority": 4096, "direction": "Inbound",
          "access": "Allow",
          "protocol": "*", "sourcePortRange": "*", "destinationPortRange": "*",
          "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"
        }
      }
    ]
  }
}
'''
expect = [12]
"#;

#[test]
fn each_any_over_a_filter() {
    passes("deny.toml", DENY_ALL);
}

const COMBINATORS: &str = r#"
[[rule]]
id = "ORG104"
title = "ML clusters live in ML subnets"
type = "Microsoft.MachineLearningServices/workspaces/computes"
where = [ { path = "$.properties.computeType", in = ["AmlCompute", "ComputeInstance"] } ]
assert = [
  { any_of = [
      { path = "$.properties.properties.subnet.id", matches = "(?i)/subnets/snet-ml-[^/]+$" },
      { not = { path = "$.properties.properties.subnet", exists = false } },
  ] },
  { path = "$.name", matches = "^[a-z][a-z0-9-]{2,23}$" },
]

[[rule.test]]
name = "ARM: another subnet, and a name out of form"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.MachineLearningServices/workspaces/computes",
  "apiVersion": "2024-04-01",
  "name": "ws/Cluster_1",
  "location": "westeurope",
  "properties": {
    "computeType": "AmlCompute",
    "properties": {
      "subnet": { "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/default" }
    }
  }
}
'''
expect = [4]

[[rule.test]]
name = "azurerm: an ML subnet"
syntax = "azurerm"
snippet = '''
resource "azurerm_machine_learning_compute_cluster" "c" {
  name                          = "cluster-1"
  location                      = "westeurope"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  subnet_resource_id            = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-ml-train"
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
'''
expect = []
"#;

#[test]
fn any_of_not_and_the_resource_name() {
    passes("combinators.toml", COMBINATORS);
}

const NUMBERS_AND_TAGS: &str = r#"
[[rule]]
id = "ORG105"
title = "Allow rules below 4000"
type = "Microsoft.Network/networkSecurityGroups/securityRules"
where = [ { path = "$.properties.access", equals = "Allow" } ]
assert = [ { path = "$.properties.priority", less_than = 4000 } ]

[[rule.test]]
name = "standalone rules, priority as a number or a string"
syntax = "azurerm"
snippet = '''
resource "azurerm_network_security_rule" "r" {
  name                        = "late"
  priority                    = 4001
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}
'''
expect = [3]

[[rule]]
id = "ORG106"
title = "An owner tag"
type = ["Microsoft.Batch/batchAccounts", "Microsoft.Network/networkSecurityGroups"]
assert = [ { path = "$.tags.owner", matches = "^[^@]+@contoso\\.com$" } ]

[[rule.test]]
syntax = "arm"
snippet = '''
[
  {
    "type": "Microsoft.Batch/batchAccounts",
    "apiVersion": "2024-07-01",
    "name": "acct",
    "location": "westeurope",
    "tags": { "Owner": "ops@contoso.com" }
  },
  {
    "type": "Microsoft.Network/networkSecurityGroups",
    "apiVersion": "2023-09-01",
    "name": "nsg",
    "location": "westeurope"
  }
]
'''
expect = [10]
"#;

#[test]
fn numbers_tags_and_type_lists() {
    passes("numbers.toml", NUMBERS_AND_TAGS);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// A rule file with one problem, and where the error must point.
fn located(text: &str, expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bad.toml", text);
    write(dir.path(), "main.tf", "");
    for args in [
        vec![
            "scan".to_string(),
            "--custom-rules".into(),
            f.display().to_string(),
        ],
        vec!["test-rules".to_string(), f.display().to_string()],
        vec![
            "rules".to_string(),
            "--custom-rules".into(),
            f.display().to_string(),
        ],
    ] {
        let out = bin().args(&args).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let want = format!("{}:{expect}", f.display());
        assert!(all.contains(&want), "{args:?}: want {want} in\n{all}");
    }
}

const HEAD: &str =
    "[[rule]]\nid = \"ORG1\"\ntitle = \"t\"\ntype = \"Microsoft.Batch/batchAccounts\"\n";

#[test]
fn bad_rule_files_are_located_errors() {
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.properties.x\", equal = 1 }} ]\n"),
        "5:39: unknown field `equal`",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.properties[?@.x ==]\", exists = true }} ]\n"),
        "5:42: bad JSONPath",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.x\", matches = \"a(b\" }} ]\n"),
        "5:38: bad regular expression: unclosed group",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.x\", matches = \"a{{1000}}{{1000}}\" }} ]\n"),
        "5:38: bad regular expression",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$..a..b..c\", exists = true }} ]\n"),
        "5:21: `$..a..b..c` has 3 descendant segments",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.x\", exists = true, equals = 1 }} ]\n"),
        "5:12: the condition on `$.x` has 2 operators",
    );
    located(
        "[[rule]]\nid = \"NET001\"\ntitle = \"t\"\ntype = \"Microsoft.Batch/batchAccounts\"\nassert = [ { path = \"$.x\", exists = true } ]\n",
        "2:6: `NET001` is a built-in rule's id",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.x\", cidr_within = [\"10.0.0.0/33\"] }} ]\n"),
        "5:43: `10.0.0.0/33` is not an IP address prefix",
    );
    located(
        "[[rule]]\nid = \"ORG1\"\ntitle = \"t\"\ntype = \"azurerm_batch_pool\"\nassert = [ { path = \"$.x\", exists = true } ]\n",
        "4:8: `type` is an ARM resource type such as `Microsoft.Batch/batchAccounts/pools` (or a list of them), without an API version; `azurerm_batch_pool` is `Microsoft.Batch/batchAccounts/pools`",
    );
    located(
        &format!("{HEAD}assert = [ {{ path = \"$.x\", exists = true }} ]\nmessage = \"{{$.properties[\"\n"),
        "6:12: `{$` opens a path",
    );
}

#[test]
fn custom_rules_are_selected_suppressed_fixed_and_reported_in_sarif() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policies/public.toml",
        &ACCOUNT_PUBLIC.replace("[[rule.test]]", "[[rule.test]]\n# test"),
    );
    write(
        dir.path(),
        "batchguard.toml",
        "custom_rules = [\"policies/*.toml\"]\n[rules.level]\nORG100 = \"error\"\n",
    );
    let tf = "resource \"azurerm_batch_account\" \"a\" {\n  name                          = \"acct\"\n  resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  public_network_access_enabled = true\n}\n";
    write(dir.path(), "infra/main.tf", tf);
    let run = |args: &[&str]| {
        let o = bin().args(args).current_dir(dir.path()).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["scan", "infra", "--select", "ORG", "-f", "concise"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("infra/main.tf:5:3: ORG100 Batch accounts must not be public"),
        "{out}"
    );
    let (code, out, _) = run(&[
        "scan", "infra", "--ignore", "ORG100", "--select", "ORG", "-f", "concise",
    ]);
    assert_eq!(code, Some(0), "{out}");
    // The fix sets the property as azurerm writes it.
    let (_, diff, _) = run(&["scan", "infra", "--select", "ORG", "--diff"]);
    assert!(
        diff.contains("+  public_network_access_enabled = false"),
        "{diff}"
    );
    // SARIF carries the rule's metadata.
    let (_, sarif, _) = run(&["scan", "infra", "-f", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules = &v["runs"][0]["tool"]["driver"]["rules"];
    let org = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ORG100")
        .expect("ORG100 described");
    assert_eq!(
        org["shortDescription"]["text"],
        "Batch accounts must not be public"
    );
    assert!(org.get("helpUri").is_none());
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results.iter().find(|r| r["ruleId"] == "ORG100").unwrap();
    assert_eq!(r["level"], "error");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "ORG100"
    );
    // A baseline accepts it like a built-in rule's finding.
    let (code, _, _) = run(&[
        "scan",
        "infra",
        "--select",
        "ORG",
        "--write-baseline",
        "base.sarif",
    ]);
    assert_eq!(code, Some(0));
    let (code, out, _) = run(&[
        "scan",
        "infra",
        "--select",
        "ORG",
        "--baseline",
        "base.sarif",
        "-f",
        "concise",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("ORG100"), "{out}");
    // Suppressed inline like a built-in rule.
    write(
        dir.path(),
        "infra/main.tf",
        &tf.replace(
            "= true\n",
            "= true # batchguard:ignore ORG100 reason=\"a public build pool\"\n",
        ),
    );
    let (code, out, _) = run(&["scan", "infra", "--select", "ORG", "-f", "concise"]);
    assert_eq!(code, Some(0), "{out}");
    // `explain` shows the rule's page, found through batchguard.toml.
    let (code, out, _) = run(&["explain", "org100"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("# ORG100 — Batch accounts must not be public"),
        "{out}"
    );
    let (code, out, _) = run(&["rules"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("ORG100"), "{out}");
}

#[test]
fn the_example_policies_pass_their_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("integrations/policies");
    let files = testrules::files(&[dir]).unwrap();
    assert!(files.len() >= 10, "{} example policies", files.len());
    for f in &files {
        let results = testrules::run_file(f).unwrap_or_else(|e| panic!("{e}"));
        let syntaxes: std::collections::BTreeSet<String> = rulefile::load(std::slice::from_ref(f))
            .unwrap()
            .rules
            .iter()
            .flat_map(|r| r.tests.iter().map(|t| t.file_name.clone()))
            .collect();
        assert!(
            syntaxes.len() >= 2,
            "{}: tests in {syntaxes:?}",
            f.display()
        );
        for r in &results {
            assert!(r.passed(), "{}: {r:?}", f.display());
        }
    }
}

const SUBNET_NSG: &str = r#"
[[rule]]
id = "ORG107"
title = "Subnets have an NSG"
type = "Microsoft.Network/virtualNetworks/subnets"
where = [ { not = { path = "$.name", in = ["GatewaySubnet", "AzureBastionSubnet"] } } ]
assert = [ { path = "$.properties.networkSecurityGroup.id", exists = true } ]

[[rule.test]]
name = "azurerm: an association resource gives the subnet its NSG"
syntax = "azurerm"
snippet = '''
resource "azurerm_subnet" "a" {
  name                 = "app"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_subnet" "b" {
  name                 = "data"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}
resource "azurerm_subnet" "gw" {
  name                 = "GatewaySubnet"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.3.0/24"]
}
resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_subnet_network_security_group_association" "a" {
  subnet_id                 = azurerm_subnet.a.id
  network_security_group_id = azurerm_network_security_group.n.id
}
'''
expect = [7]

[[rule.test]]
name = "ARM: child subnets by their own name"
syntax = "arm"
snippet = '''
[
  {
    "type": "Microsoft.Network/virtualNetworks/subnets",
    "apiVersion": "2023-09-01",
    "name": "vnet/AzureBastionSubnet",
    "properties": { "addressPrefix": "10.0.0.0/26" }
  },
  {
    "type": "Microsoft.Network/virtualNetworks/subnets",
    "apiVersion": "2023-09-01",
    "name": "vnet/app",
    "properties": { "addressPrefix": "10.0.1.0/24" }
  }
]
'''
expect = [9]
"#;

#[test]
fn associations_join_the_resources_they_name() {
    passes("subnets.toml", SUBNET_NSG);
}

const SUBNET_IDS: &str = r#"
[[rule]]
id = "ORG108"
title = "ML clusters in snet-ml subnets"
type = "Microsoft.MachineLearningServices/workspaces/computes"
assert = [ { path = "$.properties.properties.subnet.id", matches = "(?i)/subnets/snet-ml-[^/]+$" } ]

[[rule.test]]
name = "azurerm: a reference to a subnet's id is that subnet's id"
syntax = "azurerm"
snippet = '''
resource "azurerm_subnet" "ml" {
  name                 = "snet-ml-train"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_subnet" "other" {
  name                 = "default"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.2.0/24"]
}
resource "azurerm_machine_learning_compute_cluster" "good" {
  name                          = "good"
  location                      = "westeurope"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  subnet_resource_id            = azurerm_subnet.ml.id
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
resource "azurerm_machine_learning_compute_cluster" "bad" {
  name                          = "bad"
  location                      = "westeurope"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  subnet_resource_id            = azurerm_subnet.other.id
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
'''
expect = [32]

[[rule.test]]
name = "ARM: resourceId() with known names, declared or not; with a parameter, unknown"
syntax = "arm"
snippet = '''
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "subnet": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-04-01",
      "name": "ws/a",
      "properties": { "computeType": "AmlCompute", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]" } } }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-04-01",
      "name": "ws/b",
      "properties": { "computeType": "AmlCompute", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet-ml-b')]" } } }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces/computes",
      "apiVersion": "2024-04-01",
      "name": "ws/c",
      "properties": { "computeType": "AmlCompute", "properties": {
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', parameters('subnet'))]" } } }
    }
  ]
}
'''
expect = [11]

[[rule]]
id = "ORG109"
title = "Subnet ids in this subscription"
type = "Microsoft.MachineLearningServices/workspaces/computes"
assert = [ { path = "$.properties.properties.subnet.id", matches = "^/subscriptions/00000000-" } ]

[[rule.test]]
name = "a test on the part of an id that is not known is unknown"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.MachineLearningServices/workspaces/computes",
  "apiVersion": "2024-04-01",
  "name": "ws/a",
  "properties": { "computeType": "AmlCompute", "properties": {
    "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]" } } }
}
'''
expect = []
"#;

#[test]
fn ids_known_but_for_their_subscription_decide_what_they_can() {
    passes("ids.toml", SUBNET_IDS);
}

#[test]
fn fixes_follow_the_rule_and_add_properties_of_the_resource_itself() {
    let dir = tempfile::tempdir().unwrap();
    let rules = |fix: &str| {
        format!(
            "[[rule]]\nid = \"ORG110\"\ntitle = \"identity\"\ntype = \"Microsoft.Batch/batchAccounts/pools\"\n{fix}\nassert = [ {{ path = \"$.identity.type\", equals = \"UserAssigned\" }} ]\n"
        )
    };
    write(
        dir.path(),
        "main.bicep",
        "resource p 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {\n  name: 'acct/pool'\n  properties: {\n    vmSize: 'STANDARD_D2S_V3'\n  }\n}\n",
    );
    let diff = |fix: &str, unsafe_fixes: bool| {
        let f = write(dir.path(), "rules/r.toml", &rules(fix));
        let mut c = bin();
        c.args([
            "scan",
            "main.bicep",
            "--select",
            "ORG",
            "--diff",
            "--custom-rules",
        ])
        .arg(&f)
        .current_dir(dir.path());
        if unsafe_fixes {
            c.arg("--unsafe-fixes");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    let added = "+  identity: {\n+    type: 'UserAssigned'\n+  }\n";
    assert!(diff("", false).contains(added), "{}", diff("", false));
    assert!(!diff("fix = \"unsafe\"", false).contains(added));
    assert!(diff("fix = \"unsafe\"", true).contains(added));
    assert!(!diff("fix = \"none\"", true).contains("identity"));
}

#[test]
fn values_of_secret_parameters_and_sensitive_variables_are_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "r.toml",
        "[[rule]]\nid = \"ORG111\"\ntitle = \"tags\"\ntype = \"Microsoft.Batch/batchAccounts\"\nassert = [ { path = \"$.tags.owner\", matches = \"^ops$\" } ]\nmessage = \"owner is {$.tags.owner}\"\n",
    );
    write(
        dir.path(),
        "arm/main.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "owner": { "type": "securestring", "defaultValue": "hunter2" },
    "plain": { "type": "string", "defaultValue": "visible" }
  },
  "resources": [
    { "type": "Microsoft.Batch/batchAccounts", "apiVersion": "2024-07-01", "name": "a", "location": "westeurope",
      "tags": { "owner": "[parameters('owner')]" } },
    { "type": "Microsoft.Batch/batchAccounts", "apiVersion": "2024-07-01", "name": "b", "location": "westeurope",
      "tags": { "owner": "[parameters('plain')]" } }
  ]
}
"#,
    );
    write(
        dir.path(),
        "tf/main.tf",
        "variable \"owner\" {\n  default   = \"hunter3\"\n  sensitive = true\n}\nresource \"azurerm_batch_account\" \"a\" {\n  name                = \"acct\"\n  resource_group_name = \"rg\"\n  location            = \"westeurope\"\n  tags = {\n    owner = var.owner\n  }\n}\n",
    );
    let out = bin()
        .args([
            "scan",
            ".",
            "--select",
            "ORG",
            "-f",
            "concise",
            "--custom-rules",
        ])
        .arg(&rules)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("hunter"), "{text}");
    assert_eq!(text.matches("owner is (sensitive)").count(), 2, "{text}");
    assert!(text.contains("owner is visible"), "{text}");
}

const INLINE_CHILDREN: &str = r#"
[[rule]]
id = "ORG112"
title = "Allow rules below 4000, declared inline or apart"
type = "Microsoft.Network/networkSecurityGroups/securityRules"
where = [ { path = "$.properties.access", equals = "Allow" } ]
assert = [ { path = "$.properties.priority", less_than = 4000 } ]

[[rule.test]]
name = "azurerm: inline security_rule blocks and a standalone rule"
syntax = "azurerm"
snippet = '''
resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "late"
    priority                   = 4001
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "early"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
resource "azurerm_network_security_rule" "r" {
  name                        = "later"
  priority                    = 4002
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}
'''
expect = [7, 30]

[[rule]]
id = "ORG113"
title = "Subnets named snet-*"
type = "Microsoft.Network/virtualNetworks/subnets"
assert = [ { path = "$.name", matches = "^snet-" } ]

[[rule.test]]
name = "ARM: inline subnets by their own name, at their name"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.Network/virtualNetworks",
  "apiVersion": "2023-09-01",
  "name": "vnet",
  "location": "westeurope",
  "properties": {
    "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
    "subnets": [
      { "name": "snet-app", "properties": { "addressPrefix": "10.0.1.0/24" } },
      {
        "name": "default",
        "properties": { "addressPrefix": "10.0.2.0/24" }
      }
    ]
  }
}
'''
expect = [11]
"#;

#[test]
fn children_declared_inline_are_checked_as_the_child_resources_azure_makes() {
    passes("inline.toml", INLINE_CHILDREN);
}

const PROVIDER_DEFAULTS: &str = r#"
[[rule]]
id = "ORG114"
title = "No public SSH on ML clusters"
type = "Microsoft.MachineLearningServices/workspaces/computes"
where = [ { path = "$.properties.computeType", equals = "AmlCompute" } ]
assert = [ { path = "$.properties.properties.remoteLoginPortPublicAccess", equals = "Disabled", default = "Enabled" } ]

[[rule.test]]
name = "azurerm: the provider sends Disabled when the attribute is left out"
syntax = "azurerm"
snippet = '''
resource "azurerm_machine_learning_compute_cluster" "c" {
  name                          = "c"
  location                      = "westeurope"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
resource "azurerm_machine_learning_compute_cluster" "open" {
  name                          = "open"
  location                      = "westeurope"
  machine_learning_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  ssh_public_access_enabled     = true
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
'''
expect = [19]

[[rule.test]]
name = "ARM: left out, Azure's default (the rule's) applies"
syntax = "arm"
snippet = '''
{
  "type": "Microsoft.MachineLearningServices/workspaces/computes",
  "apiVersion": "2024-04-01",
  "name": "ws/c",
  "properties": { "computeType": "AmlCompute", "properties": { "vmSize": "STANDARD_DS2_V2" } }
}
'''
expect = [2]
"#;

#[test]
fn a_property_left_out_takes_what_the_syntax_sends() {
    passes("defaults.toml", PROVIDER_DEFAULTS);
}

/// A rule file that is not a regular file is named with what it is, and never read.
#[cfg(unix)]
#[test]
fn a_rule_file_that_is_a_named_pipe_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("rules.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = bin()
        .args(["rules", "--custom-rules"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("it is a named pipe, not a regular file"),
        "{err}"
    );
}

/// A policy on nested deployments holds of an azapi deployment, and not of a Terraform module
/// call that batchguard does not follow (it stands in the scope as an unread deployment only so
/// that private-endpoint checks stay open beside it).
#[test]
fn deployment_policies_do_not_see_terraform_module_calls() {
    passes(
        "deployments.toml",
        r#"
[[rule]]
id = "ORG190"
title = "Nested deployments must be incremental"
type = "Microsoft.Resources/deployments"
assert = [ { path = "$.properties.mode", equals = "Incremental" } ]

[[rule.test]]
name = "an azapi deployment without a mode"
syntax = "azapi"
snippet = '''
resource "azapi_resource" "d" {
  type      = "Microsoft.Resources/deployments@2022-09-01"
  name      = "d"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
  body = {
    properties = {
      template = {}
    }
  }
}
'''
expect = [1]

[[rule.test]]
name = "a registry module passed a resource id is not a deployment"
syntax = "azurerm"
snippet = '''
resource "azurerm_batch_account" "a" {
  name                          = "acct"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = false
}
module "endpoint" {
  source                         = "Azure/avm-res-network-privateendpoint/azurerm"
  private_connection_resource_id = azurerm_batch_account.a.id
}
'''
expect = []
"#,
    );
}
