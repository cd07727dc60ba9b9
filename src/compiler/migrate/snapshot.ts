/**
 * The migration snapshot: the database schema as of the last migration
 * (`generated/migrations/snapshot.json`). It holds only what DDL needs, with
 * a fixed key order and sorted lists, so it is byte-for-byte deterministic.
 * `parent` is the id of the migration that wrote it: two migrations with the
 * same parent were created on parallel branches.
 */
import { PerstoreError } from "../../errors/index.js";
import {
  isSqlType,
  isTableName,
  type DdlColumn,
  type DdlDefault,
  type DdlForeignKey,
  type DdlIndex,
  type DdlTable,
} from "../emit/ddl/ddl-model.js";
import { ddlTablesFromIR } from "../emit/ddl/ddl-tables-from-ir.js";
import { isTextSearchConfig, type DdlFullText } from "../emit/ddl/full-text-column.js";
import type { ProjectIR } from "../ir/types.js";

export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  /** Id of the migration that produced this snapshot; `null` before the first. */
  readonly parent: string | null;
  /** Sorted by name. */
  readonly tables: readonly DdlTable[];
}

/** The schema before any migration. */
export function emptySnapshot(): Snapshot {
  return { version: SNAPSHOT_VERSION, parent: null, tables: [] };
}

/** The schema the project's models describe now (columns keep their `renamedFrom`, for the differ). */
export function snapshotFromIR(ir: ProjectIR, parent: string | null = null): Snapshot {
  return { version: SNAPSHOT_VERSION, parent, tables: ddlTablesFromIR(ir) };
}

/** Stable JSON text of a snapshot (rename hints dropped: they describe a change, not a state). */
export function serializeSnapshot(snapshot: Snapshot): string {
  const normal = {
    version: snapshot.version,
    parent: snapshot.parent,
    tables: snapshot.tables.map(normalTable),
  };
  return `${JSON.stringify(normal, null, 2)}\n`;
}

/** Reads and checks a snapshot; throws MIGRATION_SNAPSHOT_INVALID with the reason. */
export function parseSnapshot(text: string, file = "snapshot.json"): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `not JSON (${(error as Error).message})`);
  }
  const root = record(data, file, "");
  if (root.version !== SNAPSHOT_VERSION)
    throw invalid(
      file,
      `unsupported version ${JSON.stringify(root.version)} (expected ${SNAPSHOT_VERSION})`,
    );
  if (root.parent !== null && typeof root.parent !== "string")
    throw invalid(file, "parent must be a string or null");
  const tables = list(root.tables, file, "/tables").map((t, i) =>
    readTable(t, file, `/tables/${i}`),
  );
  return { version: SNAPSHOT_VERSION, parent: root.parent, tables };
}

function normalTable(table: DdlTable): DdlTable {
  const out: DdlTable = {
    name: table.name,
    primaryKey: table.primaryKey,
    columns: table.columns.map(normalColumn),
    indexes: table.indexes.map((i) => ({
      name: i.name,
      columns: [...i.columns],
      unique: i.unique,
    })),
    foreignKeys: table.foreignKeys.map((k) => ({
      name: k.name,
      column: k.column,
      references: { table: k.references.table, column: k.references.column },
    })),
  };
  const fullText = table.fullText;
  if (fullText === undefined) return out;
  return { ...out, fullText: { fields: [...fullText.fields], language: fullText.language } };
}

function normalColumn(column: DdlColumn): DdlColumn {
  const out: { -readonly [K in keyof DdlColumn]: DdlColumn[K] } = {
    name: column.name,
    sqlType: column.sqlType,
    nullable: column.nullable,
  };
  if (column.default !== undefined) out.default = column.default;
  if (column.enum !== undefined) out.enum = [...column.enum];
  if (column.identity === true) out.identity = true;
  return out;
}

function readTable(value: unknown, file: string, at: string): DdlTable {
  const t = record(value, file, at);
  const name = text(t.name, file, `${at}/name`);
  if (!isTableName(name))
    throw invalid(file, `${at}/name: "${name}" is not a snake_case table name`);
  const out: DdlTable = {
    name,
    primaryKey: text(t.primaryKey, file, `${at}/primaryKey`),
    columns: list(t.columns, file, `${at}/columns`).map((c, i) =>
      readColumn(c, file, `${at}/columns/${i}`),
    ),
    indexes: list(t.indexes, file, `${at}/indexes`).map((x, i): DdlIndex => {
      const index = record(x, file, `${at}/indexes/${i}`);
      return {
        name: text(index.name, file, `${at}/indexes/${i}/name`),
        columns: list(index.columns, file, `${at}/indexes/${i}/columns`).map((c, j) =>
          text(c, file, `${at}/indexes/${i}/columns/${j}`),
        ),
        unique: index.unique === true,
      };
    }),
    foreignKeys: list(t.foreignKeys, file, `${at}/foreignKeys`).map((x, i): DdlForeignKey => {
      const key = record(x, file, `${at}/foreignKeys/${i}`);
      const references = record(key.references, file, `${at}/foreignKeys/${i}/references`);
      const refTable = text(references.table, file, `${at}/foreignKeys/${i}/references/table`);
      if (!isTableName(refTable))
        throw invalid(file, `${at}/foreignKeys/${i}/references/table: not a table name`);
      return {
        name: text(key.name, file, `${at}/foreignKeys/${i}/name`),
        column: text(key.column, file, `${at}/foreignKeys/${i}/column`),
        references: {
          table: refTable,
          column: text(references.column, file, `${at}/foreignKeys/${i}/references/column`),
        },
      };
    }),
  };
  return t.fullText === undefined ? out : { ...out, fullText: readFullText(t.fullText, file, at) };
}

function readFullText(value: unknown, file: string, at: string): DdlFullText {
  const f = record(value, file, `${at}/fullText`);
  const language = text(f.language, file, `${at}/fullText/language`);
  // The configuration name is written into SQL verbatim, so only plain names are accepted.
  if (!isTextSearchConfig(language))
    throw invalid(file, `${at}/fullText/language: "${language}" is not a configuration name`);
  const fields = list(f.fields, file, `${at}/fullText/fields`).map((x, i) =>
    text(x, file, `${at}/fullText/fields/${i}`),
  );
  if (fields.length === 0) throw invalid(file, `${at}/fullText/fields: expected a field`);
  return { fields, language };
}

function readColumn(value: unknown, file: string, at: string): DdlColumn {
  const c = record(value, file, at);
  const sqlType = text(c.sqlType, file, `${at}/sqlType`);
  // The type is written into SQL verbatim, so only perstore's own types are accepted.
  if (!isSqlType(sqlType)) throw invalid(file, `${at}/sqlType: unsupported SQL type "${sqlType}"`);
  const out: { -readonly [K in keyof DdlColumn]: DdlColumn[K] } = {
    name: text(c.name, file, `${at}/name`),
    sqlType,
    nullable: c.nullable === true,
  };
  if (Object.hasOwn(c, "default")) out.default = c.default as DdlDefault;
  if (c.enum !== undefined) {
    out.enum = list(c.enum, file, `${at}/enum`).map((v) => {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
      throw invalid(file, `${at}/enum: values must be strings, numbers or booleans`);
    });
  }
  if (c.identity === true) out.identity = true;
  return out;
}

function record(value: unknown, file: string, at: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid(file, `${at || "/"}: expected an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, file: string, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(file, `${at}: expected an array`);
  return value;
}

function text(value: unknown, file: string, at: string): string {
  if (typeof value !== "string" || value === "")
    throw invalid(file, `${at}: expected a non-empty string`);
  return value;
}

function invalid(file: string, reason: string): PerstoreError {
  return new PerstoreError("MIGRATION_SNAPSHOT_INVALID", `${file}: ${reason}`);
}
