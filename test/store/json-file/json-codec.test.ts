import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StoreError } from "../../../src/errors/index.js";
import {
  encodeRecords,
  fromJsonValue,
  toJsonValue,
} from "../../../src/store/json-file/json-codec.js";
import { parseDataFile } from "../../../src/store/json-file/data-file.js";

/** Through real JSON text, as the file holds it. */
const roundTrip = (value: unknown) => fromJsonValue(JSON.parse(JSON.stringify(toJsonValue(value))));

describe("JSON codec", () => {
  it("tags the values JSON lacks and reads them back", () => {
    const value = {
      when: new Date("2001-02-03T04:05:06.789Z"),
      invalid: new Date(Number.NaN),
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1.5],
      pattern: /a+b/gi,
    };
    expect(toJsonValue(value)).toEqual({
      when: { $date: "2001-02-03T04:05:06.789Z" },
      invalid: { $date: null },
      numbers: [
        { $number: "NaN" },
        { $number: "Infinity" },
        { $number: "-Infinity" },
        { $number: "-0" },
        0,
        1.5,
      ],
      pattern: { $regexp: { source: "a+b", flags: "gi" } },
    });
    const back = roundTrip(value) as typeof value;
    expect(back.when).toBeInstanceOf(Date);
    expect(back.when.getTime()).toBe(value.when.getTime());
    expect(Number.isNaN(back.invalid.getTime())).toBe(true);
    expect(Object.is(back.numbers[3], -0)).toBe(true);
    expect(back.numbers).toEqual(value.numbers);
    expect(back.pattern).toEqual(/a+b/gi);
  });

  it("escapes user objects that look like tags", () => {
    const value = {
      a: { $date: "not a date" },
      b: { $escape: { $date: 1 } },
      c: { $date: "x", other: 1 },
    };
    expect(toJsonValue(value)).toEqual({
      a: { $escape: { $date: "not a date" } },
      b: { $escape: { $escape: { $escape: { $date: 1 } } } },
      c: { $date: "x", other: 1 },
    });
    expect(roundTrip(value)).toEqual(value);
  });

  it("drops prototype keys both ways and never touches a prototype", () => {
    const hostile = JSON.parse(
      '{"a":1,"__proto__":{"polluted":1},"nested":{"constructor":{"prototype":{"polluted":1}}}}',
    );
    expect(toJsonValue(hostile)).toEqual({ a: 1, nested: {} });
    const decoded = fromJsonValue(hostile) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(["a", "nested"]);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // An escaped body is decoded with the same care.
    const escaped = fromJsonValue(
      JSON.parse('{"$escape":{"__proto__":{"polluted":1},"$date":"x"}}'),
    ) as Record<string, unknown>;
    expect(escaped).toEqual({ $date: "x" });
    expect(Object.getPrototypeOf(escaped)).toBe(Object.prototype);
  });

  it("refuses values it cannot store, with STORE_ENCODE", () => {
    expect(() => toJsonValue({ big: 10n })).toThrow(
      expect.objectContaining({ code: "STORE_ENCODE" }),
    );
    expect(() => toJsonValue({ fn: () => 1 })).toThrow(StoreError);
    expect(() => toJsonValue({ s: Symbol("s") })).toThrow(StoreError);
  });

  it("reports malformed tags as a corrupt file", () => {
    for (const bad of [
      '{"$date":"nope"}',
      '{"$date":5}',
      '{"$number":"12"}',
      '{"$regexp":{"source":"(","flags":""}}',
      '{"$escape":[1]}',
    ]) {
      expect(() => parseDataFile("/data/x.json", `[${bad}]`)).toThrow(
        expect.objectContaining({ code: "STORE_CORRUPT_FILE" }),
      );
    }
  });

  it("writes one record per line", () => {
    expect(encodeRecords([])).toBe("[]\n");
    expect(encodeRecords([{ id: 1, at: new Date(0) }, { id: 2 }])).toBe(
      '[\n{"id":1,"at":{"$date":"1970-01-01T00:00:00.000Z"}},\n{"id":2}\n]\n',
    );
  });

  it("round-trips arbitrary data with dates, odd numbers and tag-like keys", () => {
    const key = fc
      .oneof(fc.string(), fc.constantFrom("$date", "$escape", "$number", "$regexp"))
      .filter((k) => !["__proto__", "constructor", "prototype"].includes(k));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.date(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 3 }),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(roundTrip(v)).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});

describe("deeply nested records", () => {
  const depth = 100_000;
  it("a file holding one is STORE_CORRUPT_FILE naming the record, not a RangeError", () => {
    const deep = `${'{"o":'.repeat(depth)}1${"}".repeat(depth)}`;
    const error = (() => {
      try {
        parseDataFile("f.json", `[{"id":"a"},\n{"id":"b","d":${deep}}]`);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: "STORE_CORRUPT_FILE", details: { record: 2 } });
  });

  it("writing one is STORE_ENCODE naming the record, not a RangeError", () => {
    let deep: object = { v: 1 };
    for (let i = 0; i < depth; i++) deep = { o: deep };
    expect(() => encodeRecords([{ id: "a" }, { id: "b", deep }])).toThrow(
      expect.objectContaining({
        code: "STORE_ENCODE",
        message: expect.stringContaining("record 2"),
      }),
    );
  });
});
