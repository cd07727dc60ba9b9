/**
 * The schema's named queries as methods (`Person.queries.adultsIn("FR")`).
 * A store with `query` gets the precompiled AST and the parameters (SQL
 * translates it); a store that only lists its records (`find()`) is filtered
 * with the precompiled JS predicate, then sorted and paged.
 */
import { PerstoreError, QueryError } from "../errors/index.js";
import { executeQuery, matches } from "../query/index.js";
import type { FieldType, FilterNode, Query } from "../query/ast.js";
import type { NamedQueryDefinition, NamedQueryMethods, NamedQueryParameter } from "./definition.js";
import type { AnyInstance } from "./model-instance.js";
import type { BindingChoice, BoundModel, HiddenChoice } from "./model.js";
import { withFilter, withMaxLimit, withoutFilter } from "./query-helpers.js";
import { normalDateTime } from "./date-time.js";

/**
 * How a facet narrows named queries: its row filter, hidden properties, the
 * check that it exposes the query (and that the query reads no property it
 * hides), and `maxLimit` (a cap on the records returned). Its `operators`
 * rules do not apply: the schema's author wrote the query.
 */
export interface NamedQueryRestriction {
  readonly filter?: FilterNode;
  readonly maxLimit?: number;
  readonly hidden: HiddenChoice;
  readonly binding: BindingChoice;
  /** Throws an AccessError unless the named query `name` (parsed: `query`) may run. */
  readonly allow: (name: string, query: Query) => void;
}

function fits(type: FieldType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return typeof value === "string";
    case "date-time":
      return typeof value === "string" || value instanceof Date;
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "any":
      return true;
  }
}

/** Whether one value is what the parameter's type allows (an enum's values only, when it has one). */
function fitsParameter(parameter: NamedQueryParameter, value: unknown): boolean {
  return parameter.enum ? parameter.enum.some((v) => v === value) : fits(parameter.type, value);
}

/**
 * Check the arguments against the query's declared parameters: exactly what
 * the generated signature allows — an array only for a whole-list
 * parameter (`in(p,$1)`), each element checked.
 */
function checkParameters(
  name: string,
  definition: NamedQueryDefinition,
  parameters: readonly unknown[],
): void {
  if (parameters.length !== definition.parameters.length) {
    throw new QueryError(
      "QUERY_PARAMETERS",
      `query ${name} takes ${definition.parameters.length} parameter(s), got ${parameters.length}`,
    );
  }
  for (const parameter of definition.parameters) {
    const value = parameters[parameter.index - 1];
    const ok = parameter.list
      ? Array.isArray(value) && value.every((item) => fitsParameter(parameter, item))
      : fitsParameter(parameter, value);
    if (!ok) {
      const what = parameter.enum
        ? `one of ${parameter.enum.map((v) => JSON.stringify(v)).join(", ")}`
        : parameter.type;
      throw new QueryError(
        "QUERY_TYPE_MISMATCH",
        `parameter $${parameter.index} of query ${name} must be ${parameter.list ? `a list of ${what}` : what}`,
      );
    }
  }
}

/**
 * Date-time arguments in the form records store them (`toISOString()`), so a
 * string argument compares by instant with stored values on every store:
 * "2024-01-01T00:00:00Z" finds a record created at that instant.
 */
function storedForm(
  definition: NamedQueryDefinition,
  parameters: readonly unknown[],
): readonly unknown[] {
  const normal = (value: unknown): unknown =>
    typeof value === "string" ? normalDateTime(value) : value;
  const out = [...parameters];
  for (const { index, type } of definition.parameters) {
    if (type !== "date-time") continue;
    const value = out[index - 1];
    out[index - 1] = Array.isArray(value) ? value.map(normal) : normal(value);
  }
  return out;
}

/** Run one named query on the model's store; records become instances. */
async function runNamedQuery(
  model: BoundModel<AnyInstance, object>,
  name: string,
  parameters: readonly unknown[],
  restriction: NamedQueryRestriction | undefined,
): Promise<unknown> {
  const queries = model.definition.queries ?? {};
  const definition = Object.hasOwn(queries, name) ? queries[name] : undefined;
  if (!definition)
    throw new PerstoreError("MODEL_UNKNOWN_QUERY", `${model.name} has no query "${name}"`);
  restriction?.allow(name, definition.query);
  checkParameters(name, definition, parameters);
  const args = storedForm(definition, parameters);
  const capped = withMaxLimit(definition.query, restriction?.maxLimit, args);
  const query = withFilter(capped, restriction?.filter);
  const binding = restriction?.binding ?? "binding";
  const store = await model.store();
  if (store.query) {
    return model.shape(
      query,
      await store.query(query, { parameters: args }),
      binding,
      restriction?.hidden,
    );
  }
  const find = (store as { find?: () => unknown }).find;
  if (typeof find === "function" && definition.predicate) {
    const predicate = definition.predicate;
    const all = (await find.call(store)) as Record<string, unknown>[];
    const filter = restriction?.filter;
    const selected = all.filter(
      (record) => predicate(record, args) && (!filter || matches(filter, record, [])),
    );
    const result = executeQuery(selected, withoutFilter(capped), {
      parameters: args,
      idProperty: model.primaryKey,
    });
    return model.shape(query, result, binding, restriction?.hidden);
  }
  throw new PerstoreError(
    "MODEL_UNSUPPORTED",
    `the store of ${model.name} can run neither queries nor predicates`,
  );
}

/** `model.queries`: one method per named query. */
export function namedQueryMethods<TInstance>(
  model: BoundModel<AnyInstance, object>,
  restriction: NamedQueryRestriction | undefined,
): NamedQueryMethods<TInstance> {
  const methods: Record<string, (...parameters: unknown[]) => Promise<unknown>> =
    Object.create(null);
  for (const name of Object.keys(model.definition.queries ?? {})) {
    methods[name] = (...parameters: unknown[]) =>
      runNamedQuery(model, name, parameters, restriction);
  }
  return Object.freeze(methods) as unknown as NamedQueryMethods<TInstance>;
}
