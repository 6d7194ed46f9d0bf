// The batchguard extension: starts `batchguard lsp` for Terraform and ARM JSON files, so that
// findings appear as diagnostics while a template is edited.

import * as vscode from "vscode";
import {
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
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      // Saving batchguard.toml analyses the open files it governs again.
      { scheme: "file", pattern: "**/batchguard.toml" },
    ],
    initializationOptions: { options },
  };
}

async function start(): Promise<void> {
  client = new LanguageClient("batchguard", "batchguard", serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
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
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
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
