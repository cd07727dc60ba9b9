/** cache(): the hit path, write-through, TTL, LRU bound, query answers, and never a value older than an acknowledged write. */
import { AsyncLocalStorage } from "node:async_hooks";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import type { Id, Store } from "../../src/store/types.js";
import { cache } from "../../src/wrappers/cache/cache.js";
import { restrictStore, type ContractRecord } from "../store-contract.js";
import { checkWrapperParity, parityTable, type Item } from "../parity/wrapper-parity.js";
import { delayedStore } from "./delayed-store.js";
import { legacyStore } from "./legacy-store.js";
import { describeWrapperContractOverStores, innerStoreKinds } from "./inner-stores.js";

describeWrapperContractOverStores("cache", (inner) => cache(inner), {
  provides: [],
});
describeWrapperContractOverStores("cache with queries", (inner) =>
  cache(inner, { queries: true, max: 3 }),
);

interface Row {
  id: string;
  n: number;
  tags?: string[];
}

/** A MemoryStore behind a real (if short) delay on every call. */
function slowMaster() {
  const inner = new MemoryStore<Row>();
  return { inner, ...delayedStore<Row>(inner, () => new Promise((r) => setImmediate(r))) };
}

describe("cache: reads", () => {
  it("serves repeated gets from the cache, one master read per id", async () => {
    const { inner, store, calls } = slowMaster();
    inner.put({ id: "a", n: 1 });
    const cached = cache(store);
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1 });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1 });
    expect(await cached.get!("missing")).toBeUndefined();
    expect(await cached.get!("missing")).toBeUndefined();
    expect(calls.get).toBe(2);
    expect(cached.stats()).toMatchObject({ hits: 2, misses: 2, size: 2 });
  });

  it("shares one master read among concurrent misses of one id", async () => {
    const { inner, store, calls } = slowMaster();
    inner.put({ id: "a", n: 1 });
    const cached = cache(store);
    const all = await Promise.all([1, 2, 3, 4].map(() => cached.get!("a")));
    expect(all).toEqual([1, 2, 3, 4].map(() => ({ id: "a", n: 1 })));
    expect(new Set(all).size).toBe(4); // each caller its own copy
    expect(calls.get).toBe(1);
  });

  it("hands out copies: callers never change what is cached", async () => {
    const { store } = slowMaster();
    const cached = cache(store);
    const input: Row = { id: "a", n: 1, tags: ["x"] };
    await cached.put!(input);
    input.tags!.push("changed by the writer");
    const first = (await cached.get!("a"))!;
    expect(first).toEqual({ id: "a", n: 1, tags: ["x"] });
    first.tags!.push("changed by a reader");
    first.n = 99;
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1, tags: ["x"] });
    expect(cached.stats().hits).toBe(2);
  });
});

describe("cache: writes", () => {
  it("writes to the master first, then keeps what it wrote (no master read after a put)", async () => {
    const { inner, store, calls } = slowMaster();
    const cached = cache(store);
    expect(await cached.put!({ n: 1 } as Row, { id: "a" })).toBe("a");
    expect(inner.get("a")).toEqual({ id: "a", n: 1 });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1 });
    expect(calls.get).toBe(0);
    expect(await cached.delete!("a")).toBe(true);
    expect(await cached.get!("a")).toBeUndefined();
    expect(calls.get).toBe(0);
    expect(cached.stats()).toMatchObject({ hits: 2, misses: 0 });
  });

  it("a failed master write leaves the cache unchanged", async () => {
    const { inner, store } = slowMaster();
    inner.put({ id: "a", n: 1 });
    const cached = cache(store, { queries: true });
    await cached.get!("a");
    await cached.query!("n=1");
    const before = cached.stats();
    await expect(cached.add!({ id: "a", n: 2 })).rejects.toBeInstanceOf(ConflictError);
    await expect(cached.put!({ id: "b", n: 2 }, { overwrite: true })).rejects.toMatchObject({
      code: "STORE_NOT_FOUND",
    });
    expect(cached.stats()).toMatchObject({ size: before.size, querySize: 1 });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1 });
    expect([...((await cached.query!("n=1")) as Row[])]).toEqual([{ id: "a", n: 1 }]);
    expect(cached.stats()).toMatchObject({ hits: before.hits + 1, queryHits: 1 });
  });

  it("with writeThrough: false, drops the entry so the next get reads the master's version", async () => {
    const { store, calls } = slowMaster();
    const cached = cache(store, { writeThrough: false });
    await cached.put!({ id: "a", n: 1 });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1 });
    expect(calls.get).toBe(1);
  });

  it("drops what a transaction wrote, and reads inside it see its writes", async () => {
    const inner = new MemoryStore<Row>();
    inner.put({ id: "a", n: 1 });
    const cached = cache<Row>(inner);
    await cached.get!("a");
    await cached.transaction!(async (tx) => {
      await tx.put!({ id: "a", n: 2 });
      expect(await tx.get!("a")).toEqual({ id: "a", n: 2 });
    });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 2 });
    await expect(
      cached.transaction!(async (tx) => {
        await tx.put!({ id: "a", n: 3 });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await cached.get!("a")).toEqual({ id: "a", n: 2 });
  });

  it("follows changes the master reports itself, and refuses bad options with CACHE_BAD_OPTION", async () => {
    const inner = new MemoryStore<Row>();
    inner.put({ id: "a", n: 1 });
    const cached = cache<Row>(inner, { queries: true });
    await cached.get!("a");
    await cached.query!("n=1");
    inner.put({ id: "a", n: 2 }); // behind the wrapper's back
    expect(await cached.get!("a")).toEqual({ id: "a", n: 2 });
    expect((await cached.query!("n=1")) as Row[]).toHaveLength(0);
    cached.close();
    for (const options of [{ max: 0 }, { ttl: -1 }, { queries: "yes" }, { now: 5 }])
      expect(() => cache(inner, options as never)).toThrow(
        expect.objectContaining({ code: "CACHE_BAD_OPTION" }),
      );
    expect(() => cache(null as never)).toThrow(
      expect.objectContaining({ code: "STORE_NOT_A_STORE" }),
    );
  });
});

describe("cache: original Perstore stores", () => {
  it("takes one through toStore: put(object, id) underneath", async () => {
    const legacy = legacyStore<Row>();
    const cached = cache<Row>(legacy.store);
    expect(await cached.put!({ n: 1 } as Row, { id: "a" })).toBe("a");
    expect(legacy.data.get("a")).toEqual({ id: "a", n: 1 });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 1 });
    expect(cached.stats().hits).toBe(1);
  });
});

describe("cache: bounds", () => {
  it("expires entries after ttl on its clock", async () => {
    let now = 1000;
    const { inner, store, calls } = slowMaster();
    inner.put({ id: "a", n: 1 });
    const cached = cache(store, { ttl: 50, now: () => now });
    await cached.get!("a");
    now += 49;
    await cached.get!("a");
    expect(calls.get).toBe(1);
    now += 2;
    inner.put({ id: "a", n: 2 });
    expect(await cached.get!("a")).toEqual({ id: "a", n: 2 });
    expect(calls.get).toBe(2);
  });

  it("keeps at most max records, dropping the least recently used", async () => {
    const { inner, store, calls } = slowMaster();
    for (const id of ["a", "b", "c"]) inner.put({ id, n: 1 });
    const cached = cache(store, { max: 2 });
    await cached.get!("a");
    await cached.get!("b");
    await cached.get!("a"); // a is now the most recently used
    await cached.get!("c"); // evicts b
    expect(cached.stats().size).toBe(2);
    await cached.get!("a");
    expect(calls.get).toBe(3);
    await cached.get!("b");
    expect(calls.get).toBe(4);
  });

  it("caches query answers only when asked, keyed by query and options", async () => {
    const { inner, store, calls } = slowMaster();
    for (let n = 0; n < 5; n++) inner.put({ id: `r${n}`, n });
    const plain = cache(store);
    await plain.query!("n>1");
    await plain.query!("n>1");
    expect(calls.query).toBe(2);
    const cached = cache(store, { queries: true });
    const first = (await cached.query!("n>1&sort(+n)", { start: 1 })) as Row[] & {
      totalCount: number;
    };
    const second = (await cached.query!("n>1&sort(+n)", { start: 1 })) as typeof first;
    expect(second).toEqual(first);
    expect(second.totalCount).toBe(3);
    second[0]!.n = 100;
    expect(await cached.query!("n>1&sort(+n)", { start: 1 })).toEqual(first);
    await cached.query!("n>1&sort(+n)", { start: 2 });
    expect(await cached.query!("count()")).toBe(5);
    expect(await cached.query!("count()")).toBe(5);
    expect(calls.query).toBe(5);
    await cached.put!({ id: "r9", n: 9 });
    expect(await cached.query!("count()")).toBe(6);
    expect(cached.stats()).toMatchObject({ queryHits: 3, queryMisses: 4 });
  });

  it("has only the methods its master has", () => {
    const wrapped = cache(restrictStore(new MemoryStore<Row>(), ["get", "put"]));
    expect(
      Object.keys(wrapped)
        .filter((k) => typeof (wrapped as never)[k] === "function")
        .sort(),
    ).toEqual(["clear", "close", "get", "put", "stats"]);
  });
});

describe("cache: concurrency", () => {
  type Op = { kind: "get" | "put" | "delete"; id: string };
  const opArb = fc.record({
    kind: fc.constantFrom<Op["kind"]>("get", "get", "put", "delete"),
    id: fc.constantFrom("a", "b"),
  });

  it("never serves a value older than an acknowledged write, in any interleaving", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(opArb, { minLength: 1, maxLength: 12 }),
        async (s, ops) => {
          const inner = new MemoryStore<{ id: string; v: number }>();
          // The order the master applied writes in, per id: versions (0 = deleted).
          const applied = new Map<string, number[]>([
            ["a", [0]],
            ["b", [0]],
          ]);
          const acknowledged = new Map<string, number[]>([
            ["a", [0]],
            ["b", [0]],
          ]);
          const recording: Store<{ id: string; v: number }> = {
            idProperty: "id",
            get: (id) => inner.get(id),
            put(record, options) {
              applied.get(record.id)!.push(record.v);
              return inner.put(record, options);
            },
            delete(id) {
              applied.get(id as string)!.push(deleting.getStore()!);
              return inner.delete(id);
            },
          };
          const master = delayedStore(recording, (label) =>
            s.schedule(Promise.resolve(), label),
          ).store;
          const cached = cache(master);
          let version = 0;
          const problems: string[] = [];
          const deleting = new AsyncLocalStorage<number>();
          const running = ops.map(async (op, index) => {
            await s.schedule(Promise.resolve(), `start ${index}`);
            if (op.kind === "put") {
              const v = ++version;
              await cached.put!({ id: op.id, v });
              acknowledged.get(op.id)!.push(v);
            } else if (op.kind === "delete") {
              // Each delete is a version of its own (negative), known to the master call through its async context.
              const v = -++version;
              await deleting.run(v, () => cached.delete!(op.id));
              acknowledged.get(op.id)!.push(v);
            } else {
              // The newest write acknowledged before this get began, by master order.
              const order = applied.get(op.id)!;
              const floor = Math.max(...acknowledged.get(op.id)!.map((v) => order.lastIndexOf(v)));
              const got = (await cached.get!(op.id))?.v;
              // Absent: any delete (or the start) at or after the floor will do.
              const at =
                got === undefined ? order.findLastIndex((v) => v <= 0) : order.lastIndexOf(got);
              if (at < floor)
                problems.push(
                  `get ${op.id} gave ${got} after ${order[floor]} was acknowledged (order ${order.join(",")})`,
                );
            }
          });
          await s.waitFor(Promise.all(running));
          expect(problems).toEqual([]);
          // At rest, the cache agrees with the master.
          for (const id of ["a", "b"])
            expect(await s.waitFor(Promise.resolve(cached.get!(id)))).toEqual(inner.get(id));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("cache: parity", () => {
  for (const kind of innerStoreKinds().filter((k) => k.name !== "JsonFileStore")) {
    it(`answers queries like the bare store over ${kind.name}`, async () => {
      try {
        await checkWrapperParity({
          make: async () => {
            const inner = await kind.make<Item>(parityTable);
            return { wrapped: cache(inner.store, { queries: true }), cleanup: inner.cleanup };
          },
          numRuns: 25,
        });
      } finally {
        await kind.close();
      }
    }, 120_000);
  }
});

export type { ContractRecord };
