/**
 * formatRql: a query written back as RQL means the same query. Property:
 * for generated queries (and parameters), executing the formatted text gives
 * exactly what executing the original gives.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { executeQuery, formatRql, parseQuery } from "../../src/query/index.js";
import { itemsArb, PARAMETERS, queryArb, querySchema } from "../parity/parity-arbitraries.js";
import { parityQueryText, settle } from "../parity/parity-compare.js";

describe("formatRql", () => {
  it("round-trips generated queries: same answers on the same records", async () => {
    await fc.assert(
      fc.asyncProperty(itemsArb, queryArb, async (items, q) => {
        const { text } = parityQueryText(q);
        const parsed = await settle(() => parseQuery(text, { schema: querySchema }));
        if (!parsed.ok) return;
        const original = await settle(() =>
          executeQuery(items, text, { schema: querySchema, parameters: PARAMETERS } as never),
        );
        // Parameters stay placeholders here: inlined, a value is typed by the schema like any literal.
        const formatted = formatRql(parsed.value as never);
        const again = await settle(() =>
          executeQuery(items, formatted, { schema: querySchema, parameters: PARAMETERS } as never),
        );
        expect({ text, formatted, result: again }).toEqual({ text, formatted, result: original });
      }),
      { numRuns: 300 },
    );
  });

  it("writes JSON query objects and typed values so they read back with their types", () => {
    const cases: [unknown, string][] = [
      [{ field: "name", compare: "equals", value: "42" }, "eq(name,string:42)"],
      [{ field: "name", compare: "equals", value: "a,b&(c)" }, "eq(name,a%2Cb%26%28c%29)"],
      [{ field: "age", compare: "in", value: [1, 2] }, "in(age,(1,2))"],
      [
        {
          join: "or",
          terms: [
            { field: "a/b", compare: "isnull" },
            { field: "x", compare: "gt", value: true, not: true },
          ],
        },
        "or(isnull(a/b),not(gt(x,true)))",
      ],
    ];
    for (const [json, rql] of cases) expect(formatRql(parseQuery(json as never))).toBe(rql);
    const at = new Date("2024-01-02T03:04:05.006Z");
    const q = parseQuery("eq(at,$1)&match(name,$2)&sort(-at)&limit(5,10)");
    expect(formatRql(q, { parameters: [at, /^a.c/i] })).toBe(
      "eq(at,date:2024-01-02T03%3A04%3A05.006Z)&match(name,re:%5Ea.c)&sort(-at)&limit(5,10)",
    );
    expect(parseQuery(formatRql(q, { parameters: [at, /x/] })).filter).toMatchObject({
      terms: [{ value: { value: at } }, { value: { value: /x/ } }],
    });
  });
});
