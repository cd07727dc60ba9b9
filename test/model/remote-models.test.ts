/**
 * `createModels({ remote: url, token })`: the generated models over
 * RemoteStores on a perstore server (loopback), behaving exactly as over the
 * default memory stores: the same scenario (validation, conflicts, links,
 * named queries, paging, aggregates, patches, instance save/delete, model
 * hierarchies, facets, full-text search) gives the same outcomes on both.
 * The server's role still decides what the client may do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModels, openapi, type Models } from "../../generated/index.js";
import { PerstoreError } from "../../src/errors/index.js";
import { createHandler, hashToken, serveNode, type NodeServer } from "../../src/server/index.js";

const ADMIN = "remote-models-admin";
const READER = "remote-models-reader";
const AUTHOR = "00000000-0000-4000-8000-00000000a001";
const AUTHOR2 = "00000000-0000-4000-8000-00000000a002";
const ACME = "00000000-0000-4000-8000-00000000c001";
const ADA = "00000000-0000-4000-8000-00000000d001";
const BOB = "00000000-0000-4000-8000-00000000d002";
const isbn = (n: number) => `978000000000${n}`;

let server: NodeServer;
let served: Models;

beforeAll(async () => {
  served = createModels();
  const handler = createHandler({
    models: served,
    openapi,
    access: {
      roles: { admin: { "*": "*" }, reader: { Book: "catalog", Person: "directory" } },
      tokens: [
        { role: "admin", sha256: await hashToken(ADMIN) },
        { role: "reader", sha256: await hashToken(READER) },
      ],
    },
  });
  server = await serveNode(handler, { port: 0 });
});
afterAll(async () => {
  await server?.close();
});

/** What a value looks like from outside: instances by class and JSON, errors by class and code. */
function seen(value: unknown): unknown {
  if (Array.isArray(value)) {
    const total = (value as { totalCount?: number }).totalCount;
    return { items: value.map(seen), ...(total !== undefined ? { totalCount: total } : {}) };
  }
  if (value !== null && typeof value === "object")
    return { class: value.constructor.name, json: JSON.parse(JSON.stringify(value)) };
  return value;
}

/** The example app's scenario; each step's outcome (value or error), by name. */
async function scenario(m: Models): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const step = async (name: string, run: () => Promise<unknown>) => {
    try {
      out[name] = seen(await run());
    } catch (error) {
      const e = error as PerstoreError & { errors?: { pointer: string }[] };
      out[name] = {
        error: e.name,
        code: e.code,
        ...(e.errors ? { pointers: e.errors.map((issue) => issue.pointer) } : {}),
      };
    }
  };
  await step("author", () => m.Author.create({ id: AUTHOR, name: "Frank Herbert" }));
  await step("author2", () => m.Author.create({ id: AUTHOR2, name: "Ursula Le Guin" }));
  const titles = ["Dune", "Dune Messiah", "The Dispossessed", "Children of Dune"];
  for (const [i, title] of titles.entries())
    await step(`book ${i}`, () =>
      m.Book.create({
        isbn: isbn(i + 1),
        title,
        authorId: i === 2 ? AUTHOR2 : AUTHOR,
        coAuthorIds: i === 1 ? [AUTHOR2] : [],
        year: 1965 + i * 4,
        status: i === 3 ? "draft" : "published",
        genres: i === 2 ? ["science"] : ["fiction"],
      } as never),
    );
  await step("invalid create", () =>
    m.Book.create({ isbn: "12", title: "x", authorId: AUTHOR, year: 5 } as never),
  );
  await step("missing required", () => m.Book.create({ isbn: isbn(7) } as never));
  await step("duplicate create", () =>
    m.Book.create({ isbn: isbn(1), title: "Again", authorId: AUTHOR } as never),
  );
  await step("get", () => m.Book.get(isbn(1)));
  await step("get missing", () => m.Book.get(isbn(9)));
  await step("link one", async () => (await m.Book.get(isbn(1)))!.author());
  await step("link many", async () => (await m.Book.get(isbn(2)))!.coAuthors());
  await step("link back", async () => (await m.Author.get(AUTHOR))!.books());
  await step("named query", () => m.Book.queries.publishedBetween(1960, 1975));
  await step("named query on an array", () => m.Book.queries.byGenre("fiction"));
  await step("named query object form", () => m.Book.queries.inPrint());
  await step("page", () => m.Book.query("sort(+isbn)", { start: 1, end: 3 }));
  await step("empty page", () => m.Book.query("sort(+isbn)", { start: 2, end: 2 }));
  await step("count", () => m.Book.query("status=published&count()"));
  await step("select", () => m.Book.query("sort(-year)&select(isbn,year)&limit(2)"));
  await step("bad query", () => m.Book.query("eq(year,"));
  await step("unknown property", () => m.Book.query("nope=1"));
  await step("search", () => m.Book.query("search(dune)&sort(+isbn)"));
  await step("patch", () => m.Book.patch(isbn(1), { title: "Dune (revised)" }));
  await step("invalid patch", () => m.Book.patch(isbn(1), { year: 5 } as never));
  await step("patch missing", () => m.Book.patch(isbn(9), { title: "x" }));
  await step("save an instance", async () => {
    const book = (await m.Book.get(isbn(2)))!;
    book.title = "Messiah";
    await book.save();
    return m.Book.get(isbn(2));
  });
  await step("put", async () =>
    m.Book.put({ ...JSON.parse(JSON.stringify(await m.Book.get(isbn(3)))), year: 1974 }),
  );
  await step("delete an instance", async () => {
    await (await m.Book.get(isbn(4)))!.delete();
    return m.Book.query("sort(+isbn)&select(isbn)");
  });
  await step("delete missing", () => m.Book.delete(isbn(9)));
  await step("company", () => m.Company.create({ id: ACME, name: "Acme" } as never));
  await step("person", () =>
    m.Person.create({
      id: ADA,
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      country: "UK",
    } as never),
  );
  await step("employee", () =>
    m.Employee.create({
      id: BOB,
      firstName: "Bob",
      lastName: "Builder",
      email: "bob@example.com",
      country: "UK",
      employerId: ACME,
      jobTitle: "Builder",
      salary: 10,
    } as never),
  );
  await step("unique email", () =>
    m.Person.create({
      firstName: "Eve",
      lastName: "Twin",
      email: "ada@example.com",
    } as never),
  );
  await step("a base query gives sub-model instances", () =>
    m.Person.query("sort(+lastName)&select(id,lastName)"),
  );
  await step("a sub-model read through its base", () => m.Person.get(BOB));
  await step("mixins", async () => (await m.Person.get(ADA))!.fullName());
  await step("a sub-model's link", async () =>
    (
      (await m.Person.get(BOB)) as never as {
        employer(): Promise<unknown>;
      }
    ).employer(),
  );
  await step("facet query", () =>
    m.Person.facet("directory").query("country=UK&sort(+lastName)&limit(10)"),
  );
  await step("facet hidden", () => m.Person.facet("directory").query("email=x&limit(10)"));
  await step("facet named query", () => m.Person.facet("directory").queries.inCountry("UK"));
  // A facet without patch (typed facets leave the method out; at run time it is refused).
  const catalog = m.Book.facet("catalog") as unknown as {
    patch(id: string, changes: object): Promise<unknown>;
  };
  await step("facet write", () => catalog.patch(isbn(1), { title: "x" }));
  await step("facet filter", () => m.Book.facet("catalog").query("sort(+isbn)&limit(10)"));
  return out;
}

describe("createModels({ remote })", () => {
  it("the generated models behave over a server exactly as over memory stores", async () => {
    const local = await scenario(createModels());
    const remote = await scenario(createModels({ remote: server.url, token: ADMIN }));
    // Every step is compared, and the scenario is not trivially failing everywhere.
    expect(Object.keys(remote)).toEqual(Object.keys(local));
    for (const name of Object.keys(local)) expect(remote[name], name).toEqual(local[name]);
    expect(local["link one"]).toMatchObject({ class: "Author", json: { name: "Frank Herbert" } });
    expect(local["invalid create"]).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(local["a sub-model read through its base"]).toMatchObject({ class: "Employee" });
    // ...and the records are on the server.
    expect(await served.Book.get(isbn(1))).toMatchObject({ title: "Dune (revised)" });
  });

  it("takes the client's options as an object; the server's role decides what the client may do", async () => {
    const reader = createModels({ remote: { url: `${server.url}/`, token: READER, retries: 0 } });
    expect((await reader.Book.query("sort(+isbn)&limit(10)")).every((b) => !("price" in b))).toBe(
      true,
    );
    await expect(
      reader.Book.create({ isbn: isbn(8), title: "x", authorId: AUTHOR } as never),
    ).rejects.toMatchObject({ name: "AccessError", code: "ACCESS_METHOD" });
    await expect(reader.Author.get(AUTHOR)).rejects.toMatchObject({ code: "ACCESS_MODEL" });
    const anonymous = createModels({ remote: server.url });
    await expect(anonymous.Book.get(isbn(1))).rejects.toMatchObject({
      code: "ACCESS_UNAUTHENTICATED",
    });
  });

  it("refuses a remote that is not an http(s) URL, or one given with db", () => {
    expect(() => createModels({ remote: "ftp://x" })).toThrow(
      expect.objectContaining({ code: "STORE_BAD_OPTION" }),
    );
    expect(() => createModels({ remote: server.url, db: {} as never })).toThrow(
      expect.objectContaining({ code: "STORE_BAD_OPTION" }),
    );
  });
});
