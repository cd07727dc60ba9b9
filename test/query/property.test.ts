import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  QueryError,
  compileQuery,
  executeQuery,
  matches,
  parseQuery,
  type Results,
} from "perstore";
import { deepFreeze } from "./deep-freeze.js";

const fields = ["a", "b", "c", "constructor", "toString"] as const;
const scalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    1,
    2,
    -1,
    1.5,
    NaN,
    Infinity,
    "",
    "a",
    "b",
    "1",
    "é",
    "\u{1F600}",
    "\uFF5E",
  ),
  fc.integer({ min: -5, max: 5 }),
  fc.string({ maxLength: 3 }),
  fc.date({ min: new Date(0), max: new Date(10_000), noInvalidDate: true }),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const record = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 });

// Values written in RQL: typed so that each round-trips to a known scalar.
const rqlValue = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.constantFrom(
    "null",
    "true",
    "false",
    "a",
    "b",
    "string:1",
    "%27%27",
    "date:1970-01-01T00:00:05Z",
    "epoch:3",
    "re:%5Ea",
    "glob:*b",
    "$1",
    "$2",
  ),
);
const field = fc.constantFrom(...fields, "a/b", "b/c");
const condition = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "contains",
        "excludes",
        "starts",
        "ends",
        "match",
      ),
      field,
      rqlValue,
    )
    .map(([op, f, v]) => `${op}(${f},${v})`),
  fc
    .tuple(fc.constantFrom("in", "out", "between"), field, rqlValue, rqlValue)
    .map(([op, f, v, w]) => `${op}(${f},(${v},${w}))`),
  fc.tuple(fc.constantFrom("isnull", "notnull"), field).map(([op, f]) => `${op}(${f})`),
  fc.tuple(field, rqlValue).map(([f, v]) => `contains(${f},ne(${v}))`),
);
const filter: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
  q: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    condition,
    fc.array(tie("q"), { maxLength: 3 }).map((terms) => `and(${terms.join(",")})`),
    fc.array(tie("q"), { maxLength: 3 }).map((terms) => `or(${terms.join(",")})`),
    tie("q").map((q) => `not(${q})`),
  ),
})).q;

describe("property: interpreter and compiled predicate agree", () => {
  it("random queries over random records", () => {
    fc.assert(
      fc.property(
        filter,
        fc.array(record, { maxLength: 6 }),
        fc.tuple(scalar, value),
        (query, rows, params) => {
          const frozen = deepFreeze(rows.map((r) => ({ ...r, nested: r })));
          const parsed = parseQuery(query);
          const compiled = compileQuery(parsed);
          for (const row of frozen) {
            expect(compiled.predicate(row, params)).toBe(matches(parsed.filter, row, params));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("ne, out and excludes are exact negations", () => {
    fc.assert(
      fc.property(field, rqlValue, record, (f, v, row) => {
        const params = [1, "a"];
        for (const [pos, neg] of [
          ["eq", "ne"],
          ["contains", "excludes"],
        ] as const) {
          const p = compileQuery(`${pos}(${f},${v})`).predicate(row, params);
          expect(compileQuery(`${neg}(${f},${v})`).predicate(row, params)).toBe(!p);
        }
        const i = compileQuery(`in(${f},(${v},b))`).predicate(row, params);
        expect(compileQuery(`out(${f},(${v},b))`).predicate(row, params)).toBe(!i);
      }),
      { numRuns: 200 },
    );
  });
});

describe("property: arbitrary strings parse or throw QueryError", () => {
  const alphabet = fc.constantFrom(
    ..."()&|,=<>!$:%/+-*._'\"?aZ09 ".split(""),
    "%3C",
    "%3E",
    "%28",
    "%2",
    "eq(",
    "sort(",
    "=ge=",
    "date:",
    "re:",
  );
  it("never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet, { maxLength: 12 }).map((a) => a.join("")),
        ),
        (input) => {
          try {
            const q = parseQuery(input);
            expect(Object.isFrozen(q)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(QueryError);
            expect(typeof (error as QueryError).code).toBe("string");
            if (typeof (error as QueryError).position === "number") {
              expect((error as QueryError).position).toBeGreaterThanOrEqual(0);
              expect((error as QueryError).position).toBeLessThanOrEqual(input.length);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("arbitrary JSON values as queries either parse or throw QueryError", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (input) => {
        try {
          parseQuery(input as never);
        } catch (error) {
          expect(error).toBeInstanceOf(QueryError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("sorted pages", () => {
  it("a page from the bounded heap equals the same page of a full sort (ties, nulls, mixed types)", () => {
    const rows = fc.array(
      fc.record(
        { id: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null)), a: scalar, b: scalar },
        { requiredKeys: [] },
      ),
      { maxLength: 30 },
    );
    const sort = fc.constantFrom("sort(+a)", "sort(-a,+b)", "sort(-b,-a)", "sort(+id)");
    fc.assert(
      fc.property(rows, sort, fc.nat(8), fc.nat(8), (data, order, count, start) => {
        const records = deepFreeze(data);
        // Compare positions in the input (identity), not look-alike records.
        const at = (rs: readonly unknown[]) =>
          rs.map((r) => records.indexOf(r as (typeof records)[number]));
        const full = at(executeQuery(records, order) as Results<unknown>);
        const page = executeQuery(records, `${order}&limit(${count},${start})`) as Results<unknown>;
        expect(at(page)).toEqual(full.slice(start, start + count));
        expect(page.totalCount).toBe(records.length);
        const viaOptions = executeQuery(records, order, {
          start,
          end: start + count,
        }) as Results<unknown>;
        expect(at(viaOptions)).toEqual(full.slice(start, start + count));
      }),
      { numRuns: 300 },
    );
  });
});
