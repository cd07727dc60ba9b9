/**
 * `perstore migrate <action>`: each action declares its options and help
 * here; its code runs from ../commands/migrate*.ts, imported only when the
 * action runs.
 */
import { defineCommand } from "../command.js";
import {
  createOptions,
  upOptions,
  downOptions,
  statusOptions,
  resetOptions,
  migrateOptions,
} from "./migrate-options.js";

const DATABASE = `The database is DATABASE_URL, else perstore.config.json "database", else pglite:.perstore/db.
Two processes never migrate at once: on a PostgreSQL server the second waits for an
advisory lock; an embedded PGlite folder is used by one process at a time, so a second
process fails at once naming the one that holds it (STORE_LOCKED).`;

export const createCommand = defineCommand({
  name: "create",
  summary: "write the next migration from the schema changes, then rebuild generated/",
  description: `Diff the schemas against generated/migrations/snapshot.json and write
generated/migrations/<id>_<name>.sql (an up and a down part) and the new snapshot,
then rebuild generated/ (as \`perstore build\`). Renames come only from "renamedFrom"
in a schema. Destructive steps (dropping tables or columns, narrowing types or enums,
NOT NULL without a default, ...) are refused, each with its reason, unless
--allow-destructive is given. Refused when two branches each added a migration
(merged): it says how to make the history one line again.`,
  positionals: [{ name: "name" }],
  options: createOptions,
  load: async () => (await import("../commands/migrate.js")).runCreate,
});

export const upCommand = defineCommand({
  name: "up",
  summary: "apply every pending migration in order, each in a transaction",
  description: DATABASE,
  options: upOptions,
  load: async () => (await import("../commands/migrate.js")).runUp,
});

export const downCommand = defineCommand({
  name: "down",
  summary: "revert the last [count] applied migrations (default 1)",
  description: `Revert the last <count> applied migrations (default 1); more than are applied is
an error. Down parts that drop tables or columns (and their data) or can fail on
existing rows are refused, each with its reason, unless --allow-destructive is given.

${DATABASE}`,
  positionals: [{ name: "count", optional: true }],
  options: downOptions,
  load: async () => (await import("../commands/migrate.js")).runDown,
});

export const statusCommand = defineCommand({
  name: "status",
  summary:
    "name the database; list applied, pending, edited and missing migrations and schema changes",
  description: `Name the database, list applied, pending, edited and missing migrations, and the
schema changes no migration holds yet (built but never \`migrate create\`d). Reads
only: creates no database. Exit 1 on a problem (an edited, missing, out-of-order or
parallel-branch migration, schemas that do not compile).

${DATABASE}`,
  options: statusOptions,
  load: async () => (await import("../commands/migrate.js")).runStatus,
});

export const resetCommand = defineCommand({
  name: "reset",
  summary: "drop everything, apply every migration, run the seed module",
  description: `Drop every table, view, sequence, type and routine in the database's schema, apply
every migration, then run the seed module (config "seed"). A database that is not
local (embedded, or a server on localhost, 127.0.0.1, ::1 or a Unix socket) is
refused without --force.

${DATABASE}`,
  options: resetOptions,
  load: async () => (await import("../commands/migrate.js")).runReset,
});

export const migrateCommand = defineCommand({
  name: "migrate",
  summary: "create, apply, revert, list and reset SQL migrations",
  description: DATABASE,
  options: migrateOptions,
  subcommands: [createCommand, upCommand, downCommand, statusCommand, resetCommand],
});
