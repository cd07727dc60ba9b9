/**
 * The JSON-file store's log format: the file's lines, a torn last line, a
 * corrupted middle line, compaction, conversion from the whole-file format,
 * and a MemoryStore committing into it through a channel.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryStore, storeChannel } from "../../../src/index.js";
import { convertJsonFileToLog } from "../../../src/store/json-file/convert-to-log.js";
import { encodeRecords } from "../../../src/store/json-file/json-codec.js";
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";
import { appendLines, putLine } from "../../../src/store/json-file/log-write.js";
import { checkLogLine, encodeLogLine, headerLine } from "../../../src/store/json-file/log-line.js";

interface Item {
  id: string;
  n: number;
  at?: Date;
  text?: string;
}

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-log-"));
  file = join(dir, "data.jsonl");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (options: Partial<ConstructorParameters<typeof JsonFileStore>[0]> = {}) =>
  new JsonFileStore<Item>({ path: file, ...options });
const lines = async () => (await readFile(file, "utf8")).split("\n").slice(0, -1);
const ids = async (store: JsonFileStore<Item>) =>
  ((await store.query("sort(+id)")) as Item[]).map((r) => r.id);

describe("JsonFileStore log format", () => {
  it("writes a header and a snapshot line, then one checked line per put, delete or transaction", async () => {
    const store = open();
    await store.put({ id: "a", n: 1, at: new Date(0) });
    await store.put({ id: "b", n: 2 });
    await store.delete("a");
    await store.transaction(async (tx) => {
      await tx.put({ id: "c", n: 3 });
      await tx.delete("b");
    });
    await store.delete("nobody"); // changes nothing: no line
    const text = await lines();
    expect(text.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      {
        header: { format: "perstore-log", version: 1, file: expect.any(String) },
        len: expect.any(Number),
        crc: expect.any(String),
      },
      { snapshot: [], len: expect.any(Number), crc: expect.any(String) },
      {
        put: { id: "a", n: 1, at: { $date: "1970-01-01T00:00:00.000Z" } },
        len: expect.any(Number),
        crc: expect.any(String),
      },
      { put: { id: "b", n: 2 }, len: expect.any(Number), crc: expect.any(String) },
      { delete: "a", len: expect.any(Number), crc: expect.any(String) },
      {
        tx: [{ put: { id: "c", n: 3 } }, { delete: "b" }],
        len: expect.any(Number),
        crc: expect.any(String),
      },
    ]);
    for (const line of text) expect(typeof checkLogLine(Buffer.from(line))).toBe("object");
    expect(await ids(open())).toEqual(["c"]);
    expect(await open().get("c")).toEqual({ id: "c", n: 3 });
  });

  it("groups concurrent writes of one instance into one append, each acknowledged", async () => {
    const store = open();
    await store.open();
    const written = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.put({ id: `r${i}`, n: i })),
    );
    expect(written).toHaveLength(40);
    expect(await ids(open())).toHaveLength(40);
    // A failing write in a batch fails alone.
    const results = await Promise.allSettled([
      store.put({ id: "ok1", n: 1 }),
      store.add({ id: "r1", n: 9 }),
      store.put({ id: "ok2", n: 2 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "STORE_CONFLICT" });
    const again = open();
    expect(await again.get("r1")).toEqual({ id: "r1", n: 1 });
    expect(await again.get("ok2")).toEqual({ id: "ok2", n: 2 });
  });

  it("ignores a torn last line, and the next write cuts it off", async () => {
    const store = open();
    for (let i = 1; i <= 5; i++) await store.put({ id: `r${i}`, n: i });
    const whole = await lines();
    // A crash mid-append: part of a line, no newline.
    const torn = JSON.stringify({ put: { id: "r6", n: 6 }, len: 16, crc: "00000000" });
    await appendFile(file, torn.slice(0, 20));
    expect(await ids(open())).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    // A whole line with a wrong checksum at the end is torn too (never half-applied).
    await appendFile(file, `${torn.slice(20)}\n`);
    expect(await ids(open())).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    const writer = open();
    await writer.put({ id: "r7", n: 7 });
    const after = await lines();
    expect(after.slice(0, whole.length)).toEqual(whole);
    expect(after).toHaveLength(whole.length + 1);
    for (const line of after) expect(typeof checkLogLine(Buffer.from(line))).toBe("object");
    expect(await ids(open())).toEqual(["r1", "r2", "r3", "r4", "r5", "r7"]);
  });

  it("recovers exactly the whole lines from a file cut at any byte of its last two lines", async () => {
    const store = open({ durability: "none" });
    await store.put({ id: "a", n: 1 });
    await store.put({ id: "b", n: 2, text: "é€😀" }); // multi-byte UTF-8 in the cut region
    await store.transaction(async (tx) => {
      await tx.put({ id: "c", n: 3 });
      await tx.delete("a");
    });
    const whole = await readFile(file);
    const text = await lines();
    const lastTwo = Buffer.byteLength(`${text.slice(-2).join("\n")}\n`);
    const beforeB = whole.length - lastTwo;
    const beforeTx = whole.length - Buffer.byteLength(`${text.at(-1)}\n`);
    for (let cut = beforeB; cut < whole.length; cut++) {
      await writeFile(file, whole.subarray(0, cut));
      const expected = cut < beforeTx ? ["a"] : ["a", "b"];
      expect(await ids(open()), `cut at ${cut}`).toEqual(expected);
    }
    await writeFile(file, whole);
    expect(await ids(open())).toEqual(["b", "c"]);
  });

  it("never cuts off a good line past the end it read: that is another writer's, not a torn tail", async () => {
    const store = open();
    await store.put({ id: "a", n: 1 });
    const before = await readFile(file);
    const lastLine = Buffer.byteLength(`${(await lines()).at(-1)}\n`);
    // A writer that believes the file ends before the last line (as a second lock holder would).
    await expect(
      appendLines(file, before.length - lastLine, [putLine({ id: "b", n: 2 })], "none"),
    ).rejects.toMatchObject({ code: "STORE_LOCK_LOST", retryable: true });
    expect(await readFile(file)).toEqual(before);
    // A torn tail there is cut off.
    await appendFile(file, '{"put":{"id":"c"');
    await appendLines(file, before.length, [putLine({ id: "d", n: 4 })], "none");
    expect(await ids(open())).toEqual(["a", "d"]);
  });

  it("refuses a corrupted middle line with STORE_CORRUPT_FILE naming it, leaving the file untouched", async () => {
    const store = open();
    for (let i = 1; i <= 5; i++) await store.put({ id: `r${i}`, n: i, text: "abc" });
    const text = await lines();
    // Line 4 (r2) changed on disk: still valid JSON, but not what was written.
    text[3] = text[3]!.replace('"abc"', '"abd"');
    const damaged = `${text.join("\n")}\n`;
    await writeFile(file, damaged);
    const reader = open();
    const error = await reader.open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "STORE_CORRUPT_FILE", details: { file, line: 4 } });
    expect((error as Error).message).toContain(`${file}:4: checksum mismatch`);
    await expect(open().put({ id: "x", n: 0 })).rejects.toMatchObject({
      code: "STORE_CORRUPT_FILE",
    });
    await expect(open().get("r1")).rejects.toMatchObject({ code: "STORE_CORRUPT_FILE" });
    expect(await readFile(file, "utf8")).toBe(damaged);
    expect(await readdir(dir)).toEqual(["data.jsonl"]);
  });

  it("loads a snapshot's tags, drops prototype keys, and refuses what no store keeps", async () => {
    const log = (snapshot: string) =>
      Buffer.concat([headerLine("f"), encodeLogLine("snapshot", snapshot)]);
    await writeFile(
      file,
      log(
        '[{"id":"a","at":{"$date":"2020-01-02T03:04:05.000Z"},"__proto__":{"x":1},"o":{"constructor":2,"k":[{"$number":"NaN"}]}}]',
      ),
    );
    const [a] = (await open().query("")) as Record<string, unknown>[];
    expect(a).toEqual({
      id: "a",
      at: new Date("2020-01-02T03:04:05.000Z"),
      o: { k: [Number.NaN] },
    });
    expect(Object.hasOwn(a!, "__proto__")).toBe(false);
    for (const [snapshot, problem] of [
      ['[{"id":"a","s":"\\u0000"}]', /U\+0000/],
      ['[{"id":"a","s":"\\ud800"}]', /surrogate/],
      ['[{"id":"a"},{"id":"a"}]', /STORE_CONFLICT/],
      ['[{"id":"a","at":{"$date":"never"}}]', /malformed \$date/],
      ['{"id":"a"}', /not an array/],
    ] as const) {
      await writeFile(file, log(snapshot));
      const error = await open()
        .open()
        .catch((e: unknown) => e);
      expect(error, snapshot).toMatchObject({ code: "STORE_CORRUPT_FILE", details: { line: 2 } });
      expect((error as Error).message, snapshot).toMatch(problem);
    }
  });

  it("refuses a whole-file JSON store with STORE_WRONG_FORMAT, and converts it once", async () => {
    const records = [
      { id: "a", n: 1, at: new Date(5) },
      { id: "b", n: 2 },
    ];
    await writeFile(file, encodeRecords(records));
    const before = await readFile(file, "utf8");
    await expect(open().open()).rejects.toMatchObject({ code: "STORE_WRONG_FORMAT" });
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await convertJsonFileToLog(file)).toEqual({ records: 2, converted: true });
    expect(await convertJsonFileToLog(file)).toEqual({ records: 2, converted: false });
    const store = open();
    expect([...((await store.query("sort(+id)")) as Item[])]).toEqual(records);
    await store.put({ id: "c", n: 3 });
    expect(await ids(open())).toEqual(["a", "b", "c"]);
    expect(await readdir(dir)).toEqual(["data.jsonl"]);
  });

  it("converts nothing from a corrupt or duplicate-id whole file", async () => {
    const duplicate = encodeRecords([
      { id: "a", n: 1 },
      { id: "a", n: 2 },
    ]);
    await writeFile(file, duplicate);
    await expect(convertJsonFileToLog(file)).rejects.toMatchObject({ code: "STORE_CORRUPT_FILE" });
    expect(await readFile(file, "utf8")).toBe(duplicate);
    await writeFile(file, "[{");
    await expect(convertJsonFileToLog(file)).rejects.toMatchObject({ code: "STORE_CORRUPT_FILE" });
    expect(await readFile(file, "utf8")).toBe("[{");
  });

  it("compacts to one snapshot line within 1.2x of the plain JSON, on demand and by itself", async () => {
    const store = open({ compaction: { minBytes: 4096, multiple: 2 } });
    for (let round = 0; round < 6; round++)
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.put({ id: `r${i}`, n: round, text: "t".repeat(40) }),
        ),
      );
    await store.compact(); // also waits for a compaction the appends started
    const records = (await store.query("sort(+id)")) as Item[];
    const text = await lines();
    expect(text).toHaveLength(2);
    const size = Buffer.byteLength(`${text.join("\n")}\n`);
    expect(size).toBeLessThan(1.2 * Buffer.byteLength(encodeRecords(records)));
    expect(await open().query("sort(+id)")).toEqual(records);
    // Left alone, the log compacts itself once it is past 2x its snapshot.
    for (let round = 0; round < 8; round++)
      for (let i = 0; i < 50; i++) await store.put({ id: `r${i}`, n: 100 + round });
    await store.compact();
    expect((await lines()).length).toBe(2);
    expect(((await open().query("")) as Item[]).every((r) => r.n === 107)).toBe(true);
    expect(await readdir(dir)).toEqual(["data.jsonl"]);
  });

  it("keeps every write when compactions race writes from two instances", async () => {
    const a = open({ compaction: { minBytes: 2048 } });
    const b = open({ compaction: { minBytes: 2048 } });
    const written: string[] = [];
    const writes = [a, b].flatMap((store, s) =>
      Array.from({ length: 4 }, async (_, loop) => {
        for (let i = 0; i < 40; i++) {
          const id = `s${s}-l${loop}-${i}`;
          await store.put({ id, n: i, text: "x".repeat(60) });
          written.push(id);
          if (i % 4 === 0) await store.delete(`s${s}-l${loop}-${i - 2}`);
        }
      }),
    );
    const compactions = (async () => {
      for (let i = 0; i < 10; i++) await Promise.all([a.compact(), b.compact()]);
    })();
    await Promise.all([...writes, compactions]);
    const expected = written
      .filter((id) => {
        const i = Number(id.split("-")[2]);
        return !(i % 4 === 2 && i + 2 < 40); // deleted two writes later
      })
      .sort();
    for (const store of [a, b, open()]) expect(await ids(store)).toEqual(expected);
  });

  it('takes `durability: "none"` and refuses unknown options', () => {
    expect(() => open({ durability: "sometimes" as never })).toThrow(/durability/);
    expect(() => open({ format: "xml" as never })).toThrow(/format/);
    expect(() => open({ compaction: { multiple: 1 } })).toThrow(/multiple/);
  });

  it("is written as one transaction line by a memory store's condensed commit, after reject(n)", async () => {
    const target = open({ durability: "none" });
    const local = new MemoryStore<Item>({ channel: storeChannel(target) });
    local.put({ id: "a", n: 1 });
    local.put({ id: "b", n: 2 });
    local.put({ id: "a", n: 3 });
    local.put({ id: "c", n: 4 });
    expect(local.reject(1)).toBe(1); // c never happened
    await local.commit({ mode: "condensed" });
    expect(local.journal).toEqual([]);
    const text = await lines();
    expect(text).toHaveLength(3);
    expect(JSON.parse(text[2]!)).toMatchObject({
      tx: [{ put: { id: "a", n: 3 } }, { put: { id: "b", n: 2 } }],
    });
    expect([...((await open().query("sort(+id)")) as Item[])]).toEqual([
      { id: "a", n: 3 },
      { id: "b", n: 2 },
    ]);
  });
});
