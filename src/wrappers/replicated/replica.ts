/**
 * One replica as the wrapper sees it: the last revision it acknowledged, the
 * revisions it has not applied yet (in order), and whether it is down or
 * needs a full resync. `catchUp` applies what is missing, one revision at a
 * time and never two at once, so nothing is applied twice or out of order.
 *
 * The replica's revision lives here, in the wrapper: a replica store has no
 * place of its own for it. A replica that loses its data (restarted empty)
 * is found by comparing its record count with the primary's (see
 * `verify`), or named with `resync(index)`.
 */
import { StoreError } from "../../errors/index.js";
import type { Id, Results, Store } from "../../store/types.js";
import { applyOp, applyRevision, type Revision } from "./revision.js";

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && typeof (value as { then?: unknown } | undefined)?.then === "function";

/** Where a replica stands (`status()`). */
export interface ReplicaStatus {
  readonly index: number;
  /** The last revision it has applied. */
  readonly revision: number;
  /** Revisions waiting for it. */
  readonly pending: number;
  /** `current`: has every revision; `behind`: some wait; `down`: its last write failed; `resync`: it will be copied whole from the primary. */
  readonly state: "current" | "behind" | "down" | "resync";
  /** Why it is down. */
  readonly error?: unknown;
}

export interface ReplicaSettings {
  /** Revisions kept for a replica that is down; past this, it is resynchronised instead. */
  readonly maxBacklog: number;
  /** Milliseconds before a down replica is tried again by a write (`sync()` always tries). */
  readonly retryDelay: number;
  readonly now: () => number;
}

export class Replica<T extends object> {
  revision = 0;
  needsResync = false;
  #backlog: Revision<T>[] = [];
  #down: { readonly at: number; readonly error: unknown } | undefined;
  #running: Promise<void> = Promise.resolve();
  #idle = true;

  constructor(
    readonly store: Store<T>,
    readonly index: number,
    private readonly settings: ReplicaSettings,
  ) {}

  get status(): ReplicaStatus {
    const base = { index: this.index, revision: this.revision, pending: this.#backlog.length };
    if (this.needsResync) return { ...base, state: "resync", error: this.#down?.error };
    if (this.#down !== undefined) return { ...base, state: "down", error: this.#down.error };
    return { ...base, state: this.#backlog.length === 0 ? "current" : "behind" };
  }

  /** True when it has every revision up to `revision`. */
  isCurrent(revision: number): boolean {
    return !this.needsResync && this.#down === undefined && this.revision === revision;
  }

  /** A new revision for it; past `maxBacklog` waiting ones, it is marked for resync instead. */
  enqueue(revision: Revision<T>): void {
    if (this.needsResync) return;
    this.#backlog.push(revision);
    if (this.#backlog.length > this.settings.maxBacklog) this.markResync();
  }

  /** Forget its backlog: it will be copied whole from the primary. */
  markResync(): void {
    this.needsResync = true;
    this.#backlog = [];
  }

  /**
   * Applies what it is missing (after a resync, if it needs one). A failure
   * marks it down and keeps the rest for later; `force` tries even a replica
   * that failed less than `retryDelay` ago. Never rejects.
   */
  catchUp(
    primary: Store<T>,
    currentRevision: () => number,
    force: boolean,
  ): Promise<void> | undefined {
    const next = this.#backlog[0];
    // The usual case on every write: an idle, healthy replica and one new write. Applied at
    // once, and with no promise at all when the store answers synchronously (a memory store).
    if (
      this.#idle &&
      this.#down === undefined &&
      this.#backlog.length === 1 &&
      next!.ops.length === 1
    ) {
      let result: unknown;
      try {
        result = applyOp(this.store, next!.ops[0]!);
      } catch (error) {
        this.#down = { at: this.settings.now(), error };
        return undefined;
      }
      if (!isThenable(result)) return void this.#applied(next!);
      return this.#track(
        Promise.resolve(result).then(
          () => this.#applied(next!),
          (error: unknown) => void (this.#down = { at: this.settings.now(), error }),
        ),
      );
    }
    return this.#track(
      this.#idle
        ? this.#catchUp(primary, currentRevision, force)
        : this.#running.then(() => this.#catchUp(primary, currentRevision, force)),
    );
  }

  /** Marks the replica busy until `run` settles (later catch-ups queue behind it). */
  #track(run: Promise<void>): Promise<void> {
    this.#idle = false;
    const running: Promise<void> = (this.#running = run.finally(() => {
      if (this.#running === running) this.#idle = true;
    }));
    return running;
  }

  #applied(revision: Revision<T>): void {
    this.#backlog.shift();
    this.revision = revision.revision;
  }

  async #catchUp(primary: Store<T>, currentRevision: () => number, force: boolean): Promise<void> {
    const down = this.#down;
    if (down !== undefined && !force && this.settings.now() - down.at < this.settings.retryDelay)
      return;
    try {
      if (this.needsResync) await this.#resync(primary, currentRevision);
      while (this.#backlog.length > 0) {
        const next = this.#backlog[0]!;
        await applyRevision(this.store, next);
        this.#applied(next);
      }
      this.#down = undefined;
    } catch (error) {
      this.#down = { at: this.settings.now(), error };
    }
  }

  /**
   * Copies the primary whole: revisions from now on queue up meanwhile (the
   * primary's snapshot may already hold some of them; applying those again
   * leaves the same records), records the primary lacks are deleted.
   */
  async #resync(primary: Store<T>, currentRevision: () => number): Promise<void> {
    if (typeof primary.query !== "function")
      throw new StoreError(
        "REPLICATED_RESYNC_IMPOSSIBLE",
        `replicated: replica ${this.index} needs a full resync, which reads every record through the primary's query(), and the primary has none`,
      );
    const from = currentRevision();
    this.needsResync = false;
    this.#backlog = [];
    try {
      const records = (await primary.query("")) as Results<T>;
      const idProperty = primary.idProperty ?? "id";
      const keep = new Set<Id>(
        records.map((r) => (r as Record<string, unknown>)[idProperty] as Id),
      );
      if (typeof this.store.query === "function") {
        const present = (await this.store.query("")) as Results<T>;
        for (const r of present) {
          const id = (r as Record<string, unknown>)[this.store.idProperty ?? idProperty] as Id;
          if (!keep.has(id)) await this.store.delete!(id);
        }
      }
      for (const record of records) {
        const id = (record as Record<string, unknown>)[idProperty] as Id;
        await this.store.put!(record, { id });
      }
      this.revision = Math.max(this.revision, from);
    } catch (error) {
      this.markResync();
      throw error;
    }
  }
}
