import { describe, expect, it } from "vitest";
import { ConflictError, MemoryStore, NotFoundError, type StoreEvent } from "perstore";
import { people, snapshot, type Person } from "./helpers.js";

describe("MemoryStore: store contract", () => {
  it("put/get/delete with copies in and out", () => {
    const store = new MemoryStore<Person>();
    const input: Person = { id: 1, name: "Ann", tags: ["a"] };
    expect(store.put(input)).toBe(1);
    input.name = "changed";
    input.tags!.push("b");
    const out = store.get(1)!;
    expect(out).toEqual({ id: 1, name: "Ann", tags: ["a"] });
    out.tags!.push("c");
    expect(store.get(1)).toEqual({ id: 1, name: "Ann", tags: ["a"] });
    expect(store.delete(1)).toBe(true);
    expect(store.delete(1)).toBe(false);
    expect(store.get(1)).toBeUndefined();
  });

  it("resolves ids: option, then id property, else a generated string", () => {
    const store = new MemoryStore<Person>({ idProperty: "key" });
    expect(store.put({ key: "k1", name: "a" })).toBe("k1");
    expect(store.put({ key: "k2", name: "b" }, { id: "opt" })).toBe("opt");
    expect(store.get("opt")).toEqual({ key: "opt", name: "b" });
    const generated = store.put({ name: "c" });
    expect(typeof generated).toBe("string");
    expect(store.get(generated)).toEqual({ key: generated, name: "c" });
    expect(() => store.put({ key: { bad: 1 } as never })).toThrow(
      expect.objectContaining({ code: "STORE_INVALID_ID" }),
    );
    expect(() => store.put(null as never)).toThrow(
      expect.objectContaining({ code: "STORE_INVALID_RECORD" }),
    );
  });

  it("keeps 1 and '1' apart as ids", () => {
    const store = new MemoryStore<Person>();
    store.put({ id: 1, name: "number" });
    store.put({ id: "1", name: "string" });
    expect(store.get(1)!.name).toBe("number");
    expect(store.get("1")!.name).toBe("string");
  });

  it("applies overwrite rules and leaves the store unchanged on failure", () => {
    const store = new MemoryStore<Person>({ data: people() });
    const before = snapshot(store);
    expect(() => store.add({ id: 1, name: "dup" })).toThrow(ConflictError);
    expect(() => store.put({ id: 1, name: "dup" }, { overwrite: false })).toThrow(
      expect.objectContaining({ code: "STORE_CONFLICT" }),
    );
    expect(() => store.put({ id: 99 }, { overwrite: true })).toThrow(NotFoundError);
    expect(snapshot(store)).toEqual(before);
    expect(store.journal).toEqual([]);
    store.put({ id: 1, name: "Ann2" }, { overwrite: true });
    expect(store.get(1)).toEqual({ id: 1, name: "Ann2" });
  });

  it("queries with paging and totalCount, in insertion order", () => {
    const store = new MemoryStore<Person>({ data: people(), indexes: ["country"] });
    const page = store.query("country=in=(CA,IN)", { start: 1, end: 3 }) as Person[] & {
      totalCount: number;
    };
    expect(page.map((p) => p.id)).toEqual([2, 3]);
    expect(page.totalCount).toBe(4);
    expect(store.query("country=CA&count()")).toBe(2);
    expect([
      ...(store.query("age>$1&sort(-age)&values(name)", { parameters: [20] }) as string[]),
    ]).toEqual(["Cid", "Ann"]);
    const first = store.query("first()") as Person;
    first.name = "mutated";
    expect(store.get(1)!.name).toBe("Ann");
  });

  it("treats prototype keys as plain data", () => {
    const store = new MemoryStore<Person>({ indexes: ["name"] });
    store.put({ id: "__proto__", name: "constructor" });
    store.put(JSON.parse('{"id": "x", "__proto__": {"polluted": true}, "name": "__proto__"}'));
    expect(store.get("__proto__")).toEqual({ id: "__proto__", name: "constructor" });
    expect(store.get("x")).toEqual({ id: "x", name: "__proto__" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((store.query("name=__proto__") as Person[]).map((p) => p.id)).toEqual(["x"]);
    expect((store.query("name=constructor") as Person[]).map((p) => p.id)).toEqual(["__proto__"]);
    expect(store.get("constructor")).toBeUndefined();
    expect(store.get("toString")).toBeUndefined();
    expect(store.delete("__proto__")).toBe(true);
    expect(store.size).toBe(1);
  });

  it("emits events with copies and unsubscribes", () => {
    const store = new MemoryStore<Person>();
    const seen: StoreEvent<Person>[] = [];
    const off = store.on("add", (e) => {
      seen.push(e);
      e.records![0]!.name = "listener changed it";
    });
    const other: StoreEvent<Person>[] = [];
    store.on("add", (e) => other.push(e));
    store.on("change", (e) => other.push(e));
    store.on("remove", (e) => other.push(e));
    store.put({ id: 1, name: "a" });
    expect(store.get(1)!.name).toBe("a");
    expect(other[0]!.records![0]!.name).toBe("a");
    store.put({ id: 1, name: "b" });
    expect(other[1]).toMatchObject({ type: "change", ids: [1] });
    off();
    store.put({ id: 2, name: "c" });
    expect(seen).toHaveLength(1);
    store.delete(2);
    expect(other.map((e) => e.type)).toEqual(["add", "change", "add", "remove"]);
  });

  it("keeps running listeners when one throws, keeps the write, and reports the error as a warning", async () => {
    const store = new MemoryStore<Person>();
    const calls: string[] = [];
    const failure = new Error("boom");
    store.on("add", () => {
      throw failure;
    });
    store.on("add", () => calls.push("second"));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      expect(store.put({ id: 1 })).toBe(1); // the write succeeded: it must not look failed
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(calls).toEqual(["second"]);
    expect(store.get(1)).toEqual({ id: 1 });
    expect(store.journal).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: "STORE_LISTENER_FAILED", cause: failure });
    expect(warnings[0]!.message).toContain("boom");
  });

  it("refuses unknown events and non-function listeners with stable codes", () => {
    const store = new MemoryStore<Person>();
    expect(() => store.on("added" as never, () => undefined)).toThrow(
      expect.objectContaining({ code: "STORE_BAD_EVENT" }),
    );
    expect(() => store.on("add", "nope" as never)).toThrow(
      expect.objectContaining({ code: "STORE_BAD_LISTENER" }),
    );
  });
});

describe("MemoryStore: JSORM API", () => {
  it("insert appends or replaces, atomically", () => {
    const store = new MemoryStore<Person>({ indexes: [{ fields: ["email"], unique: true }] });
    expect(store.insert(people())).toEqual([1, 2, 3, 4, 5]);
    const before = snapshot(store);
    expect(() => store.insert([{ id: 10 }, { id: 11 }, { id: 10 }])).toThrow(ConflictError);
    expect(() =>
      store.insert([
        { id: 12, email: "new@x.org" },
        { id: 13, email: "ann@x.org" },
      ]),
    ).toThrow(ConflictError);
    expect(snapshot(store)).toEqual(before);
    expect(store.journal).toHaveLength(1);
    expect(store.insert([{ id: 7, name: "Gus" }], { append: false })).toEqual([7]);
    expect(snapshot(store)).toEqual([{ id: 7, name: "Gus" }]);
    expect(store.journal.map((e) => e.type)).toEqual(["add", "load"]);
  });

  it("update sets fields on matching records; remove and removeAll", () => {
    const store = new MemoryStore<Person>({ data: people(), indexes: ["country"] });
    expect(store.update({ vip: true }, "country=CA")).toBe(2);
    expect(store.find("vip=true").map((p) => p.id)).toEqual([1, 3]);
    expect(store.update({ age: 1 }, { field: "name", compare: "equals", value: "Bob" })).toBe(1);
    expect(store.get(2)!.age).toBe(1);
    expect(store.update({ x: 1 }, "country=XX")).toBe(0);
    expect(() => store.update({ id: 9 }, "id=1")).toThrow(
      expect.objectContaining({ code: "STORE_ID_IMMUTABLE" }),
    );
    expect(store.remove("age<18")).toBe(1);
    expect(store.get(2)).toBeUndefined();
    expect(store.removeAll()).toBe(4);
    expect(store.size).toBe(0);
    expect(store.journal.map((e) => e.type)).toEqual(["change", "change", "remove", "clear"]);
  });

  it("find sorts by fields or by a comparison function", () => {
    const store = new MemoryStore<Person>({ data: people() });
    expect(store.find(undefined, "-age").map((p) => p.id)).toEqual([3, 1, 2, 4, 5]);
    expect(store.find("country=in=(CA,IN)", ["country", "-name"]).map((p) => p.id)).toEqual([
      3, 1, 5, 2,
    ]);
    expect(store.find(undefined, [{ field: "name", descending: true }]).map((p) => p.name)).toEqual(
      ["Eve", "Dee", "Cid", "Bob", "Ann"],
    );
    expect(
      store.find("country=IN", (a, b) => a.name!.localeCompare(b.name!) * -1).map((p) => p.id),
    ).toEqual([5, 2]);
    expect(() => store.find("count()")).toThrow(
      expect.objectContaining({ code: "QUERY_NOT_RECORDS" }),
    );
  });

  it("transaction rejects what fn did when it throws", async () => {
    const store = new MemoryStore<Person>({ data: people(), indexes: ["country"] });
    store.put({ id: 6, name: "kept" });
    const before = snapshot(store);
    await expect(
      store.transaction(async (s) => {
        s.update({ country: "XX" }, "country=CA");
        s.delete(5);
        await Promise.resolve();
        s.insert([{ id: 7 }]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(snapshot(store)).toEqual(before);
    expect(store.journal).toHaveLength(1);
    expect(store.find("country=CA").map((p) => p.id)).toEqual([1, 3]);
    await expect(store.transaction((s) => s.put({ id: 8 }))).resolves.toBe(8);
    expect(store.journal).toHaveLength(2);
  });
});

describe("result operator values", () => {
  it("returns min/max of array values as plain values, without totalCount", () => {
    const store = new MemoryStore<{ id: string; tags: string[] }>({
      data: [
        { id: "a", tags: ["x", "y"] },
        { id: "b", tags: ["w"] },
      ],
    });
    const min = store.query("min(tags)");
    expect(min).toEqual(["w"]);
    expect(Object.keys(min as object)).not.toContain("totalCount");
  });
});
