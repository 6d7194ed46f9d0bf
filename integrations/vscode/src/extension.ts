// The batchguard extension: starts `batchguard lsp` for Terraform, ARM JSON and Bicep files, so
// that findings appear as diagnostics while a template is edited, with quick fixes, hover and the
// command "batchguard: Fix all in file".
//
// The binary is the `batchguard.path` setting, else `batchguard` on PATH, else one downloaded
// earlier into the extension's storage; else the extension offers to download the release binary
// of its own version (never without the user's consent, never when `batchguard.download` is
// "never").

import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { findOnPath, installRelease, installedBinary, releaseTarget, Target } from "./binary";
import { Serial } from "./serial";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
const lifecycle = new Serial();

// The download offer: one notification at a time; "Cancel" (or closing it) is remembered until
// VS Code restarts or the user runs "batchguard: Restart the language server"; "Download" lets the
// next start download.
let offering = false;
let declined = false;
let approved = false;

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration("batchguard");
}

function serverOptions(command: string): ServerOptions {
  return { command, args: ["lsp"], transport: TransportKind.stdio };
}

// Saved files, and unsaved new ones (the server analyses an untitled buffer on its own).
const LANGUAGES = ["terraform", "terraform-vars", "json", "jsonc", "arm-template", "bicep", "bicep-params"];

function clientOptions(): LanguageClientOptions {
  const options = settings().get<Record<string, string>>("options", {});
  return {
    documentSelector: [
      // `arm-template` is the language id Microsoft's ARM Tools extension gives templates.
      ...LANGUAGES.map((language) => ({ scheme: "file", language })),
      { scheme: "file", pattern: "**/*.tf" },
      { scheme: "file", pattern: "**/*.tfvars" },
      { scheme: "file", pattern: "**/*.tf.json" },
      { scheme: "file", pattern: "**/*.bicep" },
      { scheme: "file", pattern: "**/*.bicepparam" },
      // Saving batchguard.toml analyses the open files it governs again.
      { scheme: "file", pattern: "**/batchguard.toml" },
      ...LANGUAGES.map((language) => ({ scheme: "untitled", language })),
    ],
    initializationOptions: { options },
    // One output channel for every client this session starts, instead of one more per restart.
    outputChannel: output,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// The binary to start, downloading it when the user has agreed to; undefined when there is none
// (the user has been told, or asked).
async function findBinary(context: vscode.ExtensionContext): Promise<string | undefined> {
  // The consent is for the start that follows it, not for every later one.
  const mayDownload = approved;
  approved = false;
  const configured = settings().get<string>("path", "").trim();
  if (configured !== "") {
    return configured;
  }
  const onPath = findOnPath(process.env.PATH, process.platform);
  if (onPath) {
    return onPath;
  }
  const target = releaseTarget(process.platform, process.arch);
  const version: string = context.extension.packageJSON.version;
  const storage = context.globalStorageUri.fsPath;
  const stored = target && installedBinary(storage, version, target);
  if (stored) {
    return stored;
  }
  if (!target) {
    void vscode.window.showErrorMessage(
      `batchguard is not on PATH, and no release binary is published for ${process.platform}/${process.arch}. ` +
        `Build it (cargo install --locked --path . in the batchguard repository) and set "batchguard.path".`,
    );
    return undefined;
  }
  if (settings().get<string>("download", "ask") === "never") {
    void vscode.window
      .showErrorMessage(
        `batchguard is not on PATH and "batchguard.download" is "never": install batchguard or set "batchguard.path".`,
        "Open settings",
      )
      .then((choice) => choice && openSettings());
    return undefined;
  }
  if (mayDownload) {
    return download(storage, version, target);
  }
  offerDownload(version, target);
  return undefined;
}

function openSettings(): void {
  void vscode.commands.executeCommand("workbench.action.openSettings", "batchguard.");
}

// Asks whether to download, without waiting for the answer: a start does not hold up the restarts
// queued behind it (for example the one after the user sets `batchguard.path` instead).
function offerDownload(version: string, target: Target): void {
  if (offering || declined) {
    return;
  }
  offering = true;
  void vscode.window
    .showInformationMessage(
      `batchguard is not installed (not on PATH, and "batchguard.path" is not set). ` +
        `Download batchguard ${version} for ${target} from its GitHub releases?`,
      "Download",
      "Open settings",
      "Cancel",
    )
    .then((choice) => {
      offering = false;
      if (choice === "Download") {
        approved = true;
        void restart();
      } else if (choice === "Open settings") {
        openSettings();
      } else {
        declined = true;
      }
    });
}

async function download(storage: string, version: string, target: Target): Promise<string | undefined> {
  try {
    const file = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading batchguard ${version} (${target})` },
      () => installRelease(storage, version, target),
    );
    output?.appendLine(`Installed batchguard ${version} from its GitHub release into ${file}`);
    return file;
  } catch (err) {
    void vscode.window.showErrorMessage(
      `batchguard ${version} could not be downloaded: ${messageOf(err)}. Install it or set "batchguard.path".`,
    );
    return undefined;
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = await findBinary(context);
  if (!command) {
    return;
  }
  const starting = new LanguageClient("batchguard", "batchguard", serverOptions(command), clientOptions());
  try {
    await starting.start();
    client = starting;
  } catch (err) {
    // A client that never started cannot be stopped, only disposed; it is forgotten, so that the
    // next restart (or a change of `batchguard.path`) starts a new one.
    try {
      await starting.dispose();
    } catch {
      // Nothing to release.
    }
    void vscode.window.showErrorMessage(
      `batchguard could not start ${command} (${messageOf(err)}). Install batchguard or set "batchguard.path".`,
    );
  }
}

async function stop(): Promise<void> {
  if (client) {
    const running = client;
    client = undefined;
    try {
      await running.stop();
    } catch {
      // It stopped on its own (the server exited).
    }
  }
}

let extensionContext: vscode.ExtensionContext | undefined;

// Stops the running server, if any, and starts it again; one restart at a time.
function restart(): Promise<void> {
  return lifecycle.coalesce(async () => {
    await stop();
    if (extensionContext) {
      await start(extensionContext);
    }
  });
}

// Fixes every batchguard finding of the active file that has a safe fix: the server runs
// `batchguard scan --fix` on its folder, with the unsaved text, and sends the edits back.
async function fixAllInFile(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    void vscode.window.showInformationMessage("batchguard: open a Terraform, ARM or Bicep file first.");
    return;
  }
  await client.sendRequest(ExecuteCommandRequest.type, {
    command: "batchguard.fixAll",
    arguments: [editor.document.uri.toString()],
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel("batchguard");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("batchguard.fixAllInFile", fixAllInFile),
    vscode.commands.registerCommand("batchguard.restart", () => {
      // Asked for by the user: the download may be offered again.
      declined = false;
      return restart();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("batchguard")) {
        void restart();
      }
    }),
  );
  await restart();
}

export function deactivate(): Promise<void> {
  extensionContext = undefined;
  return lifecycle.run(stop);
}
