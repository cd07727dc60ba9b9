import { SchemaError } from "../../../errors/index.js";
import type { FieldType } from "../../../query/ast.js";
import type { ModelIR, PropertyIR } from "../../ir/types.js";
import { DISCRIMINATOR_COLUMN, type DdlColumn, type DdlDefault } from "./ddl-model.js";
import type { Hierarchy } from "./hierarchy.js";
import { sqlTypeOf } from "./sql-type.js";

/** A column of a hierarchy's table, with the models whose records use it. */
export interface HierarchyColumn {
  readonly column: DdlColumn;
  readonly type: FieldType;
  /** Names of the models that have this property (own or inherited). */
  readonly models: ReadonlySet<string>;
}

/**
 * The columns of one table: the root's properties in schema order, then each
 * sub-model's own properties (sub-models by name). A column is NOT NULL only
 * when every model of the hierarchy requires it (and none allows null), since
 * rows of the other models have no value for it.
 */
export function hierarchyColumns(hierarchy: Hierarchy): readonly HierarchyColumn[] {
  const definitions = new Map<string, { model: ModelIR; property: PropertyIR }[]>();
  for (const model of hierarchy.models) {
    for (const property of model.properties) {
      if (property.name === DISCRIMINATOR_COLUMN && hierarchy.models.length > 1) {
        throw new SchemaError(
          "SCHEMA_RESERVED_PROPERTY",
          `"${DISCRIMINATOR_COLUMN}" is reserved for the table-per-hierarchy discriminator`,
          { file: model.file, pointer: property.pointer },
        );
      }
      const list = definitions.get(property.name) ?? [];
      list.push({ model, property });
      definitions.set(property.name, list);
    }
  }
  const columns: HierarchyColumn[] = [];
  for (const [name, defs] of definitions) {
    const first = defs[0]!;
    const sqlType = columnSqlType(first.property);
    for (const def of defs) {
      const other = columnSqlType(def.property);
      if (other !== sqlType) {
        throw new SchemaError(
          "SCHEMA_COLUMN_CONFLICT",
          `property "${name}" is ${other} in ${def.model.name} but ${sqlType} in ${first.model.name}; models stored in one table must agree`,
          { file: def.model.file, pointer: def.property.pointer },
        );
      }
    }
    const isPrimaryKey = name === hierarchy.root.primaryKey;
    const everywhere = hierarchy.models.every((model) =>
      model.properties.some((p) => p.name === name && p.required && !p.nullable),
    );
    const column: { -readonly [K in keyof DdlColumn]: DdlColumn[K] } = {
      name,
      sqlType,
      nullable: !(isPrimaryKey || everywhere),
    };
    const defaultValue = agreedDefault(defs.map((d) => d.property));
    if (defaultValue !== undefined) column.default = defaultValue;
    const values = agreedEnum(
      defs.map((d) => d.property),
      sqlType,
    );
    if (values !== undefined) column.enum = values;
    if (isPrimaryKey && (sqlType === "integer" || sqlType === "bigint")) column.identity = true;
    const renamedFrom = first.property.renamedFrom;
    if (renamedFrom !== undefined) column.renamedFrom = renamedFrom;
    columns.push({
      column,
      type: first.property.type,
      models: new Set(defs.map((d) => d.model.name)),
    });
  }
  if (hierarchy.models.length > 1) {
    columns.push({
      column: {
        name: DISCRIMINATOR_COLUMN,
        sqlType: "text",
        nullable: false,
        // Rows that predate the hierarchy (or are written without it) are the base model's.
        default: hierarchy.root.name,
        enum: hierarchy.models.map((model) => model.name).sort(),
      },
      type: "string",
      models: new Set(),
    });
  }
  return columns;
}

function columnSqlType(property: PropertyIR): string {
  return sqlTypeOf(property);
}

/** The default every definition agrees on (JSON-equal), if any. */
function agreedDefault(properties: readonly PropertyIR[]): DdlDefault | undefined {
  const first = properties[0]?.default;
  if (first === undefined) return undefined;
  const text = JSON.stringify(first);
  return properties.every((p) => JSON.stringify(p.default) === text)
    ? (first as DdlDefault)
    : undefined;
}

/** A CHECK's allowed values: only when every definition has an enum (their union), and only for scalar columns. */
function agreedEnum(
  properties: readonly PropertyIR[],
  sqlType: string,
): readonly (string | number | boolean)[] | undefined {
  if (sqlType === "jsonb" || sqlType.endsWith("[]")) return undefined;
  const values = new Map<string, string | number | boolean>();
  for (const property of properties) {
    if (property.enum === undefined) return undefined;
    for (const value of property.enum) if (value !== null) values.set(JSON.stringify(value), value);
  }
  return [...values.values()];
}
