/**
 * ajv names the validators, schemas and formats of standalone code with one
 * counter per ajv instance (`validate31`, `schema42`, `formats2`), so a
 * model's validator would read differently depending on what else the same
 * instance compiled first. Renumbering those names by first appearance makes
 * each validator file depend only on its own schema and the schemas it
 * references: a one-model rebuild emits the same bytes as a full build.
 *
 * With `prune`, the same pass also drops what ajv's standalone output
 * carries but never uses: a top-level `const schemaN = {...};` (ajv puts
 * every compiled schema in scope, though the code reads only a few of them,
 * e.g. for `enum` errors) that nothing references, and the
 * `/*# sourceURL=... *\/` comments ajv writes for code it would `eval`
 * (meaningless in a module file). That is about a tenth of a validator's
 * text, and of the time prettier spends on it.
 *
 * Works on tokens (acorn's tokenizer, so strings, comments and regular
 * expression literals are skipped correctly), which costs a fraction of a parse.
 */
import { tokenizer, tokTypes as tt, type TokenType } from "acorn";

/** The prefixes of ajv's external scope (ajv/dist/core.js EXT_SCOPE_NAMES). */
const EXT_NAME =
  /^(validate|serialize|parse|wrapper|root|schema|keyword|pattern|formats|func|obj|Error)(\d+)$/;
/** ajv's funcSourceUrl comment (the id is a JSON string). */
const SOURCE_URL = /^\/\*# sourceURL="(?:[^"\\]|\\.)*" \*\/$/;

/** What a token is, as far as renaming cares. */
type Kind = "const" | "declares" | "{" | "}" | ";" | "," | "." | ":" | "name" | "other";

function kindOf(type: TokenType, value: unknown): Kind {
  if (type === tt._const) return "const";
  // `let` is a contextual keyword: acorn gives it as a name.
  if (type === tt._var || type === tt._function || (type === tt.name && value === "let"))
    return "declares";
  if (type === tt.braceL || type === tt.dollarBraceL) return "{";
  if (type === tt.braceR) return "}";
  if (type === tt.semi) return ";";
  if (type === tt.comma) return ",";
  if (type === tt.dot || type === tt.questionDot) return ".";
  if (type === tt.colon) return ":";
  if (type === tt.name) return "name";
  return "other";
}

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** `x.name`, or a key `{ name: ... }`: not a reference to the variable. */
  member: boolean;
  /** The name a top-level `const` declares here. */
  declares: boolean;
}

/** A top-level `const <ajv name> = ...;` statement. */
interface ConstStatement {
  readonly name: string;
  readonly start: number;
  end: number;
}

export interface RenumberOptions {
  /** Also drop unreferenced top-level `const`s of ajv's scope and ajv's `sourceURL` comments. */
  readonly prune?: boolean;
}

/** Renumber ajv's top-level names in `code` from 0, per prefix, in order of first appearance. */
export function renumberAjvNames(code: string, options: RenumberOptions = {}): string {
  const prune = options.prune ?? false;
  const declared = new Set<string>();
  const hits: Hit[] = [];
  /** Ranges to cut: sourceURL comments, then dead statements. */
  const cuts: { start: number; end: number }[] = [];
  const statements: ConstStatement[] = [];
  let open: ConstStatement | undefined;
  let depth = 0;
  let previous: Kind = "other";
  let previousStart = 0;
  let last: Hit | undefined;
  const tokens = tokenizer(code, {
    ecmaVersion: "latest",
    sourceType: "module",
    onComment(block, _text, start, end) {
      if (!prune || !block || !SOURCE_URL.test(code.slice(start, end))) return;
      // The empty statement ajv puts after it goes too.
      cuts.push({ start, end: code[end] === ";" ? end + 1 : end });
    },
  });
  for (const token of tokens) {
    const value = (token as { value?: unknown }).value;
    const kind = kindOf(token.type, value);
    if (last !== undefined && kind === ":") last.member = true;
    last = undefined;
    if (kind === "{") depth++;
    else if (kind === "}") depth--;
    else if (kind === ";" && depth === 0 && open !== undefined) {
      open.end = token.end;
      statements.push(open);
      open = undefined;
    } else if (kind === "name") {
      const name = value as string;
      if (EXT_NAME.test(name)) {
        const declares = depth === 0 && (previous === "const" || previous === "declares");
        if (declares) declared.add(name);
        if (declares && previous === "const" && open === undefined)
          open = { name, start: previousStart, end: -1 };
        const hit: Hit = {
          start: token.start,
          end: token.end,
          name,
          member: previous === ".",
          declares,
        };
        hits.push(hit);
        // A key is an identifier right after `{` or `,` and right before `:`.
        if (previous === "{" || previous === ",") last = hit;
      }
    }
    previous = kind;
    previousStart = token.start;
  }
  if (prune) {
    const used = new Set(hits.filter((h) => !h.member && !h.declares).map((h) => h.name));
    for (const s of statements) if (!used.has(s.name)) cuts.push(s);
    cuts.sort((a, b) => a.start - b.start);
  }
  const names = new Map<string, string>();
  const counters = new Map<string, number>();
  let out = "";
  let at = 0;
  let cut = 0;
  for (const hit of hits) {
    // Cuts never overlap a hit partly: a hit is inside a dead statement or outside every cut.
    while (cut < cuts.length && cuts[cut]!.start < hit.start) {
      if (cuts[cut]!.start >= at) {
        out += code.slice(at, cuts[cut]!.start);
        at = cuts[cut]!.end;
      }
      cut++;
    }
    if (hit.start < at || hit.member || !declared.has(hit.name)) continue;
    let renamed = names.get(hit.name);
    if (renamed === undefined) {
      const prefix = EXT_NAME.exec(hit.name)![1]!;
      const next = counters.get(prefix) ?? 0;
      counters.set(prefix, next + 1);
      renamed = `${prefix}${next}`;
      names.set(hit.name, renamed);
    }
    out += code.slice(at, hit.start) + renamed;
    at = hit.end;
  }
  for (; cut < cuts.length; cut++) {
    if (cuts[cut]!.start < at) continue;
    out += code.slice(at, cuts[cut]!.start);
    at = cuts[cut]!.end;
  }
  return out + code.slice(at);
}
