import type { SqlColumnSpec, SqlTableSpec } from "../../../store/sql/table-spec.js";
import type { ModelIR, ProjectIR } from "../../ir/types.js";
import { DISCRIMINATOR_COLUMN } from "./ddl-model.js";
import { FULL_TEXT_COLUMN } from "./full-text-column.js";
import { hierarchyColumns } from "./hierarchy-columns.js";
import { hierarchiesOf } from "./hierarchy.js";

/**
 * The SQL table spec of every model, in the IR's model order (`specs[i]` is
 * the spec of `ir.models[i]`): the one mapping
 * from models to tables, used by the DDL and, through the generated
 * definitions, by the SQL store at run time.
 *
 * Table-per-hierarchy: a model's spec names its hierarchy's table and lists
 * the columns of its own properties and of its sub-models' properties (so a
 * query on a base model reads every sub-model's fields in one statement).
 * The `perstore_type` discriminator is not a column of the spec (records have
 * no such property); it is described by `discriminator` instead, on every
 * model of a hierarchy with more than one model.
 *
 * @example
 * tableSpecsFromIR(ir).find((s) => s.table === "book")
 * // { table: "book", primaryKey: "isbn", columns: [{ name: "isbn", type: "string", sqlType: "text", nullable: false }, ...] }
 */
export function tableSpecsFromIR(ir: ProjectIR): SqlTableSpec[] {
  const specs = new Map<string, SqlTableSpec>();
  for (const hierarchy of hierarchiesOf(ir)) {
    const columns = hierarchyColumns(hierarchy);
    for (const model of hierarchy.models) {
      const family = new Set([model.name, ...model.subModels]);
      const own = columns.filter(
        (c) =>
          c.column.name !== DISCRIMINATOR_COLUMN && [...c.models].some((name) => family.has(name)),
      );
      const spec: { -readonly [K in keyof SqlTableSpec]: SqlTableSpec[K] } = {
        table: hierarchy.root.table,
        primaryKey: model.primaryKey,
        columns: own.map(({ column, type }) => {
          const out: { -readonly [K in keyof SqlColumnSpec]: SqlColumnSpec[K] } = {
            name: column.name,
            type,
            sqlType: column.sqlType,
            nullable: column.nullable,
          };
          const values = column.enum?.filter((v): v is string | number => typeof v !== "boolean");
          if (values !== undefined && values.length === column.enum?.length) out.enum = values;
          return out;
        }),
      };
      const fullText = hierarchy.root.fullText;
      if (fullText !== undefined)
        spec.fullText = {
          column: FULL_TEXT_COLUMN,
          fields: [...fullText.fields],
          language: fullText.language,
        };
      if (hierarchy.models.length > 1) {
        spec.discriminator = {
          column: DISCRIMINATOR_COLUMN,
          value: model.name,
          values: familyNames(model),
        };
      }
      specs.set(model.name, spec);
    }
  }
  return ir.models.map((model) => specs.get(model.name)!);
}

function familyNames(model: ModelIR): string[] {
  return [model.name, ...model.subModels].sort();
}
