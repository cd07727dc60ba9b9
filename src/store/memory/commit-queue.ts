/**
 * Commits one at a time: one asked for while another is in flight writes
 * what that one leaves. A commit that starts at once starts synchronously,
 * so it takes the journal as it is when `commit()` is called.
 */
export class CommitQueue {
  private last: Promise<unknown> = Promise.resolve();
  private inFlight = 0;

  /** Runs `start` now if nothing is in flight, else after the commits queued before it. */
  run(start: () => Promise<void>): Promise<void> {
    const run = this.inFlight === 0 ? start() : this.last.then(start);
    this.inFlight++;
    this.last = run.then(
      () => void this.inFlight--,
      () => void this.inFlight--,
    );
    return run;
  }
}
