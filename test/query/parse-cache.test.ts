import { describe, expect, it } from "vitest";
import { QueryError, parseQuery, type QuerySchema } from "perstore";

describe("parseQuery cache", () => {
  it("returns the same frozen AST for the same string, so compiled predicates and plans are reused", () => {
    const a = parseQuery("age>=18&sort(-age)");
    expect(parseQuery("age>=18&sort(-age)")).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("keeps schema-bound parses apart from unbound ones and per schema", () => {
    const schema: QuerySchema = { primaryKey: "id", fields: { id: "string", zip: "string" } };
    const other: QuerySchema = { primaryKey: "id", fields: { id: "string", zip: "number" } };
    const bound = parseQuery("zip=02139", { schema });
    expect(parseQuery("zip=02139", { schema })).toBe(bound);
    expect(parseQuery("zip=02139")).not.toBe(bound);
    expect(parseQuery("zip=2139", { schema: other })).not.toBe(parseQuery("zip=2139", { schema }));
    const value = (q: ReturnType<typeof parseQuery>) =>
      q.filter.kind === "condition" && q.filter.value?.kind === "literal"
        ? q.filter.value.value
        : undefined;
    expect(value(parseQuery("zip=2139", { schema }))).toBe("2139");
    expect(value(parseQuery("zip=2139", { schema: other }))).toBe(2139);
  });

  it("does not cache failures: a bad string throws every time", () => {
    expect(() => parseQuery("eq(a,1")).toThrow(QueryError);
    expect(() => parseQuery("eq(a,1")).toThrow(QueryError);
  });
});
