/**
 * Date-time queries through the generated example models, as a user writes
 * them: Review's `createdAt` (format date-time) holds ISO strings, the query
 * literal becomes a Date (bindSchema), and the two compare by instant — on
 * the memory store and on SqlStore (the example's own migrations applied to
 * PGlite and, with DATABASE_URL, the server).
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadMigrations } from "../../../src/compiler/migrate/load-migrations.js";
import { migrateUp } from "../../../src/compiler/migrate/migration-runner.js";
import { createModels } from "../../../generated/index.js";
import { closeDatabases, DATABASES } from "../../compiler/migrate/databases.js";

const MIGRATIONS = join(import.meta.dirname, "../../../generated/migrations");
const uuid = () => crypto.randomUUID();

async function checkDateQueries(models: ReturnType<typeof createModels>): Promise<void> {
  const { Author, Book, Person, Review } = models;
  const author = await Author.create({ name: "Mary Shelley" } as never);
  const book = await Book.create({
    isbn: "9780000000003",
    title: "Frankenstein",
    authorId: author.id,
  } as never);
  const reviews: { id: string; createdAt: string }[] = [];
  for (const createdAt of [
    "2023-12-31T23:59:59.999Z",
    "2024-01-01T00:00:00Z",
    "2024-03-01T10:00:00+02:00",
  ]) {
    const reviewer = await Person.create({
      id: uuid(),
      firstName: "R",
      lastName: "V",
      email: `${uuid()}@example.org`,
    } as never);
    const review = await Review.create({
      id: uuid(),
      bookIsbn: book.isbn,
      reviewerId: reviewer.id,
      rating: 4,
      createdAt,
    } as never);
    reviews.push({ id: review.id, createdAt });
  }
  const ids = async (query: string) => (await Review.query(query)).map((r) => r.id).sort();
  const expected = (...indexes: number[]) => indexes.map((i) => reviews[i]!.id).sort();
  expect(await ids("createdAt>=2024-01-01T00:00:00Z")).toEqual(expected(1, 2));
  expect(await ids("createdAt<2024-01-01T00:00:00Z")).toEqual(expected(0));
  expect(await ids("createdAt=2024-03-01T08:00:00.000Z")).toEqual(expected(2)); // another offset, the same instant
  expect(await ids("createdAt!=2024-01-01T00:00:00Z")).toEqual(expected(0, 2));
  expect(await ids("createdAt=ge=2024-01-01T00%3A00%3A00Z&createdAt<date:2024-02-01")).toEqual(
    expected(1),
  );
  expect(await ids("between(createdAt,(2023-12-31T23:59:59.999Z,2024-03-01T08:00:00Z))")).toEqual(
    expected(0, 1),
  );
  expect(await ids("in(createdAt,(2024-01-01T00:00:00Z,2023-12-31T23:59:59.999Z))")).toEqual(
    expected(0, 1),
  );
}

afterAll(async () => closeDatabases());

describe("date-time queries on the example models", () => {
  it("memory store: createdAt>=2024-01-01T00:00:00Z compares by instant", async () => {
    await checkDateQueries(createModels());
  });

  for (const target of DATABASES) {
    it(`SqlStore on ${target.name}: the same queries give the same records`, async () => {
      const database = await target.open();
      try {
        await migrateUp(database.db, await loadMigrations(MIGRATIONS));
        await checkDateQueries(createModels({ db: database.db }));
      } finally {
        await database.close();
      }
    }, 60_000);
  }
});
