/**
 * Prettier's lines for the properties of a JSON object that sits, broken,
 * at some depth of a module (a piece of openapi.ts, see
 * format-json-module.ts), computed from the values themselves: no parse,
 * no document. These are the rules print-js.ts reproduces from prettier's
 * printer (object.js, array.js, assignment.js, key.js) for JSON values:
 *
 * - an object or array prints on one line when it fits there with the
 *   comma after it, else one member per line; an array of two or more
 *   objects (or arrays) of more than one member each always breaks, and so
 *   does everything around it;
 * - `key: value` stays on one line but for a string (or `null`, a negative
 *   number, `{}`, `[]`) that does not fit after a key of five or more
 *   columns: that goes on the next line, indented;
 * - keys lose quotes they do not need; strings take the quotes that need
 *   fewer escapes.
 *
 * What it does not know to print the same (arrays of numbers, which
 * prettier fills; text outside printable ASCII, whose width prettier
 * measures its own way; very long keys) answers undefined, and the piece
 * goes to print-js or prettier. Checked against prettier in
 * test/compiler/print-json.test.ts.
 */

const WIDTH = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

class Decline extends Error {}

function decline(): never {
  throw new Decline();
}

/** A string literal as prettier prints it (double quotes unless the text has more of them than single ones). */
function stringLiteral(value: string): string {
  const json = JSON.stringify(value);
  if (!PRINTABLE.test(json)) decline();
  let doubles = 0;
  let singles = 0;
  for (const c of value) {
    if (c === '"') doubles++;
    else if (c === "'") singles++;
  }
  if (doubles <= singles) return json;
  // print-string.js: re-quoted with single quotes, `\"` unescaped and `'` escaped.
  return `'${json.slice(1, -1).replace(/\\(["'\\])|(["'])/g, (match, escaped?: string, bare?: string) => (escaped ? (escaped === '"' ? '"' : match) : bare === "'" ? "\\'" : bare!))}'`;
}

/** A key as prettier prints it in a TypeScript file (numbers stay quoted there). */
function keyText(key: string): string {
  if (IDENTIFIER.test(key)) return key;
  return stringLiteral(key);
}

function numberText(value: number): string {
  // JSON.stringify's form (1e+21, 0.5, -3) with print-number.js's changes.
  return JSON.stringify(value)
    .toLowerCase()
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(?=\d)/, "$1$2");
}

/** Whether an array always breaks (array.js shouldBreak). */
function alwaysBreaks(items: readonly unknown[]): boolean {
  return (
    items.length > 1 &&
    items.every((item, i) => {
      const next = items[i + 1];
      if (item === null || typeof item !== "object") return false;
      if (
        next !== undefined &&
        (next === null || typeof next !== "object" || Array.isArray(next) !== Array.isArray(item))
      )
        return false;
      return (Array.isArray(item) ? item.length : Object.keys(item).length) > 1;
    })
  );
}

/**
 * The value on one line, or undefined when it cannot be: something in it
 * always breaks, or (for an object or array) it is longer than `budget`, so
 * a large value is not written out whole at every depth.
 */
function flat(value: unknown, budget: number): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return stringLiteral(value);
    case "number":
      return numberText(value);
    case "boolean":
      return String(value);
    case "object":
      break;
    default:
      return decline();
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => typeof v === "number")) decline();
    if (alwaysBreaks(value)) return undefined;
    let out = "[";
    for (const item of value) {
      const text = flat(item, budget - out.length);
      if (text === undefined || out.length + text.length > budget) return undefined;
      out += out === "[" ? text : `, ${text}`;
    }
    return `${out}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  let out = "{ ";
  for (const [key, member] of entries) {
    const text = flat(member, budget - out.length);
    if (text === undefined) return undefined;
    out += `${out === "{ " ? "" : ", "}${keyText(key)}: ${text}`;
    if (out.length > budget) return undefined;
  }
  return `${out} }`;
}

/**
 * `value` at the end of a line that starts with `indent` spaces and already
 * holds `prefix` (`key: `, or nothing for an array item), followed by a
 * comma: the lines it takes, the first without the prefix.
 */
function member(value: unknown, indent: number, prefix: string, out: string[]): void {
  const pad = " ".repeat(indent);
  const text = flat(value, WIDTH);
  const isContainer =
    value !== null &&
    typeof value === "object" &&
    (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
  if (text !== undefined && indent + prefix.length + text.length + 1 <= WIDTH) {
    out.push(`${pad}${prefix}${text},`);
    return;
  }
  if (isContainer) {
    // `key: {` stays on the line (a key this long is left to prettier).
    if (indent + prefix.length + 1 > WIDTH) decline();
    const array = Array.isArray(value);
    out.push(`${pad}${prefix}${array ? "[" : "{"}`);
    if (array) for (const item of value as unknown[]) member(item, indent + 2, "", out);
    else
      for (const [key, child] of Object.entries(value as Record<string, unknown>))
        member(child, indent + 2, `${keyText(key)}: `, out);
    out.push(`${pad}${array ? "]" : "}"},`);
    return;
  }
  // A scalar (or {} / []) that does not fit: after a key of 5+ columns a string, null, a negative
  // number or an empty container goes on the next line; a positive number or boolean never moves.
  const key = prefix.slice(0, -2);
  const moves =
    prefix !== "" &&
    key.length >= 5 &&
    !(typeof value === "boolean" || (typeof value === "number" && value >= 0));
  if (moves) out.push(`${pad}${key}:`, `${pad}  ${text!},`);
  else out.push(`${pad}${prefix}${text!},`);
}

/**
 * The lines prettier prints for `properties` (a JSON object's, in order)
 * inside broken objects `depth` levels deep, each line ending in a newline,
 * or undefined when it declines.
 */
export function printJsonProperties(
  properties: readonly (readonly [string, unknown])[],
  depth: number,
): string | undefined {
  const out: string[] = [];
  try {
    for (const [key, value] of properties) member(value, depth * 2, `${keyText(key)}: `, out);
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
  return out.map((l) => `${l}\n`).join("");
}
