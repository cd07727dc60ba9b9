import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PGliteDialect, type PGliteLike } from "../../../src/store/sql/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("perstore's public declarations", () => {
  it("do not reference PGlite's or pg's types (a consumer's skipLibCheck: false build would need @types/emscripten)", () => {
    const read = ts.readConfigFile(`${root}tsconfig.build.json`, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
    const program = ts.createProgram([`${root}src/index.ts`], {
      ...parsed.options,
      noEmit: false,
      emitDeclarationOnly: true,
      declarationMap: false,
    });
    const declarations: string[] = [];
    program.emit(undefined, (name, text) => {
      if (name.endsWith(".d.ts")) declarations.push(`${name}\n${text}`);
    });
    expect(declarations.length).toBeGreaterThan(10);
    const offending = declarations.filter((d) =>
      /["']@electric-sql\/pglite["']|["']pg["']/.test(d),
    );
    expect(offending.map((d) => d.split("\n")[0])).toEqual([]);
  }, 60_000);

  it("PGliteDialect takes a PGlite instance through its structural PGliteLike type", async () => {
    const pglite: PGliteLike = await PGlite.create();
    const db = new Kysely<Record<string, never>>({ dialect: new PGliteDialect({ pglite }) });
    try {
      const { rows } = await sql<{ n: number }>`select 1 + 1 as n`.execute(db);
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await db.destroy();
    }
    expect(pglite.closed).toBe(true);
  });
});
