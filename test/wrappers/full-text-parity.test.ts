/**
 * The same search, the same records: generated texts (words from a small
 * vocabulary with mixed case, accents and punctuation between them) and
 * generated queries (search() alone, with other terms, under not/or, sorted,
 * paged) give the same records and totalCount through the wrapper's own index
 * over a MemoryStore and through an SQL table's full-text column, on PGlite and
 * (with DATABASE_URL) the server; sorted queries give the same order.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { Results, Store } from "../../src/store/types.js";
import { fullText } from "../../src/wrappers/full-text/index.js";
import { innerStoreKinds, memoryKind } from "./inner-stores.js";

interface Doc {
  id: string;
  title: string;
  summary: string | null;
  year: number;
}

const table: SqlTableSpec = {
  table: "ft_parity",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "title", type: "string", sqlType: "text", nullable: false },
    { name: "summary", type: "string", sqlType: "text", nullable: true },
    { name: "year", type: "integer", sqlType: "integer", nullable: false },
  ],
  fullText: { column: "perstore_search", fields: ["title", "summary"], language: "simple" },
};

const WORDS = [
  "dune",
  "Desert",
  "SPICE",
  "worm",
  "worms",
  "café",
  "CAFÉ",
  "über",
  "x1",
  "2020",
  "a",
];
const SEPARATORS = [" ", "-", ", ", ".", "_", "/", "'", " — ", "@", "  "];

const word = fc.constantFrom(...WORDS);
const separator = fc.constantFrom(...SEPARATORS);
const text = fc
  .array(fc.tuple(word, separator), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));
const docs = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 40 }).map((n) => `d${n}`),
    title: text,
    summary: fc.option(text, { nil: null }),
    year: fc.integer({ min: 1990, max: 2030 }),
  }),
  { selector: (d) => d.id, maxLength: 25 },
);
/** Every character but ASCII letters and digits percent-encoded (RQL reserves some that encodeURIComponent keeps). */
const encode = (value: string) =>
  [...new TextEncoder().encode(value)]
    .map((byte) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(byte)) && byte < 128
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
const words = fc
  .tuple(word, fc.option(fc.tuple(separator, word), { nil: undefined }))
  .map(([w, more]) => encode(more === undefined ? w : w + more[0] + more[1]));
const filter = fc.oneof(
  words.map((w) => `search(string:${w})`),
  fc
    .tuple(words, fc.integer({ min: 1990, max: 2030 }))
    .map(([w, y]) => `search(string:${w})&year>${y}`),
  words.map((w) => `not(search(string:${w}))`),
  fc
    .tuple(words, fc.integer({ min: 1990, max: 2030 }))
    .map(([w, y]) => `or(search(string:${w}),year<${y})`),
  fc.tuple(words, words).map(([a, b]) => `and(search(string:${a}),not(search(string:${b})))`),
);
const query = fc
  .tuple(
    filter,
    fc.constantFrom("", "&sort(year)", "&sort(-year,id)"),
    fc.constantFrom("", "&limit(3)", "&limit(2,1)"),
  )
  .map(([f, sort, limit]) => ({
    text: f + sort + limit,
    sorted: sort !== "",
    paged: limit !== "",
  }));

const kinds = innerStoreKinds().filter((kind) => kind.name.startsWith("SqlStore"));
afterAll(async () => {
  for (const kind of kinds) await kind.close();
});

for (const kind of kinds) {
  describe(`fullText parity: MemoryStore index vs ${kind.name} column`, () => {
    it("gives the same records for the same search", async () => {
      const sqlInner = await kind.make<Doc>({ spec: table });
      const sqlStore = fullText(sqlInner.store);
      try {
        await fc.assert(
          fc.asyncProperty(
            docs,
            fc.array(query, { minLength: 1, maxLength: 4 }),
            async (records, queries) => {
              const memoryInner = await memoryKind.make<Doc>({ spec: table });
              const memoryStore = fullText(memoryInner.store, { fields: ["title", "summary"] });
              for (const old of (await sqlStore.query!("")) as Doc[])
                await sqlStore.delete!(old.id);
              for (const record of records) {
                await memoryStore.put!(record);
                await sqlStore.put!(record);
              }
              for (const q of queries) {
                const shape = async (store: Store<Doc>) => {
                  const result = (await store.query!(q.text)) as Results<Doc>;
                  const ids = result.map((r) => r.id);
                  return {
                    ids: q.sorted ? ids : ids.sort(),
                    totalCount: result.totalCount,
                  };
                };
                const memory = await shape(memoryStore);
                const sql = await shape(sqlStore);
                if (q.paged && !q.sorted) {
                  // Unsorted pages differ by ranking: only the count must agree.
                  expect(sql.totalCount, q.text).toBe(memory.totalCount);
                  expect(sql.ids.length, q.text).toBe(memory.ids.length);
                } else expect(sql, q.text).toEqual(memory);
              }
            },
          ),
          { numRuns: Number(process.env.PARITY_RUNS ?? 40) },
        );
      } finally {
        await sqlInner.cleanup();
      }
    }, 180_000);
  });
}
