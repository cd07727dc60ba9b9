/** The JSON-file store: a MemoryStore persisted to one file, as an append-only log (default) or one JSON array. */
export { JsonFileStore } from "./json-file-store.js";
export type { JsonFileStoreOptions } from "./json-file-store.js";
export type { FileLockOptions } from "./file-lock.js";
export type { CompactionOptions } from "./log-store.js";
export type { Durability } from "./log-write.js";
export { convertJsonFileToLog } from "./convert-to-log.js";
export type { ConvertToLogOptions } from "./convert-to-log.js";
