import type { MigrationFile } from "./migration-file.js";

/** A migration whose parent is not the migration before it: it was created on a parallel branch. */
export interface ParallelMigration {
  readonly id: string;
  /** The parent it names. */
  readonly parent: string | null;
  /** The parent it would have if the history were one line (the previous migration by id). */
  readonly expected: string | null;
  /** Other migrations that name the same parent. */
  readonly siblings: readonly string[];
}

/**
 * Migrations out of line: each migration's parent must be the one before it
 * (by id). Two branches that each add a migration from the same snapshot
 * produce two migrations with the same parent; after the merge, the later one
 * is reported here (it was diffed against a schema without the other's changes).
 */
export function parallelMigrations(migrations: readonly MigrationFile[]): ParallelMigration[] {
  const out: ParallelMigration[] = [];
  let previous: string | null = null;
  for (const migration of migrations) {
    if (migration.parent !== previous) {
      out.push({
        id: migration.id,
        parent: migration.parent,
        expected: previous,
        siblings: migrations
          .filter((m) => m !== migration && m.parent === migration.parent)
          .map((m) => m.id),
      });
    }
    previous = migration.id;
  }
  return out;
}
