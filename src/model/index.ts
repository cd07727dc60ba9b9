/** The model runtime: what generated model classes and `createModels()` build on. */
export * from "./definition.js";
export { createModelRegistry } from "./model-registry.js";
export type { PlanStep, QueryPlan } from "./query-plan.js";
