import { describe, expect, it } from "vitest";
import {
  ConflictError,
  NotFoundError,
  PerstoreError,
  QueryError,
  ValidationError,
} from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import { Company, createModels, Person } from "./fixtures.js";

const ada = { name: "Ada", email: "ada@example.com", age: 36, salary: 100 };

async function caught(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function setup() {
  const stores = {
    Company: new MemoryStore<Record<string, unknown>>({
      indexes: [{ fields: ["name"], unique: true }],
    }),
    Person: new MemoryStore<Record<string, unknown>>({
      indexes: [{ fields: ["email"], unique: true }, "country", "age"],
    }),
  };
  return { stores, ...createModels({ stores }) };
}

describe("Model: create / get", () => {
  it("applies defaults, generates a uuid key, and returns an instance of the generated class", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    expect(p).toBeInstanceOf(Person);
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.country).toBe("FR");
    expect(p.active).toBe(true);
    expect(p.tags).toEqual([]);
    expect(p.describe("!")).toBe("Ada (36)!");
    const again = await people.get(p.id!);
    expect(again).toBeInstanceOf(Person);
    expect(again?.describe()).toBe("Ada (36)");
    expect(Object.keys(again!).sort()).toEqual([
      "active",
      "age",
      "country",
      "email",
      "id",
      "name",
      "salary",
      "tags",
    ]);
  });

  it("hands out copies: mutating an instance or the defaults changes nothing stored", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    p.tags!.push("x");
    p.name = "Changed";
    const stored = await people.get(p.id!);
    expect(stored?.name).toBe("Ada");
    expect(stored?.tags).toEqual([]);
    const other = await people.create({ name: "Bo", email: "bo@example.com" });
    expect(other.tags).toEqual([]);
  });

  it("get of a missing id is undefined", async () => {
    const { Person: people } = setup();
    expect(await people.get("nope")).toBeUndefined();
  });

  it("refuses invalid data with every error and its JSON pointer, writing nothing", async () => {
    const { Person: people, stores } = setup();
    const error = (await caught(
      people.create({ email: "not-an-email", age: -1, nickname: "x" } as never),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe("VALIDATION_FAILED");
    const pointers = error.errors.map((e) => `${e.keyword} ${e.pointer}`).sort();
    expect(pointers).toEqual([
      "additionalProperties /nickname",
      "format /email",
      "minimum /age",
      "required /name",
    ]);
    expect(stores.Person.query("")).toHaveLength(0);
  });

  it("enforces unique properties through the store's unique index", async () => {
    const { Person: people, stores } = setup();
    await people.create(ada);
    const error = await caught(people.create({ name: "Imposter", email: ada.email }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((await people.query("")).length).toBe(1);
    expect(stores.Person.query("name=Imposter")).toHaveLength(0);
  });

  it("never honours a record's own __proto__ or $schema", async () => {
    const { Person: people, Company: companies, stores } = setup();
    const input = JSON.parse(
      '{"__proto__": {"polluted": true}, "name": "Eve", "email": "eve@example.com"}',
    );
    const p = await people.create(input);
    expect(Object.getPrototypeOf(p)).toBe(Person.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((p as unknown as Record<string, unknown>).polluted).toBeUndefined();
    stores.Company.put({
      id: "c1",
      name: "Acme",
      $schema: "Person",
      __proto__: { evil: true },
    } as never);
    const c = await companies.get("c1");
    expect(c).toBeInstanceOf(Company);
    expect(Object.getPrototypeOf(c)).toBe(Company.prototype);
    expect((c as unknown as Record<string, unknown>).evil).toBeUndefined();
  });
});

describe("Model: nulls from the store", () => {
  it("reads a null as absent unless the schema admits null", async () => {
    const { Person: people, stores } = setup();
    const id = "0b7e1a52-5d0c-4f1e-8f59-9a3d2c1b0a77";
    stores.Person.put({
      id,
      name: "Nil",
      email: "nil@example.com",
      salary: null,
      friendIds: null,
      employerId: null,
    });
    const p = (await people.get(id))!;
    expect("salary" in p || "friendIds" in p).toBe(false);
    expect(p.employerId).toBeNull();
    expect(p.validate().valid).toBe(true);
    p.age = 5;
    await p.save();
    expect((await people.get(id))?.age).toBe(5);
  });
});

describe("Model: save / put / patch / delete", () => {
  it("save() validates and replaces the whole record, keeping the caller's instance current", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    p.age = 37;
    delete p.salary;
    const saved = await p.save();
    expect(saved).toBe(p);
    const stored = await people.get(p.id!);
    expect(stored?.age).toBe(37);
    expect(stored && "salary" in stored).toBe(false);
  });

  it("save() of invalid data throws and leaves the stored record as it was", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    p.age = -5;
    (p as unknown as Record<string, unknown>).extra = 1;
    const error = (await caught(p.save())) as ValidationError;
    expect(error.errors.map((e) => e.pointer).sort()).toEqual(["/age", "/extra"]);
    expect((await people.get(p.id!))?.age).toBe(36);
  });

  it("read-only properties cannot change after create (put, save, patch)", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    p.email = "other@example.com";
    const error = (await caught(p.save())) as ValidationError;
    expect(error.code).toBe("MODEL_READONLY");
    expect(error.errors[0]?.pointer).toBe("/email");
    expect(
      ((await caught(people.patch(p.id!, { email: "x@example.com" }))) as PerstoreError).code,
    ).toBe("MODEL_READONLY");
    expect(((await caught(people.patch(p.id!, { id: "other" }))) as PerstoreError).code).toBe(
      "MODEL_READONLY",
    );
    expect((await people.get(p.id!))?.email).toBe(ada.email);
  });

  it("put creates when absent and replaces when present", async () => {
    const { Person: people } = setup();
    const id = "5f0c6f7e-8a5b-4c1e-9a57-0d5b0c9b3b11";
    const created = await people.put({ id, name: "Cy", email: "cy@example.com" });
    expect(created).toBeInstanceOf(Person);
    const replaced = await people.put({ id, name: "Cyd", email: "cy@example.com", age: 3 });
    expect(replaced.name).toBe("Cyd");
    expect((await people.get(id))?.country).toBeUndefined(); // put applies no defaults
  });

  it("patch merges, validates, and an undefined value removes a property", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    const patched = await people.patch(p.id!, { age: 40, salary: undefined });
    expect(patched.age).toBe(40);
    expect(patched.name).toBe("Ada");
    expect("salary" in patched).toBe(false);
    expect(await caught(people.patch(p.id!, { age: "old" as never }))).toBeInstanceOf(
      ValidationError,
    );
    expect((await people.get(p.id!))?.age).toBe(40);
    expect(await caught(people.patch("missing", { age: 1 }))).toBeInstanceOf(NotFoundError);
  });

  it("deletes through the model and through an instance", async () => {
    const { Person: people } = setup();
    const a = await people.create(ada);
    const b = await people.create({ name: "Bo", email: "bo@example.com" });
    expect(await people.delete(a.id!)).toBe(true);
    expect(await people.delete(a.id!)).toBe(false);
    expect(await b.delete()).toBe(true);
    expect(await people.get(b.id!)).toBeUndefined();
  });

  it("validate() reports issues without writing; an unbound instance cannot save", async () => {
    const { Person: people } = setup();
    const p = await people.create(ada);
    expect(p.validate()).toEqual({ valid: true, errors: [] });
    p.age = 1.5;
    expect(p.validate().errors.map((e) => e.pointer)).toEqual(["/age"]);
    const loose = new Person();
    expect(((await caught(() => loose.save())) as PerstoreError).code).toBe("MODEL_UNBOUND");
    expect(JSON.parse(JSON.stringify(await people.get(p.id!)))).toMatchObject({
      name: "Ada",
      age: 36,
    });
  });
});

describe("Model: queries", () => {
  async function seeded() {
    const ctx = setup();
    await ctx.Person.create({ name: "Cleo", email: "c@example.com", age: 17 });
    await ctx.Person.create({ name: "Bea", email: "b@example.com", age: 30, country: "US" });
    await ctx.Person.create({ name: "Abe", email: "a@example.com", age: 50 });
    await ctx.Person.create({ name: "Dan", email: "d@example.com", age: 20 });
    return ctx;
  }

  it("query() returns instances with totalCount; projections and result operators stay plain", async () => {
    const { Person: people } = await seeded();
    const adults = await people.query("age>=18&sort(-age)&limit(2)");
    expect(adults.map((p) => p.name)).toEqual(["Abe", "Bea"]);
    expect(adults.totalCount).toBe(3);
    expect(adults[0]).toBeInstanceOf(Person);
    expect(adults[0]!.describe()).toBe("Abe (50)");
    const names = await people.query<string[] & { totalCount: number }>("sort(+name)&values(name)");
    expect([...names]).toEqual(["Abe", "Bea", "Cleo", "Dan"]);
    expect(names.totalCount).toBe(4);
    expect(await people.query("count()")).toBe(4);
    const first = await people.query<Person>("sort(+age)&first()");
    expect(first).toBeInstanceOf(Person);
    expect(first.name).toBe("Cleo");
    const selected = await people.query<Record<string, unknown>[]>(
      "sort(+name)&select(name)&limit(1)",
    );
    expect(selected[0]).toEqual({ name: "Abe" });
    expect(Object.getPrototypeOf(selected[0])).toBe(Object.prototype);
  });

  it("query() checks properties against the model's query schema", async () => {
    const { Person: people } = await seeded();
    expect(((await caught(people.query("nosuch=1"))) as QueryError).code).toBe(
      "QUERY_UNKNOWN_PROPERTY",
    );
  });

  it("named queries run with typed parameters", async () => {
    const { Person: people } = await seeded();
    const fr = await people.queries.adultsIn("FR");
    expect(fr.map((p) => p.name)).toEqual(["Abe", "Dan"]);
    expect(fr[0]).toBeInstanceOf(Person);
    expect(((await caught(() => people.queries.adultsIn(3 as never))) as QueryError).code).toBe(
      "QUERY_TYPE_MISMATCH",
    );
    expect(
      (
        (await caught(() =>
          (people.queries.adultsIn as (...a: unknown[]) => unknown)(),
        )) as QueryError
      ).code,
    ).toBe("QUERY_PARAMETERS");
  });

  it("named queries use the precompiled predicate on a store that only lists records", async () => {
    const memory = new MemoryStore<Record<string, unknown>>({});
    // A store without `query`: reads, writes, and a plain listing.
    const listing = {
      idProperty: "id",
      get: (id: string) => memory.get(id),
      put: (record: Record<string, unknown>, options?: object) => memory.put(record, options),
      add: (record: Record<string, unknown>) => memory.add(record),
      delete: (id: string) => memory.delete(id),
      find: () => memory.find(),
    };
    const { Person: people } = createModels({ stores: { Person: listing } });
    await people.create({ name: "Zed", email: "z@example.com", age: 40 });
    await people.create({ name: "Amy", email: "a@example.com", age: 40 });
    await people.create({ name: "Kid", email: "k@example.com", age: 4 });
    await people.create({ name: "Yan", email: "y@example.com", age: 40, country: "IN" });
    expect((await people.queries.adultsIn("FR")).map((p) => p.name)).toEqual(["Amy", "Zed"]);
    expect(((await caught(people.query("age=4"))) as PerstoreError).code).toBe("MODEL_UNSUPPORTED");
  });
});

describe("Model: links", () => {
  it("resolves to-one, reverse to-many and array-of-ids links through the registry", async () => {
    const { Person: people, Company: companies } = setup();
    const acme = await companies.create({ id: "acme", name: "Acme" });
    const bo = await people.create({ name: "Bo", email: "bo@example.com", employerId: "acme" });
    const al = await people.create({ name: "Al", email: "al@example.com", employerId: "acme" });
    const cy = await people.create({
      name: "Cy",
      email: "cy@example.com",
      friendIds: [al.id!, "missing", bo.id!],
    });
    const employer = await bo.employer();
    expect(employer).toBeInstanceOf(Company);
    expect(employer?.name).toBe("Acme");
    expect(await cy.employer()).toBeUndefined();
    const staff = await acme.employees();
    expect(staff.map((p) => p.name).sort()).toEqual(["Al", "Bo"]);
    expect(staff[0]).toBeInstanceOf(Person);
    expect((await cy.friends()).map((p) => p.name)).toEqual(["Al", "Bo"]);
    expect(await bo.friends()).toEqual([]);
    // Linked instances are full instances of their model: they save.
    employer!.country = "FR";
    await employer!.save();
    expect((await companies.get("acme"))?.country).toBe("FR");
    expect(((await caught(bo.$link("nope"))) as PerstoreError).code).toBe("MODEL_UNKNOWN_LINK");
  });
});

describe("createModelRegistry", () => {
  it("gives each model its own memory store with the model's indexes by default", async () => {
    const { Person: people, Company: companies } = createModels();
    await people.create(ada);
    expect(await caught(people.create({ name: "Twin", email: ada.email }))).toBeInstanceOf(
      ConflictError,
    );
    await companies.create({ id: "a", name: "Acme" });
    expect(await caught(companies.create({ id: "b", name: "Acme" }))).toBeInstanceOf(ConflictError);
    expect((await people.query("")).length).toBe(1);
    expect(await people.store()).toBeInstanceOf(MemoryStore);
  });
});
