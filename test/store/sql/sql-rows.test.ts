/**
 * rowsToRecords: the driver's rows become the records (converted in place)
 * when they are plain objects; any other row, and every row of a table with a
 * column named `__proto__`, is read into a fresh plain record.
 */
import { describe, expect, it } from "vitest";
import { rowsToRecords, rowToRecord } from "../../../src/store/sql/sql-rows.js";
import type { SqlColumnSpec } from "../../../src/store/sql/table-spec.js";

const columns: SqlColumnSpec[] = [
  { name: "id", type: "integer", sqlType: "bigint", nullable: false },
  { name: "name", type: "string", sqlType: "text", nullable: true },
  { name: "at", type: "string", sqlType: "timestamptz", nullable: true },
  { name: "price", type: "number", sqlType: "numeric", nullable: true },
  { name: "tags", type: "array", sqlType: "text[]", nullable: true },
  { name: "doc", type: "object", sqlType: "jsonb", nullable: true },
];

const at = new Date("2024-05-06T07:08:09.123Z");

describe("rowsToRecords", () => {
  it("turns plain rows into the records themselves, each cell as the record holds it", () => {
    const tags = ["a", null, "b"];
    const doc = JSON.parse('{"x":{"y":1},"__proto__":{"polluted":true}}') as object;
    const rows: Record<string, unknown>[] = [
      { id: 1, name: "Ada", at, price: "12.50", tags, doc },
      { id: "9007199254740993", name: null, at: null, price: null, tags: null, doc: null },
    ];
    const first = rows[0];
    const records = rowsToRecords(rows, columns, "string");
    expect(records[0]).toBe(first);
    expect(records).toEqual([
      {
        id: 1,
        name: "Ada",
        at: "2024-05-06T07:08:09.123Z",
        price: 12.5,
        tags: ["a", null, "b"],
        doc: { x: { y: 1 } },
      },
      { id: "9007199254740993", name: null, at: null, price: null, tags: null, doc: null },
    ]);
    // JSON is copied (a key that could reach a prototype is dropped); the driver's text[] is kept.
    expect(records[0]!.doc).not.toBe(doc);
    expect(Object.hasOwn(records[0]!.doc as object, "__proto__")).toBe(false);
    expect(records[0]!.tags).toBe(tags);
    expect(Object.keys(records[0]!)).toEqual(columns.map((c) => c.name));
  });

  it("keeps the driver's Date in Date mode, and reads a missing cell as null", () => {
    const [record] = rowsToRecords([{ id: 2, at }], columns, "Date");
    expect(record!.at).toBe(at);
    expect(record).toEqual({ id: 2, name: null, at, price: null, tags: null, doc: null });
  });

  it("reads a row that is not a plain object into a fresh plain record", () => {
    const row = Object.assign(Object.create(null) as Record<string, unknown>, { id: 3, name: "x" });
    const [record] = rowsToRecords([row], columns, "string");
    expect(record).not.toBe(row);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(record).toEqual(rowToRecord(row, columns, "string"));
  });

  it("reads every row of a table with a __proto__ column into a fresh record holding it as its own property", () => {
    const odd: SqlColumnSpec[] = [
      { name: "id", type: "integer", sqlType: "bigint", nullable: false },
      { name: "__proto__", type: "string", sqlType: "text", nullable: true },
    ];
    const row: Record<string, unknown> = { id: 4 };
    Object.defineProperty(row, "__proto__", { value: "p", enumerable: true, writable: true });
    const [record] = rowsToRecords([row], odd, "string");
    expect(record).not.toBe(row);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record, "__proto__")?.value).toBe("p");
  });
});
