/**
 * fullText(store, { fields }): search(words) as a query operator over every
 * kind of store, the same records on each; its own index kept in step with
 * writes, events, reject, load and failed transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerstoreError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { Results, Store } from "../../src/store/types.js";
import { fullText } from "../../src/wrappers/full-text/index.js";
import { restrictStore } from "../store-contract.js";
import { innerStoreKinds, type InnerStoreKind } from "./inner-stores.js";

interface Book {
  id: string;
  title: string;
  summary: string | null;
  year: number;
}

const columns: SqlTableSpec["columns"] = [
  { name: "id", type: "string", sqlType: "text", nullable: false },
  { name: "title", type: "string", sqlType: "text", nullable: false },
  { name: "summary", type: "string", sqlType: "text", nullable: true },
  { name: "year", type: "integer", sqlType: "integer", nullable: false },
];
const plainTable: SqlTableSpec = { table: "ft_book", primaryKey: "id", columns };
const indexedTable: SqlTableSpec = {
  ...plainTable,
  fullText: { column: "perstore_search", fields: ["title", "summary"], language: "simple" },
};
const FIELDS = ["title", "summary"];

const books = (): Book[] => [
  { id: "b1", title: "Dune", summary: "A desert planet, spice and sandworms", year: 1965 },
  { id: "b2", title: "Dune Messiah", summary: "Dune again: the desert emperor", year: 1969 },
  { id: "b3", title: "The Hobbit", summary: null, year: 1937 },
  { id: "b4", title: "Full-Text Search", summary: "e-mail: a.b@example.com, v3.14", year: 2020 },
  { id: "b5", title: "Desert Solitaire", summary: "Arches", year: 1968 },
  { id: "b6", title: "Children of Dune", summary: "The desert twins", year: 1976 },
  { id: "b7", title: "Über Wüsten", summary: "Café crème — naïve", year: 2001 },
];

const ids = (results: unknown) => (results as Book[]).map((b) => b.id);
const idSet = (results: unknown) => ids(results).sort();

/** Queries whose result set must be the same on every store. */
const QUERIES = [
  "search(desert)",
  "search(DESERT%20dune)",
  "search(dune)&year>1966",
  "search(desert)&sort(-year)",
  "search(desert)&sort(year)&limit(2,1)",
  "not(search(desert))",
  "or(search(hobbit),year=2020)",
  "and(search(dune),not(search(messiah)))",
  "search(text)",
  "search(example)",
  "search(14)",
  "search(string:full-text)",
  `search(${encodeURIComponent("wüsten")})`,
  `search(${encodeURIComponent("CAFÉ")})`,
  "search(string:---)",
  "search(nothing)",
  "search(desert)&select(id,year)&sort(id)",
  "search(desert)&values(id)&sort(id)",
  "search(desert)&count()",
  "search(dune)&aggregate(year,count())",
];

interface Variant {
  readonly name: string;
  make(): Promise<{ store: Store<Book>; cleanup: () => Promise<void> }>;
}

function variants(kinds: readonly InnerStoreKind[]): Variant[] {
  return kinds.flatMap((kind) => {
    const own: Variant = {
      name: `${kind.name}${kind.name.startsWith("Sql") ? " without a full-text column" : ""}`,
      async make() {
        const inner = await kind.make<Book>({ spec: plainTable });
        return { store: fullText(inner.store, { fields: FIELDS }), cleanup: inner.cleanup };
      },
    };
    if (!kind.name.startsWith("Sql")) return [own];
    const column: Variant = {
      name: `${kind.name} with its full-text column`,
      async make() {
        const inner = await kind.make<Book>({ spec: indexedTable });
        expect(inner.store.fullText).toBeDefined();
        return { store: fullText(inner.store, { fields: FIELDS }), cleanup: inner.cleanup };
      },
    };
    return [own, column];
  });
}

const kinds = innerStoreKinds();
afterAll(async () => {
  for (const kind of kinds) await kind.close();
});

describe("fullText: the same records on every store", () => {
  const all = variants(kinds);
  const answers = new Map<string, unknown[]>();

  for (const variant of all) {
    it(`answers over ${variant.name}`, async () => {
      const { store, cleanup } = await variant.make();
      try {
        for (const book of books()) await store.put!(book);
        const out: unknown[] = [];
        for (const query of QUERIES) {
          const result = await store.query!(query);
          out.push(
            Array.isArray(result)
              ? {
                  sorted: query.includes("sort(") ? result : undefined,
                  set: result.map((r) => JSON.stringify(r)).sort(),
                  totalCount: (result as Results<unknown>).totalCount,
                }
              : result,
          );
        }
        answers.set(variant.name, out);
        // Spot checks, so agreeing on nonsense is not enough.
        expect(idSet(await store.query!("search(desert)"))).toEqual(["b1", "b2", "b5", "b6"]);
        expect(ids(await store.query!("search(desert)&sort(-year)"))).toEqual([
          "b6",
          "b2",
          "b5",
          "b1",
        ]);
        expect(idSet(await store.query!("search(text)"))).toEqual(["b4"]);
        expect(idSet(await store.query!(`search(${encodeURIComponent("CAFÉ")})`))).toEqual(["b7"]);
        const page = (await store.query!("search(desert)&sort(year)&limit(2,1)")) as Results<Book>;
        expect([ids(page), page.totalCount]).toEqual([["b5", "b2"], 4]);
      } finally {
        await cleanup();
      }
    }, 120_000);
  }

  it("gives every store the memory store's answers", () => {
    const reference = answers.get("MemoryStore");
    expect(reference).toBeDefined();
    expect(answers.size).toBe(all.length);
    for (const [name, out] of answers) {
      QUERIES.forEach((query, i) => expect(out[i], `${name}: ${query}`).toEqual(reference![i]));
    }
  });

  for (const variant of all) {
    it(`orders by relevance without a sort, ties by id (${variant.name})`, async () => {
      const { store, cleanup } = await variant.make();
      try {
        for (const book of books()) await store.put!(book);
        // b2 holds "dune" in both fields, the others once; b1, b6 tie-break by id on most rankers.
        const ranked = ids(await store.query!("search(dune)"));
        expect(ranked[0]).toBe("b2");
        expect(ranked.sort()).toEqual(["b1", "b2", "b6"]);
        const page = (await store.query!("search(dune)&limit(1,1)")) as Results<Book>;
        expect(page.totalCount).toBe(3);
        expect(ids(page)).toEqual([ids(await store.query!("search(dune)"))[1]]);
        // Records of equal score come by id.
        await store.put!({ id: "c2", title: "Zebra", summary: null, year: 1 });
        await store.put!({ id: "c1", title: "Zebra", summary: null, year: 2 });
        expect(ids(await store.query!("search(zebra)"))).toEqual(["c1", "c2"]);
      } finally {
        await cleanup();
      }
    }, 120_000);
  }
});

describe("fullText: its own index follows the store", () => {
  let store: MemoryStore<Book>;
  let search: Store<Book>;
  const found = async (words: string) => idSet(await search.query!(`search(${words})`));

  beforeAll(() => undefined);

  it("indexes the records already there, and writes made through it", async () => {
    store = new MemoryStore<Book>({ data: books() });
    search = fullText(store, { fields: FIELDS });
    expect(await found("hobbit")).toEqual(["b3"]);
    await search.put!({ id: "b3", title: "The Lord of the Rings", summary: null, year: 1954 });
    expect(await found("hobbit")).toEqual([]);
    expect(await found("rings")).toEqual(["b3"]);
    await search.add!({ id: "b8", title: "Rings of Saturn", summary: null, year: 1995 });
    expect(await found("rings")).toEqual(["b3", "b8"]);
    expect(await search.delete!("b8")).toBe(true);
    expect(await found("rings")).toEqual(["b3"]);
  });

  it("sees writes made directly on the store, reject and load", async () => {
    store = new MemoryStore<Book>({ data: books() });
    search = fullText(store, { fields: FIELDS });
    expect(await found("dune")).toEqual(["b1", "b2", "b6"]);
    await store.commit();
    await store.put({ id: "b9", title: "Dune Road", summary: null, year: 2000 });
    store.update({ title: "Renamed" }, "id=b1");
    await store.delete("b6");
    expect(await found("dune")).toEqual(["b2", "b9"]);
    store.reject();
    expect(await found("dune")).toEqual(["b1", "b2", "b6"]);
    await store.load({ data: [{ id: "x1", title: "Only Dune", summary: null, year: 1 }] });
    expect(await found("dune")).toEqual(["x1"]);
    expect(await found("desert")).toEqual([]);
    store.removeAll();
    expect(await found("dune")).toEqual([]);
  });

  it("forgets what a failed transaction wrote", async () => {
    store = new MemoryStore<Book>({ data: books() });
    search = fullText(store, { fields: FIELDS });
    expect(await found("hobbit")).toEqual(["b3"]);
    const failure = new Error("abort");
    await expect(
      search.transaction!(async (tx) => {
        await tx.put!({ id: "t1", title: "Hobbit Two", summary: null, year: 1 });
        await tx.delete!("b3");
        expect(idSet(await tx.query!("search(hobbit)"))).toEqual(["t1"]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await found("hobbit")).toEqual(["b3"]);
  });

  it("over a store without on(), keeps the index through its own writes", async () => {
    store = new MemoryStore<Book>({ data: books() });
    const bare = restrictStore(store, ["get", "put", "add", "delete", "query"]);
    search = fullText(bare, { fields: FIELDS });
    expect(search.on).toBeUndefined();
    expect(await found("hobbit")).toEqual(["b3"]);
    await search.put!({ id: "b3", title: "Other", summary: "words", year: 1 });
    expect(await found("hobbit")).toEqual([]);
    expect(await found("words")).toEqual(["b3"]);
    await search.delete!("b3");
    expect(await found("words")).toEqual([]);
    // Without get() the written object itself is indexed.
    search = fullText(restrictStore(store, ["put", "query"]), { fields: FIELDS });
    expect(await found("desert")).toEqual(["b1", "b2", "b5", "b6"]);
    await search.put!({ id: "n1", title: "New desert", summary: null, year: 1 });
    expect(await found("desert")).toEqual(["b1", "b2", "b5", "b6", "n1"]);
  });

  it("close() stops following the store", async () => {
    store = new MemoryStore<Book>({ data: books() });
    const wrapper = fullText(store, { fields: FIELDS });
    expect(idSet(await wrapper.query!("search(hobbit)"))).toEqual(["b3"]);
    wrapper.close();
    await expect(wrapper.query!("search(hobbit)")).rejects.toMatchObject({
      code: "WRAPPER_CLOSED",
    });
    expect(ids(await wrapper.query!("year<1950"))).toEqual(["b3"]);
  });

  it("a failed write leaves the index as it was", async () => {
    store = new MemoryStore<Book>({ data: books() });
    search = fullText(restrictStore(store, ["get", "put", "add", "query"]), { fields: FIELDS });
    await expect(
      search.add!({ id: "b1", title: "Duplicate hobbit", summary: null, year: 1 }),
    ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    expect(await found("hobbit")).toEqual(["b3"]);
  });
});

describe("fullText: options and refusals", () => {
  it("needs query(), fields and a plain language name", () => {
    const store = new MemoryStore<Book>();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof PerstoreError ? error.code : String(error);
      }
      return "no error";
    };
    expect(code(() => fullText(restrictStore(store, ["get", "put"]), { fields: FIELDS }))).toBe(
      "WRAPPER_NEEDS_QUERY",
    );
    expect(code(() => fullText(store, {}))).toBe("WRAPPER_BAD_OPTION");
    expect(code(() => fullText(store, { fields: "title" as never }))).toBe("WRAPPER_BAD_OPTION");
    expect(code(() => fullText(store, { fields: FIELDS, language: "english; drop" }))).toBe(
      "WRAPPER_BAD_OPTION",
    );
    expect(fullText(store, { fields: FIELDS }).fullText).toEqual({
      fields: FIELDS,
      language: "simple",
    });
  });

  it("stems and drops stop words through processTerm", async () => {
    const stem = (term: string) => (term === "the" ? null : term.replace(/(ing|s)$/, ""));
    const search = fullText(new MemoryStore<Book>({ data: books() }), {
      fields: FIELDS,
      language: "english",
      processTerm: stem,
    });
    expect(idSet(await search.query!("search(sandworm)"))).toEqual(["b1"]);
    expect(idSet(await search.query!("search(the%20hobbits)"))).toEqual(["b3"]);
  });

  it("refuses bad words with QUERY_BAD_VALUE, and passes queries without search() through", async () => {
    const search = fullText(new MemoryStore<Book>({ data: books() }), { fields: FIELDS });
    await expect(search.query!("search(re:dune)")).rejects.toMatchObject({
      code: "QUERY_BAD_VALUE",
    });
    await expect(search.query!("search($1)", { parameters: [null] })).rejects.toMatchObject({
      code: "QUERY_BAD_VALUE",
    });
    expect(ids(await search.query!("year<1950"))).toEqual(["b3"]);
    expect(idSet(await search.query!("search($1)", { parameters: ["hobbit"] }))).toEqual(["b3"]);
  });

  it("over an SQL store with its own column, delegates only when it indexes the same fields", async () => {
    const kind = kinds.find((k) => k.name === "SqlStore (pglite)")!;
    const inner = await kind.make<Book>({ spec: indexedTable });
    try {
      expect(() => fullText(inner.store, { fields: ["title"] })).toThrow(
        expect.objectContaining({ code: "WRAPPER_FULLTEXT_MISMATCH" }),
      );
      expect(() => fullText(inner.store, { fields: FIELDS, language: "english" })).toThrow(
        expect.objectContaining({ code: "WRAPPER_FULLTEXT_MISMATCH" }),
      );
      const search = fullText(inner.store);
      expect(search.fullText).toEqual({ fields: FIELDS, language: "simple" });
      await search.put!(books()[0]!);
      expect(ids(await search.query!("search(spice)"))).toEqual(["b1"]);
    } finally {
      await inner.cleanup();
    }
  }, 120_000);
});
