/**
 * One logical connection of the replica-routing dialect: it holds a real
 * primary connection and a real standby connection, each acquired the first
 * time a statement needs it, and sends each statement to one of them (see
 * replica-routing.ts). Everything goes to the primary inside a transaction.
 */
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from "kysely";
import { isReadStatement } from "./read-statement.js";

/** The drivers a routing connection draws its connections from. */
export interface DriverSet {
  readonly primary: Driver;
  readonly replicas: readonly Driver[];
  /** The standbys in the order to try for the next read. */
  nextReplicas(): Driver[];
}

/** One logical connection: real primary and standby connections, acquired when first needed. */
export class RoutingConnection implements DatabaseConnection {
  inTransaction = false;
  #primary: Promise<DatabaseConnection> | undefined;
  #replica: Promise<{ driver: Driver; connection: DatabaseConnection }> | undefined;

  constructor(private readonly driver: DriverSet) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return (await this.#connectionFor(query)).executeQuery<R>(query);
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    yield* (await this.#connectionFor(query)).streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    const [primary, replica] = [this.#primary, this.#replica];
    this.#primary = this.#replica = undefined;
    const settled = await Promise.allSettled([primary, replica]);
    if (primary !== undefined && settled[0].status === "fulfilled")
      await this.driver.primary.releaseConnection(settled[0].value!);
    if (
      replica !== undefined &&
      settled[1].status === "fulfilled" &&
      settled[1].value !== undefined
    )
      await settled[1].value.driver.releaseConnection(settled[1].value.connection);
  }

  #connectionFor(query: CompiledQuery): Promise<DatabaseConnection> {
    if (this.inTransaction || this.driver.replicas.length === 0 || !isReadStatement(query))
      return this.#primaryConnection();
    this.#replica ??= this.#acquireReplica();
    return this.#replica.then(
      (r) => r.connection,
      () => this.#primaryConnection(),
    );
  }

  #primaryConnection(): Promise<DatabaseConnection> {
    this.#primary ??= this.driver.primary.acquireConnection();
    return this.#primary;
  }

  /** A connection to the first standby that accepts one; rejects when none does (reads then use the primary). */
  async #acquireReplica(): Promise<{ driver: Driver; connection: DatabaseConnection }> {
    let failure: unknown;
    for (const driver of this.driver.nextReplicas()) {
      try {
        return { driver, connection: await driver.acquireConnection() };
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
}
