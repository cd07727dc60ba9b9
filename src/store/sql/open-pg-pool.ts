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
import { asksForIsoTimes } from "./iso-times-tag.js";
import { loadDriver } from "./load-driver.js";
import { elementsOfTextArray } from "./text-array-text.js";
import { isoOfTimestamptzText } from "./timestamptz-text.js";

const DATE_OID = 1082;
const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;
const TEXT_ARRAY_OID = 1009;
const VARCHAR_ARRAY_OID = 1015;

type TypeParser = (text: string) => unknown;
type GetTypeParser = (oid: number, format?: "text" | "binary") => TypeParser;

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
  const driverParser = pg.types.getTypeParser as unknown as GetTypeParser;
  const poolParser: GetTypeParser = (oid, format) => {
    if (oid === DATE_OID) return (text: string) => text;
    if (oid === INT8_OID) return parseInt8;
    return driverParser(oid, format);
  };
  const isoTimes = { getTypeParser: isoTimesParser(poolParser, driverParser) };
  // Statements tagged by the store (iso-times-tag.ts) get the ISO text parsers; every other
  // statement goes to pg as it came. Kysely hands pg only (text, values), so the tag is the signal.
  const Client = class extends (pg.Client as unknown as new (config?: unknown) => Queryable) {
    override query(config: unknown, values?: unknown, callback?: unknown): unknown {
      if (typeof config === "string" && callback === undefined && asksForIsoTimes(config))
        return super.query({ text: config, values, types: isoTimes });
      return super.query(config, values, callback);
    }
  };
  const pool = new pg.Pool({
    connectionString: url,
    Client: Client as unknown as typeof pg.Client,
    types: { getTypeParser: poolParser as unknown as typeof pg.types.getTypeParser },
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

interface Queryable {
  query(config: unknown, values?: unknown, callback?: unknown): unknown;
}

/**
 * The pool's parsers, except that `timestamptz` reads as the ISO text a record
 * holds and `text[]` without quoted elements as a plain split; a cell of
 * another shape goes through pg's own parser, so it reads exactly as before.
 */
function isoTimesParser(poolParser: GetTypeParser, driverParser: GetTypeParser): GetTypeParser {
  const parseDate = driverParser(TIMESTAMPTZ_OID, "text");
  const timestamptz = (text: string): unknown => isoOfTimestamptzText(text) ?? parseDate(text);
  const textArray = (oid: number): TypeParser => {
    const parseArray = driverParser(oid, "text");
    return (text) => elementsOfTextArray(text) ?? parseArray(text);
  };
  const textArrays = new Map(
    [TEXT_ARRAY_OID, VARCHAR_ARRAY_OID].map((oid) => [oid, textArray(oid)]),
  );
  return (oid, format) => {
    if (format === "binary") return poolParser(oid, format);
    if (oid === TIMESTAMPTZ_OID) return timestamptz;
    return textArrays.get(oid) ?? poolParser(oid, format);
  };
}

/** The failure reaches the operation using the connection (its query rejects), so here there is nothing left to do. */
function ignoreDroppedConnection(): void {}
