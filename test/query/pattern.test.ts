/**
 * The pattern language (`re:`, `RE:`, `glob:`, `match`): patterns that make
 * a backtracking engine run for ever (issue 7 item 2: `(a+)+$` on 30 `a`s
 * and a `!` took 167 s) are answered by the linear-time matcher, on every
 * path (interpreter, compiled predicate, memory store, JSON queries,
 * parameters); what is outside the language is QUERY_BAD_VALUE before any
 * record is read; and the matcher agrees with JavaScript where their
 * definitions meet. No test measures time: on the old code the
 * "catastrophic" tests hang until vitest's timeout fails them.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileQuery, executeQuery, MemoryStore, parseQuery } from "../../src/index.js";
import { compilePattern, parsePattern } from "../../src/query/pattern/index.js";

const EVIL = `${"a".repeat(40)}!`;
const records = [
  { id: 1, name: EVIL },
  { id: 2, name: "aaaa" },
  { id: 3, name: "Smith" },
];

/** Percent-encodes a pattern for an RQL value (`(`, `|`, `\\` ... are not token characters). */
const enc = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** [RQL, the pattern's source, the ids it matches] */
const CATASTROPHIC: [rql: string, source: string, ids: number[]][] = (
  [
    ["match", "re", "(a+)+$", [2]],
    ["match", "re", "(a|aa)+$", [2]],
    ["match", "RE", "^(a|a)*$", [2]],
    ["match", "re", "(.*a){20}$", []],
    ["match", "re", "^(\\w+\\s?)*$", [2, 3]],
    ["eq", "re", "(a+)+$", [2]],
    ["contains", "RE", "(a*)*b", []],
  ] as const
).map(([op, type, source, want]) => [`${op}(name,${type}:${enc(source)})`, source, [...want]]);

const ids = (rows: unknown) => (rows as { id: number }[]).map((r) => r.id);

describe("catastrophic patterns are answered by the linear-time matcher", () => {
  afterEach(() => vi.restoreAllMocks());

  /** Fails if JavaScript's backtracking engine runs `source` (RegExp#test goes through exec). */
  function watchRegExp(source: string): () => void {
    const exec = vi.spyOn(RegExp.prototype, "exec");
    return () => {
      const ran = exec.mock.contexts.filter((re) => (re as RegExp).source === source);
      expect(ran, `RegExp /${source}/ was run`).toEqual([]);
    };
  }

  it.each(CATASTROPHIC)(
    "%s: interpreter, compiled predicate and memory store",
    async (rql, source, want) => {
      const query = parseQuery(rql);
      const compiled = compileQuery(query);
      const store = new MemoryStore({ data: records });
      const check = watchRegExp(source);
      expect(ids(executeQuery(records, query))).toEqual(want);
      expect(records.filter((r) => compiled.predicate(r)).map((r) => r.id)).toEqual(want);
      expect(ids(await store.query(rql))).toEqual(want);
      check();
    },
  );

  it("a RegExp parameter, a string parameter of match, and a JSON query RegExp value", async () => {
    const store = new MemoryStore({ data: records });
    const check = watchRegExp("(a+)+$");
    const regexp = /(a+)+$/;
    expect(ids(executeQuery(records, "match(name,$1)", { parameters: [regexp] }))).toEqual([2]);
    expect(ids(executeQuery(records, "match(name,$1)", { parameters: ["(a+)+$"] }))).toEqual([2]);
    expect(ids(await store.query("eq(name,$1)", { parameters: [regexp] }))).toEqual([2]);
    expect(ids(await store.query("in(name,$1)", { parameters: [[regexp]] }))).toEqual([2]);
    const json = { field: "name", compare: "equals", value: regexp } as const;
    expect(ids(await store.query(json))).toEqual([2]);
    expect(ids(executeQuery(records, json))).toEqual([2]);
    const compiled = compileQuery(parseQuery("match(name,$1)"));
    expect(records.filter((r) => compiled.predicate(r, [regexp])).map((r) => r.id)).toEqual([2]);
    check();
  });

  it("stays linear on long texts (the answer, from the matcher, for a 200,000-character text)", () => {
    const long = `${"a".repeat(200_000)}!`;
    expect(compilePattern("(a+)+$", "").test(long)).toBe(false);
    expect(compilePattern("(a|aa)*!$", "").test(long)).toBe(true);
    expect(compilePattern("^(a?){50}a{50}", "").test(long)).toBe(true);
  });
});

describe("the pattern language refuses what it does not define, before any record is read", () => {
  const REFUSED: [value: string, why: RegExp][] = [
    ["re:(a)\\1", /backreferences/],
    ["re:(?=a)", /lookahead/],
    ["re:\\bword", /\\b/],
    ["RE:\\p{L}", /\\p/],
    ["re:a{256}", /above 255/],
    ["re:(a{100}){100}", /too large/],
    ["re:(a", /invalid regular expression/],
    [`re:${"(".repeat(60)}a${")".repeat(60)}`, /nested/],
  ];

  it.each(REFUSED)("match(name,%s) is QUERY_BAD_VALUE at the value", (value, why) => {
    const colon = value.indexOf(":");
    const rql = `match(name,${value.slice(0, colon + 1)}${enc(value.slice(colon + 1))})`;
    let error: unknown;
    try {
      parseQuery(rql);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "QUERY_BAD_VALUE", position: 11 });
    expect((error as Error).message).toMatch(why);
  });

  it("lookbehind and named groups (RQL reads an encoded < as an operator, so as RegExps)", () => {
    for (const [value, why] of [
      [/(?<!a)b/, /lookbehind/],
      [/(?<n>a)/, /named groups/],
      [/(?<=a)b/i, /lookbehind/],
    ] as const) {
      expect(() => parseQuery({ field: "name", compare: "equals", value })).toThrow(
        expect.objectContaining({ code: "QUERY_BAD_VALUE", message: expect.stringMatching(why) }),
      );
    }
  });

  it("a JSON query RegExp value, at parse time", () => {
    expect(() => parseQuery({ field: "name", compare: "equals", value: /(a)\1/ })).toThrow(
      expect.objectContaining({
        code: "QUERY_BAD_VALUE",
        message: expect.stringMatching(/^\$\.value/),
      }),
    );
    expect(() => parseQuery({ field: "name", compare: "in", value: ["x", /a/m] })).toThrow(
      expect.objectContaining({
        code: "QUERY_BAD_VALUE",
        message: expect.stringContaining('"m" flag'),
      }),
    );
  });

  it("a RegExp parameter, when it is bound, even with no record to test", () => {
    for (const parameter of [/(?=a)/, [/x/, /\1(a)/]]) {
      expect(() => executeQuery([], "eq(name,$1)", { parameters: [parameter] })).toThrow(
        expect.objectContaining({
          code: "QUERY_BAD_VALUE",
          message: expect.stringContaining("parameter $1"),
        }),
      );
    }
  });

  it("a bad parameter pattern on an empty memory store", () => {
    const empty = new MemoryStore({});
    for (const parameters of [[/(?=a)/], ["(a"], [/\bx/]])
      expect(() => empty.query("match(name,$1)", { parameters })).toThrow(
        expect.objectContaining({ code: "QUERY_BAD_VALUE" }),
      );
  });

  it("a string pattern given to match() is refused, not silently matched to nothing", () => {
    expect(() => executeQuery(records, "match(name,$1)", { parameters: ["(a"] })).toThrow(
      expect.objectContaining({ code: "QUERY_BAD_VALUE" }),
    );
  });
});

describe("what patterns mean", () => {
  const test = (source: string, flags: string, text: string) =>
    compilePattern(source, flags).test(text);

  it("re: is case-insensitive, RE: is not, glob: is anchored and case-insensitive", () => {
    const people = [{ name: "José" }, { name: "JOSÉ" }, { name: "josef" }];
    const names = (q: string) => (executeQuery(people, q) as { name: string }[]).map((p) => p.name);
    expect(names("match(name,re:jos%C3%A9)")).toEqual(["José", "JOSÉ"]);
    expect(names("match(name,RE:jos%C3%A9)")).toEqual([]);
    expect(names("match(name,jos%C3%A9)")).toEqual(["José", "JOSÉ"]);
    expect(names("eq(name,glob:jos%3F)")).toEqual(["José", "JOSÉ"]);
    expect(names("eq(name,glob:*f)")).toEqual(["josef"]);
  });

  it("case-insensitivity is JavaScript's rule without the u flag, with and without u", () => {
    for (const flags of ["i", "iu"]) {
      expect(test("k", flags, "\u212a")).toBe(false); // the Kelvin sign is not k
      expect(test("s", flags, "\u017f")).toBe(false); // nor is long s
      expect(test("σ", flags, "Σ")).toBe(true);
      expect(test("σ", flags, "ς")).toBe(true);
      expect(test("[à-ÿ]", flags, "É")).toBe(true);
      expect(test("\\w", flags, "é")).toBe(false);
    }
  });

  it("reads the text and the pattern by code points, whatever the flags", () => {
    expect(test("^.$", "", "😀")).toBe(true);
    expect(test("^😀+$", "", "😀😀")).toBe(true);
    expect(test("^[😀-😂]$", "", "😁")).toBe(true);
    expect(test("^\\uD83D\\uDE00$", "", "😀")).toBe(true);
  });

  it("anchors only at the text's ends; . skips line terminators unless s", () => {
    expect(test("^b", "", "a\nb")).toBe(false);
    expect(test("a$", "", "a\nb")).toBe(false);
    expect(test("a.b", "", "a\nb")).toBe(false);
    expect(test("a.b", "s", "a\nb")).toBe(true);
    expect(test("$^", "", "")).toBe(true);
    expect(test("(^|x)a", "", "ya")).toBe(false);
    expect(test("(^|x)a", "", "xa")).toBe(true);
  });

  it("parses to one tree the SQL translation also reads", () => {
    expect(parsePattern("^a|b{2,3}$", "").root).toMatchObject({
      kind: "choice",
      options: [{ kind: "sequence" }, { kind: "sequence" }],
    });
  });

  /** Texts of the Basic Multilingual Plane, where JavaScript without `u` reads code points too. */
  const BMP_CHARS = [
    "a",
    "A",
    "b",
    "B",
    "k",
    "K",
    "\u212a",
    "s",
    "S",
    "\u017f",
    "é",
    "É",
    "σ",
    "ς",
    "Σ",
    "1",
    "_",
    " ",
    "\n",
    "-",
    ".",
  ];
  const ATOMS = [
    "a",
    "b",
    "K",
    "é",
    "σ",
    ".",
    "\\d",
    "\\w",
    "\\W",
    "\\s",
    "[a-c]",
    "[^b]",
    "[é-ï]",
    "[\\w-]",
    "\\.",
    "(a|b)",
    "(?:ab|a)",
    "(a*)",
    "(?:)",
  ];
  const patternArb = fc
    .tuple(
      fc.boolean(),
      fc.array(
        fc.tuple(
          fc.constantFrom(...ATOMS),
          fc.constantFrom("", "*", "+", "?", "{2}", "{1,3}", "+?"),
        ),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      fc.boolean(),
      fc.option(fc.constantFrom("|", "|b", "|^$")),
    )
    .map(
      ([s, terms, e, alt]) =>
        `${s ? "^" : ""}${terms.map(([a, q]) => a + q).join("")}${e ? "$" : ""}${alt ?? ""}`,
    );
  const textArb = fc.array(fc.constantFrom(...BMP_CHARS), { maxLength: 8 }).map((c) => c.join(""));

  it("agrees with JavaScript's RegExp (without u) on generated patterns and texts", () => {
    fc.assert(
      fc.property(
        patternArb,
        fc.constantFrom("", "i", "s", "is"),
        fc.array(textArb, { minLength: 1, maxLength: 6 }),
        (source, flags, texts) => {
          const re = new RegExp(source, flags);
          for (const text of texts)
            expect(
              test(source, flags, text),
              `/${source}/${flags} on ${JSON.stringify(text)}`,
            ).toBe(re.test(text));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("agrees with JavaScript's RegExp with u on texts beyond the BMP (case-sensitive)", () => {
    const astral = fc
      .array(fc.constantFrom("a", "😀", "😁", "\n", "b"), { maxLength: 6 })
      .map((c) => c.join(""));
    const atoms = fc.constantFrom("😀", ".", "[😀-😂]", "[^a]", "\\S", "(a|😀)", "\\u{1F601}");
    const pattern = fc
      .array(fc.tuple(atoms, fc.constantFrom("", "*", "+", "?", "{2}")), {
        minLength: 1,
        maxLength: 3,
      })
      .map((terms) => `^${terms.map(([a, q]) => a + q).join("")}`);
    fc.assert(
      fc.property(pattern, astral, (source, text) => {
        expect(test(source, "u", text), `/${source}/u on ${JSON.stringify(text)}`).toBe(
          new RegExp(source, "u").test(text),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with JavaScript on long texts, where it stops building DFA states and simulates", () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const texts = Array.from({ length: 12 }, (_, n) =>
      Array.from({ length: 1500 }, () => {
        const r = random();
        return r < 0.48 ? "a" : r < 0.96 ? "b" : n % 2 === 0 ? "c" : "\n";
      }).join(""),
    );
    for (const n of [8, 10]) {
      for (const source of [
        `(a|b)*a(a|b){${n}}$`,
        `^(a|b)*a(a|b){${n}}$`,
        `a(a|b){${n}}c`,
        `^(?:[ab]*a[ab]{${n}})+$`,
        `(a|b)*a(a|b){${n}}(c|$)`,
        `a[ab]{${n}}\n`,
      ]) {
        const re = new RegExp(source);
        for (const text of texts) {
          expect(test(source, "", text), `/${source}/`).toBe(re.test(text));
          expect(test(source, "", text.slice(0, 700)), `/${source}/`).toBe(
            re.test(text.slice(0, 700)),
          );
        }
      }
    }
  });

  it("keeps its answers when a pattern has more DFA states than the cache holds", () => {
    // (a|b)*a(a|b){12}$: up to 2^13 sets of states, over the cache's 2,000; it
    // matches exactly when the 13th character from the end is an a.
    const matcher = compilePattern("(a|b)*a(a|b){12}$", "");
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const text = Array.from({ length: 8000 }, () => (random() < 0.5 ? "a" : "b")).join("");
    for (let length = 13; length <= text.length; length += 397) {
      const prefix = text.slice(0, length);
      expect(matcher.test(prefix), `length ${length}`).toBe(prefix[length - 13] === "a");
    }
  });
});
