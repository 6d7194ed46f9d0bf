// Restarts one at a time: what the extension's restart command and setting changes go through.

import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Serial } from "../serial";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test("a restart asked for while one runs waits for it, and requests while it waits share it", async () => {
  const serial = new Serial();
  const log: string[] = [];
  let running = 0;
  const gates: Array<() => void> = [];
  let n = 0;
  const restart = () =>
    serial.coalesce(async () => {
      const id = ++n;
      running++;
      assert.equal(running, 1, "two restarts overlap");
      log.push(`begin ${id}`);
      const gate = deferred();
      gates.push(gate.resolve);
      await gate.promise;
      log.push(`end ${id}`);
      running--;
    });

  const first = restart();
  await new Promise((r) => setImmediate(r)); // The first has begun: it takes no more requests.
  const second = restart();
  const third = restart();
  assert.equal(second, third);
  assert.notEqual(first, second);
  assert.deepEqual(log, ["begin 1"]);

  gates[0]();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ["begin 1", "end 1", "begin 2"]);
  gates[1]();
  await second;
  assert.deepEqual(log, ["begin 1", "end 1", "begin 2", "end 2"]);
  assert.equal(n, 2);
});

test("a failed start does not stop the next one", async () => {
  const serial = new Serial();
  const log: string[] = [];
  const failing = serial.coalesce(async () => {
    log.push("start fails");
    throw new Error("spawn batchguard ENOENT");
  });
  await assert.rejects(failing, /ENOENT/);
  await serial.coalesce(async () => {
    log.push("started");
  });
  await serial.run(async () => {
    log.push("stopped");
  });
  assert.deepEqual(log, ["start fails", "started", "stopped"]);
});

test("a stop queued behind a start runs after it", async () => {
  const serial = new Serial();
  const log: string[] = [];
  const gate = deferred();
  const start = serial.coalesce(async () => {
    await gate.promise;
    log.push("started");
  });
  const stop = serial.run(async () => {
    log.push("stopped");
  });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, []);
  gate.resolve();
  await Promise.all([start, stop]);
  assert.deepEqual(log, ["started", "stopped"]);
});
