/**
 * A remote store's listeners: the event stream opens with the first listener
 * and closes with the last, and each server event becomes a store event
 * (`add`, `change`, `remove`, `clear`) with fresh copies per listener.
 */
import { StoreError } from "../../errors/index.js";
import { copyRecord } from "../copy.js";
import type { Id, StoreEvent, StoreEventName, StoreListener } from "../types.js";
import type { SseMessage } from "./event-source.js";

type Open = (onMessage: (message: SseMessage) => void, signal: AbortSignal) => Promise<void>;

const STREAMED = new Set(["add", "change", "remove", "clear"]);

/** How long a write waits for its own event before it gives up waiting (the stream may be down). */
const OWN_EVENT_WAIT_MS = 2000;

export class RemoteEvents<T> {
  readonly #listeners = new Map<StoreEventName, Set<StoreListener<T>>>();
  #abort: AbortController | undefined;
  /** Resolves once the stream is subscribed (its `ready` event). */
  #ready: Promise<void> | undefined;
  #onReady: (() => void) | undefined;
  /** The last revision the stream delivered, and who waits for a later one. */
  #delivered = 0;
  readonly #waiting = new Set<{ revision: number; resolve: () => void }>();

  constructor(
    readonly revive: (record: T) => T,
    readonly open: Open,
  ) {}

  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!this.#abort && STREAMED.has(event)) {
      this.#abort = new AbortController();
      this.#ready = new Promise<void>((resolve) => (this.#onReady = resolve));
      void this.open((message) => this.#deliver(message), this.#abort.signal);
    }
    return () => {
      set!.delete(listener);
      if ([...this.#listeners.values()].every((s) => s.size === 0)) this.close();
    };
  }

  close(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#ready = undefined;
    for (const waiter of this.#waiting) waiter.resolve();
    this.#waiting.clear();
  }

  /** Before a write: while anyone listens, wait until the stream is subscribed, so its events are not missed. */
  async beforeWrite(): Promise<void> {
    if (this.#ready) await withTimeout(this.#ready);
  }

  /** After a write answered with `revision`: wait until the stream delivered it, so listeners saw it first. */
  async afterWrite(revision: number | undefined): Promise<void> {
    if (!this.#abort || revision === undefined || revision <= this.#delivered) return;
    await withTimeout(new Promise<void>((resolve) => this.#waiting.add({ revision, resolve })));
  }

  #advance(revision: number): void {
    if (revision > this.#delivered) this.#delivered = revision;
    for (const waiter of this.#waiting) {
      if (waiter.revision <= this.#delivered) {
        waiter.resolve();
        this.#waiting.delete(waiter);
      }
    }
  }

  #deliver(message: SseMessage): void {
    if (message.event === "ready") {
      const revision = Number((JSON.parse(message.data) as { revision?: unknown }).revision);
      if (Number.isFinite(revision)) this.#advance(revision);
      this.#onReady?.();
      return;
    }
    if (message.id !== undefined && /^\d+$/.test(message.id)) {
      // Deliver first, then release writers waiting for this revision.
      queueMicrotask(() => this.#advance(Number(message.id)));
    }
    if (!STREAMED.has(message.event)) return;
    const type = message.event as StoreEventName;
    let data: { id?: Id; record?: T };
    try {
      data = JSON.parse(message.data) as { id?: Id; record?: T };
    } catch {
      return;
    }
    for (const listener of this.#listeners.get(type) ?? []) {
      const event: StoreEvent<T> = {
        type,
        ...(data.id !== undefined ? { ids: [data.id] } : {}),
        ...(data.record !== undefined ? { records: [this.revive(copyRecord(data.record))] } : {}),
      };
      try {
        listener(event);
      } catch (error) {
        // A listener that throws never breaks the stream for the others; a warning says why.
        if (typeof process !== "undefined" && typeof process.emitWarning === "function")
          process.emitWarning(
            new StoreError(
              "STORE_LISTENER_FAILED",
              `RemoteStore ${type} listener failed: ${(error as Error)?.message ?? String(error)}`,
              {
                cause: error,
              },
            ),
          );
      }
    }
  }
}

/** `promise`, or nothing after OWN_EVENT_WAIT_MS: waiting for events must never hang a write. */
function withTimeout(promise: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, OWN_EVENT_WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
}
