/**
 * A real PostgreSQL primary and a streaming-replication hot standby on
 * loopback, for the replica-routing tests: `initdb` a primary (wal_level
 * replica, a trusted replication entry), start it with `pg_ctl` on a free
 * 127.0.0.1 port in a temp folder, `pg_basebackup -R` a standby from it and
 * start that on another free port. `stop()` stops both (pg_ctl, then their
 * postmaster pids if still alive) and removes the folder.
 *
 * As root, the binaries run as the `postgres` OS user (initdb refuses root),
 * and the folder is given to that user. `findPostgresBin()` is undefined when
 * the binaries are absent: tests then skip, saying so.
 */
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The folder holding initdb, pg_ctl and pg_basebackup (newest version first), if any. */
export function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (["initdb", "pg_ctl", "pg_basebackup"].every((tool) => existsSync(join(bin, tool))))
      return bin;
  }
  return undefined;
}

export interface StandbyCluster {
  readonly primaryUrl: string;
  readonly standbyUrl: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Starts a primary and a standby; on any failure, stops what was started and rethrows. */
export async function startStandbyCluster(bin: string): Promise<StandbyCluster> {
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], {
          stdio: "pipe",
        })
      : execFileSync(join(bin, tool), args, { stdio: "pipe" });
  const dir = mkdtempSync(join(tmpdir(), "perstore-standby-"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const primary = join(dir, "primary");
  const standby = join(dir, "standby");
  const started: string[] = [];
  const stop = async () => {
    for (const data of started.splice(0).reverse()) {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        killPostmaster(data);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [primaryPort, standbyPort] = [await freePort(), await freePort()];
    run("initdb", ["-D", primary, "-U", "postgres", "--auth=trust", "--no-sync"]);
    const settings = (port: number) =>
      `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\n` +
      "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n";
    appendFileSync(join(primary, "postgresql.conf"), settings(primaryPort));
    appendFileSync(
      join(primary, "pg_hba.conf"),
      "\nhost replication postgres 127.0.0.1/32 trust\n",
    );
    run("pg_ctl", ["-D", primary, "-l", join(dir, "primary.log"), "-w", "start"]);
    started.push(primary);
    run("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      standby,
      "-R",
      "-X",
      "stream",
    ]);
    appendFileSync(join(standby, "postgresql.conf"), settings(standbyPort));
    run("pg_ctl", ["-D", standby, "-l", join(dir, "standby.log"), "-w", "start"]);
    started.push(standby);
    return {
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Kills a server by the pid in its postmaster.pid, if it is still there. */
function killPostmaster(data: string): void {
  try {
    const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    if (Number.isSafeInteger(pid) && pid > 0) process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
