/**
 * Change events of one model's store, numbered: every `add`, `change`,
 * `remove` and `clear` the store reports gets the next revision, and the last
 * `capacity` are kept so a client reconnecting with `Last-Event-ID` gets what
 * it missed (or a `reset` when that is older than what is kept).
 */
import type { Model } from "../model/index.js";
import type { Id, StoreEvent, StoreEventName } from "../store/types.js";

/** One numbered event, as streams receive it. */
export interface HubEvent {
  readonly revision: number;
  readonly type: "add" | "change" | "remove" | "clear";
  readonly id?: Id;
  readonly record?: Record<string, unknown>;
}

export type HubListener = (event: HubEvent) => void;

const WATCHED: readonly StoreEventName[] = ["add", "change", "remove", "clear"];

export class EventHub {
  readonly #buffer: HubEvent[] = [];
  readonly #listeners = new Set<HubListener>();
  #revision = 0;
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
        this.#unsubscribe.push(
          store.on(name, (event) => this.#record(event as StoreEvent<Record<string, unknown>>)),
        );
      return true;
    });
    return this.#ready;
  }

  #record(event: StoreEvent<Record<string, unknown>>): void {
    const type = event.type as HubEvent["type"];
    const items: Omit<HubEvent, "revision">[] =
      type === "clear"
        ? [{ type }]
        : event.records !== undefined
          ? event.records.map((record, i) => ({ type, id: event.ids?.[i] as Id, record }))
          : // A store may report a removal by ids alone (the SQL store does).
            (event.ids ?? []).map((id) => ({ type, id }));
    for (const item of items) {
      const numbered: HubEvent = { ...item, revision: ++this.#revision };
      this.#buffer.push(numbered);
      if (this.#buffer.length > this.capacity) this.#buffer.shift();
      for (const listener of this.#listeners) listener(numbered);
    }
  }

  /**
   * Listens from now on; first replays the kept events after `after` (a
   * revision). Resolves to the unsubscribe function, and whether `after` was
   * too old to replay (the client must reload).
   */
  listen(listener: HubListener, after?: number): { stop: () => void; missed: boolean } {
    let missed = false;
    if (after !== undefined && after < this.#revision) {
      const oldest = this.#buffer[0]?.revision ?? this.#revision + 1;
      missed = after < oldest - 1;
      if (!missed) for (const event of this.#buffer) if (event.revision > after) listener(event);
    }
    this.#listeners.add(listener);
    return { stop: () => this.#listeners.delete(listener), missed };
  }

  /** The last revision handed out. */
  get revision(): number {
    return this.#revision;
  }

  close(): void {
    for (const stop of this.#unsubscribe) stop();
    this.#unsubscribe = [];
    this.#listeners.clear();
  }
}
