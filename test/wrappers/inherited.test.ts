/** inherited(base, subs): one hierarchy across stores, merged with global sort and paging. */
import { afterAll, describe, expect, it } from "vitest";
import { PerstoreError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import type { Store } from "../../src/store/types.js";
import { inherited } from "../../src/wrappers/inherited/index.js";
import { cache } from "../../src/wrappers/cache/index.js";
import { executeQuery } from "../../src/query/execute-query.js";
import { checkWrapperParity, parityTable, type Item } from "../parity/wrapper-parity.js";
import {
  contractRecords,
  describeWrapperContract,
  restrictStore,
  type ContractRecord,
} from "../store-contract.js";
import { describeWrapperContractOverStores, innerStoreKinds } from "./inner-stores.js";

// The contract records' country decides their store: India and France each have their own, the rest is the base's.
describeWrapperContractOverStores(
  "inherited (by country)",
  async (inner, context) =>
    inherited<ContractRecord>(
      inner,
      { India: await context.another(), France: await context.another() },
      { discriminator: "country" },
    ),
  { requires: ["get"] },
);

describe("inherited parity", () => {
  for (const kind of innerStoreKinds().filter((k) => k.name !== "JsonFileStore")) {
    afterAll(() => kind.close());
    it(`answers every query like one store holding every record (${kind.name})`, async () => {
      await checkWrapperParity({
        async make() {
          const made = await Promise.all([
            kind.make<Item>(parityTable),
            kind.make<Item>(parityTable),
            kind.make<Item>(parityTable),
          ]);
          return {
            // Records named "a" live in one store, "B" in another, the rest in the base.
            wrapped: inherited<Item>(
              made[0]!.store,
              { a: made[1]!.store, B: made[2]!.store },
              { discriminator: "name" },
            ),
            cleanup: async () => {
              for (const m of made) await m.cleanup();
            },
          };
        },
        numRuns: kind.name === "MemoryStore" ? 100 : 25,
      });
    }, 120_000);
  }
});

describe("inherited", () => {
  const layout = () => {
    const base: Store<ContractRecord> = new MemoryStore<ContractRecord>();
    const india: Store<ContractRecord> = new MemoryStore<ContractRecord>();
    const store = inherited<ContractRecord>(base, { India: india }, { discriminator: "country" });
    return { base, india, store };
  };

  it("writes each record to its type's store and finds it there", async () => {
    const { base, india, store } = layout();
    for (const r of contractRecords()) await store.put!(r);
    const ids = async (s: Store<ContractRecord>) =>
      ((await s.query!("sort(+id)")) as ContractRecord[]).map((r) => r.id);
    expect(await ids(india)).toEqual(["p2", "p5"]);
    expect(await ids(base)).toEqual(["p1", "p3", "p4", "p6"]);
    expect(await store.get!("p5")).toEqual(contractRecords()[4]);
    expect(await store.delete!("p5")).toBe(true);
    expect(await india.get!("p5")).toBeUndefined();
  });

  it("asks each store for no more than the page's end, and merges the pages in order", async () => {
    const { base, india, store } = layout();
    for (const r of contractRecords()) await store.put!(r);
    const asked: string[] = [];
    const spy = (inner: Store<ContractRecord>, name: string): Store<ContractRecord> => ({
      ...restrictStore(inner, ["get", "put"]),
      query: (q, o) => {
        asked.push(`${name}:${JSON.stringify((q as { limit?: unknown }).limit ?? null)}`);
        return inner.query!(q, o);
      },
    });
    const spied = inherited<ContractRecord>(
      spy(base, "base"),
      { India: spy(india, "india") },
      { discriminator: "country" },
    );
    const page = (await spied.query!("sort(-age)&limit(2,1)")) as ContractRecord[] & {
      totalCount: number;
    };
    expect(page.map((r) => r.id)).toEqual(["p1", "p5"]);
    expect(page.totalCount).toBe(6);
    expect(asked).toHaveLength(2);
    for (const a of asked) expect(a).toContain('"value":3');
    expect(await spied.query!("count()")).toBe(6);
  });

  it("refuses to move a record to another type's store, and an id another store holds for add", async () => {
    const { base, store } = layout();
    await store.put!(contractRecords()[0]!); // Canada: the base's
    await expect(store.put!({ ...contractRecords()[0]!, country: "India" })).rejects.toMatchObject({
      code: "STORE_CONFLICT",
    });
    expect(await base.get!("p1")).toEqual(contractRecords()[0]);
    // A type no sub-store has keeps the record where it is.
    await store.put!({ ...contractRecords()[0]!, country: "Peru" });
    expect((await base.get!("p1"))?.country).toBe("Peru");
    await expect(store.add!({ ...contractRecords()[1]!, id: "p1" })).rejects.toMatchObject({
      code: "STORE_CONFLICT",
    });
  });

  it("has a method only where every store has it, and needs get", () => {
    const full = new MemoryStore<ContractRecord>() as Store<ContractRecord>;
    const noQuery = restrictStore(new MemoryStore<ContractRecord>(), ["get", "put"]);
    const store = inherited(full, { Sub: noQuery });
    expect(typeof store.get).toBe("function");
    expect(typeof store.put).toBe("function");
    expect(store.query).toBeUndefined();
    expect(store.delete).toBeUndefined();
    let error: unknown;
    try {
      inherited(full, { Sub: restrictStore(full, ["put"]) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PerstoreError);
    expect(error).toMatchObject({ code: "INHERITED_NEEDS_GET" });
  });
});

describe("inherited composes", () => {
  // cache(inherited(...)): the cache in front of a hierarchy split by country.
  describeWrapperContract(
    "cache(inherited(...))",
    async (inner, context) =>
      cache(
        inherited<ContractRecord>(
          inner,
          { India: await context.another(), France: await context.another() },
          { discriminator: "country" },
        ),
      ),
    { requires: ["get"] },
  );

  it("takes a sub-type store written to the original Perstore contract", async () => {
    const index = new Map<unknown, Record<string, unknown>>();
    const legacy = {
      get: (id: unknown) => index.get(id),
      put: (object: Record<string, unknown>, id: unknown) => void index.set(id, object),
      create: (object: Record<string, unknown>) => void index.set(object.id, object),
      query: (q: string, o?: object) => executeQuery([...index.values()], q, o),
    };
    const store = inherited<ContractRecord>(
      new MemoryStore<ContractRecord>() as Store<ContractRecord>,
      {
        India: legacy,
      },
      { discriminator: "country" },
    );
    for (const r of contractRecords()) await store.put!(r);
    expect([...index.keys()].sort()).toEqual(["p2", "p5"]);
    const page = (await store.query!("sort(+name)&limit(3)")) as ContractRecord[];
    expect(page.map((r) => r.id)).toEqual(["p1", "p2", "p3"]);
  });
});
