/**
 * Taking over a dead holder's lock without ever removing any other lock.
 *
 * POSIX has no "remove this name if it still is that file": `unlink` (and
 * `rename`) act on whatever the name points to by then. So the right to
 * remove one dead version D of `<file>.lock` is itself a file, created
 * exclusively (link(2) fails with EEXIST): the claim
 * `<file>.lock.claim-<key of D>`, holding the claimer's identity. Only the
 * process that created it reads the lock again and, if it still is D,
 * unlinks it. Nothing else can change the name while it is D: a new lock is
 * only created where there is none, D's holder is dead, and removing D takes
 * the claim. So that unlink removes D and nothing else.
 *
 * A claimer may die too. Its claim is then taken over the same way, one level
 * down: `<file>.lock.claim-<key of D>-<key of the dead claim>`. Each level's
 * name follows from what the level above says, so every contender walks the
 * same chain, and at most one live process holds a claim on D at a time.
 * While D is the lock, a claim is removed only by its own live creator; once
 * D is gone every claim on it may go, since acting on D can then remove
 * nothing.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  createLockFile,
  lockState,
  readLockFile,
  removeLockFile,
  sameLock,
  type LockFileVersion,
  type LockHolder,
} from "./lock-file.js";
import { selfIdentity } from "./process-identity.js";

/**
 * Removes the lock at `lockPath` if it still is `dead` (judged dead by the
 * caller). False when it is not (already taken over, released) or when a live
 * process is taking it over right now: the caller then looks again.
 */
export async function removeDeadLock(lockPath: string, dead: LockFileVersion): Promise<boolean> {
  const root = claimPathOf(lockPath, dead);
  const claimer: LockHolder = {
    ...selfIdentity,
    token: randomUUID(),
    since: new Date().toISOString(),
  };
  const passed: string[] = []; // the dead claimers' claims on the way down
  let claim = root;
  // The claim's temporary file is named after the lock, so a dead claimer's is cleaned up with the lock's.
  while (!(await createLockFile(claim, claimer, lockPath))) {
    const other = await readLockFile(claim);
    if (other === undefined) continue; // removed since: D is gone, which the next claim will show
    if (lockState(other) !== "dead") return false; // a live process is taking D over
    passed.push(claim);
    claim = `${root}-${versionKey(other)}`;
  }
  let gone = false;
  try {
    const again = await readLockFile(lockPath);
    gone = again === undefined || !sameLock(again, dead);
    if (gone) return false;
    await removeLockFile(lockPath);
    gone = true;
    return true;
  } finally {
    // Once D is gone, the whole chain; else (an I/O error) only our own claim, so the chain stays intact.
    for (const path of gone ? [claim, ...passed] : [claim])
      await removeLockFile(path).catch(() => undefined);
  }
}

/**
 * Removes the claims left by claimers that died after removing the version
 * they claimed (claims on the current lock stay: they are its takeover
 * chain). The folder is listed before the lock is read: a claim listed then
 * names a version that was the lock before, so if it is not the lock now it
 * is gone for good.
 */
export async function removeStaleClaims(lockPath: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dirname(lockPath));
  } catch {
    return;
  }
  const prefix = `${basename(lockPath)}.claim-`;
  const claims = names.filter((name) => name.startsWith(prefix) && !name.endsWith(".tmp"));
  if (claims.length === 0) return;
  const current = await readLockFile(lockPath);
  const keep = current && basename(claimPathOf(lockPath, current));
  for (const name of claims) {
    if (keep !== undefined && (name === keep || name.startsWith(`${keep}-`))) continue;
    await removeLockFile(join(dirname(lockPath), name)).catch(() => undefined);
  }
}

/** The first claim on `version` of the lock at `lockPath`. */
export function claimPathOf(lockPath: string, version: LockFileVersion): string {
  return `${lockPath}.claim-${versionKey(version)}`;
}

/**
 * A short name for one version of a lock or claim file: its token or, when it
 * names no holder, its inode and mtime. Hashed, since the token comes from a
 * file and must not reach a path as it is.
 */
function versionKey(version: LockFileVersion): string {
  const id =
    version.holder === undefined
      ? `i${version.ino}-${version.mtimeMs}`
      : `t${version.holder.token}`;
  return createHash("sha256").update(id).digest("hex").slice(0, 16);
}
