/**
 * Splits a raw (still percent-encoded) RQL string into tokens, each with its
 * offset. `%3C` / `%3E` are read as `<` / `>` (as the original RQL did);
 * every other escape stays inside its word and is decoded per value later.
 */
import { QueryError } from "../../errors/index.js";

export type RqlTokenType = "word" | "(" | ")" | "," | "&" | "|" | "op" | "end";

export interface RqlToken {
  readonly type: RqlTokenType;
  /** Raw text: the word, the operator (`= == != < <= > >=`), or the punctuation. */
  readonly text: string;
  readonly position: number;
}

// Letters, digits, `+ * $ - : % . _` and `/` (path separator) make words.
const WORD_CHAR = /[A-Za-z0-9+*$\-:%._/]/;

function encodedAngle(input: string, i: number): "<" | ">" | undefined {
  if (input[i] !== "%" || input[i + 1] !== "3") return undefined;
  const c = input[i + 2];
  if (c === "C" || c === "c") return "<";
  if (c === "E" || c === "e") return ">";
  return undefined;
}

/** Tokenizes `input`; throws QUERY_SYNTAX at the first character that cannot start a token. */
export function tokenizeRql(input: string): RqlToken[] {
  const tokens: RqlToken[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    const angle = encodedAngle(input, i);
    if (angle !== undefined || c === "<" || c === ">") {
      const width = angle === undefined ? 1 : 3;
      const op = angle ?? c;
      if (input[i + width] === "=") {
        tokens.push({ type: "op", text: `${op}=`, position: i });
        i += width + 1;
      } else {
        tokens.push({ type: "op", text: op, position: i });
        i += width;
      }
    } else if (c === "=") {
      const double = input[i + 1] === "=";
      tokens.push({ type: "op", text: double ? "==" : "=", position: i });
      i += double ? 2 : 1;
    } else if (c === "!") {
      if (input[i + 1] !== "=") {
        throw new QueryError("QUERY_SYNTAX", "'!' must be followed by '='", { position: i });
      }
      tokens.push({ type: "op", text: "!=", position: i });
      i += 2;
    } else if (c === "(" || c === ")" || c === "," || c === "&" || c === "|") {
      tokens.push({ type: c, text: c, position: i });
      i++;
    } else if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < input.length && WORD_CHAR.test(input[i]!) && encodedAngle(input, i) === undefined)
        i++;
      tokens.push({ type: "word", text: input.slice(start, i), position: start });
    } else {
      const message =
        c === "?" && i === 0
          ? "a query string must not start with '?'"
          : `unexpected character ${JSON.stringify(c)}`;
      throw new QueryError("QUERY_SYNTAX", message, { position: i });
    }
  }
  tokens.push({ type: "end", text: "", position: input.length });
  return tokens;
}
