// The batchguard extension: starts `batchguard lsp` for Terraform and ARM JSON files, so that
// findings appear as diagnostics while a template is edited, with quick fixes, hover and the
// command "batchguard: Fix all in file".

import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const configured = vscode.workspace.getConfiguration("batchguard").get<string>("path", "").trim();
  const command = configured !== "" ? configured : "batchguard";
  return { command, args: ["lsp"], transport: TransportKind.stdio };
}

function clientOptions(): LanguageClientOptions {
  const options = vscode.workspace.getConfiguration("batchguard").get<Record<string, string>>("options", {});
  return {
    documentSelector: [
      { scheme: "file", language: "terraform" },
      { scheme: "file", language: "terraform-vars" },
      { scheme: "file", pattern: "**/*.tf" },
      { scheme: "file", pattern: "**/*.tfvars" },
      { scheme: "file", pattern: "**/*.tf.json" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      // Microsoft's ARM Tools extension gives templates this language id.
      { scheme: "file", language: "arm-template" },
      { scheme: "file", language: "bicep" },
      { scheme: "file", language: "bicep-params" },
      { scheme: "file", pattern: "**/*.bicep" },
      { scheme: "file", pattern: "**/*.bicepparam" },
      // New, unsaved editors: analysed on their own, their syntax told by their language.
      { scheme: "untitled", language: "terraform" },
      { scheme: "untitled", language: "terraform-vars" },
      { scheme: "untitled", language: "arm-template" },
      { scheme: "untitled", language: "json" },
      { scheme: "untitled", language: "jsonc" },
      { scheme: "untitled", language: "bicep" },
      { scheme: "untitled", language: "bicep-params" },
      // Saving batchguard.toml analyses the open files it governs again.
      { scheme: "file", pattern: "**/batchguard.toml" },
    ],
    initializationOptions: { options },
  };
}

async function start(): Promise<void> {
  const starting = new LanguageClient("batchguard", "batchguard", serverOptions(), clientOptions());
  try {
    await starting.start();
    client = starting;
  } catch (err) {
    // A client that never started cannot be stopped: forget it, so that a restart (or a
    // change of `batchguard.path`) starts afresh.
    try {
      await starting.dispose();
    } catch {
      // Nothing to release.
    }
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(
      `batchguard could not start (${message}). Install batchguard or set "batchguard.path".`,
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

// Fixes every batchguard finding of the active file that has a safe fix: the server runs
// `batchguard scan --fix` on its folder, with the unsaved text, and sends the edits back.
async function fixAllInFile(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    void vscode.window.showInformationMessage("batchguard: open a Terraform or ARM file first.");
    return;
  }
  await client.sendRequest(ExecuteCommandRequest.type, {
    command: "batchguard.fixAll",
    arguments: [editor.document.uri.toString()],
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("batchguard.fixAllInFile", fixAllInFile),
    vscode.commands.registerCommand("batchguard.restart", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("batchguard")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
