/** The memory store (JSORM db). */
export { MemoryStore } from "./memory-store.js";
export type {
  MemoryStoreOptions,
  FindSort,
  LoadOptions,
  QueryExplanation,
  IndexSpec,
} from "./memory-store.js";
