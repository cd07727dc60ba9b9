import { describe, expect, it } from "vitest";
import { compareValues, executeQuery, sortRecords, valueEquals } from "perstore";
import type { Results } from "perstore";
import { deepFreeze } from "./deep-freeze.js";

const people = deepFreeze([
  { id: 3, name: "b", age: 30, country: "CA", tags: ["x"] },
  { id: 1, name: "a", age: null, country: "IN" },
  { id: 2, name: "c", age: 30, country: "CA", kids: [{ id: 9, name: "k", kids: [{ id: 10 }] }] },
  { id: 4, name: "B", country: "FR" },
  { id: 5, name: "é", age: 20, country: "IN" },
]);

const ids = (r: unknown) => (r as { id: number }[]).map((x) => x.id);
const plain = (r: unknown) => [...(r as unknown[])];

describe("executeQuery", () => {
  it("keeps the input order when unsorted and returns totalCount", () => {
    const r = executeQuery(people, "country=CA") as Results<{ id: number }>;
    expect(ids(r)).toEqual([3, 2]);
    expect(r.totalCount).toBe(2);
  });

  it("sorts with nulls first ascending, last descending, ties by primary key, without touching the input", () => {
    expect(ids(executeQuery(people, "sort(+age)"))).toEqual([1, 4, 5, 2, 3]);
    // Ties are always broken by ascending primary key, whatever the direction.
    expect(ids(executeQuery(people, "sort(-age)"))).toEqual([2, 3, 5, 1, 4]);
    expect(ids(executeQuery(people, "sort(+name)"))).toEqual([4, 1, 3, 2, 5]); // code point order
    expect(ids(executeQuery(people, "sort(country,-name)"))).toEqual([2, 3, 4, 5, 1]);
    expect(ids(people)).toEqual([3, 1, 2, 4, 5]);
  });

  it("pages with limit and options, totalCount before paging, maxCount caps it", () => {
    const r = executeQuery(people, "sort(+id)&limit(2,1)") as Results<unknown>;
    expect(ids(r)).toEqual([2, 3]);
    expect(r.totalCount).toBe(5);
    expect((executeQuery(people, "limit(1,0,3)") as Results<unknown>).totalCount).toBe(3);
    expect(ids(executeQuery(people, "sort(+id)", { start: 3, end: 5 }))).toEqual([4, 5]);
    expect(ids(executeQuery(people, "sort(+id)&limit($1,$2)", { parameters: [1, 4] }))).toEqual([
      5,
    ]);
    expect(() => executeQuery(people, "limit($1)", { parameters: [-1] })).toThrow(
      expect.objectContaining({ code: "QUERY_BAD_VALUE" }),
    );
  });

  it("projects with select, unselect and values, then distinct by value and type", () => {
    expect(plain(executeQuery(people, "id<3&sort(id)&select(id,name)"))).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "c" },
    ]);
    expect(plain(executeQuery(people, "id=1&unselect(country,age)"))).toEqual([
      { id: 1, name: "a" },
    ]);
    expect(plain(executeQuery(people, "sort(id)&values(country)&distinct()"))).toEqual([
      "IN",
      "CA",
      "FR",
    ]);
    expect(plain(executeQuery(people, "id<3&sort(id)&values(id,name)"))).toEqual([
      [1, "a"],
      [2, "c"],
    ]);
    expect(
      plain(
        executeQuery([{ v: 1 }, { v: "1" }, { v: 1 }, { v: null }, {}], "values(v)&distinct()"),
      ),
    ).toEqual([1, "1", null]);
    expect(
      executeQuery(
        [
          { a: 1, b: 2 },
          { b: 2, a: 1 },
        ],
        "distinct()",
      ),
    ).toHaveLength(1);
  });

  it("computes result operators with defined empty cases", () => {
    expect(executeQuery(people, "count()")).toBe(5);
    expect(executeQuery(people, "sum(age)")).toBe(80);
    expect(executeQuery(people, "id>10&sum(age)")).toBe(0);
    expect(executeQuery(people, "mean(age)")).toBeCloseTo(80 / 3);
    expect(executeQuery(people, "id>10&mean(age)")).toBeUndefined();
    expect(executeQuery(people, "min(age)")).toBe(20);
    expect(executeQuery(people, "max(name)")).toBe("é");
    expect(executeQuery(people, "id>10&min(age)")).toBeUndefined();
    expect(executeQuery(people, "sort(-id)&first()")).toEqual(people[4]);
    expect(executeQuery(people, "id>10&first()")).toBeUndefined();
    expect(executeQuery(people, "id=4&one()")).toEqual(people[3]);
    expect(() => executeQuery(people, "id>10&one()")).toThrow(
      expect.objectContaining({ code: "QUERY_NOT_ONE" }),
    );
    expect(() => executeQuery(people, "one()")).toThrow(
      expect.objectContaining({ code: "QUERY_NOT_ONE" }),
    );
  });

  it("aggregates groups and recurses trees", () => {
    expect(
      plain(executeQuery(people, "aggregate(country,count(),sum(age),max(age))&sort(country)")),
    ).toEqual([
      { country: "CA", count: 2, sum_age: 60, max_age: 30 },
      { country: "FR", count: 1, sum_age: 0, max_age: undefined },
      { country: "IN", count: 2, sum_age: 20, max_age: 20 },
    ]);
    expect(ids(executeQuery(people, "id=2&recurse(kids)"))).toEqual([2, 9, 10]);
  });

  it("sorts, projects and reduces aggregate() rows by their output names", () => {
    expect(plain(executeQuery(people, "aggregate(country,count())&sort(-count,country)"))).toEqual([
      { country: "CA", count: 2 },
      { country: "IN", count: 2 },
      { country: "FR", count: 1 },
    ]);
    const nested = [{ a: { b: 1, c: 5 } }, { a: { b: 2, c: 7 } }, { a: { b: 1, c: 9 } }];
    expect(
      plain(executeQuery(nested, "aggregate(a/b,max(a/c))&sort(-max_a/c)&values(a/b)")),
    ).toEqual([1, 2]);
    expect(executeQuery(nested, "aggregate(a/b,count())&max(count)")).toBe(2);
    // Group names that are also Object.prototype names are ordinary own properties of the rows.
    const rows = executeQuery(
      [{ constructor: "x" }, { constructor: "x" }],
      "aggregate(constructor,count())",
    ) as object[];
    expect(Object.getOwnPropertyDescriptor(rows[0], "constructor")?.value).toBe("x");
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });

  it("accepts JSON queries, and checks against a schema when given", () => {
    expect(
      ids(executeQuery(people, { field: "country", compare: "in", value: ["FR", "IN"] })),
    ).toEqual([1, 4, 5]);
    const schema = {
      primaryKey: "id",
      fields: { id: "integer", name: "string", age: "number", country: "string" },
    } as const;
    expect(() => executeQuery(people, "nope=1", { schema })).toThrow(
      expect.objectContaining({ code: "QUERY_UNKNOWN_PROPERTY" }),
    );
  });

  it("never mutates records even with projections, sorts and aggregates", () => {
    executeQuery(people, "sort(-age)&select(id)&distinct()&limit(2)");
    executeQuery(people, "aggregate(country,count())&sort(-count)");
    executeQuery(people, "recurse(kids)&unselect(kids)");
  });
});

describe("building blocks", () => {
  it("valueEquals is strict and deep", () => {
    expect(valueEquals(1, "1")).toBe(false);
    expect(valueEquals(null, undefined)).toBe(true);
    expect(valueEquals(NaN, NaN)).toBe(true);
    expect(valueEquals(new Date(5), new Date(5))).toBe(true);
    expect(valueEquals(new Date(5), 5)).toBe(false);
    expect(valueEquals([1, { a: [2] }], [1, { a: [2] }])).toBe(true);
    expect(valueEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it("compareValues orders nulls, then by type, strings by code point", () => {
    // (Array.prototype.sort keeps undefined out of the comparator, so only null here.)
    const sorted = [new Date(2), "b", 2, null, true, "\u{1F600}", "\uFF5E", 1, new Date(1)].sort(
      compareValues,
    );
    expect(sorted[0]).toBe(null);
    expect(compareValues(undefined, null)).toBe(0);
    expect(compareValues(undefined, false)).toBeLessThan(0);
    expect(sorted.slice(1)).toEqual([
      true,
      1,
      2,
      "b",
      "\uFF5E",
      "\u{1F600}",
      new Date(1),
      new Date(2),
    ]);
  });

  it("sortRecords returns a new array", () => {
    const input = deepFreeze([{ id: 2 }, { id: 1 }]);
    const out = sortRecords(input, [{ path: ["id"], descending: false }], "id");
    expect(out).toEqual([{ id: 1 }, { id: 2 }]);
    expect(out).not.toBe(input);
  });
});

describe("executeQuery with options.copy", () => {
  // Counts what it copies, and marks each copy so the test can tell copies from the input's records.
  function copier() {
    const copied: number[] = [];
    const copy = (record: { id: number }) => {
      copied.push(record.id);
      return { ...record, copied: true };
    };
    return { copied, copy };
  }
  const allCopies = (r: unknown) =>
    (r as { copied?: boolean }[]).every((record) => record.copied === true);

  it("copies each record of a filtered result exactly once, in order", () => {
    const { copied, copy } = copier();
    const r = executeQuery(people, "country=CA|country=IN", { copy }) as Results<{ id: number }>;
    expect(ids(r)).toEqual([3, 1, 2, 5]);
    expect(allCopies(r)).toBe(true);
    expect(copied).toEqual([3, 1, 2, 5]);
    expect(r.totalCount).toBe(4);
  });

  it("copies every record of an empty filter into a new array", () => {
    const { copied, copy } = copier();
    const r = executeQuery(people, "", { copy });
    expect(r).not.toBe(people);
    expect(allCopies(r)).toBe(true);
    expect(copied).toEqual([3, 1, 2, 4, 5]);
  });

  it("copies only what a sorted or paged result keeps", () => {
    const sorted = copier();
    const page = executeQuery(people, "sort(-id)&limit(2,1)", { copy: sorted.copy });
    expect(ids(page)).toEqual([4, 3]);
    expect(allCopies(page)).toBe(true);
    expect(sorted.copied).toEqual([4, 3]);

    const ranged = copier();
    const slice = executeQuery(people, "country=CA|country=IN", {
      copy: ranged.copy,
      start: 1,
      end: 3,
    }) as Results<{ id: number }>;
    expect(ids(slice)).toEqual([1, 2]);
    expect(slice.totalCount).toBe(4);
    expect(ranged.copied).toEqual([1, 2]);
  });

  it("copies projected records, and leaves result operators' values to the caller", () => {
    const projected = copier();
    const r = executeQuery(people, "country=CA&select(id,tags)", { copy: projected.copy });
    expect(plain(r)).toEqual([
      { id: 3, tags: ["x"], copied: true },
      { id: 2, copied: true },
    ]);
    const counted = copier();
    expect(executeQuery(people, "country=CA&count()", { copy: counted.copy })).toBe(2);
    expect(counted.copied).toEqual([]);
  });
});
