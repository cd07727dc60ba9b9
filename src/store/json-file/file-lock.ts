/**
 * An inter-process lock on one file of this host: `<file>.lock` holds the
 * holder's pid, host and process start time (see lock-file.ts). A lock whose
 * holder died (a `kill -9`, a crash) is taken over at once, with no stale
 * timeout: the holder's liveness is checked, not the lock's age.
 *
 * A dead holder's lock is removed only by the one process that exclusively
 * created the claim on that exact version (lock-takeover.ts), so two
 * processes that both saw it dead cannot both remove it, and no takeover can
 * remove a live lock taken in between: at most one live holder, always.
 *
 * The lock is for processes of one host. A lock taken on another host (a
 * shared network folder) cannot be judged, so it is waited for, never taken.
 */
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { StoreError } from "../../errors/index.js";
import { ioError } from "./io-error.js";
import {
  createLockFile,
  lockedError,
  lockState,
  readLockFile,
  removeLockFile,
  type LockFileVersion,
  type LockHolder,
} from "./lock-file.js";
import { removeDeadLock, removeStaleClaims } from "./lock-takeover.js";
import { selfIdentity } from "./process-identity.js";

export type { LockHolder } from "./lock-file.js";

/** How long to wait for a lock that a live process holds. */
export interface FileLockOptions {
  /** Milliseconds to wait for a busy lock before giving up with STORE_LOCKED. Default 15000. */
  readonly timeoutMs?: number;
}

/** A lock this process holds on `file`. */
export class FileLock {
  constructor(
    /** The file the lock protects. */
    readonly file: string,
    /** What the lock file says: this process, and this acquisition's token. */
    readonly holder: LockHolder,
    /** The dead holder whose lock was taken over to get this one, if any. */
    readonly tookOverFrom: LockHolder | undefined,
  ) {}

  /** Rejects with STORE_LOCK_LOST when the lock file no longer names this acquisition (someone deleted it). */
  async assertHeld(): Promise<void> {
    const current = await readLockFile(lockPathOf(this.file));
    if (current?.holder?.token !== this.holder.token)
      throw new StoreError(
        "STORE_LOCK_LOST",
        `lost the lock on ${this.file}: ${lockPathOf(this.file)} was removed or replaced`,
        {
          details: { file: this.file },
        },
      );
  }

  /**
   * Removes the lock file if it still is this acquisition's. Reading then
   * unlinking is safe: while this process lives, no other removes its lock
   * (a takeover removes only a dead holder's version), so the name still
   * points to the version read.
   */
  async release(): Promise<void> {
    const current = await readLockFile(lockPathOf(this.file));
    if (current?.holder?.token === this.holder.token) await removeLockFile(lockPathOf(this.file));
  }
}

/** The path of the lock file of `file`. */
export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

/**
 * Takes the lock on `file` (which need not exist; its directory is created),
 * waiting while a live process holds it and taking it over at once from a
 * dead one. Rejects with STORE_LOCKED, naming the holder, after `timeoutMs`.
 */
export async function acquireFileLock(
  file: string,
  options: FileLockOptions = {},
): Promise<FileLock> {
  const timeout = options.timeoutMs ?? 15_000;
  const lockPath = lockPathOf(file);
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    throw ioError(`cannot create the directory of ${file}`, error);
  }
  const holder: LockHolder = {
    ...selfIdentity,
    token: randomUUID(),
    since: new Date().toISOString(),
  };
  const started = Date.now();
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; ; attempt++) {
    if (await createLockFile(lockPath, holder)) return new FileLock(file, holder, tookOverFrom);
    const current = await readLockFile(lockPath);
    if (current === undefined) continue; // released in between: try again at once
    if (lockState(current) === "dead") {
      if (await removeDeadLock(lockPath, current)) {
        tookOverFrom = current.holder;
        continue;
      }
    }
    const waited = Date.now() - started;
    if (waited >= timeout) throw lockedError(file, lockPath, current, waited);
    // Back off from 2 ms to about 50 ms, with jitter so waiting processes do not retry in step.
    await sleep(Math.min(50, 2 * 1.5 ** attempt) * (0.5 + Math.random()));
  }
}

/**
 * What the lock file of `file` says and whether its holder runs, or
 * `undefined` when the file is not locked.
 */
export async function inspectFileLock(
  file: string,
): Promise<{ holder: LockHolder | undefined; state: "alive" | "dead" | "unknown" } | undefined> {
  const current = await readLockFile(lockPathOf(file));
  return current && { holder: current.holder, state: lockState(current) };
}

/**
 * Removes the lock of `file` if its holder is dead, and the claims that dead
 * takeovers left (see lock-takeover.ts); returns the dead holder's record
 * when it removed the lock.
 */
export async function breakDeadLock(file: string): Promise<LockFileVersion | undefined> {
  const lockPath = lockPathOf(file);
  await removeStaleClaims(lockPath);
  const current = await readLockFile(lockPath);
  if (current === undefined || lockState(current) !== "dead") return undefined;
  return (await removeDeadLock(lockPath, current)) ? current : undefined;
}

/** Runs `fn` while holding the lock on `file`, and releases it after, whatever happens. */
export async function withFileLock<R>(
  file: string,
  fn: (lock: FileLock) => Promise<R>,
  options: FileLockOptions = {},
): Promise<R> {
  const lock = await acquireFileLock(file, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
