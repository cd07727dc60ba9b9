/**
 * ajv names the validators, schemas and formats of standalone code with one
 * counter per ajv instance (`validate31`, `schema42`, `formats2`), so a
 * model's validator would read differently depending on what else the same
 * instance compiled first. Renumbering those names by first appearance makes
 * each validator file depend only on its own schema and the schemas it
 * references: a one-model rebuild emits the same bytes as a full build.
 *
 * Works on tokens (TypeScript's scanner, so strings, comments and regular
 * expression literals are skipped correctly), which costs a tenth of a parse.
 */
import { ts } from "ts-morph";

/** The prefixes of ajv's external scope (ajv/dist/core.js EXT_SCOPE_NAMES). */
const EXT_NAME = /^(validate|serialize|parse|wrapper|root|schema|keyword|pattern|formats|func|obj|Error)(\d+)$/;

const K = ts.SyntaxKind;
/** After these tokens a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set<ts.SyntaxKind>([
  K.Unknown, K.EqualsToken, K.OpenParenToken, K.CommaToken, K.ColonToken, K.OpenBracketToken, K.ExclamationToken,
  K.AmpersandAmpersandToken, K.BarBarToken, K.QuestionToken, K.OpenBraceToken, K.CloseBraceToken, K.SemicolonToken,
  K.ReturnKeyword, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken,
]);
const DECLARES = new Set<ts.SyntaxKind>([K.ConstKeyword, K.LetKeyword, K.VarKeyword, K.FunctionKeyword]);

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** `x.name`, or a key `{ name: ... }`: not a reference to the variable. */
  member: boolean;
}

/** Renumber ajv's top-level names in `code` from 0, per prefix, in order of first appearance. */
export function renumberAjvNames(code: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const declared = new Set<string>();
  const hits: Hit[] = [];
  let depth = 0;
  let previous: ts.SyntaxKind = K.Unknown;
  let last: Hit | undefined;
  for (let kind = scanner.scan(); kind !== K.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === K.SlashToken || kind === K.SlashEqualsToken) && BEFORE_REGEX.has(previous)) kind = scanner.reScanSlashToken();
    if (last !== undefined && kind === K.ColonToken) last.member = true;
    last = undefined;
    if (kind === K.OpenBraceToken) depth++;
    else if (kind === K.CloseBraceToken) depth--;
    else if (kind === K.Identifier) {
      const name = scanner.getTokenText();
      if (EXT_NAME.test(name)) {
        if (depth === 0 && DECLARES.has(previous)) declared.add(name);
        const hit: Hit = { start: scanner.getTokenStart(), end: scanner.getTokenEnd(), name, member: previous === K.DotToken || previous === K.QuestionDotToken };
        hits.push(hit);
        // A key is an identifier right after `{` or `,` and right before `:`.
        if (previous === K.OpenBraceToken || previous === K.CommaToken) last = hit;
      }
    }
    previous = kind;
  }
  const names = new Map<string, string>();
  const counters = new Map<string, number>();
  let out = "";
  let at = 0;
  for (const hit of hits) {
    if (hit.member || !declared.has(hit.name)) continue;
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
  return out + code.slice(at);
}
