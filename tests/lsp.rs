//! The language server driven as an editor drives it: in memory (the server loop in a thread) and
//! over standard input and output against the built binary, with the same conversation: initialize,
//! open a Terraform file whose NSG allows SSH from anywhere, see NET001 at the right UTF-16 range,
//! edit the file (incrementally), see the fix clear the diagnostics, shut down and exit.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

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

/// A client's view of a server: send a message, receive the next one.
trait Client {
    fn send(&mut self, message: Value);
    fn recv(&mut self, timeout: Duration) -> Option<Value>;
}

struct Memory(lsp_server::Connection);

impl Client for Memory {
    fn send(&mut self, message: Value) {
        let m: lsp_server::Message = serde_json::from_value(message).expect("a valid message");
        self.0.sender.send(m).expect("the server is running");
    }
    fn recv(&mut self, timeout: Duration) -> Option<Value> {
        let m = self.0.receiver.recv_timeout(timeout).ok()?;
        Some(serde_json::to_value(m).unwrap())
    }
}

/// The binary over pipes, with the protocol's `Content-Length` framing written here by hand.
struct Pipes {
    stdin: std::process::ChildStdin,
    incoming: mpsc::Receiver<Value>,
}

impl Client for Pipes {
    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }
    fn recv(&mut self, timeout: Duration) -> Option<Value> {
        self.incoming.recv_timeout(timeout).ok()
    }
}

fn read_framed(out: impl Read, tx: mpsc::Sender<Value>) {
    let mut reader = BufReader::new(out);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let value: Value = serde_json::from_slice(&body).expect("a JSON body");
        if tx.send(value).is_err() {
            return;
        }
    }
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// The next message that satisfies `wanted`, skipping others (logs, other files).
fn expect(client: &mut dyn Client, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match client.recv(left) {
            Some(m) if wanted(&m) => return m,
            Some(_) => continue,
            None => break,
        }
    }
    panic!("no {what} within {TIMEOUT:?}");
}

fn diagnostics_for(client: &mut dyn Client, uri: &str) -> Vec<Value> {
    let m = expect(client, "publishDiagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    m["params"]["diagnostics"].as_array().unwrap().clone()
}

/// 0-based line and UTF-16 column of the first `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].encode_utf16().count())
}

/// The whole conversation, against any transport.
fn conversation(client: &mut dyn Client, dir: &Path) {
    let main = dir.join("main.tf");
    let uri = file_uri(&main);
    client.send(json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} }
    }));
    let init = expect(client, "initialize response", |m| m["id"] == 1);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "{init}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    client.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));

    // A document batchguard does not read, and a URI that is not a file: no diagnostics, no error.
    client.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": "untitled:Untitled-1", "languageId": "terraform", "version": 1, "text": "x" } } }));

    client.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "terraform", "version": 1, "text": MAIN_TF } } }));
    let diags = diagnostics_for(client, &uri);
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
    client.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": { "uri": uri, "version": 2 },
        "contentChanges": [ { "range": { "start": { "line": nl, "character": after },
                                         "end": { "line": nl, "character": after } }, "text": "-2" } ] } }));
    let diags = diagnostics_for(client, &uri);
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
        client.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [ { "range": { "start": { "line": sl, "character": start },
                                             "end": { "line": sl, "character": end } }, "text": text } ] } }));
    }
    let m = expect(client, "publishDiagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    assert_eq!(m["params"]["version"], 4, "{m}");
    assert_eq!(m["params"]["diagnostics"], json!([]), "{m}");

    // Closing clears the document's diagnostics.
    client.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didClose", "params": {
        "textDocument": { "uri": uri } } }),
    );
    assert_eq!(diagnostics_for(client, &uri), Vec::<Value>::new());

    client.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }));
    let m = expect(client, "shutdown response", |m| m["id"] == 2);
    assert_eq!(m["result"], Value::Null, "{m}");
    assert!(m.get("error").is_none(), "{m}");
    client.send(json!({ "jsonrpc": "2.0", "method": "exit", "params": null }));
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
    let (server, client) = lsp_server::Connection::memory();
    let handle = std::thread::spawn(move || batchguard::lsp::serve(&server));
    conversation(&mut Memory(client), &path);
    assert_eq!(handle.join().unwrap(), Ok(0));
}

#[test]
fn over_stdio_with_the_binary() {
    let dir = workspace();
    let path = dir.path().canonicalize().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_batchguard"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("batchguard lsp starts");
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || read_framed(out, tx));
    let mut client = Pipes {
        stdin: child.stdin.take().unwrap(),
        incoming: rx,
    };
    conversation(&mut client, &path);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("batchguard lsp did not exit after `exit`");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_parse_error_is_a_diagnostic_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap();
    let (server, client) = lsp_server::Connection::memory();
    let handle = std::thread::spawn(move || batchguard::lsp::serve(&server));
    let mut client = Memory(client);
    let uri = file_uri(&path.join("broken.tf"));
    client.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "capabilities": {}, "initializationOptions": { "options": { "no_such_option": "1" } } } }));
    expect(&mut client, "initialize response", |m| m["id"] == 1);
    client.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    client.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "terraform", "version": 1, "text": "resource \"x\" {\n" } } }));
    let diags = diagnostics_for(&mut client, &uri);
    assert!(diags.iter().any(|d| d["code"] == "parse"), "{diags:#?}");
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "config"
                && d["message"].as_str().unwrap().contains("no_such_option")),
        "{diags:#?}"
    );
    // A request the server does not know gets an error, not a crash.
    client.send(
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } } }),
    );
    let m = expect(&mut client, "hover response", |m| m["id"] == 2);
    assert!(m["error"]["code"].is_number(), "{m}");
    // `exit` without `shutdown` ends with code 1.
    client.send(json!({ "jsonrpc": "2.0", "method": "exit", "params": null }));
    assert_eq!(handle.join().unwrap(), Ok(1));
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
    let (server, client) = lsp_server::Connection::memory();
    let handle = std::thread::spawn(move || batchguard::lsp::serve(&server));
    let mut client = Memory(client);
    let uri = file_uri(&path.join("main.tf"));
    client.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }));
    expect(&mut client, "initialize response", |m| m["id"] == 1);
    client.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    client.send(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "terraform", "version": 1, "text": buffer } } }));
    let diags = diagnostics_for(&mut client, &uri);
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
    client.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }));
    expect(&mut client, "shutdown response", |m| m["id"] == 2);
    client.send(json!({ "jsonrpc": "2.0", "method": "exit", "params": null }));
    assert_eq!(handle.join().unwrap(), Ok(0));
}
