/**
 * createModels with a hierarchy split over stores (`stores: { Person: a,
 * Employee: b }`): Person reads both through `inherited`, each record comes
 * back as its own model's instance, writes go to the record's own store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore, SqlStore, type Store } from "perstore";
import { createModels, Employee, EmployeeDefinition } from "../../generated/index.js";
import {
  createTable,
  openTestDatabase,
  testTargets,
  type TestDatabase,
} from "../store/sql/sql-test-db.js";

const acme = "7d1f2c3a-0000-4000-8000-000000000001";

async function seed(models: ReturnType<typeof createModels>) {
  for (const [first, last] of [
    ["Ada", "Lovelace"],
    ["Cy", "Young"],
    ["Eve", "Adams"],
  ])
    await models.Person.create({
      firstName: first!,
      lastName: last!,
      email: `${first}@example.com`,
    });
  for (const [first, last] of [
    ["Bob", "Builder"],
    ["Dee", "Zed"],
    ["Fay", "Baker"],
  ])
    await models.Employee.create({
      firstName: first!,
      lastName: last!,
      email: `${first}@example.com`,
      employerId: acme,
      jobTitle: "Staff",
    });
}

async function expectSplit(personStore: Store<any>, employeeStore: Store<any>) {
  const models = createModels({ stores: { Person: personStore, Employee: employeeStore } });
  await seed(models);
  const page = await models.Person.query("sort(+lastName)&limit(3,1)");
  expect(page.map((p) => p.lastName)).toEqual(["Baker", "Builder", "Lovelace"]);
  expect(page.totalCount).toBe(6);
  expect(page.map((p) => p instanceof Employee)).toEqual([true, true, false]);
  expect(await models.Person.query("count()")).toBe(6);
  // Writes went to each record's own store; get on the base finds an Employee in the Employee store.
  const bob = (await models.Employee.query("firstName=Bob"))[0]!;
  expect(await personStore.get!(bob.id)).toBeUndefined();
  expect((await employeeStore.get!(bob.id))?.jobTitle).toBe("Staff");
  const found = await models.Person.get(bob.id);
  expect(found).toBeInstanceOf(Employee);
  expect((found as Employee).jobTitle).toBe("Staff");
  expect((await models.Employee.query("sort(+firstName)")).map((e) => e.firstName)).toEqual([
    "Bob",
    "Dee",
    "Fay",
  ]);
  // A change through the base model stays in the Employee store.
  (found as Employee).jobTitle = "Lead";
  await found!.save();
  expect((await employeeStore.get!(bob.id))?.jobTitle).toBe("Lead");
  await models.Person.delete(bob.id);
  expect(await employeeStore.get!(bob.id)).toBeUndefined();
}

describe("createModels with sub-models in stores of their own", () => {
  it("Person in one MemoryStore, Employee in another", async () => {
    await expectSplit(new MemoryStore(), new MemoryStore());
  });

  for (const target of testTargets()) {
    describe(`Employee on an SqlStore (${target.name})`, () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await openTestDatabase(target, "inherited_models");
        await createTable(database.db, database.schema, EmployeeDefinition.sql!);
      });
      afterAll(async () => database?.close());

      it("Person in memory, Employee in SQL: merged, paged, typed", async () => {
        const employees = new SqlStore({
          db: database.db,
          table: EmployeeDefinition.sql!,
          schema: database.schema,
          querySchema: EmployeeDefinition.querySchema,
        });
        await expectSplit(new MemoryStore(), employees as unknown as Store<any>);
      });
    });
  }
});
