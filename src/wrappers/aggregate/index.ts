export { aggregate } from "./aggregate.js";
export type { AggregateOptions } from "./aggregate.js";
export type { AggregatePart } from "./parts.js";
