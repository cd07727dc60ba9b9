/**
 * A JSON module's pieces printed from their values (print-json.ts) are
 * prettier's lines for them, byte for byte; where it declines it says so.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prettierFormat } from "../../src/compiler/format-file.js";
import { chunkLines, chunkSource, type JsonChunk } from "../../src/compiler/format-json-module.js";
import { printJsonProperties } from "../../src/compiler/print-json.js";

function chunk(value: Record<string, unknown>, depth: number): JsonChunk {
  const properties = Object.entries(value);
  return {
    depth,
    source: properties.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(","),
    properties,
  };
}

async function prettierLines(piece: JsonChunk): Promise<string> {
  return chunkLines(piece, await prettierFormat(chunkSource(piece), ["babel-ts"]));
}

describe("printJsonProperties", () => {
  it("prints random JSON values at any depth as prettier does", async () => {
    const key = fc.oneof(
      fc.constantFrom("a", "id", "$ref", "x-y", "200", "default", "it's", 'say "hi"', "type"),
      fc.constantFrom("k".repeat(30), "description", "operationId", "l".repeat(70)),
      fc.string({ maxLength: 10 }),
    );
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: "small" },
        fc.string({ maxLength: 30 }),
        fc.constantFrom("x".repeat(70), "y".repeat(95), 'a "quoted" one', "it's", "back\\slash\n"),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("any"), { maxLength: 4 }),
        fc.array(fc.dictionary(key, tie("any"), { minKeys: 2, maxKeys: 3 }), { maxLength: 3 }),
        fc.dictionary(key, tie("any"), { maxKeys: 5 }),
      ),
    })).any;
    let printed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (object, depth) => {
          const piece = chunk(object, depth);
          const lines = printJsonProperties(piece.properties, depth);
          if (lines === undefined) return;
          printed++;
          expect(lines).toBe(await prettierLines(piece));
        },
      ),
      { numRuns: 400 },
    );
    expect(printed).toBeGreaterThan(200);
  }, 120_000);

  it("declines arrays of numbers and text outside printable ASCII", () => {
    expect(printJsonProperties([["a", [1, 2, 3]]], 1)).toBeUndefined();
    expect(printJsonProperties([["a", "ünï"]], 1)).toBeUndefined();
  });
});
