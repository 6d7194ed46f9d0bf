// Finding the batchguard binary, and installing a release binary when the user agrees to it.
//
// Nothing here imports `vscode`: the extension passes in what it knows (settings, the storage
// folder, the extension's version), so that the tests can run these functions with plain node.
// Release archives are read with node's own zlib instead of an archive library: each holds a single
// file that the project builds, and the archive is only opened after its SHA-256 matches the
// published checksum, so a small reader is enough and the extension ships no further dependency.

import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import * as zlib from "node:zlib";

/** The platforms batchguard is released for, as Rust target triples. */
export type Target =
  | "x86_64-unknown-linux-musl"
  | "aarch64-unknown-linux-musl"
  | "x86_64-apple-darwin"
  | "aarch64-apple-darwin"
  | "x86_64-pc-windows-msvc";

const RELEASES = "https://github.com/batchguard/batchguard/releases/download";

/** The release target for a platform and architecture (`process.platform`, `process.arch`), or
 * undefined where batchguard publishes no binary. */
export function releaseTarget(platform: string, arch: string): Target | undefined {
  switch (`${platform}/${arch}`) {
    case "linux/x64":
      return "x86_64-unknown-linux-musl";
    case "linux/arm64":
      return "aarch64-unknown-linux-musl";
    case "darwin/x64":
      return "x86_64-apple-darwin";
    case "darwin/arm64":
      return "aarch64-apple-darwin";
    case "win32/x64":
      return "x86_64-pc-windows-msvc";
    default:
      return undefined;
  }
}

function isWindows(target: Target): boolean {
  return target.endsWith("-windows-msvc");
}

/** The file name of the binary: `batchguard.exe` on Windows, `batchguard` elsewhere. */
export function executableName(target: Target): string {
  return isWindows(target) ? "batchguard.exe" : "batchguard";
}

/** The name of the release archive for a target: a .zip for Windows, a .tar.gz elsewhere. */
export function archiveName(target: Target): string {
  return `batchguard-${target}${isWindows(target) ? ".zip" : ".tar.gz"}`;
}

/** Where the release archive of a version is published; its checksum is at the same address with
 * `.sha256` appended. */
export function releaseUrl(version: string, target: Target): string {
  return `${RELEASES}/v${version}/${archiveName(target)}`;
}

/** The expected SHA-256 (lower-case hex) from a `.sha256` file, whose first line is
 * `<64 hex digits>  <archive name>` as `sha256sum` writes it. Throws when the line is malformed or
 * names another file. */
export function parseChecksum(text: string, archive: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  const match = /^([0-9a-fA-F]+)\s+\*?(\S+)$/.exec(line);
  if (!match) {
    throw new Error(`the checksum file is not "<sha256>  ${archive}": ${JSON.stringify(line.slice(0, 100))}`);
  }
  const [, digest, name] = match;
  if (digest.length !== 64) {
    throw new Error(`the checksum has ${digest.length} hex digits instead of 64`);
  }
  if (name !== archive) {
    throw new Error(`the checksum file is for ${name}, not ${archive}`);
  }
  return digest.toLowerCase();
}

/** Throws unless the SHA-256 of `data` is `expected` (lower-case hex). */
export function verifyChecksum(data: Buffer, expected: string): void {
  const actual = createHash("sha256").update(data).digest("hex");
  if (actual !== expected) {
    throw new Error(`the download's SHA-256 is ${actual}, the release says ${expected}`);
  }
}

function baseName(entry: string): string {
  const parts = entry.split("/").filter((p) => p !== "" && p !== ".");
  return parts.length > 0 ? parts[parts.length - 1] : "";
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString("utf8");
}

function octal(block: Buffer, start: number, length: number, what: string): number {
  const text = cString(block, start, length).trim();
  if (!/^[0-7]+$/.test(text)) {
    throw new Error(`the archive is not a tar file (${what} ${JSON.stringify(text)})`);
  }
  return parseInt(text, 8);
}

/** The contents of the regular file named `name` (in any folder) in a tar archive. Understands
 * ustar headers, GNU long names and pax `path` records; throws when the archive is malformed or
 * has no such file. */
export function extractFromTar(tar: Buffer, name: string): Buffer {
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    if (offset + 512 > tar.length) {
      throw new Error("the archive is truncated");
    }
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) {
      break; // The end-of-archive blocks.
    }
    const checksum = octal(header, 148, 8, "header checksum");
    let sum = 0;
    for (let i = 0; i < 512; i++) {
      sum += i >= 148 && i < 156 ? 0x20 : header[i];
    }
    if (sum !== checksum) {
      throw new Error(`the archive is not a tar file (a header's checksum is wrong at byte ${offset})`);
    }
    const size = octal(header, 124, 12, "entry size");
    const type = String.fromCharCode(header[156]);
    const dataStart = offset + 512;
    if (dataStart + size > tar.length) {
      throw new Error("the archive is truncated");
    }
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;

    if (type === "L") {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      // pax records: "<length> <key>=<value>\n".
      for (const record of data.toString("utf8").split("\n")) {
        const m = /^\d+ path=(.*)$/.exec(record);
        if (m) {
          longName = m[1];
        }
      }
      continue;
    }
    let entry = longName;
    longName = undefined;
    if (entry === undefined) {
      entry = cString(header, 0, 100);
      if (cString(header, 257, 6) === "ustar") {
        const prefix = cString(header, 345, 155);
        if (prefix !== "") {
          entry = `${prefix}/${entry}`;
        }
      }
    }
    if ((type === "0" || type === "\0") && baseName(entry) === name) {
      return Buffer.from(data);
    }
  }
  throw new Error(`the archive has no file ${name}`);
}

/** The contents of `name` (in any folder) in a gzip-compressed tar archive. */
export function extractFromTarGz(archive: Buffer, name: string): Buffer {
  let tar: Buffer;
  try {
    tar = zlib.gunzipSync(archive);
  } catch (err) {
    throw new Error(`the archive is not gzip-compressed (${err instanceof Error ? err.message : String(err)})`);
  }
  return extractFromTar(tar, name);
}

/** The contents of the file named `name` (in any folder) in a zip archive, stored or deflated. */
export function extractFromZip(zip: Buffer, name: string): Buffer {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end === -1) {
    throw new Error("the archive is not a zip file");
  }
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) {
      throw new Error("the zip file's central directory is malformed");
    }
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const entry = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    offset += 46 + nameLength + extraLength + commentLength;
    if (entry.endsWith("/") || baseName(entry) !== name) {
      continue;
    }
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) {
      throw new Error(`the zip file's entry ${entry} is malformed`);
    }
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (dataStart + compressed > zip.length) {
      throw new Error("the archive is truncated");
    }
    const data = zip.subarray(dataStart, dataStart + compressed);
    let contents: Buffer;
    if (method === 0) {
      contents = Buffer.from(data);
    } else if (method === 8) {
      contents = zlib.inflateRawSync(data);
    } else {
      throw new Error(`the zip file's entry ${entry} uses compression method ${method}`);
    }
    if (contents.length !== size) {
      throw new Error(`the zip file's entry ${entry} has ${contents.length} bytes instead of ${size}`);
    }
    return contents;
  }
  throw new Error(`the archive has no file ${name}`);
}

/** The folder, under the extension's global storage, that holds the binary of a version. */
export function installFolder(storage: string, version: string, target: Target): string {
  return path.join(storage, "bin", `${version}-${target}`);
}

/** The binary installed for this version by an earlier download, if it is there. */
export function installedBinary(storage: string, version: string, target: Target): string | undefined {
  const file = path.join(installFolder(storage, version, target), executableName(target));
  return fs.existsSync(file) ? file : undefined;
}

/** The first `batchguard` (`batchguard.exe` on Windows) in the folders of a `PATH` value that is an
 * executable file. */
export function findOnPath(
  pathValue: string | undefined,
  platform: string,
  isExecutable: (file: string) => boolean = executableFile,
): string | undefined {
  const windows = platform === "win32";
  const name = windows ? "batchguard.exe" : "batchguard";
  for (const folder of (pathValue ?? "").split(windows ? ";" : ":")) {
    const dir = folder.trim().replace(/^"(.*)"$/, "$1");
    if (dir === "") {
      continue;
    }
    const file = (windows ? path.win32 : path.posix).join(dir, name);
    if (isExecutable(file)) {
      return file;
    }
  }
  return undefined;
}

function executableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Fetches a URL's body. */
export type Get = (url: string) => Promise<Buffer>;

/** Downloads the release archive of `version` for `target` and its checksum with `get`, checks the
 * archive's SHA-256 before opening it, and writes the binary (executable) into the storage's
 * folder for this version. Returns the binary's path. Folders of other versions are removed. */
export async function installRelease(
  storage: string,
  version: string,
  target: Target,
  get: Get = httpsGet,
): Promise<string> {
  const url = releaseUrl(version, target);
  const [archive, checksum] = await Promise.all([get(url), get(`${url}.sha256`)]);
  verifyChecksum(archive, parseChecksum(checksum.toString("utf8"), archiveName(target)));
  const name = executableName(target);
  const binary = isWindows(target) ? extractFromZip(archive, name) : extractFromTarGz(archive, name);

  const folder = installFolder(storage, version, target);
  fs.mkdirSync(folder, { recursive: true });
  // Written beside its final name and renamed, so that another window never runs half a file.
  const partial = path.join(folder, `.${name}.${randomBytes(6).toString("hex")}.partial`);
  const file = path.join(folder, name);
  try {
    fs.writeFileSync(partial, binary, { mode: 0o755 });
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  removeOtherVersions(path.dirname(folder), path.basename(folder));
  return file;
}

function removeOtherVersions(parent: string, keep: string): void {
  for (const entry of fs.readdirSync(parent)) {
    if (entry !== keep) {
      try {
        fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
      } catch {
        // Still in use (a running binary on Windows): it goes with a later download.
      }
    }
  }
}

const MAX_BYTES = 200 * 1024 * 1024;

/** GETs an https URL, following up to five redirects (GitHub sends release downloads to its
 * storage host), and refuses anything but https. Uses node's `https`, which VS Code routes through
 * the user's proxy settings. */
export function httpsGet(url: string, redirects = 5): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (!url.startsWith("https://")) {
      reject(new Error(`refusing to download from ${url}: not https`));
      return;
    }
    const request = https.get(url, { headers: { "User-Agent": "batchguard-vscode" } }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (redirects === 0) {
          reject(new Error(`too many redirects from ${url}`));
        } else {
          resolve(httpsGet(new URL(location, url).toString(), redirects - 1));
        }
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(new Error(`${url}: HTTP ${status}`));
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on("data", (chunk: Buffer) => {
        length += chunk.length;
        if (length > MAX_BYTES) {
          request.destroy(new Error(`${url} is larger than ${MAX_BYTES} bytes`));
        } else {
          chunks.push(chunk);
        }
      });
      response.on("end", () => resolve(Buffer.concat(chunks)));
      response.on("error", reject);
    });
    request.setTimeout(60_000, () => request.destroy(new Error(`${url}: no answer for 60 s`)));
    request.on("error", reject);
  });
}
