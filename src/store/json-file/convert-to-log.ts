/**
 * `convertJsonFileToLog(path)`: turns a whole-file JSON store (`format:
 * "json"`) into the log format in place, once, under the file's lock. The new
 * file replaces the old one atomically (temporary file, fsync, rename,
 * directory fsync), so a crash leaves one or the other, never a mix.
 */
import { open } from "node:fs/promises";
import { resolve } from "node:path";
import { PerstoreError, StoreError } from "../../errors/index.js";
import { MemoryStore } from "../memory/memory-store.js";
import { readDataFile } from "./data-file.js";
import { withFileLock, type FileLockOptions } from "./file-lock.js";
import { JsonFileStore } from "./json-file-store.js";
import { ioError, isErrno } from "./io-error.js";
import { linePrefix } from "./log-line.js";
import { SnapshotDraft, type Durability } from "./log-write.js";

/** Options of `convertJsonFileToLog`. */
export interface ConvertToLogOptions {
  /** The id property of the records (default `id`), checked for duplicates before anything is written. */
  readonly idProperty?: string;
  readonly lock?: FileLockOptions;
  readonly durability?: Durability;
}

/**
 * Converts the whole-file JSON store at `path` to the log format. Returns how
 * many records it holds and whether it was converted (`false`: it already was
 * a log). A missing or corrupt file is an error (STORE_IO / STORE_CORRUPT_FILE)
 * and nothing is written.
 * @example
 * await convertJsonFileToLog("data/people.json");
 * const people = new JsonFileStore({ path: "data/people.json" }); // format "log"
 */
export async function convertJsonFileToLog(
  path: string,
  options: ConvertToLogOptions = {},
): Promise<{ records: number; converted: boolean }> {
  const file = resolve(path);
  return withFileLock(
    file,
    async (lock) => {
      if (await isLog(file)) {
        const store = new JsonFileStore({ path: file, idProperty: options.idProperty ?? "id" });
        const count = await store.query("");
        return { records: (count as unknown[]).length, converted: false };
      }
      const { records, signature } = await readDataFile(file);
      if (signature === null)
        throw new StoreError("STORE_IO", `cannot convert ${file}: there is no such file`);
      checkLoads(file, records, options.idProperty ?? "id");
      const draft = await SnapshotDraft.start(file, records, options.durability ?? "fsync");
      try {
        await draft.finish(Buffer.alloc(0), () => lock.assertHeld());
      } finally {
        await draft.discard();
      }
      return { records: records.length, converted: true };
    },
    options.lock,
  );
}

/** True when the file starts with a log's header line. */
async function isLog(file: string): Promise<boolean> {
  const prefix = linePrefix("header");
  let handle;
  try {
    handle = await open(file, "r");
    const buffer = Buffer.alloc(prefix.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.toString("latin1", 0, bytesRead) === prefix;
  } catch (error) {
    if (isErrno(error, "ENOENT")) return false;
    throw ioError(`cannot read ${file}`, error);
  } finally {
    await handle?.close();
  }
}

/** Refuses records a store could not load (duplicate ids, bad ids) before anything is written. */
function checkLoads(file: string, records: readonly unknown[], idProperty: string): void {
  try {
    new MemoryStore({ idProperty, data: records as object[] });
  } catch (error) {
    const reason =
      error instanceof PerstoreError ? `${error.code}: ${error.message}` : String(error);
    throw new StoreError(
      "STORE_CORRUPT_FILE",
      `${file}: its records cannot be loaded (${reason}); the file is left untouched`,
      { cause: error, details: { file } },
    );
  }
}
