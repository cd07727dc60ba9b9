/**
 * EXPLAIN for the SQL store: the statement a query runs, and PostgreSQL's plan
 * of it. The statement comes from runQuery itself, run against a dry-run
 * Kysely that records statements instead of executing them, so it is exactly
 * the SQL a query sends. Its plan is the generic one: the statement is
 * PREPAREd with its `$n` placeholders and EXPLAINed with
 * `plan_cache_mode = force_generic_plan`, so no value is sent, interpolated
 * or shown (a plan with the values bound would print them as literals).
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
} from "kysely";
import { StoreError } from "../../errors/index.js";
import type { Query } from "../../query/ast.js";
import type { QueryOptions } from "../types.js";
import { withoutIsoTimesTag } from "./iso-times-tag.js";
import { runQuery } from "./run-query.js";
import type { SqlTable } from "./sql-store.js";

/** What `SqlStore.explain` answers. */
export interface SqlExplanation {
  /** The statement, with `$1…$n` where its values go (never the values). */
  readonly statement: string;
  readonly parameterCount: number;
  /** PostgreSQL's `EXPLAIN (FORMAT JSON)` of the generic plan: `{ Plan: { "Node Type", … } }`. */
  readonly plan: unknown;
}

let explained = 0;

/** Explains the first statement `query` runs (the page's SELECT, or the aggregate's or result's). */
export async function explainQuery(
  db: Kysely<any>,
  table: SqlTable,
  query: Query,
  options: QueryOptions,
): Promise<SqlExplanation> {
  if (db.isTransaction)
    throw new StoreError("STORE_UNSUPPORTED", "explain does not run inside a transaction");
  const statement = (await statementsOf(table, query, options))[0];
  if (statement === undefined)
    throw new StoreError("STORE_UNSUPPORTED", "this query sends no statement to explain");
  // A name of our own (digits only after a fixed prefix): the one identifier written as text.
  const name = `perstore_explain_${process.pid}_${++explained}`;
  const count = statement.parameters.length;
  const plan = await db.connection().execute(async (connection) => {
    await sql`begin`.execute(connection);
    let prepared = false;
    try {
      await sql`set local plan_cache_mode = force_generic_plan`.execute(connection);
      await sql`prepare ${sql.raw(name)} as ${sql.raw(statement.sql)}`.execute(connection);
      prepared = true;
      // The arguments are nulls a generic plan never looks at; they only satisfy EXECUTE.
      const nulls = count === 0 ? sql`` : sql`(${sql.raw(Array(count).fill("null").join(", "))})`;
      const { rows } = await sql<Record<string, unknown>>`explain (format json) execute ${sql.raw(
        name,
      )}${nulls}`.execute(connection);
      return rows[0]?.["QUERY PLAN"];
    } finally {
      await sql`rollback`.execute(connection);
      if (prepared) await sql`deallocate ${sql.raw(name)}`.execute(connection);
    }
  });
  const parsed = typeof plan === "string" ? (JSON.parse(plan) as unknown) : plan;
  return {
    statement: withoutIsoTimesTag(statement.sql),
    parameterCount: count,
    plan: Array.isArray(parsed) ? parsed[0] : parsed,
  };
}

/** The statements `runQuery` sends for `query`, recorded by a database that runs nothing. */
async function statementsOf(
  table: SqlTable,
  query: Query,
  options: QueryOptions,
): Promise<CompiledQuery[]> {
  const sent: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery(compiled) {
      sent.push(compiled);
      return { rows: [] };
    },
    // eslint-disable-next-line require-yield
    async *streamQuery() {
      throw new Error("the dry run streams nothing");
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const dry = new Kysely<any>({
    dialect: {
      createDriver: () => driver,
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createAdapter: () => new PostgresAdapter(),
      createIntrospector: (db) => new PostgresIntrospector(db),
    },
  });
  try {
    await runQuery(dry, table, query, options);
  } catch (error) {
    // With no rows, one() fails after sending its statement; a query that sent nothing failed for real.
    if (sent.length === 0) throw error;
  }
  return sent;
}
