/**
 * Opening the database a command uses, with a progress line while it starts:
 * an embedded PGlite takes seconds on its first query (2-6 s, more on a
 * loaded machine), which would otherwise look like a hang.
 */
import { sql, type Kysely } from "kysely";
import type { CliIO } from "./command.js";
import { describeTarget, type DatabaseTarget } from "./commands/migrate-database.js";
import { startSpinner } from "./spinner.js";

/**
 * Runs one trivial query on `db` so the database is started (embedded) or
 * connected (server) before the command goes on, showing what it waits for.
 * A failure to connect is left to the caller's `withTarget`, which names the
 * URL's source with the password hidden.
 */
export async function startDatabase(
  io: CliIO,
  target: DatabaseTarget,
  root: string,
  db: Kysely<any>,
): Promise<void> {
  const what = target.kind === "postgres" ? "connecting to" : "starting";
  const stop = startSpinner(io.stderr, `${what} the database: ${describeTarget(target, root)}`);
  try {
    await sql`select 1`.execute(db);
  } finally {
    stop();
  }
}
