/**
 * A store written to the original Perstore contract, handed to perstore
 * through `toStore`: `put(object, id)`, `create(object)`, transaction hooks,
 * RQL strings only, and writes that return whatever they like.
 */
import { describe, expect, it } from "vitest";
import { ConflictError, StoreError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import { executeQuery } from "../../src/query/execute-query.js";
import { isLegacyStore, toStore, type LegacyStore } from "../../src/store/adapt-store.js";
import { storeChannel } from "../../src/store/channel.js";
import { createModels } from "../../generated/index.js";
import { describeStoreContract, type ContractRecord } from "../store-contract.js";

type Calls = unknown[][];

/** An in-memory store exactly as an original Perstore store was written (cf. perstore/store/memory.js). */
function oldStyleStore(calls: Calls = []): LegacyStore {
  let index = new Map<unknown, Record<string, unknown>>();
  let saved: Map<unknown, Record<string, unknown>> | undefined;
  return {
    get(id) {
      calls.push(["get", id]);
      return index.get(id);
    },
    put(object: Record<string, unknown>, id?: unknown) {
      calls.push(["put", id]);
      id = id !== undefined ? id : "id" in object ? object.id : Math.round(Math.random() * 1e13);
      object.id = id;
      const isNew = !index.has(id);
      index.set(id, object);
      return isNew && id; // what the original memory store returned
    },
    create(object: Record<string, unknown>) {
      calls.push(["create", object.id]);
      if (index.has(object.id)) throw new Error(`${String(object.id)} exists`);
      index.set(object.id, object);
      return object;
    },
    delete(id) {
      calls.push(["delete", id]);
      index.delete(id);
    },
    query(query, directives) {
      calls.push(["query", query]);
      return executeQuery([...index.values()], query, directives);
    },
    startTransaction() {
      calls.push(["startTransaction"]);
      saved = new Map(index);
    },
    commitTransaction() {
      calls.push(["commitTransaction"]);
      saved = undefined;
    },
    abortTransaction() {
      calls.push(["abortTransaction"]);
      if (saved) index = saved;
      saved = undefined;
    },
  };
}

describeStoreContract("an original Perstore store through toStore", () =>
  toStore<ContractRecord>(oldStyleStore()),
);

describeStoreContract(
  "an original Perstore store taking put(object, { id }) through toStore",
  () => {
    const store = oldStyleStore();
    const put = store.put!;
    // The directives form: put(object, { id, overwrite }).
    store.put = (object: object, directives?: unknown) =>
      put.call(store, object, (directives as { id?: unknown } | undefined)?.id);
    return toStore<ContractRecord>(store, { legacy: true, putId: "directives" });
  },
);

describe("toStore", () => {
  it("passes the id as put's plain second argument and uses create for add", async () => {
    const calls: Calls = [];
    const store = toStore<{ id?: string; n: number }>(oldStyleStore(calls));
    expect(await store.put!({ n: 1 }, { id: "a" })).toBe("a");
    expect(calls).toContainEqual(["put", "a"]);
    calls.length = 0;
    expect(await store.add!({ id: "b", n: 2 })).toBe("b");
    expect(calls.map((c) => c[0])).toEqual(["get", "create"]);
    await expect(store.add!({ id: "b", n: 3 })).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get!("b")).toEqual({ id: "b", n: 2 });
  });

  it("calls the transaction hooks around a transaction: commit on success, abort on failure", async () => {
    const calls: Calls = [];
    const store = toStore<{ id: string }>(oldStyleStore(calls));
    await store.transaction!(async (tx) => {
      await tx.put!({ id: "t1" });
    });
    const hooks = () => calls.map((c) => c[0]).filter((n) => String(n).endsWith("Transaction"));
    expect(hooks()).toEqual(["startTransaction", "commitTransaction"]);
    calls.length = 0;
    await expect(
      store.transaction!(async (tx) => {
        await tx.put!({ id: "t2" });
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(hooks()).toEqual(["startTransaction", "abortTransaction"]);
    expect(await store.get!("t2")).toBeUndefined();
  });

  it("answers a JSON query or parsed query over the legacy store's RQL-only query", async () => {
    const calls: Calls = [];
    const store = toStore<{ id: string; n: number }>(oldStyleStore(calls));
    for (const n of [3, 1, 2]) await store.put!({ id: `r${n}`, n });
    const results = (await store.query!({ field: "n", compare: "ge", value: 2 })) as unknown[];
    expect(results).toHaveLength(2);
    expect(calls.filter((c) => c[0] === "query")).toEqual([["query", ""]]);
  });

  it("returns a store of this contract as it is, and refuses what is not a store", () => {
    const memory = new MemoryStore();
    expect(toStore(memory)).toBe(memory);
    expect(isLegacyStore(memory)).toBe(false);
    expect(isLegacyStore(oldStyleStore())).toBe(true);
    const adapted = toStore(oldStyleStore());
    expect(toStore(adapted)).toBe(adapted);
    for (const bad of [null, 3, { get: 5 }, { idProperty: 1 }]) {
      let error: unknown;
      try {
        toStore(bad as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(bad)).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: "STORE_NOT_A_STORE" });
    }
  });
});

describe("an original Perstore store handed to perstore unchanged", () => {
  it("holds a model's records (createModels adapts it)", async () => {
    const calls: Calls = [];
    const { Author } = createModels({ stores: { Author: oldStyleStore(calls) as never } });
    const ada = await Author.create({ id: "6f1f7a52-3c1e-4c4b-9a57-0d6e3f1c2b10", name: "Ada" });
    expect(calls.some(([method]) => method === "create" || method === "put")).toBe(true);
    expect((await Author.get(ada.id))?.name).toBe("Ada");
    expect((await Author.query("name=Ada")).map((a) => a.id)).toEqual([ada.id]);
  });

  it("is a channel a MemoryStore commits into (storeChannel adapts it)", async () => {
    const legacy = oldStyleStore();
    const local = new MemoryStore<{ id: string; n: number }>({ channel: storeChannel(legacy) });
    local.insert(
      [
        { id: "c1", n: 1 },
        { id: "c2", n: 2 },
      ],
      { append: true },
    );
    await local.commit({ mode: "condensed" });
    expect(await toStore(legacy).get!("c2")).toEqual({ id: "c2", n: 2 });
  });
});
