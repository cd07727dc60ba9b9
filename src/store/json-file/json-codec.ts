/**
 * perstore's JSON extension: plain JSON plus tagged objects for the values
 * JSON lacks, so they round-trip without `eval`:
 *
 *   Date                   {"$date": "2020-01-02T03:04:05.678Z"}   (an invalid Date: {"$date": null})
 *   NaN, ±Infinity, -0     {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}
 *   RegExp                 {"$regexp": {"source": "a+", "flags": "i"}}
 *
 * A user object whose only key is one of the tags is wrapped as
 * {"$escape": {...}} so it never reads back as a tagged value. Keys that
 * could reach a prototype (`__proto__`, `constructor`, `prototype`) are
 * dropped both ways, as every store drops them.
 */
import { StoreError } from "../../errors/index.js";
import { isPrototypeKey } from "../copy.js";

const TAGS = new Set(["$date", "$number", "$regexp", "$escape"]);

/** Converts a value to plain JSON data using the tags above. Throws StoreError (STORE_ENCODE) for values JSON cannot hold. */
export function toJsonValue(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Object.is(value, -0)) return { $number: "-0" };
      return Number.isFinite(value) ? value : { $number: String(value) };
    case "undefined":
      return undefined;
    case "object":
      break;
    default:
      throw new StoreError("STORE_ENCODE", `cannot store a ${typeof value} value in a JSON file`);
  }
  if (value === null) return null;
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : toJsonValue(item)));
  if (value instanceof Date) {
    const time = value.getTime();
    return { $date: Number.isNaN(time) ? null : value.toISOString() };
  }
  if (value instanceof RegExp) return { $regexp: { source: value.source, flags: value.flags } };
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value).filter((key) => !isPrototypeKey(key));
  for (const key of keys) {
    const encoded = toJsonValue((value as Record<string, unknown>)[key]);
    if (encoded !== undefined) out[key] = encoded;
  }
  const outKeys = Object.keys(out);
  return outKeys.length === 1 && TAGS.has(outKeys[0]!) ? { $escape: out } : out;
}

/** The inverse of `toJsonValue`, over data from `JSON.parse`. Malformed tags are StoreError (STORE_CORRUPT_FILE). */
export function fromJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(fromJsonValue);
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  if (keys.length === 1 && TAGS.has(keys[0]!)) return decodeTag(keys[0]!, source[keys[0]!]);
  return decodeObject(source);
}

/**
 * `fromJsonValue` for data just parsed and owned by the caller: tags are
 * decoded and prototype keys deleted in place instead of copying every
 * object (opening a large store). Returns the decoded value.
 */
export function decodeInPlace(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== "object") continue;
      const decoded = decodeInPlace(item);
      if (decoded !== item) value[i] = decoded;
    }
    return value;
  }
  const source = value as Record<string, unknown>;
  for (const key in source) {
    // First characters first: most keys are neither a tag ($...) nor a prototype key (_, c, p).
    const first = key.charCodeAt(0);
    if (first === 36 && TAGS.has(key) && Object.keys(source).length === 1)
      return decodeTag(key, source[key]);
    if ((first === 95 || first === 99 || first === 112) && isPrototypeKey(key)) {
      delete source[key];
      continue;
    }
    const item = source[key];
    if (item === null || typeof item !== "object") continue;
    const decoded = decodeInPlace(item);
    if (decoded !== item) source[key] = decoded;
  }
  return source;
}

function decodeObject(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (!isPrototypeKey(key)) out[key] = fromJsonValue(source[key]);
  }
  return out;
}

function decodeTag(tag: string, body: unknown): unknown {
  if (tag === "$date" && (body === null || typeof body === "string")) {
    const date = new Date(body === null ? Number.NaN : body);
    if (body === null || !Number.isNaN(date.getTime())) return date;
  } else if (
    tag === "$number" &&
    (body === "NaN" || body === "Infinity" || body === "-Infinity" || body === "-0")
  ) {
    return body === "-0" ? -0 : Number(body);
  } else if (tag === "$regexp" && isRegExpBody(body)) {
    try {
      return new RegExp(body.source, body.flags);
    } catch {
      // fall through to the error below
    }
  } else if (
    tag === "$escape" &&
    body !== null &&
    typeof body === "object" &&
    !Array.isArray(body)
  ) {
    return decodeObject(body as Record<string, unknown>);
  }
  throw new StoreError("STORE_CORRUPT_FILE", `malformed ${tag} value: ${JSON.stringify(body)}`);
}

function isRegExpBody(body: unknown): body is { source: string; flags: string } {
  if (body === null || typeof body !== "object") return false;
  const { source, flags } = body as Record<string, unknown>;
  return typeof source === "string" && typeof flags === "string";
}

/**
 * Serializes records as a JSON array, one record per line, so the file stays
 * readable and diffable and a parse error's line points at one record.
 */
export function encodeRecords(records: readonly unknown[]): string {
  if (records.length === 0) return "[]\n";
  const lines = records.map((record, index) => {
    try {
      return JSON.stringify(toJsonValue(record));
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      throw new StoreError(
        "STORE_ENCODE",
        `record ${index + 1} is nested too deeply to store in a JSON file`,
        { cause: error },
      );
    }
  });
  return `[\n${lines.join(",\n")}\n]\n`;
}

/** True for the RangeError of a recursion past the stack's end (a value nested thousands of levels deep). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
