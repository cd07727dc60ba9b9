/**
 * The data of a model's `ModelDefinition`, from the IR: one owner for what
 * the runtime is told about a model, whether `perstore build` prints it as a
 * literal (emit-model-classes.ts) or `defineModel` builds it at run time
 * (define/definition-from-ir.ts). Named queries and the parts made of code
 * (class, validator, predicates) are added by each.
 */
import type { ModelIR } from "./types.js";

/** The definition's plain-data fields, in the order generated definitions list them. */
export function definitionData(model: ModelIR) {
  return {
    name: model.name,
    table: model.table,
    primaryKey: model.primaryKey,
    defaults: Object.fromEntries(
      model.properties.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]),
    ),
    // A null read back for any other property means "absent" (SQL NULL), and the runtime drops it.
    nullableProperties: model.properties.filter((p) => p.nullable).map((p) => p.name),
    readonlyProperties: model.properties.filter((p) => p.readonly).map((p) => p.name),
    additionalProperties: model.additionalProperties,
    indexes: model.indexes,
    links: model.links,
    querySchema: {
      primaryKey: model.primaryKey,
      fields: Object.fromEntries(model.properties.map((p) => [p.name, p.type])),
    },
    facets: Object.fromEntries(model.facets.map(({ name, ...rest }) => [name, rest])),
    ...(model.base === undefined ? {} : { base: model.base }),
    subModels: model.subModels,
  };
}
