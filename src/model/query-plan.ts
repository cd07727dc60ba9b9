/**
 * `explain`: how a model's store would answer a query, as plain JSON. The
 * memory store gives its index plan (which indexes, the terms they narrow by,
 * the residual filter checked on each candidate, how many candidates); the
 * SQL store the statement with its `$n` placeholders and PostgreSQL's generic
 * plan of it; any other store says it cannot explain.
 *
 * Through a facet, the plan is the one of the query the facet runs (its
 * filter included) and says nothing the facet hides: a hidden property's
 * name and values are redacted, and with a row filter, counts and estimates
 * (which would tell how many records the filter keeps out) are withheld.
 */
import type { FilterNode, Query } from "../query/ast.js";
import { formatRql } from "../query/format-rql.js";
import type { IndexPlan } from "../query/plan/index.js";
import { propertiesUsed } from "../query/properties-used.js";
import type { QueryOptions, Store } from "../store/types.js";

/** A step of a memory store's index plan (`IndexPlan`), with what a facet hides redacted. */
export type PlanStep = IndexPlan | { readonly kind: "hidden" };

/** What `explain` answers. */
export interface QueryPlan {
  /** The kind of store that answers the model's queries. */
  readonly store: "memory" | "sql" | "other";
  /** False when the store cannot explain its queries; `reason` says why. */
  readonly available: boolean;
  readonly reason?: string;
  /** Memory: how candidates are found (`scan`: every record is one). */
  readonly index?: PlanStep;
  /** Memory: the filter's terms an index narrows by (RQL). */
  readonly indexed?: readonly string[];
  /** Memory: the terms checked on each candidate only (RQL): the residual filter. */
  readonly residual?: readonly string[];
  /** Memory: records the query engine looks at; null when withheld (a facet's row filter). */
  readonly candidates?: number | null;
  /** Memory: records in the store; null when withheld. */
  readonly records?: number | null;
  /** SQL: the statement, with `$1…$n` where the values go (never the values). */
  readonly statement?: string;
  readonly parameterCount?: number;
  /** SQL: PostgreSQL's `EXPLAIN (FORMAT JSON)` of the statement's generic plan. */
  readonly plan?: unknown;
}

/** What a facet keeps from a plan. */
export interface PlanRedaction {
  /** Properties the facet hides from queries. */
  readonly hidden: ReadonlySet<string>;
  /** The facet has a row filter: counts and estimates would tell what it keeps out. */
  readonly filtered: boolean;
}

const HIDDEN = "‹hidden›";
const HIDDEN_TERM = "‹a condition on a hidden property›";

interface MemoryAnswer {
  readonly plan: IndexPlan;
  readonly candidates: number;
  readonly records?: number;
  readonly indexed?: readonly FilterNode[];
  readonly residual?: readonly FilterNode[];
}

interface SqlAnswer {
  readonly statement: string;
  readonly parameterCount: number;
  readonly plan: unknown;
}

/** Asks `store` how it would answer `query` (parsed, a facet's filter already added). */
export async function explainOn(
  store: Store<any>,
  query: Query,
  options: QueryOptions,
  redaction?: PlanRedaction,
): Promise<QueryPlan> {
  const explain = (store as { explain?: unknown }).explain;
  if (typeof explain !== "function")
    return {
      store: "other",
      available: false,
      reason: "this model's store cannot explain its queries (the memory and SQL stores can)",
    };
  const answer = (await explain.call(store, query, options)) as unknown;
  if (isRefusal(answer)) return { store: "other", available: false, reason: answer.reason };
  if (isSqlAnswer(answer)) return sqlPlan(answer, redaction);
  if (isMemoryAnswer(answer)) return memoryPlan(answer, redaction);
  return {
    store: "other",
    available: false,
    reason: "this model's store explains in a form perstore does not know",
  };
}

function memoryPlan(answer: MemoryAnswer, redaction: PlanRedaction | undefined): QueryPlan {
  const withheld = redaction?.filtered === true;
  const term = (node: FilterNode) => termText(node, redaction?.hidden);
  return {
    store: "memory",
    available: true,
    index: redaction ? redactStep(answer.plan, redaction.hidden) : answer.plan,
    indexed: (answer.indexed ?? []).map(term),
    residual: (answer.residual ?? []).map(term),
    candidates: withheld ? null : answer.candidates,
    records: withheld ? null : (answer.records ?? null),
  };
}

function sqlPlan(answer: SqlAnswer, redaction: PlanRedaction | undefined): QueryPlan {
  const hidden = [...(redaction?.hidden ?? [])];
  return {
    store: "sql",
    available: true,
    statement: redactText(answer.statement, hidden),
    parameterCount: answer.parameterCount,
    plan: redactSql(answer.plan, hidden, redaction?.filtered === true),
  };
}

/** One term as RQL (decoded for reading), or a placeholder when it names a hidden property. */
function termText(node: FilterNode, hidden: ReadonlySet<string> | undefined): string {
  const query: Query = { kind: "query", filter: node, sort: [], distinct: false };
  if (hidden && propertiesUsed(query).some((property) => hidden.has(property))) return HIDDEN_TERM;
  const text = formatRql(query);
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function redactStep(plan: IndexPlan, hidden: ReadonlySet<string>): PlanStep {
  switch (plan.kind) {
    case "lookup":
    case "range":
    case "prefix":
      return hidden.has(plan.field) ? { kind: "hidden" } : plan;
    case "compound":
      return plan.fields.some((field) => hidden.has(field)) ? { kind: "hidden" } : plan;
    case "intersect":
    case "union":
      return {
        kind: plan.kind,
        plans: plan.plans.map((step) => redactStep(step, hidden)) as IndexPlan[],
      };
    default:
      return plan;
  }
}

/** Estimates a row filter's facet must not see: they count the rows it keeps out. */
const ESTIMATE = /rows|cost|width|loops/i;

/** PostgreSQL's plan JSON with hidden column names replaced (in any text, index names too). */
function redactSql(value: unknown, hidden: readonly string[], filtered: boolean): unknown {
  if (typeof value === "string") return redactText(value, hidden);
  if (Array.isArray(value)) return value.map((item) => redactSql(item, hidden, filtered));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (filtered && ESTIMATE.test(key)) continue;
    Object.defineProperty(out, key, {
      value: redactSql(item, hidden, filtered),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Every occurrence of a hidden name, in any case: over-redacting is safe, missing one is not. */
function redactText(text: string, hidden: readonly string[]): string {
  let out = text;
  for (const name of [...hidden].sort((a, b) => b.length - a.length)) {
    if (name === "") continue;
    out = out.replace(new RegExp(escapeRegExp(name), "gi"), HIDDEN);
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isSqlAnswer(value: unknown): value is SqlAnswer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as SqlAnswer).statement === "string" &&
    typeof (value as SqlAnswer).parameterCount === "number"
  );
}

function isMemoryAnswer(value: unknown): value is MemoryAnswer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as MemoryAnswer).candidates === "number" &&
    typeof (value as MemoryAnswer).plan === "object"
  );
}

/** A store (or wrapper) that can explain some queries but not this one says why. */
function isRefusal(value: unknown): value is { available: false; reason: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { available?: unknown }).available === false &&
    typeof (value as { reason?: unknown }).reason === "string"
  );
}
