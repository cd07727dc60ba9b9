import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { PerstoreError } from "../../errors/index.js";
import type { ProjectIR } from "../ir/types.js";
import { diffSnapshots, type FlaggedStep, type MigrationPlan } from "./diff-snapshots.js";
import { downRisks } from "./down-risks.js";
import { parallelMigrations } from "./lineage.js";
import { loadMigrations } from "./load-migrations.js";
import {
  isMigrationName,
  migrationId,
  renderMigration,
  type MigrationContent,
} from "./migration-file.js";
import {
  emptySnapshot,
  parseSnapshot,
  serializeSnapshot,
  snapshotFromIR,
  type Snapshot,
} from "./snapshot.js";
import { describeParallel } from "./migration-runner.js";
import { statementSql } from "./statement-sql.js";

/** The snapshot's file name inside the migrations folder. */
export const SNAPSHOT_FILE = "snapshot.json";

export interface CreateMigrationOptions {
  /** The migrations folder (`<out>/migrations`). */
  readonly dir: string;
  readonly name: string;
  /** The project's models now. */
  readonly ir: ProjectIR;
  readonly allowDestructive?: boolean;
  /** Creation time, for the id (default: now). */
  readonly now?: Date;
  /** The migrations folder as messages name it (default: `dir`), e.g. "generated/migrations". */
  readonly displayDir?: string;
}

export interface CreatedMigration {
  readonly id: string;
  readonly fileName: string;
  readonly path: string;
  readonly plan: MigrationPlan;
  /** Down steps that can lose data or fail: `migrate down` needs --allow-destructive for them. */
  readonly destructiveDown: readonly FlaggedStep[];
}

/**
 * `perstore migrate create <name>`: diffs the snapshot against the models,
 * writes `<dir>/<id>_<name>.sql` and the new snapshot. Returns `undefined`
 * (and writes nothing) when the schema has not changed. Throws
 * MIGRATION_DESTRUCTIVE (writing nothing) for destructive steps unless
 * allowed, and MIGRATION_PARALLEL, saying how to resolve it, when the
 * migration files are not one line of history (a merge of two branches that
 * each added one: a new migration would repeat the other branch's changes) or
 * the snapshot does not follow the newest migration file.
 */
export async function createMigration(
  options: CreateMigrationOptions,
): Promise<CreatedMigration | undefined> {
  if (!isMigrationName(options.name)) throw badName(options.name);
  const { previous, newest } = await followLastMigration(options);
  const next = snapshotFromIR(options.ir);
  const plan = diffSnapshots(previous, next, {
    allowDestructive: options.allowDestructive ?? false,
  });
  if (plan.statements.length === 0) return undefined;
  const destructiveDown = downRisks(plan.down);
  const content: MigrationContent = {
    name: options.name,
    parent: previous.parent,
    up: plan.statements.flatMap(statementSql),
    down: plan.down.flatMap(statementSql),
    destructive: plan.destructive.map((s) => s.reason),
    irreversible: plan.irreversible.map((s) => s.reason),
    destructiveDown: destructiveDown.map((s) => s.reason),
  };
  const id = migrationId(laterThan(newest, options.now ?? new Date()), content);
  const fileName = `${id}_${options.name}.sql`;
  const path = await writeMigration(
    options.dir,
    fileName,
    renderMigration(id, content),
    serializeSnapshot({ ...next, parent: id }),
  );
  return { id, fileName, path, plan, destructiveDown };
}

export interface CreateEmptyMigrationOptions {
  /** The migrations folder (`<out>/migrations`). */
  readonly dir: string;
  readonly name: string;
  /** Creation time, for the id (default: now). */
  readonly now?: Date;
  /** The migrations folder as messages name it (default: `dir`). */
  readonly displayDir?: string;
}

/**
 * `perstore migrate create --empty <name>`: a migration for hand-written SQL
 * (data fixes, views, functions): `-- up` and `-- down` parts holding only a
 * comment, after the newest migration. The snapshot keeps its tables and
 * records the new migration as its parent, so the next `migrate create`
 * follows it. Its header has no `-- destructive down:` line: `migrate down`
 * scans what is written in the down part instead. Refuses a history that is
 * not one line, as `createMigration` does.
 */
export async function createEmptyMigration(
  options: CreateEmptyMigrationOptions,
): Promise<{ readonly id: string; readonly fileName: string; readonly path: string }> {
  if (!isMigrationName(options.name)) throw badName(options.name);
  const { previous, newest } = await followLastMigration(options);
  const hash: MigrationContent = {
    name: options.name,
    parent: previous.parent,
    up: [],
    down: [],
    destructive: [],
    irreversible: [],
  };
  const id = migrationId(laterThan(newest, options.now ?? new Date()), hash);
  const fileName = `${id}_${options.name}.sql`;
  const text = [
    `-- perstore migration ${id}_${options.name}`,
    `-- parent: ${previous.parent ?? "none"}`,
    "-- reversible: yes",
    "-- up",
    "-- Write the SQL that applies this migration here: it runs whole, in one transaction.",
    "-- down",
    '-- Write the SQL that reverts it here (or make the header say "-- reversible: no").',
    "",
  ].join("\n");
  const path = await writeMigration(
    options.dir,
    fileName,
    text,
    serializeSnapshot({ ...previous, parent: id }),
  );
  return { id, fileName, path };
}

/** Writes a migration and the snapshot after it; never leaves the migration without its snapshot. */
async function writeMigration(
  dir: string,
  fileName: string,
  migration: string,
  snapshot: string,
): Promise<string> {
  const path = join(dir, fileName);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path, migration);
  try {
    await writeFileAtomic(join(dir, SNAPSHOT_FILE), snapshot);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return path;
}

/**
 * The snapshot a new migration diffs from, and the newest migration's id,
 * after checking the history is one line: every migration follows the one
 * before it, and the snapshot follows the newest. Otherwise a new migration
 * would be diffed from a snapshot that lacks another branch's changes (and
 * repeat them), so MIGRATION_PARALLEL says how to make the history one line.
 */
async function followLastMigration(options: {
  readonly dir: string;
  readonly displayDir?: string;
}): Promise<{ previous: Snapshot; newest: string | null }> {
  const previous = await readSnapshot(options.dir);
  const files = await loadMigrations(options.dir);
  const newest = files.at(-1)?.id ?? null;
  const shown = options.displayDir ?? options.dir;
  const parallel = parallelMigrations(files);
  if (parallel.length > 0) {
    const later = parallel[0]!;
    const laterFile = files.find((f) => f.id === later.id)!;
    const earlierFile = files.find((f) => f.id === later.expected);
    throw new PerstoreError(
      "MIGRATION_PARALLEL",
      "migrations were created on parallel branches (a merge brought in both), so a new migration " +
        `would repeat the other branch's changes; nothing was written:\n${parallel.map(describeParallel).join("\n")}\n` +
        "To resolve it, keep one line of history:\n" +
        `  1. delete ${shown}/${laterFile.fileName} (on a database that applied it, run \`perstore migrate down\` first)\n` +
        (earlierFile === undefined
          ? `  2. restore ${shown}/${SNAPSHOT_FILE} to the one written with the migration before it\n`
          : `  2. restore ${shown}/${SNAPSHOT_FILE} to the one ${earlierFile.fileName} wrote, e.g.\n` +
            `     git show $(git log -1 --format=%h -- ${shown}/${earlierFile.fileName}):${shown}/${SNAPSHOT_FILE} > ${shown}/${SNAPSHOT_FILE}\n`) +
        `  3. run \`perstore migrate create ${laterFile.name}\` again: it writes that branch's changes after the other's`,
      { details: { parallel } },
    );
  }
  if (previous.parent !== newest) {
    const newestFile = files.at(-1);
    throw new PerstoreError(
      "MIGRATION_PARALLEL",
      `${shown}/${SNAPSHOT_FILE} follows ${previous.parent ?? "no migration"} but the newest migration is ${newest ?? "none"}; nothing was written. ` +
        (newestFile === undefined
          ? `Delete ${shown}/${SNAPSHOT_FILE} (no migration wrote it) and create again.`
          : `Restore ${shown}/${SNAPSHOT_FILE} to the one ${newestFile.fileName} wrote (e.g. from the commit that added it), then create again.`),
      { details: { snapshotParent: previous.parent, newest } },
    );
  }
  return { previous, newest };
}

/** `now`, or one second after the newest migration when the clock has not passed it (ids must sort in creation order). */
function laterThan(newest: string | null, now: Date): Date {
  if (newest === null) return now;
  const stamp = newest.slice(0, 14);
  const last = new Date(
    `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`,
  );
  return now.getTime() >= last.getTime() + 1000 ? now : new Date(last.getTime() + 1000);
}

/** The snapshot in a migrations folder, or the empty one before the first migration. */
export async function readSnapshot(dir: string): Promise<Snapshot> {
  const file = join(dir, SNAPSHOT_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptySnapshot();
    throw error;
  }
  if (/^<{7} /m.test(text))
    throw new PerstoreError(
      "MIGRATION_SNAPSHOT_INVALID",
      `${file} has merge conflict markers: two branches each created a migration. ` +
        "Take the snapshot of the branch whose migration sorts first by id, and run `perstore migrate status` to see the migration to recreate",
    );
  return parseSnapshot(text, file);
}

function badName(name: string): PerstoreError {
  return new PerstoreError(
    "MIGRATION_BAD_NAME",
    `"${name}" is not a migration name: use letters, digits, "_" and "-" (up to 60)`,
  );
}
