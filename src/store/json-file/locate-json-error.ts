/**
 * Finds where JSON text stops being valid. `JSON.parse` reports a position
 * only for some errors (and only as an offset), so a file error could not
 * otherwise name the line and column; this scanner walks the JSON grammar
 * and stops at the first character that cannot continue it.
 */

/** Where a JSON syntax error is: 0-based offset, 1-based line and column. */
export interface JsonErrorLocation {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** The location of the first syntax error in `text`, or `undefined` when it is valid JSON. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const offset = firstErrorOffset(text);
  if (offset === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

class Stop {
  constructor(readonly offset: number) {}
}

function firstErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const code = text.charCodeAt(i);
      if (code === 34) return void i++;
      if (code < 32) fail();
      if (code === 92) {
        i++;
        const esc = text[i];
        if (esc === "u") {
          for (let k = 1; k <= 4; k++)
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) ((i += k), fail());
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail();
      } else i++;
    }
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? "")) fail();
    while (/[0-9]/.test(text[i] ?? "")) i++;
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") (i++, digits());
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  // Iterative over containers, so deeply nested input cannot overflow the stack.
  const stack: ("]" | "}")[] = [];
  /** Reads one value; true when it opened a non-empty container, whose first value comes next. */
  const value = (): boolean => {
    space();
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      i++;
      space();
      if (text[i] === (ch === "{" ? "}" : "]")) return (i++, false);
      stack.push(ch === "{" ? "}" : "]");
      if (ch === "{") member();
      return true;
    }
    if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === "-" || /[0-9]/.test(ch ?? "")) number();
    else fail();
    return false;
  };
  const member = () => {
    space();
    if (text[i] !== '"') fail();
    string();
    space();
    if (text[i] !== ":") fail();
    i++;
  };
  try {
    let needValue = true;
    for (;;) {
      if (needValue) {
        needValue = value();
        continue;
      }
      const close = stack.at(-1);
      if (close === undefined) break;
      space();
      if (text[i] === ",") {
        i++;
        if (close === "}") member();
        needValue = true;
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else fail();
    }
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return Math.min(error.offset, text.length);
    throw error;
  }
}
