/** JSORM's API on the memory store: off(event, listener), and load's { root, id } for data without meta. */
import { describe, expect, it } from "vitest";
import { MemoryStore, type StoreEvent } from "perstore";

describe("MemoryStore.off", () => {
  it("stops a listener, beside the unsubscribe function on returns", () => {
    const store = new MemoryStore<{ id: string }>();
    const seen: string[] = [];
    const listener = (e: StoreEvent<{ id: string }>) => seen.push(e.type);
    const other = (e: StoreEvent<{ id: string }>) => seen.push(`other ${e.type}`);
    store.on("add", listener);
    store.on("add", other);
    store.insert([{ id: "a" }]);
    expect(store.off("add", listener)).toBe(true);
    store.insert([{ id: "b" }]);
    expect(seen).toEqual(["add", "other add", "other add"]);
    expect(store.off("add", listener)).toBe(false);
    expect(store.off("remove", other)).toBe(false);
  });

  it("removes one subscription at a time, the latest first", () => {
    const store = new MemoryStore<{ id: string }>();
    let calls = 0;
    const listener = () => void calls++;
    store.on("add", listener);
    store.on("add", listener);
    store.off("add", listener);
    store.insert([{ id: "a" }]);
    expect(calls).toBe(1);
    store.off("add", listener);
    store.insert([{ id: "b" }]);
    expect(calls).toBe(1);
  });
});

describe("MemoryStore.load with { root, id } (data without meta)", () => {
  it("reads the records from the root property and keys them by id", async () => {
    const store = new MemoryStore<{ key: string; n: number }>();
    const count = await store.load({
      data: JSON.stringify({
        rows: [
          { key: "a", n: 1 },
          { key: "b", n: 2 },
        ],
      }),
      root: "rows",
      id: "key",
    });
    expect(count).toBe(2);
    expect(store.idProperty).toBe("key");
    expect(store.get("b")).toEqual({ key: "b", n: 2 });
  });

  it("takes the id for a bare array, and refuses a bad root or id with STORE_BAD_DATA", async () => {
    const store = new MemoryStore<{ code: string }>();
    await store.load({ data: [{ code: "x" }], id: "code" });
    expect(store.get("x")).toEqual({ code: "x" });
    await expect(store.load({ data: { rows: {} }, root: "rows" })).rejects.toMatchObject({
      code: "STORE_BAD_DATA",
    });
    await expect(
      store.load({ data: { rows: [] }, root: "rows", id: "__proto__" }),
    ).rejects.toMatchObject({
      code: "STORE_BAD_DATA",
    });
    await expect(store.load({ data: { rows: [] } })).rejects.toMatchObject({
      code: "STORE_BAD_DATA",
    });
    expect(store.get("x")).toEqual({ code: "x" });
  });
});
