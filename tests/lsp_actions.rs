//! Quick fixes, suppressions, "fix all" and hover, driven as an editor drives them: ask for the
//! code actions at a diagnostic, apply the chosen action's `WorkspaceEdit` to the buffer the way
//! the editor would (and send it back as `didChange`), and see the diagnostic go.

mod common;

use std::path::Path;

use batchguard::lsp::apply_change;
use common::lsp::{file_uri, position_of, Client, Memory, Pipes};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use serde_json::{json, Value};

/// An NSG rule with both forms of its source ports (NET007, safe fix: the singular one goes).
const NSG_TF: &str = r#"resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = "westeurope"
  resource_group_name = "rg"

  # The app's inbound rule.
  security_rule {
    name                       = "app"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    source_port_ranges         = ["1024-65535"]
    destination_port_range     = "8443"
    source_address_prefix      = "10.0.0.0/8"
    destination_address_prefix = "*"
  }

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
}
"#;

/// A Batch account made public by a tfvars value (BATCH001, whose fix is unsafe without a private
/// endpoint, and edits the tfvars file, which is not open).
const BATCH_TF: &str = r#"variable "public" {
  type = bool
}

resource "azurerm_batch_account" "main" {
  name                          = "batchmain"
  resource_group_name           = "rg"
  location                      = "westeurope"
  public_network_access_enabled = var.public
  allowed_authentication_modes  = ["AAD"]
}
"#;

const TFVARS: &str = "# Reviewed by the platform team.\npublic = true\n";

/// The capabilities of an editor like VS Code: versioned document changes, greyed-out actions,
/// Markdown hovers.
fn editor_capabilities() -> Value {
    json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "workspace": { "workspaceEdit": { "documentChanges": true }, "applyEdit": true },
            "textDocument": {
                "codeAction": { "disabledSupport": true },
                "hover": { "contentFormat": ["markdown", "plaintext"] }
            }
        }
    })
}

fn range_json(r: &Value) -> Range {
    serde_json::from_value(r.clone()).unwrap()
}

/// The edits of one file in a workspace edit (either form).
fn edits_of(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes
            .iter()
            .filter(|c| c["textDocument"]["uri"] == uri)
            .flat_map(|c| c["edits"].as_array().unwrap().clone())
            .collect();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// Applies LSP text edits (ranges in the original text) to `text`, last first; returns them as
/// the content changes an editor sends (in the same order).
fn apply(text: &mut String, edits: &[Value]) -> Value {
    let mut sorted: Vec<(Range, String)> = edits
        .iter()
        .map(|e| {
            (
                range_json(&e["range"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    sorted.sort_by_key(|(r, _)| (r.start.line, r.start.character));
    let mut changes = Vec::new();
    for (range, new_text) in sorted.into_iter().rev() {
        let change = TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: new_text,
        };
        apply_change(text, &change);
        changes.push(serde_json::to_value(&change).unwrap());
    }
    Value::Array(changes)
}

fn code_actions(
    client: &mut dyn Client,
    id: i64,
    uri: &str,
    range: Value,
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [] });
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let m = client.request(
        id,
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
    );
    assert!(m.get("error").is_none(), "{m}");
    m["result"].as_array().cloned().unwrap_or_default()
}

fn quick_fix_then_diagnostic_goes(client: &mut dyn Client, dir: &Path) {
    let path = dir.join("main.tf");
    let uri = file_uri(&path);
    let init = client.initialize(editor_capabilities());
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["hoverProvider"], true, "{init}");
    assert_eq!(
        caps["executeCommandProvider"]["commands"][0],
        "batchguard.fixAll"
    );
    assert!(caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .unwrap()
        .contains(&json!("quickfix")));

    client.open(&uri, "terraform", 1, NSG_TF);
    let diags = client.diagnostics(&uri);
    let net007: Vec<&Value> = diags.iter().filter(|d| d["code"] == "NET007").collect();
    assert_eq!(net007.len(), 1, "{diags:#?}");
    let diag = net007[0].clone();

    let actions = code_actions(client, 2, &uri, diag["range"].clone(), None);
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().starts_with("Fix NET007"))
        .unwrap_or_else(|| panic!("no NET007 quick fix in {actions:#?}"));
    assert_eq!(fix["isPreferred"], true, "{fix:#}");
    assert_eq!(fix["diagnostics"][0]["code"], "NET007");
    assert!(
        fix["title"].as_str().unwrap().contains("source_port_range"),
        "{fix:#}"
    );
    // A suppression is offered for it too, and "fix all" as a source action.
    assert!(actions
        .iter()
        .any(|a| a["title"].as_str().unwrap().starts_with("Suppress NET007")));
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.batchguard")
        .expect("fix all");
    assert_eq!(fix_all["command"]["command"], "batchguard.fixAll");

    // The editor applies the edit, versioned as the analysis saw the document.
    let edit = &fix["edit"];
    assert_eq!(
        edit["documentChanges"][0]["textDocument"]["version"], 1,
        "{edit:#}"
    );
    let mut text = NSG_TF.to_string();
    let changes = apply(&mut text, &edits_of(edit, &uri));
    assert!(
        !text.contains("source_port_range          = \"*\"\n    source_port_ranges"),
        "{text}"
    );
    assert!(
        text.contains("# The app's inbound rule."),
        "comments stay: {text}"
    );
    client.change(&uri, 2, changes);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "NET007"), "{diags:#?}");
    assert!(diags.iter().any(|d| d["code"] == "NET001"), "{diags:#?}");

    // Hover on the NET001 diagnostic: title, explanation, fix and documentation link.
    let net001 = diags
        .iter()
        .find(|d| d["code"] == "NET001")
        .unwrap()
        .clone();
    let m = client.request(
        3,
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": net001["range"]["start"] }),
    );
    let value = m["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(m["result"]["contents"]["kind"], "markdown", "{m}");
    assert!(
        value.contains("NET001 — NSG allows SSH from the internet"),
        "{value}"
    );
    assert!(value.contains("[Azure guidance](https://"), "{value}");
    assert!(value.contains("`batchguard explain NET001`"), "{value}");
    assert!(
        value.contains("of azurerm\\_network\\_security\\_group.app (inbound, Allow)"),
        "{value}"
    );
    // … and on the NSG rule it sits in, what the engine decided for it.
    assert!(
        value.contains("allows SSH (TCP 22) from the internet"),
        "{value}"
    );
    let (line, _) = position_of(&text, "name                       = \"app\"");
    let m = client.request(
        4,
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 10 } }),
    );
    let value = m["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(value.contains("Rule 'app' (priority 200)"), "{value}");
    assert!(value.contains("decides none of the"), "{value}");
    // Nothing under the cursor: no hover.
    let m = client.request(
        5,
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(m["result"].is_null(), "{m}");

    // Suppress NET001 from the editor: a comment with an empty reason, which batchguard then
    // asks for.
    let actions = code_actions(
        client,
        6,
        &uri,
        net001["range"].clone(),
        Some(&["quickfix"]),
    );
    assert!(
        actions.iter().all(|a| a["kind"] == "quickfix"),
        "{actions:#?}"
    );
    let suppress = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress NET001"))
        .unwrap();
    let changes = apply(&mut text, &edits_of(&suppress["edit"], &uri));
    assert!(
        text.contains(
            "    # batchguard:ignore NET001 reason=\"\"\n    source_address_prefix      = \"*\""
        ),
        "{text}"
    );
    client.change(&uri, 3, changes);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "NET001"), "{diags:#?}");
    assert!(
        diags
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("reason")),
        "the missing reason is reported: {diags:#?}"
    );
    client.shutdown_and_exit(7);
}

fn nsg_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), NSG_TF).unwrap();
    dir
}

#[test]
fn a_quick_fix_removes_its_diagnostic_in_memory() {
    let dir = nsg_workspace();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Memory::start();
    quick_fix_then_diagnostic_goes(&mut client, &path);
    assert_eq!(client.join(), Ok(0));
}

#[test]
fn a_quick_fix_removes_its_diagnostic_over_stdio() {
    let dir = nsg_workspace();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Pipes::spawn(Path::new(env!("CARGO_BIN_EXE_batchguard")));
    quick_fix_then_diagnostic_goes(&mut client, &path);
    assert_eq!(client.wait().code(), Some(0));
}

/// BATCH001's value comes from terraform.tfvars: the quick fix edits that file (not open, so
/// unversioned), is unsafe (no private endpoint), and is not the preferred action. A client
/// without `documentChanges` gets the plain `changes` map.
#[test]
fn a_fix_of_a_value_from_tfvars_edits_the_tfvars_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    std::fs::write(path.join("main.tf"), BATCH_TF).unwrap();
    std::fs::write(path.join("terraform.tfvars"), TFVARS).unwrap();
    let uri = file_uri(&path.join("main.tf"));
    let tfvars_uri = file_uri(&path.join("terraform.tfvars"));
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "terraform", 1, BATCH_TF);
    let diags = client.diagnostics(&uri);
    let d = diags
        .iter()
        .find(|d| d["code"] == "BATCH001")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let actions = code_actions(&mut client, 2, &uri, d["range"].clone(), None);
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Fix BATCH001"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix["isPreferred"], false, "{fix:#}");
    assert!(fix["title"].as_str().unwrap().contains("unsafe"), "{fix:#}");
    assert!(
        fix["title"].as_str().unwrap().contains("terraform.tfvars"),
        "{fix:#}"
    );
    let edits = edits_of(&fix["edit"], &tfvars_uri);
    assert_eq!(edits.len(), 1, "{fix:#}");
    let mut tfvars = TFVARS.to_string();
    apply(&mut tfvars, &edits);
    assert_eq!(tfvars, "# Reviewed by the platform team.\npublic = false\n");
    // Written to disk as the editor would, then saved: the finding goes.
    std::fs::write(path.join("terraform.tfvars"), &tfvars).unwrap();
    client.save(&uri);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "BATCH001"), "{diags:#?}");
    // A fix that the scan cannot make is not offered as an edit; a client without greyed-out
    // actions does not get it at all.
    client.shutdown_and_exit(3);
    assert_eq!(client.join(), Ok(0));
}

/// "Fix all" runs `scan --fix` on the folder with the open buffer and sends the result to the
/// editor as `workspace/applyEdit`; applying it leaves no fixable finding.
#[test]
fn fix_all_in_file_sends_one_workspace_edit() {
    let dir = nsg_workspace();
    let path = dir.path().canonicalize().unwrap();
    let uri = file_uri(&path.join("main.tf"));
    let mut client = Memory::start();
    client.initialize(editor_capabilities());
    // The buffer differs from the disk: the fix applies to the buffer.
    let buffer = NSG_TF.replace("nsg-app", "nsg-app-2");
    client.open(&uri, "terraform", 1, &buffer);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().any(|d| d["code"] == "NET007"), "{diags:#?}");
    client.send(json!({
        "jsonrpc": "2.0", "id": 2, "method": "workspace/executeCommand",
        "params": { "command": "batchguard.fixAll", "arguments": [uri] }
    }));
    let request = client.expect("applyEdit", &|m| m["method"] == "workspace/applyEdit");
    let edit = &request["params"]["edit"];
    assert_eq!(
        edit["documentChanges"][0]["textDocument"]["version"], 1,
        "{edit:#}"
    );
    let mut text = buffer.clone();
    let changes = apply(&mut text, &edits_of(edit, &uri));
    assert!(text.contains("nsg-app-2"), "{text}");
    client.send(json!({ "jsonrpc": "2.0", "id": request["id"], "result": { "applied": true } }));
    let response = client.expect("executeCommand response", &|m| m["id"] == 2);
    assert!(
        response["result"]["fixed"].as_u64().unwrap() >= 1,
        "{response}"
    );
    client.change(&uri, 2, changes);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "NET007"), "{diags:#?}");
    // Nothing safe left to fix: no source action, and the command says so.
    let (line, _) = position_of(&text, "security_rule");
    let r = json!({ "start": { "line": line, "character": 0 }, "end": { "line": line + 20, "character": 0 } });
    let actions = code_actions(&mut client, 3, &uri, r, Some(&["source"]));
    assert!(actions.is_empty(), "{actions:#?}");
    client.shutdown_and_exit(4);
    assert_eq!(client.join(), Ok(0));
}

/// Positions in the tests' edits are UTF-16: a sanity check of the helper itself.
#[test]
fn edits_apply_at_utf16_positions() {
    let mut text = "a𝄞b\nc".to_string();
    apply(
        &mut text,
        &[
            json!({ "range": { "start": { "line": 0, "character": 3 }, "end": { "line": 0, "character": 4 } }, "newText": "B" }),
        ],
    );
    assert_eq!(text, "a𝄞B\nc");
    let _ = Position::new(0, 0);
}

/// An ARM template with CRLF line ends and text outside ASCII: one Batch account takes its
/// authentication modes from the parameters file (the fix edits that file), another lacks them
/// (the fix inserts the property, indented and ended like its neighbours).
const TEMPLATE: &str = "{\r\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\r\n  \"contentVersion\": \"1.0.0.0\",\r\n  \"parameters\": {\r\n    \"modes\": { \"type\": \"array\" }\r\n  },\r\n  \"resources\": [\r\n    {\r\n      \"type\": \"Microsoft.Batch/batchAccounts\",\r\n      \"apiVersion\": \"2024-07-01\",\r\n      \"name\": \"größe𝄞\",\r\n      \"location\": \"westeurope\",\r\n      \"properties\": {\r\n        \"publicNetworkAccess\": \"Disabled\",\r\n        \"allowedAuthenticationModes\": \"[parameters('modes')]\"\r\n      }\r\n    },\r\n    {\r\n      \"type\": \"Microsoft.Batch/batchAccounts\",\r\n      \"apiVersion\": \"2024-07-01\",\r\n      \"name\": \"zwei𝄞\",\r\n      \"location\": \"westeurope\",\r\n      \"properties\": {\r\n        \"publicNetworkAccess\": \"Disabled\"\r\n      }\r\n    }\r\n  ]\r\n}\r\n";

const PARAMETERS: &str = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {\n    \"modes\": { \"value\": [\"SharedKey\", \"AAD\"] }\n  }\n}\n";

#[test]
fn arm_quick_fixes_edit_the_parameters_file_and_insert_in_crlf_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    std::fs::write(path.join("azuredeploy.json"), TEMPLATE).unwrap();
    std::fs::write(path.join("azuredeploy.parameters.json"), PARAMETERS).unwrap();
    let uri = file_uri(&path.join("azuredeploy.json"));
    let params_uri = file_uri(&path.join("azuredeploy.parameters.json"));
    let mut client = Memory::start();
    client.initialize(editor_capabilities());
    client.open(&uri, "json", 1, TEMPLATE);
    let diags = client.diagnostics(&uri);
    let batch003: Vec<&Value> = diags.iter().filter(|d| d["code"] == "BATCH003").collect();
    assert_eq!(batch003.len(), 2, "{diags:#?}");
    let mut text = TEMPLATE.to_string();
    let mut all_changes = Vec::new();
    let mut parameters_fixed = false;
    for (k, d) in batch003.iter().enumerate() {
        let actions = code_actions(
            &mut client,
            2 + k as i64,
            &uri,
            d["range"].clone(),
            Some(&["quickfix"]),
        );
        let fix = actions
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with("Fix BATCH003"))
            .unwrap_or_else(|| panic!("{actions:#?}"));
        assert_eq!(fix["isPreferred"], true, "{fix:#}");
        let in_parameters = edits_of(&fix["edit"], &params_uri);
        if !in_parameters.is_empty() {
            // The parameters file is not open: its edit has no version.
            let doc = fix["edit"]["documentChanges"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["textDocument"]["uri"] == params_uri)
                .unwrap();
            assert!(doc["textDocument"]["version"].is_null(), "{doc:#}");
            let mut params = PARAMETERS.to_string();
            apply(&mut params, &in_parameters);
            assert!(
                params.contains("\"modes\": { \"value\": [\"AAD\"] }"),
                "{params}"
            );
            std::fs::write(path.join("azuredeploy.parameters.json"), &params).unwrap();
            parameters_fixed = true;
        }
        let mine = edits_of(&fix["edit"], &uri);
        if !mine.is_empty() {
            all_changes.push(mine);
        }
    }
    assert!(parameters_fixed);
    assert_eq!(all_changes.len(), 1, "one fix edits the template");
    let changes = apply(&mut text, &all_changes[0]);
    assert!(
        text.contains("        \"publicNetworkAccess\": \"Disabled\",\r\n        \"allowedAuthenticationModes\": [\"AAD\"]\r\n      }"),
        "{text:?}"
    );
    assert!(
        text.contains("größe𝄞")
            && !text.contains("\r\r")
            && text.matches('\n').count() == text.matches("\r\n").count(),
        "{text:?}"
    );
    client.change(&uri, 2, changes);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "BATCH003"), "{diags:#?}");
    client.shutdown_and_exit(9);
    assert_eq!(client.join(), Ok(0));
}

/// One rule resource written for several rules (`for_each` over a map): hover on it shows what
/// the engine decided for each of them.
#[test]
fn hover_on_a_rule_written_for_several_shows_each() {
    const TF: &str = r#"locals {
  rules = {
    ssh  = { priority = 100, access = "Allow", port = "22" }
    deny = { priority = 200, access = "Deny", port = "22" }
  }
}

resource "azurerm_network_security_group" "main" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_network_security_rule" "each" {
  for_each                    = local.rules
  name                        = each.key
  priority                    = each.value.priority
  direction                   = "Inbound"
  access                      = each.value.access
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = each.value.port
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.main.name
}
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    std::fs::write(path.join("main.tf"), TF).unwrap();
    let uri = file_uri(&path.join("main.tf"));
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "terraform", 1, TF);
    client.diagnostics(&uri);
    let (line, _) = position_of(TF, "  protocol                    = \"Tcp\"");
    let m = client.request(
        2,
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 4 } }),
    );
    // A client that did not ask for Markdown gets plain text.
    assert_eq!(m["result"]["contents"]["kind"], "plaintext", "{m}");
    let value = m["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Rule 'ssh' (priority 100)"), "{value}");
    assert!(
        value.contains("allows SSH (TCP 22) from the internet"),
        "{value}"
    );
    assert!(value.contains("Rule 'deny' (priority 200)"), "{value}");
    assert!(
        value.contains("Shadowed: the earlier rule 'ssh' (priority 100) matches all of its traffic first, so its access never takes effect."),
        "{value}"
    );
    client.shutdown_and_exit(3);
    assert_eq!(client.join(), Ok(0));
}
