/**
 * Runs a parsed query against an SQL table: one SELECT for the page and its
 * totalCount (a second, a count, only when the page is empty past its start),
 * with projections, distinct, aggregates and result operators done in SQL.
 */
import { sql, type QueryExecutorProvider, type RawBuilder } from "kysely";
import { QueryError } from "../../errors/index.js";
import type { Query, SortKey } from "../../query/ast.js";
import type { QueryOptions, Results } from "../types.js";
import {
  aggregateExpression,
  column,
  limitClause,
  orderBy,
  pageOf,
  projectedColumns,
  selectList,
  TOTAL_COLUMN,
  whereOf,
  type Page,
  type QueryContext,
} from "./compile-query.js";
import { cappedCount, cappedTotal, peekPage } from "./page-count.js";
import { unsupported } from "./unsupported.js";
import { columnAsJson, jsonOrderKey } from "./json-order.js";
import { isoTimesTag } from "./iso-times-tag.js";
import { rowToRecord, rowsToRecords } from "./sql-rows.js";
import { categoryOf } from "./sql-values.js";
import type { SqlTable } from "./sql-store.js";
import type { SqlColumnSpec } from "./table-spec.js";

type Row = Record<string, unknown>;
type Sql = RawBuilder<unknown>;

export async function runQuery(
  db: QueryExecutorProvider,
  table: SqlTable,
  query: Query,
  options: QueryOptions,
): Promise<unknown> {
  const context: QueryContext = {
    spec: table.spec,
    columns: table.columns,
    table: table.ref,
    parameters: options.parameters ?? [],
    dates: table.dates,
    fullText: table.spec.fullText,
  };
  if (query.recurse !== undefined) throw unsupported("recurse() has no SQL translation");
  const page = pageOf(query, context.parameters, options);
  if (query.aggregate !== undefined) return runAggregate(db, table, context, query, page);

  const where = whereOf(context, query);
  // A page or first() must come out the same on every call; an unsorted whole result has no order to keep.
  const paged = page.count !== undefined || page.offset > 0 || query.result?.kind === "first";
  const order = orderBy(context, query.sort, query.filter, paged);
  const projected = projectedColumns(context, query);
  const columns = projected ?? table.readColumns;
  // Distinct records with their primary key are distinct already; only projections can repeat.
  const distinct = query.distinct && projected !== undefined;
  const list = selectList(columns);
  // Distinct rows keep their first place in the order; with no order, any place will do.
  const source = !distinct
    ? sql`${context.table}`
    : order === undefined
      ? sql`(select distinct ${list} from ${context.table} where ${where}) g`
      : sql`(select ${list}, min(rn) as rn from (select ${list}, row_number() over (order by ${order}) as rn from ${context.table} where ${where}) s group by ${list}) g`;
  const sourceWhere = distinct ? sql`true` : where;
  const sourceOrder = distinct && order !== undefined ? sql`rn` : order;
  const orderClause = sourceOrder === undefined ? sql`` : sql` order by ${sourceOrder}`;

  if (query.result !== undefined) {
    const inner = sql`select ${list} from ${source} where ${sourceWhere}${orderClause}${limitClause(page)}`;
    return runResult(db, table, query, columns, inner, page);
  }

  // A capped count reads one row past the page instead of counting every match (page-count.ts).
  const capped = cappedCount(page);
  const withTotal = !capped && (page.count !== undefined || page.offset > 0);
  // The count as a scalar subquery, computed once as a plain count of the matches (an InitPlan,
  // same statement and snapshot): `count(*) over ()` carried every matching row, ordered,
  // through a window to answer a page of 20 (30 s against 0.1 s on a million PGlite rows).
  const total = withTotal
    ? sql`, (select count(*) from ${source} where ${sourceWhere}) as ${sql.id(TOTAL_COLUMN)}`
    : sql``;
  const { rows } =
    await sql<Row>`${isoTimesTag(table.dates)}select ${list}${total} from ${source} where ${sourceWhere}${orderClause}${limitClause(capped ? peekPage(page) : page)}`.execute(
      db,
    );
  let totalCount = rows.length;
  if (capped) {
    totalCount = await cappedTotal(db, source, sourceWhere, page, rows.length);
    rows.splice(page.count);
  } else if (withTotal) {
    const first = rows[0];
    if (first !== undefined) totalCount = Number(first[TOTAL_COLUMN]);
    else {
      const counted =
        await sql<Row>`select count(*)::float8 as n from ${source} where ${sourceWhere}`.execute(
          db,
        );
      totalCount = Number(counted.rows[0]?.n ?? 0);
    }
  }
  if (page.maxCount !== undefined) totalCount = Math.min(totalCount, page.maxCount);
  // Rows holding only the selected columns become the records themselves (see rowsToRecords).
  const records = withTotal
    ? rows.map((row) => rowToRecord(row, columns, table.dates))
    : rowsToRecords(rows, columns, table.dates);
  const out = (
    query.projection?.kind === "values" ? records.map((r) => valuesOf(r, columns)) : records
  ) as Results<unknown>;
  out.totalCount = totalCount;
  return out;
}

function valuesOf(record: Row, columns: readonly SqlColumnSpec[]): unknown {
  if (columns.length === 1) return record[columns[0]!.name] ?? undefined;
  return columns.map((c) => record[c.name] ?? undefined);
}

async function runResult(
  db: QueryExecutorProvider,
  table: SqlTable,
  query: Query,
  columns: readonly SqlColumnSpec[],
  inner: Sql,
  page: Page,
): Promise<unknown> {
  const result = query.result!;
  switch (result.kind) {
    case "count": {
      const { rows } = await sql<Row>`select count(*)::float8 as v from (${inner}) x`.execute(db);
      return Number(rows[0]?.v ?? 0);
    }
    case "sum":
    case "mean":
    case "min":
    case "max": {
      const spec = columns.find((c) => c.name === result.path[0] && result.path.length === 1);
      if (spec === undefined)
        throw unsupported(
          `${result.kind}(${result.path.join("/")}) needs a top-level property kept by the projection`,
        );
      const { rows } =
        await sql<Row>`select ${aggregateExpression(result.kind, spec, sql`x`)} as v from (${inner}) x`.execute(
          db,
        );
      const value = rows[0]?.v;
      if (value === null || value === undefined) return undefined;
      if (result.kind === "sum" || result.kind === "mean") return Number(value);
      return rowToRecord({ [spec.name]: value }, [spec], table.dates)[spec.name] ?? undefined;
    }
    case "first":
    case "one": {
      const { rows } =
        await sql<Row>`select * from (${inner}) x limit ${result.kind === "first" ? 1 : 2}`.execute(
          db,
        );
      void page;
      if (result.kind === "one" && rows.length !== 1) {
        throw new QueryError(
          "QUERY_NOT_ONE",
          `one() expected exactly one record, found ${rows.length === 0 ? "none" : "more"}`,
        );
      }
      const row = rows[0];
      if (row === undefined) return undefined;
      const record = rowToRecord(row, columns, table.dates);
      return query.projection?.kind === "values" ? valuesOf(record, columns) : record;
    }
  }
}

/** `aggregate(g1, g2, fn(p), ...)`: GROUP BY in SQL, then sort and page the groups. */
async function runAggregate(
  db: QueryExecutorProvider,
  table: SqlTable,
  context: QueryContext,
  query: Query,
  page: Page,
): Promise<unknown> {
  const clause = query.aggregate!;
  if (query.projection !== undefined || query.result !== undefined || query.distinct) {
    throw unsupported(
      "aggregate() with a projection, distinct() or a result operator has no SQL translation",
    );
  }
  const groups = clause.groupBy.map((path) => column(context, path, "aggregate"));
  const outputs = new Map<string, SqlColumnSpec | "number">();
  const terms: Sql[] = groups.map((g) => {
    outputs.set(g.name, g);
    return sql`t.${sql.id(g.name)}`;
  });
  for (const spec of clause.aggregates) {
    const target = spec.path === undefined ? undefined : column(context, spec.path, spec.fn);
    terms.push(sql`${aggregateExpression(spec.fn, target, sql`t`)} as ${sql.id(spec.name)}`);
    outputs.set(spec.name, spec.fn === "min" || spec.fn === "max" ? target! : "number");
  }
  const groupBy =
    groups.length === 0
      ? sql``
      : sql` group by ${sql.join(groups.map((g) => sql`t.${sql.id(g.name)}`))}`;
  const grouped = sql`select ${sql.join(terms)} from ${context.table} t where ${whereOf(context, query)}${groupBy}`;
  const order = aggregateOrder(query.sort, groups, outputs);
  const { rows } =
    await sql<Row>`select a.*, count(*) over () as ${sql.id(TOTAL_COLUMN)} from (${grouped}) a order by ${order}${limitClause(page)}`.execute(
      db,
    );
  const out = rows.map((row) => {
    const record: Row = {};
    for (const [name, kind] of outputs) {
      const raw = row[name];
      const value =
        kind === "number"
          ? raw === null || raw === undefined
            ? undefined
            : Number(raw)
          : rowToRecord({ [kind.name]: raw }, [kind], table.dates)[kind.name];
      Object.defineProperty(record, name, {
        value: value ?? (kind === "number" ? undefined : null),
        enumerable: value !== undefined || kind !== "number",
        writable: true,
        configurable: true,
      });
    }
    return record;
  }) as Results<unknown>;
  const first = rows[0];
  let totalCount = first === undefined ? 0 : Number(first[TOTAL_COLUMN]);
  if (first === undefined && page.offset > 0) {
    const counted = await sql<Row>`select count(*)::float8 as n from (${grouped}) a`.execute(db);
    totalCount = Number(counted.rows[0]?.n ?? 0);
  }
  out.totalCount = page.maxCount === undefined ? totalCount : Math.min(totalCount, page.maxCount);
  return out;
}

function aggregateOrder(
  sort: readonly SortKey[],
  groups: readonly SqlColumnSpec[],
  outputs: ReadonlyMap<string, SqlColumnSpec | "number">,
): Sql {
  const keys = sort.length > 0 ? sort : groups.map((g) => ({ path: [g.name], descending: false }));
  const terms = keys.map((key) => {
    const name = key.path.length === 1 ? key.path[0]! : undefined;
    const kind = name === undefined ? undefined : outputs.get(name);
    if (name === undefined || kind === undefined)
      throw new QueryError(
        "QUERY_UNKNOWN_PROPERTY",
        `sort on "${key.path.join("/")}", which aggregate() does not produce`,
      );
    const category = kind === "number" ? "float" : categoryOf(kind);
    if (kind !== "number" && (category === "json" || category === "array")) {
      const json = columnAsJson(kind, sql`a.${sql.id(name)}`, "sort");
      return sql`${jsonOrderKey(json)} ${key.descending ? sql`desc` : sql`asc`}`;
    }
    const ref = category === "text" ? sql`a.${sql.id(name)} collate "C"` : sql`a.${sql.id(name)}`;
    return key.descending ? sql`${ref} desc nulls last` : sql`${ref} asc nulls first`;
  });
  return terms.length === 0 ? sql`1` : sql.join(terms);
}
