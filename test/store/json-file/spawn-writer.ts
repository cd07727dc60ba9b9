/**
 * Starts writer-process.ts as a child process and follows what it prints:
 * `written(n)` resolves once it acknowledged n writes, `holding` once it holds
 * the lock. Tests kill it by its own handle (`child.kill`) and await `exit`.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const writer = fileURLToPath(new URL("./writer-process.ts", import.meta.url));

/** A running writer-process.ts. */
export interface WriterProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves when the process ended (by itself or killed), with what it wrote to stderr. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves once the child has acknowledged `n` writes. */
  written(n: number): Promise<void>;
  /** How many writes the child has acknowledged so far. */
  acknowledged(): number;
  /** Resolves once the child holds the lock (mode `hold`). */
  readonly holding: Promise<void>;
}

/** `args`: `[prefix, count | "forever", recordSize?]`, or `["hold"]`; `format`: the store's file format (default: the store's default). */
export function startWriter(
  file: string,
  args: readonly (string | number)[],
  options: { readonly format?: "log" | "json" } = {},
): WriterProcess {
  const child = spawn(process.execPath, ["--import", "tsx", writer, file, ...args.map(String)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...(options.format ? { WRITER_FORMAT: options.format } : {}) },
  });
  let stdout = "";
  let stderr = "";
  let count = 0;
  let onHolding!: () => void;
  const holding = new Promise<void>((resolve) => (onHolding = resolve));
  const waiters: { n: number; resolve: () => void }[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split("\n");
    stdout = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "holding") onHolding();
      else if (line.startsWith("wrote ")) count = Number(line.slice(6));
    }
    for (const w of waiters.filter((w) => count >= w.n)) w.resolve();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    // "close", not "exit": every line it printed has been read by then.
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    exit,
    holding,
    acknowledged: () => count,
    written: (n) => new Promise<void>((resolve) => waiters.push({ n, resolve })),
  };
}
