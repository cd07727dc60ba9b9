/**
 * A process that takes the lock on a file again and again, for the lock's
 * kill test: `lock-holder-process <file> <witness>`.
 *
 * Holding the lock, it creates the witness file exclusively (O_EXCL), naming
 * itself, and removes it before releasing. A witness already there is
 * another holder's: fine if that one is dead (killed holding the lock: its
 * witness is removed and this one's created), an overlap if it runs. Prints
 * `held <n>` per acquisition (`held <n> took-over` when it took a dead
 * holder's lock), `overlap <pid>` or `lost` for a broken lock.
 */
import { readFile, unlink, writeFile } from "node:fs/promises";
import { acquireFileLock } from "../../../src/store/json-file/file-lock.js";
import { ownerState, selfIdentity } from "../../../src/store/json-file/process-identity.js";

const [file, witness] = process.argv.slice(2);
if (file === undefined || witness === undefined)
  throw new Error("usage: lock-holder-process <file> <witness>");

/** Creates the witness; returns the pid of a live process whose witness is there instead. */
async function witnessHold(): Promise<number | undefined> {
  for (;;) {
    try {
      await writeFile(witness!, JSON.stringify(selfIdentity), { flag: "wx" });
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let other;
    try {
      other = JSON.parse(await readFile(witness!, "utf8")) as typeof selfIdentity;
    } catch {
      continue; // removed in between, or still being written: look again
    }
    if (ownerState(other) !== "dead") return other.pid;
    await unlink(witness!).catch(() => undefined);
  }
}

for (let n = 1; ; n++) {
  const lock = await acquireFileLock(file, { timeoutMs: 120_000 });
  const overlap = await witnessHold();
  if (overlap !== undefined) process.stdout.write(`overlap ${overlap}\n`);
  process.stdout.write(`held ${n}${lock.tookOverFrom ? " took-over" : ""}\n`);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
  try {
    await lock.assertHeld();
  } catch {
    process.stdout.write("lost\n");
  }
  if (overlap === undefined) await unlink(witness);
  await lock.release();
}
