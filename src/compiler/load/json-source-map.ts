/**
 * A small JSON parser that also records where every value starts, keyed by
 * JSON pointer, so diagnostics can name a line and column. Own code rather
 * than a dependency: JSON's grammar is tiny and we need only value positions.
 */
import { escapePointer } from "../../errors/json-pointer.js";

/** 1-based position of a value in the source text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface ParsedJson {
  readonly data: unknown;
  /** JSON pointer -> start of the value (for object members: the start of the key). */
  readonly pointers: ReadonlyMap<string, SourcePosition>;
}

/** Thrown for malformed JSON; carries the position of the bad character. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Deeper nesting is refused: the parser and every later schema walk would overflow the stack. */
export const MAX_DEPTH = 256;

/** Parse JSON text, returning the value and the position of every pointer. */
export function parseJsonWithPointers(text: string): ParsedJson {
  const pointers = new Map<string, SourcePosition>();
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  const here = (): SourcePosition => ({ line, column: pos - lineStart + 1 });
  const fail = (message: string): never => {
    const p = here();
    throw new JsonSyntaxError(`${message} at line ${p.line}, column ${p.column}`, p.line, p.column);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text[pos];
      if (c === "\n") {
        pos++;
        line++;
        lineStart = pos;
      } else if (c === " " || c === "\t" || c === "\r") pos++;
      else return;
    }
  };
  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    for (;;) {
      const c = text[pos];
      if (c === undefined || c === "\n") fail("unterminated string");
      if (c === "\\") pos += 2;
      else if (c === '"') break;
      else pos++;
    }
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  let depth = 0;
  const readValue = (pointer: string, at?: SourcePosition): unknown => {
    skipSpace();
    pointers.set(pointer, at ?? here());
    const c = text[pos];
    if ((c === "{" || c === "[") && depth >= MAX_DEPTH)
      fail(`arrays and objects nested deeper than ${MAX_DEPTH} levels`);
    depth++;
    try {
      return readAt(pointer, c);
    } finally {
      depth--;
    }
  };
  const readAt = (pointer: string, c: string | undefined): unknown => {
    if (c === "{") {
      pos++;
      // A null-prototype object: keys like "__proto__" stay plain data.
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return out;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail("expected a property name");
        const keyAt = here();
        const key = readString();
        skipSpace();
        if (text[pos] !== ":") fail("expected ':'");
        pos++;
        out[key] = readValue(`${pointer}/${escapePointer(key)}`, keyAt);
        skipSpace();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "}") {
          pos++;
          return out;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos++;
      const out: unknown[] = [];
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return out;
      }
      for (;;) {
        out.push(readValue(`${pointer}/${out.length}`));
        skipSpace();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "]") {
          pos++;
          return out;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return readString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(pos, pos + 400),
    );
    if (!literal)
      return fail(
        c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`,
      );
    pos += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  };

  const data = readValue("");
  skipSpace();
  if (pos < text.length) fail("unexpected text after the JSON value");
  return { data: toPlain(data), pointers };
}

/** Re-create parsed data with ordinary prototypes (key `__proto__` becomes an own data property). */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, {
      value: toPlain((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
