/**
 * A process that takes the lock on a file again and again, for the lock's
 * kill test: `lock-holder-process <file> <witness>`.
 *
 * Holding the lock, it creates the witness file exclusively (link(2)), naming
 * itself, and removes it before releasing. A witness already there is
 * another holder's: fine if that one is dead (killed holding the lock: its
 * witness is removed and this one's created), an overlap if it runs. Prints
 * `held <n>` per acquisition (`held <n> took-over` when it took a dead
 * holder's lock), `overlap <pid>` or `lost` for a broken lock.
 */
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { acquireFileLock } from "../../../src/store/json-file/file-lock.js";
import { ownerState, selfIdentity } from "../../../src/store/json-file/process-identity.js";

const [file, witness] = process.argv.slice(2);
if (file === undefined || witness === undefined)
  throw new Error("usage: lock-holder-process <file> <witness>");

/**
 * Creates the witness; returns the pid of a live process whose witness is
 * there instead. Written beside it and hard-linked into place (link fails
 * with EEXIST), so a holder killed while writing it never leaves it empty.
 */
async function witnessHold(): Promise<number | undefined> {
  const temp = `${witness!}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(selfIdentity));
  try {
    for (;;) {
      try {
        await link(temp, witness!);
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      let other: typeof selfIdentity;
      try {
        other = JSON.parse(await readFile(witness!, "utf8")) as typeof selfIdentity;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      if (ownerState(other) !== "dead") return other.pid;
      await unlink(witness!).catch(() => undefined);
    }
  } finally {
    await unlink(temp);
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
