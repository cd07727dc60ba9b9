/**
 * The request timeout without a timer per request: every request gets the
 * same time, so deadlines come in the order requests arrive, and one timer
 * armed for the oldest unfinished request serves them all. (A `setTimeout`,
 * its promise and a `Promise.race` per request showed in the GET profile.)
 * Times are `performance.now()`: monotonic, so a clock change moves no deadline.
 */

interface Pending<T> {
  readonly deadline: number;
  readonly expire: () => void;
}

export class Deadlines {
  /** Unfinished requests, oldest first (a Set keeps insertion order). */
  readonly #pending = new Set<Pending<unknown>>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly ms: number) {}

  /**
   * Settles with `work`, or with `onTimeout()` once `ms` have passed first
   * (`work` then runs on, and its result is dropped).
   */
  run<T>(work: Promise<T>, onTimeout: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending<T> = {
        deadline: performance.now() + this.ms,
        expire: () => resolve(onTimeout()),
      };
      this.#pending.add(entry);
      if (this.#timer === undefined) this.#arm(this.ms);
      work.then(
        (value) => {
          if (this.#pending.delete(entry)) resolve(value);
        },
        (error: unknown) => {
          if (this.#pending.delete(entry)) reject(error);
        },
      );
    });
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#expire(), ms);
    // Never keeps a process alive by itself (Node; a number elsewhere).
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.deadline > now) return this.#arm(entry.deadline - now);
      this.#pending.delete(entry);
      entry.expire();
    }
  }
}
