/**
 * fullText composes with cache both ways, over every inner kind:
 * fullText(cache(store)) (the index reads hits through the cache) and
 * cache(fullText(store), { queries: true }) (search answers cached until a write).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { Store } from "../../src/store/types.js";
import { cache } from "../../src/wrappers/cache/index.js";
import { fullText } from "../../src/wrappers/full-text/index.js";
import { innerStoreKinds } from "./inner-stores.js";

interface Book {
  id: string;
  title: string;
  year: number;
}

const plain: SqlTableSpec = {
  table: "ft_compose",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "title", type: "string", sqlType: "text", nullable: false },
    { name: "year", type: "integer", sqlType: "integer", nullable: false },
  ],
};
const indexed: SqlTableSpec = {
  ...plain,
  fullText: { column: "perstore_search", fields: ["title"], language: "simple" },
};

const kinds = innerStoreKinds();
afterAll(async () => {
  for (const kind of kinds) await kind.close();
});

const compositions: [string, (inner: Store<Book>) => Store<Book>][] = [
  ["fullText(cache(store))", (inner) => fullText(cache(inner), { fields: ["title"] })],
  [
    "cache(fullText(store), { queries: true })",
    (inner) => cache(fullText(inner, { fields: ["title"] }), { queries: true }),
  ],
];

async function exercise(store: Store<Book>): Promise<void> {
  const ids = async (query: string) =>
    ((await store.query!(query)) as Book[]).map((b) => b.id).sort();
  await store.put!({ id: "b1", title: "Dune", year: 1965 });
  await store.put!({ id: "b2", title: "Dune Messiah", year: 1969 });
  await store.put!({ id: "b3", title: "The Hobbit", year: 1937 });
  expect(await ids("search(dune)")).toEqual(["b1", "b2"]);
  expect(await ids("search(dune)&year>1966")).toEqual(["b2"]);
  expect(await store.get!("b1")).toEqual({ id: "b1", title: "Dune", year: 1965 });
  await store.put!({ id: "b1", title: "Arrakis", year: 1965 });
  expect(await ids("search(dune)")).toEqual(["b2"]);
  expect(await ids("search(arrakis)")).toEqual(["b1"]);
  await store.delete!("b2");
  expect(await ids("search(dune)")).toEqual([]);
  expect(await ids("not(search(arrakis))")).toEqual(["b3"]);
}

for (const kind of kinds) {
  const tables = kind.name.startsWith("Sql") ? [plain, indexed] : [plain];
  for (const table of tables) {
    const where = `${kind.name}${table.fullText ? " with its full-text column" : ""}`;
    describe(`fullText with cache over ${where}`, () => {
      for (const [name, compose] of compositions) {
        it(`${name} searches what was written`, async () => {
          const inner = await kind.make<Book>({ spec: table });
          try {
            await exercise(compose(inner.store));
          } finally {
            await inner.cleanup();
          }
        }, 120_000);
      }
    });
  }
}
