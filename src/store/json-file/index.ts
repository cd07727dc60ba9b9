/** The JSON-file store: a MemoryStore persisted atomically to one JSON file. */
export { JsonFileStore } from "./json-file-store.js";
export type { JsonFileStoreOptions } from "./json-file-store.js";
export type { FileLockOptions } from "./file-lock.js";
