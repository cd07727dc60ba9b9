import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../../src/errors/index.js";
import { acquireFileLock } from "../../../src/store/json-file/file-lock.js";
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";
import { tempOwner, tempPathFor } from "../../../src/store/json-file/owned-temp-file.js";
import { selfIdentity } from "../../../src/store/json-file/process-identity.js";
import type { StoreEvent } from "../../../src/store/types.js";
import { startWriter as spawnWriter } from "./spawn-writer.js";

interface Item {
  id: string;
  n: number;
  at?: Date;
  padding?: string;
}

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-json-file-"));
  file = join(dir, "data.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (path = file) => new JsonFileStore<Item>({ path, format: "json" });
const exists = (path: string) => fs.existsSync(path);
/** A query's records as a plain array (without `totalCount`). */
const all = async (store: JsonFileStore<Item>, query = "") => [
  ...((await store.query(query)) as Item[]),
];

/** Starts writer-process.ts on `file`. */
const startWriter = (prefix: string, count: number | "forever", recordSize = 0) =>
  spawnWriter(file, [prefix, count, recordSize], { format: "json" });

/** True for the name of a data temporary file of `file` (not of its lock). */
const isDataTemp = (name: string) =>
  tempOwner(file, name) !== undefined && !name.startsWith("data.json.lock");

describe("JsonFileStore files", () => {
  it("treats a missing file as empty, creates it on the first write, and reads it back in a new instance", async () => {
    const store = open(join(dir, "sub", "dir", "data.json"));
    expect(await store.get("a")).toBeUndefined();
    expect(await all(store)).toEqual([]);
    expect(exists(join(dir, "sub"))).toBe(false);
    await store.put({ id: "a", n: 1, at: new Date("2020-02-02T02:02:02.002Z") });
    await store.put({ id: "b", n: 2 });
    const text = await readFile(join(dir, "sub", "dir", "data.json"), "utf8");
    expect(text).toBe(
      '[\n{"id":"a","n":1,"at":{"$date":"2020-02-02T02:02:02.002Z"}},\n{"id":"b","n":2}\n]\n',
    );
    const again = await open(join(dir, "sub", "dir", "data.json")).open();
    const a = await again.get("a");
    expect(a?.at).toBeInstanceOf(Date);
    expect(a).toEqual({ id: "a", n: 1, at: new Date("2020-02-02T02:02:02.002Z") });
    expect(await all(again, "n=2")).toEqual([{ id: "b", n: 2 }]);
  });

  it("leaves no temporary or lock files behind", async () => {
    const store = open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put({ id: `r${i}`, n: i })));
    await store.delete("r3");
    expect(await readdir(dir)).toEqual(["data.json"]);
    expect(JSON.parse(await readFile(file, "utf8"))).toHaveLength(19);
  });

  it("reads JSORM's {meta: {root}} form", async () => {
    await writeFile(
      file,
      JSON.stringify({ meta: { id: "id", root: "items" }, items: [{ id: "x", n: 1 }] }),
    );
    expect(await open().get("x")).toEqual({ id: "x", n: 1 });
  });

  it("reloads when another writer replaced the file", async () => {
    const store = open();
    await store.put({ id: "a", n: 1 });
    await writeFile(file, '[{"id":"z","n":26}]');
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("z")).toEqual({ id: "z", n: 26 });
  });

  it("reports events only once the change is on disk", async () => {
    const store = open();
    const seen: string[] = [];
    store.on("add", (event: StoreEvent<Item>) => {
      const onDisk = JSON.parse(fs.readFileSync(file, "utf8")) as Item[];
      seen.push(
        ...(event.ids ?? event.records?.map((r) => r.id) ?? []).map(
          (id) => `${String(id)}:${onDisk.some((r) => r.id === id)}`,
        ),
      );
    });
    await store.put({ id: "a", n: 1 });
    expect(seen).toEqual(["a:true"]);
  });
});

describe("JsonFileStore options", () => {
  it("uses the idProperty option and keeps unique indexes, refusing a duplicate without touching the file", async () => {
    const store = new JsonFileStore<{ key: string; email: string }>({
      format: "json",
      path: file,
      idProperty: "key",
      indexes: [{ fields: ["email"], unique: true }],
    });
    expect(store.idProperty).toBe("key");
    expect(await store.put({ key: "k1", email: "a@x" })).toBe("k1");
    const before = await readFile(file, "utf8");
    await expect(store.put({ key: "k2", email: "a@x" })).rejects.toMatchObject({
      code: "STORE_CONFLICT",
    });
    expect(await readFile(file, "utf8")).toBe(before);
    const again = new JsonFileStore<{ key: string; email: string }>({
      format: "json",
      path: file,
      idProperty: "key",
    });
    expect(await again.get("k1")).toEqual({ key: "k1", email: "a@x" });
    expect(await again.get("k2")).toBeUndefined();
  });

  it("keeps a write that is on disk even when a listener throws", async () => {
    const store = open();
    store.on("add", () => {
      throw new Error("listener bug");
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      expect(await store.put({ id: "a", n: 1 })).toBe("a");
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(await open().get("a")).toEqual({ id: "a", n: 1 });
    expect(warnings.some((w) => w.includes("listener bug"))).toBe(true);
  });
});

describe("JsonFileStore corrupt files", () => {
  it("names file, line and column, and never overwrites the file", async () => {
    const corrupt = '[\n{"id":"a","n":1},\n{"id":"b",n:2}\n]\n';
    await writeFile(file, corrupt);
    const store = open();
    const error = await store.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      code: "STORE_CORRUPT_FILE",
      details: { file, line: 3, column: 11 },
    });
    expect((error as Error).message).toContain(`${file}:3:11`);
    await expect(store.put({ id: "c", n: 3 })).rejects.toMatchObject({
      code: "STORE_CORRUPT_FILE",
    });
    await expect(store.delete("a")).rejects.toMatchObject({ code: "STORE_CORRUPT_FILE" });
    await expect(store.get("a")).rejects.toMatchObject({ code: "STORE_CORRUPT_FILE" });
    expect(await readFile(file, "utf8")).toBe(corrupt);
    expect(await readdir(dir)).toEqual(["data.json"]);
  });

  it("counts an empty file, a non-array and duplicate ids as corrupt", async () => {
    for (const text of ["", "  \n", '{"id":"a"}', '[{"id":"a","n":1},{"id":"a","n":2}]']) {
      await writeFile(file, text);
      await expect(open().put({ id: "b", n: 1 })).rejects.toMatchObject({
        code: "STORE_CORRUPT_FILE",
      });
      expect(await readFile(file, "utf8")).toBe(text);
    }
  });

  it("names the record holding a malformed tag, and leaves the file alone", async () => {
    const text = '[\n{"id":"a","n":1},\n{"id":"b","n":2,"at":{"$date":"not a date"}}\n]\n';
    await writeFile(file, text);
    const error = await open()
      .put({ id: "c", n: 3 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "STORE_CORRUPT_FILE", details: { file, record: 2 } });
    expect((error as Error).message).toContain(`${file}: record 2: malformed $date`);
    expect(await readFile(file, "utf8")).toBe(text);
  });

  it("recovers once the file is repaired", async () => {
    await writeFile(file, "[{]");
    const store = open();
    await expect(store.get("a")).rejects.toMatchObject({ code: "STORE_CORRUPT_FILE" });
    await writeFile(file, '[{"id":"a","n":1}]');
    expect(await store.get("a")).toEqual({ id: "a", n: 1 });
  });
});

describe("JsonFileStore failed writes", () => {
  it("rolls back when the rename fails, leaving memory and file as they were", async () => {
    const store = open();
    await store.put({ id: "a", n: 1 });
    const before = await readFile(file, "utf8");
    const rename = fs.promises.rename;
    // data-file.ts looks fs.promises.rename up on each write, so this makes exactly the final step fail.
    fs.promises.rename = (() =>
      Promise.reject(
        Object.assign(new Error("EIO: simulated"), { code: "EIO" }),
      )) as typeof fs.promises.rename;
    try {
      const error = await store.put({ id: "b", n: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: "STORE_IO" });
      await expect(store.put({ id: "a", n: 99 })).rejects.toMatchObject({ code: "STORE_IO" });
      await expect(store.delete("a")).rejects.toMatchObject({ code: "STORE_IO" });
    } finally {
      fs.promises.rename = rename;
    }
    expect(await store.get("b")).toBeUndefined();
    expect(await store.get("a")).toEqual({ id: "a", n: 1 });
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await readdir(dir)).toEqual(["data.json"]);
    await store.put({ id: "c", n: 3 });
    expect(await all(store, "sort(+id)")).toEqual([
      { id: "a", n: 1 },
      { id: "c", n: 3 },
    ]);
  });

  it("rolls back a value JSON cannot hold, with STORE_ENCODE", async () => {
    const store = open();
    await store.put({ id: "a", n: 1 });
    await expect(store.put({ id: "b", n: 10n as unknown as number })).rejects.toMatchObject({
      code: "STORE_ENCODE",
    });
    expect(await store.get("b")).toBeUndefined();
    expect(await open().get("b")).toBeUndefined();
  });

  it("gives up with STORE_LOCKED when another writer holds the lock, and changes nothing", async () => {
    await writeFile(file, "[]");
    const lock = await acquireFileLock(file);
    try {
      const store = new JsonFileStore<Item>({
        path: file,
        format: "json",
        lock: { timeoutMs: 200 },
      });
      await expect(store.put({ id: "a", n: 1 })).rejects.toMatchObject({ code: "STORE_LOCKED" });
      expect(await store.get("a")).toBeUndefined();
    } finally {
      await lock.release();
    }
    expect(await readFile(file, "utf8")).toBe("[]");
  });

  it("removes dead writers' temporary files on open, and no one else's", async () => {
    const { pid: dead } = spawnSync(process.execPath, ["-e", ""]);
    const owned = (pid: number, host = selfIdentity.host) =>
      tempPathFor(file).replace(`${selfIdentity.host}-${selfIdentity.pid}-`, `${host}-${pid}-`);
    const strays = [owned(dead!), owned(dead!).replace("data.json.", "data.json.lock.")];
    const kept = [
      tempPathFor(file), // this process's: a live writer's file in flight
      owned(dead!, "00000000"), // another host's: its pid means nothing here
      join(dir, "data.json.backup"),
      join(dir, "other.json.tmp"),
    ];
    for (const path of [...strays, ...kept]) await writeFile(path, "[]");
    await open().open();
    expect((await readdir(dir)).sort()).toEqual(kept.map((p) => p.slice(dir.length + 1)).sort());
  });
});

describe("JsonFileStore transactions", () => {
  it("write everything in one atomic write, or nothing", async () => {
    const store = open();
    await store.put({ id: "a", n: 1 });
    const before = await readFile(file, "utf8");
    await expect(
      store.transaction(async (tx) => {
        await tx.put({ id: "b", n: 2 });
        await tx.delete("a");
        // Only the transaction's own calls join it; a second instance sees the old file.
        expect(await open().get("a")).toEqual({ id: "a", n: 1 });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await readFile(file, "utf8")).toBe(before);
    expect(await store.get("a")).toEqual({ id: "a", n: 1 });
    await store.transaction(async (tx) => {
      await tx.put({ id: "b", n: 2 });
      await tx.delete("a");
    });
    expect(await all(open())).toEqual([{ id: "b", n: 2 }]);
  });

  it("makes other callers wait until it is done", async () => {
    const store = open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = store.transaction(async (s) => {
      await s.put({ id: "a", n: 1 });
      await gate;
      await s.put({ id: "a", n: 2 });
    });
    const outside = store.get("a");
    release();
    await tx;
    expect(await outside).toEqual({ id: "a", n: 2 });
  });
});

describe("JsonFileStore with several writers", () => {
  it("loses no update between two instances on one file", async () => {
    const a = open();
    const b = open();
    await a.put({ id: "a0", n: 0 });
    await b.put({ id: "b0", n: 0 });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).put({ id: `x${i}`, n: i })),
    );
    expect(((await a.query("")) as Item[]).length).toBe(32);
    expect(((await b.query("")) as Item[]).length).toBe(32);
    expect(JSON.parse(await readFile(file, "utf8"))).toHaveLength(32);
    await b.delete("a0");
    expect(await a.get("a0")).toBeUndefined();
  });

  it("loses no update between processes", async () => {
    const writers = [startWriter("p", 15), startWriter("q", 15)];
    const store = open();
    for (let i = 1; i <= 15; i++) await store.put({ id: `main-${i}`, n: i });
    const exits = await Promise.all(writers.map((w) => w.exit));
    for (const exit of exits) expect(exit).toMatchObject({ code: 0, stderr: "" });
    const ids = ((await store.query("")) as Item[]).map((r) => r.id);
    expect(ids).toHaveLength(45);
    for (const prefix of ["p", "q", "main"]) {
      for (let i = 1; i <= 15; i++) expect(ids).toContain(`${prefix}-${i}`);
    }
  });

  it("never leaves a corrupt or empty file when a writer is killed mid-write", async () => {
    let killedMidWrite = 0;
    for (let round = 0; round < 3; round++) {
      const w = startWriter(`k${round}`, "forever", 20_000);
      await w.written(10);
      // Kill the moment the writer creates its data temporary file, i.e. inside a write.
      const watcher = fs.watch(dir, (_event, name) => {
        if (name && isDataTemp(name)) w.child.kill("SIGKILL");
      });
      expect((await w.exit).signal).toBe("SIGKILL");
      watcher.close();
      if ((await readdir(dir)).some(isDataTemp)) killedMidWrite++;
      const records = await all(await open().open());
      expect(records.length).toBeGreaterThanOrEqual(10);
      // Every version of the file the writer produced holds records 1..n in order.
      expect(records.map((r) => r.n)).toEqual(records.map((_, i) => i + 1));
      // Opening removed the dead writer's temporary file and lock.
      expect(await readdir(dir)).toEqual(["data.json"]);
      await rm(file);
    }
    // The kill really interrupted writes (their temporary files were left behind).
    expect(killedMidWrite).toBeGreaterThan(0);
  });
});
