/**
 * Who owns a lock or a temporary file, and whether that owner still runs.
 *
 * An owner is a process on a host: its pid, a short tag of the host name and,
 * where the system says it (Linux `/proc/<pid>/stat`), the moment the process
 * started. The start time tells a dead owner from a new process that reuses
 * its pid. Liveness is only known on the owner's own host: a pid means nothing
 * on another machine, so an owner from elsewhere is "unknown", never "dead".
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** The owner of a lock or temporary file. */
export interface ProcessIdentity {
  readonly pid: number;
  /** 8 hex digits of the SHA-256 of the host name (fits in a file name). */
  readonly host: string;
  /** The process's start time in clock ticks since boot (Linux), or `null` where the system does not tell. */
  readonly start: string | null;
}

/** What can be said about an owner from this process. */
export type OwnerState = "alive" | "dead" | "unknown";

/** This process. */
export const selfIdentity: ProcessIdentity = {
  pid: process.pid,
  host: hostTag(hostname()),
  start: processStart(process.pid),
};

/** The tag of a host name, as it appears in identities. */
export function hostTag(name: string): string {
  return createHash("sha256").update(name).digest("hex").slice(0, 8);
}

/**
 * The start time of process `pid` (field 22 of `/proc/<pid>/stat`), or `null`
 * when it cannot be read (no such process, or no /proc on this system).
 */
export function processStart(pid: number): string | null {
  return readProcStat(pid)?.start ?? null;
}

/**
 * Whether `owner` still runs: "dead" when its host is this one and its pid is
 * gone, is a zombie (killed, not yet reaped), or now belongs to a process
 * started at another time; "unknown" for another host; else "alive".
 */
export function ownerState(owner: ProcessIdentity): OwnerState {
  if (owner.host !== selfIdentity.host) return "unknown";
  if (owner.pid === selfIdentity.pid) return owner.start === selfIdentity.start ? "alive" : "dead";
  try {
    process.kill(owner.pid, 0); // signal 0: checks existence and permission, sends nothing
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return "dead";
  }
  const stat = readProcStat(owner.pid);
  if (stat === undefined) return "alive"; // no /proc here: the pid alone must do
  if (stat.state === "Z" || stat.state === "X") return "dead";
  return owner.start === null || stat.start === owner.start ? "alive" : "dead";
}

/** State letter and start time from `/proc/<pid>/stat`, or `undefined` where it cannot be read. */
function readProcStat(pid: number): { state: string; start: string | null } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')': fields resume after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = fields[19]; // field 22; fields[0] is field 3, the state
  return {
    state: fields[0] ?? "",
    start: start !== undefined && /^\d+$/.test(start) ? start : null,
  };
}
