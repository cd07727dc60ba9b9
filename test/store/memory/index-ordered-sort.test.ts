/**
 * A sorted page on the memory store, read through the first sort key's index
 * (index-ordered-page.ts), is the page of the full sort: same records, same
 * order (ties by the further keys, then the primary key; null and missing
 * first ascending, last descending), same totalCount, on random data with
 * mixed types, after writes, with a filter, and with a capped count.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { executeQuery, MemoryStore, type Results } from "perstore";
import { FieldIndex } from "../../../src/store/memory/field-index.js";

type Row = { id: number | string; a?: unknown; b?: unknown; c?: unknown };

// Few distinct values (ties), nulls, missing, NaN, booleans, numbers, strings, dates, arrays, objects.
const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 3, arbitrary: fc.constantFrom("a", "b", "ab", "", "\u{1F600}", "\uFF5E") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(null, undefined, true, false, NaN, -0, 1.5, Infinity),
  },
  { weight: 1, arbitrary: fc.date({ min: new Date(0), max: new Date(3), noInvalidDate: true }) },
  { weight: 1, arbitrary: fc.constantFrom([1], [0, 2], { x: 1 }, new Date(NaN)) },
);
const rows = fc
  .array(
    fc.record({ a: value, b: value, c: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: [] }),
    {
      minLength: 20,
      maxLength: 120,
    },
  )
  .map((list) => list.map((row, i): Row => ({ id: (i * 37) % 1009, ...row })));
const sorts = fc.constantFrom(
  "sort(+a)",
  "sort(-a)",
  "sort(+a,-b)",
  "sort(-a,+c)",
  "sort(+id)",
  "sort(-id)",
  "sort(+b)",
);
const filters = fc.constantFrom("", "c=1&", "c=ne=0&", "or(b=1,a=a)&");

/** The long way: every record sorted, then the page. */
function expected(records: readonly Row[], query: string, start: number, end: number) {
  const all = executeQuery(records, query) as Results<Row>;
  return { page: all.slice(start, end), total: all.totalCount };
}

afterEach(() => vi.restoreAllMocks());

describe("a sorted page through an index (memory store)", () => {
  it("equals the full sort's page, on random data with nulls and ties", () => {
    const groups = vi.spyOn(FieldIndex.prototype, "sortedGroups");
    fc.assert(
      fc.property(
        rows,
        filters,
        sorts,
        fc.nat({ max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        (list, filter, sort, start, size) => {
          const store = new MemoryStore<Row>({ indexes: ["a"] });
          store.insert(list);
          const query = `${filter}${sort}`;
          const want = expected(store.storedRecords(), query, start, start + size);
          const got = store.query(query, { start, end: start + size }) as Results<Row>;
          expect([...got]).toEqual(want.page);
          expect(got.totalCount).toBe(want.total);
        },
      ),
      { numRuns: 300 },
    );
    // The index answered (sort(+b) is not indexed, the rest are).
    expect(groups).toHaveBeenCalled();
  });

  it("stays right after writes change, add and remove indexed values", () => {
    fc.assert(
      fc.property(rows, rows, sorts, (list, later, sort) => {
        const store = new MemoryStore<Row>({ indexes: ["a", "b"] });
        store.insert(list);
        store.query(sort, { start: 0, end: 3 }); // builds the ordered keys
        const ids = list.map((row) => row.id);
        for (let i = 0; i < ids.length; i += 3) store.delete(ids[i]!);
        for (let i = 1; i < ids.length; i += 3) {
          const replacement = later[i % later.length]!;
          store.put({ ...replacement, id: ids[i]! });
        }
        store.insert(later.map((row) => ({ ...row, id: `n${String(row.id)}` })));
        const want = expected(store.storedRecords(), sort, 2, 7);
        const got = store.query(sort, { start: 2, end: 7 }) as Results<Row>;
        expect([...got]).toEqual(want.page);
        expect(got.totalCount).toBe(want.total);
      }),
      { numRuns: 150 },
    );
  });

  it("caps the count as asked, and pages within a query's own limit()", () => {
    const store = new MemoryStore<Row>({ indexes: ["a"] });
    store.insert(Array.from({ length: 200 }, (_, id) => ({ id, a: id % 7, c: id % 3 })));
    const capped = store.query("c=1&sort(-a)", { start: 0, end: 10, maxCount: 11 }) as Results<Row>;
    expect(capped.totalCount).toBe(11);
    expect([...capped]).toEqual(expected(store.storedRecords(), "c=1&sort(-a)", 0, 10).page);
    const whole = store.query("c=1&sort(-a)", { start: 0, end: 10 }) as Results<Row>;
    expect(whole.totalCount).toBe(67);
    const limited = store.query("sort(+a)&limit(20,5)", { start: 3, end: 8 }) as Results<Row>;
    const all = executeQuery(store.storedRecords(), "sort(+a)") as Results<Row>;
    expect([...limited]).toEqual(all.slice(8, 13));
    expect(limited.totalCount).toBe(200);
  });

  it("falls back to sorting when a value has no place among the index's groups (a bigint)", () => {
    const store = new MemoryStore<Row>({ indexes: ["a"] });
    store.insert(
      Array.from({ length: 50 }, (_, id) => ({ id, a: id % 2 === 0 ? id : BigInt(id) })),
    );
    const got = store.query("sort(-a)", { start: 0, end: 5 }) as Results<Row>;
    expect([...got]).toEqual(expected(store.storedRecords(), "sort(-a)", 0, 5).page);
    expect(got.map((row) => row.id)).toEqual([49, 48, 47, 46, 45]);
  });
});
