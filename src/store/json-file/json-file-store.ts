/**
 * A store persisted to one JSON file, safe to share between the processes of
 * one host. Two formats:
 *
 * - `log` (the default): JSON Lines, a snapshot followed by one self-checking
 *   line per committed write, so a durable write costs one append and one
 *   fsync whatever the store's size (log-store.ts, format in log-line.ts);
 * - `json`: one JSON array of records, rewritten whole on every write, for
 *   small files people edit by hand (whole-file-store.ts).
 *
 * `convertJsonFileToLog(path)` turns a `json` file into a log once.
 */
import { resolve } from "node:path";
import { StoreError } from "../../errors/index.js";
import type { IdType } from "../record-id.js";
import type { IndexSpec } from "../memory/memory-store.js";
import type {
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Results,
  Store,
  StoreEventName,
  StoreListener,
} from "../types.js";
import type { FileLockOptions } from "./file-lock.js";
import { JsonLogStore, type CompactionOptions } from "./log-store.js";
import type { Durability } from "./log-write.js";
import { WholeFileJsonStore } from "./whole-file-store.js";

/** Options of `new JsonFileStore(...)`. */
export interface JsonFileStoreOptions {
  /** The file. A missing file is an empty store; it (and its directory) is created on the first write. */
  readonly path: string;
  /** `log` (default): append-only JSON Lines; `json`: one JSON array rewritten on every write. */
  readonly format?: "log" | "json";
  /** The id property of records (default `id`). */
  readonly idProperty?: string;
  /** The type of every id, as for MemoryStore (without it an id keeps its JavaScript type). */
  readonly idType?: IdType;
  /** Indexes of the in-memory copy, as for MemoryStore. */
  readonly indexes?: readonly IndexSpec[];
  /** How long to wait for a live writer's lock (a dead writer's is taken over at once). */
  readonly lock?: FileLockOptions;
  /**
   * Log format: `fsync` (default) acknowledges a write once it is on disk;
   * `none` leaves flushing to the OS (tests, caches: a power cut may lose recent writes).
   */
  readonly durability?: Durability;
  /**
   * Log format: compact when the file grows past `multiple` (default 2) times
   * its snapshot and past `minBytes` (default 1 MiB); `false` leaves it to `compact()`.
   */
  readonly compaction?: CompactionOptions | false;
}

/**
 * A store kept in one file. The file is read lazily by the first operation,
 * or by `open()` to surface a corrupt file early; every read first takes in
 * what other processes wrote. A corrupt file is StoreError STORE_CORRUPT_FILE
 * naming the line, and is never overwritten.
 *
 * @example
 * const people = new JsonFileStore<Person>({ path: "data/people.jsonl", indexes: ["country"] });
 * await people.put({ id: "p1", name: "Ann", born: new Date("1990-01-01") });
 * const canadians = await people.query("country=Canada&sort(+name)");
 */
export class JsonFileStore<T extends object = Record<string, unknown>> implements Store<T> {
  /** Absolute path of the file. */
  readonly path: string;
  /** The file's format. */
  readonly format: "log" | "json";
  readonly #impl: JsonLogStore<T> | WholeFileJsonStore<T>;

  constructor(options: JsonFileStoreOptions) {
    this.path = resolve(options.path);
    this.format = options.format ?? "log";
    if (this.format === "log") this.#impl = new JsonLogStore<T>({ ...options, path: this.path });
    else if (this.format === "json")
      this.#impl = new WholeFileJsonStore<T>({ ...options, path: this.path });
    else
      throw new StoreError(
        "STORE_BAD_OPTION",
        `format must be "log" or "json", got ${JSON.stringify(options.format)}`,
      );
  }

  get idProperty(): string {
    return this.#impl.idProperty;
  }

  /** Reads the file now (instead of on first use); rejects with STORE_CORRUPT_FILE for a corrupt file. */
  async open(): Promise<this> {
    await this.#impl.open();
    return this;
  }

  get(id: Id): Promise<T | undefined> {
    return this.#impl.get(id);
  }

  query(query: QueryInput, options?: QueryOptions): Promise<Results<T> | unknown> {
    return this.#impl.query(query, options);
  }

  put(object: T, options?: PutOptions): Promise<Id> {
    return this.#impl.put(object, options);
  }

  add(object: T, options?: Omit<PutOptions, "overwrite">): Promise<Id> {
    return this.#impl.add(object, options);
  }

  delete(id: Id): Promise<boolean> {
    return this.#impl.delete(id);
  }

  /**
   * Runs `fn` with the file locked; everything it writes reaches the file at
   * once (one log line, or one whole-file write), or, if it throws, none of it
   * does. Calls on this store from inside `fn` join the transaction; calls
   * from elsewhere wait for it.
   */
  transaction<R>(fn: (store: this) => MaybePromise<R>): Promise<R> {
    return this.#impl.transaction(() => fn(this));
  }

  /**
   * Log format: rewrites the file as one snapshot of the records (atomically:
   * temporary file, fsync, rename, directory fsync), without stopping writers
   * but for one short step. Also runs by itself as the log grows (see
   * `compaction`). Nothing to do for the `json` format.
   */
  async compact(): Promise<void> {
    if (this.#impl instanceof JsonLogStore) await this.#impl.compact();
  }

  /** Listens to `add`, `change`, `remove`, `clear` (reported once on disk) and `load` (the file was read, or others' writes taken in). */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    return this.#impl.on(event, listener);
  }
}
