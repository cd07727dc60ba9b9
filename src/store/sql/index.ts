/** The SQL store on Kysely: PGlite embedded, or a PostgreSQL server through pg. */
export { openDatabase, defaultDatabaseUrl, DEFAULT_DATABASE_URL } from "./open-database.js";
export {
  ReplicaRoutingDialect,
  type ReplicaRoutingConfig,
  type OpenDatabaseOptions,
} from "./replica-routing.js";
export {
  PGliteDialect,
  type PGliteDialectConfig,
  type PGliteLike,
  type PGliteLikeResults,
} from "./pglite-dialect.js";
export { SqlStore, type SqlStoreOptions } from "./sql-store.js";
export { sqlChannel } from "./sql-channel.js";
export type { DateTimeMode } from "./sql-rows.js";
export {
  tableQuerySchema,
  type SqlColumnSpec,
  type SqlDiscriminatorSpec,
  type SqlTableSpec,
} from "./table-spec.js";
