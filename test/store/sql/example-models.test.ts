/**
 * The example application on SQL: its schemas migrated (`migrate create init`
 * + `up`, as the CLI does) into embedded PGlite and, with DATABASE_URL, the
 * server; then every generated model saves and queries through SqlStore
 * (`createModels({ db })`), including Employee, a sub-model of Person sharing
 * the `person` table through the `perstore_type` discriminator.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/index.js";
import { createMigration } from "../../../src/compiler/migrate/create-migration.js";
import { loadMigrations } from "../../../src/compiler/migrate/load-migrations.js";
import { migrateUp } from "../../../src/compiler/migrate/migration-runner.js";
import { ValidationError } from "../../../src/errors/index.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import { storeChannel } from "../../../src/store/channel.js";
import { MemoryStore } from "../../../src/store/memory/index.js";
import {
  createModels,
  Employee,
  EmployeeDefinition,
  Person,
  PersonDefinition,
} from "../../../generated/index.js";
import { closeDatabases, DATABASES, type TestDatabase } from "../../compiler/migrate/databases.js";

const REPO = join(import.meta.dirname, "../../..");
let migrations: string;

beforeAll(async () => {
  migrations = await mkdtemp(join(tmpdir(), "perstore-example-sql-"));
  const { ir } = await compile({ root: REPO });
  await createMigration({ dir: migrations, name: "init", ir, allowDestructive: false });
}, 60_000);
afterAll(async () => {
  await closeDatabases();
  await rm(migrations, { recursive: true, force: true });
});

const uuid = () => crypto.randomUUID();

for (const target of DATABASES) {
  describe(`the example models on SqlStore (${target.name})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await target.open();
      const applied = await migrateUp(database.db, await loadMigrations(migrations));
      expect(applied).toHaveLength(1);
    }, 60_000);
    afterAll(async () => database?.close());

    it("creates, reads, saves, queries and deletes every model, links included", async () => {
      const { Author, Book, Company, Review, Person } = createModels({ db: database.db });
      const acme = await Company.create({
        name: "Acme",
        tags: ["tools"],
        address: { street: "1 Main", city: "Springfield", country: "US" },
      } as never);
      expect(await Company.get(acme.id)).toEqual(acme);
      const fetched = (await Company.get(acme.id))!;
      fetched.name = "Acme Inc";
      await fetched.save(); // a record read back from SQL (NULLs for absent values) validates and saves
      expect((await Company.get(acme.id))?.name).toBe("Acme Inc");

      const author = await Author.create({ name: "Frank Herbert" } as never);
      expect(author.active).toBe(true); // the default
      const dune = await Book.create({
        isbn: "9780000000001",
        title: "Dune",
        authorId: author.id,
        year: 1965,
        genres: ["science"],
        publishedAt: "1965-08-01T10:00:00+02:00",
      } as never);
      expect(dune.publishedAt).toBe("1965-08-01T08:00:00.000Z");
      await Book.create({
        isbn: "9780000000002",
        title: "Emma",
        authorId: author.id,
        year: 1815,
        genres: ["history"],
      } as never);
      expect((await Book.queries.publishedBetween(1900, 2000)).map((b) => b.title)).toEqual([
        "Dune",
      ]);
      expect((await Book.queries.byGenre("history")).map((b) => b.title)).toEqual(["Emma"]);
      expect((await dune.author())?.name).toBe("Frank Herbert");
      const patched = await Book.patch(dune.isbn, { price: 9.5 });
      expect(patched.price).toBe(9.5);

      const reader = await Person.create({
        id: uuid(),
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.org",
        nickname: null,
      } as never);
      expect(reader.nickname).toBeNull(); // the schema admits null: kept
      const review = await Review.create({
        id: uuid(),
        bookIsbn: dune.isbn,
        reviewerId: reader.id,
        rating: 5,
      } as never);
      expect((await Review.queries.atLeast(4)).map((r) => r.id)).toEqual([review.id]);
      expect(await Review.delete(review.id)).toBe(true);
      expect(await Review.get(review.id)).toBeUndefined();
    });

    it("stores Employee in Person's table: a Person query returns Employees as Employee instances, an Employee query only Employees", async () => {
      const { Company, Person: People, Employee: Employees } = createModels({ db: database.db });
      const company = await Company.create({ name: `Initech ${uuid()}` } as never);
      const plain = await People.create({
        id: uuid(),
        firstName: "Pat",
        lastName: "Plain",
        email: `pat-${uuid()}@example.org`,
        country: "FR",
      } as never);
      const boss = await Employees.create({
        id: uuid(),
        firstName: "Bill",
        lastName: "Boss",
        email: `bill-${uuid()}@example.org`,
        country: "FR",
        employerId: company.id,
        jobTitle: "CEO",
        salary: 300,
      } as never);
      const worker = await Employees.create({
        id: uuid(),
        firstName: "Milton",
        lastName: "Worker",
        email: `milton-${uuid()}@example.org`,
        country: "FR",
        employerId: company.id,
        managerId: boss.id,
        jobTitle: "clerk",
        salary: 30,
      } as never);
      expect(boss).toBeInstanceOf(Employee);
      expect(plain).toBeInstanceOf(Person);
      expect(plain).not.toBeInstanceOf(Employee);
      // Neither model's records carry the discriminator or the other model's (NULL) columns; only a property
      // whose schema admits null reads back as null (SQL cannot tell a null from an absent value).
      expect(Object.keys(plain).sort()).toEqual([
        "country",
        "email",
        "firstName",
        "id",
        "lastName",
        "nickname",
      ]);
      expect(plain.nickname).toBeNull();
      expect(Object.keys(worker)).not.toContain("perstore_type");

      const viaPerson = await People.get(worker.id);
      expect(viaPerson).toBeInstanceOf(Employee);
      expect(viaPerson).toMatchObject({ jobTitle: "clerk", salary: 30, managerId: boss.id });
      expect(await Employees.get(plain.id)).toBeUndefined(); // a Person is not an Employee

      const people = await People.query("country=FR&sort(+lastName)");
      expect(people.map((p) => [p.lastName, p.constructor.name])).toEqual([
        ["Boss", "Employee"],
        ["Plain", "Person"],
        ["Worker", "Employee"],
      ]);
      expect(people.totalCount).toBe(3);
      const staff = await Employees.query("country=FR&sort(+lastName)");
      expect(staff.map((p) => p.lastName)).toEqual(["Boss", "Worker"]);
      expect(staff.every((e) => e instanceof Employee)).toBe(true);
      expect((await Employees.queries.earningMoreThan(100)).map((e) => e.lastName)).toEqual([
        "Boss",
      ]);
      expect(await People.query("country=FR&count()")).toBe(3);
      expect(await Employees.query("country=FR&count()")).toBe(2);

      // An Employee read through Person and saved stays an Employee, with its own columns.
      const employee = viaPerson as Employee;
      employee.salary = 40;
      await employee.save();
      expect(await Employees.get(worker.id)).toMatchObject({ salary: 40, jobTitle: "clerk" });
      expect((await (await Employees.get(worker.id))!.manager())?.id).toBe(boss.id);
      expect((await boss.reports()).map((e) => e.id)).toEqual([worker.id]);

      // Deleting through Employee never touches a plain Person.
      expect(await Employees.delete(plain.id)).toBe(false);
      expect(await People.delete(worker.id)).toBe(true);
      expect(await Employees.get(worker.id)).toBeUndefined();
    });

    it("reads the discriminator through a base model's SqlStore and writes it back (only models of the store's hierarchy)", async () => {
      const persons = new SqlStore<Record<string, unknown>>({
        db: database.db,
        table: PersonDefinition.sql!,
      });
      const employees = new SqlStore<Record<string, unknown>>({
        db: database.db,
        table: EmployeeDefinition.sql!,
      });
      const id = uuid();
      await persons.put({
        id,
        firstName: "E",
        lastName: "Mployee",
        email: `e-${id}@example.org`,
        jobTitle: "x",
        perstore_type: "Employee",
      });
      expect(await persons.get(id)).toMatchObject({ id, perstore_type: "Employee", jobTitle: "x" });
      expect(await employees.get(id)).toMatchObject({ perstore_type: "Employee" });
      // Written back without a discriminator, a row keeps its model.
      const { perstore_type: _, ...rest } = (await persons.get(id))!;
      await persons.put({ ...rest, jobTitle: "y" });
      expect(await employees.get(id)).toMatchObject({ jobTitle: "y", perstore_type: "Employee" });
      // An Employee store cannot write a Person, nor any store a model outside its hierarchy.
      await expect(employees.put({ ...rest, perstore_type: "Person" })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(persons.put({ ...rest, perstore_type: "Company" })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        errors: [{ pointer: "/perstore_type" }],
      });
      const plain = uuid();
      await persons.put({
        id: plain,
        firstName: "P",
        lastName: "P",
        email: `p-${plain}@example.org`,
      });
      await expect(
        employees.put({
          id: plain,
          firstName: "P",
          lastName: "P",
          email: `p-${plain}@example.org`,
        }),
      ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
      expect(await persons.get(plain)).toMatchObject({ perstore_type: "Person" });
    });

    it("commits a memory store's changes of Employees through the Person store's channel, keeping each record's model", async () => {
      const persons = new SqlStore<Record<string, unknown>>({
        db: database.db,
        table: PersonDefinition.sql!,
      });
      const memory = new MemoryStore<Record<string, unknown>>({ channel: storeChannel(persons) });
      const a = uuid();
      const b = uuid();
      memory.insert(
        [
          {
            id: a,
            firstName: "A",
            lastName: "A",
            email: `a-${a}@example.org`,
            jobTitle: "j",
            perstore_type: "Employee",
          },
          { id: b, firstName: "B", lastName: "B", email: `b-${b}@example.org` },
        ],
        { append: true },
      );
      await memory.commit({ mode: "condensed" });
      expect((await persons.get(a))?.perstore_type).toBe("Employee");
      expect((await persons.get(b))?.perstore_type).toBe("Person");
      memory.update({ lastName: "Changed" }, `id=${a}`);
      await memory.commit({ mode: "condensed" });
      expect(await persons.get(a)).toMatchObject({
        lastName: "Changed",
        perstore_type: "Employee",
      });
    });
  });
}
