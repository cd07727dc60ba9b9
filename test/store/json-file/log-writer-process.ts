/**
 * A child process writing to a log-format JsonFileStore under load, for the
 * crash and multi-process tests of the log:
 * `node --import tsx log-writer-process.ts <file> <prefix> <count|forever> <concurrency> [read|big]`.
 *
 * `concurrency` loops write at once (so writes are group-committed); loop `l`
 * writes records `<prefix>-<l>-<i>`, every fifth one as a transaction of two
 * records (`...-<i>` and `...-<i>-pair`). Each record carries `check`, a
 * function of its id, so a record put together from a torn line would show.
 * After each acknowledged write it prints `ack <id>` (ids of a transaction
 * on one line). With `read`, after each write it also reads the whole store
 * (replaying the others' lines) and prints `saw <count>`. With `big`, loop 0
 * makes every third write a 1.5 MB record (id ending in `-big`): a write
 * large enough for a kill to cut it short.
 */
import { JsonFileStore } from "../../../src/store/json-file/json-file-store.js";
import { loadRecord as record, type LoadRecord } from "./log-test-records.js";

const [file, prefix, countArg, concurrencyArg, readArg] = process.argv.slice(2);
if (!file || !prefix || !countArg || !concurrencyArg)
  throw new Error(
    "usage: log-writer-process.ts <file> <prefix> <count|forever> <concurrency> [read]",
  );
const count = countArg === "forever" ? Number.POSITIVE_INFINITY : Number(countArg);
const store = new JsonFileStore<LoadRecord>({
  path: file,
  lock: { timeoutMs: 60_000 },
  compaction: { minBytes: 64 * 1024 },
});

async function loop(l: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const id = `${prefix}-${l}-${i}${readArg === "big" && l === 0 && i % 3 === 0 ? "-big" : ""}`;
    if (i % 5 === 0) {
      await store.transaction(async (tx) => {
        await tx.put(record(id));
        await tx.put(record(`${id}-pair`));
      });
      process.stdout.write(`ack ${id} ${id}-pair\n`);
    } else {
      await store.put(record(id));
      process.stdout.write(`ack ${id}\n`);
    }
    if (readArg === "read") {
      const all = (await store.query("")) as LoadRecord[];
      process.stdout.write(`saw ${all.length}\n`);
    }
  }
}

await Promise.all(Array.from({ length: Number(concurrencyArg) }, (_, l) => loop(l)));
