/**
 * Applies and reverts migrations on a database, in id order, each in its own
 * transaction, recorded in `perstore_migrations` (id, name, checksum,
 * applied_at). Each part runs whole, as the database parses it (see
 * run-sql-script.ts). Two processes never migrate at once: on a server a
 * session advisory lock held on one connection for the whole run makes the
 * second wait, then see what the first applied; an embedded PGlite folder is
 * locked to the one process that opened it (`openDatabase`), so a second
 * process fails at once with STORE_LOCKED naming the holder's pid.
 *
 * Refusals (nothing is changed): a pending migration created on a parallel
 * branch or older than one already applied (MIGRATION_PARALLEL,
 * MIGRATION_OUT_OF_ORDER); reverting more migrations than are applied
 * (MIGRATION_DOWN_TOO_MANY), an irreversible, edited or missing migration
 * (MIGRATION_IRREVERSIBLE, MIGRATION_EDITED, MIGRATION_MISSING), or one whose
 * down part is destructive without `allowDestructive` (MIGRATION_DESTRUCTIVE).
 * An applied migration whose file changed is reported, never re-run.
 */
import { sql, type Kysely } from "kysely";
import { PerstoreError } from "../../errors/index.js";
import { parallelMigrations, type ParallelMigration } from "./lineage.js";
import type { MigrationFile } from "./migration-file.js";
import { runMigrationScript } from "./run-sql-script.js";

export const MIGRATIONS_TABLE = "perstore_migrations";
/** pg_advisory_lock key: "pers" in ASCII. */
export const MIGRATION_LOCK_KEY = 0x70657273;

export interface AppliedMigration {
  readonly id: string;
  readonly name: string;
  readonly checksum: string;
  /** ISO 8601. */
  readonly appliedAt: string;
}

export type MigrationState = "applied" | "pending" | "edited" | "missing";

export interface MigrationStatusEntry {
  readonly id: string;
  readonly name: string;
  /** `edited`: applied, but the file's checksum changed since; `missing`: applied, but no file. */
  readonly state: MigrationState;
  readonly appliedAt?: string;
}

export interface MigrationStatus {
  /** Every migration, files and applied ones, in id order. */
  readonly entries: readonly MigrationStatusEntry[];
  readonly pending: readonly string[];
  readonly edited: readonly string[];
  readonly missing: readonly string[];
  /** Pending migrations older than the newest applied one. */
  readonly outOfOrder: readonly string[];
  readonly parallel: readonly ParallelMigration[];
}

export interface MigrateOptions {
  /** Progress lines ("applied 2026..._init"). */
  readonly log?: (line: string) => void;
}

/** Where the database stands against the migration files (reads only; no lock). */
export async function migrationStatus(
  db: Kysely<any>,
  migrations: readonly MigrationFile[],
): Promise<MigrationStatus> {
  return migrationStatusOf(migrations, await readApplied(db));
}

/** Applies every pending migration, in order; returns the ids applied. */
export async function migrateUp(
  db: Kysely<any>,
  migrations: readonly MigrationFile[],
  options: MigrateOptions = {},
): Promise<string[]> {
  return withMigrationLock(db, async (conn) => {
    await ensureMigrationsTable(conn);
    const status = migrationStatusOf(migrations, await readApplied(conn));
    reportEdited(status, options);
    const pending = new Set(status.pending);
    const tangled = status.parallel.filter((p) => pending.has(p.id));
    if (tangled.length > 0) {
      throw new PerstoreError(
        "MIGRATION_PARALLEL",
        `migrations created on parallel branches:\n${tangled.map(describeParallel).join("\n")}\n` +
          "Delete the later migration, restore snapshot.json to the earlier one's, and run `perstore migrate create` again.",
        { details: { parallel: tangled } },
      );
    }
    if (status.outOfOrder.length > 0) {
      throw new PerstoreError(
        "MIGRATION_OUT_OF_ORDER",
        `pending migrations older than the newest applied one: ${status.outOfOrder.join(", ")}; recreate them after it`,
        { details: { outOfOrder: status.outOfOrder } },
      );
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (!pending.has(migration.id)) continue;
      await conn.transaction().execute(async (trx) => {
        await runMigrationScript(trx, migration.up, {
          fileName: migration.fileName,
          part: "up",
          firstLine: migration.upLine,
        });
        await trx
          .insertInto(MIGRATIONS_TABLE)
          .values({ id: migration.id, name: migration.name, checksum: migration.checksum })
          .execute();
      });
      applied.push(migration.id);
      options.log?.(`applied ${migration.fileName}`);
    }
    return applied;
  });
}

/** Options of `migrateDown`. */
export interface MigrateDownOptions extends MigrateOptions {
  /** How many applied migrations to revert, newest first (default 1); more than are applied is MIGRATION_DOWN_TOO_MANY. */
  readonly count?: number;
  /** Revert down parts that drop tables or columns (and their data) or can fail on rows; refused (MIGRATION_DESTRUCTIVE) otherwise. */
  readonly allowDestructive?: boolean;
}

/**
 * Reverts the last `count` applied migrations (default 1), newest first;
 * returns the ids reverted. Every target is checked before anything runs, so
 * a refusal changes nothing.
 */
export async function migrateDown(
  db: Kysely<any>,
  migrations: readonly MigrationFile[],
  options: MigrateDownOptions = {},
): Promise<string[]> {
  return withMigrationLock(db, async (conn) => {
    await ensureMigrationsTable(conn);
    const applied = await readApplied(conn);
    const byId = new Map(migrations.map((m) => [m.id, m]));
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new PerstoreError(
        "MIGRATION_BAD_COUNT",
        `cannot revert ${count} migrations: give a whole number >= 1`,
      );
    if (count > applied.length)
      throw new PerstoreError(
        "MIGRATION_DOWN_TOO_MANY",
        `cannot revert ${count} migration${count === 1 ? "" : "s"}: ${applied.length === 0 ? "none is" : `only ${applied.length} ${applied.length === 1 ? "is" : "are"}`} applied; nothing was reverted`,
        { details: { requested: count, applied: applied.length } },
      );
    const targets = applied.slice(-count).reverse();
    // Check them all first, so a refusal changes nothing.
    const destructive: { migration: string; reason: string }[] = [];
    for (const record of targets) {
      const file = byId.get(record.id);
      if (file === undefined)
        throw new PerstoreError(
          "MIGRATION_MISSING",
          `applied migration ${record.id}_${record.name} has no file: cannot revert it`,
        );
      if (file.checksum !== record.checksum)
        throw new PerstoreError(
          "MIGRATION_EDITED",
          `${file.fileName} was edited after it was applied: its down part may not match; not reverting`,
        );
      if (!file.reversible) {
        throw new PerstoreError(
          "MIGRATION_IRREVERSIBLE",
          `${file.fileName} is irreversible: ${file.irreversible.join("; ") || "marked so in its header"}`,
        );
      }
      for (const reason of file.destructiveDown)
        destructive.push({ migration: file.fileName, reason });
    }
    if (destructive.length > 0 && options.allowDestructive !== true)
      throw new PerstoreError(
        "MIGRATION_DESTRUCTIVE",
        `reverting would lose data or may fail on existing rows (pass --allow-destructive to accept it); nothing was reverted:\n${destructive.map((d) => `  - ${d.migration}: ${d.reason}`).join("\n")}`,
        { details: { steps: destructive } },
      );
    const reverted: string[] = [];
    for (const record of targets) {
      const file = byId.get(record.id)!;
      await conn.transaction().execute(async (trx) => {
        await runMigrationScript(trx, file.down, {
          fileName: file.fileName,
          part: "down",
          firstLine: file.downLine,
        });
        await trx.deleteFrom(MIGRATIONS_TABLE).where("id", "=", file.id).execute();
      });
      reverted.push(file.id);
      options.log?.(`reverted ${file.fileName}`);
    }
    return reverted;
  });
}

/** Runs `fn` on one connection holding the migration advisory lock (waits for it). */
export async function withMigrationLock<T>(
  db: Kysely<any>,
  fn: (conn: Kysely<any>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    }
  });
}

async function ensureMigrationsTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("checksum", "text", (c) => c.notNull())
    .addColumn("applied_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

async function readApplied(db: Kysely<any>): Promise<AppliedMigration[]> {
  const exists = await sql<{
    table: string | null;
  }>`select to_regclass(${MIGRATIONS_TABLE})::text as "table"`.execute(db);
  if (exists.rows[0]?.table == null) return [];
  const rows = await db
    .selectFrom(MIGRATIONS_TABLE)
    .select(["id", "name", "checksum", "applied_at"])
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    name: String(row.name),
    checksum: String(row.checksum),
    appliedAt: new Date(row.applied_at as string | Date).toISOString(),
  }));
}

/** Where a database that applied `applied` stands against the files (pure; `[]` for a database not created yet). */
export function migrationStatusOf(
  migrations: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
): MigrationStatus {
  const appliedById = new Map(applied.map((a) => [a.id, a]));
  const files = new Set(migrations.map((m) => m.id));
  const newestApplied = applied.reduce<string | undefined>(
    (max, a) => (max === undefined || a.id > max ? a.id : max),
    undefined,
  );
  const entries: MigrationStatusEntry[] = [];
  for (const migration of migrations) {
    const record = appliedById.get(migration.id);
    if (record === undefined)
      entries.push({ id: migration.id, name: migration.name, state: "pending" });
    else
      entries.push({
        id: migration.id,
        name: migration.name,
        state: record.checksum === migration.checksum ? "applied" : "edited",
        appliedAt: record.appliedAt,
      });
  }
  for (const record of applied) {
    if (!files.has(record.id))
      entries.push({
        id: record.id,
        name: record.name,
        state: "missing",
        appliedAt: record.appliedAt,
      });
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = (state: MigrationState) => entries.filter((e) => e.state === state).map((e) => e.id);
  const pending = ids("pending");
  return {
    entries,
    pending,
    edited: ids("edited"),
    missing: ids("missing"),
    outOfOrder: newestApplied === undefined ? [] : pending.filter((id) => id < newestApplied),
    parallel: parallelMigrations(migrations),
  };
}

function reportEdited(status: MigrationStatus, options: MigrateOptions): void {
  for (const id of status.edited)
    options.log?.(
      `warning: ${id} was edited after it was applied (checksum mismatch); not re-running it`,
    );
  for (const id of status.missing)
    options.log?.(`warning: ${id} is applied but its file is missing`);
}

/** One line per parallel migration, for messages. */
export function describeParallel(p: ParallelMigration): string {
  const siblings = p.siblings.length === 0 ? "" : ` (like ${p.siblings.join(", ")})`;
  return `  - ${p.id} follows ${p.parent ?? "nothing"}${siblings}, but the migration before it is ${p.expected ?? "none"}`;
}
