/**
 * Reading and writing the store's JSON file. Reads report corrupt files with
 * their line and column; writes are atomic (an owned temp file, fsync,
 * rename, then a directory fsync so the rename itself survives a crash).
 */
import fs from "node:fs/promises";
import { dirname } from "node:path";
import { StoreError } from "../../errors/index.js";
import { ioError, isErrno } from "./io-error.js";
import { encodeRecords, fromJsonValue, isStackOverflow } from "./json-codec.js";
import { locateJsonError } from "./locate-json-error.js";
import { tempPathFor } from "./owned-temp-file.js";

/**
 * What identifies one version of the file. Every atomic write renames a new
 * file into place, so the inode changes too, not only mtime and size.
 */
export interface FileSignature {
  readonly ino: number;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** The file's current signature, or `null` when it does not exist. */
export async function fileSignature(path: string): Promise<FileSignature | null> {
  try {
    const s = await fs.stat(path, { bigint: true });
    return { ino: Number(s.ino), size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    throw ioError(`cannot stat ${path}`, error);
  }
}

/** True when both describe the same version of the file (or both say it is missing). */
export function sameSignature(a: FileSignature | null, b: FileSignature | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** The records in the file (`[]` when it does not exist) and the signature of the version read. */
export async function readDataFile(
  path: string,
): Promise<{ records: unknown[]; signature: FileSignature | null }> {
  // Stat before reading: if the file is replaced in between, the next check sees a changed signature and reloads.
  const signature = await fileSignature(path);
  if (signature === null) return { records: [], signature };
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return { records: [], signature: null };
    throw ioError(`cannot read ${path}`, error);
  }
  return { records: parseDataFile(path, text), signature };
}

/**
 * Parses the file's text: a JSON array of records, or JSORM's
 * `{ "meta": { "root": "items" }, "items": [...] }`. Anything else, an empty
 * file included, is StoreError STORE_CORRUPT_FILE naming file, line and column.
 */
export function parseDataFile(path: string, text: string): unknown[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const where = locateJsonError(body) ?? { offset: body.length, line: 0, column: 0 };
    throw new StoreError(
      "STORE_CORRUPT_FILE",
      `${path}:${where.line}:${where.column}: not valid JSON (${(error as Error).message}); the file is left untouched`,
      { cause: error, details: { file: path, ...where } },
    );
  }
  const records = recordsOf(data);
  if (records === undefined) {
    throw new StoreError(
      "STORE_CORRUPT_FILE",
      `${path}:1:1: expected an array of records (or {"meta": {"root": ...}}); the file is left untouched`,
      { details: { file: path, offset: 0, line: 1, column: 1 } },
    );
  }
  return records.map((record, index) => {
    try {
      return fromJsonValue(record);
    } catch (error) {
      if (!(error instanceof StoreError) && !isStackOverflow(error)) throw error;
      const problem = error instanceof StoreError ? error.message : "nested too deeply to load";
      // Valid JSON, so there is no parse position: name the record (1-based, in file order).
      throw new StoreError(
        "STORE_CORRUPT_FILE",
        `${path}: record ${index + 1}: ${problem}; the file is left untouched`,
        { cause: error, details: { file: path, record: index + 1 } },
      );
    }
  });
}

function recordsOf(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  if (data === null || typeof data !== "object") return undefined;
  const meta = (data as { meta?: unknown }).meta;
  if (meta === null || typeof meta !== "object") return undefined;
  const root = (meta as { root?: unknown }).root;
  if (typeof root !== "string" || !Object.hasOwn(data, root)) return undefined;
  const records = (data as Record<string, unknown>)[root];
  return Array.isArray(records) ? records : undefined;
}

/**
 * Writes the records atomically and durably; returns the new file's
 * signature. `beforeRename` (the lock check) runs right before the rename
 * and stops the write by throwing (a StoreError passes through).
 */
export async function writeDataFile(
  path: string,
  records: readonly unknown[],
  beforeRename?: () => Promise<void>,
): Promise<FileSignature> {
  const text = encodeRecords(records); // may throw STORE_ENCODE before anything touches the disk
  try {
    await writeAtomically(path, text, beforeRename);
    await syncDirectory(dirname(path));
  } catch (error) {
    throw ioError(`cannot write ${path}`, error);
  }
  const signature = await fileSignature(path);
  if (signature === null)
    throw new StoreError("STORE_IO", `${path} vanished right after it was written`);
  return signature;
}

/**
 * Writes `text` to a temporary file named after this process (so a crash's
 * leftover can be told from a live writer's, see owned-temp-file.ts), syncs
 * it, keeps the old file's mode, and renames it over `path`. On failure the
 * temporary file is removed and `path` is untouched.
 */
async function writeAtomically(
  path: string,
  text: string,
  beforeRename?: () => Promise<void>,
): Promise<void> {
  const temp = tempPathFor(path);
  const mode = await fs.stat(path).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  try {
    const handle = await fs.open(temp, "wx", mode);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await beforeRename?.();
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** fsync a directory so a rename into it is durable; some platforms cannot, which is not an error. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, "EISDIR") && !isErrno(error, "EINVAL") && !isErrno(error, "EPERM"))
      throw error;
  } finally {
    await handle?.close();
  }
}
