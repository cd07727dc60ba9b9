/**
 * Driver errors (pg, PGlite) turned into perstore's, so no public SqlStore
 * method ever throws a raw driver error:
 * - unique violation (23505): ConflictError STORE_CONFLICT;
 * - bad data (22xxx, 23502, 23514): ValidationError VALIDATION_FAILED;
 * - a lost connection (SQLSTATE 08xxx, 57P01-57P03, a socket error, pg's
 *   "Connection terminated" / "not queryable"): StoreError
 *   STORE_CONNECTION_LOST, `retryable`: the pool opens a new connection for
 *   the next operation. A transaction lost before COMMIT kept nothing; lost
 *   while committing its outcome is unknown (`retryable` false,
 *   `details.outcome` "unknown"). A single write lost mid-statement is
 *   retryable (a repeated `put` is idempotent), though in the rare case the
 *   server committed it just before the connection died, a repeated `add`
 *   meets STORE_CONFLICT;
 * - a serialization failure or deadlock (40001, 40P01): StoreError
 *   STORE_SQL_FAILED, `retryable`;
 * - anything else: StoreError STORE_SQL_FAILED.
 * The driver's SQLSTATE is in `details.sqlstate`; messages carry the table and
 * the driver's message (which names no SQL text), never the statement.
 */
import { ConflictError, PerstoreError, StoreError, ValidationError } from "../../errors/index.js";
import type { SqlTableSpec } from "./table-spec.js";

/** Where the failure happened: committing makes a lost connection's outcome unknown. */
export type FailedPhase = "statement" | "commit";

const LOST_SQLSTATE = /^(08...|57P0[123])$/;
const LOST_ERRNO = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH"]);
const LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable)/;

/** True for an error saying the database connection is gone (the server closed it, or the socket failed). */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (LOST_SQLSTATE.test(code) || LOST_ERRNO.has(code))) return true;
  return error instanceof Error && LOST_MESSAGE.test(error.message);
}

/** A driver (or any) error as a PerstoreError; PerstoreErrors pass through unchanged. */
export function storeErrorOf(
  error: unknown,
  spec: SqlTableSpec,
  phase: FailedPhase = "statement",
): PerstoreError {
  if (error instanceof PerstoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const sqlstate = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const details = sqlstate === undefined ? {} : { sqlstate };
  if (isConnectionLost(error)) {
    if (phase === "commit") {
      return new StoreError(
        "STORE_CONNECTION_LOST",
        `${spec.table}: the database connection was lost while committing, so the transaction may or may not have been committed (${message})`,
        { cause: error, details: { ...details, outcome: "unknown" }, retryable: false },
      );
    }
    return new StoreError(
      "STORE_CONNECTION_LOST",
      `${spec.table}: the database connection was lost; the operation may be tried again (${message})`,
      { cause: error, details, retryable: true },
    );
  }
  if (code === "23505")
    return new ConflictError(`${spec.table}: ${message}`, "STORE_CONFLICT", {
      cause: error,
      details,
    });
  if (
    sqlstate !== undefined &&
    (sqlstate.startsWith("22") || code === "23502" || code === "23514")
  ) {
    return new ValidationError(
      [{ pointer: "", message, keyword: "sql", params: details }],
      `${spec.table}: ${message}`,
    );
  }
  return new StoreError("STORE_SQL_FAILED", `${spec.table}: ${message}`, {
    cause: error,
    details,
    retryable: code === "40001" || code === "40P01",
  });
}
