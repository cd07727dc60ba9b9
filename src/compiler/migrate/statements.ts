/**
 * The steps of a migration: a discriminated union the differ produces and the
 * SQL converter renders. Every step carries what its reverse needs (a dropped
 * table or column keeps its full definition), so `reverseStatement` can build
 * the down part without looking at any schema.
 */
import type {
  DdlColumn,
  DdlDefault,
  DdlForeignKey,
  DdlFullText,
  DdlIndex,
  DdlTable,
} from "../emit/ddl/ddl-model.js";

export type EnumValues = readonly (string | number | boolean)[];

export type MigrationStatement =
  | { readonly kind: "createTable"; readonly table: DdlTable }
  | { readonly kind: "dropTable"; readonly table: DdlTable }
  | { readonly kind: "addColumn"; readonly table: string; readonly column: DdlColumn }
  | { readonly kind: "dropColumn"; readonly table: string; readonly column: DdlColumn }
  | {
      readonly kind: "renameColumn";
      readonly table: string;
      readonly from: string;
      readonly to: string;
      /** The column has an enum CHECK, whose name follows the column's. */
      readonly hasCheck: boolean;
    }
  | {
      readonly kind: "alterColumnType";
      readonly table: string;
      readonly column: string;
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly kind: "setNotNull";
      readonly table: string;
      readonly column: string;
      /** Written into NULL cells first (the column's default), so the step cannot fail. */
      readonly fill?: DdlDefault;
      readonly sqlType: string;
    }
  | {
      readonly kind: "dropNotNull";
      readonly table: string;
      readonly column: string;
      readonly sqlType: string;
    }
  | {
      readonly kind: "alterDefault";
      readonly table: string;
      readonly column: string;
      readonly sqlType: string;
      readonly from?: DdlDefault;
      readonly to?: DdlDefault;
    }
  | {
      readonly kind: "alterCheck";
      readonly table: string;
      readonly column: string;
      readonly from?: EnumValues;
      readonly to?: EnumValues;
    }
  | {
      readonly kind: "alterIdentity";
      readonly table: string;
      readonly column: string;
      readonly to: boolean;
    }
  | {
      readonly kind: "alterPrimaryKey";
      readonly table: string;
      readonly from: string;
      readonly to: string;
    }
  | { readonly kind: "addFullText"; readonly table: string; readonly fullText: DdlFullText }
  | { readonly kind: "dropFullText"; readonly table: string; readonly fullText: DdlFullText }
  | { readonly kind: "createIndex"; readonly table: string; readonly index: DdlIndex }
  | { readonly kind: "dropIndex"; readonly table: string; readonly index: DdlIndex }
  | { readonly kind: "addForeignKey"; readonly table: string; readonly foreignKey: DdlForeignKey }
  | { readonly kind: "dropForeignKey"; readonly table: string; readonly foreignKey: DdlForeignKey };

export type MigrationStatementKind = MigrationStatement["kind"];

/** How a column type change relates the old values to the new type. */
export type TypeChange = "same" | "widen" | "narrow" | "incompatible";

const RANK: Readonly<Record<string, number>> = { integer: 1, bigint: 2, "double precision": 3 };

/**
 * Whether every value of `from` fits `to` (widen), some may not (narrow), or
 * the types are unrelated (incompatible: values are cast, which may fail or
 * change them). bigint -> double precision narrows (precision above 2^53).
 */
export function classifyTypeChange(from: string, to: string): TypeChange {
  if (from === to) return "same";
  const fromArray = from.endsWith("[]");
  if (fromArray !== to.endsWith("[]")) return "incompatible";
  if (fromArray) return classifyTypeChange(from.slice(0, -2), to.slice(0, -2));
  const fromLength = varcharLength(from);
  const toLength = varcharLength(to);
  if (to === "text") return fromLength !== undefined || from === "uuid" ? "widen" : "incompatible";
  if (toLength !== undefined) {
    if (fromLength !== undefined) return toLength >= fromLength ? "widen" : "narrow";
    if (from === "text") return "narrow";
    if (from === "uuid") return toLength >= 36 ? "widen" : "narrow";
    return "incompatible";
  }
  if (to === "uuid" && (from === "text" || fromLength !== undefined)) return "narrow";
  const fromRank = RANK[from];
  const toRank = RANK[to];
  if (fromRank !== undefined && toRank !== undefined) {
    if (from === "bigint" && to === "double precision") return "narrow";
    return toRank > fromRank ? "widen" : "narrow";
  }
  if (from === "date" && to === "timestamptz") return "widen";
  if (from === "timestamptz" && to === "date") return "narrow";
  return "incompatible";
}

function varcharLength(type: string): number | undefined {
  const match = /^varchar\((\d+)\)$/.exec(type);
  return match === null ? undefined : Number(match[1]);
}

/**
 * The step that undoes `statement`, or `undefined` when there is none that
 * restores the old values (a cast between unrelated types). Dropped tables and
 * columns come back with their structure, not their data.
 */
export function reverseStatement(statement: MigrationStatement): MigrationStatement | undefined {
  switch (statement.kind) {
    case "createTable":
      return { kind: "dropTable", table: statement.table };
    case "dropTable":
      return { kind: "createTable", table: statement.table };
    case "addColumn":
      return { kind: "dropColumn", table: statement.table, column: statement.column };
    case "dropColumn":
      return { kind: "addColumn", table: statement.table, column: statement.column };
    case "renameColumn":
      return { ...statement, from: statement.to, to: statement.from };
    case "alterColumnType":
      return classifyTypeChange(statement.from, statement.to) === "incompatible"
        ? undefined
        : { ...statement, from: statement.to, to: statement.from };
    case "setNotNull":
      return {
        kind: "dropNotNull",
        table: statement.table,
        column: statement.column,
        sqlType: statement.sqlType,
      };
    case "dropNotNull":
      return {
        kind: "setNotNull",
        table: statement.table,
        column: statement.column,
        sqlType: statement.sqlType,
      };
    case "alterDefault":
      return withOptional(
        {
          kind: "alterDefault" as const,
          table: statement.table,
          column: statement.column,
          sqlType: statement.sqlType,
        },
        statement.to,
        statement.from,
      );
    case "alterCheck":
      return withOptional(
        { kind: "alterCheck" as const, table: statement.table, column: statement.column },
        statement.to,
        statement.from,
      );
    case "alterIdentity":
      return { ...statement, to: !statement.to };
    case "alterPrimaryKey":
      return { ...statement, from: statement.to, to: statement.from };
    case "addFullText":
      return { kind: "dropFullText", table: statement.table, fullText: statement.fullText };
    case "dropFullText":
      return { kind: "addFullText", table: statement.table, fullText: statement.fullText };
    case "createIndex":
      return { kind: "dropIndex", table: statement.table, index: statement.index };
    case "dropIndex":
      return { kind: "createIndex", table: statement.table, index: statement.index };
    case "addForeignKey":
      return { kind: "dropForeignKey", table: statement.table, foreignKey: statement.foreignKey };
    case "dropForeignKey":
      return { kind: "addForeignKey", table: statement.table, foreignKey: statement.foreignKey };
  }
}

// Builds { ...base, from?, to? } without writing `undefined` keys (snapshots and tests compare JSON).
function withOptional<T extends object, V>(
  base: T,
  from: V | undefined,
  to: V | undefined,
): T & { from?: V; to?: V } {
  const out: T & { from?: V; to?: V } = { ...base };
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  return out;
}
