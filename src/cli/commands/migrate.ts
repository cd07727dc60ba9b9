/** `perstore migrate create <name> [--allow-destructive] | up | down [count] | status`. */
import { isAbsolute, join, resolve } from "node:path";
import type { Kysely } from "kysely";
import { PerstoreError, SchemaErrors } from "../../errors/index.js";
import { compile, loadConfig, type PerstoreConfig } from "../../compiler/index.js";
import { createMigration } from "../../compiler/migrate/create-migration.js";
import { loadMigrations } from "../../compiler/migrate/load-migrations.js";
import {
  describeParallel,
  migrateDown,
  migrateUp,
  migrationStatus,
} from "../../compiler/migrate/migration-runner.js";
import { openDatabase } from "../../store/sql/open-database.js";
import { parseFlags, type CliIO, type Command } from "../command.js";

const HELP = `Usage: perstore migrate <create <name> [--allow-destructive] | up | down [count] [--allow-destructive] | status>

  create <name>   diff the schemas against generated/migrations/snapshot.json and write
                  generated/migrations/<id>_<name>.sql (an up and a down part) and the new
                  snapshot. Renames come only from "renamedFrom" in a schema. Destructive
                  steps (dropping tables or columns, narrowing types or enums, NOT NULL
                  without a default, ...) are refused, each with its reason, unless
                  --allow-destructive is given.
  up              apply every pending migration in order, each in a transaction
  down [count]    revert the last <count> applied migrations (default 1); more than are
                  applied is an error. Down parts that drop tables or columns (and their
                  data) or can fail on existing rows are refused, each with its reason,
                  unless --allow-destructive is given.
  status          list applied, pending, edited and missing migrations; exit 1 on problems

The database is DATABASE_URL, else perstore.config.json "database", else pglite:.perstore/db.
Two processes never migrate at once: on a PostgreSQL server the second waits for an
advisory lock; an embedded PGlite folder is used by one process at a time, so a second
process fails at once naming the one that holds it (STORE_LOCKED).
`;

export const migrateCommand: Command = {
  name: "migrate",
  summary: "create, apply, revert and list SQL migrations",
  help: HELP,
  async run(args, io) {
    const { flags, positional, unknown } = parseFlags(args, [
      "--allow-destructive",
      "--help",
      "-h",
    ]);
    if (flags.has("--help") || flags.has("-h")) {
      io.stdout.write(HELP);
      return 0;
    }
    const [action, ...rest] = positional;
    if (unknown.length > 0 || action === undefined) {
      io.stderr.write(
        `${unknown.length > 0 ? `unknown option ${unknown.join(", ")}\n` : ""}${HELP}`,
      );
      return 2;
    }
    if (flags.has("--allow-destructive") && action !== "create" && action !== "down") {
      io.stderr.write("--allow-destructive only applies to `migrate create` and `migrate down`\n");
      return 2;
    }
    try {
      switch (action) {
        case "create":
          if (rest.length !== 1) return usageError(io, "migrate create takes one name");
          return await create(io, rest[0]!, flags.has("--allow-destructive"));
        case "up":
        case "status":
          if (rest.length > 0) return usageError(io, `migrate ${action} takes no arguments`);
          return await withDatabase(io, (config, db) =>
            action === "up" ? up(io, config, db) : status(io, config, db),
          );
        case "down": {
          const count = rest.length === 0 ? 1 : Number(rest[0]);
          if (rest.length > 1 || !Number.isInteger(count) || count < 1)
            return usageError(io, "migrate down takes an optional count >= 1");
          const allowDestructive = flags.has("--allow-destructive");
          return await withDatabase(io, (config, db) =>
            down(io, config, db, count, allowDestructive),
          );
        }
        default:
          return usageError(io, `unknown migrate action "${action}"`);
      }
    } catch (error) {
      if (error instanceof SchemaErrors) {
        io.stderr.write(
          `${error.errors.length} schema error${error.errors.length === 1 ? "" : "s"}:\n`,
        );
        for (const e of error.errors) io.stderr.write(`  ${e.message} [${e.code}]\n`);
        return 1;
      }
      if (error instanceof PerstoreError) {
        io.stderr.write(`${error.message} [${error.code}]\n`);
        return 1;
      }
      throw error;
    }
  },
};

function usageError(io: CliIO, message: string): number {
  io.stderr.write(`${message}\n${HELP}`);
  return 2;
}

function migrationsDir(config: PerstoreConfig): string {
  return join(config.root, config.out, "migrations");
}

async function create(io: CliIO, name: string, allowDestructive: boolean): Promise<number> {
  const { config, ir } = await compile({ root: io.cwd });
  const dir = migrationsDir(config);
  const created = await createMigration({ dir, name, ir, allowDestructive });
  if (created === undefined) {
    io.stdout.write("no schema changes since the last migration; nothing written\n");
    return 0;
  }
  for (const step of created.plan.destructive)
    io.stdout.write(`  destructive (allowed): ${step.reason}\n`);
  for (const step of created.plan.irreversible) io.stdout.write(`  irreversible: ${step.reason}\n`);
  for (const step of created.destructiveDown)
    io.stdout.write(`  destructive down (needs --allow-destructive to revert): ${step.reason}\n`);
  io.stdout.write(
    `  wrote ${config.out}/migrations/${created.fileName} (${created.plan.statements.length} steps)\n`,
  );
  io.stdout.write(`  wrote ${config.out}/migrations/snapshot.json\n`);
  return 0;
}

async function up(io: CliIO, config: PerstoreConfig, db: Kysely<any>): Promise<number> {
  const applied = await migrateUp(db, await loadMigrations(migrationsDir(config)), {
    log: (line) => io.stdout.write(`  ${line}\n`),
  });
  io.stdout.write(
    applied.length === 0
      ? "the database is up to date\n"
      : `applied ${applied.length} migration${applied.length === 1 ? "" : "s"}\n`,
  );
  return 0;
}

async function down(
  io: CliIO,
  config: PerstoreConfig,
  db: Kysely<any>,
  count: number,
  allowDestructive: boolean,
): Promise<number> {
  const reverted = await migrateDown(db, await loadMigrations(migrationsDir(config)), {
    count,
    allowDestructive,
    log: (line) => io.stdout.write(`  ${line}\n`),
  });
  // Never 0: asking for more than are applied is MIGRATION_DOWN_TOO_MANY.
  io.stdout.write(`reverted ${reverted.length} migration${reverted.length === 1 ? "" : "s"}\n`);
  return 0;
}

async function status(io: CliIO, config: PerstoreConfig, db: Kysely<any>): Promise<number> {
  const report = await migrationStatus(db, await loadMigrations(migrationsDir(config)));
  if (report.entries.length === 0) io.stdout.write("no migrations\n");
  for (const entry of report.entries) {
    io.stdout.write(
      `  ${entry.state.padEnd(8)} ${entry.id}_${entry.name}${entry.appliedAt === undefined ? "" : `  (applied ${entry.appliedAt})`}\n`,
    );
  }
  const problems = [
    ...report.edited.map((id) => `${id} was edited after it was applied (checksum mismatch)`),
    ...report.missing.map((id) => `${id} is applied but its file is missing`),
    ...report.outOfOrder.map(
      (id) => `${id} is pending but older than the newest applied migration`,
    ),
    ...report.parallel.map((p) => `created on a parallel branch:\n${describeParallel(p)}`),
  ];
  for (const problem of problems) io.stderr.write(`problem: ${problem}\n`);
  io.stdout.write(`${report.pending.length} pending\n`);
  return problems.length === 0 ? 0 : 1;
}

async function withDatabase(
  io: CliIO,
  fn: (config: PerstoreConfig, db: Kysely<any>) => Promise<number>,
): Promise<number> {
  const config = await loadConfig(io.cwd);
  const db = openDatabase(databaseUrl(config));
  try {
    return await fn(config, db);
  } finally {
    await db.destroy();
  }
}

/** The configured URL, with a relative `pglite:` folder taken from the project root, not the shell's directory. */
function databaseUrl(config: PerstoreConfig): string {
  if (!config.database.startsWith("pglite:")) return config.database;
  const dir = config.database.slice("pglite:".length) || ".perstore/db";
  return `pglite:${isAbsolute(dir) ? dir : resolve(config.root, dir)}`;
}
