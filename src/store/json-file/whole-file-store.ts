/**
 * The JSON-file store's whole-file format (`format: "json"`): the successor of
 * Perstore's js-file store, for small files people edit by hand. The data lives in a MemoryStore (indexes, queries, journal); every
 * write runs one cycle under an inter-process lock:
 *
 *   lock -> reload if the file changed since we read it -> apply to memory
 *   -> write the whole data set atomically -> memory.commit() -> unlock
 *
 * If the file write fails, `memory.reject()` undoes the change, so the store
 * is as it was and the error (StoreError STORE_IO) reaches the caller. Reads
 * also reload a file another process changed. Operations of one instance run
 * one at a time, so a read never sees a write that is not yet on disk.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { resolve } from "node:path";
import { PerstoreError, StoreError } from "../../errors/index.js";
import { copyRecord } from "../copy.js";
import type { IdType } from "../record-id.js";
import { MemoryStore, type IndexSpec } from "../memory/memory-store.js";
import type {
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Results,
  Store,
  StoreEvent,
  StoreEventName,
  StoreListener,
} from "../types.js";
import {
  fileSignature,
  readDataFile,
  sameSignature,
  writeDataFile,
  type FileSignature,
} from "./data-file.js";
import { StoreEvents } from "../memory/store-events.js";
import { breakDeadLock, withFileLock, type FileLockOptions } from "./file-lock.js";
import { removeStrayTemps } from "./owned-temp-file.js";

/** Options of the whole-file format. */
export interface WholeFileStoreOptions {
  /** The JSON file. A missing file is an empty store; it (and its directory) is created on the first write. */
  readonly path: string;
  /** The id property of records (default `id`). */
  readonly idProperty?: string;
  /** The type of every id, as for MemoryStore (without it an id keeps its JavaScript type). */
  readonly idType?: IdType;
  /** Indexes of the in-memory copy, as for MemoryStore. */
  readonly indexes?: readonly IndexSpec[];
  /** How long to wait for a live writer's lock (a dead writer's is taken over at once). */
  readonly lock?: FileLockOptions;
}

/** Events the file store reports: only changes that are on disk, and (re)loads of the file. */
const FORWARDED: readonly StoreEventName[] = ["add", "change", "remove", "clear", "load"];

/**
 * The whole-file implementation behind `JsonFileStore` with `format: "json"`:
 * a JSON array of records, one per line, with `{"$date": "..."}` for Dates
 * (see json-codec.ts). A file that is not valid JSON is StoreError
 * STORE_CORRUPT_FILE (with file, line and column) and is never overwritten.
 * Each write rewrites the whole file.
 */
export class WholeFileJsonStore<T extends object = Record<string, unknown>> implements Store<T> {
  /** Absolute path of the file. */
  readonly path: string;
  readonly #memory: MemoryStore<T>;
  readonly #lockOptions: FileLockOptions;
  /** Signature of the file version the memory holds; `undefined` until first read. */
  #signature: FileSignature | null | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** Whether the first read has cleaned up after dead writers. */
  #cleaned = false;
  /** Marks calls made inside a running `transaction(fn)`, which skip the queue. */
  readonly #inTransaction = new AsyncLocalStorage<object>();
  #transaction: object | undefined;
  /** Events of the running cycle, released once its changes are on disk. */
  #pending: StoreEvent<T>[] | undefined;
  readonly #events = new StoreEvents<T>("JsonFileStore");

  constructor(options: WholeFileStoreOptions) {
    this.path = resolve(options.path);
    this.#lockOptions = options.lock ?? {};
    this.#memory = new MemoryStore<T>({
      idProperty: options.idProperty ?? "id",
      ...(options.idType === undefined ? {} : { idType: options.idType }),
      indexes: options.indexes ?? [],
    });
    for (const type of FORWARDED)
      this.#memory.on(type, (event) => this.#onMemoryEvent(event as StoreEvent<T>));
  }

  get idProperty(): string {
    return this.#memory.idProperty;
  }

  /**
   * Reads the file now (instead of on first use), after removing what dead
   * writers left behind (their temporary files, their lock); rejects with
   * STORE_CORRUPT_FILE for a corrupt file.
   */
  async open(): Promise<this> {
    await this.#read(() => undefined);
    return this;
  }

  get(id: Id): Promise<T | undefined> {
    return this.#read(() => this.#memory.get(id));
  }

  query(query: QueryInput, options?: QueryOptions): Promise<Results<T> | unknown> {
    return this.#read(() => this.#memory.query(query, options));
  }

  put(object: T, options?: PutOptions): Promise<Id> {
    return this.#write(() => this.#memory.put(object, options));
  }

  add(object: T, options?: Omit<PutOptions, "overwrite">): Promise<Id> {
    return this.#write(() => this.#memory.add(object, options));
  }

  delete(id: Id): Promise<boolean> {
    return this.#write(() => this.#memory.delete(id));
  }

  /**
   * Runs `fn` with the file locked; everything it writes reaches the file in
   * one atomic write, or, if it throws, none of it does. Calls on this store
   * from inside `fn` join the transaction; calls from elsewhere wait for it.
   */
  async transaction<R>(fn: (store: this) => MaybePromise<R>): Promise<R> {
    if (this.#joins()) return fn(this);
    return this.#enqueue(() =>
      this.#cycle(() => {
        const token = {};
        this.#transaction = token;
        return this.#inTransaction.run(token, async () => {
          try {
            return await fn(this);
          } finally {
            this.#transaction = undefined;
          }
        });
      }),
    );
  }

  /** Listens to `add`, `change`, `remove`, `clear` (reported once on disk) and `load` (the file was read). */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    return this.#events.on(event, listener);
  }

  #joins(): boolean {
    const token = this.#inTransaction.getStore();
    return token !== undefined && token === this.#transaction;
  }

  #read<R>(fn: () => MaybePromise<R>): Promise<R> {
    if (this.#joins()) return Promise.resolve().then(fn);
    return this.#enqueue(async () => {
      await this.#refresh();
      return fn();
    });
  }

  #write<R>(fn: () => MaybePromise<R>): Promise<R> {
    if (this.#joins()) return Promise.resolve().then(fn);
    return this.#enqueue(() => this.#cycle(fn));
  }

  /** One locked read-check-write cycle around `fn`, which changes the memory store. */
  #cycle<R>(fn: () => MaybePromise<R>): Promise<R> {
    return withFileLock(
      this.path,
      async (lock) => {
        await this.#refresh();
        this.#pending = [];
        try {
          const result = await fn();
          if (this.#memory.journal.length > 0) {
            // Checked right before the rename too: a lost lock must not let this replace another holder's file.
            await lock.assertHeld();
            this.#signature = await writeDataFile(this.path, this.#memory.find(), () =>
              lock.assertHeld(),
            );
            await this.#memory.commit();
          }
          const events = this.#pending;
          this.#pending = undefined;
          for (const event of events) this.#emit(event);
          return result;
        } catch (error) {
          this.#pending = undefined;
          if (this.#memory.journal.length > 0) this.#memory.reject();
          throw error;
        }
      },
      this.#lockOptions,
    );
  }

  /** Reloads the memory store when the file is not the version it holds (first use, or another writer). */
  async #refresh(): Promise<void> {
    if (!this.#cleaned) await this.#cleanUpDeadWriters();
    if (
      this.#signature !== undefined &&
      sameSignature(await fileSignature(this.path), this.#signature)
    )
      return;
    const { records, signature } = await readDataFile(this.path);
    try {
      await this.#memory.load({ data: records as T[] });
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const reason =
        error instanceof PerstoreError ? `${error.code}: ${error.message}` : String(error);
      throw new StoreError(
        "STORE_CORRUPT_FILE",
        `${this.path}: its records cannot be loaded (${reason}); the file is left untouched`,
        {
          cause: error,
          details: { file: this.path },
        },
      );
    }
    this.#signature = signature;
  }

  /**
   * Once per instance, before the first read: a `kill -9` mid-write leaves a
   * temporary file and the lock. Only a dead owner's files go (never a live
   * writer's); failing to remove them (e.g. a read-only folder) is no error.
   */
  async #cleanUpDeadWriters(): Promise<void> {
    this.#cleaned = true;
    await breakDeadLock(this.path).catch(() => undefined);
    await removeStrayTemps(this.path);
  }

  #onMemoryEvent(event: StoreEvent<T>): void {
    if (event.type === "load") this.#emit(event);
    else if (this.#pending !== undefined) this.#pending.push(event);
  }

  /** Each listener gets its own copy; a throwing one becomes a process warning, never a failed write. */
  #emit({ type, ...rest }: StoreEvent<T>): void {
    this.#events.emit(type, () => copyRecord(rest));
  }

  #enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
