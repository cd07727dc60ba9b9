/**
 * Timing for benchmarks: warm-up runs (so the JIT has compiled the code
 * under test), then several timed runs, reported by their median, which a
 * single GC pause cannot move much. Each run records both wall time and the
 * process's CPU time: on a shared, loaded machine the wall time of a run
 * swings 2-3x with the neighbours while its CPU time stays within ~10%.
 */
import { performance } from "node:perf_hooks";

export interface MeasureOptions {
  /** Untimed runs first; default 2. */
  readonly warmup?: number;
  /** Timed runs; default 7. */
  readonly iterations?: number;
}

/** What one benchmark took, in milliseconds per run. */
export interface Measurement<R = unknown> {
  /** Median CPU time (user + system, all threads of this process). */
  readonly median: number;
  /** Median wall-clock time. */
  readonly wallMedian: number;
  readonly min: number;
  readonly max: number;
  /** CPU time of each timed run. */
  readonly samples: readonly number[];
  readonly wallSamples: readonly number[];
  /** The last run's result, so callers can assert it and the JIT cannot drop the work. */
  readonly result: R;
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) throw new Error("median of nothing");
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function summarize<R>(samples: number[], wallSamples: number[], result: R): Measurement<R> {
  return {
    median: median(samples),
    wallMedian: median(wallSamples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
    wallSamples,
    result,
  };
}

/** Starts a clock; calling the result gives `[cpu, wall]` milliseconds since. */
function startClock(): () => [number, number] {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return [(used.user + used.system) / 1000, performance.now() - wall];
  };
}

/**
 * Times `run` after an untimed `setup` before every run (warm-ups included),
 * so per-run preparation such as making journal entries is not counted.
 *
 * @example
 * const m = await measure(() => store.journal.length, () => store.reject(), { iterations: 5 });
 */
export async function measure<S, R>(
  setup: () => S | Promise<S>,
  run: (state: S) => R | Promise<R>,
  options: MeasureOptions = {},
): Promise<Measurement<Awaited<R>>> {
  const warmup = options.warmup ?? 2;
  const iterations = options.iterations ?? 7;
  let result: Awaited<R> | undefined;
  for (let i = 0; i < warmup; i++) result = await run(await setup());
  const samples: number[] = [];
  const wallSamples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const state = await setup();
    const stop = startClock();
    result = await run(state);
    const [cpu, wall] = stop();
    samples.push(cpu);
    wallSamples.push(wall);
  }
  return summarize(samples, wallSamples, result as Awaited<R>);
}

/**
 * Times a synchronous `run` with no setup; no promise machinery inside the
 * timed region, so microsecond-scale work is measured fairly.
 */
export function measureSync<R>(run: () => R, options: MeasureOptions = {}): Measurement<R> {
  const warmup = options.warmup ?? 2;
  const iterations = options.iterations ?? 7;
  let result: R | undefined;
  for (let i = 0; i < warmup; i++) result = run();
  const samples: number[] = [];
  const wallSamples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const stop = startClock();
    result = run();
    const [cpu, wall] = stop();
    samples.push(cpu);
    wallSamples.push(wall);
  }
  return summarize(samples, wallSamples, result as R);
}
