import { CODE_TOKEN, Code } from "./code.js";

/** Values `literal` can write as JavaScript source. */
export type LiteralValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Date
  | RegExp
  | readonly LiteralValue[]
  | { readonly [key: string]: LiteralValue };

// JSON.stringify leaves U+2028/U+2029 raw; escape them so the source is also valid in older parsers and templates.
const LINE_SEPARATORS = /[\u2028\u2029]/g;

function quote(text: string): string {
  return JSON.stringify(text).replace(LINE_SEPARATORS, (c) =>
    c === "\u2028" ? "\\u2028" : "\\u2029",
  );
}

/**
 * A value written as an escaped JavaScript expression. Strings are JSON
 * quoted; numbers keep `-0`, `NaN` and `Infinity`; negative numbers are
 * parenthesised so they are safe after any operator; Dates become
 * `new Date(<ms>)` and RegExps `new RegExp(<source>, <flags>)`; arrays and
 * plain objects are written recursively (a `__proto__` key is emitted as a
 * computed key, so it stays an own property instead of setting a prototype).
 * @example literal("a\"b") // "a\"b"
 * @example literal(-0) // (-0)
 */
export function literal(value: LiteralValue): Code {
  return new Code(write(value, new Set()), CODE_TOKEN);
}

function write(value: LiteralValue, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      if (Number.isNaN(value)) return "NaN";
      if (Object.is(value, -0)) return "(-0)";
      if (value === Infinity) return "Infinity";
      if (value === -Infinity) return "(-Infinity)";
      return value < 0 ? `(${String(value)})` : String(value);
    case "bigint":
      return value < 0n ? `(${String(value)}n)` : `${String(value)}n`;
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "void 0";
    case "object":
      break;
    default:
      throw new TypeError(`cannot write a ${typeof value} as a literal`);
  }
  if (value === null) return "null";
  if (value instanceof Date) return `new Date(${write(value.getTime(), seen)})`;
  if (value instanceof RegExp) return `new RegExp(${quote(value.source)}, ${quote(value.flags)})`;
  if (seen.has(value)) throw new TypeError("cannot write a circular value as a literal");
  seen.add(value);
  try {
    if (Array.isArray(value))
      return `[${(value as readonly LiteralValue[]).map((v) => write(v, seen)).join(", ")}]`;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError("only plain objects can be written as literals");
    const entries = Object.keys(value).map((key) => {
      const item = write((value as Record<string, LiteralValue>)[key], seen);
      return key === "__proto__" ? `[${quote(key)}]: ${item}` : `${quote(key)}: ${item}`;
    });
    return `{${entries.join(", ")}}`;
  } finally {
    seen.delete(value);
  }
}
