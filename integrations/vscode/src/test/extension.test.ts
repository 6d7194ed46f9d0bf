// The extension's start-up and restarts, against stand-ins for VS Code and the language client
// (node cannot load the real ones outside VS Code): which binary it starts, when it asks to
// download one, and that restarts after a failed start start again, one at a time.

import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import * as binary from "../binary";

const Module = require("node:module");

type Answer = string | undefined;

class FakeClient {
  static all: FakeClient[] = [];
  state = "initial";
  constructor(
    public id: string,
    public name: string,
    public server: { command: string; args: string[] },
    public options: { documentSelector: Array<Record<string, string>> },
  ) {
    FakeClient.all.push(this);
  }
  async start(): Promise<void> {
    this.state = "starting";
    await new Promise((r) => setTimeout(r, 5));
    if (!fs.existsSync(this.server.command)) {
      this.state = "startFailed";
      throw new Error(`Launching server using command ${this.server.command} failed.`);
    }
    assert.equal(FakeClient.all.filter((c) => c.state === "running").length, 0, "a second server started");
    this.state = "running";
  }
  async stop(): Promise<void> {
    if (this.state !== "running") {
      throw new Error(`Client is not running and can't be stopped. It's current state is: ${this.state}`);
    }
    await new Promise((r) => setTimeout(r, 5));
    this.state = "stopped";
  }
  async dispose(): Promise<void> {
    const running = this.state === "running";
    this.state = "disposed";
    if (!running) {
      throw new Error("Client is not running and can't be stopped.");
    }
  }
}

interface World {
  settings: Record<string, unknown>;
  messages: string[];
  answers: Answer[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  executed: unknown[][];
  changeConfiguration: () => void;
  storage: string;
  asked: Promise<Answer>[];
}

function fakeVscode(world: World): unknown {
  let onChange: ((e: { affectsConfiguration(s: string): boolean }) => unknown) | undefined;
  world.changeConfiguration = () => onChange?.({ affectsConfiguration: (s) => s === "batchguard" });
  const message = (kind: string) => (text: string, ...items: string[]) => {
    world.messages.push(`${kind}: ${text}${items.length ? ` [${items.join("|")}]` : ""}`);
    const answer = items.length ? world.answers.shift() : undefined;
    const shown = Promise.resolve(answer);
    if (items.length) {
      world.asked.push(shown);
    }
    return shown;
  };
  return {
    workspace: {
      getConfiguration: () => ({
        get: (key: string, fallback: unknown) => (key in world.settings ? world.settings[`${key}`] : fallback),
      }),
      onDidChangeConfiguration: (f: typeof onChange) => {
        onChange = f;
        return { dispose() {} };
      },
    },
    window: {
      showErrorMessage: message("error"),
      showInformationMessage: message("info"),
      createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
      withProgress: (_: unknown, task: () => Promise<unknown>) => task(),
      activeTextEditor: undefined,
    },
    commands: {
      registerCommand: (id: string, f: (...args: unknown[]) => unknown) => {
        world.commands.set(id, f);
        return { dispose() {} };
      },
      executeCommand: async (...args: unknown[]) => {
        world.executed.push(args);
      },
    },
    ProgressLocation: { Notification: 15 },
  };
}

// A release served from memory in place of GitHub (made before the tests change PATH).
function fakeRelease(target: binary.Target): binary.Get {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "batchguard-release-"));
  fs.writeFileSync(path.join(dir, "batchguard"), "#!/bin/sh\n", { mode: 0o755 });
  execFileSync("tar", ["-czf", "a.tar.gz", "batchguard"], { cwd: dir });
  const archive = fs.readFileSync(path.join(dir, "a.tar.gz"));
  fs.rmSync(dir, { recursive: true, force: true });
  const sum = `${createHash("sha256").update(archive).digest("hex")}  ${binary.archiveName(target)}\n`;
  const url = binary.releaseUrl("0.1.0", target);
  return async (u) => {
    if (u === url) return archive;
    if (u === `${url}.sha256`) return Buffer.from(sum);
    throw new Error(`${u}: HTTP 404`);
  };
}

const TARGET = binary.releaseTarget(process.platform, process.arch);
const RELEASE = TARGET && process.platform !== "win32" ? fakeRelease(TARGET) : undefined;

// Loads a fresh copy of the extension with the stand-ins, and activates it.
async function activate(world: World, pathValue: string): Promise<{ deactivate(): Promise<void> }> {
  const out = path.join(__dirname, "..");
  for (const f of ["extension.js", "serial.js"]) {
    delete require.cache[path.join(out, f)];
  }
  FakeClient.all = [];
  const load = Module._load;
  Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === "vscode") return fakeVscode(world);
    if (request === "vscode-languageclient/node") return { LanguageClient: FakeClient, TransportKind: { stdio: 0 }, ExecuteCommandRequest: {} };
    if (request === "./binary") {
      return {
        ...binary,
        installRelease: (storage: string, version: string, t: binary.Target) =>
          binary.installRelease(storage, version, t, RELEASE),
      };
    }
    return load.call(this, request, ...rest);
  };
  // The extension reads PATH at each start; each test file runs in its own node process.
  process.env.PATH = pathValue;
  try {
    const extension = require(path.join(out, "extension.js"));
    await extension.activate({
      subscriptions: [],
      extension: { packageJSON: { version: "0.1.0" } },
      globalStorageUri: { fsPath: world.storage },
    });
    return extension;
  } finally {
    Module._load = load;
  }
}

// Folders the tests make, removed when the file's tests are done.
const scratch: string[] = [];
after(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

function world(): World {
  return {
    settings: {},
    messages: [],
    answers: [],
    commands: new Map(),
    executed: [],
    changeConfiguration: () => {},
    storage: scratchDir("batchguard-storage-"),
    asked: [],
  };
}

const settle = () => new Promise((r) => setTimeout(r, 50));
const running = () => FakeClient.all.filter((c) => c.state === "running");

// A folder holding an executable `batchguard`, to put on PATH.
function binFolder(): string {
  const dir = scratchDir("batchguard-bin-");
  fs.writeFileSync(path.join(dir, "batchguard"), "#!/bin/sh\n", { mode: 0o755 });
  return dir;
}

const skipOnWindows = RELEASE ? false : "the stand-in binaries are shell scripts, and a release target is needed";

test("batchguard on PATH is started for saved and untitled documents", { skip: skipOnWindows }, async () => {
  const w = world();
  const bin = binFolder();
  const extension = await activate(w, `/nonexistent:${bin}`);
  assert.equal(running().length, 1);
  const client = running()[0];
  assert.equal(client.server.command, path.join(bin, "batchguard"));
  assert.deepEqual(client.server.args, ["lsp"]);
  const selector = client.options.documentSelector;
  for (const language of ["terraform", "terraform-vars", "json", "jsonc", "arm-template", "bicep", "bicep-params"]) {
    assert.ok(selector.some((s) => s.scheme === "file" && s.language === language), language);
    assert.ok(selector.some((s) => s.scheme === "untitled" && s.language === language), `untitled ${language}`);
  }
  assert.deepEqual(w.messages, []);
  await extension.deactivate();
  assert.equal(running().length, 0);
});

test("after a failed start, restart starts again; restarts in a burst start one server", { skip: skipOnWindows }, async () => {
  const w = world();
  w.settings["path"] = "/nonexistent/batchguard";
  const extension = await activate(w, "");
  assert.equal(running().length, 0);
  assert.equal(FakeClient.all[0].state, "disposed");
  assert.match(w.messages[0], /^error: batchguard could not start \/nonexistent\/batchguard/);

  // The binary appears (installed, or the setting corrected): the restart command starts it.
  const bin = binFolder();
  w.settings["path"] = path.join(bin, "batchguard");
  const restart = w.commands.get("batchguard.restart")!;
  await restart();
  assert.equal(running().length, 1);

  // Several restarts and setting changes at once: one server at the end, never two at a time
  // (FakeClient.start asserts it), and fewer starts than requests.
  const before = FakeClient.all.length;
  const all = [restart(), restart(), restart()];
  w.changeConfiguration();
  await Promise.all(all);
  await settle();
  assert.equal(running().length, 1);
  assert.ok(FakeClient.all.length - before <= 2, `${FakeClient.all.length - before} starts`);
  await extension.deactivate();
  assert.equal(running().length, 0);
});

test("without a binary it asks once, remembers Cancel, and asks again on the restart command", { skip: skipOnWindows }, async () => {
  const w = world();
  w.answers.push("Cancel");
  const extension = await activate(w, "/nonexistent");
  await Promise.all(w.asked);
  await settle();
  assert.equal(w.messages.length, 1);
  assert.match(w.messages[0], /^info: batchguard is not installed .* Download batchguard 0\.1\.0 for .*\[Download\|Open settings\|Cancel\]$/);
  assert.equal(FakeClient.all.length, 0);

  w.changeConfiguration();
  await settle();
  assert.equal(w.messages.length, 1, "asked again after Cancel");

  w.answers.push("Open settings");
  await w.commands.get("batchguard.restart")!();
  await Promise.all(w.asked);
  await settle();
  assert.equal(w.messages.length, 2);
  assert.deepEqual(w.executed, [["workbench.action.openSettings", "batchguard."]]);
  assert.equal(fs.readdirSync(w.storage).length, 0, "downloaded without consent");
  await extension.deactivate();
});

test("Download installs the release binary, which later starts use without asking", { skip: skipOnWindows }, async () => {
  const w = world();
  w.answers.push("Download");
  const extension = await activate(w, "/nonexistent");
  await Promise.all(w.asked);
  await settle();
  assert.equal(running().length, 1);
  assert.equal(running()[0].server.command, binary.installedBinary(w.storage, "0.1.0", TARGET!));
  await extension.deactivate();

  const again = await activate(w, "/nonexistent");
  assert.equal(w.messages.length, 1);
  assert.equal(running().length, 1);
  await again.deactivate();
});

test('with batchguard.download "never" it does not ask', { skip: skipOnWindows }, async () => {
  const w = world();
  w.settings["download"] = "never";
  const extension = await activate(w, "/nonexistent");
  assert.equal(w.messages.length, 1);
  assert.match(w.messages[0], /^error: batchguard is not on PATH and "batchguard.download" is "never".*\[Open settings\]$/);
  assert.equal(FakeClient.all.length, 0);
  await extension.deactivate();
});
