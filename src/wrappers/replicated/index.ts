/** The replicated wrapper: writes to a primary and its replicas as numbered revisions. */
export { replicated, type ReplicatedStore } from "./replicated.js";
export type { ReplicatedOptions } from "./replicated-options.js";
export type { ReplicaStatus } from "./replica.js";
