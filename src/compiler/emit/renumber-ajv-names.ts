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
 * Works on tokens (TypeScript's scanner, so strings, comments and regular
 * expression literals are skipped correctly), which costs a tenth of a parse.
 */
import { ts } from "ts-morph";

/** The prefixes of ajv's external scope (ajv/dist/core.js EXT_SCOPE_NAMES). */
const EXT_NAME =
  /^(validate|serialize|parse|wrapper|root|schema|keyword|pattern|formats|func|obj|Error)(\d+)$/;
/** ajv's funcSourceUrl comment (the id is a JSON string). */
const SOURCE_URL = /^\/\*# sourceURL="(?:[^"\\]|\\.)*" \*\/$/;

const K = ts.SyntaxKind;
/** After these tokens a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set<ts.SyntaxKind>([
  K.Unknown,
  K.EqualsToken,
  K.OpenParenToken,
  K.CommaToken,
  K.ColonToken,
  K.OpenBracketToken,
  K.ExclamationToken,
  K.AmpersandAmpersandToken,
  K.BarBarToken,
  K.QuestionToken,
  K.OpenBraceToken,
  K.CloseBraceToken,
  K.SemicolonToken,
  K.ReturnKeyword,
  K.EqualsEqualsEqualsToken,
  K.ExclamationEqualsEqualsToken,
  K.EqualsEqualsToken,
  K.ExclamationEqualsToken,
]);
const DECLARES = new Set<ts.SyntaxKind>([
  K.ConstKeyword,
  K.LetKeyword,
  K.VarKeyword,
  K.FunctionKeyword,
]);
const TRIVIA = new Set<ts.SyntaxKind>([
  K.WhitespaceTrivia,
  K.NewLineTrivia,
  K.SingleLineCommentTrivia,
  K.MultiLineCommentTrivia,
  K.ShebangTrivia,
  K.ConflictMarkerTrivia,
]);

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
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    ts.LanguageVariant.Standard,
    code,
  );
  const declared = new Set<string>();
  const hits: Hit[] = [];
  /** Ranges to cut: sourceURL comments, then dead statements. */
  const cuts: { start: number; end: number }[] = [];
  const statements: ConstStatement[] = [];
  let open: ConstStatement | undefined;
  let depth = 0;
  let previous: ts.SyntaxKind = K.Unknown;
  let previousStart = 0;
  let last: Hit | undefined;
  for (let kind = scanner.scan(); kind !== K.EndOfFileToken; kind = scanner.scan()) {
    if (TRIVIA.has(kind)) {
      if (prune && kind === K.MultiLineCommentTrivia && SOURCE_URL.test(scanner.getTokenText())) {
        // The empty statement ajv puts after it goes too.
        let end = scanner.getTokenEnd();
        if (code[end] === ";") end++;
        cuts.push({ start: scanner.getTokenStart(), end });
      }
      continue;
    }
    if ((kind === K.SlashToken || kind === K.SlashEqualsToken) && BEFORE_REGEX.has(previous))
      kind = scanner.reScanSlashToken();
    if (last !== undefined && kind === K.ColonToken) last.member = true;
    last = undefined;
    if (kind === K.OpenBraceToken) depth++;
    else if (kind === K.CloseBraceToken) depth--;
    else if (kind === K.SemicolonToken && depth === 0 && open !== undefined) {
      open.end = scanner.getTokenEnd();
      statements.push(open);
      open = undefined;
    } else if (kind === K.Identifier) {
      const name = scanner.getTokenText();
      if (EXT_NAME.test(name)) {
        const declares = depth === 0 && DECLARES.has(previous);
        if (declares) declared.add(name);
        if (declares && previous === K.ConstKeyword && open === undefined)
          open = { name, start: previousStart, end: -1 };
        const hit: Hit = {
          start: scanner.getTokenStart(),
          end: scanner.getTokenEnd(),
          name,
          member: previous === K.DotToken || previous === K.QuestionDotToken,
          declares,
        };
        hits.push(hit);
        // A key is an identifier right after `{` or `,` and right before `:`.
        if (previous === K.OpenBraceToken || previous === K.CommaToken) last = hit;
      }
    }
    previous = kind;
    previousStart = scanner.getTokenStart();
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
