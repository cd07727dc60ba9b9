/**
 * Inner stores for wrapper tests: every kind of store a wrapper must work
 * over, each made fresh and empty per test and cleaned up after it.
 *
 *   for (const kind of innerStoreKinds()) {
 *     afterAll(() => kind.close());
 *     const { store, cleanup } = await kind.make(); // a fresh ContractRecord store
 *   }
 *
 * Kinds: a MemoryStore, a JsonFileStore in its own temp folder, and an
 * SqlStore on PGlite (`memory:`), plus one on the PostgreSQL server when
 * DATABASE_URL is set. An SQL kind opens ONE database per test file (lazily,
 * on first use: PGlite costs 1-2 s of CPU to start) with its own schema, and
 * gives every store a fresh table in it, dropped by `cleanup`; `close()`
 * drops the schema and closes the database.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe } from "vitest";
import { JsonFileStore } from "../../src/store/json-file/json-file-store.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { QuerySchema } from "../../src/query/ast.js";
import type { Store } from "../../src/store/types.js";
import {
  contractQuerySchema,
  contractTableSpec,
  describeWrapperContract,
  type ContractMethod,
  type ContractRecord,
  type WrapStore,
} from "../store-contract.js";
import {
  createTable,
  openTestDatabase,
  testTargets,
  type TestDatabase,
} from "../store/sql/sql-test-db.js";

/** The table an SQL inner store is made over (memory and JSON-file stores read only its primary key). */
export interface InnerTable {
  readonly spec: SqlTableSpec;
  /** Default: the table's columns. */
  readonly querySchema?: QuerySchema;
  /** How date-time columns come back (see SqlStoreOptions.dates); default "string". */
  readonly dates?: "Date" | "string";
}

/** A fresh store and how to get rid of it. */
export interface InnerStore<T extends object> {
  readonly store: Store<T>;
  readonly cleanup: () => Promise<void>;
}

/** One kind of store a wrapper is tested over. */
export interface InnerStoreKind {
  /** e.g. "MemoryStore", "JsonFileStore", "SqlStore (pglite)", "SqlStore (postgres)". */
  readonly name: string;
  /** A fresh, empty store for records of `table` (default: `ContractRecord`, see `contractTable`). */
  make<T extends object = ContractRecord>(table?: InnerTable): Promise<InnerStore<T>>;
  /** Releases what the kind keeps across tests (an SQL kind's database); safe to call twice. */
  close(): Promise<void>;
}

/**
 * The contract table, or a vertical slice of it: `columns` (the primary key is
 * always kept). Dates come back as Dates, as `ContractRecord` declares.
 */
export function contractTable(columns?: readonly (keyof ContractRecord)[]): InnerTable {
  if (columns === undefined)
    return { spec: contractTableSpec, querySchema: contractQuerySchema, dates: "Date" };
  const keep = new Set<string>([contractTableSpec.primaryKey, ...columns]);
  const fields = Object.entries(contractQuerySchema.fields).filter(([path]) =>
    keep.has(path.split("/")[0]!),
  );
  return {
    spec: {
      ...contractTableSpec,
      columns: contractTableSpec.columns.filter((c) => keep.has(c.name)),
    },
    querySchema: { ...contractQuerySchema, fields: Object.fromEntries(fields) },
    dates: "Date",
  };
}

let tables = 0;

/** An SQL kind over one target database, opened on first use. */
function sqlKind(target: { name: string; url: string }): InnerStoreKind {
  let opening: Promise<TestDatabase> | undefined;
  return {
    name: `SqlStore (${target.name})`,
    async make<T extends object>(table: InnerTable = contractTable()) {
      opening ??= openTestDatabase(target, "wrap");
      const database = await opening;
      const spec = { ...table.spec, table: `${table.spec.table}_${++tables}` };
      await createTable(database.db, database.schema, spec);
      const store: Store<T> = new SqlStore<T>({
        db: database.db,
        table: spec,
        schema: database.schema,
        querySchema: table.querySchema,
        dates: table.dates,
      });
      const cleanup = async () => {
        await sql`drop table if exists ${sql.id(database.schema, spec.table)}`.execute(database.db);
      };
      return { store, cleanup };
    },
    async close() {
      const database = opening;
      opening = undefined;
      if (database !== undefined) await (await database).close();
    },
  };
}

/** The memory kind. */
export const memoryKind: InnerStoreKind = {
  name: "MemoryStore",
  async make<T extends object>(table: InnerTable = contractTable()) {
    const store: Store<T> = new MemoryStore<T>({ idProperty: table.spec.primaryKey });
    return { store, cleanup: async () => undefined };
  },
  async close() {},
};

/** The JSON-file kind: each store in its own temp folder, removed by `cleanup`. */
export const jsonFileKind: InnerStoreKind = {
  name: "JsonFileStore",
  async make<T extends object>(table: InnerTable = contractTable()) {
    const dir = await mkdtemp(join(tmpdir(), "perstore-wrapper-"));
    const store: Store<T> = new JsonFileStore<T>({
      path: join(dir, "data.json"),
      idProperty: table.spec.primaryKey,
    });
    return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  async close() {},
};

/**
 * Every kind to test a wrapper over: memory, JSON file, SQL on PGlite, and SQL
 * on the server when DATABASE_URL is set. Call once per test file (each call
 * makes new SQL kinds, each with its own database) and `close()` each in afterAll.
 */
export function innerStoreKinds(): InnerStoreKind[] {
  return [memoryKind, jsonFileKind, ...testTargets().map(sqlKind)];
}

/**
 * `describeWrapperContract` over every inner kind: the contract suite and the
 * capability rule for `wrap(inner)` with `inner` a fresh MemoryStore, a
 * JsonFileStore, an SqlStore on PGlite and (with DATABASE_URL) one on the
 * server. `context.another(columns?)` gives the wrapper more stores of the
 * same kind. Registers an afterAll that closes the SQL databases.
 *
 * @example
 * describeWrapperContractOverStores("cache", (inner) => cache(inner));
 */
export function describeWrapperContractOverStores(
  name: string,
  wrap: WrapStore,
  options: {
    readonly provides?: readonly ContractMethod[];
    readonly requires?: readonly ContractMethod[];
    /** Limit the kinds (e.g. a slow wrapper may skip some); default: all of `innerStoreKinds()`. */
    readonly kinds?: (kind: InnerStoreKind) => boolean;
  } = {},
): void {
  const kinds = innerStoreKinds().filter(options.kinds ?? (() => true));
  for (const kind of kinds) {
    describe(`${name} over ${kind.name}`, () => {
      afterAll(() => kind.close());
      describeWrapperContract(`${name} over ${kind.name}`, wrap, {
        makeInner: (columns) => kind.make(contractTable(columns)),
        provides: options.provides,
        requires: options.requires,
      });
    });
  }
}
