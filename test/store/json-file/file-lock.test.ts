import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acquireFileLock,
  inspectFileLock,
  lockPathOf,
  withFileLock,
} from "../../../src/store/json-file/file-lock.js";
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";
import {
  ownerState,
  processStart,
  selfIdentity,
} from "../../../src/store/json-file/process-identity.js";
import { startWriter } from "./spawn-writer.js";

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-file-lock-"));
  file = join(dir, "data.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ["-e", ""]);
  return pid!;
}

describe("process identity", () => {
  it("tells a running process from a dead one, a reused pid and another host", () => {
    expect(ownerState(selfIdentity)).toBe("alive");
    expect(ownerState({ ...selfIdentity, pid: deadPid() })).toBe("dead");
    expect(ownerState({ ...selfIdentity, host: "00000000" })).toBe("unknown");
    if (selfIdentity.start !== null) {
      // Our pid with another start time: a process that died and whose pid we now have.
      expect(ownerState({ ...selfIdentity, start: String(Number(selfIdentity.start) + 1) })).toBe(
        "dead",
      );
      expect(processStart(process.pid)).toBe(selfIdentity.start);
    }
  });
});

describe("file lock", () => {
  it("takes over the lock of a writer killed while holding it, without waiting", async () => {
    const holder = startWriter(file, ["hold"]);
    await holder.holding;
    holder.child.kill("SIGKILL");
    expect((await holder.exit).signal).toBe("SIGKILL");
    // The lock is still there, and the lock module sees its holder is dead.
    expect(await inspectFileLock(file)).toMatchObject({
      state: "dead",
      holder: { pid: holder.child.pid, host: selfIdentity.host },
    });
    // A stale-timeout lock (the old proper-lockfile one: 10 s) would make this STORE_LOCKED.
    const lock = await acquireFileLock(file, { timeoutMs: 1_000 });
    expect(lock.tookOverFrom?.pid).toBe(holder.child.pid);
    expect(await inspectFileLock(file)).toMatchObject({ state: "alive", holder: lock.holder });
    await lock.release();
    expect(await inspectFileLock(file)).toBeUndefined();
  });

  it("lets a store write at once after a writer died holding the lock", async () => {
    const holder = startWriter(file, ["hold"]);
    await holder.holding;
    holder.child.kill("SIGKILL");
    await holder.exit;
    const store = new JsonFileStore({ path: file, format: "json", lock: { timeoutMs: 1_000 } });
    await store.put({ id: "a" });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual([{ id: "a" }]);
    expect(await readdir(dir)).toEqual(["data.json"]);
  });

  it("waits for a live holder and names it when it gives up", async () => {
    const lock = await acquireFileLock(file);
    try {
      const error = await acquireFileLock(file, { timeoutMs: 50 }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "STORE_LOCKED",
        details: { file, lock: lockPathOf(file), holder: { pid: process.pid } },
      });
      expect((error as Error).message).toContain(`process ${process.pid}`);
    } finally {
      await lock.release();
    }
  });

  it("never takes a lock from another host, however old", async () => {
    const foreign = { pid: deadPid(), host: "00000000", start: null, token: "t", since: "" };
    await writeFile(lockPathOf(file), JSON.stringify(foreign));
    expect(await inspectFileLock(file)).toMatchObject({ state: "unknown" });
    await expect(acquireFileLock(file, { timeoutMs: 30 })).rejects.toMatchObject({
      code: "STORE_LOCKED",
      message: expect.stringContaining("another host") as unknown,
    });
    expect(JSON.parse(await readFile(lockPathOf(file), "utf8"))).toEqual(foreign);
  });

  it("hands a dead holder's lock to exactly one of many contenders, one holder at a time", async () => {
    const dead = { pid: deadPid(), host: selfIdentity.host, start: null, token: "d", since: "" };
    await writeFile(lockPathOf(file), JSON.stringify(dead));
    let inside = 0;
    let most = 0;
    const tookOver = await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock(file, async (lock) => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setImmediate(resolve));
          await lock.assertHeld();
          inside--;
          return lock.tookOverFrom?.token;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(tookOver.filter((token) => token === "d")).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports a lock removed under its holder as STORE_LOCK_LOST", async () => {
    const lock = await acquireFileLock(file);
    await rm(lockPathOf(file));
    await expect(lock.assertHeld()).rejects.toMatchObject({ code: "STORE_LOCK_LOST" });
    await lock.release(); // not ours any more: releasing removes nothing
  });
});
