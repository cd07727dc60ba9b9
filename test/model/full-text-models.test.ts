/**
 * The example Book declares `fullText: { fields: ["title"] }`: its models
 * answer search() on the default memory stores (createModels wraps them with
 * fullText) and on SQL through the committed migrations' generated column,
 * with the same records.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadMigrations } from "../../src/compiler/migrate/load-migrations.js";
import { migrateUp } from "../../src/compiler/migrate/migration-runner.js";
import { createModels } from "../../generated/index.js";
import { closeDatabases, DATABASES } from "../compiler/migrate/databases.js";

const MIGRATIONS = join(import.meta.dirname, "../../generated/migrations");

type Models = ReturnType<typeof createModels>;

async function answers({ Author, Book }: Models) {
  const author = await Author.create({ name: "Frank Herbert" } as never);
  const titles = ["Dune", "Dune Messiah", "Children of Dune", "The Dosadi Experiment"];
  for (const [i, title] of titles.entries())
    await Book.create({
      isbn: `978000000000${i}`,
      title,
      authorId: author.id,
      year: 1965 + i * 4,
    } as never);
  const isbns = (books: unknown) => (books as { isbn: string }[]).map((b) => b.isbn);
  return {
    dune: isbns(await Book.query("search(dune)&sort(year)")),
    later: isbns(await Book.query("search(DUNE)&year>1966&sort(-year)")),
    not: isbns(await Book.query("not(search(dune))")),
    count: await Book.query("search(dune)&count()"),
    first: ((await Book.query("search(dosadi)")) as unknown[])[0]?.constructor.name,
  };
}

const expected = {
  dune: ["9780000000000", "9780000000001", "9780000000002"],
  later: ["9780000000002", "9780000000001"],
  not: ["9780000000003"],
  count: 3,
  first: "Book",
};

afterAll(() => closeDatabases());

describe("the example Book's fullText", () => {
  it("answers search() on the memory stores", async () => {
    expect(await answers(createModels())).toEqual(expected);
  });

  for (const target of DATABASES) {
    it(`answers search() on ${target.name}, migrated by generated/migrations`, async () => {
      const database = await target.open();
      try {
        await migrateUp(database.db, await loadMigrations(MIGRATIONS));
        expect(await answers(createModels({ db: database.db }))).toEqual(expected);
      } finally {
        await database.close();
      }
    }, 120_000);
  }
});
