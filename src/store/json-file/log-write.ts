/**
 * Writing the JSON-file log (format in log-line.ts). Appends and snapshots
 * happen under the file's lock (file-lock.ts); with `durability: "fsync"` an
 * append returns only once its lines are on disk, and a snapshot replaces the
 * file atomically (temporary file, fsync, rename, directory fsync).
 */
import type { FileHandle } from "node:fs/promises";
import fs from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { StoreError } from "../../errors/index.js";
import { ioError, isErrno } from "./io-error.js";
import { isStackOverflow, toJsonValue } from "./json-codec.js";
import { randomUUID } from "node:crypto";
import {
  checkLogLine,
  encodeLogLine,
  headerLine,
  linePrefix,
  lineSuffix,
  splitLines,
} from "./log-line.js";
import { tempPathFor } from "./owned-temp-file.js";

/** `fsync`: a write is acknowledged once on disk. `none`: left to the OS (tests, caches). */
export type Durability = "fsync" | "none";

/** The JSON text of a record in a log line; STORE_ENCODE for values JSON cannot hold. */
export function encodeRecord(record: unknown): string {
  try {
    return JSON.stringify(toJsonValue(record));
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    throw new StoreError("STORE_ENCODE", "a record is nested too deeply to store in a JSON file", {
      cause: error,
    });
  }
}

/**
 * Appends `lines` at `offset` (the end of the last good line), cutting off
 * any torn tail a dead writer left past it, with one write and one fsync.
 * Returns the new end of the file. On failure the file is cut back to
 * `offset` (best effort), so no half-written line stays in front of later ones.
 */
export async function appendLines(
  path: string,
  offset: number,
  lines: readonly Buffer[],
  durability: Durability,
): Promise<number> {
  const data = lines.length === 1 ? lines[0]! : Buffer.concat(lines);
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(path, "r+");
    const { size } = await handle.stat();
    if (size !== offset) {
      await assertTornTail(path, handle, offset, size);
      await handle.truncate(offset);
    }
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await handle.write(data, done, data.length - done, offset + done);
      done += bytesWritten;
    }
    if (durability === "fsync") await handle.datasync();
    return offset + data.length;
  } catch (error) {
    if (error instanceof StoreError && error.code === "STORE_LOCK_LOST") throw error;
    await handle?.truncate(offset).catch(() => undefined);
    throw ioError(`cannot append to ${path}`, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * What lies past `offset` may only be a torn tail (a dead writer's cut-off
 * line): a good line there means another writer appended while this one
 * held the lock, which the lock is meant to prevent. Then nothing is cut or
 * written (StoreError STORE_LOCK_LOST, retryable), rather than cutting off
 * that writer's acknowledged lines.
 */
async function assertTornTail(
  path: string,
  handle: FileHandle,
  offset: number,
  size: number,
): Promise<void> {
  const lost = () =>
    new StoreError(
      "STORE_LOCK_LOST",
      `${path} changed under this writer's lock (it ends at byte ${size}, not ${offset}); nothing was written`,
      { details: { file: path }, retryable: true },
    );
  if (size < offset) throw lost();
  const tail = Buffer.alloc(size - offset);
  await handle.read(tail, 0, tail.length, offset);
  const { lines } = splitLines(tail);
  if (lines.some((span) => typeof checkLogLine(tail.subarray(span.start, span.end)) !== "string"))
    throw lost();
}

/** How many records go into one chunk of a snapshot being written (the event loop runs between chunks). */
const CHUNK_RECORDS = 2000;

/**
 * A new log file being written beside `path`: `startSnapshot` writes (and
 * syncs) its snapshot line while writers go on; `finish` appends the lines
 * written to the old file since, syncs, and renames it over `path` (the
 * caller holds the lock for that part only); `discard` removes it if it was
 * not renamed.
 */
export class SnapshotDraft {
  #renamed = false;

  private constructor(
    readonly path: string,
    readonly temp: string,
    private handle: FileHandle | undefined,
    /** The id in the new file's header line. */
    readonly file: string,
    /** Bytes of the header and snapshot lines. */
    readonly snapshotBytes: number,
    private readonly durability: Durability,
  ) {}

  static async start(
    path: string,
    records: readonly unknown[],
    durability: Durability,
  ): Promise<SnapshotDraft> {
    const temp = tempPathFor(path);
    const mode = await fs.stat(path).then(
      (s) => s.mode & 0o7777,
      () => undefined,
    );
    let handle: FileHandle | undefined;
    try {
      handle = await fs.open(temp, "wx", mode);
      const file = randomUUID();
      const header = headerLine(file);
      await handle.write(header, 0, header.length, 0);
      const bytes = await writeSnapshotLine(handle, records, header.length);
      if (durability === "fsync") await handle.sync();
      return new SnapshotDraft(path, temp, handle, file, bytes, durability);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await fs.unlink(temp).catch(() => undefined);
      throw ioError(`cannot write a snapshot of ${path}`, error);
    }
  }

  /**
   * Appends `tail`, syncs and renames over the file; returns the new file's
   * size. `beforeRename` (the lock check) runs right before the rename, as
   * late as it can, and stops it by throwing.
   */
  async finish(tail: Buffer, beforeRename?: () => Promise<void>): Promise<number> {
    const handle = this.handle!;
    try {
      let done = 0;
      while (done < tail.length) {
        const { bytesWritten } = await handle.write(
          tail,
          done,
          tail.length - done,
          this.snapshotBytes + done,
        );
        done += bytesWritten;
      }
      if (this.durability === "fsync" && tail.length > 0) await handle.datasync();
      await handle.close();
      this.handle = undefined;
      await beforeRename?.();
      await fs.rename(this.temp, this.path);
      this.#renamed = true;
      if (this.durability === "fsync") await syncDirectory(dirname(this.path));
      return this.snapshotBytes + tail.length;
    } catch (error) {
      throw ioError(`cannot write ${this.path}`, error);
    }
  }

  /** Removes the temporary file unless it became the log. */
  async discard(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    if (!this.#renamed) await fs.unlink(this.temp).catch(() => undefined);
  }
}

/** Writes the snapshot line at `start` in chunks (the CRC runs along); returns where it ends. */
async function writeSnapshotLine(
  handle: FileHandle,
  records: readonly unknown[],
  start: number,
): Promise<number> {
  const prefix = Buffer.from(linePrefix("snapshot"));
  let position = start;
  const put = async (chunk: Buffer) => {
    await handle.write(chunk, 0, chunk.length, position);
    position += chunk.length;
  };
  await put(prefix);
  let crc = 0;
  let length = 0;
  for (let from = 0; from === 0 || from < records.length; from += CHUNK_RECORDS) {
    const parts: string[] = [];
    for (let i = from; i < Math.min(records.length, from + CHUNK_RECORDS); i++)
      parts.push(encodeRecord(records[i]));
    const text = `${from === 0 ? "[" : ","}${parts.join(",")}${from + CHUNK_RECORDS >= records.length ? "]" : ""}`;
    const chunk = Buffer.from(text, "utf8");
    crc = crc32(chunk, crc);
    length += chunk.length;
    await put(chunk);
  }
  await put(Buffer.from(lineSuffix(length, crc)));
  return position;
}

/** A put line for `record`. */
export function putLine(record: unknown): Buffer {
  return encodeLogLine("put", encodeRecord(record));
}

/** A delete line for `id`. */
export function deleteLine(id: string | number): Buffer {
  return encodeLogLine("delete", JSON.stringify(id));
}

/** A transaction line: its changes in order. */
export function transactionLine(
  changes: readonly ({ put: unknown } | { delete: string | number })[],
): Buffer {
  const parts = changes.map((change) =>
    "put" in change
      ? `{"put":${encodeRecord(change.put)}}`
      : `{"delete":${JSON.stringify(change.delete)}}`,
  );
  return encodeLogLine("tx", `[${parts.join(",")}]`);
}

/** fsync a directory so a rename into it is durable; some platforms cannot, which is not an error. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
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
