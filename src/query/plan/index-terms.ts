/**
 * For explaining a plan: which terms of a filter's top-level `and` an index
 * narrows, and which are left for the query engine to check on every
 * candidate (the residual filter). The engine checks the whole filter on the
 * candidates anyway; this only says where the narrowing came from.
 */
import type { FilterNode } from "../ast.js";
import type { IndexCatalog, IndexPlan } from "./index-plan.js";
import { planFilter } from "./plan-filter.js";

export interface IndexTerms {
  /** Terms an index narrows the candidates by. */
  readonly indexed: readonly FilterNode[];
  /** Terms checked on each candidate only. */
  readonly residual: readonly FilterNode[];
}

/** Splits `filter`'s top-level terms (nested `and`s flattened) by whether an index answers them. */
export function indexTerms(
  filter: FilterNode,
  catalog: IndexCatalog,
  parameters: readonly unknown[] = [],
): IndexTerms {
  const terms = topLevelTerms(filter);
  // Equalities a compound index answers together, though no single-field index has them.
  const compound = new Set(compoundFields(planFilter(filter, catalog, parameters)));
  const indexed: FilterNode[] = [];
  const residual: FilterNode[] = [];
  for (const term of terms) {
    const byCompound =
      term.kind === "condition" &&
      term.op === "eq" &&
      term.path.length === 1 &&
      compound.has(term.path[0]!);
    if (byCompound || planFilter(term, catalog, parameters).kind !== "scan") indexed.push(term);
    else residual.push(term);
  }
  return { indexed, residual };
}

function topLevelTerms(filter: FilterNode): FilterNode[] {
  if (filter.kind !== "and") return [filter];
  return filter.terms.flatMap(topLevelTerms);
}

function compoundFields(plan: IndexPlan): string[] {
  if (plan.kind === "compound") return [...plan.fields];
  if (plan.kind === "intersect") return plan.plans.flatMap(compoundFields);
  return [];
}
