/**
 * The databases migration tests run on: embedded PGlite (in memory) always,
 * and the PostgreSQL server when DATABASE_URL is set, each test in a fresh
 * schema that is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { openDatabase } from "../../../src/store/sql/open-database.js";

export interface TestDatabase {
  readonly db: Kysely<any>;
  /** Another connection pool on the same database and schema (for concurrency tests), if the target has one. */
  readonly openAnother?: () => Kysely<any>;
  close(): Promise<void>;
}

export interface DatabaseTarget {
  readonly name: string;
  open(): Promise<TestDatabase>;
}

const serverUrl = process.env.DATABASE_URL;
let shared: Kysely<any> | undefined;

/** Closes the shared PGlite database (call in afterAll). */
export async function closeDatabases(): Promise<void> {
  await shared?.destroy();
  shared = undefined;
}

export const DATABASES: readonly DatabaseTarget[] = [
  {
    name: "pglite",
    // One in-memory PGlite per test file (starting one takes seconds); each test gets an empty public schema.
    async open() {
      shared ??= openDatabase("memory:");
      const db = shared;
      return {
        db,
        async close() {
          await sql`drop schema public cascade`.execute(db);
          await sql`create schema public`.execute(db);
        },
      };
    },
  },
  ...(serverUrl?.startsWith("postgres") === true
    ? [
        {
          name: "postgres",
          async open(): Promise<TestDatabase> {
            const schema = `perstore_mig_${randomBytes(6).toString("hex")}`;
            const admin = new pg.Client({ connectionString: serverUrl });
            await admin.connect();
            await admin.query(`create schema "${schema}"`);
            const url = new URL(serverUrl);
            url.searchParams.set("options", `-c search_path=${schema}`);
            const pools: Kysely<any>[] = [];
            const open = () => {
              const db = openDatabase(url.toString());
              pools.push(db);
              return db;
            };
            const db = open();
            return {
              db,
              openAnother: open,
              async close() {
                for (const pool of pools) await pool.destroy();
                await admin.query(`drop schema "${schema}" cascade`);
                await admin.end();
              },
            };
          },
        },
      ]
    : []),
];

export interface ColumnInfo {
  readonly table: string;
  readonly column: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
}

/** The tables and columns of the current schema, from information_schema (perstore_migrations left out). */
export async function catalogColumns(db: Kysely<any>): Promise<ColumnInfo[]> {
  const result = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    character_maximum_length: number | null;
    is_nullable: string;
    column_default: string | null;
  }>`
    select table_name, column_name, data_type, udt_name, character_maximum_length, is_nullable, column_default
    from information_schema.columns
    where table_schema = current_schema() and table_name <> 'perstore_migrations'
    order by table_name, ordinal_position`.execute(db);
  return result.rows.map((r) => ({
    table: r.table_name,
    column: r.column_name,
    type:
      r.data_type === "character varying"
        ? `varchar(${r.character_maximum_length})`
        : r.data_type === "ARRAY"
          ? `${r.udt_name.slice(1)}[]`
          : r.data_type,
    nullable: r.is_nullable === "YES",
    default: r.column_default,
  }));
}

/** Index names and definitions of the current schema, sorted. */
export async function catalogIndexes(db: Kysely<any>): Promise<string[]> {
  const result = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where schemaname = current_schema() and tablename <> 'perstore_migrations' order by indexname`.execute(
    db,
  );
  return result.rows.map((r) => r.indexdef.replace(/ ON [a-z0-9_]+\./, " ON "));
}

/** Constraint names and kinds of the current schema (primary, unique, check, foreign keys), sorted. */
export async function catalogConstraints(db: Kysely<any>): Promise<string[]> {
  const result = await sql<{ constraint_name: string; constraint_type: string }>`
    select constraint_name, constraint_type from information_schema.table_constraints
    where constraint_schema = current_schema() and table_name <> 'perstore_migrations'
      and constraint_type in ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK') and constraint_name not like '%_not_null'
    order by constraint_name`.execute(db);
  return result.rows.map((r) => `${r.constraint_name} ${r.constraint_type}`);
}
