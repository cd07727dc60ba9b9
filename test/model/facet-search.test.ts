/**
 * `search(words)` looks in the model's fullText fields, so through a facet it
 * is a query on each of them: a facet that hides one refuses the search
 * (ACCESS_PROPERTY), in the model layer and over HTTP, or a caller could
 * probe the hidden text word by word.
 */
import { describe, expect, it } from "vitest";
import { BookDefinition } from "../../generated/index.js";
import { checkNoHiddenProperty } from "../../src/model/facet-query-check.js";
import { createModelRegistry, type FacetDefinition } from "../../src/model/index.js";
import { parseQuery } from "../../src/query/index.js";
import { createHandler } from "../../src/server/index.js";

const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";

/** The example Book (fullText on title) with two more facets: one hides the searched title, one does not. */
function bookModels() {
  const facets: Record<string, FacetDefinition> = {
    ...BookDefinition.facets,
    blind: { methods: ["get", "query"], hidden: ["title"] },
    open: { methods: ["get", "query"], hidden: ["price"] },
  };
  const models = createModelRegistry({ Book: { ...BookDefinition, facets } as never });
  return models;
}

async function seeded() {
  const models = bookModels();
  for (const [i, title] of ["Dune", "Dune Messiah", "Secret Plans"].entries())
    await models.Book.create({
      isbn: `978000000000${i}`,
      title,
      authorId: AUTHOR,
      status: "published",
    } as never);
  return models;
}

describe("search() through a facet", () => {
  it("is refused when the facet hides a fullText field, however the search is nested", async () => {
    const { Book } = await seeded();
    const blind = Book.facet("blind" as never);
    for (const query of [
      "search(secret)",
      "not(search(secret))",
      "or(search(secret),year=1)",
      "status=published&search(plans)&count()",
    ]) {
      await expect(blind.query(query), query).rejects.toMatchObject({
        code: "ACCESS_PROPERTY",
        message: expect.stringContaining("title"),
      });
    }
    // The same facet still answers queries that do not search.
    expect(await blind.query("status=published&count()")).toBe(3);
  });

  it("answers when every fullText field is visible to the facet", async () => {
    const { Book } = await seeded();
    const open = Book.facet("open" as never);
    const found = (await open.query("search(dune)&sort(+isbn)")) as { isbn: string }[];
    expect(found.map((b) => b.isbn)).toEqual(["9780000000000", "9780000000001"]);
    expect(found.every((b) => !("price" in b))).toBe(true);
  });

  it("a named query's reveals may acknowledge the searched field", () => {
    const rules = { facet: "Book.blind", hidden: new Set(["title"]), searchFields: ["title"] };
    const query = parseQuery("search($1)");
    expect(() => checkNoHiddenProperty(query, rules, new Set(), "titled")).toThrow(
      /hides property title, which query titled searches/,
    );
    expect(() => checkNoHiddenProperty(query, rules, new Set(["title"]), "titled")).not.toThrow();
    expect(() =>
      checkNoHiddenProperty(parseQuery("search(x)"), { ...rules, hidden: new Set() }),
    ).not.toThrow();
  });

  it("over HTTP: 403 for the query and for an event stream, and nothing of the hidden text leaks", async () => {
    const models = await seeded();
    const handler = createHandler({
      models,
      access: { anonymous: "reader", roles: { reader: { Book: "blind" } } },
    });
    try {
      for (const accept of ["application/json", "text/event-stream"]) {
        const res = await handler(
          new Request("http://localhost/Book/?search(secret)", { headers: { accept } }),
        );
        expect(res.status, accept).toBe(403);
        const body = (await res.json()) as { code: string; message: string };
        expect(body.code).toBe("ACCESS_PROPERTY");
        expect(JSON.stringify(body)).not.toMatch(/Secret Plans/);
      }
      const plain = await handler(new Request("http://localhost/Book/?status=published"));
      expect(plain.status).toBe(200);
      expect(await plain.text()).not.toMatch(/Dune|Secret/);
    } finally {
      handler.close();
    }
  });
});
