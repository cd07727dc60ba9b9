import { describe, expect, it } from "vitest";
import { MemoryStore, StoreError, type Channel, type StoreEvent } from "perstore";
import { expectIndexesAgree, INDEX_QUERIES, people, type Person } from "./helpers.js";

describe("MemoryStore load", () => {
  it("loads a bare array, JSON text, and the { meta, <root> } form; the journal is cleared", async () => {
    const store = new MemoryStore<Person>({ indexes: ["country", "age", "name", "email"] });
    store.insert([{ id: 99 }]);
    const events: StoreEvent<Person>[] = [];
    store.on("load", (e) => events.push(e));
    expect(await store.load({ data: people() })).toBe(5);
    expect(store.journal).toEqual([]);
    expectIndexesAgree(store, INDEX_QUERIES);
    expect(await store.load({ data: JSON.stringify(people().slice(0, 2)) })).toBe(2);
    expect(store.find().map((p) => p.id)).toEqual([1, 2]);
    const wrapped = JSON.stringify({
      meta: { id: "key", root: "rows" },
      rows: [
        { key: "a", n: 1 },
        { key: "b", n: 2 },
      ],
    });
    void store.load({ data: wrapped }); // applied before load returns
    expect(store.idProperty).toBe("key");
    expect(store.get("b")).toEqual({ key: "b", n: 2 });
    expect(events.map((e) => e.count)).toEqual([5, 2, 2]);
  });

  it("rejects bad data with STORE_BAD_DATA and keeps the data it had", async () => {
    const store = new MemoryStore<Person>({
      data: people(),
      indexes: [{ fields: ["email"], unique: true }],
    });
    for (const data of [
      "{not json",
      "{}",
      JSON.stringify({ meta: { root: "x" }, x: {} }),
      JSON.stringify({ meta: { id: "__proto__" }, data: [] }),
    ]) {
      await expect(store.load({ data })).rejects.toBeInstanceOf(StoreError);
      await expect(store.load({ data })).rejects.toMatchObject({ code: "STORE_BAD_DATA" });
    }
    await expect(store.load({ data: [{ id: 1 }, { id: 1 }] })).rejects.toMatchObject({
      code: "STORE_CONFLICT",
    });
    await expect(
      store.load({
        data: [
          { id: 1, email: "e" },
          { id: 2, email: "e" },
        ],
      }),
    ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    expect([...store.find()]).toEqual(people());
  });

  it("load() with no data reads through the channel", async () => {
    const channel: Channel<Person> = {
      async write() {},
      async read(options) {
        return JSON.stringify({
          meta: { id: "id", root: "items" },
          items: [{ id: options?.page, name: "from channel" }],
        });
      },
    };
    const store = new MemoryStore<Person>({ channel });
    expect(await store.load({ page: 7 })).toBe(1);
    expect(store.get(7)).toEqual({ id: 7, name: "from channel" });
    await expect(new MemoryStore<Person>().load()).rejects.toMatchObject({
      code: "STORE_NO_CHANNEL",
    });
  });
  it("reports the first bad record of loaded data: a duplicate id before a non-object, and the other way round", () => {
    expect(() => new MemoryStore({ data: [{ id: 1 }, { id: 1 }, 5] as never[] })).toThrow(
      expect.objectContaining({ code: "STORE_CONFLICT" }),
    );
    expect(() => new MemoryStore({ data: [{ id: 1 }, 5, { id: 1 }] as never[] })).toThrow(
      expect.objectContaining({ code: "STORE_INVALID_RECORD" }),
    );
  });
});
