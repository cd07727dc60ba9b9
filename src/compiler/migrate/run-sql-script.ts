/**
 * Runs a SQL script of several statements whole, as the server parses it,
 * instead of splitting it by hand: a hand-written splitter misreads valid
 * PostgreSQL (`E'it\'s; fine'`, nested dollar quotes, comments). On a server
 * the script goes through pg's simple query protocol (a query without
 * parameters); on embedded PGlite through `exec`, which the PGlite dialect's
 * connection offers as `executeScript`.
 */
import { CompiledQuery, type DatabaseConnection, type Kysely } from "kysely";
import { PerstoreError } from "../../errors/index.js";

/** A connection that can run a multi-statement script itself (the PGlite dialect's). */
interface ScriptConnection extends DatabaseConnection {
  executeScript?(script: string): Promise<void>;
}

/**
 * Runs `script` (any number of statements, comments, dollar-quoted bodies) on
 * `db`, a Kysely instance, connection or transaction, in one round trip.
 * Driver errors are rethrown as they are.
 *
 * @example
 * await runSqlScript(db, await readFile("generated/schema.sql", "utf8"));
 */
export async function runSqlScript(db: Kysely<any>, script: string): Promise<void> {
  if (script.trim() === "") return;
  await db.getExecutor().provideConnection(async (connection: ScriptConnection) => {
    if (typeof connection.executeScript === "function") await connection.executeScript(script);
    else await connection.executeQuery(CompiledQuery.raw(script));
  });
}

/** Where a migration part is: its file, which part, and the file line its first line is on. */
export interface ScriptLocation {
  readonly fileName: string;
  readonly part: "up" | "down";
  /** 1-based line of the file where the part's text starts. */
  readonly firstLine: number;
}

/**
 * Runs a migration part whole; a failure is MIGRATION_FAILED naming the file,
 * the part and, when the database says where (its error `position`), the line,
 * column and text of the failing statement's line.
 */
export async function runMigrationScript(
  db: Kysely<any>,
  script: string,
  where: ScriptLocation,
): Promise<void> {
  try {
    await runSqlScript(db, script);
  } catch (cause) {
    const driver = (typeof cause === "object" && cause !== null ? cause : {}) as {
      message?: unknown;
      position?: unknown;
      code?: unknown;
      hint?: unknown;
    };
    const reason = typeof driver.message === "string" ? driver.message : String(cause);
    const hint = typeof driver.hint === "string" ? ` (hint: ${driver.hint})` : "";
    const at = locate(script, Number(driver.position), where.firstLine);
    const label = `${where.fileName} (${where.part})`;
    throw new PerstoreError(
      "MIGRATION_FAILED",
      at === undefined
        ? `${label} failed and was rolled back: ${reason}${hint}`
        : `${label} failed at line ${at.line}, column ${at.column} and was rolled back: ${reason}${hint}\n  at: ${at.text}`,
      {
        cause,
        details: {
          migration: label,
          file: where.fileName,
          part: where.part,
          ...(typeof driver.code === "string" ? { sqlState: driver.code } : {}),
          ...(at === undefined ? {} : { line: at.line, column: at.column, statement: at.text }),
        },
      },
    );
  }
}

/** File line, column and the line's text of a 1-based character `position` in the script. */
function locate(
  script: string,
  position: number,
  firstLine: number,
): { line: number; column: number; text: string } | undefined {
  if (!Number.isInteger(position) || position < 1 || position > script.length + 1) return undefined;
  const before = script.slice(0, position - 1);
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = script.indexOf("\n", lineStart);
  const text = script.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim();
  return {
    line: firstLine + before.split("\n").length - 1,
    column: position - lineStart,
    text: text.length > 200 ? `${text.slice(0, 200)}…` : text,
  };
}
