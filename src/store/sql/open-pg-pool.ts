/**
 * The `pg` pool behind `openDatabase("postgres://…")`. Every connection has
 * an `error` listener for its whole life: `pg` emits `error` on a client
 * whose server connection dies (a restart, `pg_terminate_backend`, a network
 * drop), and an `error` event with no listener ends the Node process. The
 * operation that was using the connection fails on its own (SqlStore turns it
 * into StoreError STORE_CONNECTION_LOST, retryable); the pool drops the dead
 * client when it is released and opens a new one for the next operation.
 */
import type { PostgresPool } from "kysely";
import { loadDriver } from "./load-driver.js";

const DATE_OID = 1082;
const INT8_OID = 20;

/** bigint as a number when it is exact, else the decimal string. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/**
 * A pool reading `date` as "YYYY-MM-DD" text and `bigint` as numbers, whose
 * connections can die without killing the process. Typed as Kysely's
 * `PostgresPool`, so perstore's declarations never name pg's types. `pg` is
 * imported on first use (an optional peer dependency of the runtime).
 */
export async function openPgPool(url: string): Promise<PostgresPool> {
  const pg = (await loadDriver("pg", url, () => import("pg"))).default;
  const pool = new pg.Pool({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === DATE_OID) return (text: string) => text;
        if (oid === INT8_OID) return parseInt8;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that dies: the pool has already removed it; nothing was using it.
  pool.on("error", ignoreDroppedConnection);
  // A checked-out client that dies: pg-pool removes its own listener while a
  // client is lent out, so this one stays for the client's whole life.
  pool.on("connect", (client) => {
    client.on("error", ignoreDroppedConnection);
  });
  return pool;
}

/** The failure reaches the operation using the connection (its query rejects), so here there is nothing left to do. */
function ignoreDroppedConnection(): void {}
