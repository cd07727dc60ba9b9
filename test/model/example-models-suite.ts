/**
 * One suite of model tests over the example application (schemas/), run
 * against any way of making its models: the generated ones (`createModels`)
 * and the run-time ones (`defineModels` over the same schemas), each on the
 * memory store and on SQL. Same inputs, same outcomes: validation (every
 * error at its pointer, same codes), defaults, date-times, read-only
 * properties, mixin methods, save/delete, links, named queries, facets and
 * sub-models.
 */
import { expect, it } from "vitest";
import type { Models } from "../../generated/index.js";

/** Makes a fresh set of the example models (for SQL: over a migrated database). */
export type MakeExampleModels = () => Models;

const uuid = (): string => crypto.randomUUID();

/** Rejection details that must agree: the error's class, code and each issue's pointer and keyword. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    const e = error as {
      name: string;
      code: string;
      errors?: { pointer: string; keyword: string }[];
    };
    return {
      name: e.name,
      code: e.code,
      issues: e.errors
        ?.map((i) => `${i.pointer} ${i.keyword}`)
        .sort()
        .join(", "),
    };
  }
  throw new Error("expected a rejection");
}

/** Registers the suite's tests (call inside a `describe`). */
export function exampleModelTests(make: MakeExampleModels): void {
  it("validates every write: each error at its pointer, nothing stored", async () => {
    const { Author, Book, Person } = make();
    const author = await Author.create({ name: "Frank Herbert" } as never);
    expect(author.active).toBe(true); // default
    expect(
      await failure(
        Book.create({
          isbn: "12",
          title: "Dune",
          authorId: author.id,
          year: 99,
          colour: "red",
        } as never),
      ),
    ).toEqual({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: "/colour additionalProperties, /isbn pattern, /year minimum",
    });
    expect(await Book.query("count()")).toBe(0);
    expect(await failure(Person.create({ id: uuid(), firstName: "Ada" } as never))).toEqual({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: "/email required, /lastName required",
    });
    expect(
      await failure(
        Person.create({
          id: uuid(),
          firstName: "Ada",
          lastName: "L",
          email: "not an email",
          address: { city: "London", country: "United Kingdom" },
        } as never),
      ),
    ).toEqual({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: "/address/country maxLength, /email format",
    });

    const dune = await Book.create({
      isbn: "9780000000001",
      title: "Dune",
      authorId: author.id,
      publishedAt: "1965-08-01T10:00:00+02:00",
    } as never);
    expect(dune.status).toBe("draft"); // default
    expect(dune.publishedAt).toBe("1965-08-01T08:00:00.000Z"); // date-times in one stored form
    dune.year = 5000;
    expect(await failure(dune.save())).toEqual({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: "/year maximum",
    });
    expect(dune.validate().valid).toBe(false);
    expect((await Book.get(dune.isbn))?.year).toBeUndefined();
    expect(await failure(Book.patch(dune.isbn, { price: -1 }))).toEqual({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: "/price minimum",
    });

    const ada = await Person.create({
      id: uuid(),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.org",
      createdAt: "2024-01-01T00:00:00Z",
    } as never);
    expect(await failure(Person.patch(ada.id, { createdAt: "2025-01-01T00:00:00Z" }))).toEqual({
      name: "ValidationError",
      code: "MODEL_READONLY",
      issues: "/createdAt readonly",
    });
    expect(
      await failure(
        Person.create({ id: uuid(), firstName: "A", lastName: "B", email: "ada@example.org" }),
      ),
    ).toMatchObject({ name: "ConflictError" }); // email is unique
  });

  it("instances: mixin methods with `this`, save() and delete()", async () => {
    const { Person } = make();
    const ada = await Person.create({
      id: uuid(),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.org",
      birthDate: "1815-12-10",
    } as never);
    expect(ada.constructor.name).toBe("Person");
    expect(ada.fullName()).toBe("Ada Lovelace");
    expect(ada.ageOn(new Date("1852-11-27T00:00:00Z"))).toBe(36);
    expect(Object.keys(ada)).not.toContain("fullName"); // methods live on the prototype
    ada.nickname = "Enchantress";
    expect(await ada.save()).toBe(ada);
    const again = (await Person.get(ada.id))!;
    expect(again.nickname).toBe("Enchantress");
    expect(again.fullName()).toBe("Ada Lovelace");
    expect(JSON.parse(JSON.stringify(again))).toEqual({ ...again });
    expect(await again.delete()).toBe(true);
    expect(await Person.get(ada.id)).toBeUndefined();
    expect(await again.delete()).toBe(false);
  });

  it("links: to-one, to-many by ids, reverse, across models", async () => {
    const { Author, Book, Review, Person } = make();
    const frank = await Author.create({ name: "Frank Herbert" } as never);
    const brian = await Author.create({ name: "Brian Herbert" } as never);
    const dune = await Book.create({
      isbn: "9780000000001",
      title: "Dune",
      authorId: frank.id,
      coAuthorIds: [brian.id],
    } as never);
    const reader = await Person.create({
      id: uuid(),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.org",
    } as never);
    const review = await Review.create({
      id: uuid(),
      bookIsbn: dune.isbn,
      reviewerId: reader.id,
      rating: 5,
    } as never);
    const author = await dune.author();
    expect(author?.name).toBe("Frank Herbert");
    expect(author?.constructor.name).toBe("Author");
    expect((await dune.coAuthors()).map((a) => a.name)).toEqual(["Brian Herbert"]);
    expect((await dune.reviews()).map((r) => r.id)).toEqual([review.id]);
    expect((await review.reviewer())?.fullName()).toBe("Ada Lovelace");
    expect((await frank.books()).map((b) => b.isbn)).toEqual([dune.isbn]);
    await expect(dune.$link("nope")).rejects.toMatchObject({ code: "MODEL_UNKNOWN_LINK" });
  });

  it("named queries: typed parameters, sort, inherited by sub-models", async () => {
    const { Author, Book, Company, Person } = make();
    const author = await Author.create({ name: "Frank Herbert" } as never);
    for (const [isbn, title, year, genres, status] of [
      ["9780000000001", "Dune", 1965, ["science", "fiction"], "published"],
      ["9780000000002", "Emma", 1815, ["fiction"], "published"],
      ["9780000000003", "Ulysses", 1922, ["fiction"], "draft"],
    ] as const) {
      await Book.create({ isbn, title, authorId: author.id, year, genres, status } as never);
    }
    expect((await Book.queries.publishedBetween(1900, 2000)).map((b) => b.title)).toEqual([
      "Ulysses",
      "Dune",
    ]);
    expect((await Book.queries.byGenre("fiction")).map((b) => b.title)).toEqual([
      "Dune",
      "Emma",
      "Ulysses",
    ]);
    const inPrint = await Book.queries.inPrint();
    expect(inPrint.map((b) => b.title).sort()).toEqual(["Dune", "Emma"]);
    expect(inPrint.totalCount).toBe(2);
    await expect((Book.queries as any).publishedBetween("1900", 2000)).rejects.toMatchObject({
      name: "QueryError",
    });
    expect(Object.keys(Book.queries).sort()).toEqual(["byGenre", "inPrint", "publishedBetween"]);
    // Book's fullText fields answer search() (the memory index, or the SQL tsvector column).
    expect((await Book.query("search(dune)")).map((b) => b.title)).toEqual(["Dune"]);
    expect((await Author.queries.active()).map((a) => a.id)).toEqual([author.id]);
    await Company.create({ name: "Acme", size: "large" } as never);
    await Company.create({ name: "Bits" } as never);
    expect((await Company.queries.bySize("small")).map((c) => c.name)).toEqual(["Bits"]);
    await Person.create({
      id: uuid(),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.org",
      country: "UK",
    } as never);
    expect((await Person.queries.inCountry("UK")).map((p) => p.lastName)).toEqual(["Lovelace"]);
  });

  it("facets: methods, hidden and read-only properties, row filter, limits, named queries", async () => {
    const { Author, Book, Person } = make();
    const author = await Author.create({ name: "Frank Herbert" } as never);
    await Book.create({
      isbn: "9780000000001",
      title: "Dune",
      authorId: author.id,
      year: 1965,
      price: 9.5,
      status: "published",
    } as never);
    await Book.create({
      isbn: "9780000000002",
      title: "Draft",
      authorId: author.id,
      year: 1970,
    } as never);
    const catalog = Book.facet("catalog");
    const seen = await catalog.query("sort(+title)&limit(10)");
    expect(seen.map((b) => b.title)).toEqual(["Dune"]); // the row filter
    expect("price" in seen[0]!).toBe(false); // hidden
    expect(await catalog.get("9780000000002")).toBeUndefined();
    await expect(catalog.query("sort(+title)")).rejects.toMatchObject({ code: "ACCESS_LIMIT" });
    await expect(catalog.query("price=9.5&limit(5)")).rejects.toMatchObject({
      code: "ACCESS_PROPERTY",
    });
    await expect(
      (catalog as any).create({ isbn: "9780000000003", title: "X", authorId: author.id }),
    ).rejects.toMatchObject({ code: "ACCESS_METHOD" });
    expect((await catalog.queries.publishedBetween(1900, 2000)).map((b) => b.title)).toEqual([
      "Dune",
    ]);
    const editor = Book.facet("editor");
    await expect(editor.patch("9780000000001", { authorId: uuid() })).rejects.toMatchObject({
      code: "ACCESS_READONLY",
    });
    expect((await editor.patch("9780000000001", { price: 8 })).price).toBe(8);
    const directory = Person.facet("directory");
    await Person.create({
      id: uuid(),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.org",
      country: "UK",
    } as never);
    const people = await directory.queries.inCountry("UK");
    expect(people.map((p) => [p.lastName, "email" in p])).toEqual([["Lovelace", false]]);
    await expect((directory.queries as any).bornBefore("2000-01-01")).rejects.toMatchObject({
      code: "ACCESS_QUERY",
    });
    // An unknown name is a type error for generated models, and an AccessError at run time.
    // @ts-expect-error Book has no facet "nope"
    expect(() => Book.facet("nope")).toThrow(
      expect.objectContaining({ code: "MODEL_UNKNOWN_FACET" }),
    );
  });

  it("sub-models: an Employee is a Person (mixins, queries, links), stored with the people", async () => {
    const { Company, Employee, Person } = make();
    const acme = await Company.create({ name: `Acme ${uuid()}` } as never);
    const boss = await Employee.create({
      id: uuid(),
      firstName: "Bill",
      lastName: "Boss",
      email: `bill-${uuid()}@example.org`,
      country: "FR",
      employerId: acme.id,
      jobTitle: "CEO",
      salary: 300,
    } as never);
    const worker = await Employee.create({
      id: uuid(),
      firstName: "Milton",
      lastName: "Worker",
      email: `milton-${uuid()}@example.org`,
      country: "FR",
      employerId: acme.id,
      managerId: boss.id,
      jobTitle: "clerk",
      salary: 30,
    } as never);
    const plain = await Person.create({
      id: uuid(),
      firstName: "Pat",
      lastName: "Plain",
      email: `pat-${uuid()}@example.org`,
      country: "FR",
    } as never);
    expect(
      await failure(Employee.create({ id: uuid(), firstName: "No", lastName: "Job" } as never)),
    ).toEqual({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
      issues: "/email required, /employerId required, /jobTitle required",
    });
    expect(boss.fullName()).toBe("Bill Boss"); // the base's mixin
    expect(boss).toBeInstanceOf(Object.getPrototypeOf(plain).constructor); // an Employee is a Person
    const everyone = await Person.query("country=FR&sort(+lastName)");
    expect(everyone.map((p) => [p.lastName, p.constructor.name])).toEqual([
      ["Boss", "Employee"],
      ["Plain", "Person"],
      ["Worker", "Employee"],
    ]);
    expect((await Employee.query("country=FR&sort(+lastName)")).map((e) => e.lastName)).toEqual([
      "Boss",
      "Worker",
    ]);
    expect(await Employee.get(plain.id)).toBeUndefined();
    expect((await Employee.queries.earningMoreThan(100)).map((e) => e.lastName)).toEqual(["Boss"]);
    expect((await Employee.queries.inCountry("FR")).map((e) => e.lastName)).toEqual([
      "Boss",
      "Worker",
    ]);
    expect((await worker.manager())?.id).toBe(boss.id);
    expect((await boss.reports()).map((e) => e.id)).toEqual([worker.id]);
    expect((await worker.employer())?.id).toBe(acme.id);
    expect((await acme.employees()).map((e) => e.id).sort()).toEqual([boss.id, worker.id].sort());
    const viaPerson = (await Person.get(worker.id)) as typeof worker;
    expect(viaPerson.constructor.name).toBe("Employee");
    viaPerson.salary = 40;
    await viaPerson.save();
    expect((await Employee.get(worker.id))?.salary).toBe(40);
    expect(await Employee.delete(plain.id)).toBe(false);
    expect(await Person.delete(worker.id)).toBe(true);
  });
}
