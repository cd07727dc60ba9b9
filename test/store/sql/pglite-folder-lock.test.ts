import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { selfIdentity } from "../../../src/store/json-file/process-identity.js";
import type { PGliteLike } from "../../../src/store/sql/pglite-dialect.js";
import {
  lockPGliteFolder,
  openLockedPGlite,
  PGLITE_LOCK_FILE,
} from "../../../src/store/sql/pglite-folder-lock.js";

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

/** A stand-in for PGlite that records what the folder held when it was opened. */
function fakePGlite(seen: string[][], dir: string): () => Promise<PGliteLike> {
  return async () => {
    seen.push((await readdir(dir)).sort());
    let closed = false;
    return {
      waitReady: Promise.resolve(),
      get closed() {
        return closed;
      },
      query: async () => ({ rows: [] }),
      close: async () => {
        closed = true;
      },
    };
  };
}

describe("PGlite folder lock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "perstore-lock-")), "db");
  });
  afterEach(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });
  const lockFile = () => join(dir, PGLITE_LOCK_FILE);

  it("refuses a second holder at once, naming the holder's pid; released, it can be taken again", () => {
    const first = lockPGliteFolder(dir);
    expect(JSON.parse(readFileSync(lockFile(), "utf8"))).toMatchObject({ pid: process.pid });
    expect(() => lockPGliteFolder(dir)).toThrowError(
      expect.objectContaining({
        code: "STORE_LOCKED",
        message: expect.stringContaining(`in use by this process (pid ${process.pid})`),
      }),
    );
    first.release();
    expect(existsSync(lockFile())).toBe(false);
    first.release(); // twice is harmless
    lockPGliteFolder(dir).release();
  });

  it("refuses while another live process holds the folder", async () => {
    await mkdir(dir, { recursive: true });
    const other = process.ppid; // the test runner: alive for the whole test
    await writeFile(
      lockFile(),
      JSON.stringify({ pid: other, host: selfIdentity.host, start: null }),
    );
    expect(() => lockPGliteFolder(dir)).toThrowError(
      expect.objectContaining({
        code: "STORE_LOCKED",
        message: expect.stringContaining(`is in use by process ${other};`),
        details: expect.objectContaining({ pid: other }),
      }),
    );
    // A holder on another host cannot be checked: refused, naming the host and the file to delete.
    await writeFile(lockFile(), JSON.stringify({ pid: 1, host: "elsewhere", start: null }));
    expect(() => lockPGliteFolder(dir)).toThrowError(
      /process 1 on another host \(tag elsewhere; .*delete/,
    );
  });

  it("takes over at once from a dead holder, a reused pid, or a damaged lock file", async () => {
    await mkdir(dir, { recursive: true });
    for (const content of [
      JSON.stringify({ pid: await deadPid(), host: selfIdentity.host, start: null }),
      // Our own pid, but started at another time: a previous process that had the same pid.
      JSON.stringify({ pid: process.pid, host: selfIdentity.host, start: "1" }),
      "not json",
    ]) {
      await writeFile(lockFile(), content);
      const lock = lockPGliteFolder(dir);
      expect(JSON.parse(readFileSync(lockFile(), "utf8")).pid).toBe(process.pid);
      lock.release();
    }
    expect(await readdir(dir)).toEqual([]); // no temporary files left behind
  });

  it("openLockedPGlite releases on close and on a failed open; clears a folder whose first start died", async () => {
    const seen: string[][] = [];
    const db = await openLockedPGlite(dir, fakePGlite(seen, dir));
    expect(seen[0]).toEqual(["perstore.initializing", PGLITE_LOCK_FILE]);
    await expect(openLockedPGlite(dir, fakePGlite(seen, dir))).rejects.toMatchObject({
      code: "STORE_LOCKED",
    });
    await db.close();
    expect(db.closed).toBe(true);
    expect(await readdir(dir)).toEqual([]);

    await expect(
      openLockedPGlite(dir, () => Promise.reject(new Error("wasm failed"))),
    ).rejects.toThrow("wasm failed");
    expect(await readdir(dir)).toEqual(["perstore.initializing"]); // the half-built start is marked

    // A process killed during its first start: marker, partial files and its lock are left.
    await writeFile(join(dir, "PG_VERSION"), "17\n");
    await writeFile(lockFile(), JSON.stringify({ pid: await deadPid(), host: selfIdentity.host }));
    const again = await openLockedPGlite(dir, fakePGlite(seen, dir));
    expect(seen[1]).toEqual(["perstore.initializing", PGLITE_LOCK_FILE]);
    await again.close();

    // A folder that was started once is never cleared.
    await writeFile(join(dir, "PG_VERSION"), "17\n");
    const existing = await openLockedPGlite(dir, fakePGlite(seen, dir));
    expect(seen[2]).toEqual(["PG_VERSION", PGLITE_LOCK_FILE]);
    await existing.close();
    expect(await readdir(dir)).toEqual(["PG_VERSION"]);
  });

  it("is released when the holding process exits without closing", async () => {
    const script = `import { lockPGliteFolder } from ${JSON.stringify(new URL("../../../src/store/sql/pglite-folder-lock.ts", import.meta.url).href)};
lockPGliteFolder(${JSON.stringify(dir)}); console.log("held"); process.exit(0);`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += String(chunk)));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect({ code, out }).toEqual({ code: 0, out: "held\n" });
    expect(existsSync(lockFile())).toBe(false);
  }, 60_000);
});
