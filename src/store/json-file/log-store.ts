/**
 * The JSON-file store's log format (the default): a snapshot line followed by
 * one self-checking line per committed write (log-line.ts). The data lives in
 * a MemoryStore (indexes, queries, journal). A write:
 *
 *   queue -> lock -> replay lines other processes appended -> apply to memory
 *   -> append one line per write (one write, one fsync for the whole batch)
 *   -> memory.commit() -> unlock -> resolve
 *
 * Writes that arrive while a batch is on its way to disk form the next batch
 * (group commit), so concurrency raises throughput. A failed append undoes the
 * batch in memory (`memory.reject()`) and cuts the file back. Reads replay
 * what others appended first (a stat tells whether there is anything).
 * When the file outgrows its snapshot by `compaction.multiple`, a new
 * snapshot is written beside it while writes go on, then swapped in under
 * the lock (log-compaction in `compact()`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { PerstoreError, StoreError } from "../../errors/index.js";
import type { JournalEntry } from "../../transaction/index.js";
import { copyRecord } from "../copy.js";
import type { IdType } from "../record-id.js";
import { MemoryStore, type IndexSpec } from "../memory/memory-store.js";
import { StoreEvents } from "../memory/store-events.js";
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
import { breakDeadLock, withFileLock, type FileLock, type FileLockOptions } from "./file-lock.js";
import { fileSignature, sameSignature, type FileSignature } from "./data-file.js";
import {
  corrupt,
  readLog,
  readRange,
  type LogEntry,
  type LogPosition,
  type LogRead,
} from "./log-read.js";
import {
  appendLines,
  deleteLine,
  putLine,
  SnapshotDraft,
  transactionLine,
  type Durability,
} from "./log-write.js";
import { removeStrayTemps } from "./owned-temp-file.js";

/** When the log is rewritten as a fresh snapshot. */
export interface CompactionOptions {
  /** Compact when the file is this many times the size of its snapshot (default 2). */
  readonly multiple?: number;
  /** Never compact a file smaller than this many bytes (default 1 MiB). */
  readonly minBytes?: number;
}

/** Options of the log format. */
export interface LogStoreOptions {
  readonly path: string;
  readonly idProperty?: string;
  readonly idType?: IdType;
  readonly indexes?: readonly IndexSpec[];
  readonly lock?: FileLockOptions;
  readonly durability?: Durability;
  /** `false`: only `compact()` compacts. */
  readonly compaction?: CompactionOptions | false;
}

const FORWARDED: readonly StoreEventName[] = ["add", "change", "remove", "clear", "load"];
const NO_FILE: LogPosition = { file: "", offset: 0, line: 0 };

/** A write waiting for the next batch. */
interface QueuedWrite {
  readonly fn: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** The log-format implementation behind `JsonFileStore` (see json-file-store.ts). */
export class JsonLogStore<T extends object = Record<string, unknown>> implements Store<T> {
  readonly path: string;
  readonly #memory: MemoryStore<T>;
  readonly #lockOptions: FileLockOptions;
  readonly #durability: Durability;
  readonly #compaction: Required<CompactionOptions> | false;
  /** How far the memory store has replayed the file; `undefined` before the first read. */
  #position: LogPosition | undefined;
  /** The file's signature when this store last read or wrote it: unchanged means nothing to replay. */
  #signature: FileSignature | null | undefined;
  /** Bytes of the current file's snapshot line. */
  #snapshotBytes = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting: QueuedWrite[] = [];
  #flushQueued = false;
  #compacting: Promise<void> | undefined;
  #cleaned = false;
  readonly #inTransaction = new AsyncLocalStorage<object>();
  #transaction: object | undefined;
  /** Events of the running batch, released once its lines are on disk. */
  #pending: StoreEvent<T>[] | undefined;
  readonly #events = new StoreEvents<T>("JsonFileStore");

  constructor(options: LogStoreOptions & { readonly path: string }) {
    this.path = options.path;
    this.#lockOptions = options.lock ?? {};
    this.#durability = options.durability ?? "fsync";
    if (this.#durability !== "fsync" && this.#durability !== "none")
      throw new StoreError(
        "STORE_BAD_OPTION",
        `durability must be "fsync" or "none", got ${JSON.stringify(options.durability)}`,
      );
    this.#compaction =
      options.compaction === false
        ? false
        : {
            multiple: options.compaction?.multiple ?? 2,
            minBytes: options.compaction?.minBytes ?? 1024 * 1024,
          };
    if (this.#compaction && !(this.#compaction.multiple > 1))
      throw new StoreError("STORE_BAD_OPTION", "compaction.multiple must be a number above 1");
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

  async open(): Promise<void> {
    await this.#read(() => undefined);
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

  async transaction<R>(fn: (store: this) => MaybePromise<R>): Promise<R> {
    if (this.#joins()) return fn(this);
    return this.#enqueue(() =>
      this.#locked(async (lock) => {
        const token = {};
        this.#transaction = token;
        this.#pending = [];
        try {
          const result = await this.#inTransaction.run(token, () => fn(this));
          this.#transaction = undefined;
          const line = lineFor(this.#memory.journal);
          if (line !== undefined) await this.#append(lock, [line]);
          this.#release();
          return result;
        } catch (error) {
          this.#transaction = undefined;
          this.#pending = undefined;
          this.#memory.reject();
          throw error;
        }
      }),
    );
  }

  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    return this.#events.on(event, listener);
  }

  /**
   * Rewrites the file as one snapshot of the current records: written beside
   * the file while writes go on, then, under the lock, the lines appended
   * meanwhile are copied after it and it is renamed into place. A compaction
   * already running is waited for first; if another process compacted in
   * between, this one stops (the file is compact already).
   */
  async compact(): Promise<void> {
    await this.#compacting?.catch(() => undefined);
    return this.#startCompaction();
  }

  #startCompaction(): Promise<void> {
    this.#compacting ??= this.#compact().finally(() => {
      this.#compacting = undefined;
    });
    return this.#compacting;
  }

  async #compact(): Promise<void> {
    const base = await this.#enqueue(async () => {
      await this.#refresh();
      return { position: this.#position!, records: this.#memory.storedRecords() };
    });
    if (base.position.file === NO_FILE.file) return;
    const draft = await SnapshotDraft.start(this.path, base.records, this.#durability);
    try {
      // The one critical section: this store's queue and the file lock, to copy the lines since `base` and rename.
      await this.#enqueue(() =>
        this.#locked(async (lock) => {
          const now = this.#position!;
          if (now.file !== base.position.file) return; // another process compacted first
          const tail = await readRange(this.path, base.position.offset, now.offset);
          // Checked right before the rename: a lost lock must not let this replace another holder's log.
          const size = await draft.finish(tail, () => lock.assertHeld());
          this.#position = {
            file: draft.file,
            offset: size,
            line: 2 + now.line - base.position.line,
          };
          this.#snapshotBytes = draft.snapshotBytes;
          this.#signature = await fileSignature(this.path);
        }),
      );
    } finally {
      await draft.discard();
    }
  }

  /* ---------- internals ---------- */

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

  /** Queues a write for the next batch (or runs it at once inside a transaction). */
  #write<R>(fn: () => R): Promise<R> {
    if (this.#joins()) return Promise.resolve().then(fn);
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#flushQueued) return;
      this.#flushQueued = true;
      void this.#enqueue(() => this.#flush());
    });
  }

  /** Writes every queued write as one batch: one line each, one append, one fsync. */
  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#waiting;
    this.#waiting = [];
    try {
      await this.#locked(async (lock) => {
        this.#pending = [];
        const lines: Buffer[] = [];
        const done: { write: QueuedWrite; result: unknown }[] = [];
        for (const write of batch) {
          const before = this.#memory.journal.length;
          const events = this.#pending.length;
          try {
            const result = write.fn();
            const line = lineFor(this.#memory.journal.slice(before));
            if (line !== undefined) lines.push(line);
            done.push({ write, result });
          } catch (error) {
            this.#memory.reject(this.#memory.journal.length - before);
            this.#pending.length = events;
            write.reject(error);
          }
        }
        try {
          if (lines.length > 0) await this.#append(lock, lines);
        } catch (error) {
          this.#pending = undefined;
          this.#memory.reject();
          for (const { write } of done) write.reject(error);
          return;
        }
        this.#release();
        for (const { write, result } of done) write.resolve(result);
      });
    } catch (error) {
      // The lock or the replay failed: nothing of the batch was applied.
      for (const write of batch) write.reject(error);
    }
  }

  /** Runs `fn` holding the file lock, with the memory store caught up with the file. */
  #locked<R>(fn: (lock: FileLock) => Promise<R>): Promise<R> {
    return withFileLock(
      this.path,
      async (lock) => {
        await this.#refresh();
        return fn(lock);
      },
      this.#lockOptions,
    );
  }

  /** Appends `lines` (creating the file first if there is none), then commits the memory store. */
  async #append(lock: FileLock, lines: readonly Buffer[]): Promise<void> {
    await lock.assertHeld();
    let position = this.#position!;
    if (position.file === NO_FILE.file) {
      const draft = await SnapshotDraft.start(this.path, [], this.#durability);
      try {
        const size = await draft.finish(Buffer.alloc(0), () => lock.assertHeld());
        position = { file: draft.file, offset: size, line: 2 };
        this.#position = position;
        this.#snapshotBytes = draft.snapshotBytes;
      } finally {
        await draft.discard();
      }
    }
    const end = await appendLines(this.path, position.offset, lines, this.#durability);
    this.#position = { file: position.file, offset: end, line: position.line + lines.length };
    this.#signature = await fileSignature(this.path).catch(() => undefined);
    await this.#memory.commit();
    this.#maybeCompact();
  }

  /** Reports the batch's events, now that its lines are on disk. */
  #release(): void {
    const events = this.#pending ?? [];
    this.#pending = undefined;
    for (const event of events) this.#emit(event);
  }

  #maybeCompact(): void {
    if (this.#compaction === false || this.#compacting !== undefined) return;
    const size = this.#position!.offset;
    const { multiple, minBytes } = this.#compaction;
    if (size < minBytes || size <= multiple * this.#snapshotBytes) return;
    // In the background: a failure (a full disk) leaves the log as it was, and the next append tries again.
    this.#startCompaction().catch(() => undefined);
  }

  /** Brings the memory store up to the file: nothing if unchanged, the new lines, or a full reload. */
  async #refresh(): Promise<void> {
    if (!this.#cleaned) await this.#cleanUpDeadWriters();
    const position = this.#position;
    if (position !== undefined && this.#signature !== undefined) {
      if (sameSignature(await fileSignature(this.path), this.#signature)) return;
    }
    const read = await readLog(this.path, position?.file ? position : undefined);
    this.#apply(read);
    this.#signature = read.signature;
  }

  #apply(read: LogRead): void {
    if (read.kind !== "tail") {
      this.#load(read.snapshot ?? [], read.textChecked ?? false);
      this.#snapshotBytes = read.snapshotBytes ?? 0;
    }
    try {
      for (const entry of read.entries) this.#replay(entry);
    } finally {
      void this.#memory.commit(); // without a channel: clears the journal at once
    }
    if (read.kind === "tail" && read.entries.length > 0)
      this.#events.emit("load", () => ({ count: this.#memory.size }));
    this.#position = read.kind === "missing" ? NO_FILE : read.position;
  }

  #load(records: readonly unknown[], textChecked: boolean): void {
    try {
      this.#memory.loadOwned(records as T[], textChecked);
    } catch (error) {
      this.#position = undefined;
      this.#signature = undefined;
      if (error instanceof StoreError && error.code === "STORE_CORRUPT_FILE") throw error;
      const reason =
        error instanceof PerstoreError ? `${error.code}: ${error.message}` : String(error);
      throw corrupt(this.path, 2, `the snapshot's records cannot be loaded (${reason})`, error);
    }
  }

  /** Applies one line's changes, all or none. */
  #replay(entry: LogEntry): void {
    const before = this.#memory.journal.length;
    try {
      for (const change of entry.changes) {
        if ("put" in change) this.#memory.put(change.put as T);
        else this.#memory.delete(change.delete);
      }
    } catch (error) {
      this.#memory.reject(this.#memory.journal.length - before);
      this.#position = undefined; // read the whole file again next time (and fail again)
      this.#signature = undefined;
      const reason =
        error instanceof PerstoreError ? `${error.code}: ${error.message}` : String(error);
      throw corrupt(this.path, entry.line, `the line cannot be applied (${reason})`, error);
    }
  }

  /** Once per instance: a `kill -9` mid-write leaves a temporary file and the lock. */
  async #cleanUpDeadWriters(): Promise<void> {
    this.#cleaned = true;
    await breakDeadLock(this.path).catch(() => undefined);
    await removeStrayTemps(this.path);
  }

  #onMemoryEvent(event: StoreEvent<T>): void {
    if (event.type === "load") this.#emit(event);
    else if (this.#pending !== undefined) this.#pending.push(event);
  }

  #emit({ type, ...rest }: StoreEvent<T>): void {
    this.#events.emit(type, () => copyRecord(rest));
  }

  #enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** The line for the journal entries of one write or transaction (`undefined` when it changed nothing). */
function lineFor<T>(entries: readonly JournalEntry<T>[]): Buffer | undefined {
  const changes: ({ put: unknown } | { delete: Id })[] = [];
  for (const entry of entries) {
    switch (entry.type) {
      case "add":
        for (const { record } of entry.records) changes.push({ put: record });
        break;
      case "change":
        for (const { after } of entry.records) changes.push({ put: after });
        break;
      case "remove":
        for (const { id } of entry.records) changes.push({ delete: id });
        break;
      default:
        throw new StoreError("STORE_UNSUPPORTED", `a ${entry.type} cannot be logged`);
    }
  }
  if (changes.length === 0) return undefined;
  if (changes.length > 1) return transactionLine(changes);
  const only = changes[0]!;
  return "put" in only ? putLine(only.put) : deleteLine(only.delete);
}
