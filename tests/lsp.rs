//! The language server driven as an editor drives it: in memory (the server loop in a thread) and
//! over standard input and output against the built binary, with the same conversation: initialize,
//! open a Terraform file whose NSG allows SSH from anywhere, see NET001 at the right UTF-16 range,
//! edit the file (incrementally), see the fix clear the diagnostics, shut down and exit. Then
//! documents with no folder on disk, pull diagnostics and changes on disk.

mod common;

use std::path::Path;

use common::lsp::{file_uri, position_of, Client, Memory, Pipes};
use serde_json::{json, Value};

/// The open buffer: an NSG rule allowing SSH from `*`, with non-ASCII text in the rule name.
const MAIN_TF: &str = r#"resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "ssh-für-𝄞"
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

/// On disk beside it: the subnet association, which the analysis of the buffer must see.
const NETWORK_TF: &str = r#"resource "azurerm_subnet" "web" {
  name                 = "web"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "web" {
  subnet_id                 = azurerm_subnet.web.id
  network_security_group_id = azurerm_network_security_group.web.id
}
"#;

/// The whole conversation, against any transport.
fn conversation(client: &mut dyn Client, dir: &Path) {
    let main = dir.join("main.tf");
    let uri = file_uri(&main);
    let init = client.initialize(json!({ "processId": null, "rootUri": null, "capabilities": {} }));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "{init}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);

    // A document batchguard does not read (a file as a diff view shows it): nothing, no error.
    client.open("git:/main.tf?ref=HEAD", "terraform", 1, "x");

    client.open(&uri, "terraform", 1, MAIN_TF);
    let diags = client.diagnostics(&uri);
    let net001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{diags:#?}");
    let d = net001[0];
    let (line, col) = position_of(MAIN_TF, "source_address_prefix      = \"*\"");
    assert_eq!(
        d["range"],
        json!({ "start": { "line": line, "character": col },
                "end": { "line": line, "character": col + "source_address_prefix      = \"*\"".len() } })
    );
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "batchguard");
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("'ssh-für-𝄞'"), "{message}");
    // network.tf, read from disk, associates the NSG with a subnet.
    assert!(!message.contains("not associated"), "{message}");
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    assert_eq!(
        related["location"]["range"]["start"]["line"],
        position_of(MAIN_TF, "destination_port_range").0
    );

    // An incremental edit after the non-ASCII name: the range is in UTF-16 units.
    let (nl, nc) = position_of(MAIN_TF, "𝄞\"");
    let after = nc + 2;
    client.edit(&uri, 2, (nl, after), (nl, after), "-2");
    let diags = client.diagnostics(&uri);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("'ssh-für-𝄞-2'"),
        "{diags:#?}"
    );

    // The fix, as two quick changes that the server coalesces into one analysis.
    let (sl, sc) = position_of(MAIN_TF, "\"*\"\n    destination_address_prefix");
    for (version, start, end, text) in [(3, sc + 1, sc + 2, "10.0.0.0"), (4, sc + 9, sc + 9, "/8")]
    {
        client.edit(&uri, version, (sl, start), (sl, end), text);
    }
    let m = client.publication(&uri);
    assert_eq!(m["params"]["version"], 4, "{m}");
    assert_eq!(m["params"]["diagnostics"], json!([]), "{m}");

    // Closing clears the document's diagnostics.
    client.close(&uri);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    client.shutdown_and_exit(2);
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // On disk, main.tf is compliant: the unsaved buffer is what counts.
    std::fs::write(
        dir.path().join("main.tf"),
        MAIN_TF.replace("prefix      = \"*\"", "prefix      = \"10.0.0.0/8\""),
    )
    .unwrap();
    std::fs::write(dir.path().join("network.tf"), NETWORK_TF).unwrap();
    dir
}

#[test]
fn in_memory() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Memory::start();
    conversation(&mut client, &path);
    assert_eq!(client.join(), Ok(0));
}

#[test]
fn over_stdio_with_the_binary() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Pipes::spawn(Path::new(env!("CARGO_BIN_EXE_batchguard")));
    conversation(&mut client, &path);
    assert_eq!(client.wait().code(), Some(0));
}

/// After every edit, the server (which parses again only the edited file and analyses again only
/// the template or module it belongs to) shows what a server started on the same buffers shows:
/// a Terraform module and two ARM templates in one folder, edits that fix and break each.
#[test]
fn each_edit_shows_what_a_fresh_server_shows() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/NET001/arm");
    let bad = std::fs::read_to_string(testdata.join("violating.json")).unwrap();
    let good = std::fs::read_to_string(testdata.join("compliant.json")).unwrap();
    std::fs::write(path.join("a.json"), &bad).unwrap();
    std::fs::write(path.join("b.json"), &bad).unwrap();
    let (main, a) = (
        file_uri(&path.join("main.tf")),
        file_uri(&path.join("a.json")),
    );
    let uris = [main.as_str(), a.as_str()];
    let fixed_main = MAIN_TF.replace("prefix      = \"*\"", "prefix      = \"10.0.0.0/8\"");
    let open = |client: &mut Memory, texts: &[String; 2]| {
        client.initialize(json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        client.open(&main, "terraform", 1, &texts[0]);
        client.open(&a, "json", 1, &texts[1]);
        client.diagnostics_of(&uris)
    };
    let mut texts = [MAIN_TF.to_string(), bad.clone()];
    let mut client = Memory::start();
    let first = open(&mut client, &texts);
    assert!(first.values().all(|d| !d.is_empty()), "{first:#?}");
    let edits: [(usize, &str); 6] = [
        (1, &good),
        (0, &fixed_main),
        (1, "{ \"$schema\": "),
        (1, &bad),
        (0, MAIN_TF),
        (1, &good),
    ];
    for (k, (which, text)) in edits.into_iter().enumerate() {
        let version = i32::try_from(k).unwrap() + 2;
        client.change(uris[which], version, json!([{ "text": text }]));
        texts[which] = text.to_string();
        let got = client.diagnostics_of(&uris);
        let mut fresh = Memory::start();
        let want = open(&mut fresh, &texts);
        fresh.shutdown_and_exit(2);
        assert_eq!(got, want, "after edit {k}");
    }
    client.shutdown_and_exit(2);
}

/// Malformed frames over standard input (a bad `Content-Length`, a body that is not JSON, JSON
/// that is not a message, a line that is no header) each get a JSON-RPC parse error, and the
/// server answers what follows.
#[test]
fn malformed_frames_get_parse_errors_and_the_server_keeps_serving() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Pipes::spawn(Path::new(env!("CARGO_BIN_EXE_batchguard")));
    let bad: [&[u8]; 6] = [
        b"Content-Length: abc\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"shutdown\"}",
        b"Content-Length: 5\r\n\r\nhello",
        b"Content-Length: 3\r\n\r\n[1]",
        b"Content-Length: 8\r\n\r\n{\"a\": 1}",
        b"Content-Length: 3\r\n\r\n\xff\xfe\xfd",
        b"this is no header\r\n",
    ];
    for frame in bad {
        client.send_raw(frame);
        let m = client.expect("parse error", &|m| m.get("error").is_some());
        assert_eq!(m["error"]["code"], -32700, "{m}");
        assert!(m["id"].is_null(), "{m}");
    }
    // Then a whole conversation is served as usual.
    conversation(&mut client, &path);
    assert_eq!(client.wait().code(), Some(0));
}

#[test]
fn a_parse_error_is_a_diagnostic_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Memory::start();
    let uri = file_uri(&path.join("broken.tf"));
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "terraform", 1, "resource \"x\" {\n");
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().any(|d| d["code"] == "parse"), "{diags:#?}");
    // A request the server does not know gets an error, not a crash.
    let m = client.request(
        2,
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(m["error"]["code"].is_number(), "{m}");
    // `exit` without `shutdown` ends with code 1.
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Ok(1));
}

/// An option the client sets that `batchguard scan --option` would refuse: the documents say so,
/// and show nothing found with other settings.
#[test]
fn a_bad_option_from_the_editor_is_shown_on_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let mut client = Memory::start();
    let uri = file_uri(&path.join("main.tf"));
    client.initialize(json!({ "capabilities": {},
        "initializationOptions": { "options": { "no_such_option": "1" } } }));
    client.open(&uri, "terraform", 1, MAIN_TF);
    let diags = client.diagnostics(&uri);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "config"
                && d["message"].as_str().unwrap().contains("no_such_option")),
        "{diags:#?}"
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}

/// A mistake in batchguard.toml is marked where it is written, pointed at from the open
/// documents of the folders it governs (which are not analysed, as `batchguard scan` is not), and
/// cleared once the file is fixed and saved.
#[test]
fn a_batchguard_toml_error_is_shown_where_it_is_written_until_it_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let toml = path.join("batchguard.toml");
    let toml_uri = file_uri(&toml);
    // A repository: batchguard.toml is found up to its top, never above.
    std::fs::create_dir(path.join(".git")).unwrap();
    std::fs::create_dir(path.join("infra")).unwrap();
    let main = path.join("infra/main.tf");
    std::fs::write(&main, MAIN_TF).unwrap();
    let uri = file_uri(&main);
    std::fs::write(&toml, "fail_on = \"error\"\ncolour = true\n").unwrap();
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "terraform", 1, MAIN_TF);

    // An unknown key.
    let diags = client.diagnostics(&uri);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "config");
    let message = diags[0]["message"].as_str().unwrap();
    assert!(
        message.contains("batchguard.toml:2:1: unknown field `colour`"),
        "{message}"
    );
    let related = &diags[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], toml_uri);
    assert_eq!(
        related["range"]["start"],
        json!({ "line": 1, "character": 0 })
    );
    let in_toml = client.diagnostics(&toml_uri);
    assert_eq!(in_toml.len(), 1, "{in_toml:#?}");
    assert_eq!(
        in_toml[0]["range"],
        json!({ "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 6 } })
    );
    assert_eq!(in_toml[0]["severity"], 1);
    assert!(
        in_toml[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field `colour`"),
        "{in_toml:#?}"
    );

    // A variable file that does not exist: marked at its entry.
    std::fs::write(&toml, "var_files = [\"prod.tfvars\"]\n").unwrap();
    client.save(&toml_uri);
    let diags = client.diagnostics(&uri);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read variable file"),
        "{diags:#?}"
    );
    let in_toml = client.diagnostics(&toml_uri);
    assert_eq!(
        in_toml[0]["range"],
        json!({ "start": { "line": 0, "character": 13 }, "end": { "line": 0, "character": 26 } })
    );

    // Fixed: the folder is analysed and the mark in batchguard.toml is cleared.
    std::fs::write(path.join("prod.tfvars"), "").unwrap();
    client.save(&toml_uri);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "config"), "{diags:#?}");
    assert!(diags.iter().any(|d| d["code"] == "NET001"), "{diags:#?}");
    assert_eq!(client.diagnostics(&toml_uri), Vec::<Value>::new());
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}

/// What an editor shows for the documents of `testdata/settings` and what `batchguard scan` run
/// there reports are the same findings, and both depend on its batchguard.toml: a Terraform
/// variable file (`var_files`) and an ARM parameters file (`[parameters]`) turn compliant defaults
/// into SSH open to the internet.
#[test]
fn the_server_and_scan_agree_on_a_folder_with_settings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/settings")
        .canonicalize()
        .unwrap();
    let documents = ["terraform/main.tf", "arm/nsg.json"];

    // `batchguard scan`, as in CI: (rule, level, path, range, message, related) per finding.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .current_dir(&root)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["notifications"], json!([]), "{report:#}");
    // 0-based, as the editor counts.
    let range = |v: &Value| {
        let at = |p: &Value| {
            (
                p["line"].as_u64().unwrap() - 1,
                p["column"].as_u64().unwrap() - 1,
            )
        };
        (at(&v["start"]), at(&v["end"]))
    };
    let mut scanned: Vec<Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let related: Vec<Value> = f["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| json!([r["path"], range(r), r["message"]]))
                .collect();
            json!([
                f["rule"],
                f["level"],
                f["path"],
                range(f),
                f["message"],
                related
            ])
        })
        .collect();

    // The language server, with both documents open.
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    let uris: Vec<String> = documents.iter().map(|d| file_uri(&root.join(d))).collect();
    for (doc, uri) in documents.iter().zip(&uris) {
        let language = if doc.ends_with(".tf") {
            "terraform"
        } else {
            "json"
        };
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        client.open(uri, language, 1, &text);
    }
    let uri_refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    let published = client.diagnostics_of(&uri_refs);
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
    let prefix = format!("{}/", file_uri(&root));
    let rel = |uri: &Value| {
        uri.as_str()
            .unwrap()
            .strip_prefix(&prefix)
            .unwrap()
            .to_string()
    };
    let lsp_range = |r: &Value| {
        let at = |p: &Value| {
            (
                p["line"].as_u64().unwrap(),
                p["character"].as_u64().unwrap(),
            )
        };
        (at(&r["start"]), at(&r["end"]))
    };
    let level = |severity: &Value| match severity.as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        _ => "note",
    };
    let mut shown: Vec<Value> = published
        .iter()
        .flat_map(|(uri, diags)| diags.iter().map(move |d| (uri, d)))
        .map(|(uri, d)| {
            let related: Vec<Value> = d["relatedInformation"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|r| {
                    json!([
                        rel(&r["location"]["uri"]),
                        lsp_range(&r["location"]["range"]),
                        r["message"]
                    ])
                })
                .collect();
            json!([
                d["code"],
                level(&d["severity"]),
                rel(&json!(uri)),
                lsp_range(&d["range"]),
                d["message"],
                related
            ])
        })
        .collect();
    let key = |v: &Value| v.to_string();
    scanned.sort_by_key(key);
    shown.sort_by_key(key);
    assert_eq!(shown, scanned);

    // Each finding names the file that batchguard.toml brought in.
    let from = |file: &str| {
        scanned
            .iter()
            .any(|f| f[5].as_array().unwrap().iter().any(|r| r[0] == file))
    };
    assert!(from("env/prod.tfvars"), "{scanned:#?}");
    assert!(from("arm/nsg.parameters.prod.json"), "{scanned:#?}");
    assert_eq!(scanned.len(), 2, "{scanned:#?}");
}

/// A variable defined in `variables.tf` on disk resolves while `main.tf` is being edited, and the
/// diagnostic names the variable's default as related information.
#[test]
fn a_variable_from_another_file_of_the_folder_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    std::fs::write(
        path.join("variables.tf"),
        "variable \"admin_source\" {\n  type    = string\n  default = \"*\"\n}\n",
    )
    .unwrap();
    let buffer = MAIN_TF.replace(
        "source_address_prefix      = \"*\"",
        "source_address_prefix      = var.admin_source",
    );
    std::fs::write(path.join("main.tf"), "").unwrap();
    let mut client = Memory::start();
    let uri = file_uri(&path.join("main.tf"));
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "terraform", 1, &buffer);
    let diags = client.diagnostics(&uri);
    let net001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{diags:#?}");
    let (line, _) = position_of(&buffer, "var.admin_source");
    assert_eq!(net001[0]["range"]["start"]["line"], line);
    let related = net001[0]["relatedInformation"].as_array().unwrap();
    assert!(
        related.iter().any(
            |r| r["location"]["uri"] == file_uri(&path.join("variables.tf"))
                && r["message"].as_str().unwrap().contains("admin_source")
        ),
        "{related:#?}"
    );
    client.request(2, "shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Ok(0));
}

/// A `.tf.json` document (languageId `json`) is Terraform: diagnostics at its JSON members.
#[test]
fn terraform_json_documents_get_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let text = "{\n  \"resource\": {\n    \"azurerm_batch_account\": {\n      \"a\": {\n        \"name\": \"acct\",\n        \"public_network_access_enabled\": true\n      }\n    }\n  }\n}\n";
    std::fs::write(path.join("main.tf.json"), "").unwrap();
    let mut client = Memory::start();
    let uri = file_uri(&path.join("main.tf.json"));
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "json", 1, text);
    let diags = client.diagnostics(&uri);
    let batch001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "BATCH001").collect();
    assert_eq!(batch001.len(), 1, "{diags:#?}");
    let (line, col) = position_of(text, "\"public_network_access_enabled\"");
    assert_eq!(batch001[0]["range"]["start"]["line"], line);
    assert_eq!(batch001[0]["range"]["start"]["character"], col);
    client.request(2, "shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Ok(0));
}

/// An `untitled:` buffer is analysed alone, its syntax told by its language id; its findings name
/// it by its own URI.
#[test]
fn an_untitled_document_gets_diagnostics() {
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    let uri = "untitled:Untitled-1";
    client.open(uri, "terraform", 1, MAIN_TF);
    let diags = client.diagnostics(uri);
    let net001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{diags:#?}");
    let (line, col) = position_of(MAIN_TF, "source_address_prefix      = \"*\"");
    assert_eq!(
        net001[0]["range"]["start"],
        json!({ "line": line, "character": col })
    );
    assert_eq!(net001[0]["relatedInformation"][0]["location"]["uri"], uri);
    // Hover and code actions answer from its analysis too.
    let m = client.request(
        2,
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": net001[0]["range"],
                "context": { "diagnostics": [] } }),
    );
    let titles: Vec<&str> = m["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("Fix NET001")), "{m}");
    // Edited into compliance, it is analysed again; closed, its diagnostics are cleared.
    let (sl, sc) = position_of(MAIN_TF, "\"*\"\n    destination_address_prefix");
    client.edit(uri, 2, (sl, sc + 1), (sl, sc + 2), "10.0.0.0/8");
    assert_eq!(client.diagnostics(uri), Vec::<Value>::new());
    client.close(uri);
    assert_eq!(client.diagnostics(uri), Vec::<Value>::new());
    client.shutdown_and_exit(3);
    assert_eq!(client.join(), Ok(0));
}

/// A file in a folder that is not on disk yet is analysed with the other open buffers of that
/// folder; once saved there, with the folder's files on disk.
#[test]
fn a_file_in_a_folder_not_on_disk_gets_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let folder = path.join("not/yet");
    let main = file_uri(&folder.join("main.tf"));
    let network = file_uri(&folder.join("network.tf"));
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    client.open(&main, "terraform", 1, MAIN_TF);
    let diags = client.diagnostics(&main);
    let net001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{diags:#?}");
    // Not associated with a subnet: nothing else in the folder says it is.
    let message = net001[0]["message"].as_str().unwrap();
    assert!(message.contains("not associated"), "{message}");
    // A second buffer of that folder is read with it.
    client.open(&network, "terraform", 1, NETWORK_TF);
    let d = client.diagnostics_of(&[&main, &network]);
    let message = d[&main]
        .iter()
        .find(|x| x["code"] == "NET001")
        .unwrap_or_else(|| panic!("{d:#?}"))["message"]
        .as_str()
        .unwrap();
    assert!(!message.contains("not associated"), "{message}");
    // Saved: the folder exists, and main.tf is read with its files on disk (network.tf, now
    // closed, among them).
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("main.tf"), MAIN_TF).unwrap();
    std::fs::write(folder.join("network.tf"), NETWORK_TF).unwrap();
    client.save(&main);
    client.close(&network);
    let diags = client.diagnostics(&main);
    let message = diags.iter().find(|x| x["code"] == "NET001").unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!message.contains("not associated"), "{message}");
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}

/// The diagnostics of an open document, pulled (`textDocument/diagnostic`).
fn pull(client: &mut dyn Client, id: i64, uri: &str) -> Vec<Value> {
    let m = client.request(
        id,
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(m["result"]["kind"], "full", "{m}");
    m["result"]["items"].as_array().unwrap().clone()
}

/// A client that does not declare pull diagnostics gets them pushed, and a pull returns the same;
/// the server announces pull diagnostics.
#[test]
fn a_pull_returns_what_was_pushed() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let uri = file_uri(&path.join("main.tf"));
    let mut client = Memory::start();
    let init = client.initialize(json!({ "capabilities": {} }));
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"],
        json!({ "identifier": "batchguard", "interFileDependencies": true,
                "workspaceDiagnostics": false })
    );
    client.open(&uri, "terraform", 1, MAIN_TF);
    let pushed = client.diagnostics(&uri);
    assert!(pushed.iter().any(|d| d["code"] == "NET001"), "{pushed:#?}");
    assert_eq!(pull(&mut client, 2, &uri), pushed);
    // A document that is not open has none.
    assert_eq!(
        pull(&mut client, 3, &file_uri(&path.join("network.tf"))),
        Vec::<Value>::new()
    );
    client.shutdown_and_exit(4);
    assert_eq!(client.join(), Ok(0));
}

/// A client that declares pull diagnostics pulls them: a pull right after a change waits for its
/// analysis, and nothing is pushed for the document (it would be shown twice).
#[test]
fn a_client_that_pulls_gets_its_diagnostics_by_pulling_only() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let uri = file_uri(&path.join("main.tf"));
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": { "textDocument": { "diagnostic": {} } } }));
    client.open(&uri, "terraform", 1, MAIN_TF);
    client.send(
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic",
                        "params": { "textDocument": { "uri": uri } } }),
    );
    let mut seen = Vec::new();
    let m = client.expect("the pull's response", &|m| {
        m["id"] == 2 || m["method"] == "textDocument/publishDiagnostics"
    });
    seen.push(m.clone());
    assert_eq!(m["id"], 2, "pushed to a client that pulls: {m}");
    let items = m["result"]["items"].as_array().unwrap();
    assert!(items.iter().any(|d| d["code"] == "NET001"), "{m}");
    // Fixed in the buffer: the next pull has nothing.
    let (sl, sc) = position_of(MAIN_TF, "\"*\"\n    destination_address_prefix");
    client.edit(&uri, 2, (sl, sc + 1), (sl, sc + 2), "10.0.0.0/8");
    assert_eq!(pull(&mut client, 3, &uri), Vec::<Value>::new());
    client.shutdown_and_exit(4);
    assert_eq!(client.join(), Ok(0));
}

/// `variables.tf`, on disk and not open, gives the default of the variable the open `main.tf`
/// uses as its NSG rule's source.
fn variables_tf(default: &str) -> String {
    format!("variable \"admin_source\" {{\n  type    = string\n  default = \"{default}\"\n}}\n")
}

/// A change on disk to a file the open document's analysis reads, reported by the client
/// (`workspace/didChangeWatchedFiles`, which the server registers for), changes the document's
/// diagnostics: pushed, or, for a client that pulls, pulled after a refresh.
fn watched_change(pulls: bool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let variables = path.join("variables.tf");
    std::fs::write(&variables, variables_tf("10.0.0.0/8")).unwrap();
    let buffer = MAIN_TF.replace(
        "source_address_prefix      = \"*\"",
        "source_address_prefix      = var.admin_source",
    );
    std::fs::write(path.join("main.tf"), &buffer).unwrap();
    let uri = file_uri(&path.join("main.tf"));
    let mut capabilities = json!({
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
    });
    if pulls {
        capabilities["textDocument"] = json!({ "diagnostic": {} });
        capabilities["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
    }
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": capabilities }));
    let m = client.expect("client/registerCapability", &|m| {
        m["method"] == "client/registerCapability"
    });
    let registration = &m["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(
        globs,
        [
            "**/*.tf",
            "**/*.tf.json",
            "**/*.tfvars",
            "**/*.tfvars.json",
            "**/*.json",
            "**/*.bicep",
            "**/*.bicepparam",
            "**/*.toml"
        ]
    );
    client.send(json!({ "jsonrpc": "2.0", "id": m["id"], "result": null }));
    client.open(&uri, "terraform", 1, &buffer);
    let mut next_id = 10;
    let mut diagnostics = |client: &mut Memory| {
        if pulls {
            next_id += 1;
            pull(client, next_id, &uri)
        } else {
            client.diagnostics(&uri)
        }
    };
    let codes = |diags: &[Value]| -> Vec<String> {
        diags
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!codes(&diagnostics(&mut client)).contains(&"NET001".into()));

    let changed = |client: &mut Memory, kind: u8| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [ { "uri": file_uri(&variables), "type": kind } ] }),
        );
        if pulls {
            let m = client.expect("workspace/diagnostic/refresh", &|m| {
                m["method"] == "workspace/diagnostic/refresh"
            });
            client.send(json!({ "jsonrpc": "2.0", "id": m["id"], "result": null }));
        }
    };
    // Changed on disk: the default is now the internet.
    std::fs::write(&variables, variables_tf("Internet")).unwrap();
    changed(&mut client, 2);
    let diags = diagnostics(&mut client);
    assert!(codes(&diags).contains(&"NET001".into()), "{diags:#?}");
    // Deleted: the variable has no value batchguard knows.
    std::fs::remove_file(&variables).unwrap();
    changed(&mut client, 3);
    let diags = diagnostics(&mut client);
    assert!(!codes(&diags).contains(&"NET001".into()), "{diags:#?}");
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}

#[test]
fn a_file_changed_on_disk_changes_the_diagnostics_pushed() {
    watched_change(false);
}

#[test]
fn a_file_changed_on_disk_has_a_client_that_pulls_pull_again() {
    watched_change(true);
}

/// A custom rule named by batchguard.toml reports in the editor like a built-in rule; an error
/// in its rule file is shown there, and a change to the rule file on disk analyses the folder
/// again.
#[test]
fn custom_rules_report_and_their_errors_are_shown_in_the_rule_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    std::fs::create_dir(path.join(".git")).unwrap();
    std::fs::create_dir(path.join("policies")).unwrap();
    std::fs::write(
        path.join("batchguard.toml"),
        "custom_rules = [\"policies/*.toml\"]\n",
    )
    .unwrap();
    let rule_file = path.join("policies/nsg.toml");
    let rule_uri = file_uri(&rule_file);
    let good = "[[rule]]\nid = \"ORG200\"\ntitle = \"NSGs are named nsg-*\"\ntype = \"Microsoft.Network/networkSecurityGroups\"\nassert = [ { path = \"$.name\", matches = \"^nsg-\" } ]\n";
    std::fs::write(&rule_file, good).unwrap();
    let main = path.join("main.tf");
    std::fs::write(&main, MAIN_TF).unwrap();
    let uri = file_uri(&main);
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    client.open(&uri, "terraform", 1, MAIN_TF);
    let diags = client.diagnostics(&uri);
    let org: Vec<&Value> = diags.iter().filter(|d| d["code"] == "ORG200").collect();
    assert_eq!(org.len(), 1, "{diags:#?}");
    assert!(org[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("NSGs are named nsg-*"));

    let changed = |client: &mut Memory| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [ { "uri": rule_uri, "type": 2 } ] }),
        );
    };
    // A bad regular expression: marked in the rule file, and named on the document.
    std::fs::write(&rule_file, good.replace("^nsg-", "^nsg-(")).unwrap();
    changed(&mut client);
    let diags = client.diagnostics(&uri);
    assert!(
        diags.iter().any(|d| d["code"] == "config"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("bad regular expression")),
        "{diags:#?}"
    );
    let in_rules = client.diagnostics(&rule_uri);
    assert_eq!(in_rules.len(), 1, "{in_rules:#?}");
    assert_eq!(in_rules[0]["range"]["start"]["line"], 4);
    // Fixed on disk: the rule reports again and the mark is cleared.
    std::fs::write(&rule_file, good).unwrap();
    changed(&mut client);
    let diags = client.diagnostics(&uri);
    assert!(diags.iter().any(|d| d["code"] == "ORG200"), "{diags:#?}");
    assert_eq!(client.diagnostics(&rule_uri), Vec::<Value>::new());
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}

/// A linked template opened on its own is analysed with the template above that links it, as
/// `batchguard scan` analyses them: its NSG is the one the caller names and opens, and the
/// caller's unsaved buffer counts; the caller's edit analyses the linked template again.
#[test]
fn a_linked_template_is_analysed_with_its_caller() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/eval/arm_linked");
    std::fs::create_dir_all(path.join("nested")).unwrap();
    for name in ["azuredeploy.json", "nested/nsg.json", "nested/extra.json"] {
        std::fs::copy(testdata.join(name), path.join(name)).unwrap();
    }
    let nested = std::fs::read_to_string(path.join("nested/nsg.json")).unwrap();
    let caller = std::fs::read_to_string(path.join("azuredeploy.json")).unwrap();
    let nested_uri = file_uri(&path.join("nested/nsg.json"));
    let caller_uri = file_uri(&path.join("azuredeploy.json"));
    let mut client = Memory::start();
    client.initialize(json!({ "capabilities": {} }));
    client.open(&nested_uri, "json", 1, &nested);
    let diags = client.diagnostics(&nested_uri);
    let net001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "NET001").collect();
    assert_eq!(net001.len(), 1, "{diags:#?}");
    assert!(
        net001[0]["message"]
            .as_str()
            .unwrap()
            .contains("'open-nsg'"),
        "{diags:#?}"
    );
    // The caller, opened and edited to pass a private range: nothing is left to report.
    client.open(&caller_uri, "json", 1, &caller);
    let _ = client.diagnostics(&caller_uri);
    let closed = caller.replacen(
        r#""sshSource": { "value": "*" }"#,
        r#""sshSource": { "value": "10.1.0.0/16" }"#,
        1,
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": caller_uri, "version": 2 },
            "contentChanges": [{ "text": closed }]
        }),
    );
    let _ = client.diagnostics(&caller_uri);
    let diags = client.diagnostics(&nested_uri);
    assert!(diags.iter().all(|d| d["code"] != "NET001"), "{diags:#?}");
    client.shutdown_and_exit(2);
    assert_eq!(client.join(), Ok(0));
}
