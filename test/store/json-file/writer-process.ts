/**
 * A separate process writing to a JsonFileStore, for the multi-process and
 * crash tests: `node --import tsx writer-process.ts <file> <prefix> <count|forever> [recordSize]`.
 * Prints one line `wrote <n>` after each acknowledged write.
 *
 * `writer-process.ts <file> hold` takes the file's lock, prints `holding`, and
 * keeps it until killed (a writer that dies inside its critical section).
 * The environment variable WRITER_FORMAT (`log` | `json`) picks the file format.
 */
import { acquireFileLock } from "../../../src/store/json-file/file-lock.js";
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";

const [file, prefix, countArg, sizeArg] = process.argv.slice(2);
if (file !== undefined && prefix === "hold") {
  await acquireFileLock(file);
  process.stdout.write("holding\n");
  setInterval(() => undefined, 60_000);
} else {
  if (file === undefined || prefix === undefined || countArg === undefined) {
    throw new Error("usage: writer-process.ts <file> <prefix> <count|forever> [recordSize]");
  }
  const count = countArg === "forever" ? Number.POSITIVE_INFINITY : Number(countArg);
  const padding = "x".repeat(Number(sizeArg ?? 0));
  const store = new JsonFileStore<{ id: string; n: number; at: Date; padding: string }>({
    path: file,
    ...(process.env.WRITER_FORMAT === "json" ? { format: "json" as const } : {}),
  });
  for (let n = 1; n <= count; n++) {
    await store.put({ id: `${prefix}-${n % 1000}`, n, at: new Date(n), padding });
    process.stdout.write(`wrote ${n}\n`);
  }
}
