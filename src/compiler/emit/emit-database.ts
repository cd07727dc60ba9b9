/**
 * `db.ts`: a Kysely `Database` interface whose tables match what the SQL
 * store writes (the table specs from the DDL work): one table per hierarchy,
 * columns named like properties, `Date` for timestamptz, `| null` when nullable,
 * and `Generated<T>` when the DDL gives the column a default or an identity
 * (so a raw Kysely insert may omit it, as the SQL store's own inserts may).
 * The fixed text is templates/emit/db.ts and db-header.ts (the `Generated`
 * import, only when a column needs it).
 */
import type { SqlColumnSpec, SqlTableSpec } from "../../store/sql/table-spec.js";
import { pascalCase } from "../ir/names.js";
import type { ProjectIR } from "../ir/types.js";
import { ddlTablesFromIR } from "./ddl/ddl-tables-from-ir.js";
import { tableSpecsFromIR } from "./ddl/table-specs-from-ir.js";
import type { EmittedFile } from "./emitted-file.js";
import { RUNTIME_PACKAGE } from "../package-names.js";
import { emitTemplate } from "../templates.js";

/** The TS type a column's values have when read through Kysely. */
export function columnTsType(column: Pick<SqlColumnSpec, "sqlType" | "enum">): string {
  const array = column.sqlType.endsWith("[]");
  const sql = array ? column.sqlType.slice(0, -2) : column.sqlType;
  let type: string;
  if (column.enum && column.enum.length > 0 && !array)
    type = column.enum.map((v) => JSON.stringify(v)).join(" | ");
  else if (sql === "timestamptz") type = "Date";
  else if (sql === "integer" || sql === "bigint" || sql === "double precision") type = "number";
  else if (sql === "boolean") type = "boolean";
  else if (sql === "jsonb") type = "unknown";
  else type = "string";
  return array ? `${type.includes("|") ? `(${type})` : type}[]` : type;
}

export function emitDatabase(ir: ProjectIR): EmittedFile[] {
  const tables = new Map<string, SqlTableSpec>();
  // The root model's spec lists every column of its hierarchy.
  const specs = tableSpecsFromIR(ir);
  ir.models.forEach((model, i) => {
    if (model.base === undefined) tables.set(specs[i]!.table, specs[i]!);
  });
  // Columns the database fills when an insert omits them: a DEFAULT or an identity.
  const defaulted = new Set<string>();
  for (const table of ddlTablesFromIR(ir))
    for (const column of table.columns)
      if (column.identity === true || column.default !== undefined)
        defaulted.add(`${table.name}\u0000${column.name}`);
  let usesGenerated = false;
  const field = (table: string, name: string, type: string) => {
    if (!defaulted.has(`${table}\u0000${name}`)) return `  ${JSON.stringify(name)}: ${type};`;
    usesGenerated = true;
    return `  ${JSON.stringify(name)}: Generated<${type}>;`;
  };
  const names = [...tables.keys()].sort();
  const interfaces = names.map((table) => {
    const spec = tables.get(table)!;
    const columns = spec.columns.map((c) =>
      field(table, c.name, `${columnTsType(c)}${c.nullable ? " | null" : ""}`),
    );
    if (spec.discriminator) columns.push(field(table, spec.discriminator.column, "string"));
    return `/** Table \`${table}\`. */\nexport interface ${pascalCase(table)}Table {\n${columns.join("\n")}\n}`;
  });
  const contents = emitTemplate("db.ts", {
    header: usesGenerated ? `${emitTemplate("db-header.ts", { runtime: RUNTIME_PACKAGE })}\n` : "",
    tables: interfaces.join("\n\n"),
    databaseTables: names.map((t) => `  ${JSON.stringify(t)}: ${pascalCase(t)}Table;`).join("\n"),
  });
  return [{ path: "db.ts", source: "schemas/", contents }];
}
