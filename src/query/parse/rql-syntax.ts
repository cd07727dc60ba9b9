/**
 * The RQL syntax tree: what the string says, before operator names are
 * looked up. `rql-parser.ts` reads it; `rql-query.ts` turns it into the AST.
 */
import { QueryError } from "../../errors/index.js";
import { MAX_QUERY_DEPTH } from "./max-query-depth.js";
import { type RqlToken, tokenizeRql } from "./rql-tokenizer.js";

export type RqlItem =
  | { readonly t: "word"; readonly raw: string; readonly position: number }
  | {
      readonly t: "group";
      readonly items: readonly RqlItem[];
      readonly join: "and" | "or";
      readonly position: number;
    }
  | {
      readonly t: "call";
      readonly name: string;
      readonly args: readonly RqlItem[];
      readonly position: number;
    }
  | {
      readonly t: "compare";
      readonly lhs: RqlItem;
      /** `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, or a FIQL operator name. */
      readonly op: string;
      readonly fiql: boolean;
      readonly opPosition: number;
      readonly value: RqlItem;
      readonly position: number;
    };

/** Reads the syntax tree of a whole query string (an implicit top-level group). */
export function parseRqlSyntax(input: string): RqlItem & { t: "group" } {
  const reader = new Reader(tokenizeRql(input));
  const group = reader.sequence("end", 0, true);
  return group;
}

class Reader {
  #i = 0;
  #depth = 0;
  constructor(private readonly tokens: readonly RqlToken[]) {}

  peek(offset = 0): RqlToken {
    return this.tokens[Math.min(this.#i + offset, this.tokens.length - 1)]!;
  }

  next(): RqlToken {
    const token = this.peek();
    if (this.#i < this.tokens.length - 1) this.#i++;
    return token;
  }

  expect(type: RqlToken["type"], what: string): RqlToken {
    const token = this.peek();
    if (token.type !== type) throw unexpected(token, what);
    return this.next();
  }

  /** Items separated by `,`/`&` (and) or `|` (or), up to `close`; mixing and/or is QUERY_MIXED_GROUP. */
  sequence(close: "end" | ")", position: number, top: boolean): RqlItem & { t: "group" } {
    const items: RqlItem[] = [];
    let join: "and" | "or" | undefined;
    if (this.peek().type === close) {
      this.next();
      return { t: "group", items, join: "and", position };
    }
    for (;;) {
      const token = this.peek();
      const empty =
        token.type === "," || token.type === "&" || token.type === "|" || token.type === close;
      // Empty terms at top level (`a=1&`) are skipped, as in the original RQL; elsewhere they are "".
      if (empty && !top) items.push({ t: "word", raw: "", position: token.position });
      else if (!empty) items.push(this.item());
      const sep = this.next();
      if (sep.type === close) return { t: "group", items, join: join ?? "and", position };
      if (sep.type !== "," && sep.type !== "&" && sep.type !== "|") {
        throw unexpected(
          sep,
          close === "end" ? "'&', '|' or the end of the query" : "',', '&', '|' or ')'",
        );
      }
      const kind = sep.type === "|" ? "or" : "and";
      if (join !== undefined && join !== kind) {
        throw new QueryError(
          "QUERY_MIXED_GROUP",
          "'&' and '|' cannot be mixed in one group; use parentheses",
          {
            position: sep.position,
          },
        );
      }
      join = kind;
    }
  }

  /** A call's arguments: items separated by `,` only. */
  args(): RqlItem[] {
    const open = this.expect("(", "'('");
    const args: RqlItem[] = [];
    if (this.peek().type === ")") {
      this.next();
      return args;
    }
    for (;;) {
      const token = this.peek();
      if (token.type === "," || token.type === ")")
        args.push({ t: "word", raw: "", position: token.position });
      else args.push(this.item());
      const sep = this.next();
      if (sep.type === ")") return args;
      if (sep.type !== ",") {
        throw unexpected(
          sep,
          sep.type === "end" ? `')' to close the '(' at ${open.position}` : "',' or ')'",
        );
      }
    }
  }

  item(): RqlItem {
    const token = this.peek();
    if (this.#depth >= MAX_QUERY_DEPTH) {
      throw new QueryError(
        "QUERY_SYNTAX",
        `the query nests deeper than ${MAX_QUERY_DEPTH} levels`,
        {
          position: token.position,
        },
      );
    }
    this.#depth++;
    try {
      return this.nestedItem(token);
    } finally {
      this.#depth--;
    }
  }

  nestedItem(token: RqlToken): RqlItem {
    let lhs: RqlItem;
    if (token.type === "(") {
      this.next();
      lhs = this.sequence(")", token.position, false);
    } else if (token.type === "word") {
      this.next();
      if (this.peek().type === "(") {
        return { t: "call", name: token.text, args: this.args(), position: token.position };
      }
      lhs = { t: "word", raw: token.text, position: token.position };
    } else {
      throw unexpected(token, "a value, a call or '('");
    }
    if (this.peek().type !== "op") return lhs;
    return this.comparison(lhs);
  }

  comparison(lhs: RqlItem): RqlItem {
    const opToken = this.next();
    let op = opToken.text;
    let fiql = false;
    let opPosition = opToken.position;
    // FIQL: `prop=op=value`.
    if (
      op === "=" &&
      this.peek().type === "word" &&
      this.peek(1).type === "op" &&
      this.peek(1).text === "="
    ) {
      const name = this.next();
      this.next();
      op = name.text;
      fiql = true;
      opPosition = name.position;
    }
    const token = this.peek();
    let value: RqlItem;
    if (token.type === "(") {
      this.next();
      value = this.sequence(")", token.position, false);
    } else if (token.type === "word") {
      this.next();
      if (this.peek().type === "(") throw unexpected(this.peek(), "a value after a comparison");
      value = { t: "word", raw: token.text, position: token.position };
    } else if (token.type === "op") {
      throw unexpected(token, "a value");
    } else {
      value = { t: "word", raw: "", position: token.position };
    }
    if (this.peek().type === "op") throw unexpected(this.peek(), "'&', '|', ',' or ')'");
    return { t: "compare", lhs, op, fiql, opPosition, value, position: lhs.position };
  }
}

function unexpected(token: RqlToken, expected: string): QueryError {
  const found = token.type === "end" ? "the end of the query" : JSON.stringify(token.text);
  return new QueryError("QUERY_SYNTAX", `expected ${expected}, found ${found}`, {
    position: token.position,
  });
}
