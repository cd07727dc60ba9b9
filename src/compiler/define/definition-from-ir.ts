/**
 * A model's `ModelDefinition` built at run time from the compiler's IR: the
 * data `perstore build` prints as a literal (both take it from
 * `definitionData`), with the validator, the class and the named-query
 * predicates as live functions instead of source text.
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
import { definitionData } from "../ir/definition-data.js";
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
  const { base, subModels, ...data } = structuredClone(definitionData(model));
  const queries: Record<string, NamedQueryDefinition> = {};
  for (const q of model.queries) {
    queries[q.name] = {
      query: structuredClone(q.query),
      parameters: structuredClone(q.parameters),
      predicate: compileQuery(q.query).predicate,
      source: structuredClone(q.source),
    };
  }
  return {
    ...data,
    instanceClass: parts.instanceClass,
    validate: parts.validate,
    queries,
    ...(base === undefined ? {} : { base }),
    subModels,
    sql: structuredClone(parts.sql),
  };
}
