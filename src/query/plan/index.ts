/** The index planner: query filters to plans over hash and ordered indexes. */
export type { IndexPlan, IndexCatalog, RangeBound } from "./index-plan.js";
export { planFilter } from "./plan-filter.js";
export { indexTerms, type IndexTerms } from "./index-terms.js";
