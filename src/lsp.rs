//! `batchguard lsp`: a language server over standard input and output, so that editors show
//! batchguard's findings while a template is being written.
//!
//! The server keeps the text of every open `.tf`, `.tfvars`, `.json`, `.bicep` and `.bicepparam`
//! document. After a document opens or changes, and once no message has arrived for [`DEBOUNCE`]
//! (or at the latest after [`MAX_DELAY`] of continuous typing), it analyses the document's folder
//! exactly as `batchguard scan FOLDER` would, with the unsaved text of the open documents in place
//! of what is on disk and the folder's other files read from disk (so that a variable in
//! `variables.tf` resolves while `main.tf` is edited, and a template is read with its parameters
//! file). The diagnostics of every open document of that folder follow: the rule id as `code`, a
//! link to the rule's documentation, the level as severity, UTF-16 ranges, and the related
//! locations. Files that cannot be parsed are diagnostics too; whatever goes wrong during an
//! analysis is logged to standard error and the server keeps running.
//!
//! Each analysis of a folder uses again what the last one left unchanged ([`incremental`]): the
//! parsed documents of the files whose text is the same, and the results of the units (an ARM
//! template with its parameters file, the folder's Terraform module) none of whose files changed;
//! other settings or another list of inputs keep nothing. The result is the full analysis's.
//!
//! A document with no folder on disk, an `untitled:` buffer or a file in a folder not created
//! yet, is analysed from the open buffers of its folder alone (an `untitled:` document is a folder
//! of its own), its syntax told by its name or, without a name batchguard knows, by the client's
//! language id; once saved, it joins its folder on disk.
//!
//! Diagnostics are pushed (`textDocument/publishDiagnostics`), or, for a client that declares
//! pull diagnostics, answered to `textDocument/diagnostic` (see [`Server::pull`]). When the client
//! can watch files, the server asks it to report changes to the files batchguard reads
//! (`workspace/didChangeWatchedFiles`) and analyses again the folders whose analysis read them.
//!
//! The settings are those of `batchguard scan` run in the folder of the `batchguard.toml` that
//! governs the document (found upward; without one, in the document's folder), made by
//! [`settings::scan_config`]: the file's rule selection, options, `var_files` and `[parameters]`,
//! then the client's `initializationOptions`, `{"options": {"redundant_rules": "true"}}`, which
//! sets rule options as `--option` does. Where `batchguard scan` would stop on a bad setting, the
//! folder is not analysed: the problem is an error diagnostic at the top of each of its open
//! documents and, when it is written in `batchguard.toml`, at its place there; saving the file
//! analyses the folders it governs again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    ApplyWorkspaceEdit, CodeActionRequest, DocumentDiagnosticRequest, ExecuteCommand, HoverRequest,
    RegisterCapability, Request as _, WorkspaceDiagnosticRefresh,
};
use lsp_types::{
    ApplyWorkspaceEditParams, CodeActionKind, CodeActionOptions, CodeActionOrCommand,
    CodeActionParams, CodeActionProviderCapability, CodeDescription, Diagnostic, DiagnosticOptions,
    DiagnosticRelatedInformation, DiagnosticServerCapabilities, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, ExecuteCommandOptions,
    ExecuteCommandParams, FileSystemWatcher, FullDocumentDiagnosticReport, GlobPattern, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, Location, MarkupContent,
    MarkupKind, MessageType, NumberOrString, Position, PublishDiagnosticsParams, Range,
    Registration, RegistrationParams, RelatedFullDocumentDiagnosticReport, SaveOptions,
    ServerCapabilities, ShowMessageParams, TextDocumentContentChangeEvent,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use crate::controls::config::{self, Config, ConfigError, FILE_NAME};
use crate::findings::{Level, Notification as ScanNotification};
use crate::report::{file_by_id, region};
use crate::rules;
use crate::rules::query::verdicts::RuleVerdict;
use crate::scan::{Overrides, ScanOutput};
use crate::settings::{self, Given};
use crate::source::SourceFile;

/// Quiet time after the last message before a changed folder is analysed again.
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// Longest wait for an analysis while changes keep arriving.
pub const MAX_DELAY: Duration = Duration::from_millis(1000);

mod actions;
mod framing;
mod hover;
pub mod incremental;

/// Runs the server on standard input and output; returns the process exit code (0 after
/// `shutdown` then `exit`, 1 otherwise, as the protocol asks).
///
/// Frames are read by [`framing`], which answers a malformed one with a JSON-RPC parse error and
/// reads on; the server's messages are written by a thread of their own.
pub fn run_stdio() -> i32 {
    let (connection, client) = Connection::memory();
    let (to_server, from_server) = (client.sender, client.receiver);
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        for m in from_server {
            let mut out = stdout.lock();
            if m.write(&mut out)
                .and_then(|_| std::io::Write::flush(&mut out))
                .is_err()
            {
                return;
            }
        }
    });
    // Not joined: it may wait on standard input after the server has ended.
    std::thread::spawn(move || framing::read_stdin(|m| to_server.send(m).is_ok()));
    let code = match serve(&connection) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("batchguard lsp: {e}");
            1
        }
    };
    drop(connection);
    if writer.join().is_err() {
        eprintln!("batchguard lsp: the writer of standard output failed");
    }
    code
}

/// The identifier of batchguard's pulled diagnostics, under which the client keeps them.
pub const DIAGNOSTICS_IDENTIFIER: &str = "batchguard";

/// What the client is asked to watch: the files a folder's analysis may read, and the settings.
pub const WATCHED: &[&str] = &[
    "**/*.tf",
    "**/*.tf.json",
    "**/*.tfvars",
    "**/*.tfvars.json",
    "**/*.json",
    "**/*.bicep",
    "**/*.bicepparam",
    // batchguard.toml, and the custom rule files it names, wherever they are.
    "**/*.toml",
];

/// The capabilities batchguard announces: incremental text sync with open, close and save; pull
/// diagnostics (a document's diagnostics depend on the other files of its folder); quick fixes and
/// the "fix all" source action; hover; the `batchguard.fixAll` command.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL_KIND),
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some(DIAGNOSTICS_IDENTIFIER.into()),
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            ..DiagnosticOptions::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![actions::FIX_ALL.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on `connection`: the initialize handshake, then the message loop until
/// `exit`. Returns the exit code.
pub fn serve(connection: &Connection) -> Result<i32, String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let raw = params.clone();
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "batchguard", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, init.initialization_options.as_ref());
    server.caps = client_caps(&init.capabilities);
    server.diagnostics = diagnostics_caps(&init.capabilities, &raw);
    if init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
    {
        server.watch_files();
    }
    server.run()
}

/// How the client takes diagnostics.
#[derive(Debug, Clone, Copy, Default)]
struct DiagnosticsCaps {
    /// It pulls them (`textDocument/diagnostic`); otherwise they are pushed.
    pull: bool,
    /// It pulls again when asked to (`workspace/diagnostic/refresh`).
    refresh: bool,
}

fn diagnostics_caps(c: &lsp_types::ClientCapabilities, raw: &serde_json::Value) -> DiagnosticsCaps {
    DiagnosticsCaps {
        pull: c
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some()),
        // Read from the message itself: the protocol names it `workspace.diagnostics`, which
        // lsp-types 0.97 reads as `workspace.diagnostic`.
        refresh: raw["capabilities"]["workspace"]["diagnostics"]["refreshSupport"]
            .as_bool()
            .unwrap_or(false),
    }
}

/// What the client can take, from its capabilities.
fn client_caps(c: &lsp_types::ClientCapabilities) -> actions::Caps {
    let text = c.text_document.as_ref();
    actions::Caps {
        document_changes: c
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
        disabled: text
            .and_then(|t| t.code_action.as_ref())
            .and_then(|a| a.disabled_support)
            .unwrap_or(false),
        markdown: text
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_some_and(|f| f.contains(&MarkupKind::Markdown)),
    }
}

/// A folder's last analysis, kept for code actions and hover while documents of it are open,
/// and for the next analysis of the folder, which uses again what its edits left unchanged.
struct Analysis {
    out: ScanOutput,
    verdicts: Vec<RuleVerdict>,
    /// The version of each open document the analysis read.
    versions: HashMap<PathBuf, i32>,
    /// The parsed documents and unit results the next analysis may use again.
    kept: incremental::Kept,
    /// The custom rule files the analysis ran (a change to one analyses the folder again).
    rule_files: Vec<PathBuf>,
}

/// Names the files of an analysis for edits: an open document by its URI and the version the
/// analysis read, any other file by its path.
struct Targets<'a> {
    documents: &'a BTreeMap<PathBuf, Document>,
    versions: &'a HashMap<PathBuf, i32>,
}

impl actions::Target for Targets<'_> {
    fn target(&self, path: &Path) -> Option<(Uri, Option<i32>)> {
        match self.documents.get(path) {
            Some(doc) => Some((
                doc.uri.clone(),
                Some(self.versions.get(path).copied().unwrap_or(doc.version)),
            )),
            None => Some((path_uri(path)?, None)),
        }
    }
}

/// An open document: the client's URI, version and current text, and the diagnostics of its last
/// analysis.
struct Document {
    uri: Uri,
    version: i32,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

struct Server<'c> {
    connection: &'c Connection,
    /// Open documents by canonical path.
    documents: BTreeMap<PathBuf, Document>,
    /// Folders to analyse again, and when the oldest of those changes arrived.
    pending: BTreeSet<PathBuf>,
    pending_since: Option<Instant>,
    /// The client's settings, on top of each folder's `batchguard.toml`.
    given: Given,
    /// Configuration files on which an error is shown.
    config_errors: BTreeSet<PathBuf>,
    shutdown_requested: bool,
    /// The last analysis of each folder with open documents.
    analyses: HashMap<PathBuf, Analysis>,
    caps: actions::Caps,
    diagnostics: DiagnosticsCaps,
    /// Pull requests waiting for the analysis of their document's folder.
    pulls: Vec<(lsp_server::RequestId, PathBuf)>,
    /// The id of the next request the server sends.
    next_id: i32,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, init_options: Option<&serde_json::Value>) -> Server<'c> {
        let mut given = Given::default();
        if let Some(map) = init_options
            .and_then(|v| v.get("options"))
            .and_then(|v| v.as_object())
        {
            for (k, v) in map {
                let value = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                given.options.push((k.clone(), value));
            }
        }
        Server {
            connection,
            documents: BTreeMap::new(),
            pending: BTreeSet::new(),
            pending_since: None,
            given,
            config_errors: BTreeSet::new(),
            shutdown_requested: false,
            analyses: HashMap::new(),
            caps: actions::Caps::default(),
            diagnostics: DiagnosticsCaps::default(),
            pulls: Vec::new(),
            next_id: 1,
        }
    }

    fn run(&mut self) -> Result<i32, String> {
        loop {
            let message = if self.pending.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(1),
                }
            } else {
                let overdue = self.pending_since.is_some_and(|t| t.elapsed() >= MAX_DELAY);
                let wait = if overdue { Duration::ZERO } else { DEBOUNCE };
                match self.connection.receiver.recv_timeout(wait) {
                    Ok(m) if !overdue => m,
                    Ok(m) => {
                        self.analyse_pending();
                        m
                    }
                    Err(e) if e.is_timeout() => {
                        self.analyse_pending();
                        continue;
                    }
                    Err(_) => return Ok(1),
                }
            };
            match message {
                Message::Request(req) => self.on_request(req),
                Message::Response(_) => {}
                Message::Notification(n) if n.method == "exit" => {
                    return Ok(if self.shutdown_requested { 0 } else { 1 });
                }
                Message::Notification(n) => self.on_notification(n),
            }
        }
    }

    fn send(&self, message: Message) {
        if let Err(e) = self.connection.sender.send(message) {
            eprintln!("batchguard lsp: cannot send to the client: {e}");
        }
    }

    fn on_request(&mut self, req: Request) {
        let response = if self.shutdown_requested {
            Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            )
        } else if req.method == "shutdown" {
            self.shutdown_requested = true;
            self.pending.clear();
            self.answer_pulls();
            Response::new_ok(req.id, ())
        } else if req.method == DocumentDiagnosticRequest::METHOD {
            match serde_json::from_value::<DocumentDiagnosticParams>(req.params) {
                Ok(p) => {
                    self.pull(req.id, &p.text_document.uri);
                    return;
                }
                Err(e) => invalid(req.id, e),
            }
        } else if req.method == CodeActionRequest::METHOD {
            match serde_json::from_value::<CodeActionParams>(req.params) {
                Ok(p) => Response::new_ok(req.id, self.code_actions(p)),
                Err(e) => invalid(req.id, e),
            }
        } else if req.method == HoverRequest::METHOD {
            match serde_json::from_value::<HoverParams>(req.params) {
                Ok(p) => Response::new_ok(req.id, self.hover(p)),
                Err(e) => invalid(req.id, e),
            }
        } else if req.method == ExecuteCommand::METHOD {
            match serde_json::from_value::<ExecuteCommandParams>(req.params) {
                Ok(p) if p.command == actions::FIX_ALL => {
                    let uri = p
                        .arguments
                        .first()
                        .and_then(|a| a.as_str())
                        .map(str::to_string);
                    match uri.and_then(|u| Uri::from_str(&u).ok()) {
                        Some(uri) => {
                            let result = self.fix_all(&uri);
                            Response::new_ok(req.id, result)
                        }
                        None => Response::new_err(
                            req.id,
                            ErrorCode::InvalidParams as i32,
                            format!("`{}` takes the URI of a document", actions::FIX_ALL),
                        ),
                    }
                }
                Ok(p) => Response::new_err(
                    req.id,
                    ErrorCode::InvalidParams as i32,
                    format!("batchguard has no command `{}`", p.command),
                ),
                Err(e) => invalid(req.id, e),
            }
        } else {
            Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("batchguard does not handle `{}`", req.method),
            )
        };
        self.send(response.into());
    }

    /// `textDocument/diagnostic`: the diagnostics of an open document, answered once the changes
    /// waiting for its folder are analysed (so that a client that pulls after each change does
    /// not defeat the debounce); none for a document that is not open.
    ///
    /// A client that pulls is not also sent the same diagnostics by `publishDiagnostics`: VS Code
    /// (vscode-languageclient 9) and Neovim (0.10 on) keep the pushed and the pulled diagnostics
    /// of a server apart and would show each finding twice, as the maintainers of the protocol
    /// intended pull to replace push for a client that declares it (ruff's server does the same).
    /// Only `batchguard.toml`, which no client pulls for, is still pushed. When an analysis
    /// changes the diagnostics of documents that did not ask (the other files of the folder, or
    /// all of them after a change on disk), a client that can is asked to pull again
    /// (`workspace/diagnostic/refresh`).
    fn pull(&mut self, id: lsp_server::RequestId, uri: &Uri) {
        match self.key_of(uri) {
            Some(key) if self.documents.contains_key(&key) => {
                self.pulls.push((id, key));
                self.answer_pulls();
            }
            _ => self.send(pull_response(id, Vec::new()).into()),
        }
    }

    /// Answers the pull requests whose document's folder has no change waiting.
    fn answer_pulls(&mut self) {
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pulls)
            .into_iter()
            .partition(|(_, key)| key.parent().is_none_or(|f| !self.pending.contains(f)));
        self.pulls = waiting;
        for (id, key) in ready {
            let items = self
                .documents
                .get(&key)
                .map(|d| d.diagnostics.clone())
                .unwrap_or_default();
            self.send(pull_response(id, items).into());
        }
    }

    /// Analyses now the folder of `key` if a change to it is waiting, so that what is answered
    /// matches the text the editor has.
    fn fresh(&mut self, key: &Path) {
        let Some(folder) = key.parent() else {
            return;
        };
        if self.pending.remove(folder) {
            if self.pending.is_empty() {
                self.pending_since = None;
            }
            self.analyse_folder(folder);
        }
    }

    /// The folder whose analysis holds an open document, and the document's file there, brought
    /// up to date.
    fn analysed(&mut self, uri: &Uri) -> Option<(PathBuf, usize)> {
        let key = self.key_of(uri)?;
        self.documents.get(&key)?;
        self.fresh(&key);
        let folder = key.parent()?.to_path_buf();
        let analysis = self.analyses.get(&folder)?;
        let id = analysis.out.files.iter().position(|f| f.path == key)?;
        Some((folder, id))
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let caps = self.caps;
        let uri = p.text_document.uri.clone();
        let Some((folder, id)) = self.analysed(&uri) else {
            return Vec::new();
        };
        let analysis = &self.analyses[&folder];
        let targets = Targets {
            documents: &self.documents,
            versions: &analysis.versions,
        };
        let out = &analysis.out;
        let documents = &self.documents;
        let diagnostic = |f: &crate::findings::Finding| finding_diagnostic(out, f, documents);
        actions::code_actions(
            out,
            &out.files[id],
            &uri,
            p.range,
            p.context.only.as_deref(),
            &diagnostic,
            &targets,
            caps,
        )
    }

    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let markdown = self.caps.markdown;
        let at = p.text_document_position_params;
        let (folder, id) = self.analysed(&at.text_document.uri)?;
        let analysis = &self.analyses[&folder];
        let file = &analysis.out.files[id];
        let mut pos = at.position;
        if file.had_bom && pos.line == 0 {
            pos.character = pos.character.saturating_sub(1);
        }
        let offset = byte_offset(&file.text, pos);
        let (span, text) = hover::hover(&analysis.out, &analysis.verdicts, file, offset, markdown)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: if markdown {
                    MarkupKind::Markdown
                } else {
                    MarkupKind::PlainText
                },
                value: text,
            }),
            range: Some(lsp_range(file, span)),
        })
    }

    /// `batchguard.fixAll`: `scan --fix` on the document's folder, with the open documents'
    /// text, fixing the findings of this document (the fixes may edit other files: a tfvars
    /// entry, a parameters file); the result goes to the client as a `workspace/applyEdit`.
    /// Returns how many findings were fixed and what could not be.
    fn fix_all(&mut self, uri: &Uri) -> serde_json::Value {
        let Some(key) = self.key_of(uri) else {
            return serde_json::json!({ "fixed": 0, "notes": ["not a document batchguard reads"] });
        };
        let Some(folder) = key.parent().map(Path::to_path_buf) else {
            return serde_json::Value::Null;
        };
        let cfg = match self.folder_settings(&folder) {
            Ok(cfg) => cfg,
            Err(e) => {
                self.show_message(MessageType::ERROR, format!("batchguard: {e}"));
                return serde_json::json!({ "fixed": 0, "notes": [e.to_string()] });
            }
        };
        let overrides: Overrides = self
            .documents
            .iter()
            .filter(|(k, _)| k.parent() == Some(folder.as_path()))
            .map(|(k, d)| (k.clone(), d.text.clone()))
            .collect();
        let versions: HashMap<PathBuf, i32> = self
            .documents
            .iter()
            .map(|(k, d)| (k.clone(), d.version))
            .collect();
        let outcome = crate::eval::guard::isolate(|| {
            crate::fix::run::run_with(&cfg, &overrides, false, Some(&key))
        });
        let run = match outcome {
            Ok(Ok(run)) => run,
            Ok(Err(e)) => {
                self.show_message(MessageType::ERROR, format!("batchguard: {e}"));
                return serde_json::json!({ "fixed": 0, "notes": [e] });
            }
            Err(caught) => {
                let e = format!(
                    "batchguard stopped on an internal error: {}",
                    caught.message
                );
                self.show_message(MessageType::ERROR, e.clone());
                return serde_json::json!({ "fixed": 0, "notes": [e] });
            }
        };
        let problems: Vec<String> = run
            .notes
            .iter()
            .filter(|n| n.level == Level::Error)
            .map(|n| n.message.clone())
            .collect();
        let files: Vec<(PathBuf, Vec<lsp_types::TextEdit>)> = run
            .changed
            .iter()
            .map(|c| {
                (
                    c.path.clone(),
                    actions::diff_edits(&c.before, &c.after, c.had_bom),
                )
            })
            .collect();
        let targets = Targets {
            documents: &self.documents,
            versions: &versions,
        };
        match actions::workspace_edit(files, &targets, self.caps) {
            Some(edit) => {
                let params = ApplyWorkspaceEditParams {
                    label: Some("batchguard: fix all in file".into()),
                    edit,
                };
                self.request(ApplyWorkspaceEdit::METHOD, params);
            }
            None if problems.is_empty() => self.show_message(
                MessageType::INFO,
                "batchguard: nothing in this file has a safe automatic fix".into(),
            ),
            None => {}
        }
        if !problems.is_empty() {
            self.show_message(
                MessageType::WARNING,
                format!("batchguard: {}", problems.join("; ")),
            );
        }
        serde_json::json!({ "fixed": run.fixed, "notes": problems })
    }

    fn show_message(&self, typ: MessageType, message: String) {
        let params = ShowMessageParams { typ, message };
        self.send(Notification::new(ShowMessage::METHOD.into(), params).into());
    }

    fn on_notification(&mut self, n: Notification) {
        if self.shutdown_requested {
            return;
        }
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = params::<DidOpenTextDocumentParams>(n) else {
                    return;
                };
                let doc = p.text_document;
                let Some(key) = opened_key(&doc.uri, &doc.language_id) else {
                    return;
                };
                self.touch(&key);
                self.documents.insert(
                    key,
                    Document {
                        uri: doc.uri,
                        version: doc.version,
                        text: doc.text,
                        diagnostics: Vec::new(),
                    },
                );
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = params::<DidChangeTextDocumentParams>(n) else {
                    return;
                };
                let Some(key) = self.key_of(&p.text_document.uri) else {
                    return;
                };
                let Some(doc) = self.documents.get_mut(&key) else {
                    eprintln!(
                        "batchguard lsp: change to `{}`, which is not open",
                        p.text_document.uri.as_str()
                    );
                    return;
                };
                doc.version = p.text_document.version;
                for change in &p.content_changes {
                    apply_change(&mut doc.text, change);
                }
                self.touch(&key);
            }
            DidSaveTextDocument::METHOD => {
                let Some(p) = params::<DidSaveTextDocumentParams>(n) else {
                    return;
                };
                if let Some(dir) = config_folder(&p.text_document.uri) {
                    self.touch_below(&dir);
                } else if let Some(key) = self.key_of(&p.text_document.uri) {
                    // Saved where there was no folder: the document joins the folder on disk.
                    let key = self.settle(key);
                    // The folder's other files may have changed on disk too.
                    if self.documents.contains_key(&key) {
                        self.touch(&key);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = params::<DidCloseTextDocumentParams>(n) else {
                    return;
                };
                let Some(key) = self.key_of(&p.text_document.uri) else {
                    return;
                };
                self.close(&key);
            }
            DidChangeWatchedFiles::METHOD => {
                let Some(p) = params::<DidChangeWatchedFilesParams>(n) else {
                    return;
                };
                for change in p.changes {
                    self.changed_on_disk(&change.uri);
                }
            }
            _ => {}
        }
    }

    /// The key of a document: the open document with this URI, or the canonical path of a file
    /// batchguard reads.
    fn key_of(&self, uri: &Uri) -> Option<PathBuf> {
        self.documents
            .iter()
            .find(|(_, d)| d.uri == *uri)
            .map(|(k, _)| k.clone())
            .or_else(|| document_key(uri))
    }

    fn close(&mut self, key: &Path) {
        let Some(doc) = self.documents.remove(key) else {
            return;
        };
        if !self.diagnostics.pull {
            self.publish(doc.uri, Vec::new(), None);
        }
        // The file now counts with its text on disk for the documents still open.
        if let Some(folder) = key.parent() {
            if self.documents.keys().any(|k| k.parent() == Some(folder)) {
                self.touch(key);
            } else {
                self.pending.remove(folder);
                self.analyses.remove(folder);
            }
        }
        self.answer_pulls();
    }

    /// A document opened where there was no folder on disk, once that folder exists, is keyed
    /// by its canonical path as any other file of the folder; returns its key now.
    fn settle(&mut self, key: PathBuf) -> PathBuf {
        let Some(uri) = self.documents.get(&key).map(|d| d.uri.clone()) else {
            return key;
        };
        match document_key(&uri) {
            Some(now) if now != key && !self.documents.contains_key(&now) => {
                if let Some(mut doc) = self.documents.remove(&key) {
                    // Its diagnostics are made again with its new folder.
                    doc.diagnostics.clear();
                    self.documents.insert(now.clone(), doc);
                }
                if let Some(folder) = key.parent() {
                    if self.documents.keys().any(|k| k.parent() == Some(folder)) {
                        self.touch(&key);
                    } else {
                        self.pending.remove(folder);
                        self.analyses.remove(folder);
                    }
                }
                for (_, waiting) in self.pulls.iter_mut().filter(|(_, k)| *k == key) {
                    waiting.clone_from(&now);
                }
                now
            }
            _ => key,
        }
    }

    /// A file changed, was created or was deleted on disk (`workspace/didChangeWatchedFiles`):
    /// the folders whose analysis read it, or that hold it, are analysed again, reading it from
    /// disk (an open document is read from its buffer, so its own file does not count); a
    /// `batchguard.toml`, the folders it governs. Documents opened where there was no folder may
    /// now have one.
    fn changed_on_disk(&mut self, uri: &Uri) {
        let Some(path) = file_path(uri.as_str()) else {
            return;
        };
        let detached: Vec<PathBuf> = self
            .documents
            .keys()
            .filter(|k| k.parent().is_some_and(|f| !f.is_dir()))
            .cloned()
            .collect();
        for key in detached {
            let now = self.settle(key.clone());
            if now != key {
                self.touch(&now);
            }
        }
        // A deleted file has no canonical path; its folder may.
        let path = match (
            path.parent().and_then(|d| d.canonicalize().ok()),
            path.file_name(),
        ) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => path,
        };
        if path.file_name().is_some_and(|n| n == FILE_NAME) {
            if let Some(dir) = path.parent() {
                self.touch_below(dir);
            }
            return;
        }
        if self.documents.contains_key(&path) {
            return;
        }
        let folders: Vec<PathBuf> = self
            .documents
            .keys()
            .filter_map(|k| k.parent())
            .filter(|folder| {
                path.parent() == Some(*folder)
                    || self.analyses.get(*folder).is_some_and(|a| {
                        a.out.files.iter().any(|f| f.path == path) || a.rule_files.contains(&path)
                    })
            })
            .map(Path::to_path_buf)
            .collect();
        for folder in folders {
            self.pending.insert(folder);
            self.pending_since.get_or_insert_with(Instant::now);
        }
    }

    /// Marks for analysis the folders of the open documents below `dir`, which its
    /// `batchguard.toml` governs.
    fn touch_below(&mut self, dir: &Path) {
        let below: Vec<PathBuf> = self
            .documents
            .keys()
            .filter(|k| k.starts_with(dir))
            .cloned()
            .collect();
        for key in below {
            self.touch(&key);
        }
    }

    /// Marks the folder of a document for analysis, and the other folders whose last analysis
    /// read it (a linked template's folder, analysed with the template that links it).
    fn touch(&mut self, key: &Path) {
        if let Some(folder) = key.parent() {
            self.pending.insert(folder.to_path_buf());
            self.pending_since.get_or_insert_with(Instant::now);
        }
        let readers: Vec<PathBuf> = self
            .analyses
            .iter()
            .filter(|(_, a)| a.out.files.iter().any(|f| f.path == key))
            .map(|(folder, _)| folder.clone())
            .collect();
        self.pending.extend(readers);
    }

    fn analyse_pending(&mut self) {
        self.pending_since = None;
        // One at a time, so that a pull waits only for its own folder.
        while let Some(folder) = self.pending.pop_first() {
            self.analyse_folder(&folder);
        }
    }

    /// The settings of `batchguard scan` run where the folder's batchguard.toml is (so that the
    /// paths it names are inside the scan root), on the folder's inputs, with the client's
    /// options.
    ///
    /// A folder that is not on disk is read from the open buffers in it alone (the scan of no
    /// paths in a root that does not exist, [`crate::scan::load_with_overrides`]), with the
    /// `batchguard.toml` that will govern it: the one above its nearest folder on disk; none for
    /// an `untitled:` document.
    fn folder_settings(&self, folder: &Path) -> Result<crate::scan::ScanConfig, ConfigError> {
        if !folder.is_dir() {
            let config = (!is_detached(folder))
                .then(|| folder.ancestors().find(|d| d.is_dir()))
                .flatten()
                .and_then(Config::find);
            let given = Given {
                config: self.given.config.clone().or(config),
                ..self.given.clone()
            };
            return settings::scan_config(folder, Vec::new(), &given);
        }
        // A folder whose files a template or module above deploys is analysed with that
        // caller, as the command line analyses them together (within the configuration's root).
        let caller = analysis_root(folder);
        let root = Config::find(folder)
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| caller.clone());
        let top = if caller.starts_with(&root) {
            caller
        } else {
            folder.to_path_buf()
        };
        let mut inputs = folder_inputs(&top);
        if top != folder {
            inputs.extend(folder_inputs(folder));
            inputs.sort();
            inputs.dedup();
        }
        settings::scan_config(&root, inputs, &self.given)
    }

    /// Analyses one folder and publishes the diagnostics of its open documents.
    fn analyse_folder(&mut self, folder: &Path) {
        let open: Vec<(&PathBuf, &Document)> = self
            .documents
            .iter()
            .filter(|(k, _)| k.parent() == Some(folder))
            .collect();
        if open.is_empty() {
            return;
        }
        let settings = self.folder_settings(folder);
        let mut analysis = None;
        let mut per_document: HashMap<&Path, Vec<Diagnostic>> = open
            .iter()
            .map(|(k, _)| (k.as_path(), Vec::new()))
            .collect();
        // Problems of the whole folder, shown at the top of each of its open documents.
        let mut everywhere: Vec<Diagnostic> = Vec::new();
        match &settings {
            // As `batchguard scan` stops on it, nothing is analysed with other settings.
            Err(e) => {
                eprintln!("batchguard lsp: {e}");
                everywhere.push(settings_diagnostic(e));
            }
            Ok(cfg) => {
                // The unsaved buffers of the folder, and of the other open documents the
                // analysis reads (a caller above it, a module below).
                let overrides: Overrides = self
                    .documents
                    .iter()
                    .filter(|(k, _)| k.parent() == Some(folder) || cfg.paths.contains(k))
                    .map(|(k, d)| (k.clone(), d.text.clone()))
                    .collect();
                let started = Instant::now();
                // What the last analysis of the folder keeps; lost if this one fails.
                let (before_files, before) = match self.analyses.remove(folder) {
                    Some(a) => (a.out.files, Some(a.kept)),
                    None => (Vec::new(), None),
                };
                let before = before.map(|kept| (before_files.as_slice(), kept));
                // A panic in one module or template is an error at it (`scan::analyse`
                // isolates each); one anywhere else is an error on the folder's documents.
                let outcome =
                    crate::eval::guard::isolate(|| incremental::analyse(cfg, &overrides, before));
                let mut work = None;
                match outcome {
                    Ok(Ok(incremental::Analysed {
                        out,
                        verdicts,
                        kept,
                        work: done,
                        ..
                    })) => {
                        work = Some(done);
                        for (path, diagnostic) in diagnostics(&out, &self.documents) {
                            match path {
                                Some(path) => {
                                    if let Some(list) = per_document.get_mut(path.as_path()) {
                                        list.push(diagnostic);
                                    }
                                }
                                None => everywhere.push(folder_diagnostic(diagnostic.message)),
                            }
                        }
                        for (path, diagnostic) in failed_scope_diagnostics(&out) {
                            if let Some(list) = per_document.get_mut(path.as_path()) {
                                list.push(diagnostic);
                            }
                        }
                        let versions = open
                            .iter()
                            .map(|(k, d)| ((*k).clone(), d.version))
                            .collect();
                        analysis = Some(Analysis {
                            out,
                            verdicts,
                            versions,
                            kept,
                            rule_files: cfg
                                .options
                                .custom
                                .sources
                                .iter()
                                .map(|(p, _)| p.canonicalize().unwrap_or_else(|_| p.clone()))
                                .collect(),
                        });
                    }
                    Ok(Err(e)) => everywhere.push(folder_diagnostic(format!(
                        "batchguard cannot analyse this folder: {e}"
                    ))),
                    Err(caught) => {
                        let at = caught
                            .location
                            .map_or(String::new(), |l| format!(" at {l}"));
                        everywhere.push(folder_diagnostic(format!(
                            "batchguard stopped on an internal error while analysing this folder: {}{at}",
                            caught.message
                        )));
                    }
                }
                eprintln!(
                    "batchguard lsp: analysed `{}` in {:.1} ms{}",
                    folder.display(),
                    started.elapsed().as_secs_f64() * 1e3,
                    work.map_or(String::new(), |w| format!(" ({w})"))
                );
            }
        }
        let lists: Vec<(PathBuf, Vec<Diagnostic>)> = open
            .iter()
            .map(|(key, _)| {
                let mut list = everywhere.clone();
                list.extend(per_document.remove(key.as_path()).unwrap_or_default());
                ((*key).clone(), list)
            })
            .collect();
        let mut unasked = false;
        for (key, list) in lists {
            let asked = self.pulls.iter().any(|(_, k)| *k == key);
            if let Some(doc) = self.documents.get_mut(&key) {
                unasked |= !asked && doc.diagnostics != list;
                doc.diagnostics = list.clone();
                let (uri, version) = (doc.uri.clone(), doc.version);
                if !self.diagnostics.pull {
                    self.publish(uri, list, Some(version));
                }
            }
        }
        if let Some(a) = analysis {
            self.analyses.insert(folder.to_path_buf(), a);
        }
        self.show_config_error(folder, settings.err());
        self.answer_pulls();
        if unasked && self.diagnostics.pull && self.diagnostics.refresh {
            self.request(WorkspaceDiagnosticRefresh::METHOD, serde_json::Value::Null);
        }
    }

    /// Sends a request to the client; its answer is not waited for.
    fn request(&mut self, method: &str, params: impl serde::Serialize) {
        let id = self.next_id;
        self.next_id += 1;
        self.send(Request::new(format!("batchguard-{id}").into(), method.into(), params).into());
    }

    /// Asks the client to report changes to the files batchguard reads.
    fn watch_files(&mut self) {
        let watchers = WATCHED
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).into()),
                kind: None,
            })
            .collect();
        let registration = Registration {
            id: "batchguard-watched-files".into(),
            method: DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        self.request(
            RegisterCapability::METHOD,
            RegistrationParams {
                registrations: vec![registration],
            },
        );
    }

    /// Shows a settings error at its place in batchguard.toml, and clears the errors shown in
    /// the configuration files that govern `folder` and no longer have one.
    fn show_config_error(&mut self, folder: &Path, error: Option<ConfigError>) {
        let located = error.and_then(|e| {
            let at = e.location.clone()?;
            Some((at, e))
        });
        let current = located.as_ref().map(|(at, _)| at.path.clone());
        let fixed: Vec<PathBuf> = self
            .config_errors
            .iter()
            .filter(|p| Some(*p) != current.as_ref())
            // A batchguard.toml above the folder, or a custom rule file it names.
            .filter(|p| {
                p.file_name().is_some_and(|n| n != FILE_NAME)
                    || p.parent().is_some_and(|dir| folder.starts_with(dir))
            })
            .cloned()
            .collect();
        for path in fixed {
            self.config_errors.remove(&path);
            if let Some(uri) = path_uri(&path) {
                self.publish(uri, Vec::new(), None);
            }
        }
        let Some((at, e)) = located else {
            return;
        };
        if let Some(uri) = path_uri(&at.path) {
            let diagnostic = Diagnostic {
                range: config_range(&at),
                message: e.detail().to_string(),
                ..folder_diagnostic(String::new())
            };
            self.publish(uri, vec![diagnostic], None);
            self.config_errors.insert(at.path);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }
}

fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
    let method = n.method.clone();
    match serde_json::from_value(n.params) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("batchguard lsp: invalid `{method}` parameters: {e}");
            None
        }
    }
}

/// The inputs the server analyses for a document in `folder`: those `batchguard scan FOLDER`
/// would read at the top of the folder (not below it: each folder is a Terraform module of its
/// own), and, below it, what they deploy: the files and folders their relative paths name (Bicep
/// modules, ARM linked templates, Terraform module sources, and the folders an ARM template
/// that links others names alone, `'nested/'`), each with the other inputs at the top of its
/// folder, as the command line groups folders. Paths that leave `folder` are not
/// followed (they are outside the scan root).
pub fn folder_inputs(folder: &Path) -> Vec<PathBuf> {
    /// Most files read in all.
    const MAX_FILES: usize = 2_000;
    let mut out: std::collections::BTreeSet<PathBuf> = top_inputs(folder).into_iter().collect();
    let mut queue: Vec<PathBuf> = out.iter().cloned().collect();
    let mut folders: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    folders.insert(folder.to_path_buf());
    let mut add_folder =
        |dir: &Path, out: &mut std::collections::BTreeSet<PathBuf>, queue: &mut Vec<PathBuf>| {
            if dir.starts_with(folder) && dir.is_dir() && folders.insert(dir.to_path_buf()) {
                for p in top_inputs(dir) {
                    if out.len() < MAX_FILES && out.insert(p.clone()) {
                        queue.push(p);
                    }
                }
            }
        };
    while let Some(file) = queue.pop() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let here = file.parent().unwrap_or(folder);
        for reference in references(&file, &text) {
            // The folder a reference names, or holds the file it names: the command line
            // groups folders, so every input at the top of it is read with it.
            let target = crate::source::normalized(&here.join(&reference));
            if target.is_dir() {
                add_folder(&target, &mut out, &mut queue);
            } else if target.is_file() {
                if let Some(parent) = target.parent() {
                    add_folder(parent, &mut out, &mut queue);
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Most folders above a document's folder looked at for a template or module that deploys it.
const MAX_CALLER_LEVELS: usize = 3;

/// The folder whose analysis covers `folder`: the highest of the few above it (up to a Git
/// repository's top) whose top-level files deploy something in it, or in such a folder below,
/// through a relative path (a module, a linked template, or the folder an ARM template that
/// links others names alone); `folder` itself when none does. A linked template opened on its own is
/// then analysed with what its caller passes, as `batchguard scan` analyses it.
pub fn analysis_root(folder: &Path) -> PathBuf {
    let mut root = folder.to_path_buf();
    for above in folder.ancestors().skip(1).take(MAX_CALLER_LEVELS) {
        if deploys_into(above, &root) {
            root = above.to_path_buf();
        }
        if above.join(".git").exists() {
            break;
        }
    }
    root
}

/// Does a top-level input of `dir` deploy something in `folder` (a folder below `dir`)?
fn deploys_into(dir: &Path, folder: &Path) -> bool {
    /// Largest file read to find out (this runs at each analysis of the folder).
    const LARGEST: u64 = 4 << 20;
    top_inputs(dir).iter().any(|file| {
        if std::fs::metadata(file).map_or(true, |m| m.len() > LARGEST) {
            return false;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            return false;
        };
        references(file, &text)
            .iter()
            .any(|r| crate::source::normalized(&dir.join(r)).starts_with(folder))
    })
}

/// The relative paths a file names, as the command line's groups read them: those
/// [`crate::scan::islands::relative_strings`] finds, and, in an ARM template that links others,
/// the folders it names alone ([`crate::scan::islands::linked_folders`]).
fn references(file: &Path, text: &str) -> Vec<String> {
    let mut out = crate::scan::islands::relative_strings(text);
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        out.extend(crate::scan::islands::linked_folders(text));
    }
    out
}

/// The inputs at the top of a folder.
fn top_inputs(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| crate::frontend::input_kind(p).is_some())
        .collect();
    paths.sort();
    paths
}

/// The diagnostics of a scan, each with the open document it belongs to (`None`: the whole
/// folder).
fn diagnostics(
    out: &ScanOutput,
    documents: &BTreeMap<PathBuf, Document>,
) -> Vec<(Option<PathBuf>, Diagnostic)> {
    let mut list = Vec::new();
    for f in out.findings.iter().filter(|f| f.suppression.is_none()) {
        let Some(file) = file_by_id(&out.files, f.span.file) else {
            continue;
        };
        list.push((
            Some(file.path.clone()),
            finding_diagnostic(out, f, documents),
        ));
    }
    for n in &out.notifications {
        list.push(notification(out, n));
    }
    list
}

/// The diagnostic of a finding: its place, level, rule id with a link to the rule's page, message
/// and related places.
fn finding_diagnostic(
    out: &ScanOutput,
    f: &crate::findings::Finding,
    documents: &BTreeMap<PathBuf, Document>,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let rf = file_by_id(&out.files, r.span.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: uri_of(rf, documents)?,
                    range: lsp_range(rf, r.span),
                },
                message: r.message.to_string(),
            })
        })
        .collect();
    let href = rules::meta_of(f.rule).and_then(|m| Uri::from_str(m.help_uri).ok());
    let range = file_by_id(&out.files, f.span.file)
        .map(|file| lsp_range(file, f.span))
        .unwrap_or_default();
    Diagnostic {
        range,
        severity: Some(severity(f.level)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("batchguard".into()),
        message: f.message.to_string(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The answer to `textDocument/diagnostic`: a full report of these diagnostics.
fn pull_response(id: lsp_server::RequestId, items: Vec<Diagnostic>) -> Response {
    let report = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ));
    Response::new_ok(id, report)
}

/// An error response for parameters that do not parse.
fn invalid(id: lsp_server::RequestId, e: serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string())
}

fn notification(out: &ScanOutput, n: &ScanNotification) -> (Option<PathBuf>, Diagnostic) {
    let file = n
        .span
        .map(|s| s.file)
        .or(n.file)
        .and_then(|id| file_by_id(&out.files, id));
    let range = match (file, n.span) {
        (Some(f), Some(span)) => lsp_range(f, span),
        _ => Range::default(),
    };
    let code = if n.level == Level::Error {
        "parse"
    } else {
        "semantic"
    };
    (
        file.map(|f| f.path.clone()),
        Diagnostic {
            range,
            severity: Some(severity(n.level)),
            code: Some(NumberOrString::String(code.into())),
            source: Some("batchguard".into()),
            message: n.message.clone(),
            ..Diagnostic::default()
        },
    )
}

/// The internal error that kept a scope (a Terraform module, an ARM template) from being
/// analysed, at the top of each of its files but the one its error notification is at.
fn failed_scope_diagnostics(out: &ScanOutput) -> Vec<(PathBuf, Diagnostic)> {
    let mut list = Vec::new();
    for failed in &out.failed {
        for &id in &failed.files {
            if failed.at.is_some_and(|at| at.file == id) {
                continue;
            }
            let Some(file) = file_by_id(&out.files, id) else {
                continue;
            };
            list.push((
                file.path.clone(),
                Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("internal".into())),
                    source: Some("batchguard".into()),
                    message: failed.message.clone(),
                    ..Diagnostic::default()
                },
            ));
        }
    }
    list
}

/// A settings error, at the top of each open document of a folder it stops; the place in
/// batchguard.toml, when it has one, as related information.
fn settings_diagnostic(e: &ConfigError) -> Diagnostic {
    let related = e.location.as_ref().and_then(|at| {
        Some(vec![DiagnosticRelatedInformation {
            location: Location {
                uri: path_uri(&at.path)?,
                range: config_range(at),
            },
            message: e.detail().to_string(),
        }])
    });
    Diagnostic {
        related_information: related,
        ..folder_diagnostic(format!(
            "batchguard does not analyse this folder until its settings are fixed: {e}"
        ))
    }
}

/// The 0-based LSP range of a place in a configuration file.
fn config_range(at: &config::Location) -> Range {
    let pos = |p: crate::source::Position| Position {
        line: (p.line - 1) as u32,
        character: (p.col_utf16 - 1) as u32,
    };
    Range {
        start: pos(at.start),
        end: pos(at.end),
    }
}

/// The folder of a `batchguard.toml` named by a URI.
fn config_folder(uri: &Uri) -> Option<PathBuf> {
    let path = file_path(uri.as_str())?;
    if path.file_name()? != FILE_NAME {
        return None;
    }
    path.parent()?.canonicalize().ok()
}

/// A problem with the folder or the settings, shown at the top of each open document.
fn folder_diagnostic(message: String) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config".into())),
        source: Some("batchguard".into()),
        message,
        ..Diagnostic::default()
    }
}

fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// The URI of a scanned file: the client's own for an open document.
fn uri_of(file: &SourceFile, documents: &BTreeMap<PathBuf, Document>) -> Option<Uri> {
    if let Some(doc) = documents.get(&file.path) {
        return Some(doc.uri.clone());
    }
    path_uri(&file.path)
}

/// The `file:` URI of an absolute path, as the `url` crate writes it for the platform the server
/// runs on (percent-encoded; on Windows `file:///C:/...`, and `file://server/share/...` for a UNC
/// path).
fn path_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// The 0-based UTF-16 range of a span: the reporters' region, less one on each side. A document
/// that starts with a byte-order mark counts it on the first line, as the editor does.
pub fn lsp_range(file: &SourceFile, span: crate::ir::Span) -> Range {
    let r = region(file, span);
    let bom = |line: usize| u32::from(file.had_bom && line == 1);
    let pos = |line: usize, col: usize| Position {
        line: (line - 1) as u32,
        character: (col - 1) as u32 + bom(line),
    };
    Range {
        start: pos(r.start_line, r.start_column),
        end: pos(r.end_line, r.end_column),
    }
}

/// The key of a `file:` URI of a document batchguard reads: its canonical path; for a new file,
/// the canonical path of its folder joined with its name; for a file whose folder is not on disk,
/// its path as the URI names it. `None` for other URIs.
fn document_key(uri: &Uri) -> Option<PathBuf> {
    let path = file_path(uri.as_str())?;
    crate::frontend::input_kind(&path)?;
    if let Ok(canonical) = path.canonicalize() {
        return Some(canonical);
    }
    match path.parent().map(Path::canonicalize) {
        Some(Ok(folder)) => Some(folder.join(path.file_name()?)),
        _ => Some(path),
    }
}

/// The key of a document the client opens: a `file:` URI's as [`document_key`] makes it; for
/// an `untitled:` document, or a `file:` URI that names no path on this machine (a host part
/// outside Windows), a place of its own in a folder that is not on disk ([`detached_folder`]),
/// named by the URI's last segment, with the extension of the syntax its language id names when
/// that name has no extension batchguard knows. `None` for other documents.
fn opened_key(uri: &Uri, language: &str) -> Option<PathBuf> {
    let scheme = uri.scheme().map(|s| s.as_str().to_ascii_lowercase());
    match scheme.as_deref() {
        Some("file") if file_path(uri.as_str()).is_some() => document_key(uri),
        Some("file" | "untitled") => {
            let last = uri.path().segments().next_back()?;
            let decoded = String::from_utf8_lossy(last.decode().as_bytes()).into_owned();
            let mut name: String = decoded
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if name.is_empty() {
                name.push_str("untitled");
            }
            if crate::frontend::input_kind(Path::new(&name)).is_none() {
                name.push_str(language_extension(language)?);
            }
            Some(detached_folder(uri).join(name))
        }
        _ => None,
    }
}

/// The file name ending of the syntax a language id names (those of VS Code and Neovim).
fn language_extension(language: &str) -> Option<&'static str> {
    Some(match language {
        "terraform" | "tf" => ".tf",
        "terraform-vars" => ".tfvars",
        "json" | "jsonc" | "arm-template" => ".json",
        "bicep" => ".bicep",
        "bicep-params" | "bicepparam" => ".bicepparam",
        _ => return None,
    })
}

/// The folder of a document that has no place on disk: below a root named `untitled:`, which no
/// file of a machine is in (the keys of files on disk are absolute, canonical paths), one folder
/// per URI, so that each such document is analysed alone.
fn detached_folder(uri: &Uri) -> PathBuf {
    let encoded: String = uri
        .as_str()
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Path::new(std::path::MAIN_SEPARATOR_STR)
        .join(DETACHED_ROOT)
        .join(encoded)
}

/// See [`detached_folder`].
const DETACHED_ROOT: &str = "untitled:";

/// Is this the folder of a document that has no place on disk at all (an `untitled:` one)?
fn is_detached(folder: &Path) -> bool {
    folder
        .parent()
        .is_some_and(|p| p.file_name().is_some_and(|n| n == DETACHED_ROOT))
}

/// The local path of a `file:` URI, percent-decoded, as the `url` crate converts it for the
/// platform the server runs on: `file:///home/a/main.tf` and `file://localhost/...` everywhere;
/// on Windows also `file:///C:/src/main.tf`, `file:///c%3A/src/main.tf` and, as UNC paths,
/// `file://server/share/main.tf` and `file://wsl.localhost/Ubuntu/home/...`. `None` for other
/// schemes, and for a URI with a host part elsewhere than on Windows (no path on this machine).
pub fn file_path(uri: &str) -> Option<PathBuf> {
    let url = url::Url::parse(uri).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// Applies one change from the client: the whole text, or a range given in 0-based lines and
/// UTF-16 columns replaced by new text.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text.clone(),
        Some(range) => {
            let start = byte_offset(text, range.start);
            let end = byte_offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The byte offset of an LSP position. Lines end at `\n`, `\r\n` or `\r`; a column past the end of
/// its line means the end of the line, a line past the end of the text the end of the text, and a
/// column inside a surrogate pair the start of that character.
pub fn byte_offset(text: &str, pos: Position) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 0..pos.line {
        let Some(i) = bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        else {
            return text.len();
        };
        let at = start + i;
        start = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
    }
    let mut units = 0usize;
    for (i, ch) in text[start..].char_indices() {
        if ch == '\n' || ch == '\r' {
            return start + i;
        }
        let next = units + ch.len_utf16();
        if next > pos.character as usize {
            return start + i;
        }
        units = next;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    /// A document's folder brings in what its files deploy below it (a Bicep module, the folder
    /// an ARM template names for its linked templates, a Terraform module source), with the
    /// other inputs beside them, and not what lies elsewhere.
    #[test]
    fn folder_inputs_follow_what_the_folder_deploys_below_it() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        let app = root.join("app");
        let write = |rel: &str, text: &str| {
            let p = app.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "main.bicep",
            "module pool 'modules/pool.bicep' = {\n  name: 'p'\n}\n",
        );
        write("modules/pool.bicep", "param x string\n");
        write("modules/unused.bicep", "param y string\n");
        write(
            "azuredeploy.json",
            r#"{"variables": {"base": "[concat(parameters('_artifactsLocation'), 'nested/')]"},
                "resources": [{"properties": {"templateLink": {"uri": "[concat(variables('base'), 'vnet', '.json')]"}}}]}"#,
        );
        write("nested/vnet.json", "{}");
        write("nested/deeper/unused.json", "{}");
        write("main.tf", "module \"net\" {\n  source = \"./net\"\n}\nmodule \"up\" {\n  source = \"../shared\"\n}\n");
        write("net/main.tf", "variable \"a\" {}\n");
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/main.tf"), "variable \"b\" {}\n").unwrap();
        let rel: Vec<String> = folder_inputs(&app)
            .iter()
            .map(|p| {
                p.strip_prefix(&app)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(
            rel,
            [
                "azuredeploy.json",
                "main.bicep",
                "main.tf",
                "modules/pool.bicep",
                // Beside a file the folder deploys: the command line groups folders.
                "modules/unused.bicep",
                "nested/vnet.json",
                "net/main.tf"
            ]
        );
    }

    #[test]
    fn positions_count_utf16_units_and_every_line_break() {
        let text = "a\r\nxé𝄞y\rz\n";
        assert_eq!(byte_offset(text, pos(0, 1)), 1);
        assert_eq!(byte_offset(text, pos(1, 0)), 3);
        // é is one unit (2 bytes), 𝄞 two units (4 bytes).
        assert_eq!(byte_offset(text, pos(1, 2)), 6);
        assert_eq!(byte_offset(text, pos(1, 4)), 10);
        // Inside the surrogate pair: the start of 𝄞.
        assert_eq!(byte_offset(text, pos(1, 3)), 6);
        // Past the end of the line, and a lone CR ends a line.
        assert_eq!(byte_offset(text, pos(1, 99)), 11);
        assert_eq!(byte_offset(text, pos(2, 0)), 12);
        assert_eq!(byte_offset(text, pos(9, 0)), text.len());
    }

    #[test]
    fn incremental_changes_replace_utf16_ranges() {
        let mut text = String::from("name = \"é𝄞\"\nport = 22\n");
        let change = |sl, sc, el, ec, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range {
                start: pos(sl, sc),
                end: pos(el, ec),
            }),
            range_length: None,
            text: t.into(),
        };
        apply_change(&mut text, &change(0, 11, 0, 11, "X"));
        assert_eq!(text, "name = \"é𝄞X\"\nport = 22\n");
        apply_change(&mut text, &change(1, 7, 1, 9, "443"));
        assert_eq!(text, "name = \"é𝄞X\"\nport = 443\n");
        apply_change(&mut text, &change(0, 13, 1, 0, ""));
        assert_eq!(text, "name = \"é𝄞X\"port = 443\n");
        apply_change(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            },
        );
        assert_eq!(text, "new");
    }

    #[test]
    fn ranges_are_zero_based_utf16_with_the_bom_on_line_one() {
        let f = SourceFile::new(
            0,
            "a.json".into(),
            "a.json".into(),
            "{\"é𝄞\": 1,\n \"b\": 2}",
        );
        let one = f.text.find('1').unwrap();
        let r = lsp_range(&f, crate::ir::Span::new(0, one, one + 1));
        assert_eq!((r.start, r.end), (pos(0, 8), pos(0, 9)));
        let b = f.text.find("\"b\"").unwrap();
        let r = lsp_range(&f, crate::ir::Span::new(0, b, b + 3));
        assert_eq!((r.start, r.end), (pos(1, 1), pos(1, 4)));
        let g = SourceFile::new(0, "a.json".into(), "a.json".into(), "\u{feff}{\"a\": 1}");
        let one = g.text.find('1').unwrap();
        assert_eq!(
            lsp_range(&g, crate::ir::Span::new(0, one, one + 1)).start,
            pos(0, 7)
        );
    }

    /// Drives [`serve`] over an in-memory connection: sends `messages`, then returns the
    /// diagnostics of the next publication for each of `uris`.
    struct Editor {
        connection: Connection,
        server: std::thread::JoinHandle<Result<i32, String>>,
    }

    impl Editor {
        fn start() -> Editor {
            let (server, connection) = Connection::memory();
            let server = std::thread::spawn(move || serve(&server));
            let mut e = Editor { connection, server };
            e.request(1, "initialize", serde_json::json!({ "capabilities": {} }));
            e.notify("initialized", serde_json::json!({}));
            e
        }
        fn send(&mut self, m: serde_json::Value) {
            self.connection
                .sender
                .send(serde_json::from_value(m).unwrap())
                .unwrap();
        }
        fn next(&mut self) -> serde_json::Value {
            let m = self
                .connection
                .receiver
                .recv_timeout(std::time::Duration::from_secs(20))
                .expect("a message within 20 s");
            serde_json::to_value(m).unwrap()
        }
        fn notify(&mut self, method: &str, params: serde_json::Value) {
            self.send(serde_json::json!({ "jsonrpc": "2.0", "method": method, "params": params }));
        }
        fn request(
            &mut self,
            id: i64,
            method: &str,
            params: serde_json::Value,
        ) -> serde_json::Value {
            self.send(serde_json::json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
            loop {
                let m = self.next();
                if m["id"] == id {
                    return m;
                }
            }
        }
        fn open(&mut self, uri: &str, text: &str) {
            let language = if uri.ends_with(".tf") {
                "terraform"
            } else {
                "json"
            };
            self.notify(
                "textDocument/didOpen",
                serde_json::json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
            );
        }
        /// The diagnostics of the next publication for each of `uris`.
        fn diagnostics(&mut self, uris: &[&str]) -> BTreeMap<String, Vec<serde_json::Value>> {
            let mut seen = BTreeMap::new();
            while seen.len() < uris.len() {
                let m = self.next();
                let uri = m["params"]["uri"].as_str().unwrap_or_default().to_string();
                if m["method"] == "textDocument/publishDiagnostics" && uris.contains(&uri.as_str())
                {
                    seen.insert(uri, m["params"]["diagnostics"].as_array().unwrap().clone());
                }
            }
            seen
        }
    }

    /// A panic while one module is evaluated (a bug) is an error diagnostic on each of its open
    /// documents; the template beside it is analysed in full, and the server goes on serving.
    #[test]
    fn a_panic_in_one_scope_is_shown_on_its_documents_and_the_server_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let nsg = |name: &str| {
            format!("resource \"azurerm_network_security_group\" \"n\" {{\n  name                = {name}\n  location            = \"westeurope\"\n  resource_group_name = \"rg\"\n  security_rule {{\n    name                       = \"ssh\"\n    priority                   = 100\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"22\"\n    source_address_prefix      = \"*\"\n    destination_address_prefix = \"*\"\n  }}\n}}\n")
        };
        let arm = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
          {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg", "location": "westeurope",
           "properties": {"securityRules": [{"name": "ssh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "sourcePortRange": "*", "destinationPortRange": "22", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"}}]}}]}"#;
        let uri = |name: &str| format!("file://{}", root.join(name).display());
        let (main, vars, template) = (uri("main.tf"), uri("variables.tf"), uri("nsg.json"));
        let mut editor = Editor::start();
        editor.open(&vars, "variable \"x\" {}\n");
        editor.open(&template, arm);
        editor.open(&main, &nsg("batchguard_test_panic()"));
        let d = editor.diagnostics(&[&main, &vars, &template]);
        let codes = |uri: &str| -> Vec<String> {
            d[uri]
                .iter()
                .map(|x| x["code"].as_str().unwrap().to_string())
                .collect()
        };
        // The module's documents: the error where the panic happened, and on the other file.
        let at_main = d[&main]
            .iter()
            .find(|x| x["severity"] == 1)
            .unwrap_or_else(|| panic!("{d:#?}"));
        assert!(
            at_main["message"]
                .as_str()
                .unwrap()
                .starts_with("internal error while evaluating the Terraform module `.`"),
            "{at_main}"
        );
        assert_eq!(at_main["range"]["start"]["line"], 1);
        assert!(!codes(&main).contains(&"NET001".to_string()), "{d:#?}");
        assert_eq!(codes(&vars), ["internal"], "{d:#?}");
        assert_eq!(d[&vars][0]["message"], at_main["message"]);
        // The template is analysed in full.
        assert!(codes(&template).contains(&"NET001".to_string()), "{d:#?}");
        // The server goes on: once the module is fixed, it is analysed.
        editor.notify(
            "textDocument/didChange",
            serde_json::json!({ "textDocument": { "uri": main, "version": 2 }, "contentChanges": [{ "text": nsg("\"nsg\"") }] }),
        );
        let d = editor.diagnostics(&[&main, &vars]);
        assert!(d[&main].iter().any(|x| x["code"] == "NET001"), "{d:#?}");
        assert!(d[&vars].is_empty(), "{d:#?}");
        let m = editor.request(9, "shutdown", serde_json::Value::Null);
        assert!(m.get("error").is_none(), "{m}");
        editor.notify("exit", serde_json::Value::Null);
        assert_eq!(editor.server.join().unwrap(), Ok(0));
    }

    #[test]
    fn file_uris_become_paths_and_other_uris_are_ignored() {
        assert_eq!(
            file_path("file:///home/a%20b/m%C3%A9.tf"),
            Some(PathBuf::from("/home/a b/mé.tf"))
        );
        assert_eq!(
            file_path("file://localhost/x/main.tf"),
            Some(PathBuf::from("/x/main.tf"))
        );
        assert_eq!(
            file_path("FILE:///x/main.tf?query#part"),
            Some(PathBuf::from("/x/main.tf"))
        );
        assert_eq!(file_path("untitled:Untitled-1"), None);
        assert_eq!(file_path("git:/x/main.tf"), None);
        assert_eq!(file_path("not a uri"), None);
    }

    /// A host part names a UNC path on Windows (a share, or a WSL distribution seen from
    /// Windows); elsewhere it names no path on this machine.
    #[test]
    fn file_uris_with_a_host_are_unc_paths_on_windows_only() {
        for (uri, unc) in [
            ("file://server/share/x.tf", r"\\server\share\x.tf"),
            (
                "file://wsl.localhost/Ubuntu/home/me/main.tf",
                r"\\wsl.localhost\Ubuntu\home\me\main.tf",
            ),
        ] {
            let expected = cfg!(windows).then(|| PathBuf::from(unc));
            assert_eq!(file_path(uri), expected, "{uri}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_and_uris_round_trip() {
        for (path, uri) in [
            ("/home/a b/mé.tf", "file:///home/a%20b/m%C3%A9.tf"),
            ("/srv/x#1/100%/main.tf", "file:///srv/x%231/100%25/main.tf"),
            (
                "/tmp/𝄞/日本.bicep",
                "file:///tmp/%F0%9D%84%9E/%E6%97%A5%E6%9C%AC.bicep",
            ),
        ] {
            let made = path_uri(Path::new(path)).unwrap();
            assert_eq!(made.as_str(), uri);
            assert_eq!(file_path(made.as_str()), Some(PathBuf::from(path)));
        }
        // Not absolute: no URI.
        assert!(path_uri(Path::new("main.tf")).is_none());
    }

    #[cfg(windows)]
    #[test]
    fn windows_paths_and_uris_round_trip() {
        // VS Code writes the drive's colon percent-encoded.
        assert_eq!(
            file_path("file:///c%3A/src/my%20app/main.tf"),
            Some(PathBuf::from(r"c:\src\my app\main.tf"))
        );
        for path in [
            r"C:\src\my app\main.tf",
            r"\\server\share\x.tf",
            r"\\wsl.localhost\Ubuntu\home\me\main.tf",
        ] {
            let uri = path_uri(Path::new(path)).unwrap();
            assert_eq!(
                file_path(uri.as_str()),
                Some(PathBuf::from(path)),
                "{uri:?}"
            );
        }
        assert_eq!(
            path_uri(Path::new(r"\\server\share\x.tf"))
                .unwrap()
                .as_str(),
            "file://server/share/x.tf"
        );
    }

    #[test]
    fn documents_without_a_folder_on_disk_get_a_place_of_their_own() {
        let uri = |s: &str| Uri::from_str(s).unwrap();
        let untitled = opened_key(&uri("untitled:Untitled-1"), "terraform").unwrap();
        assert_eq!(untitled.file_name().unwrap(), "Untitled-1.tf");
        assert!(is_detached(untitled.parent().unwrap()), "{untitled:?}");
        // Each is a folder of its own.
        let other = opened_key(&uri("untitled:Untitled-2"), "terraform").unwrap();
        assert_ne!(untitled.parent(), other.parent());
        // A name with an extension batchguard knows keeps it; the language id says the rest.
        let named = opened_key(&uri("untitled:/home/me/nsg.bicep"), "plaintext").unwrap();
        assert_eq!(named.file_name().unwrap(), "nsg.bicep");
        for (language, name) in [
            ("terraform-vars", "Untitled-1.tfvars"),
            ("jsonc", "Untitled-1.json"),
            ("arm-template", "Untitled-1.json"),
            ("bicep", "Untitled-1.bicep"),
            ("bicep-params", "Untitled-1.bicepparam"),
        ] {
            let key = opened_key(&uri("untitled:Untitled-1"), language).unwrap();
            assert_eq!(key.file_name().unwrap(), name);
        }
        // A language batchguard does not read, or another scheme: not a document of batchguard.
        assert_eq!(opened_key(&uri("untitled:Untitled-1"), "python"), None);
        assert_eq!(opened_key(&uri("git:/x/main.tf"), "terraform"), None);
        // A file in a folder that is not on disk: its path as named.
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().canonicalize().unwrap().join("new/main.tf");
        let key = opened_key(&path_uri(&new).unwrap(), "terraform").unwrap();
        assert_eq!(key, new);
        assert!(!is_detached(key.parent().unwrap()));
    }
}
