import { describe, expect, it } from "vitest";
import { QueryError, bindSchema, parseQuery } from "perstore";
import type { QuerySchema } from "perstore";

function failure(input: string, schema?: QuerySchema): QueryError {
  try {
    parseQuery(input, schema ? { schema } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(QueryError);
    return error as QueryError;
  }
  throw new Error(`expected ${input} to fail`);
}

describe("RQL parsing", () => {
  it("sugar, FIQL and calls give the same AST", () => {
    const a = parseQuery("age>=18");
    expect(parseQuery("age=ge=18")).toEqual(a);
    expect(parseQuery("ge(age,18)")).toEqual(a);
    expect(parseQuery("age%3E=18")).toEqual(a);
    expect(a.filter).toEqual({
      kind: "condition",
      op: "ge",
      path: ["age"],
      value: { kind: "literal", value: 18, raw: "18" },
    });
  });

  it("returns a deep-frozen AST", () => {
    const q = parseQuery("a=1&sort(+b)&limit(5)");
    expect(Object.isFrozen(q)).toBe(true);
    expect(Object.isFrozen(q.filter)).toBe(true);
    expect(Object.isFrozen(q.sort[0])).toBe(true);
  });

  it("auto-types values only when they print back identically", () => {
    const value = (s: string) =>
      (parseQuery(`a=${s}`).filter as { value: { value: unknown } }).value.value;
    expect(value("42")).toBe(42);
    expect(value("-2")).toBe(-2);
    expect(value("1.5")).toBe(1.5);
    expect(value("03")).toBe("03");
    expect(value("1e3")).toBe("1e3");
    expect(value("1.0")).toBe("1.0");
    expect(value("true")).toBe(true);
    expect(value("null")).toBe(null);
    expect(value("undefined")).toBe(undefined);
    expect(value("Infinity")).toBe(Infinity);
    expect(value("-Infinity")).toBe(-Infinity);
    expect(value("NaN")).toBe("NaN");
    expect(value("%27hello%27")).toBe("hello");
    expect(value("%2742%27")).toBe("42");
    expect(value("%27a%5C%27b%22c%5Cn%27")).toBe("a'b\"c\n");
    expect(value("%22hello%22")).toBe('"hello"'); // only single quotes quote
    expect(value("%27open")).toBe("'open");
    expect(() => value("%27bad%5Cx%27")).toThrow(
      expect.objectContaining({ code: "QUERY_BAD_VALUE" }),
    );
    expect(value("a%2Cb%28c%26")).toBe("a,b(c&");
    expect(value("")).toBe("");
    expect(value("string:3")).toBe("3");
    expect(value("number:3")).toBe(3);
    expect(value("boolean:false")).toBe(false);
    expect(value("date:2009-05-01T10:20:30.21Z")).toEqual(
      new Date(Date.UTC(2009, 4, 1, 10, 20, 30, 210)),
    );
    expect(value("date:2009-05-01T12:00:00%2B02:00")).toEqual(new Date(Date.UTC(2009, 4, 1, 10)));
    expect(value("epoch:1000")).toEqual(new Date(1000));
    expect(value("isodate:2009-05")).toEqual(new Date(Date.UTC(2009, 4, 1)));
    expect(value("re:ab")).toEqual(/ab/i);
    expect(value("RE:ab")).toEqual(/ab/);
    expect((value("glob:t*") as RegExp).test("TOP")).toBe(true);
    expect((value("glob:t*") as RegExp).test("at")).toBe(false);
    expect((value("glob:*t") as RegExp).test("AT")).toBe(true);
    expect((value("glob:*t") as RegExp).test("ta")).toBe(false);
    expect((value("glob:*o*") as RegExp).test("top")).toBe(true);
    expect((value("glob:t%3Fp") as RegExp).test("tOp")).toBe(true);
    expect((value("glob:t%3Fp") as RegExp).test("toop")).toBe(false);
    expect((value("glob:a.b") as RegExp).test("axb")).toBe(false);
  });

  it("reads placeholders, lists, paths and encoded names", () => {
    expect(parseQuery("a=$2").filter).toMatchObject({ value: { kind: "param", index: 2 } });
    expect(parseQuery("tags=in=(a,b)").filter).toMatchObject({
      op: "in",
      value: { kind: "list", items: [{ value: "a" }, { value: "b" }] },
    });
    expect(parseQuery("a/b/c=1").filter).toMatchObject({ path: ["a", "b", "c"] });
    expect(parseQuery("(a,b)=1").filter).toMatchObject({ path: ["a", "b"] });
    expect(parseQuery("a%2Fb=1").filter).toMatchObject({ path: ["a/b"] });
    expect(parseQuery("contains(kids,age=1)").filter).toMatchObject({
      op: "contains",
      value: { kind: "subquery", filter: { op: "eq", path: ["age"] } },
    });
  });

  it("groups with & and | and parentheses", () => {
    expect(parseQuery("a=1|b=2").filter.kind).toBe("or");
    expect(parseQuery("a=1&(b=2|c=3)").filter).toMatchObject({
      kind: "and",
      terms: [{ op: "eq" }, { kind: "or" }],
    });
    expect(parseQuery("a=1,b=2").filter.kind).toBe("and");
  });

  it("collects every result operator", () => {
    const q = parseQuery(
      "a=1&sort(+b,-c/d,e)&limit(10,20,100)&select(a,b)&distinct()&sum(x)&recurse(kids)",
    );
    expect(q.sort).toEqual([
      { path: ["b"], descending: false },
      { path: ["c", "d"], descending: true },
      { path: ["e"], descending: false },
    ]);
    expect(q.limit).toMatchObject({
      count: { value: 10 },
      start: { value: 20 },
      maxCount: { value: 100 },
    });
    expect(q.projection).toEqual({ kind: "select", paths: [["a"], ["b"]] });
    expect(q.distinct).toBe(true);
    expect(q.result).toEqual({ kind: "sum", path: ["x"] });
    expect(q.recurse).toEqual(["kids"]);
    expect(parseQuery("aggregate(country,count(),mean(age))").aggregate).toEqual({
      groupBy: [["country"]],
      aggregates: [
        { name: "count", fn: "count" },
        { name: "mean_age", fn: "mean", path: ["age"] },
      ],
    });
    for (const op of ["count", "first", "one"])
      expect(parseQuery(`${op}()`).result).toEqual({ kind: op });
    expect(parseQuery("values(a,b)").projection).toEqual({ kind: "values", paths: [["a"], ["b"]] });
    expect(parseQuery("unselect(a)").projection).toEqual({ kind: "unselect", paths: [["a"]] });
    expect(parseQuery("search(hello)").filter).toMatchObject({ kind: "search" });
  });

  it.each([
    ["?a=1", "QUERY_SYNTAX", 0],
    ["a=1 ", "QUERY_SYNTAX", 3],
    ["a=1&b=2|c=3", "QUERY_MIXED_GROUP", 7],
    ["foo(a,1)", "QUERY_UNKNOWN_OPERATOR", 0],
    ["a=1&constructor(a,1)", "QUERY_UNKNOWN_OPERATOR", 4],
    ["__proto__(a)", "QUERY_UNKNOWN_OPERATOR", 0],
    ["toString(a)", "QUERY_UNKNOWN_OPERATOR", 0],
    ["a=toString=1", "QUERY_UNKNOWN_OPERATOR", 2],
    ["a=x:1", "QUERY_BAD_VALUE", 2],
    ["a=number:abc", "QUERY_BAD_VALUE", 2],
    ["a=date:2009-02-30", "QUERY_BAD_VALUE", 2],
    ["a=boolean:yes", "QUERY_BAD_VALUE", 2],
    ["a=re:%28", "QUERY_BAD_VALUE", 2],
    ["a=%E0%A4%A", "QUERY_BAD_VALUE", 2],
    ["a=ok%ZZ", "QUERY_BAD_VALUE", 4],
    ["a=x%41%FFy", "QUERY_BAD_VALUE", 6],
    ["a=%C3%A9%E0%A4", "QUERY_BAD_VALUE", 8],
    ["a=string:x%2", "QUERY_BAD_VALUE", 10],
    ["b/c%G=1", "QUERY_BAD_VALUE", 3],
    ["a=$0", "QUERY_PARAMETER", 2],
    ["eq(a,1", "QUERY_SYNTAX", 6],
    ["a=1)", "QUERY_SYNTAX", 3],
    ["limit(-1)", "QUERY_BAD_VALUE", 6],
    ["limit(a)", "QUERY_BAD_VALUE", 6],
    ["between(a,(1,2,3))", "QUERY_BAD_VALUE", 10],
    ["or(a=1,sort(+a))", "QUERY_SYNTAX", 7],
    ["sort(a)&sort(b)", "QUERY_SYNTAX", 8],
    ["a!1", "QUERY_SYNTAX", 1],
    ["a=1=2", "QUERY_UNKNOWN_OPERATOR", 2],
    ["abc", "QUERY_SYNTAX", 0],
    ["eq(a,b=1)", "QUERY_BAD_VALUE", 5],
    ["aggregate(count,count())", "QUERY_BAD_VALUE", 16],
    ["aggregate(a,sum(x),sum(x))", "QUERY_BAD_VALUE", 19],
    ["aggregate(a,a,count())", "QUERY_BAD_VALUE", 12],
    ["aggregate(a,count())&sort(-b)", "QUERY_UNKNOWN_PROPERTY", 26],
    ["aggregate(a,count())&select(a,x)", "QUERY_UNKNOWN_PROPERTY", 21],
    ["aggregate(a,count())&max(x)", "QUERY_UNKNOWN_PROPERTY", 21],
  ])("%s -> %s at %i", (input, code, position) => {
    const error = failure(input);
    expect(error.code).toBe(code);
    expect(error.position).toBe(position);
  });

  it("rejects nesting too deep to evaluate with a QueryError, not a stack overflow", () => {
    for (const input of [
      "(".repeat(20000),
      "not(".repeat(20000) + "a=1",
      "in(a," + "(".repeat(20000),
    ]) {
      const error = failure(input);
      expect(error.code).toBe("QUERY_SYNTAX");
      expect(typeof error.position).toBe("number");
    }
    const ok = "not(".repeat(100) + "a=1" + ")".repeat(100);
    expect(parseQuery(ok).filter.kind).toBe("not");
  });
});

describe("JSON query objects", () => {
  it("maps compare names and joins", () => {
    const q = parseQuery({
      join: "or",
      terms: [
        { field: "age", compare: "gt", value: 22 },
        { field: "name", compare: "starts", value: "Ji", not: true },
        { field: "x", compare: "isnull" },
        { field: "c", compare: "in", value: ["a", 1] },
        { field: "p", compare: "equals", value: "$1" },
      ],
    });
    expect(q.filter).toEqual({
      kind: "or",
      terms: [
        { kind: "condition", op: "gt", path: ["age"], value: { kind: "literal", value: 22 } },
        {
          kind: "not",
          term: {
            kind: "condition",
            op: "starts",
            path: ["name"],
            value: { kind: "literal", value: "Ji" },
          },
        },
        { kind: "condition", op: "isnull", path: ["x"] },
        {
          kind: "condition",
          op: "in",
          path: ["c"],
          value: {
            kind: "list",
            items: [
              { kind: "literal", value: "a" },
              { kind: "literal", value: 1 },
            ],
          },
        },
        { kind: "condition", op: "eq", path: ["p"], value: { kind: "param", index: 1 } },
      ],
    });
  });

  it.each([
    [{ field: "a", compare: "like", value: 1 }, "QUERY_UNKNOWN_OPERATOR"],
    [{ field: "a", compare: "constructor", value: 1 }, "QUERY_UNKNOWN_OPERATOR"],
    [{ field: "a", compare: "toString", value: 1 }, "QUERY_UNKNOWN_OPERATOR"],
    [{ join: "xor", terms: [] }, "QUERY_UNKNOWN_OPERATOR"],
    [{ join: "and", terms: "x" }, "QUERY_SYNTAX"],
    [{ compare: "equals", value: 1 }, "QUERY_BAD_VALUE"],
    [{ field: "a", compare: "equals" }, "QUERY_BAD_VALUE"],
    [{ field: "a", compare: "equals", value: { x: 1 } }, "QUERY_BAD_VALUE"],
    [{ field: "a", compare: "equals", value: 1, not: "yes" }, "QUERY_BAD_VALUE"],
    [{ join: "and", terms: [null] }, "QUERY_SYNTAX"],
    [{ field: "a", compare: "equals", value: 1, nto: true }, "QUERY_SYNTAX"],
    [{ join: "and", terms: [], not: true }, "QUERY_SYNTAX"],
  ])("%j -> %s", (input, code) => {
    expect(() => parseQuery(input as never)).toThrow(expect.objectContaining({ code }));
  });

  it("rejects nesting too deep (or cyclic) with a QueryError, not a stack overflow", () => {
    let deep: object = { field: "a", compare: "equals", value: 1 };
    for (let i = 0; i < 20000; i++) deep = { join: "or", terms: [deep] };
    expect(() => parseQuery(deep as never)).toThrow(
      expect.objectContaining({ code: "QUERY_SYNTAX" }),
    );
    const cyclic: { join: string; terms: unknown[] } = { join: "and", terms: [] };
    cyclic.terms.push(cyclic);
    expect(() => parseQuery(cyclic as never)).toThrow(
      expect.objectContaining({ code: "QUERY_SYNTAX" }),
    );
    let value: unknown = 1;
    for (let i = 0; i < 20000; i++) value = [value];
    expect(() => parseQuery({ field: "a", compare: "in", value } as never)).toThrow(
      expect.objectContaining({ code: "QUERY_SYNTAX" }),
    );
  });

  it("never reads compare or field from a prototype", () => {
    const sneaky = Object.create({ field: "a", compare: "equals", value: 1 }) as never;
    expect(() => parseQuery(sneaky)).toThrow(QueryError);
    const parsed = JSON.parse(
      '{"field":"a","compare":"equals","value":1,"__proto__":{"not":true}}',
    ) as never;
    expect(parseQuery(parsed).filter.kind).toBe("condition");
  });
});

describe("bindSchema", () => {
  const schema: QuerySchema = {
    primaryKey: "id",
    fields: {
      id: "integer",
      zip: "string",
      age: "number",
      born: "date-time",
      active: "boolean",
      meta: "object",
      tags: "array",
    },
  };

  it("re-types auto-typed literals to the property type", () => {
    expect(parseQuery("zip=02139", { schema }).filter).toMatchObject({ value: { value: "02139" } });
    expect(parseQuery("zip=30", { schema }).filter).toMatchObject({ value: { value: "30" } });
    expect(parseQuery("age=03", { schema }).filter).toMatchObject({ value: { value: 3 } });
    expect(parseQuery("born=2009-05-01", { schema }).filter).toMatchObject({
      value: { value: new Date(Date.UTC(2009, 4, 1)) },
    });
    expect(parseQuery("in(zip,(1,2))", { schema }).filter).toMatchObject({
      value: { items: [{ value: "1" }, { value: "2" }] },
    });
    expect(parseQuery("zip=null", { schema }).filter).toMatchObject({ value: { value: null } });
    expect(parseQuery("meta/x/y=1&contains(tags,1)", { schema }).filter).toMatchObject({
      kind: "and",
    });
  });

  it("rejects unknown properties and wrong explicit types, with positions", () => {
    const unknown = failure("age=1&nope=2", schema);
    expect(unknown.code).toBe("QUERY_UNKNOWN_PROPERTY");
    expect(unknown.position).toBe(6);
    expect(failure("sort(+nope)", schema).code).toBe("QUERY_UNKNOWN_PROPERTY");
    // The position is the unknown name's, not its call's.
    expect(failure("eq(nope,1)", schema).position).toBe(3);
    expect(failure("and(age=1,ge(x/y,2))", schema).position).toBe(13);
    expect(failure("sort(+age,-nope)", schema).position).toBe(11);
    expect(failure("constructor=1", schema).code).toBe("QUERY_UNKNOWN_PROPERTY");
    const mismatch = failure("age=string:3", schema);
    expect(mismatch.code).toBe("QUERY_TYPE_MISMATCH");
    expect(mismatch.position).toBe(4);
    expect(failure("zip=number:3", schema).code).toBe("QUERY_TYPE_MISMATCH");
    expect(failure("age=abc", schema).code).toBe("QUERY_TYPE_MISMATCH");
    expect(failure("born=date:2009-05-01&active=number:1", schema).code).toBe(
      "QUERY_TYPE_MISMATCH",
    );
  });

  it("checks sort, projection and result after aggregate() against its outputs, not the schema", () => {
    const q = parseQuery("aggregate(zip,count(),sum(age))&sort(-count,zip)&select(zip,sum_age)", {
      schema,
    });
    expect(q.sort).toEqual([
      { path: ["count"], descending: true },
      { path: ["zip"], descending: false },
    ]);
    expect(parseQuery("aggregate(zip,max(meta/x))&max(max_meta/x)", { schema }).result).toEqual({
      kind: "max",
      path: ["max_meta/x"],
    });
    const wrong = failure("aggregate(zip,count())&sort(-age)", schema);
    expect(wrong.code).toBe("QUERY_UNKNOWN_PROPERTY");
    expect(wrong.position).toBe(28);
    // A hand-built AST (no parser check) gets the same answer from bindSchema.
    const built = {
      ...parseQuery("aggregate(zip,count())"),
      sort: [{ path: ["age"], descending: false }],
    };
    expect(() => bindSchema(built, schema)).toThrow(
      expect.objectContaining({ code: "QUERY_UNKNOWN_PROPERTY" }),
    );
    expect(
      bindSchema({ ...built, sort: [{ path: ["count"], descending: true }] }, schema).sort,
    ).toHaveLength(1);
  });

  it("does not change the query it binds", () => {
    const q = parseQuery("zip=30");
    const bound = bindSchema(q, schema);
    expect(q.filter).toMatchObject({ value: { value: 30 } });
    expect(bound.filter).toMatchObject({ value: { value: "30" } });
    expect(Object.isFrozen(bound.filter)).toBe(true);
  });
});
