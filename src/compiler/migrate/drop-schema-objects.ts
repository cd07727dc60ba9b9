/**
 * `perstore migrate reset`'s first half: empty the schema the migrations live
 * in (the connection's current schema, `public` unless the URL's search_path
 * says otherwise). Objects are dropped one by one rather than the schema
 * itself, so the schema's owner and grants stay as they were.
 */
import { sql, type Kysely } from "kysely";

/**
 * Drops every view, table, sequence, type and routine of the current schema
 * (and `perstore_migrations` with them), in one transaction; returns how many
 * objects it dropped. Extensions are left alone.
 */
export async function dropSchemaObjects(db: Kysely<any>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const relations = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind from pg_class c
      where c.relnamespace = (select n.oid from pg_namespace n where n.nspname = current_schema())
        and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
        and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i', 'e'))
      order by c.relname`.execute(trx);
    const types = await sql<{ name: string; kind: string }>`
      select t.typname as name, t.typtype as kind from pg_type t
      where t.typnamespace = (select n.oid from pg_namespace n where n.nspname = current_schema())
        and t.typtype in ('e', 'd', 'c', 'r')
        and (t.typtype <> 'c' or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
        and not exists (select 1 from pg_depend d where d.objid = t.oid and d.deptype = 'e')
      order by t.typname`.execute(trx);
    const routines = await sql<{ signature: string; kind: string }>`
      select p.oid::regprocedure::text as signature, p.prokind as kind from pg_proc p
      where p.pronamespace = (select n.oid from pg_namespace n where n.nspname = current_schema())
        and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype in ('e', 'i'))
      order by 1`.execute(trx);
    // Routines first (their signatures name tables and types), then relations, then types.
    const drops = [
      // regprocedure text is already a quoted signature.
      ...routines.rows.map(
        (r) => `drop ${r.kind === "a" ? "aggregate" : "routine"} if exists ${r.signature} cascade`,
      ),
      ...relations.rows.map(
        (r) => `drop ${RELATION_KIND[r.kind]} if exists ${quote(r.name)} cascade`,
      ),
      ...types.rows.map(
        (t) => `drop ${t.kind === "d" ? "domain" : "type"} if exists ${quote(t.name)} cascade`,
      ),
    ];
    // Views and foreign keys depend on tables: `cascade` drops them with the first table, hence `if exists`.
    for (const statement of drops) await sql.raw(statement).execute(trx);
    return drops.length;
  });
}

const RELATION_KIND: Readonly<Record<string, string>> = {
  r: "table",
  p: "table",
  v: "view",
  m: "materialized view",
  f: "foreign table",
  S: "sequence",
};

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
