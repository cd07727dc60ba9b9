/**
 * The lock under `kill -9`: several processes take the lock in a loop while
 * the test kills holders (and, now and then, contenders in the middle of a
 * takeover) and starts new ones. Each holder proves it is alone through an
 * exclusively created witness file (lock-holder-process.ts); no two live processes may
 * ever hold the lock at once.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { acquireFileLock, breakDeadLock } from "../../../src/store/json-file/file-lock.js";
import { removeStrayTemps } from "../../../src/store/json-file/owned-temp-file.js";

const PROCESSES = 4;
const KILLS = 15;

let dir: string;
let program: string;
const running = new Set<ChildProcessByStdio<null, Readable, Readable>>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-lock-kill-"));
  // One bundled script: a child starts in a fraction of the time tsx would take.
  program = join(dir, "lock-holder.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./lock-holder-process.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: program,
    logLevel: "silent",
  });
});
afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await Promise.all([...running].map((child) => new Promise((r) => child.once("close", r))));
  await rm(dir, { recursive: true, force: true });
});

it(
  "never has two live holders while holders and takeovers are killed",
  { timeout: 120_000 },
  async () => {
    const file = join(dir, "data.json");
    const witness = join(dir, "witness");
    const problems: string[] = [];
    let holds = 0;
    let takeovers = 0;
    let onHeld: ((pid: number) => void) | undefined;

    const start = () => {
      const child = spawn(process.execPath, [program, file, witness], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      running.add(child);
      let rest = "";
      child.stdout.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) {
          if (line.startsWith("held ")) {
            holds++;
            if (line.endsWith(" took-over")) takeovers++;
            onHeld?.(child.pid!);
          } else problems.push(`${child.pid}: ${line}`);
        }
      });
      child.stderr.on("data", (chunk: Buffer) =>
        problems.push(`${child.pid}: ${chunk.toString()}`),
      );
      child.once("close", () => running.delete(child));
      return child;
    };
    for (let i = 0; i < PROCESSES; i++) start();

    for (let kill = 0; kill < KILLS; kill++) {
      // Wait for a few acquisitions, then kill the latest holder, or (one time in three) any process.
      let seen = 0;
      const holder = await new Promise<number>((resolve) => {
        onHeld = (pid) => {
          if (++seen >= 3) resolve(pid);
        };
      });
      onHeld = undefined;
      const all = [...running];
      const victim =
        kill % 3 === 2 ? all[kill % all.length]! : (all.find((c) => c.pid === holder) ?? all[0]!);
      const closed = new Promise((resolve) => victim.once("close", resolve));
      victim.kill("SIGKILL");
      await closed;
      start();
    }
    const before = holds;
    // The survivors still take turns after the last kill.
    await new Promise<void>((resolve) => {
      onHeld = () => {
        if (holds >= before + PROCESSES) resolve();
      };
    });
    onHeld = undefined;
    const children = [...running];
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(children.map((child) => new Promise((r) => child.once("close", r))));

    expect(problems).toEqual([]);
    expect(holds).toBeGreaterThan(KILLS * 3);
    expect(takeovers).toBeGreaterThan(KILLS / 3); // the kills did leave locks to take over
    // Everything the dead left beside the file is cleaned up by the next user.
    await breakDeadLock(file);
    await removeStrayTemps(file);
    const lock = await acquireFileLock(file, { timeoutMs: 1_000 });
    await lock.release();
    // (A killed holder's witness and its temporary file stay: those are the test's, not the lock's.)
    const left = await readdir(dir);
    expect(left.filter((name) => !name.startsWith("witness"))).toEqual(["lock-holder.mjs"]);
  },
);
