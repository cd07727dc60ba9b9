/**
 * One process at a time in an embedded PGlite folder. PGlite is PostgreSQL in
 * one process with no shared memory: two processes on the same data folder
 * each believe they own it, and the folder ends up corrupt (`could not open
 * relation with OID …`, or `Aborted()` on every later open).
 *
 * `openDatabase("pglite:<dir>")` takes `<dir>/perstore.lock` before starting
 * PGlite: a file created atomically (written aside, then hard-linked into
 * place) holding the owner's pid, host and start time (process-identity.ts). A second opener, in
 * this process or another, fails at once with StoreError STORE_LOCKED naming
 * the holder. A holder that died (its pid is gone, or now belongs to a process
 * started later) is recognised at once and its lock taken over; no timeout.
 * The lock is released when the database is destroyed, or on process exit.
 *
 * A folder whose first start (PostgreSQL's initdb, many seconds) was
 * interrupted is left half-built; `perstore.initializing` marks a first start
 * in progress, and the next opener clears the folder and starts again.
 */
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { StoreError } from "../../errors/index.js";
import { ownerState, selfIdentity, type ProcessIdentity } from "../json-file/process-identity.js";
import type { PGliteLike } from "./pglite-dialect.js";

/** The lock file's name inside the data folder. */
export const PGLITE_LOCK_FILE = "perstore.lock";
const INITIALIZING_FILE = "perstore.initializing";

/** A held folder lock. */
export interface PGliteFolderLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

const held = new Set<PGliteFolderLock>();
let exitHook = false;

/**
 * Takes the lock on a PGlite data folder (creating the folder), or throws
 * StoreError STORE_LOCKED naming the live process that holds it.
 */
export function lockPGliteFolder(dir: string): PGliteFolderLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, PGLITE_LOCK_FILE);
  const mine = JSON.stringify(selfIdentity);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, mine)) return hold(path, mine);
    const text = readText(path);
    if (text === undefined) continue; // released meanwhile: try again
    const owner = parseOwner(text);
    if (owner !== undefined && ownerState(owner) !== "dead") throw locked(dir, path, owner);
    removeStale(path, text);
  }
  throw new StoreError("STORE_LOCKED", `could not take the lock ${path}: it keeps changing hands`);
}

/**
 * Opens PGlite in `dir` under the folder lock; `db.destroy()` (PGlite's
 * close) releases it. Clears a folder whose first start was interrupted.
 */
export async function openLockedPGlite(
  dir: string,
  open: () => Promise<PGliteLike>,
): Promise<PGliteLike> {
  const lock = lockPGliteFolder(dir);
  let pglite: PGliteLike | undefined;
  try {
    const marker = join(dir, INITIALIZING_FILE);
    if (existsSync(marker)) clearFolder(dir); // a first start that died half-way: start again
    const fresh = !existsSync(join(dir, "PG_VERSION"));
    if (fresh) writeFileSync(marker, `${process.pid}\n`);
    pglite = await open();
    await pglite.waitReady;
    if (fresh) rmSync(marker, { force: true });
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
  const opened = pglite;
  return {
    get waitReady() {
      return opened.waitReady;
    },
    get closed() {
      return opened.closed;
    },
    query: (query, params) => opened.query(query, params),
    ...(opened.exec === undefined ? {} : { exec: (query: string) => opened.exec!(query) }),
    async close() {
      try {
        await opened.close();
      } finally {
        lock.release();
      }
    },
  };
}

function tryCreate(path: string, content: string): boolean {
  // Written aside, then linked into place: the lock file never exists half-written.
  const aside = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(aside, content);
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

function hold(path: string, content: string): PGliteFolderLock {
  const lock: PGliteFolderLock = {
    path,
    release() {
      if (!held.delete(lock)) return;
      if (readText(path) === content) rmSync(path, { force: true });
    },
  };
  held.add(lock);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const each of [...held]) each.release();
    });
  }
  return lock;
}

/** Moves a dead owner's lock aside; if what was moved is not that lock (taken meanwhile), puts it back. */
function removeStale(path: string, staleText: string): void {
  const aside = `${path}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (readText(aside) !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds it now; the next attempt reads them.
    }
  }
  rmSync(aside, { force: true });
}

/** Deletes everything in the folder but the lock file. */
function clearFolder(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== PGLITE_LOCK_FILE) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function locked(dir: string, path: string, owner: ProcessIdentity): StoreError {
  const who =
    owner.pid === selfIdentity.pid && owner.host === selfIdentity.host
      ? `this process (pid ${owner.pid}): destroy the other database opened on it first`
      : owner.host === selfIdentity.host
        ? `process ${owner.pid}`
        : `process ${owner.pid} on another host (tag ${owner.host}; if it no longer runs, delete ${path})`;
  return new StoreError(
    "STORE_LOCKED",
    `the PGlite database ${dir} is in use by ${who}; PGlite allows one process at a time (use a PostgreSQL server for several)`,
    { details: { path, pid: owner.pid, host: owner.host }, retryable: true },
  );
}

function parseOwner(text: string): ProcessIdentity | undefined {
  try {
    const value = JSON.parse(text) as Partial<ProcessIdentity>;
    if (!Number.isInteger(value.pid) || typeof value.host !== "string") return undefined;
    return {
      pid: value.pid!,
      host: value.host,
      start: typeof value.start === "string" ? value.start : null,
    };
  } catch {
    return undefined; // not ours, or damaged: no live owner can be named
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
