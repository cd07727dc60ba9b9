/**
 * What the query fuzzer generates: RQL strings with a random structure
 * (operators known and unknown, nesting, every value syntax, `$n`, operator
 * tails), the same with random bytes spliced in, pure random text, and JSON
 * query objects (well-formed and not). Names and values are drawn from the
 * parity table's fields, from words that reach prototypes (`__proto__`,
 * `constructor`, `prototype`, in every path position) and from junk.
 */
import fc from "fast-check";

const FIELDS = ["id", "name", "age", "score", "active", "tags", "meta", "meta/k", "at", "note"];
const HOSTILE = [
  "__proto__",
  "constructor",
  "prototype",
  "__proto__/polluted",
  "constructor/prototype",
  "constructor/prototype/polluted",
  "meta/__proto__",
  "meta/__proto__/polluted",
  "meta/constructor/prototype/polluted",
  "tags/__proto__",
  "prototype/__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "length",
  "tags/length",
];
const OPERATORS = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "in",
  "out",
  "contains",
  "excludes",
  "starts",
  "ends",
  "match",
  "isnull",
  "notnull",
  "between",
];
const TAILS = ["sort", "limit", "select", "values", "distinct", "count", "sum", "mean", "min"];
const MORE_TAILS = ["max", "first", "one", "__proto__", "constructor", "toString", "nope"];

/** Every byte of `bytes` percent-encoded: arbitrary, often invalid, UTF-8. */
const percentBytes = fc
  .uint8Array({ maxLength: 6 })
  .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""));
/** Any string, percent-encoded when it can be (a lone surrogate cannot: it is kept raw). */
const anyText = fc.string({ unit: "binary", maxLength: 8 }).map((s) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
});

const name = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.constantFrom("", "nope", "a/b/c", "meta/k/x", "..", "%5F_proto__") },
  { weight: 1, arbitrary: anyText },
);
const scalar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("0", "1", "-2", "0.25", "3", "a", "B", "ab", "b_") },
  fc.constantFrom("1e400", "-0", "NaN", "Infinity", "null", "true", "false", "undefined"),
  fc.constantFrom("%C3%A9", "", "2020-01-01T00:00:00Z", "string:1", "number:2", "boolean:true"),
  fc
    .tuple(
      fc.constantFrom("string", "number", "boolean", "date", "re", "RE", "glob", "epoch", "x"),
      fc.oneof(fc.constantFrom(...HOSTILE, "a", "1", "*", "^a", "2020"), percentBytes, anyText),
    )
    .map(([type, value]) => `${type}:${value}`),
  fc.integer({ min: 0, max: 10 }).map((i) => `$${i}`),
  fc.constantFrom(...HOSTILE),
  percentBytes,
  anyText,
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }).map((vs) => `(${vs.join(",")})`) },
);
const sortKey = fc.tuple(fc.constantFrom("+", "-", ""), name).map(([d, n]) => d + n);

/** A random RQL structure. */
export const rqlArb: fc.Arbitrary<string> = fc.letrec<{ q: string; term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...OPERATORS), name, value)
        .map(([op, n, v]) => (/null$/.test(op) ? `${op}(${n})` : `${op}(${n},${v})`)),
    },
    fc
      .tuple(fc.constantFrom(...OPERATORS), name, fc.array(value, { maxLength: 3 }))
      .map(([op, n, vs]) => `${op}(${[n, ...vs].join(",")})`),
    {
      weight: 3,
      arbitrary: fc
        .tuple(name, fc.constantFrom("=", "!=", "<", "<=", ">", ">=", "=ge=", "=in=", "=x="), value)
        .map(([n, op, v]) => `${n}${op}${v}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom("and", "or", "not"), fc.array(tie("term"), { maxLength: 3 }))
        .map(([op, ts]) => `${op}(${ts.join(",")})`),
    },
    fc
      .tuple(fc.array(tie("term"), { minLength: 2, maxLength: 3 }), fc.constantFrom("|", "&", ","))
      .map(([ts, sep]) => `(${ts.join(sep)})`),
    fc
      .tuple(fc.constantFrom(...TAILS), fc.array(sortKey, { maxLength: 2 }))
      .map(([op, args]) => `${op}(${args.join(",")})`),
    fc
      .tuple(fc.constantFrom(...MORE_TAILS), fc.array(sortKey, { maxLength: 3 }))
      .map(([op, args]) => `${op}(${args.join(",")})`),
    fc
      .tuple(fc.integer({ min: -1, max: 6 }), fc.integer({ min: -1, max: 6 }))
      .map(([c, s]) => `limit(${c},${s})`),
  ),
  q: fc.array(tie("term"), { minLength: 1, maxLength: 2 }).map((ts) => ts.join("&")),
})).q;

/** Structured queries with random bytes spliced in at a random place, and pure random text. */
export const hostileTextArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(rqlArb, fc.string({ unit: "binary", maxLength: 6 }), fc.nat())
    .map(([q, junk, at]) => q.slice(0, at % (q.length + 1)) + junk + q.slice(at % (q.length + 1))),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(..."()&|,=<>!$:+-/%*_ aeq1"), maxLength: 40 }),
);

/** JSON query objects: conditions and joins, well-formed or not, with hostile keys from parsed JSON. */
export const jsonQueryArb: fc.Arbitrary<unknown> = fc.letrec<{ q: unknown }>((tie) => ({
  q: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record(
      {
        field: fc.oneof(name, fc.constantFrom(1, null)),
        compare: fc.constantFrom(
          ...["equals", "in", "gt", "ge", "lt", "le", "starts", "ends", "contains"],
          ...["isnull", "notnull", "__proto__", "constructor", "matches", ""],
        ),
        value: fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom(...HOSTILE),
          fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}}') as unknown),
          fc.constant(/a/),
          fc.constant(new Date(0)),
        ),
        not: fc.boolean(),
      },
      { requiredKeys: ["field", "compare"] },
    ),
    fc.record({
      join: fc.constantFrom("and", "or", "xor", "__proto__"),
      terms: fc.array(tie("q"), { maxLength: 3 }),
    }),
    fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}, "field": "name"}') as unknown),
    fc.constant(
      JSON.parse(
        '{"join": "and", "terms": [{"field": "constructor", "compare": "equals", "value": {"prototype": {"polluted": 1}}}]}',
      ) as unknown,
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
})).q;
