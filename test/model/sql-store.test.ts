import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors/index.js";
import { createModelRegistry } from "../../src/model/index.js";
import { openDatabase } from "../../src/store/sql/open-database.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import { createTable } from "../store/sql/sql-test-db.js";
import { Company, CompanyDefinition, Person, PersonDefinition } from "./fixtures.js";

const companySpec: SqlTableSpec = {
  table: "company",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "country", type: "string", sqlType: "text", nullable: true },
  ],
};

const personSpec: SqlTableSpec = {
  table: "person",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "uuid", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "email", type: "string", sqlType: "text", nullable: false },
    { name: "age", type: "integer", sqlType: "integer", nullable: true },
    { name: "country", type: "string", sqlType: "text", nullable: true },
    { name: "active", type: "boolean", sqlType: "boolean", nullable: true },
    { name: "salary", type: "number", sqlType: "double precision", nullable: true },
    { name: "employerId", type: "string", sqlType: "text", nullable: true },
    { name: "friendIds", type: "array", sqlType: "text[]", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
  ],
};

const db = openDatabase("memory:");
const models = createModelRegistry(
  {
    Company: { ...CompanyDefinition, sql: companySpec },
    Person: { ...PersonDefinition, sql: personSpec },
  },
  { db },
);

beforeAll(async () => {
  await createTable(db, "public", companySpec);
  await createTable(db, "public", personSpec);
  await sql`create unique index person_email_key on person (email)`.execute(db);
});
afterAll(async () => {
  await db.destroy();
});

describe("createModelRegistry({ db })", () => {
  it("puts each model on a SqlStore over its table spec", async () => {
    expect(await models.Person.store()).toBeInstanceOf(SqlStore);
    const acme = await models.Company.create({ id: "acme", name: "Acme" });
    expect(acme).toBeInstanceOf(Company);
    const ann = await models.Person.create({
      name: "Ann",
      email: "ann@example.com",
      age: 30,
      employerId: "acme",
    });
    await models.Person.create({
      name: "Kid",
      email: "kid@example.com",
      age: 9,
      employerId: "acme",
    });
    expect(ann).toBeInstanceOf(Person);
    ann.age = 31;
    await ann.save();
    const got = await models.Person.get(ann.id!);
    expect([got?.age, got?.country, got?.tags]).toEqual([31, "FR", []]);
    expect((await got!.employer())?.name).toBe("Acme");
    expect((await acme.employees()).map((p) => p.name).sort()).toEqual(["Ann", "Kid"]);
    expect((await models.Person.queries.adultsIn("FR")).map((p) => p.name)).toEqual(["Ann"]);
    await expect(
      models.Person.create({ name: "Twin", email: "ann@example.com" }),
    ).rejects.toBeInstanceOf(ConflictError);
    const view = models.Person.facet("public");
    expect((await view.query("age>=18&limit(5)")).map((p) => p.name)).toEqual(["Ann"]);
  });
});
