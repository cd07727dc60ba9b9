/**
 * Temporary files named after their owner, so a crashed writer's leftovers
 * can be told from a live writer's file in flight.
 *
 * `tempPathFor("/d/data.json")` is `/d/data.json.<host>-<pid>-<start>-<n>.tmp`
 * (see process-identity.ts). `removeStrayTemps` deletes the temporary files
 * of a target (and of its lock) whose owner is dead on this host, and nothing
 * else: never a live writer's, never one from another host, never a file it
 * did not name.
 */
import { readdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ownerState, selfIdentity, type ProcessIdentity } from "./process-identity.js";

let counter = 0;

/** A fresh temporary path beside `target`, owned by this process. */
export function tempPathFor(target: string): string {
  const { host, pid, start } = selfIdentity;
  const unique = `${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return `${target}.${host}-${pid}-${start ?? "x"}-${unique}.tmp`;
}

/** The owner of a temporary file of `target` (or of `target.lock...`) named `name`, or `undefined` for any other file. */
export function tempOwner(target: string, name: string): ProcessIdentity | undefined {
  const base = basename(target);
  if (!name.startsWith(`${base}.`)) return undefined;
  const match = /^(?:\.lock(?:\.break)?)?\.([0-9a-f]{8})-(\d+)-(\d+|x)-[0-9a-z]+\.tmp$/.exec(
    name.slice(base.length),
  );
  if (!match) return undefined;
  return { host: match[1]!, pid: Number(match[2]), start: match[3] === "x" ? null : match[3]! };
}

/**
 * Deletes the temporary files of `target` left by processes that died on this
 * host (a `kill -9` mid-write leaves one). Returns the names it removed.
 */
export async function removeStrayTemps(target: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return []; // no directory yet: nothing to clean
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = tempOwner(target, name);
    if (owner === undefined || ownerState(owner) !== "dead") continue;
    try {
      await unlink(join(dirname(target), name));
      removed.push(name);
    } catch {
      // Another process cleaning up at the same time removed it first.
    }
  }
  return removed;
}
