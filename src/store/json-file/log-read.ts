/**
 * Reading the JSON-file log (format in log-line.ts): the whole file, or only
 * the lines appended since a known offset of the same file.
 *
 * A reader follows one file by the id in its header line (not its inode
 * number, which a later file may reuse).
 *
 * Recovery rule: lines are applied in order while they pass their checks. A
 * bad or incomplete line with no good line after it is a torn tail (a crash
 * mid-append, or an append still being written) and is ignored; a bad line
 * followed by a good one is corruption: StoreError STORE_CORRUPT_FILE naming
 * the line, and nothing is applied from it on.
 */
import type { FileHandle } from "node:fs/promises";
import fs from "node:fs/promises";
import { StoreError } from "../../errors/index.js";
import type { Id } from "../types.js";
import { ioError, isErrno } from "./io-error.js";
import { decodeInPlace, fromJsonValue, isStackOverflow } from "./json-codec.js";
import type { FileSignature } from "./data-file.js";
import { checkLogLine, parseHeader, splitLines, type CheckedLine } from "./log-line.js";

/** One change a line asks for. */
export type LogChange = { readonly put: Record<string, unknown> } | { readonly delete: Id };

/** The changes of one committed line (a transaction's, or a single put/delete), with its line number. */
export interface LogEntry {
  readonly line: number;
  readonly changes: readonly LogChange[];
}

/** Where a reader stands in the log: the file (its header's id), the bytes and lines applied. */
export interface LogPosition {
  readonly file: string;
  readonly offset: number;
  readonly line: number;
}

/** What one read found. */
export interface LogRead {
  /** `full`: the snapshot and every line; `tail`: the lines after the position given; `missing`: no file (or an empty one). */
  readonly kind: "full" | "tail" | "missing";
  /** The snapshot's records (decoded, the reader's to keep), for `full`. */
  readonly snapshot?: readonly unknown[];
  /** Whether the snapshot's text was found free of text no store keeps (so records need no check for it). */
  readonly textChecked?: boolean;
  /** The snapshot line's size in bytes, for `full`. */
  readonly snapshotBytes?: number;
  readonly entries: readonly LogEntry[];
  /** The position after the last good line. */
  readonly position: LogPosition;
  /** The file's size when read: bytes past `position.offset` are a torn (or still growing) tail. */
  readonly size: number;
  /** The file's signature when read (`null`: no file). */
  readonly signature: FileSignature | null;
}

/**
 * Reads what is new since `from` (the lines after it, if the file is still
 * the same file, by its header id, and not shorter), else the whole file.
 */
export async function readLog(path: string, from?: LogPosition): Promise<LogRead> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, "r");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return missing(null);
    throw ioError(`cannot read ${path}`, error);
  }
  try {
    const stat = await handle.stat({ bigint: true });
    const signature: FileSignature = {
      ino: Number(stat.ino),
      size: Number(stat.size),
      mtimeNs: stat.mtimeNs,
      ctimeNs: stat.ctimeNs,
    };
    const size = signature.size;
    if (size === 0) return missing(signature);
    if (from !== undefined && size >= from.offset && (await fileId(handle, size)) === from.file) {
      const buffer = Buffer.allocUnsafe(size - from.offset);
      await readFully(handle, buffer, from.offset);
      return { kind: "tail", ...parseLines(path, buffer, from, 0), size, signature };
    }
    const buffer = Buffer.allocUnsafe(size);
    await readFully(handle, buffer, 0);
    return { kind: "full", ...parseWhole(path, buffer), size, signature };
  } catch (error) {
    throw ioError(`cannot read ${path}`, error);
  } finally {
    await handle.close();
  }
}

/** The id in the file's header line, or `undefined` when it has none. */
async function fileId(handle: FileHandle, size: number): Promise<string | undefined> {
  const buffer = Buffer.allocUnsafe(Math.min(size, 512));
  await readFully(handle, buffer, 0);
  const end = buffer.indexOf(0x0a);
  return end < 0 ? undefined : parseHeader(buffer.subarray(0, end))?.file;
}

function missing(signature: FileSignature | null): LogRead {
  return {
    kind: "missing",
    entries: [],
    position: { file: "", offset: 0, line: 0 },
    size: 0,
    signature,
  };
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) break; // the file shrank under us: what is missing reads as a torn tail
    done += bytesRead;
  }
  if (done < buffer.length) buffer.fill(0, done);
}

function parseWhole(
  path: string,
  buffer: Buffer,
): Omit<LogRead, "kind" | "size" | "signature"> & {
  snapshot: unknown[];
  snapshotBytes: number;
  textChecked: boolean;
} {
  const headerEnd = buffer.indexOf(0x0a);
  const header = headerEnd < 0 ? undefined : parseHeader(buffer.subarray(0, headerEnd));
  if (header === undefined) {
    const start = buffer.toString("utf8", 0, Math.min(buffer.length, 64)).trimStart();
    if (start.startsWith("[") || (start.startsWith("{") && !start.startsWith('{"header":')))
      throw new StoreError(
        "STORE_WRONG_FORMAT",
        `${path} is a whole-file JSON store, not a log: open it with format: "json", or convert it once with convertJsonFileToLog(path)`,
        { details: { file: path } },
      );
    throw corrupt(path, 1, "expected the log's header line");
  }
  const snapshotEnd = buffer.indexOf(0x0a, headerEnd + 1);
  const second = checkLogLine(
    buffer.subarray(headerEnd + 1, snapshotEnd < 0 ? buffer.length : snapshotEnd),
  );
  if (typeof second === "string" || second.kind !== "snapshot")
    throw corrupt(
      path,
      2,
      `expected the snapshot line (${typeof second === "string" ? second : `a ${second.kind} line`})`,
    );
  const { records: snapshot, textChecked } = decodeSnapshot(path, second);
  const snapshotBytes = snapshotEnd + 1;
  const rest = parseLines(path, buffer, { file: header.file, offset: 0, line: 2 }, snapshotBytes);
  return { snapshot, snapshotBytes, textChecked, ...rest };
}

/**
 * The good lines of `buffer` from byte `start` (the first being line
 * `from.line + 1`), applying the recovery rule above.
 */
function parseLines(
  path: string,
  buffer: Buffer,
  from: LogPosition,
  start: number,
): { entries: LogEntry[]; position: LogPosition } {
  const { lines } = splitLines(buffer, start);
  const entries: LogEntry[] = [];
  let offset = start;
  let line = from.line;
  for (let i = 0; i < lines.length; i++) {
    const span = lines[i]!;
    const checked = checkLogLine(buffer.subarray(span.start, span.end));
    if (typeof checked === "string" || checked.kind === "snapshot" || checked.kind === "header") {
      const problem =
        typeof checked === "string" ? checked : `a ${checked.kind} line after the start`;
      const laterGood = lines
        .slice(i + 1)
        .some((later) => typeof checkLogLine(buffer.subarray(later.start, later.end)) !== "string");
      if (laterGood) throw corrupt(path, line + 1, problem);
      break; // a torn tail: ignored
    }
    entries.push({ line: line + 1, changes: decodeChanges(path, line + 1, checked) });
    offset = span.end + 1;
    line++;
  }
  // Buffer index 0 is file offset `from.offset` (0 for a whole-file read).
  return { entries, position: { file: from.file, offset: from.offset + offset, line } };
}

/** Text that could decode to a tag or a prototype key: without it the snapshot needs no decoding walk. */
const NEEDS_DECODING = /"(?:\$(?:date|number|regexp|escape)|__proto__|constructor|prototype)"/;
/** JSON escapes that could decode to text no store keeps (U+0000, a lone surrogate). */
const MAYBE_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/;

function decodeSnapshot(
  path: string,
  checked: CheckedLine,
): { records: unknown[]; textChecked: boolean } {
  const records = parsePayload(path, 2, checked.payload);
  if (!Array.isArray(records)) throw corrupt(path, 2, "the snapshot is not an array of records");
  // UTF-8 decoding never yields U+0000 or a lone surrogate; only these escapes can.
  const textChecked = !MAYBE_UNSTORABLE.test(checked.payload);
  if (!NEEDS_DECODING.test(checked.payload)) return { records, textChecked };
  for (let i = 0; i < records.length; i++) {
    try {
      records[i] = decodeInPlace(records[i]);
    } catch (error) {
      if (!(error instanceof StoreError) && !isStackOverflow(error)) throw error;
      const problem = error instanceof StoreError ? error.message : "nested too deeply to load";
      throw corrupt(path, 2, `record ${i + 1}: ${problem}`, error);
    }
  }
  return { records, textChecked };
}

function decodeChanges(path: string, line: number, checked: CheckedLine): LogChange[] {
  const value = parsePayload(path, line, checked.payload);
  if (checked.kind === "put") return [{ put: decodeRecord(path, line, value) }];
  if (checked.kind === "delete") return [{ delete: decodeId(path, line, value) }];
  if (!Array.isArray(value)) throw corrupt(path, line, "a transaction is not an array");
  return value.map((change: unknown) => {
    if (change !== null && typeof change === "object" && !Array.isArray(change)) {
      if (Object.hasOwn(change, "put"))
        return { put: decodeRecord(path, line, (change as { put: unknown }).put) };
      if (Object.hasOwn(change, "delete"))
        return { delete: decodeId(path, line, (change as { delete: unknown }).delete) };
    }
    throw corrupt(path, line, "a transaction holds something other than put and delete");
  });
}

function decodeRecord(path: string, line: number, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw corrupt(path, line, "a put without a record");
  return decodeValue(path, line, value, "the record") as Record<string, unknown>;
}

function decodeId(path: string, line: number, value: unknown): Id {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))
    return value;
  throw corrupt(path, line, "a delete without an id");
}

function decodeValue(path: string, line: number, value: unknown, what: string): unknown {
  try {
    return fromJsonValue(value);
  } catch (error) {
    if (!(error instanceof StoreError) && !isStackOverflow(error)) throw error;
    const problem = error instanceof StoreError ? error.message : "nested too deeply to load";
    throw corrupt(path, line, `${what}: ${problem}`, error);
  }
}

function parsePayload(path: string, line: number, payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw corrupt(path, line, `not valid JSON (${(error as Error).message})`, error);
  }
}

/** STORE_CORRUPT_FILE naming the file and line; the file is never changed by the reader. */
export function corrupt(path: string, line: number, problem: string, cause?: unknown): StoreError {
  return new StoreError(
    "STORE_CORRUPT_FILE",
    `${path}:${line}: ${problem}; the file is left untouched`,
    { details: { file: path, line }, ...(cause === undefined ? {} : { cause }) },
  );
}

/** The bytes of `path` from `start` to `end` (lines already checked by the caller's read). */
export async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(end - start);
  if (buffer.length === 0) return buffer;
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(path, "r");
    await readFully(handle, buffer, start);
    return buffer;
  } catch (error) {
    throw ioError(`cannot read ${path}`, error);
  } finally {
    await handle?.close();
  }
}
