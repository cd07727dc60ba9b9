/**
 * The description of one SQL table that the SQL store works over. The DDL
 * emitter produces it from the compiler IR; the SQL store checks every
 * identifier of a query against it, so nothing unlisted ever reaches SQL.
 */
import type { FieldType, QuerySchema } from "../../query/ast.js";

/** One column: named exactly like its property (verbatim, always quoted). */
export interface SqlColumnSpec {
  /** The property name, used verbatim as the (quoted) column name. */
  readonly name: string;
  /** The property's JSON type as the query layer sees it. */
  readonly type: FieldType;
  /** e.g. "text", "varchar(80)", "bigint", "integer", "double precision", "boolean", "timestamptz", "date", "uuid", "jsonb", "text[]". */
  readonly sqlType: string;
  readonly nullable: boolean;
  readonly enum?: readonly (string | number)[];
}

/** The table-per-hierarchy discriminator of an inherited model. */
export interface SqlDiscriminatorSpec {
  readonly column: "perstore_type";
  /** This model's own value, written on insert. */
  readonly value: string;
  /** This model and its sub-models: a query adds `perstore_type IN (...)`. */
  readonly values: readonly string[];
}

/**
 * A table's generated full-text column (schema keyword `fullText`): a stored
 * `tsvector` of its fields' text, GIN-indexed, that `search(words)` queries.
 * Like the discriminator, it is not a column of the spec (records never hold it).
 */
export interface SqlFullTextSpec {
  readonly column: "perstore_search";
  /** The text properties the vector is made of. */
  readonly fields: readonly string[];
  /** The text-search configuration ("simple", "english", ...): `[a-z_]+`. */
  readonly language: string;
}

/** A model's table: snake_case of the model name (`BookReview` -> `book_review`). */
export interface SqlTableSpec {
  readonly table: string;
  readonly primaryKey: string;
  readonly columns: readonly SqlColumnSpec[];
  readonly discriminator?: SqlDiscriminatorSpec;
  readonly fullText?: SqlFullTextSpec;
}

/** The query schema of a table: every column by name, keyed like QuerySchema paths. */
export function tableQuerySchema(spec: SqlTableSpec): QuerySchema {
  const fields: Record<string, FieldType> = {};
  for (const column of spec.columns) fields[column.name] = column.type;
  return { primaryKey: spec.primaryKey, fields };
}
