/**
 * Starts log-writer-process.ts as a child and follows its acknowledgements.
 * Tests kill it by its own handle (`child.kill`) and await `exit`.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./log-writer-process.ts", import.meta.url));

/** A running log-writer-process.ts. */
export interface LogWriter {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Ids whose write the child acknowledged (printed after the write resolved). */
  readonly acked: Set<string>;
  /** Resolves once at least `n` ids are acknowledged. */
  acks(n: number): Promise<void>;
  /** Resolves when the process ended, with what it wrote to stderr. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startLogWriter(
  file: string,
  prefix: string,
  count: number | "forever",
  concurrency: number,
  mode?: "read" | "big",
): LogWriter {
  const args = [file, prefix, String(count), String(concurrency), ...(mode ? [mode] : [])];
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const acked = new Set<string>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let pending = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines)
      if (line.startsWith("ack ")) for (const id of line.slice(4).split(" ")) acked.add(id);
    for (const w of waiters.filter((w) => acked.size >= w.n)) w.resolve();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  exit.then(() => waiters.forEach((w) => w.resolve()));
  return {
    child,
    acked,
    exit,
    acks: (n) =>
      new Promise<void>((resolve) => {
        if (acked.size >= n) resolve();
        else waiters.push({ n, resolve });
      }),
  };
}
