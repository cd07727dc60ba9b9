/**
 * Keywords and formats ajv would not know, found at every schema position of
 * a model file, so each is a located diagnostic (all of them in one run)
 * instead of ajv's first "strict mode: unknown keyword" at emit time. An
 * unknown keyword is refused rather than ignored as JSON Schema allows: a
 * misspelt perstore keyword ("lnks", "primarykey") would otherwise vanish
 * silently. `x-` keywords are the escape hatch for annotations of one's own.
 */
import type { CompilerAjv } from "./create-ajv.js";
import { didYouMean } from "./did-you-mean.js";
import { escapePointer } from "../../errors/json-pointer.js";
import { subschemasOf } from "../ir/subschemas.js";

export interface KeywordProblem {
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
}

/** What the walk needs from ajv: its keywords and formats. */
export interface KnownKeywords {
  readonly keywords: ReadonlySet<string>;
  readonly formats: ReadonlySet<string>;
}

/** Core keywords ajv reads while resolving references but does not register as rules. */
const CORE_KEYWORDS = ["$anchor", "$dynamicAnchor", "$dynamicRef", "$comment", "$vocabulary"];

export function knownKeywordsOf(ajv: CompilerAjv): KnownKeywords {
  return {
    keywords: new Set([...Object.keys(ajv.RULES.keywords), ...CORE_KEYWORDS]),
    formats: new Set(Object.keys(ajv.formats)),
  };
}

/** Every unknown keyword and format, and what ajv cannot compile, in `schema` (a whole model file). */
export function checkSchemaKeywords(
  schema: Record<string, unknown>,
  known: KnownKeywords,
): KeywordProblem[] {
  const problems: KeywordProblem[] = [];
  const stack: { schema: Record<string, unknown>; pointer: string }[] = [{ schema, pointer: "" }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    for (const [key, value] of Object.entries(item.schema)) {
      const at = `${item.pointer}/${escapePointer(key)}`;
      if (!known.keywords.has(key) && !key.startsWith("x-"))
        problems.push({
          code: "SCHEMA_UNKNOWN_KEYWORD",
          message:
            `unknown keyword ${JSON.stringify(key)}${didYouMean(key, known.keywords)}; ` +
            `an annotation of your own must start with "x-"`,
          pointer: at,
        });
      if (key === "format" && typeof value === "string" && !known.formats.has(value))
        problems.push({
          code: "SCHEMA_UNKNOWN_FORMAT",
          message:
            `unknown format ${JSON.stringify(value)}${didYouMean(value, known.formats)}; ` +
            `known formats: ${[...known.formats].sort().join(", ")}`,
          pointer: at,
        });
      if (key === "$dynamicRef" && typeof value === "string" && !value.startsWith("#"))
        problems.push({
          code: "SCHEMA_UNSUPPORTED",
          message:
            `$dynamicRef ${JSON.stringify(value)}: ajv, which compiles perstore's validators, ` +
            `supports only a fragment of the same resource ("#name")`,
          pointer: at,
        });
      // JSON Schema allows it, but nothing can match it: ajv refuses to compile one.
      if (key === "enum" && Array.isArray(value) && value.length === 0)
        problems.push({
          code: "SCHEMA_INVALID",
          message: "enum must list at least one value (an empty enum matches nothing: use false)",
          pointer: at,
        });
    }
    for (const sub of subschemasOf(item.schema, item.pointer))
      stack.push({ schema: sub.schema as Record<string, unknown>, pointer: sub.pointer });
  }
  return problems.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
