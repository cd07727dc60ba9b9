/**
 * The query engine's page shortcuts give the answers of the long way: a
 * bounded top-k (`firstSorted`) is the full sort's first records, a capped
 * count (`maxCount`) is min(count, cap) with the same page whether or not
 * filtering stopped early, and an empty filter hands back a new array.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { executeQuery, type Results } from "perstore";
import { firstSorted, sortRecords } from "../../src/query/sort-records.js";

// Few distinct values, so sort keys tie often; nulls, missing, NaN, mixed types, dates and arrays.
const value = fc.oneof(
  fc.constantFrom(null, undefined, true, false, NaN, 0, 1, 2, "", "a", "b", "\u{1F600}"),
  fc.integer({ min: -3, max: 3 }),
  fc.date({ min: new Date(0), max: new Date(3), noInvalidDate: true }),
  fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
);
const records = fc
  .array(fc.record({ a: value, b: value }, { requiredKeys: [] }), { maxLength: 60 })
  // Unique ids, in a shuffled order (the tie-break must not follow the input order).
  .chain((list) =>
    fc
      .shuffledSubarray(
        list.map((_, i) => i),
        { minLength: list.length, maxLength: list.length },
      )
      .map((ids) => list.map((record, i) => ({ id: ids[i]!, ...record }))),
  );
const sortKeys = fc.array(
  fc.record({ path: fc.constantFrom(["a"], ["b"], ["id"]), descending: fc.boolean() }),
  { minLength: 1, maxLength: 2 },
);

describe("firstSorted (a sorted page's bounded top-k)", () => {
  it("gives the first records of the full sort, on random data with nulls and ties", () => {
    fc.assert(
      fc.property(records, sortKeys, fc.nat({ max: 70 }), (list, keys, count) => {
        const expected = sortRecords(list, keys, "id").slice(0, count);
        expect(firstSorted(list, keys, "id", count)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});

describe("executeQuery with a page and a capped count", () => {
  const filters = fc.constantFrom("", "a=1", "b=gt=0", "or(a=a,b=true)", "not(a=null)");
  const sorts = fc.constantFrom("", "&sort(+a)", "&sort(-b,+a)");
  const limits = fc.constantFrom("", "&limit(5)", "&limit(10,3)", "&limit(10,2,6)");

  it("is the uncapped page, with totalCount = min(matches, maxCount)", () => {
    fc.assert(
      fc.property(
        records,
        filters,
        sorts,
        limits,
        fc.nat({ max: 20 }),
        fc.nat({ max: 30 }),
        fc.nat({ max: 40 }),
        (list, filter, sort, limit, start, size, maxCount) => {
          const query = `${filter}${sort}${limit}`.replace(/^&/, "");
          const page = { start, end: start + size };
          const full = executeQuery(list, query, page) as Results<unknown>;
          const capped = executeQuery(list, query, { ...page, maxCount }) as Results<unknown>;
          expect([...capped]).toEqual([...full]);
          expect(capped.totalCount).toBe(Math.min(full.totalCount, maxCount));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("stops filtering an unsorted page once it has the page and maxCount matches", () => {
    let reads = 0;
    const list = Array.from({ length: 1000 }, (_, id) => ({ id, even: id % 2 === 0 }));
    const counted = list.map((record) =>
      Object.defineProperty({ ...record }, "even", {
        enumerable: true,
        get: () => (reads++, record.even),
      }),
    );
    const page = executeQuery(counted, "even=true", {
      start: 10,
      end: 20,
      maxCount: 21,
    }) as Results<{ id: number }>;
    expect(page.map((r) => r.id)).toEqual([20, 22, 24, 26, 28, 30, 32, 34, 36, 38]);
    expect(page.totalCount).toBe(21);
    expect(reads).toBeLessThan(100);
  });

  it("answers an empty filter with a new array counting every record", () => {
    const list = [{ id: 2 }, { id: 1 }];
    const all = executeQuery(list, "") as Results<unknown>;
    expect([...all]).toEqual(list);
    expect(all).not.toBe(list);
    expect(all.totalCount).toBe(2);
    expect(list).not.toHaveProperty("totalCount");
    const page = executeQuery(list, "", { start: 1, end: 2 }) as Results<unknown>;
    expect([...page]).toEqual([{ id: 1 }]);
    expect(page.totalCount).toBe(2);
  });
});
