import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyRecord } from "../../src/store/copy.js";
import { copyIntoStore, copyStoredRecord, tagStoredRecord } from "../../src/store/stored-copy.js";
import { MemoryStore } from "../../src/store/memory/index.js";

/** Same keys in the same order, same values, all the way down. */
function expectSameCopy(copy: unknown, expected: unknown): void {
  expect(copy).toStrictEqual(expected);
  expect(JSON.stringify(copy)).toBe(JSON.stringify(expected));
  if (copy !== null && typeof copy === "object")
    expect(Object.keys(copy)).toEqual(Object.keys(expected as object));
}

/** Every object inside `copy` is a different object from the one at the same place in `stored`. */
function expectNothingShared(copy: unknown, stored: unknown): void {
  if (stored === null || typeof stored !== "object") return;
  expect(copy).not.toBe(stored);
  for (const key of Object.keys(stored)) {
    expectNothingShared(
      (copy as Record<string, unknown>)[key],
      (stored as Record<string, unknown>)[key],
    );
  }
}

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }),
  ),
  any: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("leaf"), { maxLength: 4 }),
    fc.array(tie("any"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("any"), { maxKeys: 3 }),
  ),
}));
const record = fc.dictionary(
  fc.oneof(fc.constantFrom("id", "name", "tags", "createdAt", "0", "10", "a b"), fc.string()),
  value.any,
  { maxKeys: 8 },
);

describe("stored-record copies", () => {
  it("equal copyRecord's copy, key order included, and share nothing (property)", () => {
    fc.assert(
      fc.property(record, (input) => {
        const stored = copyIntoStore(input);
        expectSameCopy(stored, copyRecord(input));
        tagStoredRecord(stored);
        const copy = copyStoredRecord(stored);
        expectSameCopy(copy, copyRecord(stored));
        expectNothingShared(copy, stored);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the copier of a record whose primitive id is set again (property)", () => {
    fc.assert(
      fc.property(record, fc.oneof(fc.string(), fc.integer()), (input, id) => {
        const stored = copyIntoStore(input, "id");
        (stored as Record<string, unknown>).id = id;
        tagStoredRecord(stored);
        expectSameCopy(copyStoredRecord(stored), copyRecord(stored));
      }),
      { numRuns: 200 },
    );
  });

  it("copies an array (a values() row) as an array", () => {
    const row = [1, "a", { b: 2 }];
    const copy = copyStoredRecord(row);
    expect(Array.isArray(copy)).toBe(true);
    expect(copy).toEqual(row);
    expect(copy[2]).not.toBe(row[2]);
    expect(Array.isArray(copyIntoStore(row))).toBe(true);
  });

  it("copies Dates, arrays of primitives and nested objects into fresh objects", () => {
    const stored = copyIntoStore({
      id: 1,
      createdAt: new Date(5),
      tags: ["a", "b"],
      nested: { list: [{ x: 1 }] },
      sparse: [1, , 3], // eslint-disable-line no-sparse-arrays
    });
    tagStoredRecord(stored);
    const copy = copyStoredRecord(stored);
    copy.createdAt.setTime(0);
    copy.tags.push("c");
    copy.nested.list[0]!.x = 2;
    expect(stored.createdAt.getTime()).toBe(5);
    expect(stored.tags).toEqual(["a", "b"]);
    expect(stored.nested.list[0]!.x).toBe(1);
    // A hole reads as undefined, as copyRecord copies it.
    expect(copy.sparse).toEqual([1, undefined, 3]);
    expect(1 in copy.sparse).toBe(true);
  });

  it("never copies a prototype key, and the copier stays off the copies", () => {
    const input = JSON.parse('{"id":1,"__proto__":{"polluted":true},"constructor":2,"a":3}');
    const stored = copyIntoStore(input);
    tagStoredRecord(stored);
    const copy = copyStoredRecord(stored);
    expect(Object.keys(copy)).toEqual(["id", "a"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(Object.getOwnPropertySymbols({ ...stored })).toEqual([]);
  });

  it("gives a record stored without a copier one on its first copy", () => {
    const stored = { id: 1, tags: ["x"] };
    expect(Object.getOwnPropertySymbols(stored)).toEqual([]);
    const copy = copyStoredRecord(stored);
    expect(copy).toEqual(stored);
    expect(Object.getOwnPropertySymbols(stored)).toHaveLength(1);
    expect(copyStoredRecord(stored)).toEqual(stored);
  });

  it("makes the same copies where new Function is banned", () => {
    const module = fileURLToPath(new URL("../../src/store/stored-copy.ts", import.meta.url));
    const script = `
      const { copyIntoStore, copyStoredRecord, tagStoredRecord } = await import(${JSON.stringify(module)});
      const stored = copyIntoStore({ id: 1, at: new Date(7), tags: ["a"], nested: { b: [1] } });
      tagStoredRecord(stored);
      const copy = copyStoredRecord(stored);
      copy.tags.push("x");
      console.log(JSON.stringify([copy, stored.tags, copy.at instanceof Date]));`;
    const child = runWithoutCodeGeneration(script);
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual([
      { id: 1, at: new Date(7).toISOString(), tags: ["a", "x"], nested: { b: [1] } },
      ["a"],
      true,
    ]);
  }, 60_000);
  it("hands out plain objects, also for keys Object.prototype has and for an empty record", () => {
    const input = { id: 1, toString: "t", valueOf: 2, hasOwnProperty: [3], at: new Date(4) };
    for (const shape of [input, { id: 2, at: new Date(5), tags: ["x"] }, {}]) {
      const stored = copyIntoStore(shape, "id");
      tagStoredRecord(stored);
      const copy = copyStoredRecord(stored);
      expectSameCopy(copy, copyRecord(shape));
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(copy.constructor).toBe(Object);
      expect(Reflect.ownKeys(copy)).toEqual(Object.keys(shape));
      expectNothingShared(copy, stored);
    }
  });

  it("copies records whose keys Object.prototype has when Object.prototype is frozen", () => {
    const module = fileURLToPath(new URL("../../src/store/stored-copy.ts", import.meta.url));
    const script = `
      const { copyIntoStore, copyStoredRecord } = await import(${JSON.stringify(module)});
      Object.freeze(Object.prototype);
      const stored = copyIntoStore({ id: 1, toString: "t", at: new Date(7), tags: ["a"] }, "id");
      const copy = copyStoredRecord(stored);
      console.log(JSON.stringify([copy, Object.keys(copy)]));`;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual([
      { id: 1, toString: "t", at: new Date(7).toISOString(), tags: ["a"] },
      ["id", "toString", "at", "tags"],
    ]);
  }, 60_000);
  /** Records whose getters answer differently on each read: a primitive (or primitives) first, then an object. */
  const changingRecords = () => {
    const shared = [{ secret: 1 }];
    const when = new Date(1);
    const flip = <A, B>(first: A, then: B) => {
      let reads = 0;
      return () => (reads++ === 0 ? first : then);
    };
    const records = [
      Object.defineProperty({ id: 1 }, "tags", { get: flip("x", shared), enumerable: true }),
      Object.defineProperty({ id: 2 }, "tags", { get: flip(["x"], shared), enumerable: true }),
      Object.defineProperty({ id: 3 }, "at", { get: flip(when, shared), enumerable: true }),
      // An array whose item is a primitive when classified and an object when copied.
      {
        id: 4,
        tags: Object.defineProperty([], 0, { get: flip("x", shared[0]), enumerable: true }),
      },
    ];
    return { shared, records };
  };

  it("never keeps a caller's object a getter returns on a later read", () => {
    const { shared, records } = changingRecords();
    for (const input of records) {
      const stored = copyIntoStore(input, "id");
      const copy = copyStoredRecord(stored);
      shared[0]!.secret = 2;
      expect(JSON.stringify(stored)).not.toContain('"secret":2');
      expect(JSON.stringify(copy)).not.toContain('"secret":2');
      shared[0]!.secret = 1;
    }
  });

  it("never keeps a caller's object a getter returns on a later read, through MemoryStore", async () => {
    const { shared, records } = changingRecords();
    const store = new MemoryStore<Record<string, unknown>>();
    for (const input of records) await store.put(input);
    const before = JSON.stringify(await store.query(""));
    shared[0]!.secret = 2;
    expect(JSON.stringify(await store.query(""))).toBe(before);
    const got = (await store.get(1))!;
    if (got["tags"] !== null && typeof got["tags"] === "object")
      (got["tags"] as { secret: number }[])[0]!.secret = 3;
    expect(JSON.stringify(await store.query(""))).toBe(before);
    expect(before).not.toContain('"secret":2');
  });

  it("never keeps a caller's object a getter returns on a later read where new Function is banned", () => {
    const module = fileURLToPath(new URL("../../src/store/stored-copy.ts", import.meta.url));
    const script = `
      const { copyIntoStore, copyStoredRecord } = await import(${JSON.stringify(module)});
      const shared = [{ secret: 1 }];
      let reads = 0;
      const input = Object.defineProperty({ id: 1 }, "tags", {
        get: () => (reads++ === 0 ? ["x"] : shared), enumerable: true });
      const stored = copyIntoStore(input, "id");
      const copy = copyStoredRecord(stored);
      shared[0].secret = 2;
      console.log(JSON.stringify([stored, copy]));`;
    const child = runWithoutCodeGeneration(script);
    expect(child.stderr).toBe("");
    expect(child.stdout).not.toContain('"secret":2');
  }, 60_000);
});

/** Runs `script` (an ES module, through tsx) in a Node where `new Function` and `eval` throw. */
function runWithoutCodeGeneration(script: string) {
  return spawnSync(
    process.execPath,
    [
      "--disallow-code-generation-from-strings",
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      script,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
}
