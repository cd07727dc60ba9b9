/**
 * Safe code emission, after ajv's `codegen`: generated source is built only
 * from `Code` fragments, and the `code` tagged template interpolates nothing
 * but other `Code` (including checked `Name`s) and values, which it escapes
 * through `literal`. A user string can therefore only ever appear in emitted
 * source as an escaped literal, never as code.
 */
import { literal } from "./literal.js";

/** A fragment of JavaScript source that was built safely. */
export class Code {
  readonly #source: string;

  /** Only this module and `literal` create Code; callers go through `code`, `name`, `literal`. */
  constructor(source: string, token: typeof CODE_TOKEN) {
    if (token !== CODE_TOKEN)
      throw new TypeError("Code can only be built with code``, name() or literal()");
    this.#source = source;
  }

  toString(): string {
    return this.#source;
  }
}

/** A checked identifier (a variable, parameter or helper name). */
export class Name extends Code {}

/** Private capability: only holders of this symbol can wrap raw text as Code. */
export const CODE_TOKEN: unique symbol = Symbol("perstore.codegen");

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/** True when `text` can be used as a plain identifier in emitted code. */
export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text) && !RESERVED.has(text);
}

/**
 * A checked identifier. Throws on anything that is not a plain, non-reserved
 * JavaScript identifier, so a name can never smuggle code in.
 * @example name("record") // record
 */
export function name(text: string): Name {
  if (!isIdentifier(text)) throw new TypeError(`not a safe identifier: ${JSON.stringify(text)}`);
  return new Name(text, CODE_TOKEN);
}

/** Anything the `code` template accepts in `${...}`: Code is inlined, everything else becomes a literal. */
export type Interpolated = Code | Parameters<typeof literal>[0];

/**
 * The tagged template that builds emitted source.
 * @example code`${name("v")} === ${"O'Brien"}` // v === "O'Brien"
 */
export function code(strings: TemplateStringsArray, ...values: readonly Interpolated[]): Code {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out += value instanceof Code ? value.toString() : literal(value).toString();
    out += strings[i + 1] ?? "";
  }
  return new Code(out, CODE_TOKEN);
}

/** Joins fragments with a separator that is itself fixed source text (e.g. " && "). */
export function joinCode(
  parts: readonly Code[],
  separator: "," | ", " | " && " | " || " | "\n" | "; ",
): Code {
  return new Code(parts.map(String).join(separator), CODE_TOKEN);
}

/**
 * Reads property `key` of `target` in emitted code: `.key` for safe
 * identifiers, otherwise `[<escaped key>]`.
 * @example property(name("o"), "a-b") // o["a-b"]
 */
export function property(target: Code, key: string): Code {
  return IDENTIFIER.test(key)
    ? code`${target}.${new Code(key, CODE_TOKEN)}`
    : code`${target}[${key}]`;
}
