/**
 * Parity: one query means the same on every store. fast-check generates
 * records and RQL queries over one schema; MemoryStore, JsonFileStore (both
 * file formats: the log and the whole-file JSON array) and
 * SqlStore (PGlite always, the server when DATABASE_URL is set) must give the
 * same records, in the same order when sorted, the same totalCount and the
 * same aggregate values.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory/index.js";
import { JsonFileStore } from "../../src/store/json-file/json-file-store.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import {
  createTable,
  openTestDatabase,
  testTargets,
  type TestDatabase,
} from "../store/sql/sql-test-db.js";
import {
  itemsArb,
  PARAMETERS,
  queryArb,
  querySchema,
  spec,
  type Item,
} from "./parity-arbitraries.js";
import { comparable, parityQueryText, settle, type Settled } from "./parity-compare.js";

for (const target of testTargets()) {
  describe(`query parity: MemoryStore, JsonFileStore, SqlStore on ${target.name}`, () => {
    let database: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      database = await openTestDatabase(target, "parity");
      await createTable(database.db, database.schema, spec);
      dir = mkdtempSync(join(tmpdir(), "perstore-parity-"));
    });
    afterAll(async () => {
      await database?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("gives identical results for generated records and queries", async () => {
      let run = 0;
      const failures = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(itemsArb, queryArb, async (items, q) => {
          run++;
          await sql`truncate table ${sql.id(database.schema, spec.table)}`.execute(database.db);
          const sqlStore = new SqlStore<Item>({
            db: database.db,
            table: spec,
            schema: database.schema,
            querySchema,
          });
          const memory = new MemoryStore<Item>({ idProperty: "id" });
          const file = new JsonFileStore<Item>({ path: join(dir, `run-${run}.jsonl`) });
          const wholeFile = new JsonFileStore<Item>({
            path: join(dir, `run-${run}.json`),
            format: "json",
          });
          for (const item of items) {
            await sqlStore.put(item);
            await memory.put(item);
          }
          await file.transaction(async (tx) => {
            for (const item of items) await tx.put(item);
          });
          await wholeFile.transaction(async (tx) => {
            for (const item of items) await tx.put(item);
          });
          const shape = parityQueryText(q);
          const text = shape.text;
          const options = { parameters: PARAMETERS };
          // A fresh instance reads the log back from disk (snapshot + lines).
          const reread = new JsonFileStore<Item>({ path: file.path });
          const [fromMemory, fromFile, fromReread, fromWholeFile, fromSql] = await Promise.all([
            settle(() => memory.query(text, options)),
            settle(() => file.query(text, options)),
            settle(() => reread.query(text, options)),
            settle(() => wholeFile.query(text, options)),
            settle(() => sqlStore.query(text, options)),
          ]);
          const norm = (r: Settled) => comparable(r, shape);
          expect(norm(fromSql), `SQL vs memory for ${text}`).toEqual(norm(fromMemory));
          expect(norm(fromFile), `JSON file (log) vs memory for ${text}`).toEqual(norm(fromMemory));
          expect(norm(fromReread), `JSON file (log, read back) vs memory for ${text}`).toEqual(
            norm(fromMemory),
          );
          expect(norm(fromWholeFile), `JSON file (json) vs memory for ${text}`).toEqual(
            norm(fromMemory),
          );
          if (!fromMemory.ok)
            failures.set(fromMemory.code, (failures.get(fromMemory.code) ?? 0) + 1);
        }),
        { numRuns: Number(process.env.PARITY_RUNS ?? 100) },
      );
      // The property means something only if most queries ran (rather than all stores failing alike).
      const failed = [...failures.values()].reduce((a, b) => a + b, 0);
      expect(failed, JSON.stringify([...failures])).toBeLessThan(run / 10);
    }, 180_000);
  });
}
