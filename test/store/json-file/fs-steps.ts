/**
 * Drives concurrent lock operations one file-system call at a time, to
 * replay exact interleavings of several "processes" in one test process.
 *
 * A test file routes `node:fs/promises` through `gatedFs` (vi.mock). Each
 * actor runs its task inside its own async context; every call it makes to
 * the gated functions waits before it reaches the real file system until the
 * test lets it through (`runUntil`). Calls made outside an actor (the test's
 * own setup) and by a `free` actor go straight through. Nothing is faked:
 * every call, once let through, is the real one.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** One file-system call an actor is about to make: the function's name and its path arguments. */
export interface FsCall {
  readonly op: string;
  readonly paths: readonly string[];
}

const current = new AsyncLocalStorage<Actor>();

/** The names of the functions gated. */
const GATED = ["link", "unlink", "rename", "open", "writeFile", "readFile", "readdir", "stat"];

/** `real` (node:fs/promises) with the gated functions waiting for their actor's turn. */
export function gatedFs<M extends object>(real: M): M {
  const wrapped: Record<string, unknown> = {};
  for (const name of GATED) {
    const fn = (real as Record<string, unknown>)[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = async (...args: unknown[]) => {
      const actor = current.getStore();
      if (actor !== undefined) {
        const paths = args.filter((arg): arg is string => typeof arg === "string");
        await actor.gate({ op: name, paths });
      }
      return fn(...args);
    };
  }
  const base = (real as { default?: object }).default ?? real;
  return { ...real, ...wrapped, default: { ...base, ...wrapped } } as M;
}

/** How a task ended. */
export type Outcome<T> = { value: T } | { error: unknown };

/** One concurrent task, stepped by the test. */
export class Actor<T = unknown> {
  /** The calls let through so far, in order. */
  readonly calls: FsCall[] = [];
  /** Resolves when the task has ended. */
  readonly outcome: Promise<Outcome<T>>;
  #settled = false;
  #free = false;
  /** Calls waiting for their turn, oldest first (the lock code makes one at a time, but need not). */
  readonly #waiting: { call: FsCall; go: () => void }[] = [];
  #wake: (() => void) | undefined;

  constructor(
    readonly name: string,
    task: () => Promise<T>,
  ) {
    this.outcome = current.run(this, task).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    void this.outcome.then(() => {
      this.#settled = true;
      this.#wake?.();
    });
  }

  /** Called by the gated functions: waits until the test lets `call` through. */
  gate(call: FsCall): Promise<void> {
    if (this.#free) {
      this.calls.push(call);
      return Promise.resolve();
    }
    return new Promise((go) => {
      this.#waiting.push({ call, go });
      this.#wake?.();
    });
  }

  /**
   * Lets calls through until the next one matches `stop` (it is left waiting
   * and returned), the task ends (`undefined`), or `maxCalls` went through
   * (the next call is left waiting and returned).
   */
  async runUntil(stop: (call: FsCall) => boolean, maxCalls = 10_000): Promise<FsCall | undefined> {
    for (let through = 0; ; through++) {
      const next = await this.#next();
      if (next === undefined) return undefined;
      if (stop(next.call) || through >= maxCalls) return next.call;
      this.#waiting.shift();
      this.calls.push(next.call);
      next.go();
    }
  }

  /** Runs the task to its end. */
  async finish(): Promise<Outcome<T>> {
    await this.runUntil(() => false);
    return this.outcome;
  }

  /** Lets every call through from now on, without waiting for the test. */
  free(): void {
    this.#free = true;
    for (const waiting of this.#waiting.splice(0)) {
      this.calls.push(waiting.call);
      waiting.go();
    }
  }

  /** The call this actor waits at, if any (the task has not ended). */
  #next(): Promise<{ call: FsCall; go: () => void } | undefined> {
    return new Promise((resolve) => {
      const look = () => {
        if (this.#waiting.length > 0) resolve(this.#waiting[0]);
        else if (this.#settled) resolve(undefined);
        else return false;
        this.#wake = undefined;
        return true;
      };
      if (!look()) this.#wake = () => void look();
    });
  }
}

/** Runs `fn` outside any actor (its calls are not gated), e.g. a release by an actor's lock. */
export function outsideActors<R>(fn: () => R): R {
  return current.exit(fn);
}
