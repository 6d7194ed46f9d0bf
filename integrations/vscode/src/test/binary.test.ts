// The binary module without VS Code: `npm test` compiles and runs these with `node --test`.

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import * as zlib from "node:zlib";
import {
  archiveName,
  extractFromTar,
  extractFromTarGz,
  extractFromZip,
  findOnPath,
  httpsGet,
  installRelease,
  installedBinary,
  parseChecksum,
  releaseTarget,
  releaseUrl,
  Target,
  verifyChecksum,
} from "../binary";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "batchguard-vscode-test-"));
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ["--help"], { stdio: "ignore" });
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

// A release archive as the release job makes it: `batchguard` (and here a README beside it, which
// must be passed over), gzip-compressed with the system's tar.
function tarball(contents: Buffer, folder = ".", format = "gnu"): Buffer {
  const dir = tempDir();
  const inner = path.join(dir, folder);
  fs.mkdirSync(inner, { recursive: true });
  fs.writeFileSync(path.join(inner, "README.md"), "batchguard\n");
  fs.writeFileSync(path.join(inner, "batchguard"), contents, { mode: 0o755 });
  const archive = path.join(dir, "out.tar.gz");
  execFileSync("tar", [`--format=${format}`, "-czf", archive, "-C", dir, path.join(folder, "README.md"), path.join(folder, "batchguard")]);
  const data = fs.readFileSync(archive);
  fs.rmSync(dir, { recursive: true, force: true });
  return data;
}

const BINARY = Buffer.from("#!/bin/sh\necho batchguard 0.1.0\n");

test("each released platform has its target, others none", () => {
  assert.equal(releaseTarget("linux", "x64"), "x86_64-unknown-linux-musl");
  assert.equal(releaseTarget("linux", "arm64"), "aarch64-unknown-linux-musl");
  assert.equal(releaseTarget("darwin", "x64"), "x86_64-apple-darwin");
  assert.equal(releaseTarget("darwin", "arm64"), "aarch64-apple-darwin");
  assert.equal(releaseTarget("win32", "x64"), "x86_64-pc-windows-msvc");
  assert.equal(releaseTarget("win32", "arm64"), undefined);
  assert.equal(releaseTarget("linux", "ia32"), undefined);
  assert.equal(releaseTarget("freebsd", "x64"), undefined);
});

test("release archives are .tar.gz, .zip on Windows, under the version's tag", () => {
  assert.equal(
    releaseUrl("0.1.0", "x86_64-unknown-linux-musl"),
    "https://github.com/batchguard/batchguard/releases/download/v0.1.0/batchguard-x86_64-unknown-linux-musl.tar.gz",
  );
  assert.equal(archiveName("aarch64-apple-darwin"), "batchguard-aarch64-apple-darwin.tar.gz");
  assert.equal(archiveName("x86_64-pc-windows-msvc"), "batchguard-x86_64-pc-windows-msvc.zip");
});

test("a checksum line gives its digest for the archive it names", () => {
  const digest = "0123456789abcdefABCDEF0123456789abcdef0123456789abcdef0123456789";
  const name = "batchguard-x86_64-unknown-linux-musl.tar.gz";
  assert.equal(parseChecksum(`${digest}  ${name}\n`, name), digest.toLowerCase());
  assert.equal(parseChecksum(`${digest} *${name}\r\n`, name), digest.toLowerCase());
});

test("a checksum of the wrong length, for another file, or not a checksum line is refused", () => {
  const name = "batchguard-x86_64-unknown-linux-musl.tar.gz";
  assert.throws(() => parseChecksum(`${"a".repeat(63)}  ${name}`, name), /63 hex digits instead of 64/);
  assert.throws(() => parseChecksum(`${"a".repeat(65)}  ${name}`, name), /65 hex digits instead of 64/);
  assert.throws(() => parseChecksum(`${"a".repeat(64)}  batchguard-aarch64-apple-darwin.tar.gz`, name), /is for batchguard-aarch64/);
  assert.throws(() => parseChecksum("<html>Not Found</html>", name), /not "<sha256>/);
  assert.throws(() => parseChecksum("", name), /not "<sha256>/);
});

test("a download whose SHA-256 differs from the release's is refused", () => {
  const data = Buffer.from("archive");
  verifyChecksum(data, sha256(data));
  assert.throws(() => verifyChecksum(data, sha256(Buffer.from("other"))), /SHA-256 is/);
});

test("the binary is read from a tar.gz made by tar, at the top or in a folder", () => {
  assert.deepEqual(extractFromTarGz(tarball(BINARY), "batchguard"), BINARY);
  assert.deepEqual(extractFromTarGz(tarball(BINARY, "batchguard-x86_64-unknown-linux-musl"), "batchguard"), BINARY);
  assert.throws(() => extractFromTarGz(tarball(BINARY), "batchguard.exe"), /has no file batchguard.exe/);
});

test("a binary larger than one block is read under a name longer than 100 bytes in each tar format", () => {
  const big = Buffer.alloc(70_000);
  for (let i = 0; i < big.length; i++) {
    big[i] = (i * 31) % 251;
  }
  const folder = "a".repeat(60) + "/" + "b".repeat(60);
  // GNU tar writes the long name as a GNU long-name entry, ustar splits it into prefix and name,
  // pax writes a path record.
  for (const format of ["gnu", "ustar", "pax"]) {
    assert.deepEqual(extractFromTarGz(tarball(big, folder, format), "batchguard"), big, format);
  }
});

test("what is not a tar.gz, or is cut short, is refused", () => {
  assert.throws(() => extractFromTarGz(Buffer.from("not gzip"), "batchguard"), /not gzip-compressed/);
  assert.throws(() => extractFromTar(Buffer.alloc(512, 0x41), "batchguard"), /not a tar file/);
  const tar = zlib.gunzipSync(tarball(BINARY));
  // Cut in the first entry's data, and after it (before the binary's header).
  assert.throws(() => extractFromTar(tar.subarray(0, 520), "batchguard"), /truncated/);
  assert.throws(() => extractFromTar(tar.subarray(0, 1024), "batchguard"), /truncated/);
  // A header whose checksum no longer matches.
  const corrupt = Buffer.from(tar);
  corrupt[0] ^= 1;
  assert.throws(() => extractFromTar(corrupt, "batchguard"), /checksum is wrong/);
});

test("batchguard.exe is read from a zip, deflated or stored", (t) => {
  if (!hasCommand("zip")) {
    t.skip("zip is not installed");
    return;
  }
  const dir = tempDir();
  const big = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(50_000, 7)]);
  fs.writeFileSync(path.join(dir, "batchguard.exe"), big);
  fs.writeFileSync(path.join(dir, "README.md"), "batchguard\n");
  execFileSync("zip", ["-q", "deflated.zip", "README.md", "batchguard.exe"], { cwd: dir });
  execFileSync("zip", ["-q", "-0", "stored.zip", "README.md", "batchguard.exe"], { cwd: dir });
  for (const zip of ["deflated.zip", "stored.zip"]) {
    const data = fs.readFileSync(path.join(dir, zip));
    assert.deepEqual(extractFromZip(data, "batchguard.exe"), big, zip);
    assert.throws(() => extractFromZip(data, "batchguard"), /has no file batchguard/);
  }
  assert.throws(() => extractFromZip(Buffer.alloc(100), "batchguard.exe"), /not a zip file/);
  fs.rmSync(dir, { recursive: true, force: true });
});

// A release served from memory: `get` answers the two URLs of the archive and its checksum.
function release(target: Target, archive: Buffer, checksum: string): { get: (url: string) => Promise<Buffer>; asked: string[] } {
  const asked: string[] = [];
  const url = releaseUrl("0.1.0", target);
  const files = new Map([
    [url, archive],
    [`${url}.sha256`, Buffer.from(checksum)],
  ]);
  return {
    asked,
    get: async (u: string) => {
      asked.push(u);
      const body = files.get(u);
      if (!body) {
        throw new Error(`${u}: HTTP 404`);
      }
      return body;
    },
  };
}

test("a verified release is installed, executable, where the next start finds it", async () => {
  const storage = tempDir();
  const target: Target = "x86_64-unknown-linux-musl";
  // An earlier version's binary, which the new one replaces.
  const old = path.join(storage, "bin", `0.0.9-${target}`);
  fs.mkdirSync(old, { recursive: true });
  fs.writeFileSync(path.join(old, "batchguard"), "old");

  const archive = tarball(BINARY);
  const { get, asked } = release(target, archive, `${sha256(archive)}  ${archiveName(target)}\n`);
  assert.equal(installedBinary(storage, "0.1.0", target), undefined);
  const file = await installRelease(storage, "0.1.0", target, get);
  assert.deepEqual(asked.sort(), [
    "https://github.com/batchguard/batchguard/releases/download/v0.1.0/batchguard-x86_64-unknown-linux-musl.tar.gz",
    "https://github.com/batchguard/batchguard/releases/download/v0.1.0/batchguard-x86_64-unknown-linux-musl.tar.gz.sha256",
  ]);
  assert.equal(file, path.join(storage, "bin", `0.1.0-${target}`, "batchguard"));
  assert.deepEqual(fs.readFileSync(file), BINARY);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["batchguard"]);
  if (process.platform !== "win32") {
    assert.equal(fs.statSync(file).mode & 0o111, 0o111);
    assert.equal(execFileSync(file).toString(), "batchguard 0.1.0\n");
  }
  assert.equal(installedBinary(storage, "0.1.0", target), file);
  assert.equal(fs.existsSync(old), false);
  fs.rmSync(storage, { recursive: true, force: true });
});

test("a release whose checksum does not match is not installed", async () => {
  const storage = tempDir();
  const target: Target = "aarch64-apple-darwin";
  const archive = tarball(BINARY);
  const tampered = Buffer.from(archive);
  tampered[tampered.length - 1] ^= 1;
  const { get } = release(target, tampered, `${sha256(archive)}  ${archiveName(target)}\n`);
  await assert.rejects(installRelease(storage, "0.1.0", target, get), /SHA-256 is/);
  assert.deepEqual(fs.readdirSync(storage), []);
  assert.equal(installedBinary(storage, "0.1.0", target), undefined);

  const missing = release(target, archive, "Not Found");
  await assert.rejects(installRelease(storage, "0.1.0", target, missing.get), /checksum file/);
  assert.deepEqual(fs.readdirSync(storage), []);
  fs.rmSync(storage, { recursive: true, force: true });
});

test("only https is downloaded from", async () => {
  await assert.rejects(httpsGet("http://github.com/batchguard/batchguard"), /not https/);
});

// GitHub answers a release download with a redirect to its storage host: followed over https,
// refused towards http, and a missing file is an error rather than an empty archive.
test("downloads follow https redirects, refuse http ones and fail on errors", async (t) => {
  if (!hasCommand("openssl")) {
    t.skip("openssl is not installed");
    return;
  }
  const dir = tempDir();
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    { cwd: dir, stdio: "ignore" },
  );
  const cert = fs.readFileSync(path.join(dir, "cert.pem"));
  const server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert }, (req, res) => {
    const routes: Record<string, [number, Record<string, string>, string]> = {
      "/release": [302, { location: "/storage/archive" }, ""],
      "/storage/archive": [200, {}, "archive bytes"],
      "/insecure": [302, { location: "http://127.0.0.1/archive" }, ""],
      "/loop": [302, { location: "/loop" }, ""],
    };
    const [status, headers, body] = routes[req.url ?? ""] ?? [404, {}, "Not Found"];
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const saved = https.globalAgent.options.ca;
  https.globalAgent.options.ca = cert;
  try {
    assert.equal((await httpsGet(`${base}/release`)).toString(), "archive bytes");
    await assert.rejects(httpsGet(`${base}/insecure`), /refusing to download from http:\/\/127\.0\.0\.1\/archive/);
    await assert.rejects(httpsGet(`${base}/missing.sha256`), /HTTP 404/);
    await assert.rejects(httpsGet(`${base}/loop`), /too many redirects/);
  } finally {
    https.globalAgent.options.ca = saved;
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("PATH is searched in order for an executable batchguard", () => {
  const executables = new Set(["/opt/bin/batchguard", "/usr/bin/batchguard", "C:\\tools\\batchguard.exe"]);
  const isExecutable = (f: string) => executables.has(f);
  assert.equal(findOnPath("/usr/local/bin::/opt/bin:/usr/bin", "linux", isExecutable), "/opt/bin/batchguard");
  assert.equal(findOnPath("/usr/local/bin", "darwin", isExecutable), undefined);
  assert.equal(findOnPath(undefined, "linux", isExecutable), undefined);
  assert.equal(findOnPath('C:\\Windows;"C:\\tools"', "win32", isExecutable), "C:\\tools\\batchguard.exe");

  // The real check: an executable file, not a folder or a file without the executable bit.
  if (process.platform !== "win32") {
    const dir = tempDir();
    const [a, b, c] = ["a", "b", "c"].map((d) => path.join(dir, d));
    fs.mkdirSync(path.join(a, "batchguard"), { recursive: true });
    fs.mkdirSync(b);
    fs.writeFileSync(path.join(b, "batchguard"), "", { mode: 0o644 });
    fs.mkdirSync(c);
    fs.writeFileSync(path.join(c, "batchguard"), "", { mode: 0o755 });
    assert.equal(findOnPath([a, b, c].join(":"), process.platform), path.join(c, "batchguard"));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
