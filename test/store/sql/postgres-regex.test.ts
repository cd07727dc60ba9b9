/**
 * toPostgresRegex: a pattern as perstore's linear-time matcher reads it and
 * its PostgreSQL translation (used with `~`) match exactly the same strings —
 * checked on the database itself for hand-picked and generated patterns and
 * texts. (test/query/pattern.test.ts checks the matcher against JavaScript.)
 */
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePattern } from "../../../src/query/pattern/index.js";
import { globToRegExp } from "../../../src/query/values.js";
import { toPostgresRegex } from "../../../src/store/sql/postgres-regex.js";
import { openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

const TEXTS = [
  "",
  "a",
  "A",
  "ab",
  "aB",
  "Smith",
  "smith",
  "x.y",
  "x\ny",
  "a b",
  "a\tb",
  "k",
  "K",
  "\u212a",
  "s",
  "\u017f",
  "é",
  "É",
  "日本",
  "😀",
  "a😀b",
  "_",
  "-",
  "[",
  "]",
  "a-z",
  "9",
  "x*y",
  "?",
  "(a)",
  "a{2}",
  "aa",
  "aaa",
  "\u00a0",
  "\u2028",
  "A1_b2",
];

const CASES: [source: string, flags: string][] = [
  ["a", ""],
  ["a", "i"],
  ["^sm", "i"],
  ["^Sm", ""],
  ["th$", ""],
  ["x.y", ""],
  ["x.y", "s"],
  ["^.$", "u"],
  ["\\d", ""],
  ["\\D", "i"],
  ["\\w+", ""],
  ["^\\w+$", "iu"],
  ["\\W", "iu"],
  ["\\s", ""],
  ["\\S", ""],
  ["[a-c]", "i"],
  ["[^a-c]", "i"],
  ["[^a]", ""],
  ["[\\d-z]", ""],
  ["[\\s\\S]", ""],
  ["[]", ""],
  ["[^]", ""],
  ["a{2}", ""],
  ["a{2,}", ""],
  ["a{1,2}?", ""],
  ["(a|b)c?", ""],
  ["(?:a|)b", ""],
  ["a|", ""],
  ["\\x41", "i"],
  ["\\u00e9", ""],
  ["\\u{1F600}", "u"],
  ["\\.", ""],
  ["\\*", ""],
  ["\\(a\\)", ""],
  ["\\[", ""],
  ["k", "iu"],
  ["s", "iu"],
  ["é", ""],
  ["日", ""],
  ["a\\-z", ""],
  ["\\/", ""],
  ["(?:)", ""],
  ["[\\b]", ""],
  ["\\t", ""],
  ["^$", ""],
  ["é", "i"],
  ["[à-ÿ]+", "i"],
  ["σ", "i"],
  ["😀+", ""],
  ["[😀-😂]", ""],
  ["\\0", ""],
  ["a{0}b", ""],
  ["(a|ab)(c|bcd)(d*)", ""],
  ["^(a+)+$", ""],
  ["(?:a?){3}a{3}", ""],
  ["[\\w-]", "i"],
];

/** What the matcher (the reference) says for each text. */
function expected(source: string, flags: string, texts: readonly string[]): boolean[] {
  const matcher = compilePattern(source, flags);
  return texts.map((t) => matcher.test(t));
}

const REFUSED: [source: string, flags: string][] = [
  ["\\bword", ""],
  ["(a)\\1", ""],
  ["(?=a)", ""],
  ["(?<!a)b", ""],
  ["(?<n>a)", ""],
  ["a", "m"],
  ["a", "v"],
  ["\\p{L}", "u"],
  ["a{256}", ""],
  ["(a{100}){100}", ""],
  ["\\cA", ""],
  ["\\07", ""],
];

for (const target of testTargets()) {
  describe(`toPostgresRegex on ${target.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await openTestDatabase(target, "regex");
    });
    afterAll(async () => database?.close());

    /** For each text: does PostgreSQL's `~` find the translated pattern? */
    async function postgres(pattern: string, texts: readonly string[]): Promise<boolean[]> {
      const { rows } = await sql<{
        t: string;
        m: boolean;
      }>`select t, t ~ ${pattern}::text as m from unnest(${texts}::text[]) with ordinality as x(t, n) order by n`.execute(
        database.db,
      );
      return rows.map((r) => r.m);
    }

    it("matches the same texts as the matcher for each construct", async () => {
      for (const [source, flags] of CASES) {
        const translated = toPostgresRegex(source, flags);
        expect(await postgres(translated, TEXTS), `/${source}/${flags} as ${translated}`).toEqual(
          expected(source, flags, TEXTS),
        );
      }
    });

    it("translates glob patterns (anchored, case-insensitive, ? is one character)", async () => {
      for (const glob of ["sm*", "*ith", "?", "??", "a*b", "*.*", "x%y_", "[a]", "*"]) {
        const re = globToRegExp(glob);
        const texts = [...TEXTS, "x%y_", "[a]"];
        expect(await postgres(toPostgresRegex(re.source, re.flags), texts), glob).toEqual(
          expected(re.source, re.flags, texts),
        );
      }
    });

    it("refuses what is outside the pattern language, with QUERY_BAD_VALUE naming the pattern", () => {
      for (const [source, flags] of REFUSED) {
        expect(() => toPostgresRegex(source, flags), `/${source}/${flags}`).toThrow(
          expect.objectContaining({
            code: "QUERY_BAD_VALUE",
            message: expect.stringContaining(source),
          }),
        );
      }
    });

    it("answers the patterns that stall a backtracking engine, as the matcher does", async () => {
      const texts = [`${"a".repeat(40)}!`, "a".repeat(3000), `${"ab".repeat(1500)}!`, "aaaa"];
      for (const source of [
        "(a+)+$",
        "(a|aa)+$",
        "^(a|a)*$",
        "(.*a){20}$",
        "^(\\w+\\s?)*$",
        "(a*)*b",
      ]) {
        expect(await postgres(toPostgresRegex(source, "i"), texts), source).toEqual(
          expected(source, "i", texts),
        );
      }
    });

    it("agrees with the matcher on generated patterns", async () => {
      const atom = fc.oneof(
        fc.constantFrom(
          "a",
          "B",
          "k",
          "s",
          "é",
          ".",
          "\\d",
          "\\w",
          "\\s",
          "\\W",
          "[a-c]",
          "[^b]",
          "[\\d_]",
          "\\.",
          "-",
          " ",
        ),
        fc.constantFrom(
          "(a|b)",
          "(?:ab)",
          "[A-Z]",
          "(?:(a+)+)",
          "(?:(?:a|ab)*)",
          "[é-ï]",
          "σ",
          "Ω",
        ),
      );
      const term = fc
        .tuple(atom, fc.constantFrom("", "*", "+", "?", "{1,2}"))
        .map(([a, q]) => a + q);
      const pattern = fc
        .tuple(fc.boolean(), fc.array(term, { minLength: 1, maxLength: 4 }), fc.boolean())
        .map(([s, t, e]) => `${s ? "^" : ""}${t.join("")}${e ? "$" : ""}`);
      const text = fc
        .array(
          fc.constantFrom(
            "a",
            "A",
            "b",
            "B",
            "k",
            "\u212a",
            "s",
            "\u017f",
            "é",
            "1",
            "_",
            " ",
            ".",
            "-",
            "\n",
            "z",
            "É",
            "ς",
            "Σ",
            "ω",
            "😀",
          ),
          { maxLength: 5 },
        )
        .map((c) => c.join(""));
      await fc.assert(
        fc.asyncProperty(
          pattern,
          fc.constantFrom("", "i", "iu", "u", "s"),
          fc.array(text, { minLength: 1, maxLength: 8 }),
          async (source, flags, texts) => {
            const translated = toPostgresRegex(source, flags);
            expect(
              await postgres(translated, texts),
              `/${source}/${flags} as ${translated} on ${JSON.stringify(texts)}`,
            ).toEqual(expected(source, flags, texts));
          },
        ),
        { numRuns: 150 },
      );
    });
  });
}
