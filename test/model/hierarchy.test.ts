import { describe, expect, it, onTestFinished } from "vitest";
import { MemoryStore, JsonFileStore } from "perstore";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createModelRegistry } from "perstore";
import { createModels, definitions, Employee, Person } from "../../generated/index.js";

const acme = "7d1f2c3a-0000-4000-8000-000000000001";

async function people(models: ReturnType<typeof createModels>) {
  const ada = await models.Person.create({
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    country: "UK",
  });
  const bob = await models.Employee.create({
    firstName: "Bob",
    lastName: "Builder",
    email: "bob@example.com",
    country: "UK",
    employerId: acme,
    jobTitle: "Builder",
    salary: 10,
  });
  return { ada, bob };
}

// Sub-models share their base model's store (as SQL shares one table): the discriminator picks the class.
describe("model hierarchies (allOf) on the default memory store", () => {
  it("a base query returns sub-model records as sub-model instances; a sub-model query only its own", async () => {
    const models = createModels();
    const { ada, bob } = await people(models);
    const all = await models.Person.query("sort(+firstName)");
    expect(all.map((p) => p.firstName)).toEqual(["Ada", "Bob"]);
    expect(all[0]).not.toBeInstanceOf(Employee);
    expect(all[1]).toBeInstanceOf(Employee);
    expect((all[1] as Employee).jobTitle).toBe("Builder");
    expect(await models.Person.get(bob.id)).toBeInstanceOf(Employee);
    const staff = await models.Employee.query("");
    expect(staff.map((p) => p.firstName)).toEqual(["Bob"]);
    expect(await models.Employee.get(ada.id)).toBeUndefined();
    expect(await models.Employee.query("count()")).toBe(1);
    expect(await models.Person.query("count()")).toBe(2);
    expect(
      (await models.Person.queries.inCountry("UK")).map((p: Person) => p.constructor.name),
    ).toEqual(["Employee", "Person"]);
  });

  it("the discriminator stays internal: not on instances, projections, nor a queryable property", async () => {
    const models = createModels();
    const { bob } = await people(models);
    expect(Object.keys((await models.Person.get(bob.id))!)).not.toContain("perstore_type");
    expect([...(await models.Person.query("select(firstName)&sort(+firstName)"))]).toEqual([
      { firstName: "Ada" },
      { firstName: "Bob" },
    ]);
    await expect(models.Person.query("perstore_type=Employee")).rejects.toMatchObject({
      code: "QUERY_UNKNOWN_PROPERTY",
    });
    // A record naming another model is not honoured: the model decides.
    const eve = await models.Person.create({
      firstName: "Eve",
      lastName: "X",
      email: "eve@example.com",
      perstore_type: "Employee",
    } as never);
    expect(eve).not.toBeInstanceOf(Employee);
    expect(await models.Employee.get(eve.id)).toBeUndefined();
  });

  it("writes keep each record's model; a sub-model cannot touch its base's records; unique spans the hierarchy", async () => {
    const models = createModels();
    const { ada, bob } = await people(models);
    // Saving an Employee reached through Person keeps it an Employee.
    const viaPerson = (await models.Person.get(bob.id))!;
    viaPerson.nickname = "Bobby";
    await viaPerson.save();
    expect(await models.Employee.get(bob.id)).toMatchObject({
      nickname: "Bobby",
      jobTitle: "Builder",
    });
    await expect(models.Employee.patch(ada.id, { jobTitle: "x" } as never)).rejects.toMatchObject({
      code: "STORE_NOT_FOUND",
    });
    expect(await models.Employee.delete(ada.id)).toBe(false);
    expect(await models.Person.get(ada.id)).toBeDefined();
    await expect(
      models.Employee.put({ ...ada, employerId: acme, jobTitle: "Spy" } as never),
    ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    expect(await models.Person.get(ada.id)).not.toBeInstanceOf(Employee);
    await expect(
      models.Employee.create({
        firstName: "A",
        lastName: "B",
        email: "ada@example.com",
        employerId: acme,
        jobTitle: "T",
      }),
    ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    expect(await models.Person.delete(bob.id)).toBe(true);
    expect(await models.Employee.query("")).toHaveLength(0);
  });

  it("a base model's facet writes a sub-model's record as the sub-model and returns its class", async () => {
    const staffFacet = { methods: ["get", "put", "patch"], hidden: ["email"] };
    const Person = { ...definitions.Person, facets: { staff: staffFacet } };
    // Employee's own `staff` facet governs its records read through Person.staff: it shows jobTitle and salary.
    const EmployeeWithStaff = { ...definitions.Employee, facets: { staff: staffFacet } };
    const models = createModelRegistry({ ...definitions, Person, Employee: EmployeeWithStaff });
    const { bob } = await people(models as unknown as ReturnType<typeof createModels>);
    const staff = models.Person.facet("staff");
    const seen = (await staff.get(bob.id))!;
    expect(seen).toBeInstanceOf(Employee);
    const patched = await staff.patch(bob.id, { nickname: "Bobby" });
    expect(patched).toBeInstanceOf(Employee);
    expect(patched).toMatchObject({ nickname: "Bobby", jobTitle: "Builder" });
    expect("email" in patched).toBe(false);
    const put = await staff.put({ ...seen, lastName: "B2" });
    expect(put).toBeInstanceOf(Employee);
    expect(await models.Employee.get(bob.id)).toMatchObject({
      lastName: "B2",
      email: "bob@example.com",
      jobTitle: "Builder",
    });
    await expect(staff.patch(bob.id, { salary: -1 } as never)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    // Its instances judge and link as Employees: Employee rules, Employee links (targets read-only).
    seen.salary = -1;
    expect(seen.validate().errors.map((issue) => issue.pointer)).toEqual(["/salary"]);
  });

  it("without its own facet of that name, a sub-model's own properties are hidden from its base's facet: not shown, not written, not queried", async () => {
    const Person = {
      ...definitions.Person,
      facets: { staff: { methods: ["get", "query", "put", "patch"], hidden: ["email"] } },
    };
    const models = createModelRegistry({ ...definitions, Person });
    const { bob } = await people(models as unknown as ReturnType<typeof createModels>);
    const staff = models.Person.facet("staff");
    const seen = (await staff.get(bob.id))!;
    expect(seen).toBeInstanceOf(Employee);
    expect(seen).toMatchObject({ firstName: "Bob", country: "UK" });
    for (const own of ["employerId", "jobTitle", "salary", "email"])
      expect(own in seen).toBe(false);
    const listed = await staff.query("firstName=Bob");
    expect(listed[0]).toBeInstanceOf(Employee);
    expect("salary" in listed[0]!).toBe(false);
    // A projection's rows no longer say their model: they leave out every sub-model's own properties.
    expect([...(await staff.query("unselect(nickname)&firstName=Bob"))]).toEqual([
      expect.not.objectContaining({ salary: expect.anything() }),
    ]);
    // Person's queries do not know Employee's own properties at all.
    for (const probe of ["salary=10", "gt(salary,5)", "sort(-salary)", "select(salary)"])
      await expect(staff.query(probe)).rejects.toMatchObject({ code: "QUERY_UNKNOWN_PROPERTY" });
    await expect(staff.patch(bob.id, { salary: 99 } as never)).rejects.toMatchObject({
      code: "ACCESS_PROPERTY",
    });
    // A full replace keeps what the facet cannot see; the record is still a valid Employee.
    await staff.put({ ...seen, nickname: "Bobby" });
    await staff.patch(bob.id, { lastName: "B2" });
    expect(await models.Employee.get(bob.id)).toMatchObject({
      nickname: "Bobby",
      lastName: "B2",
      salary: 10,
      jobTitle: "Builder",
      employerId: acme,
    });
    // Its instances judge only what the facet shows.
    expect(seen.validate().valid).toBe(true);
  });

  it("what a sub-model's facet hides of its base's properties, its base's facet can neither show nor query", async () => {
    const Person = { ...definitions.Person, facets: { staff: { methods: ["get", "query"] } } };
    const EmployeeWithStaff = {
      ...definitions.Employee,
      facets: { staff: { methods: ["get", "query"], hidden: ["country", "salary"] } },
    };
    const models = createModelRegistry({ ...definitions, Person, Employee: EmployeeWithStaff });
    const { ada, bob } = await people(models as unknown as ReturnType<typeof createModels>);
    const staff = models.Person.facet("staff");
    expect((await staff.get(ada.id))!.country).toBe("UK");
    const seenBob = (await staff.get(bob.id))!;
    expect("country" in seenBob).toBe(false);
    expect(seenBob).toMatchObject({ jobTitle: "Builder" });
    // Filtering or sorting on it would tell Bob's country: refused for every record.
    for (const probe of ["country=UK", "sort(+country)"])
      await expect(staff.query(probe)).rejects.toMatchObject({ code: "ACCESS_PROPERTY" });
  });

  it("a sub-model's facet may grant no more than its base's facet of the same name", () => {
    // Checked at build time (SCHEMA_FACET_WIDER_THAN_BASE, test/compiler); the example app obeys it.
    const base = definitions.Person.facets!.directory!;
    const own = definitions.Employee.facets!.directory!;
    expect(own.methods.every((m) => base.methods.includes(m))).toBe(true);
    expect(base.hidden!.every((p) => own.hidden!.includes(p))).toBe(true);
  });

  it("an Employee read through a Person facet follows Employee links, and shows what Employee's facet of that name shows", async () => {
    const models = createModels();
    const company = await models.Company.create({ id: acme, name: "Acme" });
    const { bob } = await people(models);
    const seen = (await models.Person.facet("directory").get(bob.id)) as unknown as Employee;
    expect(seen).toBeInstanceOf(Employee);
    expect(seen).toMatchObject({ firstName: "Bob", employerId: acme, jobTitle: "Builder" });
    for (const hidden of ["salary", "startedOn", "email", "birthDate", "address"])
      expect(hidden in seen).toBe(false);
    await expect(
      models.Person.facet("directory").query("salary=10&limit(5)"),
    ).rejects.toMatchObject({ code: "QUERY_UNKNOWN_PROPERTY" });
    const inCountry = await models.Person.facet("directory").queries.inCountry("UK");
    expect(inCountry.map((p) => "salary" in p)).toEqual([false, false]);
    const employer = await seen.employer();
    expect(employer?.name).toBe(company.name);
    await expect(employer!.save()).rejects.toMatchObject({ code: "ACCESS_METHOD" });
    const listed = (
      await models.Person.facet("directory").query("sort(+firstName)&limit(5)")
    )[1] as unknown as Employee;
    expect((await listed.employer())?.id).toBe(acme);
  });

  it("the root's given store is the hierarchy's store; a sub-model's own store holds its records, and its base reads it too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "perstore-hierarchy-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "people.json");
    const shared = createModels({ stores: { Person: new JsonFileStore({ path: file }) } });
    await people(shared);
    expect(await shared.Person.query("count()")).toBe(2);
    expect(readFileSync(file, "utf8")).toContain("Employee");
    const employees = new MemoryStore();
    const separate = createModels({ stores: { Employee: employees } });
    const { bob } = await people(separate);
    // Bob lives in the Employee store; Person reads it too (through inherited).
    expect(await employees.get(bob.id)).toBeDefined();
    expect(await separate.Person.query("count()")).toBe(2);
  });
});

describe("a sub-model's named queries", () => {
  it("include its base's, run on the sub-model's own view (sub-model instances only)", async () => {
    for (const models of [
      createModels(),
      createModels({ stores: { Person: new MemoryStore() } }),
    ]) {
      await people(models);
      const staff = await models.Employee.queries.inCountry("UK");
      expect(staff.map((e: Employee) => e.firstName)).toEqual(["Bob"]);
      expect(staff[0]).toBeInstanceOf(Employee);
      expect(staff[0]!.jobTitle).toBe("Builder");
      expect(await models.Employee.queries.bornBefore("3000-01-01")).toHaveLength(0);
      expect((await models.Person.queries.inCountry("UK")).map((p: Person) => p.firstName)).toEqual(
        ["Bob", "Ada"],
      );
    }
  });
});
