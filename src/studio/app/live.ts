/**
 * The live feed of the table shown: the server's event stream for a model and
 * query. Paging or sorting the same table keeps the one stream open (opening
 * one runs the query's checks on the server, and a page must cost one
 * request); another table, or a screen that is no table, ends it.
 */
import { ApiError, type Api } from "./api.js";

export type LiveState = { readonly on: true } | { readonly on: false; readonly why?: string };

export class LiveFeed {
  private key: string | undefined;
  private controller: AbortController | undefined;
  private state: LiveState = { on: false };
  private onChange: () => void = () => {};
  private onState: (state: LiveState) => void = () => {};
  /** Streams opened, and changes heard on the current one: together, what a remembered total was counted at. */
  private streams = 0;
  private changes = 0;

  constructor(private readonly api: Api) {}

  /** Calls `onChange` on every change to `model`'s records matching `query`, `onState` when the feed starts or stops. */
  follow(
    model: string,
    query: string,
    onChange: () => void,
    onState: (state: LiveState) => void,
  ): void {
    this.onChange = onChange;
    this.onState = onState;
    const key = `${model}\u0000${query}`;
    if (key === this.key && this.controller) return onState(this.state);
    this.stop();
    const controller = (this.controller = new AbortController());
    this.key = key;
    this.streams++;
    this.changes = 0;
    const mine = () => controller === this.controller;
    const ended = (why?: string) => {
      if (!mine() || controller.signal.aborted) return;
      this.stop();
      this.onState(why === undefined ? { on: false } : { on: false, why });
    };
    this.api
      .listen(
        model,
        query,
        (type) => {
          if (!mine()) return;
          if (type !== "ready") {
            this.changes++;
            return this.onChange();
          }
          this.state = { on: true };
          this.onState(this.state);
        },
        controller.signal,
      )
      .then(
        () => ended(),
        // A store that reports no changes (501) or a lost stream: the table still works, just not live.
        (error: unknown) => ended(error instanceof ApiError ? error.message : String(error)),
      );
  }

  /**
   * Where the feed of `model` and `query` stands (the stream and the changes
   * heard on it), or undefined when no stream for them is open: a total
   * counted at one revision still holds while the revision stays the same.
   */
  revision(model: string, query: string): string | undefined {
    if (this.controller === undefined || this.key !== `${model}\u0000${query}`) return undefined;
    return `${this.streams}:${this.changes}`;
  }

  /** The screen shown no longer hears of changes (the stream stays open for the next one). */
  detach(): void {
    this.onChange = () => {};
    this.onState = () => {};
  }

  /** Ends the stream. */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.key = undefined;
    this.state = { on: false };
  }
}
