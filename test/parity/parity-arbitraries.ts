/**
 * What the parity tests generate: `Item` records over one SQL table (`spec`),
 * and RQL queries over them (a filter, an optional sort, and a tail: paging,
 * a projection or a result operator), with the `$1…` values they bind
 * (`PARAMETERS`). Shared by query-parity.test.ts (store against store) and
 * wrapper-parity.ts (a wrapped store against a bare one).
 */
import fc from "fast-check";
import { tableQuerySchema, type SqlTableSpec } from "../../src/store/sql/table-spec.js";

export interface Item {
  id: number;
  name: string;
  age: number | null;
  score: number | null;
  active: boolean | null;
  tags: string[] | null;
  meta: { k: number | string } | null;
  /** A jsonb array, with nested arrays and objects (sorted element-wise, as `compareValues` does). */
  list: unknown[] | null;
  at: string | null;
  note: string | null;
}

export const spec: SqlTableSpec = {
  table: "parity_item",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "age", type: "integer", sqlType: "integer", nullable: true },
    { name: "score", type: "number", sqlType: "double precision", nullable: true },
    { name: "active", type: "boolean", sqlType: "boolean", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
    { name: "meta", type: "object", sqlType: "jsonb", nullable: true },
    { name: "at", type: "date-time", sqlType: "timestamptz", nullable: true },
    { name: "note", type: "string", sqlType: "text", nullable: true },
    { name: "list", type: "array", sqlType: "jsonb", nullable: true },
  ],
};
export const querySchema = {
  ...tableQuerySchema(spec),
  fields: { ...tableQuerySchema(spec).fields, "meta/k": "any" as const },
};

// Small domains so conditions often hit; mixed case, digits and a non-ASCII letter test code-point order.
const words = ["a", "B", "ab", "Ab", "b_", "%x", "é", "É", "z1", ""];
const word = fc.constantFrom(...words);
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
// date-time values as the SQL store reads them back (normalised ISO strings), so every store holds the same text.
const instants = [
  "2020-01-01T00:00:00.000Z",
  "2020-01-01T00:00:00.001Z",
  "2019-12-31T23:59:59.999Z",
  "1999-05-06T07:08:09.100Z",
];
/**
 * Query values for date-time comparisons, passed as `$1…` parameters (a schema types literals on a date-time
 * property as Dates): normalised and not normalised strings compare with the stored ISO string by code point.
 */
const AT_PARAMETERS = [
  "2020-01-01T00:00:00.000Z",
  "2020-01-01T00:00:00Z",
  "2020",
  "1999-05-06T07:08:09.100Z",
  "2019-12-31T23:59:59.999+00:00",
];
/**
 * Text that is (or looks like, or is not) an ISO-8601 date-time, in a text column, array elements and jsonb:
 * a Date query value ($6…$8) compares with it by instant, and never matches the rest.
 */
const ISO_TEXTS = [
  "2020-01-01T00:00:00Z",
  "2020-01-01",
  "2020-01-01T01:00:00+01:00",
  "2019-12-31t23:59:59.999z",
  "2020-01-01T00:00:00.0011Z",
  "2020-02-30T00:00:00Z",
  "2020",
  "not a date",
  "-000001-01-01T00:00:00Z",
];
const DATE_PARAMETERS = [
  new Date("2020-01-01T00:00:00Z"),
  new Date("2019-12-31T23:59:59.999Z"),
  new Date("2020-01-01T00:00:00.001Z"),
];
/** $9: a plain match value (read as re:, case-insensitive). */
export const PARAMETERS: readonly unknown[] = [...AT_PARAMETERS, ...DATE_PARAMETERS, "^A"];
const dateParameter = fc.integer({ min: 6, max: 8 }).map((i) => `$${i}`);
const enc = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
/** Patterns as values: re: and RE: (case-insensitive / sensitive), glob: (anchored, case-insensitive). */
const patternArb = fc.oneof(
  fc
    .tuple(fc.constantFrom("re", "RE"), fc.constantFrom("a", "^a", "b$", "^20", "B", "\\d"))
    // Percent-encoded: `\` is not a token character, so a raw `re:\d` is a syntax error.
    .map(([t, p]) => `${t}:${enc(p)}`),
  // Non-ASCII letters, case-sensitive and not (É is é under re:, on every store).
  fc.constantFrom("RE:%C3%A9", "RE:.%C3%A9", "re:%C3%A9", "re:%C3%89%24", "glob:*%C3%A9*"),
  fc.constantFrom("a*", "*b", "%3F", "2020*", "*01*", "*%25x").map((g) => `glob:${g}`),
);
/** jsonb array elements: scalars of every type, and nested arrays and objects (which sort element-wise / all equal). */
const listElement: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.oneof(word, fc.constantFrom(...ISO_TEXTS), fc.integer({ min: 0, max: 2 })),
  },
  fc.constantFrom(null, true, false, 0.5),
  fc.array(fc.oneof(word, fc.integer({ min: 0, max: 2 }), fc.constant(null)), { maxLength: 2 }),
  fc.record({ k: fc.integer({ min: 0, max: 1 }) }),
);
const itemArb = (id: number): fc.Arbitrary<Item> =>
  fc.record({
    id: fc.constant(id),
    name: word,
    age: nullable(fc.integer({ min: -3, max: 5 })),
    score: nullable(fc.constantFrom(-1.5, 0, 0.25, 2, 1e6)),
    active: nullable(fc.boolean()),
    tags: nullable(fc.array(fc.oneof(word, fc.constantFrom(...ISO_TEXTS)), { maxLength: 3 })),
    meta: nullable(
      fc.record({
        k: fc.oneof(fc.integer({ min: 0, max: 3 }), word, fc.constantFrom(...ISO_TEXTS)),
      }),
    ),
    list: nullable(fc.array(listElement, { maxLength: 3 })),
    at: nullable(fc.constantFrom(...instants)),
    note: nullable(fc.oneof(word, fc.constantFrom(...ISO_TEXTS))),
  });
export const itemsArb = fc
  .integer({ min: 0, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => itemArb(i + 1))));

const str = word.map((w) => `string:${enc(w)}`);
const num = fc.constantFrom(-2, 0, 1, 3, 0.25, 2);
const scalarCondition = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge"),
      fc.constantFrom("age", "score"),
      num,
    )
    .map(([op, p, v]) => `${op}(${p},${v})`),
  fc
    .tuple(
      fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge", "starts", "ends", "contains", "excludes"),
      str,
    )
    .map(([op, v]) => `${op}(name,${v})`),
  fc.tuple(fc.constantFrom("eq", "ne"), fc.boolean()).map(([op, v]) => `${op}(active,${v})`),
  fc
    .tuple(fc.constantFrom("in", "out"), fc.array(word, { minLength: 1, maxLength: 3 }))
    .map(([op, v]) => `${op}(name,(${v.map((w) => `string:${enc(w)}`).join(",")}))`),
  fc
    .tuple(fc.constantFrom("in", "out"), fc.array(num, { minLength: 1, maxLength: 3 }))
    .map(([op, v]) => `${op}(age,(${v.join(",")}))`),
  fc.tuple(fc.constantFrom("contains", "excludes"), str).map(([op, v]) => `${op}(tags,${v})`),
  fc
    .tuple(fc.constantFrom("eq", "ne", "lt", "ge"), fc.oneof(num.map(String), str))
    .map(([op, v]) => `${op}(meta/k,${v})`),
  fc
    .tuple(
      fc.constantFrom("isnull", "notnull"),
      fc.constantFrom("age", "score", "active", "tags", "meta", "meta/k", "at"),
    )
    .map(([op, p]) => `${op}(${p})`),
  fc
    .tuple(
      fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge"),
      fc.integer({ min: 1, max: AT_PARAMETERS.length }),
    )
    .map(([op, i]) => `${op}(at,$${i})`),
  fc
    .tuple(fc.constantFrom("in", "out"), fc.integer({ min: 1, max: AT_PARAMETERS.length }))
    .map(([op, i]) => `${op}(at,($${i},$1))`),
  fc
    .tuple(fc.constantFrom("a", "B", "^a", "b$", "\\d"), fc.boolean())
    .map(([re, ci]) => `match(name,${ci ? "re" : "RE"}:${enc(re)})`),
  // Dates compare by instant with date-time columns and with ISO-8601 text (column, array elements, jsonb).
  fc
    .tuple(
      fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge"),
      fc.constantFrom("at", "note", "meta/k"),
      dateParameter,
    )
    .map(([op, p, v]) => `${op}(${p},${v})`),
  fc
    .tuple(fc.constantFrom("in", "out"), fc.constantFrom("at", "note", "meta/k"), dateParameter)
    .map(([op, p, v]) => `${op}(${p},(${v},$3))`),
  fc
    .tuple(fc.constantFrom("at", "note"), dateParameter, dateParameter)
    .map(([p, lo, hi]) => `between(${p},(${lo},${hi}))`),
  fc
    .tuple(fc.constantFrom("contains", "excludes"), fc.constantFrom("tags", "list"), dateParameter)
    .map(([op, p, v]) => `${op}(${p},${v})`),
  // Patterns as values of eq/ne/in/out/contains/excludes, and plain match values.
  fc
    .tuple(
      fc.constantFrom("eq", "ne"),
      fc.constantFrom("name", "note", "meta/k", "tags"),
      patternArb,
    )
    .map(([op, p, v]) => `${op}(${p},${v})`),
  fc
    .tuple(fc.constantFrom("in", "out"), fc.constantFrom("name", "note"), patternArb)
    .map(([op, p, v]) => `${op}(${p},(${v},string:b_))`),
  fc
    .tuple(
      fc.constantFrom("contains", "excludes"),
      fc.constantFrom("name", "tags", "meta/k", "note", "list"),
      patternArb,
    )
    .map(([op, p, v]) => `${op}(${p},${v})`),
  fc.constantFrom("name", "note", "meta/k").map((p) => `match(${p},$9)`),
);
const filterArb: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarCondition,
    fc
      .tuple(fc.constantFrom("and", "or"), fc.array(tie("f"), { minLength: 1, maxLength: 3 }))
      .map(([op, terms]) => `${op}(${terms.join(",")})`),
    tie("f").map((t) => `not(${t})`),
  ),
})).f;
const sortArb = fc
  .uniqueArray(
    fc.constantFrom("name", "age", "score", "active", "at", "meta/k", "id", "tags", "list", "meta"),
    {
      maxLength: 2,
    },
  )
  .chain((keys) => fc.tuple(...keys.map((k) => fc.boolean().map((d) => `${d ? "-" : "+"}${k}`))));
const tailArb = fc.oneof(
  fc.constant({ kind: "records" as const, text: "" }),
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 }))
    .map(([c, s]) => ({ kind: "records" as const, text: `&limit(${c},${s})` })),
  fc
    .constantFrom(
      "count()",
      "sum(age)",
      "mean(score)",
      "min(name)",
      "max(age)",
      "min(score)",
      "min(at)",
      "max(at)",
      "min(tags)",
      "max(tags)",
      "first()",
    )
    .map((r) => ({ kind: "value" as const, text: `&${r}` })),
  fc
    .constantFrom("values(name)", "select(id,age)")
    .map((p) => ({ kind: "records" as const, text: `&${p}` })),
  fc
    .constantFrom("values(name)&distinct()", "select(active)&distinct()")
    .map((p) => ({ kind: "records" as const, text: `&${p}` })),
);
export const queryArb = fc.record({ filter: filterArb, sort: sortArb, tail: tailArb });

/** One generated query: its filter, sort keys and tail. */
export type ParityQuery = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;
