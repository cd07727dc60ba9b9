/**
 * The studio's "As a JSON query object" view (src/studio/app/json-query.ts):
 * the JSON it shows for an RQL filter must be the same filter, so parsing it
 * back gives the AST the RQL gives (and the same records on the example
 * books); what JSON query objects cannot say is named, never mistranslated.
 */
import { describe, expect, it } from "vitest";
import { executeQuery, parseQuery } from "../../src/query/index.js";
import { jsonQueryOf } from "../../src/studio/app/json-query.js";

const books = Array.from({ length: 30 }, (_, i) => ({
  isbn: `97800000000${String(i).padStart(2, "0")}`,
  title: i % 4 === 0 ? `Dune ${i}` : `Book ${i}`,
  year: 1960 + i,
  status: i % 3 === 0 ? "draft" : "published",
  genres: i % 2 ? ["sf"] : ["drama", "sf"],
  ...(i % 5 === 0 ? {} : { price: 10 + i }),
}));

const ROUND_TRIPS = [
  "year>=2000",
  "year=gt=1970&status=published",
  "status=draft|year<1965",
  "and(or(eq(status,draft),ge(year,1980)),in(year,(1961,1962,1970)))",
  "contains(genres,drama)",
  "not(eq(status,draft))",
  "starts(title,Dune)",
  "ends(title,4)",
  "isnull(price)",
  "notnull(price)",
  "title=string:12",
  "title=$1",
];

/** The AST without the RQL literals' source text and written type (`raw`, `type`), which JSON has no counterpart for. */
function withoutRaw(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRaw);
  if (node === null || typeof node !== "object" || node instanceof Date) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "raw" && key !== "type")
      .map(([key, value]) => [key, withoutRaw(value)]),
  );
}

describe("jsonQueryOf", () => {
  it.each(ROUND_TRIPS)("%s: the JSON query object is the same filter", (rql) => {
    const json = jsonQueryOf(rql);
    expect(typeof json, JSON.stringify(json)).toBe("object");
    const parameters = ["Book 12"];
    expect(withoutRaw(parseQuery(json as never).filter)).toEqual(
      withoutRaw(parseQuery(rql).filter),
    );
    const same = (query: unknown) =>
      (executeQuery(books, query as never, { parameters }) as { isbn: string }[]).map(
        (b) => b.isbn,
      );
    expect(same(json)).toEqual(same(rql));
  });

  // ne, out and excludes are exact negations (QUERY.md): `not: true` on equals, in and contains.
  it.each([
    ["ne(status,draft)", { field: "status", compare: "equals", value: "draft", not: true }],
    ["out(year,(1961,1962))", { field: "year", compare: "in", value: [1961, 1962], not: true }],
    ["excludes(genres,drama)", { field: "genres", compare: "contains", value: "drama", not: true }],
    ["not(ne(status,draft))", { field: "status", compare: "equals", value: "draft" }],
  ])("%s: a negation, the same records", (rql, expected) => {
    const json = jsonQueryOf(rql);
    expect(json).toEqual(expected);
    const same = (query: unknown) =>
      (executeQuery(books, query as never) as { isbn: string }[]).map((b) => b.isbn);
    expect(same(json).length).toBeGreaterThan(0);
    expect(same(json)).toEqual(same(rql));
  });

  it("names what has no JSON form instead of mistranslating it", () => {
    expect(jsonQueryOf("match(title,Du*)")).toBe("match() has no JSON query form");
    expect(jsonQueryOf("not(and(gt(year,1970),eq(status,draft)))")).toMatch(/no JSON query form/);
    expect(jsonQueryOf("title=string:$2")).toMatch(/no JSON query form/);
    expect(jsonQueryOf("and(year")).toBeUndefined();
  });

  it("reads the bar's text as the server gets it: a space typed in a value is sent as %20", () => {
    expect(jsonQueryOf("title=Book 7&year>=1967")).toEqual({
      join: "and",
      terms: [
        { field: "title", compare: "equals", value: "Book 7" },
        { field: "year", compare: "ge", value: 1967 },
      ],
    });
  });

  it("a query with no filter (a sort alone) has an empty and", () => {
    expect(jsonQueryOf("sort(+year)")).toEqual({ join: "and", terms: [] });
  });
});
