/**
 * Same semantics, compiled or defined at run time: the example application's
 * models from `perstore build` (generated/) and from `defineModels` over the
 * same schemas pass one suite (example-models-suite.ts), on the memory store
 * and on SQL (PGlite always, PostgreSQL with DATABASE_URL), the tables made
 * by the example's own migration.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import { compile } from "../../src/compiler/index.js";
import { createMigration } from "../../src/compiler/migrate/create-migration.js";
import { loadMigrations } from "../../src/compiler/migrate/load-migrations.js";
import { migrateUp } from "../../src/compiler/migrate/migration-runner.js";
import { createModels, type Models } from "../../generated/index.js";
import { closeDatabases, DATABASES, type TestDatabase } from "../compiler/migrate/databases.js";
import { defineExampleModels } from "./defined-example-models.js";
import { exampleModelTests } from "./example-models-suite.js";

const REPO = join(import.meta.dirname, "../..");

const KINDS: readonly { name: string; make: (options: { db?: Kysely<any> }) => Models }[] = [
  { name: "generated models (createModels)", make: (options) => createModels(options) },
  { name: "run-time models (defineModels)", make: (options) => defineExampleModels(options) },
];

let migrations = "";
beforeAll(async () => {
  migrations = await mkdtemp(join(tmpdir(), "perstore-defined-sql-"));
  const { ir } = await compile({ root: REPO });
  await createMigration({ dir: migrations, name: "init", ir, allowDestructive: false });
}, 120_000);
afterAll(async () => {
  await closeDatabases();
  if (migrations) await rm(migrations, { recursive: true, force: true });
});

for (const kind of KINDS) {
  describe(`${kind.name} on the memory store`, () => {
    exampleModelTests(() => kind.make({}));
  });

  for (const target of DATABASES) {
    describe(`${kind.name} on SqlStore (${target.name})`, () => {
      let database: TestDatabase | undefined;
      beforeEach(async () => {
        database = await target.open();
        await migrateUp(database.db, await loadMigrations(migrations));
      }, 120_000);
      afterEach(async () => {
        await database?.close();
        database = undefined;
      });
      exampleModelTests(() => kind.make({ db: database!.db }));
    });
  }
}
