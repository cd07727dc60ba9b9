/**
 * perstore's runtime entry: the public API, and the only module generated code imports.
 * Each area re-exports its public names from its own index.
 *
 * @module perstore-runtime
 */
export * from "./errors/index.js";
export type * from "./query/ast.js";
export type * from "./store/types.js";
export { copyRecord } from "./store/copy.js";
export { ajvEqual, ajvUcs2length, ajvUri, AjvValidationError, ajvFormats } from "./runtime/ajv.js";
export * from "./model/index.js";
export * from "./query/index.js";
export { MemoryStore } from "./store/memory/index.js";
export type {
  MemoryStoreOptions,
  FindSort,
  LoadOptions,
  QueryExplanation,
  IndexSpec,
} from "./store/memory/index.js";
export { storeChannel } from "./store/channel.js";
export { toStore, isLegacyStore } from "./store/adapt-store.js";
export type { LegacyStore, ToStoreOptions } from "./store/adapt-store.js";
export type {
  JournalEntry,
  JournalEntryType,
  JournalRecord,
  JournalChange,
} from "./transaction/index.js";
export { condenseJournal, journalChanges, buildChangeSet } from "./transaction/index.js";
export type { IndexPlan, IndexCatalog, RangeBound } from "./query/plan/index.js";
export { planFilter } from "./query/plan/index.js";
export * from "./store/sql/index.js";
export * from "./store/remote/index.js";
export { fullText } from "./wrappers/full-text/index.js";
export type { FullTextOptions, FullTextStore, TermProcessor } from "./wrappers/full-text/index.js";
export { aggregate } from "./wrappers/aggregate/index.js";
export type { AggregateOptions, AggregatePart } from "./wrappers/aggregate/index.js";
export { inherited } from "./wrappers/inherited/index.js";
export type { InheritedOptions } from "./wrappers/inherited/index.js";
export { cache } from "./wrappers/cache/index.js";
export type { CacheOptions, CacheStats, CachedStore } from "./wrappers/cache/index.js";
export { replicated } from "./wrappers/replicated/index.js";
export type {
  ReplicatedOptions,
  ReplicatedStore,
  ReplicaStatus,
} from "./wrappers/replicated/index.js";
export { JsonFileStore, convertJsonFileToLog } from "./store/json-file/index.js";
export type {
  JsonFileStoreOptions,
  CompactionOptions,
  ConvertToLogOptions,
  Durability,
} from "./store/json-file/index.js";
/** Kysely's column types, for the generated `db.ts` (generated code imports only perstore). */
export type { ColumnType, Generated } from "kysely";
