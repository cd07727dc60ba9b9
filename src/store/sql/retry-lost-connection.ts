/**
 * A pooled connection can be dead before it is used: the server ended it
 * while it sat idle (a restart, `pg_terminate_backend`), and the pool has not
 * yet read the notice from the socket. An operation handed such a connection
 * fails at once without having done anything, and the pool then drops the
 * connection. So operations that are safe to repeat run again on another
 * connection, a bounded number of times (the pool holds at most that many
 * idle connections that died together); a server that is really gone still
 * fails, with STORE_CONNECTION_LOST.
 */
import type { CompiledQuery, Kysely, QueryExecutorProvider } from "kysely";
import { isConnectionLost } from "./sql-error.js";

/** pg's default pool size: at most this many idle connections can die together. */
const ATTEMPTS = 11;

/**
 * Runs `operation`, again while it fails with a lost connection and
 * `mayRepeat()` says repeating it is safe (a read, an idempotent write, or a
 * transaction whose body has not started); the last error is thrown as is.
 */
export async function retryLostConnection<R>(
  operation: () => Promise<R>,
  mayRepeat: () => boolean = () => true,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConnectionLost(error) || !mayRepeat()) throw error;
    }
  }
}

/**
 * `db` as statements see it, with every statement run through
 * `retryLostConnection` (for single statements outside a transaction that
 * are safe to repeat: reads, idempotent writes).
 */
export function retryingDatabase(db: Kysely<any>): QueryExecutorProvider {
  const executor = db.getExecutor();
  const retrying = new Proxy(executor, {
    get(target, property) {
      if (property === "executeQuery") {
        return (query: CompiledQuery, ...rest: unknown[]) =>
          retryLostConnection(() =>
            (target.executeQuery as (...args: unknown[]) => Promise<unknown>)(query, ...rest),
          );
      }
      const value: unknown = Reflect.get(target, property, target);
      // Kysely's executors keep private fields: their methods must run on the executor itself.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { getExecutor: () => retrying };
}
