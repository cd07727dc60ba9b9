/**
 * Torture: generated patterns full of nested quantifiers and alternations
 * (the shapes that make a backtracking engine run for ever), and pieces
 * outside the pattern language, against adversarial texts, through RQL
 * values, parameters and JSON query RegExps, on the memory store, the
 * interpreter and the compiled predicate. Every call must return (a hang
 * fails by vitest's timeout), the only error allowed is a QueryError, and
 * the three must agree. TORTURE_SCALE (default 1) multiplies the runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileQuery,
  executeQuery,
  MemoryStore,
  parseQuery,
  QueryError,
} from "../../src/index.js";

const SCALE = Math.max(1, Number(process.env.TORTURE_SCALE ?? 1) || 1);

const enc = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** Atoms: mostly `a` (what the texts are made of), some outside the language or invalid. */
const atom = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.constantFrom("a", "a", "b", ".", "\\w", "[ab]", "[^b]", "\\s", "é", "😀"),
  },
  { weight: 1, arbitrary: fc.constantFrom("\\1", "(?=a)", "(?<!a)", "\\b", "\\p{L}", "(?<n>a)") },
  { weight: 1, arbitrary: fc.constantFrom("(", ")", "[", "{", "\\", "*", "|", "a{2,1}") },
);
/** Quantifiers: nested ones make the trouble; `{256}` is over the language's bound. */
const quantifier = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom("", "*", "+", "?", "*?", "{2,}", "{1,30}", "{3}") },
  { weight: 1, arbitrary: fc.constantFrom("{0,255}", "{256}") },
);

const pattern: fc.Arbitrary<string> = fc
  .letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.tuple(atom, quantifier).map(([a, q]) => a + q),
      fc
        .tuple(fc.array(tie("node"), { minLength: 1, maxLength: 3 }), quantifier)
        .map(([items, q]) => `(${items.join("")})${q}`),
      fc
        .tuple(fc.array(tie("node"), { minLength: 2, maxLength: 3 }), quantifier)
        .map(([items, q]) => `(?:${items.join("|")})${q}`),
    ),
  }))
  .node.chain((body) =>
    fc.tuple(fc.boolean(), fc.boolean()).map(([s, e]) => `${s ? "^" : ""}${body}${e ? "$" : ""}`),
  );

/** Long runs of what the patterns repeat, each spoiled at the end. */
const adversarialText = fc
  .tuple(
    fc.constantFrom("a", "ab", "aa", " a", "😀a", "\n"),
    fc.integer({ min: 0, max: 3000 }),
    fc.constantFrom("", "!", "b", "\n", "\u00e9"),
  )
  .map(([unit, n, end]) => unit.repeat(Math.ceil(n / unit.length)) + end);

/** Runs `fn`; returns its value, or "refused" for a QueryError; anything else fails the test. */
function outcome<T>(fn: () => T): T | "refused" {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QueryError) return "refused";
    throw error;
  }
}

/** `outcome` for what may return a promise (a store's query). */
async function settle(fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QueryError) return "refused";
    throw error;
  }
}

/** Figures for docs/reliability.md, printed once the runs are done. */
const figures = { cases: 0, refused: 0, answered: 0, texts: 0 };

describe("torture: hostile patterns never hang and are only ever refused with QueryError", () => {
  it("RQL re:/RE: values, match() parameters and JSON RegExps on the memory store, interpreter and compiled predicate", async () => {
    await fc.assert(
      fc.asyncProperty(
        pattern,
        fc.constantFrom("re", "RE"),
        fc.array(adversarialText, { minLength: 1, maxLength: 4 }),
        async (source, type, texts) => {
          figures.cases++;
          figures.texts += texts.length;
          const records = texts.map((name, i) => ({ id: i + 1, name }));
          const store = new MemoryStore({ data: records });
          const flags = type === "re" ? "i" : "";
          const rql = `match(name,${type}:${enc(source)})`;
          const ids = (rows: unknown) =>
            rows === "refused" ? rows : (rows as { id: number }[]).map((r) => r.id);

          const viaStore = ids(await settle(() => store.query(rql)));
          const viaInterpreter = ids(outcome(() => executeQuery(records, rql)));
          const viaCompiled = outcome(() => {
            const compiled = compileQuery(parseQuery(rql));
            return records.filter((r) => compiled.predicate(r)).map((r) => r.id);
          });
          const viaParameter = ids(
            outcome(() => executeQuery(records, "match(name,$1)", { parameters: [source] })),
          );
          expect(viaInterpreter).toEqual(viaStore);
          expect(viaCompiled).toEqual(viaStore);
          // A plain match parameter is read as re: (case-insensitive).
          if (type === "re") expect(viaParameter).toEqual(viaStore);

          let regexp: RegExp | undefined;
          try {
            regexp = new RegExp(source, flags);
          } catch {
            regexp = undefined; // not even JavaScript: nothing to hand over as a RegExp
          }
          if (regexp !== undefined) {
            const json = { field: "name", compare: "equals", value: regexp } as const;
            expect(ids(await settle(() => store.query(json)))).toEqual(viaStore);
            expect(
              ids(outcome(() => executeQuery(records, "eq(name,$1)", { parameters: [regexp] }))),
            ).toEqual(viaStore);
          }
          if (viaStore === "refused") figures.refused++;
          else figures.answered++;
        },
      ),
      { numRuns: 200 * SCALE },
    );
    // Both kinds of outcome were exercised.
    expect(figures.refused).toBeGreaterThan(0);
    expect(figures.answered).toBeGreaterThan(0);
    console.info(
      `torture/regex: ${figures.cases} patterns x ${figures.texts} texts (up to 3,000 characters): ${figures.answered} answered, ${figures.refused} refused with QueryError, 0 other errors, 0 hangs`,
    );
  });
});
