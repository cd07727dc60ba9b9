/**
 * Applying a channel's answer to a commit: the ids it assigned, the values
 * the server set, or in `replace` mode the full data set. Entries made while
 * the write was in flight are undone first and replayed on top afterwards
 * (re-keyed, with the fields they set winning over server values).
 */
import { StoreError } from "../../errors/index.js";
import { responseIdPairs } from "../../transaction/index.js";
import { copyRecord } from "../copy.js";
import { assertRecord, recordId } from "../record-id.js";
import type { ChannelResponse, CommitMode, Id } from "../types.js";
import { undoAll, type Undo } from "./atomically.js";
import type { MemoryState } from "./memory-state.js";
import { buildState } from "./prepare-record.js";
import { undoEntry, type StoredEntry } from "./stored-entry.js";

/**
 * One application of a response. `state` is the state to use afterwards,
 * whether `apply` succeeded or not: a failed application ends on an
 * equivalent state, which may be a new object (replaying a `load` builds one).
 * Used once per commit.
 */
export class ResponseApplication<T extends object> {
  private readonly undo: Undo[] = [];

  constructor(
    public state: MemoryState<T>,
    private readonly seq: () => number,
  ) {}

  private get idProperty(): string {
    return this.state.idProperty;
  }

  /**
   * Applies `response` to the data as it was committed (`later` undone),
   * then replays `later` on top of it; returns those entries as replayed.
   * All or nothing: on failure the data is as it was, and the error is
   * STORE_CHANNEL_RESPONSE.
   */
  apply(
    response: ChannelResponse<T>,
    mode: CommitMode,
    later: readonly StoredEntry<T>[],
  ): StoredEntry<T>[] {
    try {
      return this.applyOrThrow(response, mode, later);
    } catch (error) {
      undoAll(this.undo);
      throw new StoreError(
        "STORE_CHANNEL_RESPONSE",
        `commit: the channel's response could not be applied: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private applyOrThrow(
    response: ChannelResponse<T>,
    mode: CommitMode,
    later: readonly StoredEntry<T>[],
  ): StoredEntry<T>[] {
    for (let i = later.length - 1; i >= 0; i--) this.state = undoEntry(this.state, later[i]!);
    // Registered first, so it runs last: back to the state the later entries made.
    this.undo.push(() => {
      for (const stored of later) this.replay(stored, new Map(), []);
    });
    const ids = new Map<Id, Id>();
    if (mode === "replace" && response.data !== undefined) {
      this.swap(buildState<T>(response.data, this.idProperty, this.state.specs, this.seq));
    } else {
      for (const [from, to] of responseIdPairs(response.ids)) this.rekey(from, to, ids);
      for (const server of response.records ?? []) this.mergeServerValues(server);
    }
    return later.map((stored) => this.replay(stored, ids, this.undo));
  }

  /** Makes `next` the state, with an undo step back to the current one. */
  private swap(next: MemoryState<T>, undo: Undo[] = this.undo): MemoryState<T> {
    const previous = this.state;
    this.state = next;
    undo.push(() => (this.state = previous));
    return previous;
  }

  /** Moves a record to the id the channel assigned, keeping its place in the natural order. */
  private rekey(from: Id, to: Id, ids: Map<Id, Id>): void {
    const state = this.state;
    let source = from;
    // Plain-object id maps have string keys: "7" stands for the numeric id 7 too.
    if (!state.slots.has(source) && typeof from === "string" && String(Number(from)) === from)
      source = Number(from);
    const slot = state.remove(source);
    if (!slot) return;
    this.undo.push(() => state.insert(source, slot.record, slot.seq));
    const record = { ...slot.record, [this.idProperty]: to } as T;
    state.insert(to, record, slot.seq);
    this.undo.push(() => state.remove(to));
    ids.set(source, to);
  }

  /** Merges a record the channel returned into the stored record with its id (if there is one). */
  private mergeServerValues(server: unknown): void {
    const state = this.state;
    assertRecord(server);
    const id = recordId(server, this.idProperty, undefined);
    const slot = state.slots.get(id);
    if (!slot) return;
    const before = slot.record;
    state.replace(id, { ...before, ...copyRecord(server) } as T);
    this.undo.push(() => state.replace(id, before));
  }

  /**
   * Applies a journal entry again on the current data, with ids renamed by
   * `ids`, and returns it as now stored (same sequence number, values as they
   * are now). A change re-applies only what it changed: the fields whose
   * value differs between `before` and `after`, and the removal of fields
   * `after` lacks. Records that are gone are skipped.
   */
  private replay(stored: StoredEntry<T>, ids: ReadonlyMap<Id, Id>, undo: Undo[]): StoredEntry<T> {
    const { entry, seq } = stored;
    const state = this.state;
    const rename = (id: Id) => ids.get(id) ?? id;
    const withId = (record: T, id: Id) =>
      Object.is((record as Record<string, unknown>)[this.idProperty], id)
        ? record
        : ({ ...record, [this.idProperty]: id } as T);
    switch (entry.type) {
      case "add": {
        const records = entry.records.map(({ id, record }) => ({
          id: rename(id),
          record: withId(record, rename(id)),
        }));
        for (const { id, record } of records) {
          state.insert(id, record, this.seq());
          undo.push(() => state.remove(id));
        }
        return { seq, entry: { type: "add", records } };
      }
      case "change": {
        const records: { id: Id; before: T; after: T }[] = [];
        for (const change of entry.records) {
          const id = rename(change.id);
          const before = state.slots.get(id)?.record;
          if (before === undefined) continue;
          const after =
            before === change.before
              ? change.after
              : withId(rebaseChange(before, change.before, change.after), id);
          state.replace(id, after);
          undo.push(() => state.replace(id, before));
          records.push({ id, before, after });
        }
        return { seq, entry: { type: "change", changes: entry.changes, records } };
      }
      case "remove": {
        const records: { id: Id; record: T }[] = [];
        const places: number[] = [];
        for (const { id: original } of entry.records) {
          const id = rename(original);
          const slot = state.remove(id);
          if (!slot) continue;
          undo.push(() => state.insert(id, slot.record, slot.seq));
          records.push({ id, record: slot.record });
          places.push(slot.seq);
        }
        return { seq, entry: { type: "remove", records }, places };
      }
      case "clear":
      case "load": {
        const next =
          entry.type === "clear"
            ? state.emptyLike()
            : buildState<T>(
                entry.records.map((r) => r.record),
                this.idProperty,
                state.specs,
                this.seq,
              );
        const previous = this.swap(next, undo);
        return { seq, entry: { ...entry, count: previous.size }, previous };
      }
    }
  }
}

/** `current` with the change from `before` to `after` applied: changed fields set, dropped fields deleted. */
function rebaseChange<T extends object>(current: T, before: T, after: T): T {
  const out = { ...current } as Record<string, unknown>;
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of Object.keys(was)) if (!Object.hasOwn(now, key)) delete out[key];
  for (const key of Object.keys(now))
    if (!Object.hasOwn(was, key) || !Object.is(was[key], now[key])) out[key] = now[key];
  return out as T;
}
