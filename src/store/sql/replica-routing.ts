/**
 * SQL scale-out on PostgreSQL's own streaming replication: a Kysely dialect
 * that sends reads to hot standbys and everything else to the primary.
 *
 * - A read is a statement `isReadStatement` accepts (a single plain SELECT)
 *   run outside a transaction; standbys take turns.
 * - Every statement inside a transaction goes to the primary, reads too, so a
 *   transaction sees its own writes and a consistent snapshot.
 * - A standby that cannot be reached is skipped (the next one, then the primary).
 *
 * Standbys replay the primary's changes asynchronously: a read right after a
 * write may not see it yet. Read inside a transaction to see your own writes,
 * or configure the primary with `synchronous_commit = remote_apply`.
 *
 * @example
 * const db = openDatabase("postgres://primary/app", { replicas: ["postgres://standby/app"] });
 */
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  TransactionSettings,
} from "kysely";
import { StoreError } from "../../errors/index.js";
import { RoutingConnection, type DriverSet } from "./routing-connection.js";

/** The primary's dialect and one per standby (all of the same kind, e.g. PostgresDialect). */
export interface ReplicaRoutingConfig {
  readonly primary: Dialect;
  readonly replicas: readonly Dialect[];
}

/** A dialect that routes reads to standbys (see the module comment). */
export class ReplicaRoutingDialect implements Dialect {
  constructor(private readonly config: ReplicaRoutingConfig) {}

  createDriver(): Driver {
    return new RoutingDriver(
      this.config.primary.createDriver(),
      this.config.replicas.map((d) => d.createDriver()),
    );
  }
  createQueryCompiler(): QueryCompiler {
    return this.config.primary.createQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return this.config.primary.createAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.config.primary.createIntrospector(db);
  }
}

class RoutingDriver implements Driver, DriverSet {
  #turn = 0;

  constructor(
    readonly primary: Driver,
    readonly replicas: readonly Driver[],
  ) {}

  async init(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((d) => d.init()));
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this);
  }
  /** The standbys in the order to try for the next read (round robin). */
  nextReplicas(): Driver[] {
    const start = this.#turn++ % Math.max(1, this.replicas.length);
    return [...this.replicas.slice(start), ...this.replicas.slice(0, start)];
  }
  // The primary's transaction commands run on the routing connection, which
  // sends every statement to the primary while `inTransaction` is set.
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const routing = connection as RoutingConnection;
    routing.inTransaction = true;
    try {
      await this.primary.beginTransaction(routing, settings);
    } catch (error) {
      routing.inTransaction = false;
      throw error;
    }
  }
  async commitTransaction(connection: DatabaseConnection) {
    await this.primary.commitTransaction(connection);
    (connection as RoutingConnection).inTransaction = false;
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    try {
      await this.primary.rollbackTransaction(connection);
    } finally {
      (connection as RoutingConnection).inTransaction = false;
    }
  }
  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ) {
    await this.primary.savepoint!(connection, name, compile);
  }
  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ) {
    await this.primary.rollbackToSavepoint!(connection, name, compile);
  }
  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ) {
    await this.primary.releaseSavepoint!(connection, name, compile);
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).release();
  }
  async destroy(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((d) => d.destroy()));
  }
}

/** `openDatabase`'s options. */
export interface OpenDatabaseOptions {
  /** `postgres://` URLs of hot standbys of the primary: reads outside transactions go to them. */
  readonly replicas?: readonly string[];
}

const isPostgresUrl = (url: unknown) =>
  typeof url === "string" && (url.startsWith("postgres://") || url.startsWith("postgresql://"));

/** STORE_BAD_URL unless `replicas` is absent, or postgres:// URLs for a postgres:// primary. */
export function checkReplicaUrls(url: string, options: OpenDatabaseOptions): void {
  const replicas: unknown = options?.replicas;
  if (replicas === undefined) return;
  if (!Array.isArray(replicas) || !replicas.every(isPostgresUrl))
    throw new StoreError(
      "STORE_BAD_URL",
      "openDatabase: replicas must be an array of postgres:// URLs (hot standbys of the primary)",
    );
  if (replicas.length > 0 && !isPostgresUrl(url))
    throw new StoreError(
      "STORE_BAD_URL",
      `openDatabase: replicas need a postgres:// primary; "${url.split(":")[0]}:" databases have no standbys`,
    );
}

/** `primary` alone, or routing reads over the standbys that `open` makes dialects for. */
export function withReplicas(
  primary: Dialect,
  options: OpenDatabaseOptions,
  open: (url: string) => Dialect,
): Dialect {
  const replicas = options?.replicas ?? [];
  return replicas.length === 0
    ? primary
    : new ReplicaRoutingDialect({ primary, replicas: replicas.map(open) });
}
