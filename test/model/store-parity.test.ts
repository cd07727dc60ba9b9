/**
 * The generated example models behave the same on the default memory store
 * and on SqlStore (embedded PGlite, migrated from generated/migrations):
 * date-time values are stored in one normalised form, and writes through a
 * base model to a sub-model's record are checked as the sub-model.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { loadMigrations, migrateUp } from "../../src/compiler/migrate/index.js";
import type { PerstoreError } from "../../src/errors/index.js";
import { openDatabase } from "../../src/store/sql/index.js";
import { createModelRegistry } from "../../src/model/index.js";
import { parseQuery } from "../../src/query/index.js";
import { createModels, definitions, Employee, Person, type Models } from "../../generated/index.js";

const acme = "7d1f2c3a-0000-4000-8000-000000000001";

let db: Kysely<any>;
beforeAll(async () => {
  db = openDatabase("memory:");
  await migrateUp(db, await loadMigrations("generated/migrations"));
});
afterAll(async () => {
  await db.destroy();
});

let counter = 0;
/** Fresh models per test: memory gets new stores, SQL a company and unique emails. */
async function modelsOn(
  kind: string,
): Promise<{ models: Models; email: (name: string) => string }> {
  const models = kind === "sql" ? createModels({ db }) : createModels();
  if (!(await models.Company.get(acme))) await models.Company.create({ id: acme, name: "Acme" });
  const run = ++counter;
  return { models, email: (name) => `${name}.${run}@example.com` };
}

async function failure(action: Promise<unknown>): Promise<PerstoreError> {
  try {
    await action;
  } catch (error) {
    return error as PerstoreError;
  }
  throw new Error("expected a rejection");
}

/** The same instants, written every way the date-time format allows, and their stored form. */
const instants: readonly [string, string][] = [
  ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z"],
  ["2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00.000Z"],
  ["2024-01-01T00:00:00.5Z", "2024-01-01T00:00:00.500Z"],
  ["2024-01-01t00:10:00.123456z", "2024-01-01T00:10:00.123Z"],
  ["2023-12-31T23:45:00-00:30", "2024-01-01T00:15:00.000Z"],
  ["2016-12-31T23:59:60Z", "2017-01-01T00:00:00.000Z"],
];

const results = new Map<string, unknown>();

describe.each(["memory", "sql"])("date-time values on the %s store", (kind) => {
  it("create, put, patch and save store and return the normalised ISO string", async () => {
    const { models, email } = await modelsOn(kind);
    const stored: string[] = [];
    for (const [i, [written, normal]] of instants.entries()) {
      const person = await models.Person.create({
        firstName: `P${i}`,
        lastName: "T",
        email: email(`p${i}`),
        createdAt: written,
      });
      expect(person.createdAt).toBe(normal);
      const raw = (await (await models.Person.store()).get!(person.id)) as Record<string, unknown>;
      expect(raw.createdAt).toBe(normal);
      stored.push((await models.Person.get(person.id))!.createdAt!);
    }
    expect(stored).toEqual(instants.map(([, normal]) => normal));
    // Sorting on the stored strings gives instant order, the same on every store.
    const ids = (await models.Person.query(`lastName=T&sort(+createdAt,+firstName)`)).map(
      (p) => p.firstName,
    );
    results.set(`${kind}:sort`, ids);
    expect(ids).toEqual(
      ["P1", "P0", "P2", "P3", "P4", "P5"].sort((a, b) => {
        const at = (name: string) => instants[Number(name.slice(1))]![1];
        return at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0;
      }),
    );

    // put, patch and save: Book.publishedAt is a writable date-time.
    const author = await models.Author.create({
      name: "Ann Author",
      email: email("author"),
    } as never);
    const isbn = String(9780000000000 + counter);
    await models.Book.create({
      isbn,
      title: "T",
      authorId: author.id,
      publishedAt: "2024-05-01T12:00:00+02:00",
    });
    expect((await models.Book.get(isbn))!.publishedAt).toBe("2024-05-01T10:00:00.000Z");
    const put = await models.Book.put({
      isbn,
      title: "T",
      authorId: author.id,
      status: "draft",
      publishedAt: "2024-05-02T00:00:00Z",
    });
    expect(put.publishedAt).toBe("2024-05-02T00:00:00.000Z");
    const patched = await models.Book.patch(isbn, { publishedAt: "2024-05-03T01:00:00+01:00" });
    expect(patched.publishedAt).toBe("2024-05-03T00:00:00.000Z");
    patched.publishedAt = "2024-05-04T00:00:00.25Z";
    await patched.save();
    expect(patched.publishedAt).toBe("2024-05-04T00:00:00.250Z");
    expect((await models.Book.get(isbn))!.publishedAt).toBe("2024-05-04T00:00:00.250Z");
    const { isbn: _isbn, authorId: _author, ...book } = (await models.Book.get(isbn))!.toJSON();
    results.set(`${kind}:book`, book);
  });

  it("validation still judges what was written; a read-only date-time compares by instant", async () => {
    const { models, email } = await modelsOn(kind);
    // `new Date` would read a bare date, the date-time format does not.
    const bad = await failure(
      models.Person.create({
        firstName: "D",
        lastName: "D",
        email: email("d"),
        createdAt: "2024-01-01",
      }),
    );
    expect([
      bad.code,
      (bad as unknown as { errors: { pointer: string }[] }).errors.map((e) => e.pointer),
    ]).toEqual(["VALIDATION_FAILED", ["/createdAt"]]);
    expect(bad.message).toMatch(
      /^Person [0-9a-f-]{36} is invalid: \/createdAt must match format "date-time"$/,
    );
    expect(await models.Person.query(`email=${encodeURIComponent(email("d"))}`)).toHaveLength(0);
    const p = await models.Person.create({
      firstName: "R",
      lastName: "R",
      email: email("r"),
      createdAt: "2024-01-01T01:00:00+01:00",
    });
    // The same instant written another way is no change to the read-only property.
    const same = await models.Person.put({
      ...p.toJSON(),
      nickname: "x",
      createdAt: "2024-01-01T00:00:00Z",
    });
    expect([same.nickname, same.createdAt]).toEqual(["x", "2024-01-01T00:00:00.000Z"]);
    const moved = await failure(models.Person.patch(p.id, { createdAt: "2024-01-01T00:00:01Z" }));
    expect(moved.code).toBe("MODEL_READONLY");
    expect(moved.message).toContain(`Person ${p.id} is invalid: /createdAt is read-only`);
  });

  it("a named query's date-time argument compares by instant, however it is written", async () => {
    const Person = {
      ...definitions.Person,
      queries: {
        createdSince: {
          query: parseQuery("ge(createdAt,$1)&lastName=S&sort(+createdAt)", {
            schema: definitions.Person.querySchema,
          }),
          parameters: [{ index: 1, type: "date-time" as const }],
        },
        createdIn: {
          query: parseQuery("in(createdAt,$1)&lastName=S&sort(+createdAt)", {
            schema: definitions.Person.querySchema,
          }),
          // A whole-list parameter, as the compiler types `in(p,$1)`.
          parameters: [{ index: 1, type: "date-time" as const, list: true }],
        },
      },
    };
    const models = createModelRegistry({ ...definitions, Person }, kind === "sql" ? { db } : {});
    const queries = models.Person.queries as unknown as Record<
      string,
      (...args: unknown[]) => Promise<Person[]>
    >;
    const run = ++counter;
    await models.Person.create({
      firstName: "A",
      lastName: "S",
      email: `a.${run}@example.com`,
      createdAt: "2024-01-01T00:00:00Z",
    });
    await models.Person.create({
      firstName: "B",
      lastName: "S",
      email: `b.${run}@example.com`,
      createdAt: "2024-01-01T00:00:00.5Z",
    });
    const since = async (arg: unknown) =>
      (await queries.createdSince!(arg)).map((p) => p.firstName);
    expect(await since("2024-01-01T00:00:00Z")).toEqual(["A", "B"]);
    expect(await since("2024-01-01T01:00:00+01:00")).toEqual(["A", "B"]);
    expect(await since("2024-01-01T00:00:00.001Z")).toEqual(["B"]);
    expect(await since(new Date("2024-01-01T00:00:00Z"))).toEqual(["A", "B"]);
    const within = await queries.createdIn!([
      "2024-01-01T00:00:00.500+00:00",
      "2023-12-31T23:59:59Z",
    ]);
    expect(within.map((p) => p.firstName)).toEqual(["B"]);
  });
});

describe.each(["memory", "sql"])(
  "writes through Person to an Employee record on the %s store",
  (kind) => {
    async function bob() {
      const { models, email } = await modelsOn(kind);
      const employee = await models.Employee.create({
        firstName: "Bob",
        lastName: "Builder",
        email: email("bob"),
        employerId: acme,
        jobTitle: "Builder",
        salary: 10,
      });
      return { models, employee };
    }

    it("Person.put replaces it as an Employee: Employee fields required, Employee instance back", async () => {
      const { models, employee } = await bob();
      const { employerId: _e, jobTitle: _j, salary: _s, ...personOnly } = employee.toJSON();
      const refused = await failure(models.Person.put({ ...personOnly, lastName: "B2" }));
      expect(refused.code).toBe("VALIDATION_FAILED");
      expect(
        (refused as unknown as { errors: { pointer: string }[] }).errors
          .map((e) => e.pointer)
          .sort(),
      ).toEqual(["/employerId", "/jobTitle"]);
      expect(refused.message).toContain(`Employee ${employee.id} is invalid`);
      const kept = await models.Employee.get(employee.id);
      expect([kept?.lastName, kept?.jobTitle, kept?.salary]).toEqual(["Builder", "Builder", 10]);

      // Employee rules apply even to properties Person does not know.
      expect(
        (await failure(models.Person.put({ ...employee.toJSON(), salary: -1 } as never))).code,
      ).toBe("VALIDATION_FAILED");
      const replaced = await models.Person.put({ ...employee.toJSON(), lastName: "B2" });
      expect(replaced).toBeInstanceOf(Employee);
      expect([replaced.lastName, (replaced as Employee).jobTitle]).toEqual(["B2", "Builder"]);
      expect((await models.Employee.get(employee.id))?.lastName).toBe("B2");
      // (SQL reads an absent nullable property as null: compare the properties that hold values.)
      results.set(
        `${kind}:put`,
        Object.entries(replaced)
          .filter(([, v]) => v !== null)
          .map(([k]) => k)
          .sort(),
      );
    });

    it("Person.patch keeps the Employee fields and validates as Employee", async () => {
      const { models, employee } = await bob();
      const patched = await models.Person.patch(employee.id, { nickname: "Bobby" });
      expect(patched).toBeInstanceOf(Employee);
      expect([
        patched.nickname,
        (patched as Employee).jobTitle,
        (patched as Employee).salary,
      ]).toEqual(["Bobby", "Builder", 10]);
      expect((await failure(models.Person.patch(employee.id, { salary: -1 } as never))).code).toBe(
        "VALIDATION_FAILED",
      );
      expect(
        (await failure(models.Person.patch(employee.id, { jobTitle: undefined } as never))).code,
      ).toBe("VALIDATION_FAILED");
      expect((await models.Employee.get(employee.id))?.salary).toBe(10);
      // save() on what Person.get returns (an Employee) is checked as an Employee too.
      const viaPerson = (await models.Person.get(employee.id)) as Employee;
      expect(viaPerson).toBeInstanceOf(Employee);
      // Read through either model, the record is the same (nulls are judged by Employee's schema).
      expect(viaPerson.toJSON()).toEqual((await models.Employee.get(employee.id))!.toJSON());
      delete (viaPerson as Partial<Employee>).jobTitle;
      expect((await failure(viaPerson.save())).code).toBe("VALIDATION_FAILED");
      expect((await models.Person.get(employee.id)) as Person).toMatchObject({
        jobTitle: "Builder",
      });
    });
  },
);

describe("memory and SQL agree", () => {
  it("on stored date-times, their order, and the fields of a replaced Employee", () => {
    for (const what of ["sort", "book", "put"]) {
      expect(results.get(`memory:${what}`)).toBeDefined();
      expect(results.get(`sql:${what}`)).toEqual(results.get(`memory:${what}`));
    }
  });
});
