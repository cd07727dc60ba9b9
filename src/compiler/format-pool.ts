/**
 * Prettier on worker threads. Formatting is most of a cold build's time, and
 * files are independent, so a large build spreads them over the machine's
 * cores. Each worker loads prettier once; the pool lives as long as a build
 * session (a watch keeps it warm).
 *
 * A worker first tries `printJsAfter` (print-js.ts: plain JavaScript printed
 * as prettier prints it, at a fraction of the cost) and runs prettier only
 * when that declines; where print-js cannot be loaded (tests running the
 * TypeScript sources), prettier alone gives the same text.
 *
 * Every job is posted to every worker, and a worker takes the next job by
 * bumping a shared counter (Atomics): whichever worker is free formats the
 * next file, without a round trip through the main thread, which is busy
 * emitting while the workers format. (Assigning jobs up front left one
 * worker idle while the other still had a queue: files and threads differ
 * in speed.) Posting a text twice costs microseconds; formatting it costs
 * milliseconds.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { PRETTIER_OPTIONS } from "./format-file.js";
import { printJsAfter } from "./print-js.js";

/** Formats text on worker threads; `close()` ends the workers. */
export interface FormatPool {
  readonly size: number;
  /** Format `text`, whose first `preformattedLines` lines are already as prettier prints them. */
  format(text: string, parsers: readonly string[], preformattedLines?: number): Promise<string>;
  /**
   * Format queued jobs on the calling thread too, while the next one is
   * print-js's (prettier's are left to the workers, which have it loaded):
   * for a caller with nothing else to do but wait for the pool.
   */
  help(): void;
  close(): Promise<void>;
}

// A fixed script (no user input): loads prettier by absolute path when first needed; claims job
// numbers from the shared counter, formats each with the first parser that accepts its text. Jobs arrive in the same order at
// every worker, so a claimed number that has not arrived yet arrives later on this worker too.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
// prettier is loaded by the first job print-js declines (often none but a few project files).
let prettier;
let printJsAfter;
const printJsReady = import(workerData.printJs).then(
  (module) => { printJsAfter = module.printJsAfter; },
  () => {},
);
const next = new Int32Array(workerData.counter);
const jobs = new Map();
let received = 0;
let claimed = -1;
let running = false;
async function format({ seq, text, parsers, lines }) {
  await printJsReady;
  try {
    const fast = printJsAfter?.(text, lines);
    if (fast !== undefined) return { seq, text: fast };
  } catch {
    // prettier decides
  }
  let failure;
  prettier ??= require(workerData.prettier);
  for (const parser of parsers) {
    try {
      return { seq, text: await prettier.format(text, { ...workerData.options, parser }) };
    } catch (error) {
      failure ??= error;
    }
  }
  return { seq, error: failure instanceof Error ? failure.message : String(failure) };
}
async function pump() {
  if (running) return;
  running = true;
  for (;;) {
    if (claimed < 0) {
      if (Atomics.load(next, 0) >= received) break;
      claimed = Atomics.add(next, 0, 1);
      // Every lower number is someone's already: forget those texts.
      for (const seq of jobs.keys()) {
        if (seq >= claimed) break;
        jobs.delete(seq);
      }
    }
    const job = jobs.get(claimed);
    if (job === undefined) break;
    jobs.delete(claimed);
    claimed = -1;
    parentPort.postMessage(await format(job));
  }
  running = false;
}
parentPort.on("message", (job) => {
  if (job.seq < Atomics.load(next, 0) && job.seq !== claimed) {
    received = job.seq + 1;
    return;
  }
  jobs.set(job.seq, job);
  received = job.seq + 1;
  void pump();
});
`;

/** Worker count worth starting for `jobs` files on this machine (0: format on the main thread). */
export function poolSizeFor(jobs: number): number {
  const cores = availableParallelism();
  // Loading prettier in a worker costs about as much as formatting 20 files.
  if (cores < 2 || jobs < 60) return 0;
  // The main thread emits all the while: a worker per other core. More only compete with it (on 2
  // cores, 2 workers cost a 200-model build ~1 s more CPU and wall than 1: each warms up prettier).
  return Math.min(cores - 1, 4, Math.ceil(jobs / 60));
}

/** print-js beside this module (print-js.js in dist/; under a TypeScript loader, print-js.ts). */
const PRINT_JS = new URL(
  import.meta.url.endsWith(".ts") ? "./print-js.ts" : "./print-js.js",
  import.meta.url,
).href;

export function createFormatPool(size: number): FormatPool {
  const prettier = createRequire(import.meta.url).resolve("prettier");
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  /** Jobs not settled yet, for `help`. */
  const queued = new Map<number, { text: string; lines: number }>();
  const pending = new Map<
    number,
    { resolve: (text: string) => void; reject: (error: Error) => void }
  >();
  let seq = 0;
  const settle = (message: { seq: number; text?: string; error?: string }): void => {
    const job = pending.get(message.seq);
    if (!job) return;
    pending.delete(message.seq);
    queued.delete(message.seq);
    // An idle pool never keeps the process alive; a busy one does.
    if (pending.size === 0) for (const w of workers) w.unref();
    if (message.text !== undefined) job.resolve(message.text);
    else job.reject(new Error(`prettier: ${message.error}`));
  };
  const fail = (error: Error): void => {
    // A dead worker may hold claimed jobs: fail everything outstanding rather than hang.
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { prettier, printJs: PRINT_JS, options: PRETTIER_OPTIONS, counter },
    });
    worker.on("message", settle);
    worker.on("error", fail);
    worker.unref();
    return worker;
  });
  return {
    size,
    format(text, parsers, preformattedLines = 0) {
      const job = seq++;
      if (pending.size === 0) for (const w of workers) w.ref();
      return new Promise<string>((resolve, reject) => {
        pending.set(job, { resolve, reject });
        queued.set(job, { text, lines: preformattedLines });
        for (const w of workers)
          w.postMessage({ seq: job, text, parsers, lines: preformattedLines });
      });
    },
    help() {
      for (;;) {
        const claim = Atomics.load(next, 0);
        const job = queued.get(claim);
        if (claim >= seq || job === undefined) return;
        const text = printJsAfter(job.text, job.lines);
        if (text === undefined) return;
        // Claimed only if no worker took this number meanwhile (then try the next one).
        if (Atomics.compareExchange(next, 0, claim, claim + 1) === claim)
          settle({ seq: claim, text });
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
