/**
 * A `SearchIndex` kept in step with a store: built from the store's records on
 * first use, then updated by every write made through the wrapper and, where
 * the store has `on`, by its events (so writes made directly on the store,
 * `reject`, `load`, `commit` and reloads of a JSON file are seen too).
 * Events that change many records at once or re-key them (`clear`, `load`,
 * `commit`, `reject`) rebuild the index from the store's records.
 */
import { StoreError } from "../../errors/index.js";
import { parseQuery } from "../../query/parse-query.js";
import type { Id, Store, StoreEvent, StoreEventName } from "../../store/types.js";
import { SearchIndex, type TermProcessor } from "./search-index.js";

const REBUILD_ON: readonly StoreEventName[] = ["clear", "load", "commit", "reject"];
const ALL = parseQuery("");

export class LiveIndex<T extends object> {
  readonly #store: Store<T>;
  readonly #idProperty: string;
  readonly #make: () => SearchIndex;
  #index: SearchIndex | undefined;
  /** The running (re)build, if any, and the changes seen while it runs (replayed on the new index). */
  #building: Promise<SearchIndex> | undefined;
  #seenWhileBuilding: ((index: SearchIndex) => void)[] = [];
  #stale = false;
  /** Write order: a write's index update is skipped once a later-started write of the same id landed. */
  #writes = 0;
  readonly #lastWrite = new Map<Id, number>();
  readonly #unsubscribe: (() => void)[] = [];
  #closed = false;

  constructor(
    store: Store<T>,
    idProperty: string,
    fields: readonly string[],
    processTerm: TermProcessor | undefined,
  ) {
    this.#store = store;
    this.#idProperty = idProperty;
    this.#make = () => new SearchIndex(fields, processTerm);
    if (typeof store.on === "function") {
      for (const type of ["add", "change", "remove", ...REBUILD_ON] as const)
        this.#unsubscribe.push(store.on(type, (event) => this.#onEvent(event)));
    }
  }

  /** Stops following the store's events and drops the index. */
  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#index = undefined;
    this.#closed = true;
  }

  /** Whether the store's own events keep the index current (else the wrapper's writes do). */
  get followsEvents(): boolean {
    return typeof this.#store.on === "function";
  }

  /** The index, current with every change seen so far (built or rebuilt first when needed). */
  async current(): Promise<SearchIndex> {
    if (this.#closed)
      throw new StoreError("WRAPPER_CLOSED", "fullText: the wrapper was closed; search() is over");
    while (this.#index === undefined || this.#stale) {
      if (this.#building === undefined) this.#building = this.#build();
      await this.#building;
    }
    return this.#index;
  }

  /** Marks the index stale: the next search rebuilds it from the store. */
  invalidate(): void {
    this.#stale = true;
  }

  /** A number for a write about to start (see `written`). */
  beginWrite(): number {
    return ++this.#writes;
  }

  /** Indexes `record` (or forgets `id` when undefined) as written by write `seq`, unless a later write of `id` landed first. */
  written(seq: number, id: Id, record: T | undefined): void {
    if ((this.#lastWrite.get(id) ?? 0) > seq) return;
    this.#lastWrite.set(id, seq);
    this.#apply((index) => (record === undefined ? index.delete(id) : index.set(id, record)));
  }

  #onEvent(event: StoreEvent<T>): void {
    if (REBUILD_ON.includes(event.type)) {
      if (event.type !== "commit" || event.count !== 0) this.invalidate();
      return;
    }
    const ids = event.ids ?? [];
    const records = event.records ?? [];
    if (event.type === "remove") {
      this.#apply((index) => ids.forEach((id) => index.delete(id)));
      return;
    }
    this.#apply((index) =>
      records.forEach((record, i) => {
        const id = ids[i] ?? ((record as Record<string, unknown>)[this.#idProperty] as Id);
        index.set(id, record);
      }),
    );
  }

  /** Applies a change to the index, and again to the one being built (it may have read the store before the change). */
  #apply(change: (index: SearchIndex) => void): void {
    if (this.#index !== undefined) change(this.#index);
    if (this.#building !== undefined) this.#seenWhileBuilding.push(change);
  }

  async #build(): Promise<SearchIndex> {
    this.#stale = false;
    this.#seenWhileBuilding = [];
    try {
      const records = (await this.#store.query!(ALL)) as readonly T[];
      const index = this.#make();
      for (const record of records)
        index.set((record as Record<string, unknown>)[this.#idProperty] as Id, record);
      for (const change of this.#seenWhileBuilding) change(index);
      this.#index = index;
      return index;
    } catch (error) {
      this.#stale = true;
      throw error;
    } finally {
      this.#building = undefined;
      this.#seenWhileBuilding = [];
    }
  }
}
