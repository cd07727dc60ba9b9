/** replicated(): revisions, catch-up of failed replicas, resync, read fallback, and composition with cache over SQL. */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import type { Results, Store } from "../../src/store/types.js";
import { cache } from "../../src/wrappers/cache/cache.js";
import { replicated } from "../../src/wrappers/replicated/replicated.js";
import { checkWrapperParity, parityTable, type Item } from "../parity/wrapper-parity.js";
import { contractRecords, type ContractRecord } from "../store-contract.js";
import { flakyStore } from "./flaky-store.js";
import { legacyStore } from "./legacy-store.js";
import {
  contractTable,
  describeWrapperContractOverStores,
  innerStoreKinds,
  jsonFileKind,
  memoryKind,
} from "./inner-stores.js";

describeWrapperContractOverStores("replicated", async (inner, context) =>
  replicated(inner, [await context.another(), await context.another()]),
);

interface Row {
  id: string;
  v: number;
}

/** Every record of a store, by id. */
async function everything<T extends object>(store: Store<T>): Promise<T[]> {
  return [...((await store.query!("sort(+id)")) as Results<T>)];
}

describe("replicated: failing replicas", () => {
  it("a replica failing for N writes catches up with nothing lost and nothing applied twice", async () => {
    const primary = new MemoryStore<Row>();
    const steady = flakyStore<Row>(new MemoryStore<Row>());
    const flaky = flakyStore<Row>(new MemoryStore<Row>());
    const store = replicated(primary, [steady.store, flaky.store], { retryDelay: 0 });
    await store.put!({ id: "a", v: 1 });
    flaky.down = true;
    await store.put!({ id: "b", v: 1 });
    await store.put!({ id: "a", v: 2 });
    await store.delete!("b");
    await store.put!({ id: "c", v: 1 });
    expect(await store.get!("a")).toEqual({ id: "a", v: 2 });
    expect(store.status()[1]).toMatchObject({ state: "down", revision: 1, pending: 4 });
    await expect(store.sync()).rejects.toMatchObject({
      code: "REPLICA_UNAVAILABLE",
      retryable: true,
    });
    flaky.down = false;
    await store.put!({ id: "d", v: 1 }); // the next write replays the backlog first, in order
    expect(store.revision).toBe(6);
    expect(store.status().map((s) => s.state)).toEqual(["current", "current"]);
    expect(flaky.applied).toEqual(steady.applied);
    expect(flaky.applied).toEqual([
      'put a {"id":"a","v":1}',
      'put b {"id":"b","v":1}',
      'put a {"id":"a","v":2}',
      "delete b",
      'put c {"id":"c","v":1}',
      'put d {"id":"d","v":1}',
    ]);
    await store.sync();
    expect(await everything(flaky.store)).toEqual(await everything(primary));
  });

  it("past maxBacklog, a replica is resynchronised whole from the primary", async () => {
    const primary = new MemoryStore<Row>();
    const flaky = flakyStore<Row>(new MemoryStore<Row>());
    const store = replicated(primary, [flaky.store], { retryDelay: 60_000, maxBacklog: 2 });
    await store.put!({ id: "gone", v: 0 });
    flaky.down = true;
    for (let v = 1; v <= 4; v++) await store.put!({ id: `r${v}`, v });
    await store.delete!("gone");
    expect(store.status()[0]).toMatchObject({ state: "resync", pending: 0 });
    flaky.down = false;
    await store.sync();
    expect(store.status()[0]).toMatchObject({ state: "current", revision: 6 });
    expect(await everything(flaky.store)).toEqual(await everything(primary));
  });

  it("a replica restarted empty converges", async () => {
    const primary = new MemoryStore<Row>();
    const replica = new MemoryStore<Row>();
    const flaky = flakyStore<Row>(replica);
    const store = replicated(primary, [flaky.store], { retryDelay: 0 });
    for (let v = 1; v <= 5; v++) await store.put!({ id: `r${v}`, v });
    flaky.down = true;
    await store.put!({ id: "r6", v: 6 });
    replica.removeAll(); // the replica comes back with nothing
    flaky.down = false;
    await store.put!({ id: "r7", v: 7 });
    expect(replica.find()).toHaveLength(2); // it has what it was sent since, not what it lost
    await store.sync(); // counts differ: copied whole from the primary
    expect(await everything(replica)).toEqual(await everything(primary));
    expect(await everything(primary)).toHaveLength(7);
    replica.removeAll();
    await store.sync();
    expect(await everything(replica)).toEqual(await everything(primary));
  });

  it("reads fall back to a current replica only when asked", async () => {
    const primary = flakyStore<Row>(new MemoryStore<Row>());
    const replica = new MemoryStore<Row>();
    const plain = replicated(primary.store, [replica]);
    const fallback = replicated(primary.store, [replica], { readFallback: true });
    await fallback.put!({ id: "a", v: 1 });
    primary.down = true;
    await expect(plain.get!("a")).rejects.toMatchObject({ code: "TEST_STORE_DOWN" });
    expect(await fallback.get!("a")).toEqual({ id: "a", v: 1 });
    expect([...((await fallback.query!("v=1")) as Row[])]).toEqual([{ id: "a", v: 1 }]);
    await expect(fallback.put!({ id: "b", v: 1 })).rejects.toMatchObject({
      code: "TEST_STORE_DOWN",
    });
    expect(fallback.revision).toBe(1);
    expect(replica.get("b")).toBeUndefined();
  });

  it("a transaction's writes are one revision; a failed one replicates nothing", async () => {
    const primary = new MemoryStore<Row>();
    const replica = flakyStore<Row>(new MemoryStore<Row>());
    const store = replicated(primary, [replica.store]);
    await store.transaction!(async (tx) => {
      await tx.put!({ id: "a", v: 1 });
      await tx.put!({ id: "b", v: 1 });
      await tx.delete!("a");
    });
    await expect(
      store.transaction!(async (tx) => {
        await tx.put!({ id: "c", v: 1 });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(store.revision).toBe(1);
    expect(replica.applied).toEqual([
      'put a {"id":"a","v":1}',
      'put b {"id":"b","v":1}',
      "delete a",
    ]);
    expect(await everything(replica.store)).toEqual(await everything(primary));
  });

  it("takes original Perstore stores as primary and replicas", async () => {
    const [primary, replica] = [legacyStore<Row>(), legacyStore<Row>()];
    const store = replicated<Row>(primary.store, [replica.store]);
    await store.put!({ v: 1 } as Row, { id: "a" });
    await store.put!({ id: "b", v: 2 });
    expect([...replica.data.values()]).toEqual([...primary.data.values()]);
    expect(replica.data.get("a")).toEqual({ id: "a", v: 1 });
  });

  it("refuses replicas that cannot apply writes, and bad options", () => {
    const primary = new MemoryStore<Row>();
    expect(() => replicated(primary, [{ put: () => 1 } as never])).toThrow(
      expect.objectContaining({ code: "REPLICATED_REPLICA_INCAPABLE" }),
    );
    expect(() => replicated(primary, "x" as never)).toThrow(
      expect.objectContaining({ code: "REPLICATED_BAD_OPTION" }),
    );
    expect(() => replicated(primary, [], { maxBacklog: 0 })).toThrow(
      expect.objectContaining({ code: "REPLICATED_BAD_OPTION" }),
    );
  });
});

describe("replicated: composition", () => {
  const sqlKind = innerStoreKinds().find((k) => k.name === "SqlStore (pglite)")!;

  it("replicated(cache(sql), [memory, jsonFile]) ends with identical data everywhere", async () => {
    const sql = await sqlKind.make<ContractRecord>(contractTable());
    const memory = await memoryKind.make<ContractRecord>(contractTable());
    const file = await jsonFileKind.make<ContractRecord>(contractTable());
    const flakyFile = flakyStore(file.store);
    try {
      const cachedSql = cache(sql.store);
      const store = replicated(cachedSql, [memory.store, flakyFile.store], { retryDelay: 0 });
      const [p1, p2, p3, p4] = contractRecords();
      await store.put!(p1!);
      await store.put!(p2!);
      flakyFile.down = true;
      await store.put!({ ...p1!, name: "Alice II" });
      await store.transaction!(async (tx) => {
        await tx.put!(p3!);
        await tx.delete!("p2");
      });
      flakyFile.down = false;
      await store.put!(p4!);
      await store.sync();
      const expected = await everything(sql.store);
      expect(expected.map((r) => r.id)).toEqual(["p1", "p3", "p4"]);
      expect(expected[0]!.name).toBe("Alice II");
      expect(await everything(memory.store)).toEqual(expected);
      expect(await everything(file.store)).toEqual(expected);
      expect(await store.get!("p1")).toEqual(expected[0]);
      expect(cachedSql.stats().hits).toBeGreaterThan(0);
    } finally {
      await file.cleanup();
      await memory.cleanup();
      await sql.cleanup();
      await sqlKind.close();
    }
  }, 60_000);
});

describe("replicated: parity", () => {
  it("answers queries like the bare store (memory primary and replica)", async () => {
    await checkWrapperParity({
      make: async () => {
        const inner = await memoryKind.make<Item>(parityTable);
        return { wrapped: replicated(inner.store, [new MemoryStore<Item>()]) };
      },
      numRuns: 25,
    });
  }, 60_000);
});
