import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from "kysely";

let instance: Kysely<any> | undefined;

/**
 * A Kysely instance that can only compile: PostgreSQL's adapter and query
 * compiler over a driver that never connects. The DDL and migrations are
 * built with its schema builder and `.compile()`d to text.
 */
export function offlineKysely(): Kysely<any> {
  instance ??= new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return instance;
}
