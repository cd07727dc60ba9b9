/**
 * A Kysely dialect for embedded PGlite (PostgreSQL compiled to WebAssembly).
 *
 * Our own, rather than kysely-pglite-dialect, because that package does not
 * support PGlite 0.5. PGlite is one connection, so the driver hands it to one
 * Kysely "connection" at a time: a transaction keeps the connection (and so the
 * database) from BEGIN to COMMIT/ROLLBACK, and every other query waits.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: await PGlite.create() }) });
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import {
  preparedStatementsOf,
  statementKind,
  type PGliteProtocol,
  type PreparedStatements,
} from "./pglite-statements.js";

/**
 * The part of a PGlite instance the dialect uses. Declared here, structurally,
 * rather than importing PGlite's own types, so that perstore's public
 * declarations do not pull in PGlite's .d.ts (which needs @types/emscripten and
 * fails a consumer's `skipLibCheck: false` build). A `PGlite` satisfies it.
 */
export interface PGliteLike extends Partial<PGliteProtocol> {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  query<T>(query: string, params?: unknown[]): Promise<PGliteLikeResults<T>>;
  /** Runs a script of one or more statements whole (the simple query protocol). */
  exec?(query: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The fields of a PGlite query result the dialect reads. */
export interface PGliteLikeResults<T> {
  readonly rows: T[];
  readonly affectedRows?: number;
  /** The command of the statement, e.g. "INSERT". */
  readonly command?: string;
  /** The row count of the command tag. */
  readonly rowCount?: number;
}

/** Options of `new PGliteDialect(...)`. */
export interface PGliteDialectConfig {
  /** An open PGlite instance, or a factory that opens one on first use. */
  readonly pglite: PGliteLike | (() => Promise<PGliteLike>);
  /** Close the PGlite instance when Kysely is destroyed (default true). */
  readonly closeOnDestroy?: boolean;
}

/** Kysely dialect over one PGlite instance (PostgreSQL SQL, adapter and introspector). */
export class PGliteDialect implements Dialect {
  readonly #config: PGliteDialectConfig;
  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#config);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

const AFFECTING = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

class PGliteConnection implements DatabaseConnection {
  /** Prepared statements, when the instance speaks the wire protocol (pglite-statements.ts). */
  readonly #statements: PreparedStatements | undefined;

  constructor(readonly pglite: PGliteLike) {
    this.#statements = speaksProtocol(pglite) ? preparedStatementsOf(pglite) : undefined;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statements = this.#statements;
    const kind = statements === undefined ? "plain" : statementKind(compiled.sql);
    const result: PGliteLikeResults<R> =
      kind === "prepare"
        ? await statements!.run<R>(compiled.sql, compiled.parameters)
        : await this.pglite.query<R>(compiled.sql, [...compiled.parameters]);
    if (kind === "schema") statements!.forgetAll();
    const command = result.command?.toUpperCase();
    const affected = result.rowCount ?? result.affectedRows;
    return {
      rows: result.rows,
      ...(command !== undefined && AFFECTING.has(command) && affected !== undefined
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  /**
   * Runs a script of several statements whole, through PGlite's simple query
   * protocol (`exec`), as pg does for a query without parameters: migrations
   * use it instead of splitting SQL by hand.
   */
  async executeScript(script: string): Promise<void> {
    if (this.pglite.exec === undefined)
      throw new Error("PGliteDialect: this PGlite instance has no exec() to run a script");
    try {
      await this.pglite.exec(script);
    } finally {
      // A script (a migration) may change any table: no prepared statement outlives it.
      this.#statements?.forgetAll();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGliteDialect does not support streaming queries");
  }
}

class PGliteDriver implements Driver {
  readonly #config: PGliteDialectConfig;
  #pglite: PGliteLike | undefined;
  #connection: PGliteConnection | undefined;
  /** The tail of the queue of holders of the single connection. */
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const { pglite } = this.#config;
    this.#pglite = typeof pglite === "function" ? await pglite() : pglite;
    await this.#pglite.waitReady;
    this.#connection = new PGliteConnection(this.#pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#connection;
    if (connection === undefined)
      throw new Error("PGliteDialect: the driver is not initialised or was destroyed");
    // Chain onto the queue: we hold the connection until releaseConnection.
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    let sql = "begin";
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) {
      sql = "start transaction";
      if (settings.isolationLevel !== undefined)
        sql += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode !== undefined) sql += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(sql));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async destroy(): Promise<void> {
    const pglite = this.#pglite;
    this.#pglite = undefined;
    this.#connection = undefined;
    if (pglite !== undefined && this.#config.closeOnDestroy !== false && !pglite.closed)
      await pglite.close();
  }
}

function speaksProtocol(pglite: PGliteLike): pglite is PGliteLike & PGliteProtocol {
  return (
    typeof pglite.execProtocol === "function" &&
    typeof pglite.runExclusive === "function" &&
    typeof pglite.parsers === "object" &&
    typeof pglite.serializers === "object"
  );
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
