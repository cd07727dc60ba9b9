import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { PerstoreError } from "../../errors/index.js";
import type { ProjectIR } from "../ir/types.js";
import { diffSnapshots, type FlaggedStep, type MigrationPlan } from "./diff-snapshots.js";
import { downRisks } from "./down-risks.js";
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
 * allowed, and MIGRATION_PARALLEL when the snapshot does not follow the
 * newest migration file (a merge of two branches that each added one).
 */
export async function createMigration(
  options: CreateMigrationOptions,
): Promise<CreatedMigration | undefined> {
  if (!isMigrationName(options.name)) {
    throw new PerstoreError(
      "MIGRATION_BAD_NAME",
      `"${options.name}" is not a migration name: use letters, digits, "_" and "-" (up to 60)`,
    );
  }
  const previous = await readSnapshot(options.dir);
  const files = await loadMigrations(options.dir);
  const newest = files.at(-1)?.id ?? null;
  if (previous.parent !== newest) {
    throw new PerstoreError(
      "MIGRATION_PARALLEL",
      `${SNAPSHOT_FILE} follows ${previous.parent ?? "no migration"} but the newest migration is ${newest ?? "none"}: ` +
        "migrations were created on parallel branches; keep one line of history (delete the later migration, restore the snapshot) and create again",
    );
  }
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
  const path = join(options.dir, fileName);
  await mkdir(options.dir, { recursive: true });
  await writeFileAtomic(path, renderMigration(id, content));
  try {
    await writeFileAtomic(
      join(options.dir, SNAPSHOT_FILE),
      serializeSnapshot({ ...next, parent: id }),
    );
  } catch (error) {
    await rm(path, { force: true }); // never leave a migration without its snapshot
    throw error;
  }
  return { id, fileName, path, plan, destructiveDown };
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
  return parseSnapshot(text, file);
}
