/**
 * Change events of one model's store, per audience (a facet, or the whole
 * model): each `add`, `change`, `remove` and `clear` the store reports is
 * judged for every audience that has listened (event-audience.ts), and the
 * ones an audience hears get that audience's next revision. Revisions are
 * numbered per audience, so a gap in them does not tell a facet's listener
 * that something it cannot see happened. The last `capacity` events of each
 * audience are kept, so a client reconnecting with `Last-Event-ID` gets what
 * it missed (or a `reset` when that is older than what is kept).
 */
import type { Model, ModelMethods } from "../model/index.js";
import type { Id, StoreEvent, StoreEventName } from "../store/types.js";
import { audienceKey, type Audience, type SeenChange, type StoreChange } from "./event-audience.js";

/** One numbered event, as one audience's streams receive it. */
export interface HubEvent extends SeenChange {
  readonly revision: number;
}

export type HubListener = (event: HubEvent) => void;

type Row = Record<string, unknown>;

const WATCHED: readonly StoreEventName[] = ["add", "change", "remove", "clear"];

/**
 * How many records the hub remembers as last reported, for a store whose
 * events do not say what a changed record was before (the SQL store): the
 * hub compares with the remembered one instead.
 */
const REMEMBERED = 10_000;

interface AudienceState {
  readonly audience: Audience;
  revision: number;
  readonly buffer: HubEvent[];
  readonly listeners: Set<HubListener>;
}

export class EventHub {
  readonly #audiences = new Map<string, AudienceState>();
  /** Last reported records by id, while the store's events carry no `previous` (least recently reported first). */
  readonly #remembered = new Map<Id, Row>();
  #storeGivesPrevious = false;
  #unsubscribe: (() => void)[] = [];
  #ready: Promise<boolean> | undefined;

  constructor(
    readonly model: Model<any, any, any>,
    readonly capacity = 1000,
  ) {}

  /** Subscribes to the store once; false when the store reports no events. */
  start(): Promise<boolean> {
    this.#ready ??= this.model.store().then((store) => {
      if (typeof store.on !== "function") return false;
      for (const name of WATCHED)
        this.#unsubscribe.push(store.on(name, (event) => this.#record(event as StoreEvent<Row>)));
      return true;
    });
    return this.#ready;
  }

  #record(event: StoreEvent<Row>): void {
    const type = event.type as StoreChange["type"];
    if (event.previous !== undefined && !this.#storeGivesPrevious) {
      this.#storeGivesPrevious = true;
      this.#remembered.clear();
    }
    const changes: StoreChange[] =
      type === "clear"
        ? [{ type }]
        : event.records !== undefined
          ? event.records.map((record, i) => {
              const id = event.ids?.[i] as Id;
              const previous = event.previous?.[i] ?? this.#remembered.get(id);
              return { type, id, record, ...(previous !== undefined ? { previous } : {}) };
            })
          : // A store may report a removal by ids alone (the SQL store does).
            (event.ids ?? []).map((id) => {
              const previous = this.#remembered.get(id);
              return { type, id, ...(previous !== undefined ? { previous } : {}) };
            });
    for (const change of changes) {
      this.#remember(change);
      for (const state of this.#audiences.values()) {
        const seen = state.audience.see(change);
        if (seen === undefined) continue;
        const numbered: HubEvent = { ...seen, revision: ++state.revision };
        state.buffer.push(numbered);
        if (state.buffer.length > this.capacity) state.buffer.shift();
        for (const listener of state.listeners) listener(numbered);
      }
    }
  }

  #remember(change: StoreChange): void {
    if (this.#storeGivesPrevious) return;
    if (change.type === "clear") return this.#remembered.clear();
    if (change.id === undefined) return;
    this.#remembered.delete(change.id);
    if (change.type === "remove" || change.record === undefined) return;
    this.#remembered.set(change.id, change.record);
    if (this.#remembered.size > REMEMBERED)
      this.#remembered.delete(this.#remembered.keys().next().value as Id);
  }

  #state(audience: Audience): AudienceState {
    let state = this.#audiences.get(audience.key);
    if (!state) {
      state = { audience, revision: 0, buffer: [], listeners: new Set() };
      this.#audiences.set(audience.key, state);
    }
    return state;
  }

  /**
   * `listener` hears what `audience` does from now on; first it gets the kept
   * events after `after` (one of the audience's revisions). Gives the stop
   * function, the audience's revision now, and whether `after` was too old to
   * replay (the client must reload).
   */
  listen(
    audience: Audience,
    listener: HubListener,
    after?: number,
  ): { stop: () => void; missed: boolean; revision: number } {
    const state = this.#state(audience);
    let missed = false;
    if (after !== undefined && after < state.revision) {
      const oldest = state.buffer[0]?.revision ?? state.revision + 1;
      missed = after < oldest - 1;
      if (!missed) for (const event of state.buffer) if (event.revision > after) listener(event);
    } else if (after !== undefined && after > state.revision) {
      // A revision this audience never gave (another server, or one restarted): reload.
      missed = true;
    }
    state.listeners.add(listener);
    return { stop: () => state.listeners.delete(listener), missed, revision: state.revision };
  }

  /** The last revision `view`'s audience was given; undefined while it has never listened. */
  revisionFor(view: ModelMethods<any, any, any> | undefined): number | undefined {
    if (view === undefined) return undefined;
    return this.#audiences.get(audienceKey(this.model, view))?.revision;
  }

  close(): void {
    for (const stop of this.#unsubscribe) stop();
    this.#unsubscribe = [];
    for (const state of this.#audiences.values()) state.listeners.clear();
  }
}
