/**
 * Answering a query's filter from a memory state's indexes: the index plan,
 * then the candidate records (for the query engine) or the matching slots
 * (for bulk writes).
 */
import type { Query } from "../../query/ast.js";
import { matches } from "../../query/index.js";
import { planFilter, type IndexPlan } from "../../query/plan/index.js";
import type { Id } from "../types.js";
import type { MemoryState, Slot } from "./memory-state.js";

export class IndexPlanner<T extends object> {
  /** Index plans of parameterless queries, per state and query object. */
  private readonly plans = new WeakMap<MemoryState<T>, WeakMap<Query, IndexPlan>>();

  /**
   * The index plan of a query's filter. A query without parameters always
   * gets the same plan on the same indexes, so it is kept per (frozen) query
   * object and per state (a load may bring another id property).
   */
  plan(state: MemoryState<T>, query: Query, parameters: readonly unknown[] | undefined): IndexPlan {
    if (parameters !== undefined && parameters.length > 0)
      return planFilter(query.filter, state, parameters);
    let plans = this.plans.get(state);
    if (!plans) this.plans.set(state, (plans = new WeakMap()));
    let plan = plans.get(query);
    if (!plan) plans.set(query, (plan = planFilter(query.filter, state, parameters)));
    return plan;
  }

  /** Candidate records for a query, in natural order (the engine sorts sorted queries itself). */
  candidateRecords(
    state: MemoryState<T>,
    query: Query,
    parameters: readonly unknown[] | undefined,
  ): readonly T[] {
    // Either array may be the state's or an index bucket's own: executeQuery never changes its input.
    return state.candidates(this.plan(state, query, parameters))?.records ?? state.allRecords();
  }

  /** The slots a query's filter selects, narrowed by indexes, in natural order (a new array). */
  matchingSlots(
    state: MemoryState<T>,
    query: Query,
    parameters: readonly unknown[] | undefined,
  ): Slot<T>[] {
    const found = state.candidates(this.plan(state, query, parameters));
    if (!found)
      return state.ordered().filter((slot) => matches(query.filter, slot.record, parameters));
    const slots: Slot<T>[] = [];
    for (const record of found.records) {
      if (!matches(query.filter, record, parameters)) continue;
      slots.push(state.slots.get((record as Record<string, unknown>)[state.idProperty] as Id)!);
    }
    return slots;
  }
}
