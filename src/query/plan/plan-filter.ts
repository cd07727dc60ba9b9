/**
 * The index planner: from a query filter to an `IndexPlan`. Indexed
 * equality, `in`, `isnull`, ranges (`lt le gt ge between`) and `starts` are
 * answered from indexes; `and` intersects what its terms can answer (terms it
 * cannot answer are left to the query engine), `or` unions its terms when every
 * one is answerable; anything else falls back to a scan.
 */
import type { ConditionNode, FilterNode, ValueNode } from "../ast.js";
import { resolveValue } from "../index.js";
import type { IndexCatalog, IndexPlan, RangeBound } from "./index-plan.js";

const SCAN: IndexPlan = Object.freeze({ kind: "scan" });
const EMPTY: IndexPlan = Object.freeze({ kind: "empty" });

/**
 * Plans `filter` over the indexes in `catalog`.
 * @example planFilter(parseQuery("country=in=(CA,IN)&age>=18").filter, catalog)
 *   // { kind: "intersect", plans: [{ kind: "lookup", field: "country", values: ["CA", "IN"] }, { kind: "range", ... }] }
 */
export function planFilter(
  filter: FilterNode,
  catalog: IndexCatalog,
  parameters: readonly unknown[] = [],
): IndexPlan {
  switch (filter.kind) {
    case "condition":
      return planCondition(filter, catalog, parameters);
    case "and":
      return planAnd(filter.terms, catalog, parameters);
    case "or": {
      if (filter.terms.length === 0) return SCAN;
      const plans: IndexPlan[] = [];
      for (const term of filter.terms) {
        const plan = planFilter(term, catalog, parameters);
        if (plan.kind === "scan") return SCAN;
        if (plan.kind !== "empty") plans.push(plan);
      }
      return plans.length === 0 ? EMPTY : plans.length === 1 ? plans[0]! : { kind: "union", plans };
    }
    default:
      return SCAN;
  }
}

function planAnd(
  terms: readonly FilterNode[],
  catalog: IndexCatalog,
  parameters: readonly unknown[],
): IndexPlan {
  const plans: IndexPlan[] = [];
  for (const term of terms) {
    const plan = planFilter(term, catalog, parameters);
    if (plan.kind === "empty") return EMPTY;
    if (plan.kind !== "scan") plans.push(plan);
  }
  const compound = planCompound(terms, catalog, parameters);
  if (compound) {
    // A single-value lookup on one of the compound's fields adds nothing the compound lookup lacks.
    const covered = (plan: IndexPlan) =>
      plan.kind === "lookup" &&
      plan.values.length === 1 &&
      compound.kind === "compound" &&
      compound.fields.some(
        (field, i) => field === plan.field && sameValue(compound.values[i], plan.values[0]),
      );
    const rest = plans.filter((plan) => !covered(plan));
    plans.length = 0;
    plans.push(compound, ...rest);
  }
  return plans.length === 0 ? SCAN : plans.length === 1 ? plans[0]! : { kind: "intersect", plans };
}

/** A compound index lookup when the `and` has an equality term on each of its fields. */
function planCompound(
  terms: readonly FilterNode[],
  catalog: IndexCatalog,
  parameters: readonly unknown[],
): IndexPlan | undefined {
  if (catalog.compound.length === 0) return undefined;
  const equal = new Map<string, unknown>();
  for (const term of terms) {
    if (term.kind !== "condition" || term.op !== "eq" || term.path.length !== 1 || !term.value)
      continue;
    const value = resolve(term.value, parameters);
    // Not a Date: it also matches ISO date-time strings by instant, which a compound key cannot find.
    if (isHashable(value) && value !== null && value !== undefined && !(value instanceof Date))
      equal.set(term.path[0]!, value);
  }
  for (const fields of catalog.compound) {
    if (fields.every((field) => equal.has(field))) {
      return { kind: "compound", fields, values: fields.map((field) => equal.get(field)) };
    }
  }
  return undefined;
}

function planCondition(
  condition: ConditionNode,
  catalog: IndexCatalog,
  parameters: readonly unknown[],
): IndexPlan {
  if (condition.path.length !== 1) return SCAN;
  const field = condition.path[0]!;
  if (!catalog.hasIndex(field)) return SCAN;
  if (condition.op === "isnull") return { kind: "lookup", field, values: [null] };
  if (!condition.value || condition.value.kind === "subquery") return SCAN;
  const value = resolve(condition.value, parameters);
  switch (condition.op) {
    case "eq":
      return isHashable(value) ? { kind: "lookup", field, values: [value] } : SCAN;
    case "in":
      if (!Array.isArray(value) || !value.every(isHashable)) return SCAN;
      return value.length === 0 ? EMPTY : { kind: "lookup", field, values: value };
    case "lt":
    case "le":
      return isRangeValue(value)
        ? { kind: "range", field, upper: { value, inclusive: condition.op === "le" } }
        : SCAN;
    case "gt":
    case "ge":
      return isRangeValue(value)
        ? { kind: "range", field, lower: { value, inclusive: condition.op === "ge" } }
        : SCAN;
    case "between": {
      if (!Array.isArray(value) || value.length !== 2) return SCAN;
      const [lo, hi] = value as unknown[];
      if (!isRangeValue(lo) || !isRangeValue(hi) || rangeType(lo) !== rangeType(hi)) return SCAN;
      const lower: RangeBound = { value: lo, inclusive: true };
      return { kind: "range", field, lower, upper: { value: hi, inclusive: false } };
    }
    case "starts":
      return typeof value === "string" ? { kind: "prefix", field, prefix: value } : SCAN;
    default:
      return SCAN;
  }
}

/** Equal as index keys: the same primitive, or dates at the same instant. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b);
}

function resolve(node: ValueNode, parameters: readonly unknown[]): unknown {
  return resolveValue(node, parameters);
}

/** Values a hash index can look up: primitives and valid dates (not regular expressions or structures). */
function isHashable(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return (
    value === null ||
    (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol")
  );
}

function isRangeValue(value: unknown): value is number | string | Date {
  if (typeof value === "number") return !Number.isNaN(value);
  return typeof value === "string" || (value instanceof Date && !Number.isNaN(value.getTime()));
}

function rangeType(value: number | string | Date): string {
  return value instanceof Date ? "date" : typeof value;
}
