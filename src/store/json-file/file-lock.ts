/**
 * An inter-process lock around the store file's read-check-write cycle
 * (proper-lockfile: an atomic `mkdir` of `<file>.lock`, kept fresh while
 * held, taken over when stale after a crash).
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import lockfile from "proper-lockfile";
import { StoreError } from "../../errors/index.js";
import { ioError } from "./data-file.js";

/** How long to keep retrying a busy lock, and when a dead holder's lock counts as stale. */
export interface FileLockOptions {
  /** Milliseconds after which an un-refreshed lock is stale (proper-lockfile's minimum is 5000). Default 10000. */
  readonly staleMs?: number;
  /** Milliseconds to wait for a busy lock before giving up with STORE_LOCKED. Default 15000. */
  readonly timeoutMs?: number;
}

/**
 * Runs `fn` while holding the lock on `path` (the file need not exist yet; its
 * directory is created). A lock that cannot be taken in time is StoreError
 * STORE_LOCKED; a lock lost while held makes the cycle fail with STORE_LOCK_LOST.
 */
export async function withFileLock<R>(
  path: string,
  fn: (assertHeld: () => void) => Promise<R>,
  options: FileLockOptions = {},
): Promise<R> {
  const stale = Math.max(options.staleMs ?? 10_000, 5_000);
  const timeout = options.timeoutMs ?? 15_000;
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw ioError(`cannot create the directory of ${path}`, error);
  }
  let lost: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale,
      retries: {
        retries: Math.ceil(timeout / 50),
        minTimeout: 5,
        maxTimeout: 50,
        factor: 1.3,
        randomize: true,
      },
      // The default throws from a timer and kills the process; record it and fail the cycle instead.
      onCompromised: (error) => {
        lost = error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new StoreError(
        "STORE_LOCKED",
        `${path} is locked by another writer (waited ${timeout} ms)`,
        { cause: error },
      );
    }
    throw ioError(`cannot lock ${path}`, error);
  }
  const assertHeld = () => {
    if (lost)
      throw new StoreError("STORE_LOCK_LOST", `lost the lock on ${path}: ${lost.message}`, {
        cause: lost,
      });
  };
  try {
    return await fn(assertHeld);
  } finally {
    // A compromised lock is already gone; releasing it would only report that again.
    if (!lost) await release().catch(() => undefined);
  }
}
