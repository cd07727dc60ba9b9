/**
 * One write at a time per record: a conditional write (`If-Match`) reads the
 * record's tag and writes in one critical section, so two clients holding the
 * same tag cannot both win within this server.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier `run` on the same key has settled. */
  async run<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => tail);
    this.#tails.set(key, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === chained) this.#tails.delete(key);
    }
  }
}
