//! What each fuzz target does with its input, in one place: the targets in `fuzz_targets/` call
//! these functions, and `tests/fuzz_regressions.rs` feeds the minimized inputs kept under
//! `testdata/fuzz/<target>/` through the same ones (`#[path = "../fuzz/src/lib.rs"]`), so a crash
//! the fuzzer found stays fixed in `cargo test`.
//!
//! Every function returns normally on any input; a panic, an endless loop or unbounded memory is
//! the bug the fuzzer looks for. Uses `batchguard`, `serde_json` and `lsp-server` only.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use batchguard::eval::arm::expr::{self, Env, EvalValue};
use batchguard::findings::Report;
use batchguard::frontend::{self, InputKind};
use batchguard::ir::{Document, Span};
use batchguard::source::SourceFile;

/// Splits a two-file input: what comes before the first separator line is the first file, what
/// comes after it the second (`tf_module`: `main.tf` then `terraform.tfvars`; `arm_pipeline`:
/// `azuredeploy.json` then `azuredeploy.parameters.json`).
pub const SEPARATOR: &[u8] = b"\n#%%\n";

pub fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        Some(i) => (&data[..i], Some(&data[i + SEPARATOR.len()..])),
        None => (data, None),
    }
}

/// The bytes of a file as the scan reads them: UTF-8 text, or (not UTF-8) the text with invalid
/// sequences replaced, which the scan reports and does not parse.
pub fn decode(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes).ok().map(str::to_string)
}

/// Spans are byte ranges into `SourceFile::text` (ARCHITECTURE.md, invariants): a front-end's
/// spans must lie inside the text it read.
fn check_span(file: &SourceFile, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= file.text.len(),
        "{what} span {}..{} outside a text of {} bytes",
        span.start,
        span.end,
        file.text.len()
    );
    // Lines and columns of both ends, as every reporter computes them.
    file.position(span.start);
    file.position(span.end);
}

fn check_document(file: &SourceFile, doc: &Document) {
    for n in &doc.notices {
        check_span(file, n.span, "notice");
    }
    for r in &doc.resources {
        check_span(file, r.span, "resource");
        check_span(file, r.header, "resource header");
        check_span(file, r.name_span, "resource name");
    }
}

/// `arm_frontend`: the bytes as a `.json` file through the ARM front-end.
pub fn arm_frontend(data: &[u8]) {
    let Some(text) = decode(data) else {
        return;
    };
    let file = SourceFile::new(
        0,
        "azuredeploy.json".into(),
        "azuredeploy.json".into(),
        &text,
    );
    if let Some(doc) = frontend::arm::load(&file) {
        check_document(&file, &doc);
    }
}

/// `hcl_frontend`: the bytes as a `.tf` file and as a `.tfvars` file through the Terraform
/// front-end.
pub fn hcl_frontend(data: &[u8]) {
    let Some(text) = decode(data) else {
        return;
    };
    for (name, kind) in [
        ("main.tf", InputKind::Terraform),
        ("terraform.tfvars", InputKind::Tfvars),
    ] {
        let file = SourceFile::new(0, name.into(), name.into(), &text);
        let parsed = frontend::terraform::load(&file, kind);
        check_document(&file, &parsed.doc);
    }
}

/// A small template context for `arm_expr`: a few parameters and variables of every JSON type,
/// two copy loops, and a work budget like the one a template of the expression's size gets.
struct FuzzEnv {
    parameters: Vec<(&'static str, Rc<EvalValue>)>,
    variables: Vec<(&'static str, Rc<EvalValue>)>,
    left: Cell<usize>,
    exceeded: RefCell<usize>,
}

impl FuzzEnv {
    fn new(size: usize) -> FuzzEnv {
        use EvalValue::*;
        let s = |t: &str| Str(t.to_string());
        let object = Object(vec![
            ("name".into(), s("acct")),
            ("count".into(), Num(3.0)),
            ("enabled".into(), Bool(true)),
            (
                "rules".into(),
                Array(vec![
                    Object(vec![
                        ("port".into(), s("22")),
                        ("access".into(), s("Allow")),
                    ]),
                    Object(vec![
                        ("port".into(), Num(3389.0)),
                        ("prefix".into(), s("*")),
                    ]),
                ]),
            ),
            ("nothing".into(), Null),
        ]);
        let parameters = vec![
            ("location", s("westeurope")),
            ("name", s("pool-1")),
            ("count", Num(2.0)),
            ("enabled", Bool(false)),
            (
                "prefixes",
                Array(vec![s("10.0.0.0/16"), s("Internet"), s("*")]),
            ),
            ("config", object.clone()),
            ("none", Null),
            ("unknown", Unknown),
        ];
        let variables = vec![
            (
                "subnetId",
                s("/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"),
            ),
            ("ports", Array(vec![Num(22.0), Num(3389.0), s("443")])),
            ("settings", object),
            ("empty", Array(vec![])),
        ];
        let rc = |v: Vec<(&'static str, EvalValue)>| {
            v.into_iter().map(|(k, v)| (k, Rc::new(v))).collect()
        };
        FuzzEnv {
            parameters: rc(parameters),
            variables: rc(variables),
            // eval/arm: 4,000,000 units plus 200 per byte of the template.
            left: Cell::new(4_000_000 + 200 * size),
            exceeded: RefCell::new(0),
        }
    }

    fn find(list: &[(&'static str, Rc<EvalValue>)], name: &str) -> Option<Rc<EvalValue>> {
        list.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

impl Env for FuzzEnv {
    fn parameter(&self, name: &str) -> EvalValue {
        FuzzEnv::find(&self.parameters, name).map_or(EvalValue::Unknown, |v| (*v).clone())
    }
    fn variable(&self, name: &str) -> EvalValue {
        FuzzEnv::find(&self.variables, name).map_or(EvalValue::Unknown, |v| (*v).clone())
    }
    fn copy_index(&self, name: Option<&str>) -> Option<i64> {
        match name {
            None => Some(1),
            Some(n) if n.eq_ignore_ascii_case("rules") => Some(0),
            Some(_) => None,
        }
    }
    fn charge(&self, units: usize) -> bool {
        let left = self.left.get();
        if left < units {
            self.left.set(0);
            return false;
        }
        self.left.set(left - units);
        true
    }
    fn shared(&self, function: &str, name: &str) -> Option<Rc<EvalValue>> {
        let list = match function {
            "parameters" => &self.parameters,
            "variables" => &self.variables,
            _ => return None,
        };
        Some(FuzzEnv::find(list, name).unwrap_or_else(|| Rc::new(EvalValue::Unknown)))
    }
    fn locate(&self, at: (usize, usize)) -> Option<Span> {
        (at.0 <= at.1).then(|| Span::new(0, at.0, at.1))
    }
    fn exceeded(&self, _what: &str) {
        *self.exceeded.borrow_mut() += 1;
    }
}

/// `arm_expr`: the bytes as the inside of an ARM expression (`[` … `]`), parsed and evaluated
/// without a context and with a small one.
pub fn arm_expr(data: &[u8]) {
    let Ok(inner) = std::str::from_utf8(data) else {
        return;
    };
    let text = format!("[{inner}]");
    let Ok(e) = expr::parse(&text) else {
        return;
    };
    let _ = e.to_string();
    let env = FuzzEnv::new(text.len());
    for value in [expr::eval(&e), expr::eval_in(&e, &env)] {
        let _ = value.is_fully_known();
        let _ = value.truth();
        let _ = value.size();
        if let Some(parts) = value.parts() {
            let _ = expr::partial_expression(&parts);
            let _ = expr::parse_resource_id(&parts);
        }
        if let Some(s) = value.as_str() {
            let _ = expr::resource_id_of(s);
        }
    }
    let located = expr::eval_located(&e, &env);
    let mut origins = Vec::new();
    located.all_origins(&mut origins);
    let _ = located.plain();
    let _ = expr::resource_id_of(&text);
}

/// A directory of this process and thread for the files of one input, under the temporary
/// directory (`TMPDIR`), emptied for each input. Outside the repository on purpose: a scan reads
/// the `.gitignore` files above its root.
pub fn workdir(target: &str) -> PathBuf {
    thread_local! {
        static DIR: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
    }
    let dir = DIR.with(|d| {
        d.borrow_mut()
            .get_or_insert_with(|| {
                sweep_stale_workdirs();
                let id = thread_number();
                std::env::temp_dir().join(format!(
                    "batchguard-fuzz-{target}-{}-{id}",
                    std::process::id()
                ))
            })
            .clone()
    });
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir.canonicalize().expect("the work directory exists")
}

/// Removes the work directories of processes that have ended: libFuzzer leaves through
/// `exit`, so a run cannot clean up after itself. Where `/proc` cannot tell whether a process
/// lives, nothing is removed.
fn sweep_stale_workdirs() {
    if Path::new("/proc/self").exists() {
        remove_workdirs(|pid, _| !Path::new("/proc").join(pid.to_string()).exists());
    }
}

/// Removes the work directories of this process and thread, for a caller that is done with
/// them (a test; other tests of the process may still be using theirs).
pub fn remove_own_workdirs() {
    let thread = thread_number();
    remove_workdirs(|pid, t| pid == std::process::id() && t == thread);
}

fn thread_number() -> String {
    format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

fn remove_workdirs(remove: impl Fn(u32, &str) -> bool) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix("batchguard-fuzz-"))
        else {
            continue;
        };
        // batchguard-fuzz-TARGET-PID-THREAD
        let mut parts = rest.rsplitn(3, '-');
        let (thread, pid) = (parts.next().unwrap_or(""), parts.next());
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if remove(pid, thread) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `batchguard scan DIR` as the command line runs it, every report format rendered.
pub fn scan_dir(root: &Path) {
    let _ = scan_rendered(root);
}

/// [`scan_dir`], its SARIF returned; `None` when the folder's settings or files cannot be read.
fn scan_rendered(root: &Path) -> Option<String> {
    let given = batchguard::settings::Given::default();
    let cfg = batchguard::settings::scan_config(root, vec![root.to_path_buf()], &given).ok()?;
    let loaded = batchguard::scan::load(&cfg).ok()?;
    let out = batchguard::scan::analyse(loaded, &cfg);
    let report = Report {
        files: &out.files,
        findings: &out.findings,
        notifications: &out.notifications,
        root_uri: Some(batchguard::report::sarif::root_uri(&out.root)),
    };
    let rules = batchguard::rules::metas();
    let sarif = batchguard::report::sarif::render(&report, &rules, "0.0.0");
    let _ = batchguard::report::json::render(&report);
    let _ = batchguard::report::console::render(&report, false);
    let _ = batchguard::report::github::render(&report);
    Some(sarif)
}

/// Writes the two parts of a split input into a fresh work directory and scans it.
fn scan_pair(target: &str, data: &[u8], first: &str, second: &str) {
    scan_dir(&write_pair(target, data, first, second));
}

/// Writes the two parts of a split input into a fresh work directory, which it returns.
fn write_pair(target: &str, data: &[u8], first: &str, second: &str) -> PathBuf {
    let dir = workdir(target);
    let (a, b) = split(data);
    std::fs::write(dir.join(first), a).expect("writable");
    if let Some(b) = b {
        std::fs::write(dir.join(second), b).expect("writable");
    }
    dir
}

/// `tf_module`: `main.tf` (and, after the separator, `terraform.tfvars`) as a module, scanned
/// with the module evaluated whole and again in parts (every top-level block a part, where there
/// are threads for them), which must give the same SARIF.
pub fn tf_module(data: &[u8]) {
    use batchguard::eval::terraform::parts::{PART_BYTES, PART_BYTES_IN_FORCE};
    use std::sync::atomic::Ordering;
    let dir = write_pair("tf_module", data, "main.tf", "terraform.tfvars");
    PART_BYTES_IN_FORCE.store(usize::MAX / 4, Ordering::Relaxed);
    let whole = scan_rendered(&dir);
    PART_BYTES_IN_FORCE.store(1, Ordering::Relaxed);
    let parts = scan_rendered(&dir);
    PART_BYTES_IN_FORCE.store(PART_BYTES, Ordering::Relaxed);
    assert!(
        whole == parts,
        "the module evaluated in parts gives another result than evaluated whole"
    );
}

/// `tfjson_pipeline`: `main.tf.json` through the Terraform front-end (Terraform's JSON syntax,
/// translated to HCL), then with `terraform.tfvars.json` after the separator, scanned.
pub fn tfjson_pipeline(data: &[u8]) {
    if let Some(text) = decode(data) {
        let file = SourceFile::new(0, "main.tf.json".into(), "main.tf.json".into(), &text);
        let parsed = frontend::terraform::load(&file, InputKind::Terraform);
        check_document(&file, &parsed.doc);
    }
    scan_pair(
        "tfjson_pipeline",
        data,
        "main.tf.json",
        "terraform.tfvars.json",
    );
}

/// `arm_pipeline`: `azuredeploy.json` (and, after the separator, `azuredeploy.parameters.json`),
/// scanned.
pub fn arm_pipeline(data: &[u8]) {
    scan_pair(
        "arm_pipeline",
        data,
        "azuredeploy.json",
        "azuredeploy.parameters.json",
    );
}

/// `bicep_pipeline`: `main.bicep` (and, after the separator, `main.bicepparam`), each through
/// the Bicep front-end, then scanned together.
pub fn bicep_pipeline(data: &[u8]) {
    if let Some(text) = decode(data) {
        for (name, template) in [("main.bicep", true), ("main.bicepparam", false)] {
            let file = SourceFile::new(0, name.into(), name.into(), &text);
            let doc = if template {
                frontend::bicep::load(&file)
            } else {
                frontend::bicep::load_params(&file)
            };
            check_document(&file, &doc);
        }
    }
    scan_pair("bicep_pipeline", data, "main.bicep", "main.bicepparam");
}

/// How long `lsp` pauses on a `wait` line: longer than the server's quiet time before it
/// analyses ([`batchguard::lsp::DEBOUNCE`]), so that the folder is analysed.
const LSP_PAUSE: Duration = Duration::from_millis(200);
/// `wait` lines honoured per input; more are ignored, to keep each input quick.
const LSP_MAX_PAUSES: usize = 1;

/// A `file:` URI of the input, moved into the work directory: the server only ever reads the
/// folder of a document it was sent, and the fuzzer must not make it read the machine's. A URI
/// whose path is already a file directly in `dir` is kept as written (percent-encoding and all).
fn confine_uri(uri: &str, dir: &Path) -> String {
    let base = batchguard::report::sarif::root_uri(dir);
    let base = base.trim_end_matches('/');
    let name = uri.rsplit('/').next().unwrap_or("");
    let kept = format!("{base}/{name}");
    let inside = |u: &str| {
        batchguard::lsp::file_path(u).is_some_and(|p| {
            p.parent() == Some(dir)
                && p.components()
                    .all(|c| matches!(c, Component::RootDir | Component::Normal(_)))
        })
    };
    if inside(uri) {
        return uri.to_string();
    }
    if inside(&kept) {
        return kept;
    }
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let clean = clean.trim_start_matches('.');
    format!(
        "{base}/{}",
        if clean.is_empty() { "main.tf" } else { clean }
    )
}

pub fn confine(value: &mut serde_json::Value, dir: &Path) {
    use serde_json::Value as J;
    match value {
        J::String(s) if s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("file:")) => {
            *s = confine_uri(s, dir);
        }
        J::Array(a) => a.iter_mut().for_each(|v| confine(v, dir)),
        J::Object(m) => m.values_mut().for_each(|v| confine(v, dir)),
        _ => {}
    }
}

/// `lsp`: a conversation with the language server, one JSON-RPC message per line (the server's
/// message level: what `lsp_server` hands the loop once a frame is read). The harness does the
/// handshake (with the parameters of the input's first message when it is `initialize`), sends
/// every line that is a message, pauses on a line `wait` so that the server analyses what it was
/// sent, and ends with `shutdown` and `exit`. Lines that are not JSON-RPC messages are skipped.
/// Every `file:` URI is moved into a fresh work directory ([`confine_uri`]).
pub fn lsp(data: &[u8]) {
    use lsp_server::{Message, Notification, Request, RequestId};
    let dir = workdir("lsp");
    let mut messages: Vec<Option<Message>> = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        if line.trim_ascii() == b"wait" {
            messages.push(None);
            continue;
        }
        let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        confine(&mut value, &dir);
        if let Ok(m) = serde_json::from_value::<Message>(value) {
            messages.push(Some(m));
        }
    }
    let mut init = serde_json::json!({ "capabilities": {} });
    if let Some(Some(Message::Request(r))) = messages.first() {
        if r.method == "initialize" {
            init = r.params.clone();
            messages.remove(0);
        }
    }

    let (server, client) = lsp_server::Connection::memory();
    let thread = std::thread::spawn(move || batchguard::lsp::serve(&server));
    let lsp_server::Connection { sender, receiver } = client;
    // A send fails once the server has ended (after an `exit` of the input): the rest is moot.
    let _ = sender.send(Request::new(RequestId::from(0), "initialize".into(), init).into());
    let _ = sender.send(Notification::new("initialized".into(), serde_json::json!({})).into());
    let mut pauses = 0;
    for m in messages {
        match m {
            Some(m) => {
                let _ = sender.send(m);
            }
            None if pauses < LSP_MAX_PAUSES => {
                pauses += 1;
                std::thread::sleep(LSP_PAUSE);
            }
            None => {}
        }
    }
    let _ = sender.send(
        Request::new(
            RequestId::from("fuzz-shutdown".to_string()),
            "shutdown".into(),
            serde_json::Value::Null,
        )
        .into(),
    );
    let _ = sender.send(Notification::new("exit".into(), serde_json::Value::Null).into());
    drop(sender);
    // The server answers into `receiver`, which stays open until it has ended.
    let _ = thread.join().expect("the server loop does not panic");
    drop(receiver);
}

/// `rule_file`: the bytes as a custom rule file, compiled; when it compiles, its rules' own
/// inline tests are run (each snippet scanned with the rules), and each rule once more on a
/// template with a resource of each type it names, written with nested objects, arrays and
/// values that cannot be known. A compiled rule's metadata lives for the process on purpose,
/// reachable from the registry of custom rules; a rule file with an error leaks nothing.
pub fn rule_file(data: &[u8]) {
    use batchguard::rules::custom::{Pack, TestCase};
    use std::sync::Arc;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut rules) = batchguard::controls::rulefile::compile(Path::new("fuzz.toml"), text)
    else {
        return;
    };
    for r in &mut rules {
        let resources: Vec<String> = r
            .types
            .iter()
            .map(|t| {
                format!(
                    r#"{{"type": {t:?}, "apiVersion": "2024-01-01", "name": "a/b/c", "location": "[parameters('p')]", "tags": {{"owner": "x"}},
  "identity": {{"type": "UserAssigned"}}, "sku": {{"name": "Standard"}},
  "properties": {{"a": [1, "2", {{"b": null, "c": [true, "[parameters('p')]"]}}], "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
    "securityRules": [{{"name": "r", "properties": {{"priority": 100, "access": "Allow", "direction": "Inbound", "sourceAddressPrefix": "*"}}}}]}}}}"#
                )
            })
            .collect();
        r.tests.push(TestCase {
            name: "fuzz".into(),
            file_name: "main.json".into(),
            snippet: format!(
                "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"parameters\": {{\"p\": {{\"type\": \"string\"}}}}, \"resources\": [{}]}}",
                resources.join(",\n")
            ),
            expect: Vec::new(),
            line: 1,
        });
    }
    let pack = Pack {
        rules: Arc::new(rules.into_iter().map(Arc::new).collect()),
        sources: Default::default(),
    };
    for result in batchguard::testrules::run_pack(&pack) {
        let _ = result.passed();
    }
}
