//! A client of `batchguard lsp`, as an editor drives it: the server loop in a thread over an
//! in-memory connection ([`Memory`]), or the built binary over standard input and output with the
//! protocol's `Content-Length` framing written here by hand ([`Pipes`]); both speak through
//! [`Client`], which knows the conversation (initialize, open, change, wait for diagnostics, shut
//! down). Used by `tests/lsp.rs` and `benches/lsp.rs`
//! (`#[path = "../tests/common/lsp.rs"] mod lsp;`).
// Each test target uses part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any expected message may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A client's view of a server: send a message, receive the next one; and the conversation
/// built on those two.
pub trait Client {
    fn send(&mut self, message: Value);
    fn recv(&mut self, timeout: Duration) -> Option<Value>;

    /// The next message that satisfies `wanted`, skipping others (logs, other files); panics
    /// after [`TIMEOUT`].
    fn expect(&mut self, what: &str, wanted: &dyn Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.recv(left) {
                Some(m) if wanted(&m) => return m,
                Some(_) => continue,
                None => break,
            }
        }
        panic!("no {what} within {TIMEOUT:?}");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its response.
    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.expect(&format!("`{method}` response"), &|m| m["id"] == id)
    }

    /// `initialize` (request 1) with these parameters, then `initialized`; returns the response.
    fn initialize(&mut self, params: Value) -> Value {
        let response = self.request(1, "initialize", params);
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, language: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": version, "text": text } }),
        );
    }

    /// `didChange` with these content changes.
    fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    /// `didChange` replacing a range given in 0-based lines and UTF-16 columns.
    fn edit(
        &mut self,
        uri: &str,
        version: i32,
        start: (usize, usize),
        end: (usize, usize),
        text: &str,
    ) {
        self.change(
            uri,
            version,
            json!([ { "range": { "start": { "line": start.0, "character": start.1 },
                                 "end": { "line": end.0, "character": end.1 } }, "text": text } ]),
        );
    }

    fn save(&mut self, uri: &str) {
        self.notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    /// The next `publishDiagnostics` for `uri`: the whole message.
    fn publication(&mut self, uri: &str) -> Value {
        self.expect("publishDiagnostics", &|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })
    }

    /// The diagnostics of the next `publishDiagnostics` for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.publication(uri);
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// The diagnostics of the next `publishDiagnostics` for each of `uris`, whatever their order.
    fn diagnostics_of(&mut self, uris: &[&str]) -> BTreeMap<String, Vec<Value>> {
        let mut seen = BTreeMap::new();
        while seen.len() < uris.len() {
            let m = self.expect("publishDiagnostics", &|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && uris.iter().any(|u| m["params"]["uri"] == *u)
            });
            let uri = m["params"]["uri"].as_str().unwrap().to_string();
            seen.entry(uri)
                .or_insert_with(|| m["params"]["diagnostics"].as_array().unwrap().clone());
        }
        seen
    }

    /// `shutdown` (request `id`), which must succeed, then `exit`.
    fn shutdown_and_exit(&mut self, id: i64) {
        let m = self.request(id, "shutdown", Value::Null);
        assert_eq!(m["result"], Value::Null, "{m}");
        assert!(m.get("error").is_none(), "{m}");
        self.notify("exit", Value::Null);
    }
}

/// The server loop of the library in a thread, over an in-memory connection.
pub struct Memory {
    connection: lsp_server::Connection,
    server: JoinHandle<Result<i32, String>>,
}

impl Memory {
    pub fn start() -> Memory {
        let (server, connection) = lsp_server::Connection::memory();
        let server = std::thread::spawn(move || batchguard::lsp::serve(&server));
        Memory { connection, server }
    }

    /// Waits for the server loop to end (after `exit`); its exit code.
    pub fn join(self) -> Result<i32, String> {
        self.server
            .join()
            .expect("the server thread does not panic")
    }
}

impl Client for Memory {
    fn send(&mut self, message: Value) {
        let m: lsp_server::Message = serde_json::from_value(message).expect("a valid message");
        self.connection
            .sender
            .send(m)
            .expect("the server is running");
    }
    fn recv(&mut self, timeout: Duration) -> Option<Value> {
        let m = self.connection.receiver.recv_timeout(timeout).ok()?;
        Some(serde_json::to_value(m).unwrap())
    }
}

/// `batchguard lsp` as a child process, over pipes.
pub struct Pipes {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
}

impl Pipes {
    /// Starts `binary lsp` (standard error discarded).
    pub fn spawn(binary: &Path) -> Pipes {
        let mut command = Command::new(binary);
        command.arg("lsp");
        Pipes::spawn_command(command)
    }

    /// Starts a command that runs the server (under a tracer, say).
    pub fn spawn_command(mut command: Command) -> Pipes {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("batchguard lsp starts");
        let (tx, incoming) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || read_framed(out, tx));
        let stdin = child.stdin.take().unwrap();
        Pipes {
            child,
            stdin,
            incoming,
        }
    }

    /// Waits for the process to end (after `exit`); kills it and panics after [`TIMEOUT`].
    pub fn wait(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("batchguard lsp did not exit after `exit`");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Pipes {
    /// Writes bytes as they are, framed or not.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }
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

/// Reads `Content-Length`-framed messages until the stream ends.
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

/// The `file:` URI of an absolute path, percent-encoded as editors send it.
pub fn file_uri(path: &Path) -> String {
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

/// 0-based line and UTF-16 column of the first `needle` in `text`.
pub fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].encode_utf16().count())
}
