/** `perstore migrate create | up | down | status | reset`. */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PerstoreError, SchemaErrors } from "../../errors/index.js";
import { createBuildSession, loadConfig, type PerstoreConfig } from "../../compiler/index.js";
import { createEmptyMigration, createMigration } from "../../compiler/migrate/create-migration.js";
import { loadMigrations } from "../../compiler/migrate/load-migrations.js";
import { migrateDown, migrateUp } from "../../compiler/migrate/migration-runner.js";
import { openDatabase } from "../../store/sql/open-database.js";
import type { CliIO, Command } from "../command.js";
import { databaseTarget, withTarget } from "./migrate-database.js";
import { migrateReset } from "./migrate-reset.js";
import { migrateStatus } from "./migrate-status.js";

const HELP = `Usage: perstore migrate <action> [options]

  create <name> [--allow-destructive]
                  diff the schemas against generated/migrations/snapshot.json and write
                  generated/migrations/<id>_<name>.sql (an up and a down part) and the new
                  snapshot, then rebuild generated/ (as \`perstore build\`). Renames come only
                  from "renamedFrom" in a schema. Destructive steps (dropping tables or
                  columns, narrowing types or enums, NOT NULL without a default, ...) are
                  refused, each with its reason, unless --allow-destructive is given.
                  Refused when two branches each added a migration (merged): it says how
                  to make the history one line again.
  create --empty <name>
                  write a migration with empty up and down parts, for hand-written SQL
  up              apply every pending migration in order, each in a transaction
  down [count] [--allow-destructive]
                  revert the last <count> applied migrations (default 1); more than are
                  applied is an error. Down parts that drop tables or columns (and their
                  data) or can fail on existing rows are refused, each with its reason,
                  unless --allow-destructive is given.
  status [--exit-code] [--json]
                  name the database, list applied, pending, edited and missing migrations,
                  and the schema changes no migration holds yet (built but never
                  \`migrate create\`d). Reads only: creates no database.
                  --exit-code  exit 1 also when anything is pending or the schemas changed (CI)
                  --json       print one JSON object instead of text
  reset [--force] [--skip-seed]
                  drop every table, view, sequence, type and routine in the database's
                  schema, apply every migration, then run the seed module (config "seed").
                  A database that is not local (embedded, or a server on localhost,
                  127.0.0.1, ::1 or a Unix socket) is refused without --force.

The database is DATABASE_URL, else perstore.config.json "database", else pglite:.perstore/db.
Two processes never migrate at once: on a PostgreSQL server the second waits for an
advisory lock; an embedded PGlite folder is used by one process at a time, so a second
process fails at once naming the one that holds it (STORE_LOCKED).

Exit codes: 0 done; 1 an error or a refusal, or \`status\` found a problem (an edited,
missing, out-of-order or parallel-branch migration, schemas that do not compile), or,
with --exit-code, something pending or schema changes without a migration; 2 bad usage.
`;

/** Which options each action takes. */
const ACTION_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  create: ["allow-destructive", "empty"],
  up: [],
  down: ["allow-destructive"],
  status: ["exit-code", "json"],
  reset: ["force", "skip-seed"],
};

export const migrateCommand: Command = {
  name: "migrate",
  summary: "create, apply, revert, list and reset SQL migrations",
  help: HELP,
  async run(args, io) {
    let parsed: { values: Record<string, boolean | undefined>; positionals: string[] };
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          "allow-destructive": { type: "boolean" },
          empty: { type: "boolean" },
          "exit-code": { type: "boolean" },
          json: { type: "boolean" },
          force: { type: "boolean" },
          "skip-seed": { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      return usageError(io, (error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const [action, ...rest] = positionals;
    if (action === undefined)
      return usageError(io, "missing action: create, up, down, status or reset");
    const allowed = ACTION_OPTIONS[action];
    if (allowed === undefined)
      return usageError(
        io,
        `unknown migrate action "${action}": use create, up, down, status or reset`,
      );
    for (const [option, value] of Object.entries(values)) {
      if (value === true && option !== "help" && !allowed.includes(option))
        return usageError(
          io,
          `--${option} does not apply to \`migrate ${action}\`${allowed.length > 0 ? ` (it takes ${allowed.map((o) => `--${o}`).join(", ")})` : ""}`,
        );
    }
    const flag = (name: string): boolean => values[name] === true;
    try {
      switch (action) {
        case "create":
          if (rest.length !== 1) return usageError(io, "migrate create takes one name");
          if (flag("empty") && flag("allow-destructive"))
            return usageError(io, "--empty and --allow-destructive do not go together");
          return flag("empty")
            ? await createEmpty(io, rest[0]!)
            : await create(io, rest[0]!, flag("allow-destructive"));
        case "up":
          if (rest.length > 0) return usageError(io, "migrate up takes no arguments");
          return await up(io);
        case "status": {
          if (rest.length > 0) return usageError(io, "migrate status takes no arguments");
          const config = await loadConfig(io.cwd);
          return await migrateStatus(io, config, databaseTarget(config), openDatabase, {
            exitCode: flag("exit-code"),
            json: flag("json"),
          });
        }
        case "reset": {
          if (rest.length > 0) return usageError(io, "migrate reset takes no arguments");
          const config = await loadConfig(io.cwd);
          return await migrateReset(io, config, databaseTarget(config), {
            force: flag("force"),
            skipSeed: flag("skip-seed"),
          });
        }
        case "down": {
          const count = rest.length === 0 ? 1 : Number(rest[0]);
          if (rest.length > 1 || !Number.isInteger(count) || count < 1)
            return usageError(io, "migrate down takes an optional count >= 1");
          return await down(io, count, flag("allow-destructive"));
        }
      }
      return usageError(io, `unknown migrate action "${action}"`);
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

/** The one relevant line, and where to find the rest. */
function usageError(io: CliIO, message: string): number {
  io.stderr.write(`perstore migrate: ${message}\nRun \`perstore migrate --help\` for usage.\n`);
  return 2;
}

function migrationsDir(config: PerstoreConfig): string {
  return join(config.root, config.out, "migrations");
}

async function create(io: CliIO, name: string, allowDestructive: boolean): Promise<number> {
  const session = createBuildSession({ root: io.cwd });
  try {
    const { config, ir } = await session.build({ noWrite: true });
    const created = await createMigration({
      dir: migrationsDir(config),
      displayDir: `${config.out}/migrations`,
      name,
      ir,
      allowDestructive,
    });
    if (created !== undefined) {
      for (const step of created.plan.destructive)
        io.stdout.write(`  destructive (allowed): ${step.reason}\n`);
      for (const step of created.plan.irreversible)
        io.stdout.write(`  irreversible: ${step.reason}\n`);
      for (const step of created.destructiveDown)
        io.stdout.write(
          `  destructive down (needs --allow-destructive to revert): ${step.reason}\n`,
        );
      io.stdout.write(
        `  wrote ${config.out}/migrations/${created.fileName} (${created.plan.statements.length} step${created.plan.statements.length === 1 ? "" : "s"})\n`,
      );
      io.stdout.write(`  wrote ${config.out}/migrations/snapshot.json\n`);
    }
    // Rebuild generated/ from the same schemas, so the code matches the migration (and `build --check` passes).
    const built = await session.build();
    const changed = built.written.length + built.removed.length;
    if (created === undefined)
      io.stdout.write(
        `no schema changes since the last migration; ${changed === 0 ? "nothing written" : "no migration written"}\n`,
      );
    if (changed > 0)
      io.stdout.write(
        `rebuilt ${config.out}/: ${built.written.length} file${built.written.length === 1 ? "" : "s"} written${built.removed.length > 0 ? `, ${built.removed.length} removed` : ""}\n`,
      );
    return 0;
  } finally {
    await session.close();
  }
}

async function createEmpty(io: CliIO, name: string): Promise<number> {
  const config = await loadConfig(io.cwd);
  const created = await createEmptyMigration({
    dir: migrationsDir(config),
    displayDir: `${config.out}/migrations`,
    name,
  });
  io.stdout.write(
    `  wrote ${config.out}/migrations/${created.fileName}: write its up and down SQL, then \`perstore migrate up\`\n`,
  );
  io.stdout.write(`  wrote ${config.out}/migrations/snapshot.json\n`);
  return 0;
}

async function up(io: CliIO): Promise<number> {
  const config = await loadConfig(io.cwd);
  const migrations = await loadMigrations(migrationsDir(config));
  const target = databaseTarget(config);
  const applied = await withTarget(target, config.root, openDatabase, (db) =>
    migrateUp(db, migrations, { log: (line) => io.stdout.write(`  ${line}\n`) }),
  );
  io.stdout.write(
    applied.length === 0
      ? "the database is up to date\n"
      : `applied ${applied.length} migration${applied.length === 1 ? "" : "s"}\n`,
  );
  return 0;
}

async function down(io: CliIO, count: number, allowDestructive: boolean): Promise<number> {
  const config = await loadConfig(io.cwd);
  const migrations = await loadMigrations(migrationsDir(config));
  const target = databaseTarget(config);
  const reverted = await withTarget(target, config.root, openDatabase, (db) =>
    migrateDown(db, migrations, {
      count,
      allowDestructive,
      log: (line) => io.stdout.write(`  ${line}\n`),
    }),
  );
  // Never 0: asking for more than are applied is MIGRATION_DOWN_TOO_MANY.
  io.stdout.write(`reverted ${reverted.length} migration${reverted.length === 1 ? "" : "s"}\n`);
  return 0;
}
