import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { executeQuery, MemoryStore, parseQuery, planFilter } from "perstore";
import type { Person } from "./helpers.js";

const indexes = ["a", "s", { fields: ["a", "s"] }];

describe("index planner", () => {
  it("answers indexed terms without a scan, and scans otherwise", () => {
    const store = new MemoryStore<Person>({ indexes: ["country", "age", "name"] });
    store.insert(
      Array.from({ length: 1000 }, (_, i) => ({
        id: i,
        country: `c${i % 50}`,
        age: i % 100,
        name: `n${i}`,
        other: i,
      })),
    );
    const candidates = (q: string, parameters?: unknown[]) =>
      store.explain(q, { parameters }).candidates;
    expect(candidates("country=c7")).toBe(20);
    expect(candidates("country=in=(c1,c2)")).toBe(40);
    expect(candidates("age>=98")).toBe(20);
    expect(candidates("between(age,(10,12))")).toBe(20);
    expect(candidates("starts(name,n99)")).toBe(11);
    expect(candidates("id=5")).toBe(1);
    expect(candidates("id>=990")).toBe(10);
    expect(candidates("country=c7&age<50")).toBe(10);
    expect(candidates("country=c7|country=c8")).toBe(40);
    expect(candidates("country=$1", ["c3"])).toBe(20);
    expect(candidates("country=c7&other>3")).toBe(20); // the unindexed term is left to the engine
    expect(candidates("isnull(country)")).toBe(0);
    expect(candidates("in(country,())")).toBe(0);
    expect(store.explain("other=3").plan).toEqual({ kind: "scan" });
    expect(store.explain("country=c7|other=3").plan).toEqual({ kind: "scan" });
    expect(store.explain("not(country=c7)").plan).toEqual({ kind: "scan" });
    expect(store.explain("ne(country,c7)").plan).toEqual({ kind: "scan" });
    expect(store.explain("country=c7&age>=50").plan).toEqual({
      kind: "intersect",
      plans: [
        { kind: "lookup", field: "country", values: ["c7"] },
        { kind: "range", field: "age", lower: { value: 50, inclusive: true } },
      ],
    });
    expect((store.query("country=c7&age<50") as Person[]).map((p) => p.id)).toEqual(
      [
        7,
        7 + 50 * 2,
        7 + 50 * 4,
        7 + 50 * 6,
        7 + 50 * 8,
        7 + 50 * 10,
        7 + 50 * 12,
        7 + 50 * 14,
        7 + 50 * 16,
        7 + 50 * 18,
      ].filter((i) => i % 100 < 50),
    );
  });

  it("uses compound indexes for equality on all their fields", () => {
    const plan = planFilter(parseQuery("a=1&s=x&b=2").filter, {
      hasIndex: () => false,
      compound: [["a", "s"]],
    });
    expect(plan).toEqual({ kind: "compound", fields: ["a", "s"], values: [1, "x"] });
    // A lookup on a field the compound lookup already pins adds nothing; other terms stay.
    const catalog = { hasIndex: (field: string) => field === "a", compound: [["a", "s"]] };
    expect(planFilter(parseQuery("a=1&s=x").filter, catalog)).toEqual(plan);
    expect(planFilter(parseQuery("a=1&s=x&in(a,(1,2))").filter, catalog)).toEqual({
      kind: "intersect",
      plans: [plan, { kind: "lookup", field: "a", values: [1, 2] }],
    });
  });

  it("keeps records whose indexed value is an array or object as candidates", () => {
    const store = new MemoryStore<Person>({ indexes: ["tags"] });
    store.insert([
      { id: 1, tags: ["a"] },
      { id: 2, tags: "a" as never },
      { id: 3, tags: ["b"] },
    ]);
    expect((store.query("tags=a") as Person[]).map((p) => p.id)).toEqual([2]);
    expect((store.query("contains(tags,a)") as Person[]).map((p) => p.id)).toEqual([1, 2]);
    expect(
      (store.query({ field: "tags", compare: "equals", value: ["a"] } as never) as Person[]).map(
        (p) => p.id,
      ),
    ).toEqual([1]);
  });

  // Property: whatever the data and the query, the indexed store answers exactly what a scan answers.
  // Records and queries draw from one pool of values, so equal and neighbouring values meet often.
  // ISO date-time strings: a Date query value matches them by instant (here the instants of `dates`).
  const strings = [
    "a",
    "ab",
    "B",
    "\u{1F600}",
    "\uFF21",
    "__proto__",
    "1970-01-01T00:00:01Z",
    "1970-01-01T01:00:02+01:00",
  ];
  const dates = [new Date(0), new Date(1000), new Date(2000)];
  const scalar = fc.oneof(
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom(...strings),
    fc.constantFrom(...strings),
    fc.constantFrom(null, true, false, 1.5, Number.NaN, new Date(Number.NaN)),
    fc.constantFrom(...dates),
    fc.constantFrom(["a"], { x: 1 }),
  );
  const record = fc.record({ a: scalar, s: scalar, c: scalar }, { requiredKeys: [] });
  const field = fc.constantFrom("a", "s", "s", "c", "id");
  const literal = fc.oneof(
    fc.integer({ min: -2, max: 2 }).map(String),
    fc.constantFrom(...strings).map((v) => `string:${encodeURIComponent(v)}`),
    fc.constantFrom(...strings).map((v) => `string:${encodeURIComponent(v)}`),
    fc.constantFrom(...dates).map((d) => `date:${d.toISOString()}`),
    fc.constantFrom("null", "true", "1.5", "k3", "k0"),
  );
  const condition = fc.oneof(
    fc
      .tuple(fc.constantFrom("eq", "ne", "lt", "le", "gt", "ge", "starts"), field, literal)
      .map(([op, f, v]) => `${op}(${f},${v})`),
    fc
      .tuple(field, fc.array(literal, { maxLength: 3 }))
      .map(([f, vs]) => `in(${f},(${vs.join(",")}))`),
    fc.tuple(field, literal, literal).map(([f, lo, hi]) => `between(${f},(${lo},${hi}))`),
    field.map((f) => `isnull(${f})`),
  );
  const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { depthSize: "small" },
      condition,
      fc
        .tuple(fc.constantFrom("and", "or"), fc.array(tie("f"), { minLength: 1, maxLength: 3 }))
        .map(([j, ts]) => `${j}(${ts.join(",")})`),
      tie("f").map((t) => `not(${t})`),
    ),
  })).f;

  it("finds ISO date-time strings for Date query values, as the engine matches them by instant", () => {
    const at = [
      new Date("2024-01-01T00:00:00Z"),
      "2024-01-01T00:00:00Z",
      "2024-01-01T01:00:00+01:00",
      "2024-01-01T00:00:00.000Z",
      "2024-06-01",
      new Date("2024-06-01T00:00:00Z"),
      "2023-12-31T23:59:59Z",
      "not a date",
      "2024",
      7,
      null,
    ];
    const records = at.map((value, i) => ({ id: i, at: value, k: i % 2 }));
    const queries = [
      "at=date:2024-01-01T00:00:00Z",
      "in(at,(date:2024-01-01T00:00:00Z,date:2024-06-01T00:00:00Z))",
      "at>=date:2024-01-01T00:00:00Z",
      "at<date:2024-01-01T00:00:00Z",
      "between(at,(date:2023-01-01T00:00:00Z,date:2024-03-01T00:00:00Z))",
      "at=date:2024-01-01T00:00:00Z&k=1",
      "at=date:2024-01-01T00:00:00Z&k=0",
      "at>=date:2024-01-01T00:00:00Z&k=1",
      "at=date:2024-01-01T00:00:00Z|k=1",
      "at=string:2024-01-01T00:00:00Z",
    ];
    for (const indexes of [
      ["at", "k"],
      ["k", { fields: ["at", "k"] }],
      ["at", { fields: ["at", "k"] }],
    ]) {
      const store = new MemoryStore<Record<string, unknown>>({ indexes });
      store.insert(records);
      const all = [...store.find()];
      for (const q of queries) {
        const expected = executeQuery(all, q) as unknown[];
        expect(store.query(q), `${q} on ${JSON.stringify(indexes)}`).toEqual(expected);
      }
      expect((store.query("at=date:2024-01-01T00:00:00Z") as unknown[]).length).toBe(4);
      // Kept up to date through writes and their reject.
      store.put({ id: 100, at: "2024-01-01T02:00:00+02:00", k: 1 });
      store.update({ at: "2024-01-01T00:00:00Z" }, "id=7");
      expect((store.query("at=date:2024-01-01T00:00:00Z") as unknown[]).length).toBe(6);
      store.reject(2);
      expect((store.query("at=date:2024-01-01T00:00:00Z") as unknown[]).length).toBe(4);
    }
  });

  it("orders strings by code point in ranges", () => {
    const store = new MemoryStore<Person>({ indexes: ["s"] });
    store.insert([
      { id: 1, s: "\u{1F600}" },
      { id: 2, s: "\uFF21" },
      { id: 3, s: "a" },
    ]);
    expect((store.query("gt(s,%EF%BC%A1)") as Person[]).map((p) => p.id)).toEqual([1]);
    expect((store.query("lt(s,%F0%9F%98%80)") as Person[]).map((p) => p.id)).toEqual([2, 3]);
  });

  it("gives the same answers as a full scan (property)", () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 25 }),
        fc.array(filter, { minLength: 3, maxLength: 8 }),
        (records, queries) => {
          const store = new MemoryStore<Record<string, unknown>>({ indexes });
          store.insert(records.map((r, i) => ({ ...r, id: i % 3 === 0 ? `k${i}` : i })));
          const agree = () => {
            const all = [...store.find()];
            for (const q of queries) expect(store.query(q), q).toEqual(executeQuery(all, q));
          };
          agree(); // builds the ordered indexes, so the writes below must keep them up to date
          // Mutate through the journal too, so incremental index upkeep is covered.
          store.put({ id: "new", a: 1, s: "ab", c: new Date(1000) });
          store.update({ s: 2 }, "a=1");
          store.remove("s=b");
          agree();
          store.reject();
          agree();
        },
      ),
      { numRuns: 250 },
    );
  });
});
