/**
 * One write at a time through the primary: revision numbers must follow the
 * order the primary applied the writes in, and two writes in flight at once
 * could land in either order. Reads never wait for it.
 */
export class WriteLock {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every earlier `run` has settled; its result or failure is the caller's alone. */
  run<R>(fn: () => Promise<R> | R): Promise<R> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
