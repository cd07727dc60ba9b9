/**
 * Torture: kill -9 loops against JSON-file writers under load. Two child
 * processes write to one file all the time (writer-process.ts, each write
 * acknowledged on stdout once `put` resolved) while this process writes too;
 * each round kills one child at a chosen moment (inside a data write, while it
 * takes the lock, or at a random point) and starts a new one. After every
 * kill: the file loads, every acknowledged write of every writer is in it, the
 * other writers go on without waiting out a stale lock, and opening the store
 * removes what the dead writer left. TORTURE_SCALE (default 1) multiplies the
 * rounds; the figures are printed for docs/reliability.md. The writers use the
 * default format (the log since issue 12).
 */
import fs from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonFileStore } from "../../src/store/json-file/json-file-store.js";
import { tempOwner } from "../../src/store/json-file/owned-temp-file.js";
import { startWriter, type WriterProcess } from "../store/json-file/spawn-writer.js";

const SCALE = Math.max(1, Number(process.env.TORTURE_SCALE ?? 1) || 1);
const ROUNDS = 4 * SCALE;
const MODES = ["mid-write", "taking-lock", "any-moment"] as const;

interface Item {
  id: string;
  n: number;
  at: Date;
  padding: string;
}
interface Writer {
  readonly prefix: string;
  readonly process: WriterProcess;
  /** Acknowledged writes when it was killed (undefined while it runs). */
  final?: number;
}

let dir: string;
let file: string;
const writers: Writer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-torture-kill-"));
  file = join(dir, "data.json");
});
afterAll(async () => {
  for (const w of writers) if (w.final === undefined) w.process.child.kill("SIGKILL");
  await Promise.all(writers.map((w) => w.process.exit));
  await rm(dir, { recursive: true, force: true });
});

/** A writer with 2-6 KB records (the size of a write makes mid-write kills likely). */
function spawn(prefix: string): Writer {
  const writer: Writer = { prefix, process: startWriter(file, [prefix, "forever", 2_000]) };
  writers.push(writer);
  return writer;
}

/** Kills `victim` when the chosen moment comes; resolves with whether its temporary file was left. */
async function kill(victim: Writer, mode: (typeof MODES)[number]): Promise<void> {
  const { child } = victim.process;
  const watcher = fs.watch(dir, (_event, name) => {
    const owner = name ? tempOwner(file, name) : undefined;
    if (owner?.pid !== child.pid) return;
    const lockTemp = name!.startsWith("data.json.lock");
    if ((mode === "mid-write" && !lockTemp) || (mode === "taking-lock" && lockTemp))
      child.kill("SIGKILL");
  });
  if (mode === "any-moment")
    setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * 40));
  // A log writer writes a temporary file only when it compacts, and another process may always
  // compact first: after 400 more acknowledged writes without one, kill it anyway.
  else
    void victim.process
      .written(victim.process.acknowledged() + 400)
      .then(() => child.kill("SIGKILL"));
  const exit = await victim.process.exit;
  watcher.close();
  expect(exit.signal).toBe("SIGKILL");
  victim.final = victim.process.acknowledged();
}

/**
 * Every acknowledged write of every writer, checked in a fresh store; returns how many were checked and lost.
 * The acknowledgements are counted before the read: a live writer's writes acknowledged while the read
 * runs may land after it (with the log format a writer acknowledges hundreds of writes a second).
 */
async function verify(store: JsonFileStore<Item>): Promise<{ checked: number; lost: string[] }> {
  const counts = writers.map((w) => w.final ?? w.process.acknowledged());
  const byId = new Map(((await store.query("")) as Item[]).map((r) => [r.id, r]));
  const lost: string[] = [];
  let checked = 0;
  for (const [i, w] of writers.entries()) {
    const acknowledged = counts[i]!;
    for (let n = 1; n <= acknowledged; n++) {
      checked++;
      const record = byId.get(`${w.prefix}-${n % 1000}`);
      // Ids repeat every 1000 writes: a later write of the same id may have replaced it.
      if (record === undefined || record.n < n || record.n % 1000 !== n % 1000)
        lost.push(`${w.prefix}-${n}`);
      else if (record.n === n) expect(record.at).toEqual(new Date(n));
    }
  }
  return { checked, lost };
}

describe("torture: kill -9 JSON-file writers under load", () => {
  it(
    `loses no acknowledged write in ${ROUNDS} kill rounds`,
    async () => {
      const figures = { kills: 0, midWrite: 0, strayFiles: 0, checked: 0, lost: 0, ownWrites: 0 };
      let live = [spawn("w0"), spawn("w1")];
      await Promise.all(live.map((w) => w.process.written(2)));
      for (let round = 0; round < ROUNDS; round++) {
        const mode = MODES[round % MODES.length]!;
        const [victim, survivor] = round % 2 ? [live[0]!, live[1]!] : [live[1]!, live[0]!];
        await victim.process.written(victim.process.acknowledged() + 1 + (round % 5));
        await kill(victim, mode);
        figures.kills++;
        const left = (await readdir(dir)).filter((name) => name !== "data.json");
        if (left.some((name) => tempOwner(file, name) && !name.startsWith("data.json.lock")))
          figures.midWrite++;
        figures.strayFiles += left.length;

        // The others go on at once: the survivor, and this process (a stale lock would time it out).
        const ownId = `main-${round}`;
        const store = new JsonFileStore<Item>({ path: file, lock: { timeoutMs: 5_000 } });
        await store.put({ id: ownId, n: round, at: new Date(round), padding: "" });
        figures.ownWrites++;
        await survivor.process.written(survivor.process.acknowledged() + 2);

        // The file loads in a fresh store and holds every acknowledged write.
        const { checked, lost } = await verify(
          await new JsonFileStore<Item>({ path: file }).open(),
        );
        expect(lost, `round ${round} (${mode})`).toEqual([]);
        expect(await store.get(ownId)).toMatchObject({ id: ownId, n: round });
        figures.checked += checked;
        figures.lost += lost.length;
        // Nothing the dead writer left survives an open (the survivor's in-flight files may).
        const after = await readdir(dir);
        for (const name of after)
          expect(tempOwner(file, name)?.pid ?? 0, name).not.toBe(victim.process.child.pid);

        live = [survivor, spawn(`w${round + 2}`)];
      }
      for (const w of live) await kill(w, "any-moment");
      const { checked, lost } = await verify(await new JsonFileStore<Item>({ path: file }).open());
      expect(lost).toEqual([]);
      // Every writer is dead now: opening left nothing but the data file.
      expect(await readdir(dir)).toEqual(["data.json"]);
      figures.checked += checked;
      console.info(
        `torture json-file-kill: ${figures.kills + 2} kill -9 (${figures.midWrite} inside a data write), ` +
          `${figures.strayFiles} files left beside the data file at kill time (the dead writers' all removed by open), ${figures.checked} acknowledged ` +
          `writes checked, ${figures.lost} lost, ${figures.ownWrites} writes by this process after a kill, none timed out`,
      );
    },
    120_000 * SCALE,
  );
});
