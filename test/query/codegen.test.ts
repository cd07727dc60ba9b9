import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { code, literal, name, property } from "../../src/codegen/index.js";
import type { LiteralValue } from "../../src/codegen/index.js";

const evaluate = (source: string): unknown => new Function(`"use strict"; return (${source});`)();

describe("codegen", () => {
  it("writes literals that evaluate back to the same value", () => {
    expect(Object.is(evaluate(literal(-0).toString()), -0)).toBe(true);
    expect(evaluate(literal(NaN).toString())).toBeNaN();
    expect(evaluate(literal(-Infinity).toString())).toBe(-Infinity);
    expect(evaluate(literal(undefined).toString())).toBeUndefined();
    expect(evaluate(literal(new Date(123)).toString())).toEqual(new Date(123));
    expect(evaluate(literal(/a"\/b/giu).toString())).toEqual(/a"\/b/giu);
    expect(evaluate(literal({ a: [1, "x", null], __proto__x: 1 }).toString())).toEqual({
      a: [1, "x", null],
      __proto__x: 1,
    });
    const withProto = JSON.parse('{"__proto__": {"polluted": true}}') as LiteralValue;
    const back = evaluate(literal(withProto).toString()) as object;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(code`1 - ${-1}`.toString()).toBe("1 - (-1)");
  });

  it("any string stays a string literal, whatever it contains", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const source = code`${name("f")}(${text})`.toString();
        expect(new Function("f", `"use strict"; return ${source};`)((x: unknown) => x)).toBe(text);
      }),
      { numRuns: 300 },
    );
    const attack = `"); globalThis.pwned = 1; ("\u2028*/`;
    expect(evaluate(code`${attack}`.toString())).toBe(attack);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it("only accepts safe identifiers as names", () => {
    expect(name("record").toString()).toBe("record");
    for (const bad of ["a b", "1a", "a;b", "return", "constructor()", "", "a-b"])
      expect(() => name(bad)).toThrow(TypeError);
    expect(property(name("o"), "a-b").toString()).toBe('o["a-b"]');
    expect(property(name("o"), "ab").toString()).toBe("o.ab");
  });
});
