import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateJsonError } from "../../../src/store/json-file/locate-json-error.js";

describe("locateJsonError", () => {
  it.each([
    ["", 0, 1, 1],
    ["{", 1, 1, 2],
    ["[1,]", 3, 1, 4],
    ["[1 2]", 3, 1, 4],
    ["xyz", 0, 1, 1],
    ['{"a" 1}', 5, 1, 6],
    ["[1]x", 3, 1, 4],
    ["tru", 3, 1, 4],
    ["01", 1, 1, 2],
    ['"\\x"', 2, 1, 3],
    ['[\n{"a":1},\n{"b":2,}\n]', 18, 3, 8],
    ['[\n  "a\nb"]', 6, 2, 5],
  ])("finds the error in %j", (text, offset, line, column) => {
    expect(locateJsonError(text)).toEqual({ offset, line, column });
  });

  it("accepts valid JSON", () => {
    for (const text of [
      "[]",
      " {} ",
      '[1,{"a":[true,false,null,-1.5e3,"x\\u0041"]},{}]',
      "0",
      '"s"',
    ]) {
      expect(locateJsonError(text)).toBeUndefined();
    }
  });

  it("survives deep nesting", () => {
    expect(locateJsonError("[".repeat(200_000))).toEqual({
      offset: 200_000,
      line: 1,
      column: 200_001,
    });
  });

  it("agrees with JSON.parse on damaged JSON", () => {
    const damaged = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom("", "{", "}", "[", "]", ",", ":", '"', "x", "0", "\n", "\\"),
        fc.boolean(),
      )
      .map(([text, at, ch, replace]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + ch + text.slice(replace ? i + 1 : i);
      });
    fc.assert(
      fc.property(damaged, (text) => {
        let reported: number | undefined;
        let valid = true;
        try {
          JSON.parse(text);
        } catch (error) {
          valid = false;
          const match = /at position (\d+)/.exec((error as Error).message);
          if (match) reported = Number(match[1]);
        }
        const found = locateJsonError(text);
        expect(found === undefined).toBe(valid);
        if (reported !== undefined) expect(found?.offset).toBe(reported);
      }),
      { numRuns: 300 },
    );
  });
});
