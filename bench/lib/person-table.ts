/**
 * The ten-column `person` table the SQL benches share (text, integer,
 * double, timestamptz, text[] and boolean columns; `bench/data.ts`'s
 * people), as a SqlStore table spec and as PostgreSQL DDL.
 */
import { sql, type Kysely } from "kysely";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { Person } from "../data.js";

export const personSpec: SqlTableSpec = {
  table: "person",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "age", type: "integer", sqlType: "integer", nullable: false },
    { name: "country", type: "string", sqlType: "text", nullable: false },
    { name: "province", type: "string", sqlType: "text", nullable: false },
    { name: "email", type: "string", sqlType: "text", nullable: false },
    { name: "createdAt", type: "string", sqlType: "timestamptz", nullable: false },
    { name: "score", type: "number", sqlType: "double precision", nullable: false },
    { name: "tags", type: "array", sqlType: "text[]", nullable: false },
    { name: "active", type: "boolean", sqlType: "boolean", nullable: false },
  ],
};

/** Creates `schema.person` (and an index on country when asked). */
export async function createPersonTable(
  db: Kysely<any>,
  schema: string,
  options: { readonly indexCountry?: boolean } = {},
): Promise<void> {
  await sql`create table ${sql.id(schema, "person")} (id bigint primary key, name text not null, age integer not null, country text not null, province text not null, email text not null, "createdAt" timestamptz not null, score double precision not null, tags text[] not null, active boolean not null)`.execute(
    db,
  );
  if (options.indexCountry)
    await sql`create index on ${sql.id(schema, "person")} (country)`.execute(db);
}

/** A person as the store's record: date-times are ISO text, as JSON Schema's `format: date-time` declares. */
export type PersonRecord = Omit<Person, "createdAt"> & { createdAt: string };

export function personRecord(person: Person): PersonRecord {
  return { ...person, createdAt: person.createdAt.toISOString() };
}
