import { describe, expect, it } from "vitest";
import { copyRecord, isPrototypeKey } from "../../../src/store/copy.js";

describe("copyRecord", () => {
  it("deep-copies plain data, arrays and dates into fresh objects", () => {
    const when = new Date("2020-01-02T03:04:05Z");
    const input = {
      a: 1,
      s: "x",
      n: null,
      u: undefined,
      d: when,
      list: [1, { b: [when] }],
      nested: { c: { d: 2 } },
    };
    const copy = copyRecord(input);
    expect(copy).toEqual(input);
    expect(copy.d).not.toBe(when);
    expect(copy.d.getTime()).toBe(when.getTime());
    expect(copy.list).not.toBe(input.list);
    expect(copy.list[1]).not.toBe(input.list[1]);
    expect((copy.list[1] as { b: Date[] }).b[0]).not.toBe(when);
    expect(copy.nested.c).not.toBe(input.nested.c);
    expect(Object.hasOwn(copy, "u")).toBe(true);
    expect(copyRecord(5)).toBe(5);
    expect(copyRecord(null)).toBe(null);
  });

  it("drops prototype keys at every depth and never changes a prototype", () => {
    const input = JSON.parse(
      '{"__proto__": {"polluted": 1}, "constructor": {"prototype": 1}, "prototype": 2, "ok": {"__proto__": {"x": 1}, "y": 1}}',
    ) as Record<string, unknown>;
    const copy = copyRecord(input) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(["ok"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy.ok as object)).toEqual(["y"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(["__proto__", "constructor", "prototype"].every(isPrototypeKey)).toBe(true);
    expect(isPrototypeKey("proto")).toBe(false);
  });

  it("copies own enumerable string keys only: no prototype getter runs, symbols and inherited keys are dropped", () => {
    let calls = 0;
    const proto = {
      get hidden() {
        calls++;
        return 1;
      },
    };
    Object.defineProperty(proto, "enumerableInherited", { enumerable: true, get: () => ++calls });
    const input = Object.create(proto) as Record<string | symbol, unknown>;
    input.own = [1, 2];
    input[Symbol("s")] = 3;
    Object.defineProperty(input, "invisible", { enumerable: false, value: 4 });
    const copy = copyRecord(input);
    expect(calls).toBe(0);
    expect(Reflect.ownKeys(copy)).toEqual(["own"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it("ignores enumerable keys added to Object.prototype", () => {
    const key = "perstoreCopyTestPolluted";
    Object.defineProperty(Object.prototype, key, {
      enumerable: true,
      configurable: true,
      writable: true,
      value: { x: 1 },
    });
    try {
      const copy = copyRecord({ a: { b: 1 } });
      expect(Object.hasOwn(copy, key)).toBe(false);
      expect(Object.hasOwn(copy.a, key)).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>)[key];
    }
  });

  it("copies class instances as plain objects and keeps RegExps", () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      get sum() {
        return this.x + this.y;
      }
    }
    const copy = copyRecord({ p: new Point(1, 2), r: /a+/gi });
    expect(Object.getPrototypeOf(copy.p)).toBe(Object.prototype);
    expect(copy.p).toEqual({ x: 1, y: 2 });
    expect(copy.r).toBeInstanceOf(RegExp);
    expect(copy.r.source).toBe("a+");
    expect(copy.r.flags).toBe("gi");
  });
});
