/**
 * Records <-> rows, and the SQL value expressions a write uses. Column names
 * come only from the table spec; every value is a parameter cast to its
 * column's type, so a multi-row VALUES list types every row the same way.
 */
import { sql, type RawBuilder } from "kysely";
import { ConflictError, ValidationError } from "../../errors/index.js";
import { escapePointer } from "../../errors/json-pointer.js";
import { copyRecord, isPrototypeKey } from "../copy.js";
import {
  categoryOf,
  categoryOfSqlType,
  checkedSqlType,
  elementSqlType,
  fromColumn,
  toColumn,
} from "./sql-values.js";
import type { SqlColumnSpec, SqlTableSpec } from "./table-spec.js";

type Sql = RawBuilder<unknown>;

/** How `date-time` (timestamptz) columns come back: Date objects, or normalised ISO strings. */
export type DateTimeMode = "Date" | "string";

/** A fresh record from a row; SQL NULL reads as `null`. No column name ever reaches a prototype. */
export function rowToRecord(
  row: Readonly<Record<string, unknown>>,
  columns: readonly SqlColumnSpec[],
  dates: DateTimeMode,
): Record<string, unknown> {
  return rowReaders(columns, dates).fresh(row);
}

/**
 * Records from the rows of a SELECT of exactly `columns`, as the driver gave
 * them (no other column). Each row is a plain object the driver built for
 * this statement alone, holding the columns in select order, so it becomes
 * the record itself: only the cells whose value the record holds differently
 * are rewritten, instead of building a second object per row (and copying
 * every cell into it). A row of another kind is read into a fresh record.
 */
export function rowsToRecords(
  rows: Record<string, unknown>[],
  columns: readonly SqlColumnSpec[],
  dates: DateTimeMode,
): Record<string, unknown>[] {
  const { fresh, inPlace } = rowReaders(columns, dates);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (inPlace !== undefined && Object.getPrototypeOf(row) === Object.prototype) inPlace(row);
    else rows[i] = fresh(row);
  }
  return rows;
}

interface RowReaders {
  readonly fresh: (row: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  /** Undefined when a column is named `__proto__`, which an assignment would not keep. */
  readonly inPlace: ((row: Record<string, unknown>) => void) | undefined;
}

/** Readers per column list (a table's `readColumns` is one array for its lifetime) and date mode. */
const readers = new WeakMap<readonly SqlColumnSpec[], Partial<Record<DateTimeMode, RowReaders>>>();

/**
 * The readers of rows with these columns: each column's category is decided
 * once here, not per cell, and keys are assigned (not defined) unless a
 * column is named `__proto__`, the one name an assignment would not keep.
 */
function rowReaders(columns: readonly SqlColumnSpec[], dates: DateTimeMode): RowReaders {
  let byMode = readers.get(columns);
  if (byMode === undefined) readers.set(columns, (byMode = {}));
  const cached = byMode[dates];
  if (cached !== undefined) return cached;
  const names = columns.map((column) => column.name);
  const reads = columns.map((column) => cellReader(column, dates));
  const assign = !names.includes("__proto__");
  const fresh = (row: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const value = reads[i]!(row[name]) ?? null;
      if (assign) record[name] = value;
      else
        Object.defineProperty(record, name, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return record;
  };
  const inPlace = !assign
    ? undefined
    : (row: Record<string, unknown>): void => {
        for (let i = 0; i < names.length; i++) {
          const name = names[i]!;
          const cell = row[name];
          const value = reads[i]!(cell) ?? null;
          if (value !== cell) row[name] = value;
        }
      };
  const made = { fresh, inPlace };
  byMode[dates] = made;
  return made;
}

/**
 * How one column's cell becomes a record value, specialised per category
 * once per table (this runs for every cell a query reads): strings, uuids and
 * booleans come from both drivers as the record holds them, numbers as
 * numbers; anything else goes through `fromColumn`, then a fresh copy of any
 * object (JSON values, which may hold keys that must not reach a prototype).
 */
function cellReader(column: SqlColumnSpec, dates: DateTimeMode): (cell: unknown) => unknown {
  const category = categoryOf(column);
  const general = (cell: unknown): unknown => {
    const value = fromColumn(column, cell);
    return value !== null && typeof value === "object" ? copyRecord(value) : value;
  };
  switch (category) {
    case "text":
    case "uuid":
    case "boolean":
      return (cell) =>
        typeof cell === "string" || typeof cell === "boolean" ? cell : general(cell);
    case "integer":
    case "float":
      return (cell) => (typeof cell === "number" ? cell : general(cell));
    case "timestamp":
      if (dates === "Date")
        return (cell) => {
          // A Date the driver just parsed is already what the record gets.
          if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? new Date(NaN) : cell;
          const value = fromColumn(column, cell);
          return typeof value === "string" ? new Date(value) : value;
        };
      return (cell) =>
        typeof cell === "string" && isIsoText(cell)
          ? cell
          : cell instanceof Date && !Number.isNaN(cell.getTime())
            ? cell.toISOString()
            : general(cell);
    case "array": {
      // The driver's array of strings or booleans is fresh and holds no object: no copy needed.
      const element = categoryOfSqlType(elementSqlType(column));
      if (element === "text" || element === "uuid" || element === "boolean" || element === "date")
        return (cell) => (Array.isArray(cell) && cell.every(isPlainElement) ? cell : general(cell));
      return general;
    }
    default:
      return general;
  }
}

/**
 * Text already in `toISOString()` form: what a pool opened by openDatabase gives for a
 * tagged statement (iso-times-tag.ts). PostgreSQL's own text form has no `T`, so a
 * driver that hands out the server's text still goes through `fromColumn`; and the
 * conversion this skips (`toISOString` of the instant) would give such text back unchanged.
 */
function isIsoText(text: string): boolean {
  return (
    text.length === 24 &&
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(19) === 46 && // .
    text.charCodeAt(23) === 90 // Z
  );
}

function isPlainElement(value: unknown): boolean {
  return value === null || typeof value === "string" || typeof value === "boolean";
}

/** The column's type for an explicit cast: varchar(n) would silently truncate, so the unbounded type (the column's own limit then refuses). */
export function castType(column: SqlColumnSpec): string {
  return checkedSqlType(column).replace(
    /^((?:character varying|varchar|character|char|bit varying|varbit))\(\d+\)/i,
    "$1",
  );
}

/**
 * Many records as ONE parameter: `jsonb_to_recordset($1::jsonb) AS v("id" bigint, ...)`,
 * so a batch of thousands of rows costs one parameter, not thousands.
 */
export function recordset(
  columns: readonly SqlColumnSpec[],
  records: readonly Readonly<Record<string, unknown>>[],
): Sql {
  const rows = records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      const value = record[column.name];
      Object.defineProperty(row, column.name, {
        value: value instanceof Date ? value.toISOString() : (value ?? null),
        enumerable: true,
      });
    }
    return row;
  });
  const definitions = columns.map((c) => sql`${sql.id(c.name)} ${sql.raw(castType(c))}`);
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${sql.join(definitions)})`;
}

export function columnValue(column: SqlColumnSpec, value: unknown): Sql {
  const sqlType = castType(column);
  const param = toColumn(column, value);
  if (param === null) return sql`null::${sql.raw(sqlType)}`;
  if (categoryOf(column) === "array") {
    return sql`array(select jsonb_array_elements_text(${param}::jsonb)::${sql.raw(elementSqlType(column))})::${sql.raw(sqlType)}`;
  }
  if (categoryOf(column) === "json") return sql`${param}::jsonb`;
  return sql`${param}::${sql.raw(sqlType)}`;
}

/**
 * The discriminator of a table-per-hierarchy table as a column: records read
 * from the table carry it (so a base model can tell its sub-models' records
 * apart), and a record written with it keeps its model.
 */
export function discriminatorColumn(spec: SqlTableSpec): SqlColumnSpec | undefined {
  const d = spec.discriminator;
  return d === undefined
    ? undefined
    : { name: d.column, type: "string", sqlType: "text", nullable: false, enum: d.values };
}

/** The columns a record is read with: the table's, then the discriminator. */
export function readColumns(spec: SqlTableSpec): readonly SqlColumnSpec[] {
  const d = discriminatorColumn(spec);
  return d === undefined ? spec.columns : [...spec.columns, d];
}

/**
 * The model a (copied) record names in its discriminator property, checked
 * against the models this table spec writes; `undefined` when it names none.
 */
export function discriminatorOf(
  record: Readonly<Record<string, unknown>>,
  spec: SqlTableSpec,
): string | undefined {
  const d = spec.discriminator;
  if (d === undefined || !Object.hasOwn(record, d.column)) return undefined;
  const value = record[d.column];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !d.values.includes(value)) {
    throw new ValidationError(
      [
        {
          pointer: `/${d.column}`,
          message: `must be one of ${d.values.join(", ")} (the models stored through this ${d.value} store)`,
          keyword: "enum",
          params: { allowedValues: d.values },
        },
      ],
      `${spec.table}: ${d.column} ${JSON.stringify(value)} is not one of ${d.values.join(", ")}`,
    );
  }
  return value;
}

/**
 * `perstore_type IN (...)`: the rows of this store's model and its sub-models
 * (`true` for a plain table). `qualifier` names the table the column is read from.
 */
export function discriminatorFilter(spec: SqlTableSpec, qualifier?: Sql): Sql {
  const d = spec.discriminator;
  if (d === undefined) return sql`true`;
  const column = qualifier === undefined ? sql.id(d.column) : sql`${qualifier}.${sql.id(d.column)}`;
  return sql`${column} in (${sql.join(d.values.map((v) => sql`${v}::text`))})`;
}

/** STORE_CONFLICT for a write that would replace a row of a model outside this store's hierarchy branch. */
export function outsideModelsError(spec: SqlTableSpec, id: unknown): ConflictError {
  return new ConflictError(
    `${spec.table}: id ${String(id)} is a record of a model outside ${spec.discriminator?.values.join(", ")}, which this store cannot replace`,
  );
}

/** Checks a (copied) record's properties against the table: every property must be a column (or the discriminator). */
export function checkProperties(
  record: Readonly<Record<string, unknown>>,
  columns: ReadonlyMap<string, SqlColumnSpec>,
  spec: SqlTableSpec,
): void {
  const table = spec.table;
  const discriminator = spec.discriminator?.column;
  const unknown = Object.keys(record).filter(
    (key) => !columns.has(key) && key !== discriminator && !isPrototypeKey(key),
  );
  if (unknown.length > 0) {
    throw new ValidationError(
      unknown.map((key) => ({
        pointer: `/${escapePointer(key)}`,
        message: `is not a column of table ${table}`,
        keyword: "additionalProperties",
        params: { additionalProperty: key },
      })),
    );
  }
}
