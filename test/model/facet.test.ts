import { describe, expect, it } from "vitest";
import { AccessError, NotFoundError, type PerstoreError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import { parseQuery } from "../../src/query/index.js";
import { valueOf, withMaxLimit } from "../../src/model/query-helpers.js";
import {
  createModelRegistry,
  type FacetDefinition,
  type ModelDefinition,
} from "../../src/model/index.js";
import {
  Company,
  CompanyDefinition,
  createModels,
  Person,
  PersonDefinition,
  type PersonData,
} from "./fixtures.js";

async function code(action: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as PerstoreError).code;
  }
  throw new Error("expected a rejection");
}

async function seeded() {
  const stores = {
    Person: new MemoryStore<Record<string, unknown>>({}),
    Company: new MemoryStore<Record<string, unknown>>({}),
  };
  const models = createModels({ stores });
  const acme = await models.Company.create({ id: "acme", name: "Acme" });
  const ann = await models.Person.create({
    name: "Ann",
    email: "ann@example.com",
    age: 30,
    salary: 10,
    employerId: "acme",
  });
  const bob = await models.Person.create({
    name: "Bob",
    email: "bob@example.com",
    age: 40,
    salary: 20,
    active: false,
  });
  const cat = await models.Person.create({
    name: "Cat",
    email: "cat@example.com",
    age: 20,
    salary: 30,
    friendIds: [],
  });
  return { ...models, stores, acme, ann, bob, cat };
}

describe("read-only facet (public)", () => {
  it("hides properties and filters rows on get", async () => {
    const { Person: people, ann, bob } = await seeded();
    const view = people.facet("public");
    const got = await view.get(ann.id!);
    expect(got).toBeInstanceOf(Person);
    expect(got?.describe()).toBe("Ann (30)");
    expect(got && ("salary" in got || "email" in got)).toBe(false);
    expect(await view.get(bob.id!)).toBeUndefined();
  });

  it("queries see only filtered rows, never hidden properties", async () => {
    const { Person: people } = await seeded();
    const view = people.facet("public");
    const found = await view.query("sort(+age)&limit(10)");
    expect(found.map((p) => p.name)).toEqual(["Cat", "Ann"]);
    expect(found.totalCount).toBe(2);
    expect(found.every((p) => !("salary" in p) && !("email" in p))).toBe(true);
    expect(await view.query("age>=18&count()&limit(10)")).toBe(2);
    expect(await code(view.query("select(salary)&limit(5)"))).toBe("ACCESS_PROPERTY");
    expect(await code(view.query("values(email)&limit(5)"))).toBe("ACCESS_PROPERTY");
    expect(await code(view.query("salary>15&limit(5)"))).toBe("ACCESS_PROPERTY");
    expect(await code(view.query("sort(-salary)&limit(5)"))).toBe("ACCESS_PROPERTY");
  });

  it("enforces allowed operators, indexed properties and the limit", async () => {
    const view = (await seeded()).Person.facet("public");
    expect(await code(view.query("age>=18"))).toBe("ACCESS_LIMIT");
    expect(await code(view.query("age>=18&limit(11)"))).toBe("ACCESS_LIMIT");
    expect(await code(view.query("age>=18&limit($1)", { parameters: [50] }))).toBe("ACCESS_LIMIT");
    expect(await view.query("age>=18&limit($1)", { parameters: [1] })).toHaveLength(1);
    expect(await code(view.query("name=Ann&limit(5)"))).toBe("ACCESS_INDEX");
    expect(await code(view.query("sort(+name)&limit(5)"))).toBe("ACCESS_INDEX");
    expect(await code(view.query("starts(country,F)&limit(5)"))).toBe("ACCESS_OPERATOR");
    expect(await code(view.query("(age=1|age=30)&limit(5)"))).toBe("ACCESS_OPERATOR");
    expect(await code(view.query("age=30&distinct()&limit(5)"))).toBe("ACCESS_OPERATOR");
    expect(await view.query("age=30&country=FR&limit(5)")).toHaveLength(1);
  });

  it("denies every write, by every path", async () => {
    const { Person: people, ann, bob, stores } = await seeded();
    const view = people.facet("public") as unknown as Record<
      string,
      (...args: unknown[]) => Promise<unknown>
    >;
    expect(await code(view.create!({ name: "X", email: "x@example.com" }))).toBe("ACCESS_METHOD");
    expect(await code(view.put!({ ...ann, name: "X" }))).toBe("ACCESS_METHOD");
    expect(await code(view.patch!(ann.id!, { name: "X" }))).toBe("ACCESS_METHOD");
    expect(await code(view.delete!(ann.id!))).toBe("ACCESS_METHOD");
    const got = (await people.facet("public").get(ann.id!))!;
    got.name = "X";
    expect(await code(got.save())).toBe("ACCESS_METHOD");
    expect(await code(got.delete())).toBe("ACCESS_METHOD");
    const listed = (await people.facet("public").query("limit(5)"))[0]!;
    expect(await code(listed.save())).toBe("ACCESS_METHOD");
    const [named] = await people.facet("public").queries.adultsIn("FR");
    expect(await code(named!.save())).toBe("ACCESS_METHOD");
    // Records reached through a link from a facet instance are read-only too.
    const employer = (await got.employer()) as Company;
    expect(employer).toBeInstanceOf(Company);
    expect(await code(employer.save())).toBe("ACCESS_METHOD");
    expect(await code(employer.delete())).toBe("ACCESS_METHOD");
    expect(stores.Person.query("name=X")).toHaveLength(0);
    expect(stores.Company.query("")).toHaveLength(1);
    expect((await people.get(bob.id!))?.name).toBe("Bob");
    // The facet exposes no way back to the model or its store.
    expect(
      Object.values(people.facet("public")).some((v) => v === people || v instanceof MemoryStore),
    ).toBe(false);
  });

  it("named queries through a facet apply its filter and hide its properties", async () => {
    const { Person: people } = await seeded();
    await people.create({ name: "Old", email: "old@example.com", age: 80, active: false });
    const adults = await people.facet("public").queries.adultsIn("FR");
    expect(adults.map((p) => p.name)).toEqual(["Ann", "Cat"]);
    expect(adults.some((p) => "salary" in p)).toBe(false);
  });

  it("named queries through a facet return at most its maxLimit records, on query and listing stores", async () => {
    const memory = new MemoryStore<Record<string, unknown>>({});
    // A store without `query`: named queries run the precompiled predicate over find().
    const listing = {
      idProperty: "id",
      get: (id: string) => memory.get(id),
      add: (record: Record<string, unknown>) => memory.add(record),
      find: () => memory.find(),
    };
    for (const stores of [{}, { Person: listing }]) {
      const { Person: people } = createModels({ stores });
      const names = Array.from({ length: 12 }, (_, i) => `P${String(i).padStart(2, "0")}`);
      for (const name of [...names].reverse())
        await people.create({ name, email: `${name}@example.com`, age: 30 });
      const capped = await people.facet("public").queries.adultsIn("FR");
      expect(capped.map((p) => p.name)).toEqual(names.slice(0, 10));
      // The model itself is not capped; a facet without maxLimit neither.
      expect(await people.queries.adultsIn("FR")).toHaveLength(12);
      expect(await people.facet("editor").queries.adultsIn("FR")).toHaveLength(12);
    }
  });

  it("withMaxLimit lowers a larger limit (literal or $n), adds one when missing, keeps a smaller one", () => {
    const count = (query: string, parameters: unknown[] = []) => {
      const limit = withMaxLimit(parseQuery(query), 10, parameters).limit;
      return [limit?.count, limit?.start].map((node) =>
        node === undefined ? undefined : valueOf(node, parameters),
      );
    };
    expect(count("age=1")).toEqual([10, undefined]);
    expect(count("limit(5)")).toEqual([5, undefined]);
    expect(count("limit(20,3)")).toEqual([10, 3]);
    expect(count("limit($1)", [4])).toEqual([4, undefined]);
    expect(count("limit($1)", [40])).toEqual([10, undefined]);
  });

  it("an unknown facet is refused", async () => {
    const { Person: people } = await seeded();
    expect(await code(() => people.facet("nope"))).toBe("MODEL_UNKNOWN_FACET");
    expect(await code(() => people.facet("toString"))).toBe("MODEL_UNKNOWN_FACET");
  });
});

describe("editing facet (editor)", () => {
  it("creates within its rules: no hidden or read-only properties, defaults allowed", async () => {
    const { Person: people } = await seeded();
    const editor = people.facet("editor");
    const dee = await editor.create({ name: "Dee", email: "dee@example.com" });
    expect(dee).toBeInstanceOf(Person);
    expect(dee.country).toBe("FR");
    expect(await code(editor.create({ name: "Eve", email: "eve@example.com", salary: 5 }))).toBe(
      "ACCESS_PROPERTY",
    );
    expect(
      await code(editor.create({ name: "Fay", email: "fay@example.com", country: "US" })),
    ).toBe("ACCESS_READONLY");
    expect(
      await code(editor.create({ name: "Gus", email: "gus@example.com", active: false })),
    ).toBe("ACCESS_FILTER");
    expect((await people.query("name=Eve|name=Fay|name=Gus")).length).toBe(0);
  });

  it("saves keep hidden properties and refuse read-only changes", async () => {
    const { Person: people, ann } = await seeded();
    const editor = people.facet("editor");
    const seen = (await editor.get(ann.id!))!;
    expect("salary" in seen).toBe(false);
    seen.age = 31;
    await seen.save();
    expect(seen.age).toBe(31);
    expect("salary" in seen).toBe(false);
    const stored = await people.get(ann.id!);
    expect(stored?.age).toBe(31);
    expect(stored?.salary).toBe(10);
    seen.country = "US";
    expect(await code(seen.save())).toBe("ACCESS_READONLY");
    expect(await code(editor.patch(ann.id!, { country: "IN" }))).toBe("ACCESS_READONLY");
    expect(await code(editor.patch(ann.id!, { salary: 99 }))).toBe("ACCESS_PROPERTY");
    expect(await code(editor.patch(ann.id!, { active: false }))).toBe("ACCESS_FILTER");
    expect(await code(seen.delete())).toBe("ACCESS_METHOD");
    const after = await people.get(ann.id!);
    expect([after?.country, after?.salary, after?.active]).toEqual(["FR", 10, true]);
    expect((await editor.patch(ann.id!, { age: 32 })).age).toBe(32);
  });

  it("cannot see or touch rows outside its filter", async () => {
    const { Person: people, bob } = await seeded();
    const editor = people.facet("editor");
    expect(await editor.get(bob.id!)).toBeUndefined();
    expect(await code(editor.patch(bob.id!, { age: 1 }))).toBe("STORE_NOT_FOUND");
    const { id: _id, ...rest } = { ...(await people.get(bob.id!))! };
    expect(await code(editor.put({ ...rest, id: bob.id!, active: true }))).toBe("STORE_NOT_FOUND");
    expect(await editor.query("name=Bob")).toHaveLength(0);
    expect((await people.get(bob.id!))?.age).toBe(40);
    expect(new NotFoundError("x")).toBeInstanceOf(Error);
    expect(new AccessError("x").code).toBe("ACCESS_DENIED");
  });
});

describe("named queries through a facet", () => {
  const named = (source: string, type: "number" | "string" = "number") => ({
    source,
    query: parseQuery(source),
    parameters: source.includes("$1") ? [{ index: 1, type }] : [],
  });
  /** Person with queries that read the hidden `salary`/`email`, and facets listing them in different ways. */
  async function withFacets(facets: Record<string, FacetDefinition>) {
    const Person = {
      ...PersonDefinition,
      queries: {
        ...PersonDefinition.queries,
        earnsOver: named("gt(salary,$1)&sort(+name)"),
        byEmail: named("ge(age,18)&sort(+email)"),
        withEmail: named("ge(age,18)&select(name,email)"),
        richest: named("aggregate(country,max(salary))"),
      },
      facets,
    } as ModelDefinition<PersonData, Person>;
    const models = createModelRegistry(
      { Company: CompanyDefinition, Person },
      { stores: { Person: new MemoryStore({}), Company: new MemoryStore({}) } },
    );
    for (const [name, salary] of [
      ["Ann", 10],
      ["Bob", 20],
      ["Cat", 30],
    ] as const)
      await models.Person.create({ name, email: `${name}@example.com`, age: 30, salary });
    return models.Person;
  }
  const hidden = { methods: ["get", "query"], hidden: ["salary", "email"] };

  it("a facet exposes only the named queries it lists (none without `queries`)", async () => {
    const people = await withFacets({
      none: hidden,
      listed: { ...hidden, queries: ["adultsIn"] },
      onlyNamed: { methods: ["get"], hidden: ["salary"], queries: ["adultsIn"] },
    });
    expect(await code(people.facet("none").queries["adultsIn"]!("FR"))).toBe("ACCESS_QUERY");
    expect(await code(people.facet("listed").queries["earnsOver"]!(15))).toBe("ACCESS_QUERY");
    expect(await people.facet("listed").queries["adultsIn"]!("FR")).toHaveLength(3);
    // The list is the grant: a facet without `query` may still run the named queries it lists.
    const onlyNamed = people.facet("onlyNamed");
    expect((await onlyNamed.queries["adultsIn"]!("FR")).map((p) => p.name)).toEqual([
      "Ann",
      "Bob",
      "Cat",
    ]);
    expect(await code(onlyNamed.query("limit(1)"))).toBe("ACCESS_METHOD");
  });

  it("a listed query that names a hidden property is refused, in its filter, sort, select or aggregate", async () => {
    const people = await withFacets({
      leaky: { ...hidden, queries: ["earnsOver", "byEmail", "withEmail", "richest"] },
    });
    const leaky = people.facet("leaky");
    // Repeated calls would reveal each salary: every call is refused before it runs.
    for (const threshold of [5, 15, 25])
      expect(await code(leaky.queries["earnsOver"]!(threshold))).toBe("ACCESS_PROPERTY");
    await expect(leaky.queries["earnsOver"]!(15)).rejects.toThrow(
      /hides property salary, which query earnsOver reads/,
    );
    expect(await code(leaky.queries["byEmail"]!())).toBe("ACCESS_PROPERTY");
    expect(await code(leaky.queries["withEmail"]!())).toBe("ACCESS_PROPERTY");
    expect(await code(leaky.queries["richest"]!())).toBe("ACCESS_PROPERTY");
    // The model itself runs them.
    expect((await people.queries["earnsOver"]!(15)).map((p) => p.name)).toEqual(["Bob", "Cat"]);
  });

  it("`reveals` acknowledges exactly the hidden properties a query may read; results still hide them", async () => {
    const people = await withFacets({
      acknowledged: { ...hidden, queries: [{ name: "earnsOver", reveals: ["salary"] }] },
      wrongOne: { ...hidden, queries: [{ name: "earnsOver", reveals: ["email"] }] },
    });
    const found = await people.facet("acknowledged").queries["earnsOver"]!(15);
    expect(found.map((p) => p.name)).toEqual(["Bob", "Cat"]);
    expect(found.some((p) => "salary" in p || "email" in p)).toBe(false);
    expect(await code(people.facet("wrongOne").queries["earnsOver"]!(15))).toBe("ACCESS_PROPERTY");
  });

  it("ad-hoc queries name no hidden property either, in any clause", async () => {
    const view = (await withFacets({ h: hidden })).facet("h");
    for (const q of [
      "salary>1",
      "sort(+email)",
      "select(email)",
      "aggregate(country,sum(salary))",
      "max(salary)",
      "not(email=x)",
    ])
      expect(await code(view.query(q))).toBe("ACCESS_PROPERTY");
    expect([...(await view.query<object[]>("aggregate(country,count())"))]).toEqual([
      { country: "FR", count: 3 },
    ]);
  });
});
