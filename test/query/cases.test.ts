import { describe, expect, it } from "vitest";
import { compileQuery, executeQuery, matches, parseQuery } from "perstore";
import { deepFreeze } from "./deep-freeze.js";

// Each case: a query and the ids it must match; run through the interpreter and the compiled predicate.
const records = deepFreeze<(Record<string, unknown> & { id: number })[]>([
  {
    id: 1,
    name: "Smith",
    age: 30,
    country: "Canada",
    province: "Ontario",
    tags: ["a", "b"],
    kids: [{ age: 1 }, { age: 5 }],
    born: new Date("1990-01-01T00:00:00Z"),
    active: true,
    nested: { x: 1 },
    at: "2020-01-01T00:00:00.000Z",
  },
  {
    id: 2,
    name: "Jones",
    age: 15,
    country: "India",
    province: "Quebec",
    tags: ["b"],
    kids: [],
    born: new Date("2005-06-01T00:00:00Z"),
    active: false,
    nested: { x: 2 },
    at: "2021-06-01T10:00:00+02:00",
  },
  { id: 3, name: "smith", age: null, country: "France", tags: [], active: true, at: "not a date" },
  { id: 4, name: "Li", age: "40", country: "India", province: null, at: "2020-01-01" },
  {
    id: 5,
    name: "Zoë 😀",
    age: 40,
    country: "Canada",
    province: "Quebec",
    tags: [1, "1"],
    nested: { x: "1" },
    at: new Date("2020-01-01T00:00:00Z"),
  },
  { id: 6, constructor: "yes", toString: 1, __proto__x: 2, age: 18 },
]);

const cases: [query: string, ids: number[], parameters?: unknown[]][] = [
  ["", [1, 2, 3, 4, 5, 6]],
  ["name=Smith", [1]],
  ["name==Smith", [1]],
  ["eq(name,Smith)", [1]],
  ["name!=Smith", [2, 3, 4, 5, 6]],
  ["age=30", [1]],
  ["age=string:30", []],
  ["age=string:40", [4]],
  ["age=40", [5]],
  ["age=null", [3]],
  ["isnull(province)", [3, 4, 6]],
  ["notnull(province)", [1, 2, 5]],
  ["ne(province,Quebec)", [1, 3, 4, 6]],
  ["ne(province,null)", [1, 2, 5]],
  ["age>=18", [1, 5, 6]],
  ["age>18", [1, 5]],
  ["age<18", [2]],
  ["age<=18", [2, 6]],
  ["age%3E=30", [1, 5]],
  ["age%3c18", [2]],
  ["age=ge=30", [1, 5]],
  ["age<string:5", [4]],
  ["lt(age,null)", []],
  ["between(age,(15,30))", [2, 6]],
  ["between(age,15,31)", [1, 2, 6]],
  ["in(country,(Canada,India))", [1, 2, 4, 5]],
  ["country=in=(France)", [3]],
  ["out(country,(Canada,India))", [3, 6]],
  ["in(province,(Quebec,null))", [2, 3, 4, 5, 6]],
  ["contains(tags,b)", [1, 2]],
  ["contains(tags,1)", [5]],
  ["contains(tags,string:1)", [5]],
  ["excludes(tags,b)", [3, 4, 5, 6]],
  ["contains(kids,age=5)", [1]],
  ["contains(kids,age>0)", [1]],
  ["contains(tags,ne(b))", [1, 5]],
  ["contains(name,mit)", [1, 3]],
  ["contains(name,re:SMI)", [1, 3]],
  ["starts(name,Sm)", [1]],
  ["ends(name,th)", [1, 3]],
  ["starts(age,4)", [4]],
  ["match(name,%5Esm)", [1, 3]],
  ["match(name,RE:%5ESm)", [1]],
  ["name=glob:sm*", [1, 3]],
  ["name=glob:%3Fi", [4]],
  ["name=re:O", [2, 5]],
  ["(name=Smith|age>=18)&country=in=(Canada,India)&province!=Quebec", [1]],
  ["and(or(eq(name,Smith),ge(age,18)),in(country,(Canada,India)),ne(province,Quebec))", [1]],
  ["or(name=Li,name=Jones)", [2, 4]],
  ["not(name=Li)", [1, 2, 3, 5, 6]],
  ["and()", [1, 2, 3, 4, 5, 6]],
  ["or()", []],
  ["born=date:1990-01-01T00:00:00Z", [1]],
  ["born=epoch:631152000000", [1]],
  ["born<isodate:2000", [1]],
  ["born>date:2000-01-01", [2]],
  ["born!=date:1990-01-01", [2, 3, 4, 5, 6]],
  ["active=true", [1, 3]],
  ["active=boolean:false", [2]],
  ["active<true", [2]],
  ["nested/x=1", [1]],
  ["nested/x=string:1", [5]],
  ["(nested,x)=2", [2]],
  ["nested/x>0", [1, 2]],
  ["name>Zoe", [3, 5]],
  ["name<%EF%BD%9E", [1, 2, 3, 4, 5]],
  ["name>%EF%BD%9E", []],
  ["constructor=yes", [6]],
  ["isnull(constructor)", [1, 2, 3, 4, 5]],
  ["toString=1", [6]],
  ["notnull(toString)", [6]],
  ["notnull(hasOwnProperty)", []],
  ["notnull(__proto__)", []],
  ["eq(valueOf,null)", [1, 2, 3, 4, 5, 6]],
  ["name=$1", [1], ["Smith"]],
  ["age>$1", [1, 5], [20]],
  ["in(country,$1)", [2, 3, 4], [["France", "India"]]],
  ["in(age,(15,$1))", [1, 2], [30]],
  ["contains(kids,age=$1)", [1], [1]],
  ["born<$1", [1], [new Date("2000-01-01T00:00:00Z")]],
  ["match(name,$1)", [1, 3], ["^SM"]],
  // A Date compares with Dates and ISO-8601 date-time strings by instant; other strings never match it.
  ["at=date:2020-01-01T00:00:00Z", [1, 4, 5]],
  ["at!=date:2020-01-01T00:00:00Z", [2, 3, 6]],
  ["at>date:2020-01-01T00:00:00Z", [2]],
  ["at>=date:2020-01-01T00:00:00Z", [1, 2, 4, 5]],
  ["at<date:2021-06-01T08:00:00Z", [1, 4, 5]],
  ["at<=date:2021-06-01T08:00:00Z", [1, 2, 4, 5]],
  ["between(at,(date:2020-01-01T00:00:00Z,date:2021-06-01T08:00:00Z))", [1, 4, 5]],
  ["in(at,(date:2021-06-01T08:00:00Z,x))", [2]],
  ["out(at,(date:2021-06-01T08:00:00Z))", [1, 3, 4, 5, 6]],
  ["at=$1", [1, 4, 5], [new Date("2020-01-01T00:00:00Z")]],
  ["at>$1", [2], [new Date("2020-01-01T00:00:00Z")]],
  ["ne(at,$1)", [2, 3, 6], [new Date("2020-01-01T00:00:00Z")]],
  [
    "between(at,$1)",
    [1, 4, 5],
    [[new Date("2020-01-01T00:00:00Z"), new Date("2021-01-01T00:00:00Z")]],
  ],
  // A string compares with strings by code point (an unencoded ISO date-time is a value, not a type prefix).
  ["at=2020-01-01T00:00:00.000Z", [1]],
  ["at>=2020-01-01T00:00:00Z", [2, 3]], // "...00.000Z" < "...00Z": "." sorts before "Z"
  ["born=1990-01-01T00:00:00.000Z", []],
];

describe("query cases: interpreter and compiled predicate agree", () => {
  for (const [query, ids, parameters] of cases) {
    it(query || "(empty)", () => {
      const parsed = parseQuery(query);
      const compiled = compileQuery(query);
      const interpreted = records
        .filter((r) => matches(parsed.filter, r, parameters))
        .map((r) => r.id);
      const viaCompiled = records.filter((r) => compiled.predicate(r, parameters)).map((r) => r.id);
      expect(interpreted).toEqual(ids);
      expect(viaCompiled).toEqual(ids);
      expect(compiled.filter(records, parameters).map((r) => r.id)).toEqual(ids);
      const executed = executeQuery(records, query, { parameters: parameters ?? [] }) as {
        id: number;
      }[];
      expect(executed.map((r) => r.id)).toEqual(ids);
    });
  }

  it("reads only own properties, also on class instances (the non-plain path)", () => {
    class Person {
      name = "Ann";
      greet() {
        return "hi";
      }
    }
    const p = new Person();
    for (const q of ["notnull(greet)", "isnull(greet)", "name=Ann", "notnull(constructor)"]) {
      expect(compileQuery(q).predicate(p)).toBe(matches(parseQuery(q).filter, p));
    }
    expect(compileQuery("isnull(greet)").predicate(p)).toBe(true);
    expect(compileQuery("name=Ann").predicate(p)).toBe(true);
    const evil = Object.create({ name: "Ann" }) as object;
    expect(compileQuery("name=Ann").predicate(evil)).toBe(false);
    expect(matches(parseQuery("name=Ann").filter, evil)).toBe(false);
  });

  it("takes the direct-read path only for objects whose prototype is Object.prototype", () => {
    class Named {
      get name(): string {
        throw new Error("a prototype getter must never run");
      }
    }
    // An own `constructor: Object` does not fool the guard: the prototype is still checked.
    const disguised = Object.assign(new Named(), { constructor: Object });
    const inherits = Object.create(Object.create({ name: "Ann" }) as object) as object;
    for (const record of [disguised, inherits, new Named()]) {
      expect(compileQuery("name=Ann").predicate(record)).toBe(false);
      expect(compileQuery("isnull(name)").predicate(record)).toBe(true);
      expect(matches(parseQuery("isnull(name)").filter, record)).toBe(true);
    }
  });

  it("inlines typed comparisons for literal operands (no helper call per record on plain objects)", () => {
    const { source, helpers } = compileQuery(
      "(name=Smith|age>=18)&country=in=(Canada,India)&province!=Quebec",
    );
    const fast = source.slice(0, source.indexOf("}"));
    expect(fast).toContain('record.name === "Smith"');
    expect(fast).toContain('typeof record.age === "number" && record.age >= 18');
    expect(fast).toContain('record.country === "Canada" || record.country === "India"');
    expect(fast).toContain('record.province !== "Quebec"');
    expect(fast).not.toMatch(/query[A-Z]\w*\(/);
    expect(helpers).toEqual(["queryOwn"]);
  });

  it("handles null-prototype records and primitives", () => {
    const bare = Object.assign(Object.create(null) as object, { name: "x" });
    expect(compileQuery("name=x").predicate(bare)).toBe(true);
    for (const v of [null, undefined, 1, "name", true]) {
      expect(compileQuery("name=x").predicate(v)).toBe(false);
      expect(compileQuery("isnull(name)").predicate(v)).toBe(true);
    }
  });

  it("caches per query string and parsed AST, but never serves a changed JSON query from the cache", () => {
    expect(compileQuery("a=1")).toBe(compileQuery("a=1"));
    const parsed = parseQuery("a=1");
    expect(compileQuery(parsed)).toBe(compileQuery(parsed));
    const where: { field: string; compare: "equals"; value: number } = {
      field: "a",
      compare: "equals",
      value: 1,
    };
    expect(compileQuery(where).predicate({ a: 1 })).toBe(true);
    where.value = 2;
    expect(compileQuery(where).predicate({ a: 2 })).toBe(true);
    expect(compileQuery(where).predicate({ a: 1 })).toBe(false);
  });

  it("a missing parameter is QUERY_PARAMETER on both paths", () => {
    expect(() => compileQuery("a=$2").predicate({ a: 1 }, [1])).toThrow(
      expect.objectContaining({ code: "QUERY_PARAMETER" }),
    );
    expect(() => matches(parseQuery("a=$2").filter, { a: 1 }, [1])).toThrow(
      expect.objectContaining({ code: "QUERY_PARAMETER" }),
    );
  });
});
