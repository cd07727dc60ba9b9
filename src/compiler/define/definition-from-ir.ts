/**
 * A model's `ModelDefinition` built at run time from the compiler's IR: the
 * same fields, in the same form, as the literal `perstore build` emits for it
 * (emit-model-classes.ts `definitionLiteral`), with the validator, the class
 * and the named-query predicates as live functions instead of source text.
 * test/compiler/define-model.test.ts compares the two for the example app.
 */
import { compileQuery } from "../../query/index.js";
import type {
  ModelClass,
  ModelDefinition,
  ModelValidateFunction,
  NamedQueryDefinition,
} from "../../model/index.js";
import type { SqlTableSpec } from "../../store/sql/table-spec.js";
import type { ModelIR } from "../ir/types.js";

/** What the IR does not hold: the parts made of code. */
export interface DefinitionParts {
  readonly instanceClass: ModelClass<any>;
  readonly validate: ModelValidateFunction;
  readonly sql: SqlTableSpec;
}

/** `model`'s definition; data is copied out of the (frozen) IR, so nothing is shared with it. */
export function definitionFromIR(
  model: ModelIR,
  parts: DefinitionParts,
): ModelDefinition<any, any, any> {
  const data = structuredClone({
    defaults: Object.fromEntries(
      model.properties.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]),
    ),
    // A null read back for any other property means "absent" (SQL NULL), and the runtime drops it.
    nullableProperties: model.properties.filter((p) => p.nullable).map((p) => p.name),
    readonlyProperties: model.properties.filter((p) => p.readonly).map((p) => p.name),
    indexes: model.indexes,
    links: model.links,
    querySchema: {
      primaryKey: model.primaryKey,
      fields: Object.fromEntries(model.properties.map((p) => [p.name, p.type])),
    },
    facets: Object.fromEntries(model.facets.map(({ name, ...rest }) => [name, rest])),
    subModels: model.subModels,
    sql: parts.sql,
  });
  const queries: Record<string, NamedQueryDefinition> = {};
  for (const q of model.queries) {
    const query = structuredClone(q.query);
    queries[q.name] = {
      query,
      parameters: structuredClone(q.parameters),
      predicate: compileQuery(q.query).predicate,
      source: structuredClone(q.source),
    };
  }
  return {
    name: model.name,
    table: model.table,
    primaryKey: model.primaryKey,
    instanceClass: parts.instanceClass,
    validate: parts.validate,
    defaults: data.defaults,
    nullableProperties: data.nullableProperties,
    readonlyProperties: data.readonlyProperties,
    additionalProperties: model.additionalProperties,
    indexes: data.indexes,
    links: data.links,
    querySchema: data.querySchema,
    queries,
    facets: data.facets,
    ...(model.base === undefined ? {} : { base: model.base }),
    subModels: data.subModels,
    sql: data.sql,
  };
}
