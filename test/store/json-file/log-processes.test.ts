/**
 * The log format across processes: kill -9 of a writer under load (group
 * commits, transactions, compactions), four processes writing and reading
 * one store, and compactions racing another process's writes. Every wait is
 * for an event (acknowledgements, exits), never for a time.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";
import { checkLogLine } from "../../../src/store/json-file/log-line.js";
import { tempOwner } from "../../../src/store/json-file/owned-temp-file.js";
import { badRecords, loadRecord, type LoadRecord } from "./log-test-records.js";
import { startLogWriter, type LogWriter } from "./spawn-log-writer.js";

const KILL_ROUNDS = 24;

let dir: string;
let file: string;
const children: LogWriter[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-log-proc-"));
  file = join(dir, "data.jsonl");
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.child.kill("SIGKILL");
    await child.exit;
  }
  await rm(dir, { recursive: true, force: true });
});

const start = (
  prefix: string,
  count: number | "forever",
  concurrency: number,
  mode?: "read" | "big",
) => {
  const writer = startLogWriter(file, prefix, count, concurrency, mode);
  children.push(writer);
  return writer;
};
const openStore = () => new JsonFileStore<LoadRecord>({ path: file, lock: { timeoutMs: 60_000 } });
const allIds = async (store: JsonFileStore<LoadRecord>) =>
  new Set(((await store.query("")) as LoadRecord[]).map((r) => r.id));
/** Ids in `expected` that `store` lacks. */
const missing = async (store: JsonFileStore<LoadRecord>, expected: Iterable<string>) => {
  const have = await allIds(store);
  return [...expected].filter((id) => !have.has(id));
};

describe("JsonFileStore log format across processes", () => {
  it(`keeps every acknowledged write and applies no torn line over ${KILL_ROUNDS} kill -9 of a loaded writer`, async () => {
    const acked = new Set<string>();
    let tornTails = 0;
    let strayFiles = 0;
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const writer = start(`k${round}`, "forever", 8);
      // Kill after a varying number of acknowledgements: early, mid-batch, mid-compaction.
      await writer.acks(1 + ((round * 7) % 23));
      writer.child.kill("SIGKILL");
      const exit = await writer.exit;
      expect(exit.signal, exit.stderr).toBe("SIGKILL");
      for (const id of writer.acked) acked.add(id);

      const text = await readFile(file);
      if (text.length > 0 && text[text.length - 1] !== 0x0a) tornTails++;
      strayFiles += (await readdir(dir)).filter((name) => name !== "data.jsonl").length;

      const store = await openStore().open();
      expect(await missing(store, acked), `round ${round}`).toEqual([]);
      const records = (await store.query("")) as LoadRecord[];
      expect(badRecords(records), `round ${round}`).toEqual([]);
      // Opening removed what the dead writer left (its lock, a compaction's temporary file).
      for (const name of await readdir(dir))
        expect(tempOwner(file, name)?.pid ?? 0, name).not.toBe(writer.child.pid);
      expect(await readdir(dir)).toEqual(["data.jsonl"]);
      // A write after the crash cuts off a torn tail: every line of the file checks.
      const id = `after-${round}`;
      await store.put(loadRecord(id));
      acked.add(`after-${round}`);
      const lines = (await readFile(file)).toString("utf8").split("\n");
      expect(lines.pop()).toBe("");
      for (const [i, line] of lines.entries())
        expect(typeof checkLogLine(Buffer.from(line)), `line ${i + 1}`).toBe("object");
    }
    console.info(
      `json-file log kill loop: ${KILL_ROUNDS} kill -9, ${acked.size} acknowledged writes checked, 0 lost, ` +
        `${tornTails} torn last lines ignored, ${strayFiles} files left by the dead removed on open`,
    );
  }, 600_000);

  it("lets four processes write and read one store, each seeing the others' acknowledged writes", async () => {
    const writers = [0, 1, 2, 3].map((p) => start(`p${p}`, 30, 3, "read"));
    const reader = openStore();
    // While they run: whatever a writer acknowledged, a read here sees.
    let checks = 0;
    let running = true;
    const done = Promise.all(writers.map((w) => w.exit)).then((exits) => {
      running = false;
      return exits;
    });
    while (running) {
      const acknowledged = writers.flatMap((w) => [...w.acked]);
      expect(await missing(reader, acknowledged)).toEqual([]);
      checks++;
      await Promise.race([done, ...writers.map((w) => w.acks(w.acked.size + 5))]);
    }
    for (const exit of await done) expect(exit).toMatchObject({ code: 0, stderr: "" });
    const all = writers.flatMap((w) => [...w.acked]);
    expect(all).toHaveLength(4 * 3 * (30 + 6)); // 30 writes per loop, 6 of them with a pair
    expect(await missing(reader, all)).toEqual([]);
    expect(await missing(openStore(), all)).toEqual([]);
    expect(badRecords((await reader.query("")) as LoadRecord[])).toEqual([]);
    expect(checks).toBeGreaterThan(1);
  }, 300_000);

  it("keeps every write when compactions here race another process's writes", async () => {
    const writer = start("c", "forever", 4);
    const store = new JsonFileStore<LoadRecord>({
      path: file,
      lock: { timeoutMs: 60_000 },
      compaction: { minBytes: 16 * 1024 },
    });
    const mine: string[] = [];
    for (let round = 0; round < 12; round++) {
      await writer.acks(writer.acked.size + 10);
      const writes = Array.from({ length: 5 }, (_, i) => {
        const id = `main-${round}-${i}`;
        mine.push(id);
        return store.put(loadRecord(id));
      });
      await Promise.all([store.compact(), ...writes]);
    }
    writer.child.kill("SIGKILL");
    await writer.exit;
    for (const reader of [store, openStore()]) {
      expect(await missing(reader, [...writer.acked, ...mine])).toEqual([]);
    }
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines.length).toBeLessThan(writer.acked.size + mine.length); // it did compact
  }, 300_000);
});
