/**
 * Prettier on worker threads. Formatting is most of a cold build's time, and
 * files are independent, so a large build spreads them over the machine's
 * cores. Each worker loads prettier once; the pool lives as long as a build
 * session (a watch keeps it warm).
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { PRETTIER_OPTIONS } from "./format-file.js";

/** Formats text on worker threads; `close()` ends the workers. */
export interface FormatPool {
  readonly size: number;
  format(text: string, parsers: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

// A fixed script (no user input): loads prettier by absolute path, formats with the first parser that accepts the text.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const prettier = require(workerData.prettier);
parentPort.on("message", async ({ id, text, parsers }) => {
  let failure;
  for (const parser of parsers) {
    try {
      const out = await prettier.format(text, { ...workerData.options, parser });
      parentPort.postMessage({ id, text: out });
      return;
    } catch (error) {
      failure ??= error;
    }
  }
  parentPort.postMessage({ id, error: failure instanceof Error ? failure.message : String(failure) });
});
`;

/** Worker count worth starting for `jobs` files on this machine (0: format on the main thread). */
export function poolSizeFor(jobs: number): number {
  const cores = availableParallelism();
  // Loading prettier in a worker costs about as much as formatting 20 files.
  if (cores < 2 || jobs < 60) return 0;
  return Math.min(cores, 4, Math.ceil(jobs / 60));
}

export function createFormatPool(size: number): FormatPool {
  const prettier = createRequire(import.meta.url).resolve("prettier");
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void; worker: Worker }>();
  const load = new Map<Worker, number>();
  let nextId = 0;
  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { prettier, options: PRETTIER_OPTIONS } });
    load.set(worker, 0);
    worker.on("message", (message: { id: number; text?: string; error?: string }) => {
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      const left = load.get(worker)! - 1;
      load.set(worker, left);
      if (left === 0) worker.unref();
      if (message.text !== undefined) job.resolve(message.text);
      else job.reject(new Error(`prettier: ${message.error}`));
    });
    worker.on("error", (error) => {
      for (const [id, job] of pending) {
        if (job.worker !== worker) continue;
        pending.delete(id);
        job.reject(error);
      }
    });
    worker.unref(); // an idle pool never keeps the process alive; a busy worker is ref'd
    return worker;
  });
  return {
    size,
    format(text, parsers) {
      // Least-loaded worker: files differ a lot in size.
      let worker = workers[0]!;
      for (const w of workers) if (load.get(w)! < load.get(worker)!) worker = w;
      const id = nextId++;
      load.set(worker, load.get(worker)! + 1);
      worker.ref();
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker });
        worker.postMessage({ id, text, parsers });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
