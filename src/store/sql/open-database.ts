/**
 * `openDatabase(url?)`: one Kysely instance over the database a URL names.
 *
 * - `pglite:<dir>`: embedded PGlite persisted in that folder (created if missing),
 *   used by one process at a time (a second opener gets STORE_LOCKED naming
 *   the holder's pid; see pglite-folder-lock.ts);
 * - `memory:`: embedded PGlite in memory;
 * - `postgres://…` / `postgresql://…`: a PostgreSQL server through a `pg` pool.
 *
 * With `{ replicas: [url, ...] }` (postgres:// only), reads outside
 * transactions go to those hot standbys (see replica-routing.ts).
 *
 * With no URL: `DATABASE_URL`, else `perstore.config.json`'s `database` (in the
 * current directory), else `pglite:.perstore/db`.
 *
 * Both drivers read `date` columns as "YYYY-MM-DD" text and `bigint` columns as
 * numbers (strings beyond 2^53), so the same code sees the same values on both.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { StoreError } from "../../errors/index.js";
import { openPgPool, parseInt8 } from "./open-pg-pool.js";
import { PGliteDialect, type PGliteLike } from "./pglite-dialect.js";
import { checkReplicaUrls, withReplicas, type OpenDatabaseOptions } from "./replica-routing.js";
import { openLockedPGlite } from "./pglite-folder-lock.js";
import { loadDriver } from "./load-driver.js";

/** The database used when nothing else is configured. */
export const DEFAULT_DATABASE_URL = "pglite:.perstore/db";

/** The URL `openDatabase()` uses when given none. */
export function defaultDatabaseUrl(cwd: string = process.cwd()): string {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, "perstore.config.json"), "utf8");
  } catch {
    return DEFAULT_DATABASE_URL;
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (cause) {
    throw new StoreError("STORE_CONFIG", "perstore.config.json is not valid JSON", { cause });
  }
  const database = (config as { database?: unknown } | null)?.database;
  return typeof database === "string" && database !== "" ? database : DEFAULT_DATABASE_URL;
}

/**
 * Open the database a URL names and return a Kysely instance over it; call
 * `db.destroy()` to close it (and the PGlite instance or pool with it).
 *
 * @example
 * const db = openDatabase("memory:");
 * const store = new SqlStore({ db, table: PersonDefinition.sql });
 */
export function openDatabase<DB = any>(
  url: string = defaultDatabaseUrl(),
  options: OpenDatabaseOptions = {},
): Kysely<DB> {
  checkReplicaUrls(url, options);
  if (url === "memory:" || url.startsWith("memory:")) {
    return new Kysely<DB>({
      dialect: new PGliteDialect({ pglite: () => createPGlite(url, undefined) }),
    });
  }
  if (url.startsWith("pglite:")) {
    const dir = resolve(url.slice("pglite:".length) || ".perstore/db");
    return new Kysely<DB>({
      dialect: new PGliteDialect({
        pglite: () => openLockedPGlite(dir, () => createPGlite(url, dir)),
      }),
    });
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const dialect = (u: string) => new PostgresDialect({ pool: () => openPgPool(u) });
    return new Kysely<DB>({ dialect: withReplicas(dialect(url), options, dialect) });
  }
  throw new StoreError(
    "STORE_BAD_URL",
    `unsupported database URL "${url}": use pglite:<dir>, memory: or postgres://…`,
  );
}

/** Opens PGlite (imported on first use: an optional peer dependency). */
async function createPGlite(url: string, dir: string | undefined): Promise<PGliteLike> {
  const { PGlite, types: pgliteTypes } = await loadDriver(
    "@electric-sql/pglite",
    url,
    () => import("@electric-sql/pglite"),
  );
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  return PGlite.create({
    ...(dir === undefined ? {} : { dataDir: dir }),
    parsers: { [pgliteTypes.DATE]: (text: string) => text, [pgliteTypes.INT8]: parseInt8 },
  });
}
