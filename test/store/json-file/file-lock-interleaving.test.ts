/**
 * The lock's takeover replayed one file-system call at a time (fs-steps.ts):
 * contenders that all judged the same holder dead, interleaved at their worst,
 * never both hold the lock, and a write whose lock is taken from it just
 * before its rename does not rename.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  acquireFileLock,
  breakDeadLock,
  lockPathOf,
  type FileLock,
} from "../../../src/store/json-file/file-lock.js";
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";
import { readLockFile } from "../../../src/store/json-file/lock-file.js";
import { claimPathOf } from "../../../src/store/json-file/lock-takeover.js";
import { selfIdentity } from "../../../src/store/json-file/process-identity.js";
import { Actor, outsideActors, type FsCall } from "./fs-steps.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const { gatedFs } = await import("./fs-steps.js");
  return gatedFs(await importOriginal<typeof import("node:fs/promises")>());
});

let dir: string;
let file: string;
let lockPath: string;
const actors: Actor[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-lock-steps-"));
  file = join(dir, "data.json");
  lockPath = lockPathOf(file);
});
afterEach(async () => {
  for (const actor of actors.splice(0)) {
    actor.free();
    const outcome = await actor.outcome;
    if ("value" in outcome && outcome.value instanceof Object && "release" in outcome.value)
      await (outcome.value as FileLock).release();
  }
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

/** A lock (or claim) file's content naming a dead process of this host. */
function deadHolder(token: string): string {
  return JSON.stringify({ pid: deadPid(), host: selfIdentity.host, start: null, token, since: "" });
}

/** A contender for the lock, stepped by the test (it waits for a live holder up to 20 s). */
function contender(name: string): Actor<FileLock> {
  const actor = new Actor(name, () => acquireFileLock(file, { timeoutMs: 20_000 }));
  actors.push(actor as Actor);
  return actor;
}

const isRemoval = (call: FsCall) =>
  (call.op === "unlink" || call.op === "rename") &&
  call.paths[0]!.startsWith(lockPath) &&
  !call.paths[0]!.endsWith(".tmp");

/** Stops `actor` before its n-th removal of a lock-related file (counted from its start). */
const beforeRemoval = (actor: Actor, n: number) => (call: FsCall) =>
  isRemoval(call) && actor.calls.filter(isRemoval).length === n - 1;

/** The contenders whose acquisition has resolved. */
async function holders(contenders: readonly Actor<FileLock>[]): Promise<string[]> {
  const settled = await Promise.all(
    contenders.map(async (c) => {
      const done = await Promise.race([c.outcome, Promise.resolve(undefined)]);
      return done !== undefined && "value" in done ? c.name : undefined;
    }),
  );
  return settled.filter((name) => name !== undefined);
}

async function lockOf(actor: Actor<FileLock>): Promise<FileLock> {
  const outcome = await actor.outcome;
  if (!("value" in outcome)) throw outcome.error;
  return outcome.value;
}

describe("lock takeover, step by step", () => {
  it("never lets two contenders that both judged the holder dead hold the lock (the old guard race)", async () => {
    await writeFile(lockPath, deadHolder("dead-lock"));
    // What the old protocol's guard looked like when its holder died taking over; the new one has no guard.
    await writeFile(`${lockPath}.break`, deadHolder("dead-guard"));
    const b = contender("B");
    const c = contender("C");
    // B judges the holder dead and stops before it removes anything (old: the dead guard).
    await b.runUntil(beforeRemoval(b, 1));
    // C (old: removes the dead guard, takes the guard, reads the dead lock) stops before removing the lock.
    await c.runUntil(beforeRemoval(c, 2), 80);
    // B (old: removes C's guard with an unconditional unlink, takes the guard, reads the same dead lock).
    await b.runUntil(beforeRemoval(b, 2), 80);
    // C goes on (old: removes the dead lock and takes the lock).
    await c.runUntil(() => false, 80);
    // B goes on (old: its unlink removes C's live lock, and B takes the lock too).
    await b.runUntil(() => false, 80);
    const held = await holders([b, c]);
    expect(held).toHaveLength(1);
    const [first, second] = held[0] === "B" ? [b, c] : [c, b];
    const lock = await lockOf(first);
    await lock.assertHeld(); // nobody removed it
    // The other one gets the lock once the first releases it, and not before.
    expect(await holders([second])).toEqual([]);
    await outsideActors(() => lock.release());
    second.free();
    const next = await lockOf(second);
    await next.assertHeld();
    await outsideActors(() => next.release());
    expect(await readdir(dir)).toEqual([`data.json.lock.break`]);
  });

  it("lets one contender take over a claimer that died, and the other wait for it", async () => {
    await writeFile(lockPath, deadHolder("dead-lock"));
    const dead = (await readLockFile(lockPath))!;
    // A claimer that died right after claiming the dead lock.
    const deadClaim = claimPathOf(lockPath, dead);
    await writeFile(deadClaim, deadHolder("dead-claimer"));
    const createsClaim = (call: FsCall) =>
      call.op === "link" && call.paths[1]!.startsWith(`${deadClaim}-`);
    const b = contender("B");
    const c = contender("C");
    // Both read the dead claim and are about to claim the next level.
    expect(await b.runUntil(createsClaim)).toBeDefined();
    expect(await c.runUntil(createsClaim)).toBeDefined();
    // C claims it and stops before removing the lock.
    await c.runUntil(beforeRemoval(c, 1));
    // B finds C's live claim, removes nothing and waits.
    await b.runUntil(() => false, 80);
    expect(b.calls.filter(isRemoval)).toEqual([]);
    // C removes the dead lock and takes the lock; B still waits.
    await c.runUntil(() => false, 80);
    expect(await holders([b, c])).toEqual(["C"]);
    await b.runUntil(() => false, 80);
    expect(await holders([b, c])).toEqual(["C"]);
    const lock = await lockOf(c);
    await lock.assertHeld();
    await outsideActors(() => lock.release());
    b.free();
    await outsideActors(async () => (await lockOf(b)).release());
    expect(await readdir(dir)).toEqual([]);
  });

  it("leaves a live lock alone when its judgement of the dead one came too late", async () => {
    await writeFile(lockPath, deadHolder("dead-lock"));
    const b = contender("B");
    const c = contender("C");
    // B has read the dead lock and is about to claim it.
    expect(
      await b.runUntil((call) => call.op === "link" && call.paths[1]!.includes(".claim-")),
    ).toBeDefined();
    // C takes it over from start to end.
    await c.finish();
    const lock = await lockOf(c);
    // B claims the version it judged (already gone), finds the lock is another one, removes nothing.
    await b.runUntil(() => false, 80);
    expect(b.calls.filter((call) => isRemoval(call) && call.paths[0] === lockPath)).toEqual([]);
    await lock.assertHeld();
    expect(await holders([b])).toEqual([]);
    await outsideActors(() => lock.release());
    b.free();
    await outsideActors(async () => (await lockOf(b)).release());
    expect(await readdir(dir)).toEqual([]);
  });

  it("removes on open the claims a claimer left after removing the lock it claimed, not the current lock's", async () => {
    await writeFile(lockPath, deadHolder("dead-lock"));
    const gone = (await readLockFile(lockPath))!;
    await rm(lockPath);
    await writeFile(claimPathOf(lockPath, gone), deadHolder("dead-claimer"));
    await writeFile(
      `${claimPathOf(lockPath, gone)}-0123456789abcdef`,
      deadHolder("dead-claimer-2"),
    );
    const lock = await acquireFileLock(file);
    const current = (await readLockFile(lockPath))!;
    const chain = claimPathOf(lockPath, current);
    await writeFile(chain, deadHolder("claimer-of-a-live-lock"));
    expect(await breakDeadLock(file)).toBeUndefined(); // the holder is alive
    expect((await readdir(dir)).sort()).toEqual(["data.json.lock", chain.slice(dir.length + 1)]);
    await lock.release();
    await rm(chain);
  });
});

describe("a write whose lock is taken just before its rename", () => {
  /** Stops `actor` at the lock check that follows a temporary file's creation while it holds the lock. */
  const lateCheck = (actor: Actor) => (call: FsCall) => {
    if (call.op !== "open" || call.paths[0] !== lockPath) return false;
    const since = actor.calls.slice(
      actor.calls.findLastIndex((c) => c.op === "link" && c.paths[1] === lockPath),
    );
    return since.some((c) => c.op === "open" && c.paths[0]!.endsWith(".tmp"));
  };

  /** Stops `actor` at its first lock check once it holds the lock. */
  const firstCheck = (actor: Actor) => (call: FsCall) =>
    call.op === "open" &&
    call.paths[0] === lockPath &&
    actor.calls.some((c) => c.op === "link" && c.paths[1] === lockPath);

  /** Replaces the writer's lock with another holder's, as a lost lock would be. */
  async function stealLock(): Promise<FileLock> {
    await rm(lockPath);
    return acquireFileLock(file);
  }

  it("whole-file format: the write fails with STORE_LOCK_LOST and the other holder's file stays", async () => {
    await new JsonFileStore({ path: file, format: "json" }).put({ id: "a" });
    const writer = new Actor("W", () =>
      new JsonFileStore({ path: file, format: "json" }).put({ id: "b" }),
    );
    actors.push(writer);
    expect(await writer.runUntil(lateCheck(writer))).toBeDefined();
    const thief = await stealLock();
    const before = await readFile(file, "utf8");
    writer.free();
    expect(await writer.outcome).toMatchObject({ error: { code: "STORE_LOCK_LOST" } });
    expect(await readFile(file, "utf8")).toBe(before);
    await thief.release();
    expect(await readdir(dir)).toEqual(["data.json"]);
  });

  it("log format: a compaction fails with STORE_LOCK_LOST and leaves the log in place", async () => {
    file = join(dir, "data.jsonl");
    lockPath = lockPathOf(file);
    const store = new JsonFileStore<{ id: string; n: number }>({ path: file, compaction: false });
    for (let n = 0; n < 20; n++) await store.put({ id: `r${n % 5}`, n });
    const { ino } = await stat(file);
    const compactor = new Actor("K", () => store.compact());
    actors.push(compactor);
    expect(await compactor.runUntil(firstCheck(compactor))).toBeDefined();
    const thief = await stealLock();
    compactor.free();
    expect(await compactor.outcome).toMatchObject({ error: { code: "STORE_LOCK_LOST" } });
    expect((await stat(file)).ino).toBe(ino);
    await thief.release();
    expect(await readdir(dir)).toEqual(["data.jsonl"]);
  });
});
