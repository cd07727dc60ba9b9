/**
 * The lock file itself: created whole and exclusively, and read with the
 * identity of the file version read. file-lock.ts builds the lock protocol on
 * these, lock-takeover.ts the removal of a dead holder's lock (the same
 * format serves for its claim files).
 */
import { link, open, unlink, writeFile } from "node:fs/promises";
import { uptime } from "node:os";
import { StoreError } from "../../errors/index.js";
import { ioError } from "./io-error.js";
import { tempPathFor } from "./owned-temp-file.js";
import { ownerState, type OwnerState, type ProcessIdentity } from "./process-identity.js";

/** What a lock file says: its owner, and a token naming this one acquisition. */
export interface LockHolder extends ProcessIdentity {
  readonly token: string;
  /** When it was taken (ISO 8601), for people reading the file. */
  readonly since: string;
}

/** One version of a lock file as read: its holder (`undefined` when the content is not a holder), inode and mtime. */
export interface LockFileVersion {
  readonly holder: LockHolder | undefined;
  readonly ino: number;
  readonly mtimeMs: number;
}

/**
 * Creates `path` holding `holder`, unless it exists (then `false`). The
 * content is written to an owned temporary file first and hard-linked into
 * place (link(2) fails with EEXIST rather than replace), so a reader never
 * sees a half-written lock, even after a crash. The temporary file is named
 * after `tempBeside` (default `path`), whose stray temporaries the store
 * cleans up.
 */
export async function createLockFile(
  path: string,
  holder: LockHolder,
  tempBeside: string = path,
): Promise<boolean> {
  const temp = tempPathFor(tempBeside);
  try {
    await writeFile(temp, `${JSON.stringify(holder)}\n`, { flag: "wx" });
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw ioError(`cannot create the lock file ${path}`, error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The lock file's current version, or `undefined` when there is none. */
export async function readLockFile(path: string): Promise<LockFileVersion | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
    const stat = await handle.stat();
    const text = stat.isFile() ? await handle.readFile("utf8") : "";
    return { holder: parseHolder(text), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(`cannot read the lock file ${path}`, error);
  } finally {
    await handle?.close();
  }
}

/**
 * Whether the lock's holder still runs. A lock that names no holder (written
 * by something else, or emptied by a power cut) counts as dead only if it is
 * older than the last boot, when no process of this host can hold it.
 */
export function lockState(version: LockFileVersion): OwnerState {
  if (version.holder !== undefined) return ownerState(version.holder);
  return version.mtimeMs < Date.now() - uptime() * 1000 ? "dead" : "unknown";
}

/** True when both reads saw the same lock (same acquisition, or the same file when it names no holder). */
export function sameLock(a: LockFileVersion, b: LockFileVersion): boolean {
  if (a.holder !== undefined || b.holder !== undefined) return a.holder?.token === b.holder?.token;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}

/**
 * Removes the file at `path`, whatever version it is by now; a missing one is
 * fine. Callers make sure no other version can be there (see lock-takeover.ts).
 */
export async function removeLockFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw ioError(`cannot remove the lock file ${path}`, error);
  }
}

/** A holder from JSON text, or `undefined` when the text is not one. */
function parseHolder(text: string): LockHolder | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object") return undefined;
  const { pid, host, start, token, since } = data as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
  if (typeof host !== "string" || typeof token !== "string") return undefined;
  if (start !== null && typeof start !== "string") return undefined;
  return { pid: pid as number, host, start, token, since: typeof since === "string" ? since : "" };
}

/** STORE_LOCKED for a lock still held after waiting `waitedMs`, naming its holder. */
export function lockedError(
  file: string,
  lockPath: string,
  version: LockFileVersion | undefined,
  waitedMs: number,
): StoreError {
  const holder = version?.holder;
  const who =
    holder === undefined
      ? `a lock file that names no holder (${lockPath}; delete it if no process uses ${file})`
      : ownerState(holder) === "unknown"
        ? `process ${holder.pid} on another host (${holder.host}), whose liveness cannot be checked from here`
        : `process ${holder.pid} since ${holder.since}`;
  return new StoreError("STORE_LOCKED", `${file} is locked by ${who} (waited ${waitedMs} ms)`, {
    details: { file, lock: lockPath, ...(holder === undefined ? {} : { holder }) },
  });
}
