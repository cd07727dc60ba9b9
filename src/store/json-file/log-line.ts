/**
 * One line of the JSON-file log. Every line is a JSON object on its own line
 * (JSON Lines), so `jq` and `less` can read the file:
 *
 *   {"<kind>":<payload>,"len":<bytes of payload>,"crc":"<CRC-32 of payload, 8 hex digits>"}\n
 *
 * `kind` is `header` (the first line: `{"format":"perstore-log","version":1,
 * "file":"<random id>"}`, the id naming this file so a reader never mistakes
 * a new file that reuses an inode number for the one it read), `snapshot`
 * (the second line: an array of every record), `put` (a
 * record as stored), `delete` (an id) or `tx` (a transaction: an array of
 * `{"put": record}` / `{"delete": id}` in the order they were made). The
 * length and checksum cover the payload's UTF-8 bytes, so a line cut short
 * by a crash, or changed on disk, is recognised before anything is applied.
 * Values use json-codec.ts's tags (`{"$date": ...}`).
 */
import { crc32 } from "node:zlib";

/** The kinds of line a log holds. */
export type LogLineKind = "header" | "snapshot" | "put" | "delete" | "tx";

const KINDS: ReadonlySet<string> = new Set(["header", "snapshot", "put", "delete", "tx"]);
const SUFFIX_START = Buffer.from(',"len":');
const SUFFIX = /^,"len":(\d{1,15}),"crc":"([0-9a-f]{8})"\}$/;
const NEWLINE = 0x0a;

/** The text of a line around `payload` (its JSON text), newline included. */
export function encodeLogLine(kind: LogLineKind, payload: string): Buffer {
  const body = Buffer.from(payload, "utf8");
  return Buffer.concat([
    Buffer.from(`{"${kind}":`),
    body,
    Buffer.from(lineSuffix(body.length, crc32(body))),
  ]);
}

/** The end of a line whose payload has this length and CRC-32. */
export function lineSuffix(length: number, crc: number): string {
  return `,"len":${length},"crc":"${crc.toString(16).padStart(8, "0")}"}\n`;
}

/** The beginning of a line of this kind (its payload follows). */
export function linePrefix(kind: LogLineKind): string {
  return `{"${kind}":`;
}

/** A line that passed its checks: its kind and its payload's JSON text. */
export interface CheckedLine {
  readonly kind: LogLineKind;
  readonly payload: string;
}

/** Checks one line (without its newline); a string saying what is wrong, or the checked line. */
export function checkLogLine(line: Buffer): CheckedLine | string {
  if (line.length < 4 || line[0] !== 0x7b || line[1] !== 0x22) return "not a log line";
  const kindEnd = line.indexOf('":', 2);
  if (kindEnd < 0) return "not a log line";
  const kind = line.toString("latin1", 2, kindEnd);
  if (!KINDS.has(kind)) return "not a log line";
  const suffixAt = line.lastIndexOf(SUFFIX_START);
  if (suffixAt < kindEnd + 2) return "no length and checksum";
  const suffix = SUFFIX.exec(line.toString("latin1", suffixAt));
  if (!suffix) return "no length and checksum";
  const payload = line.subarray(kindEnd + 2, suffixAt);
  if (payload.length !== Number(suffix[1]))
    return `length ${payload.length}, the line says ${suffix[1]}`;
  if (crc32(payload) !== Number.parseInt(suffix[2]!, 16)) return "checksum mismatch";
  return { kind: kind as LogLineKind, payload: payload.toString("utf8") };
}

/** A line found in a buffer: where it starts and ends (newline excluded). */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
}

/** The complete lines (ending in a newline) of `buffer` from `from`; `rest` is where the incomplete tail starts. */
export function splitLines(buffer: Buffer, from = 0): { lines: LineSpan[]; rest: number } {
  const lines: LineSpan[] = [];
  let start = from;
  for (;;) {
    const end = buffer.indexOf(NEWLINE, start);
    if (end < 0) break;
    lines.push({ start, end });
    start = end + 1;
  }
  return { lines, rest: start };
}

/** What the header line of a log says. */
export interface LogHeader {
  readonly format: "perstore-log";
  readonly version: 1;
  /** A random id given to each file written whole (created or compacted). */
  readonly file: string;
}

/** The header line of a new file. */
export function headerLine(file: string): Buffer {
  const header: LogHeader = { format: "perstore-log", version: 1, file };
  return encodeLogLine("header", JSON.stringify(header));
}

/** The header of a log whose first line is `line` (checked), or `undefined` when it is not one. */
export function parseHeader(line: Buffer): LogHeader | undefined {
  const checked = checkLogLine(line);
  if (typeof checked === "string" || checked.kind !== "header") return undefined;
  try {
    const header = JSON.parse(checked.payload) as Partial<LogHeader>;
    return header.format === "perstore-log" &&
      header.version === 1 &&
      typeof header.file === "string"
      ? (header as LogHeader)
      : undefined;
  } catch {
    return undefined;
  }
}
