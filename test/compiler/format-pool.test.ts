import { describe, expect, it } from "vitest";
import { prettierFormat } from "../../src/compiler/format-file.js";
import { createFormatPool } from "../../src/compiler/format-pool.js";

describe("format pool", () => {
  it("formats every job exactly as the main thread does, across workers and batches, and reports failures", async () => {
    const pool = createFormatPool(2);
    try {
      const texts = Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? `const  a${i}={x:${i},y:[1,2,3]}`
          : `export interface I${i} { a : string ; b? : number }`,
      );
      const parsers = (i: number) =>
        i % 2 === 0 ? ["acorn", "babel"] : ["babel-ts", "typescript"];
      const first = await Promise.all(texts.map((t, i) => pool.format(t, parsers(i))));
      const expected = await Promise.all(texts.map((t, i) => prettierFormat(t, parsers(i))));
      expect(first).toEqual(expected);
      // A failing job rejects on its own; later jobs (after the pool went idle) still run.
      await expect(pool.format("const = ;", ["acorn"])).rejects.toThrow(/prettier/);
      const again = await Promise.all(texts.slice(0, 6).map((t, i) => pool.format(t, parsers(i))));
      expect(again).toEqual(expected.slice(0, 6));
    } finally {
      await pool.close();
    }
  });

  it("lets the calling thread format queued jobs beside the workers (help), each job once, and stays usable", async () => {
    const pool = createFormatPool(1);
    try {
      // JavaScript print-js prints (the caller may take it) and TypeScript it leaves to the workers' prettier.
      const texts = Array.from({ length: 120 }, (_, i) =>
        i % 3 === 2
          ? `export interface I${i} { a : string ; b? : number }`
          : `const  a${i}={x:${i},y:["a", "b"], long: "${"z".repeat(i)}"}`,
      );
      const parsers = ["babel-ts", "typescript"];
      const results = texts.map((t) => pool.format(t, parsers));
      pool.help();
      const expected = await Promise.all(texts.map((t) => prettierFormat(t, parsers)));
      expect(await Promise.all(results)).toEqual(expected);
      // Numbers the caller claimed are not lost to the next batch (as in watch mode).
      const again = texts.slice(0, 9).map((t) => pool.format(t, parsers));
      pool.help();
      expect(await Promise.all(again)).toEqual(expected.slice(0, 9));
    } finally {
      await pool.close();
    }
  });
});
