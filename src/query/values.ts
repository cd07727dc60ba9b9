/**
 * Reading RQL values: auto-typing, explicit `type:` prefixes, ISO instants
 * and glob patterns. Every failure is a `QueryError` with code
 * `QUERY_BAD_VALUE` at the value's position.
 */
import { QueryError } from "../errors/index.js";
import type { ExplicitType, LiteralNode, ParamNode, Scalar } from "./ast.js";
import { compilePattern } from "./pattern/index.js";

const EXPLICIT_TYPES: ReadonlyMap<string, ExplicitType> = new Map(
  (["number", "string", "boolean", "date", "epoch", "isodate", "re", "RE", "glob"] as const).map(
    (t) => [t, t],
  ),
);

const AUTO_VALUES: ReadonlyMap<string, Scalar> = new Map<string, Scalar>([
  ["true", true],
  ["false", false],
  ["null", null],
  ["undefined", undefined],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
]);

/** `$1`, `$2`, ...: a parameter reference, in RQL values and in JSON query string values. */
export const PARAMETER = /^\$([1-9][0-9]*)$/;

function bad(message: string, position: number | undefined): QueryError {
  return new QueryError("QUERY_BAD_VALUE", message, position === undefined ? {} : { position });
}

/** Percent-decodes one value; a malformed escape is a QUERY_BAD_VALUE at that escape's `%`. */
export function decodeValue(raw: string, position?: number): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    const offset = malformedEscape(raw);
    throw bad(
      `malformed percent-encoding in ${JSON.stringify(raw)}`,
      position === undefined ? undefined : position + offset,
    );
  }
}

/** Where decoding `raw` fails: a `%` without two hex digits, or the first escape that starts no UTF-8 sequence. */
function malformedEscape(raw: string): number {
  const escapes = /%[0-9A-Fa-f]{2}|%/g;
  for (let m = escapes.exec(raw); m !== null; m = escapes.exec(raw)) {
    if (m[0].length === 1) return m.index;
    // A UTF-8 sequence is one to four escapes: the shortest that decodes is this character.
    let length = 0;
    for (let n = 1; n <= 4 && length === 0; n++) {
      const sequence = raw.slice(m.index, m.index + 3 * n);
      if (!/^(?:%[0-9A-Fa-f]{2})+$/.test(sequence) || sequence.length < 3 * n) break;
      try {
        decodeURIComponent(sequence);
        length = n;
      } catch {
        // not yet a whole character
      }
    }
    if (length === 0) return m.index;
    escapes.lastIndex = m.index + 3 * length;
  }
  return 0;
}

/**
 * Reads `'...'` (a JSON string body between single quotes, `\'` for a quote)
 * or returns undefined. Only single quotes: `"x"` is the three-character text.
 */
function unquote(text: string, position?: number): string | undefined {
  if (text.length < 2 || text[0] !== "'" || text[text.length - 1] !== "'") return undefined;
  let inner = "";
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && i + 1 < body.length) {
      const next = body[++i]!;
      inner += next === "'" ? "'" : `\\${next}`;
    } else inner += c === '"' ? '\\"' : c;
  }
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    throw bad(`malformed quoted string ${text}`, position);
  }
}

/** An auto-typed value read from decoded text (what `bindSchema` may re-type). */
function autoValue(text: string, position?: number): Scalar {
  const quoted = unquote(text, position);
  if (quoted !== undefined) return quoted;
  if (AUTO_VALUES.has(text)) return AUTO_VALUES.get(text);
  if (text !== "" && text !== "NaN") {
    const n = Number(text);
    if (String(n) === text) return n;
  }
  return text;
}

/** Parses a number written in full (`number:` values and schema re-typing); undefined when it is not one. */
export function readNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === "" || t !== text) return undefined;
  if (t === "NaN") return NaN;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

const ISO =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 instant (`2009-05-01`, `2009-05-01T10:20:30.21Z`,
 * `...+02:00`); no offset means UTC. Returns undefined for anything invalid,
 * including impossible dates such as February 30.
 */
export function parseIsoInstant(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = Number(hs ?? 0);
  const mi = Number(mis ?? 0);
  const s = Number(ss ?? 0);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-6);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return undefined;
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    date.setTime(date.getTime() - sign * (oh * 60 + om) * 60_000);
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `isodate:` values: a partial ISO date padded to its start (`2009-05` is May 1st, 00:00 UTC). */
function parsePartialIso(text: string): Date | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2}))?)?)?)?$/i.exec(text);
  if (!m) return parseIsoInstant(text);
  const [, y, mo = "01", d = "01", h = "00", mi = "00"] = m;
  return parseIsoInstant(`${y}-${mo}-${d}T${h}:${mi}:00Z`);
}

/**
 * The RegExp of a `re:`/`RE:`/`match` value, checked to be in the pattern
 * language (see `parsePattern`); otherwise QUERY_BAD_VALUE at `position`.
 */
export function makeRegExp(source: string, flags: string, position?: number): RegExp {
  compilePattern(source, flags, position);
  return new RegExp(source, flags);
}

/** `glob:` patterns: `*` any run, `?` one character; matched whole and case-insensitively. */
export function globToRegExp(pattern: string): RegExp {
  let source = "^";
  for (const c of pattern) {
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else source += c.replace(/[\\^$.|?*+()[\]{}/]/g, "\\$&");
  }
  return new RegExp(`${source}$`, "iu");
}

/** Converts text after an explicit `type:` prefix; throws QUERY_BAD_VALUE when it does not fit. */
function typedValue(type: ExplicitType, text: string, position?: number): Scalar {
  switch (type) {
    case "string":
      return text;
    case "number": {
      const n = readNumber(text);
      if (n === undefined) throw bad(`not a number: ${JSON.stringify(text)}`, position);
      return n;
    }
    case "boolean":
      if (text === "true") return true;
      if (text === "false") return false;
      throw bad(`not a boolean: ${JSON.stringify(text)}`, position);
    case "date": {
      const d = parseIsoInstant(text);
      if (!d) throw bad(`not an ISO-8601 date: ${JSON.stringify(text)}`, position);
      return d;
    }
    case "isodate": {
      const d = parsePartialIso(text);
      if (!d) throw bad(`not an ISO-8601 date: ${JSON.stringify(text)}`, position);
      return d;
    }
    case "epoch": {
      const n = readNumber(text);
      const d = n === undefined ? undefined : new Date(n);
      if (!d || Number.isNaN(d.getTime()))
        throw bad(`not an epoch time in milliseconds: ${JSON.stringify(text)}`, position);
      return d;
    }
    case "re":
      return makeRegExp(text, "i", position);
    case "RE":
      return makeRegExp(text, "", position);
    case "glob":
      return globToRegExp(text);
  }
}

/**
 * Reads one raw (still percent-encoded) RQL value: `$n` placeholders,
 * `type:` prefixes (the prefix must be known, except that an ISO-8601
 * date-time such as `2024-01-01T00:00:00Z` is text), then auto-typing.
 */
export function readValue(raw: string, position?: number): LiteralNode | ParamNode {
  const param = PARAMETER.exec(raw);
  if (param) return { kind: "param", index: Number(param[1]) };
  if (raw.startsWith("$") && /^\$[0-9]*$/.test(raw)) {
    throw new QueryError(
      "QUERY_PARAMETER",
      `parameters are numbered from $1: ${raw}`,
      position === undefined ? {} : { position },
    );
  }
  const colon = raw.indexOf(":");
  if (colon >= 0) {
    const prefix = raw.slice(0, colon);
    const type = EXPLICIT_TYPES.get(prefix);
    if (type === undefined) {
      // `2024-01-01T00:00:00Z` unencoded: its colons are a time's, not a type prefix.
      const text = decodeValue(raw, position);
      if (parseIsoInstant(text) !== undefined) return { kind: "literal", value: text, raw: text };
      throw bad(
        `unknown value type ${JSON.stringify(prefix)} (write a literal colon as %3A)`,
        position,
      );
    }
    const text = decodeValue(
      raw.slice(colon + 1),
      position === undefined ? undefined : position + colon + 1,
    );
    return { kind: "literal", value: typedValue(type, text, position), type, raw: text };
  }
  const text = decodeValue(raw, position);
  return { kind: "literal", value: autoValue(text, position), raw: text };
}
