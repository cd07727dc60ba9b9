/**
 * A module that exports one large JSON object (`openapi.ts`:
 * `export const openapi = {...} as const;`, the whole document on one line)
 * formatted in pieces: prettier prints each property of a broken object on
 * its own lines at its own indentation, whatever its siblings are, so the
 * big object is split into groups of properties, each group formatted alone
 * inside wrapper objects that put it at the same depth, and the lines are
 * put back together. Each group is cached by its text, so a rebuild after
 * one model changed re-formats only that model's groups (a few KB instead
 * of a megabyte), and a cold build spreads the groups over the workers.
 * The result is prettier's, byte for byte (checked by
 * test/compiler/format-json-module.test.ts against one prettier pass).
 */

/** A parsed JSON module: the lines before the export, the constant's name, its value. */
export interface JsonModule {
  readonly head: string;
  readonly name: string;
  readonly value: Record<string, unknown>;
}

/** One group of properties to format: their text as in the file, and their depth (1: the top object's). */
export interface JsonChunk {
  readonly depth: number;
  readonly source: string;
  /** The same properties as values, in order. */
  readonly properties: readonly (readonly [string, unknown])[];
}

/** Objects smaller than this stay whole: splitting them saves nothing and they may print on one line. */
const SPLIT_AT = 4096;
/** Properties formatted together (by text size): one prettier call each. */
const GROUP_SIZE = 16384;
/** The whole object must be at least this big to be worth splitting. */
const MODULE_AT = 262144;

const HEAD_LINE = /^(?:\/\/[^\n]*|\/\*\*(?:[^*]|\*(?!\/))*\*\/)$/;
const EXPORT = /^export const ([A-Za-z_$][\w$]*) = \{/;
const TAIL = "} as const;\n";
/** Keys prettier prints unquoted (ASCII identifier names) ... */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** ... and keys it prints as they are in JSON (double quotes, nothing escaped). */
const PLAIN_KEY = /^[\x20-\x7e]*$/;

/**
 * The module, when `text` is exactly single-line comments then
 * `export const NAME = <JSON object> as const;`, and big enough to split.
 */
export function parseJsonModule(text: string): JsonModule | undefined {
  if (text.length < MODULE_AT || !text.endsWith(TAIL)) return undefined;
  let at = 0;
  const head: string[] = [];
  for (;;) {
    const end = text.indexOf("\n", at);
    if (end < 0) return undefined;
    const line = text.slice(at, end);
    const exported = EXPORT.exec(line);
    if (exported !== null) {
      let value: unknown;
      try {
        value = JSON.parse(text.slice(at + exported[0].length - 1, text.length - TAIL.length + 1));
      } catch {
        return undefined;
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
      const name = exported[1]!;
      // The object must be exactly what JSON.stringify prints (no spaces, no newlines), as it is split by that.
      if (`export const ${name} = ${JSON.stringify(value)} as const;\n` !== text.slice(at))
        return undefined;
      return {
        head: head.map((l) => `${l}\n`).join(""),
        name,
        value: value as Record<string, unknown>,
      };
    }
    if (!HEAD_LINE.test(line) || line !== line.trimEnd()) return undefined;
    head.push(line);
    at = end + 1;
  }
}

/** A piece of the output: fixed text, or the formatted text of a chunk. */
type Piece = string | JsonChunk;

/** The module as fixed lines and chunks to format, in output order. */
export function splitJsonModule(module: JsonModule): Piece[] {
  const pieces: Piece[] = [`${module.head}export const ${module.name} = {\n`];
  splitObject(module.value, 1, pieces);
  pieces.push(TAIL);
  return pieces;
}

function splitObject(value: Record<string, unknown>, depth: number, out: Piece[]): void {
  let group: string[] = [];
  let properties: [string, unknown][] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length > 0) out.push({ depth, source: group.join(","), properties });
    group = [];
    properties = [];
    size = 0;
  };
  const indent = "  ".repeat(depth);
  for (const [key, child] of Object.entries(value)) {
    const text = `${JSON.stringify(key)}:${JSON.stringify(child)}`;
    const printedKey = IDENTIFIER.test(key)
      ? key
      : PLAIN_KEY.test(key) && !/["'\\]/.test(key)
        ? JSON.stringify(key)
        : undefined;
    const splittable =
      child !== null &&
      typeof child === "object" &&
      !Array.isArray(child) &&
      text.length > SPLIT_AT &&
      printedKey !== undefined &&
      // A long key could make prettier break after the colon: leave that to prettier.
      indent.length + printedKey.length < 60;
    if (splittable) {
      flush();
      out.push(`${indent}${printedKey}: {\n`);
      splitObject(child as Record<string, unknown>, depth + 1, out);
      out.push(`${indent}},\n`);
      continue;
    }
    if (size > 0 && size + text.length > GROUP_SIZE) flush();
    group.push(text);
    properties.push([key, child]);
    size += text.length;
  }
  flush();
}

/**
 * The text prettier is given for a chunk: the properties inside `depth`
 * objects, each opened with a newline so prettier keeps them broken (as
 * they are in the whole file, being too large for a line).
 */
export function chunkSource(chunk: JsonChunk): string {
  return `x = {\n${"a: {\n".repeat(chunk.depth - 1)}${chunk.source}${"}".repeat(chunk.depth)};\n`;
}

/** The chunk's lines out of prettier's output for `chunkSource(chunk)`. */
export function chunkLines(chunk: JsonChunk, formatted: string): string {
  const lines = formatted.split("\n");
  // Lines: `x = {`, depth-1 openers, the chunk, depth-1 closers, `};`, "" (after the last newline).
  const body = lines.slice(chunk.depth, lines.length - chunk.depth - 1);
  const indent = "  ".repeat(chunk.depth);
  if (lines[0] !== "x = {" || body.length === 0 || !body.every((l) => l.startsWith(indent)))
    throw new Error("prettier printed a JSON module chunk in an unexpected shape");
  return `${body.join("\n")}\n`;
}
