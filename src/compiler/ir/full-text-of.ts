/**
 * A model's `fullText`: the string properties `search(words)` looks in, and
 * the text-search configuration (default "simple": no stemming, so the SQL
 * column and the wrapper's index match the same records). A hierarchy has
 * one table, so only its root declares it and sub-models inherit it.
 */
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import type { FullTextIR, PropertyIR } from "./types.js";

/** The column `fullText` adds; no property of such a model may take its name. */
const RESERVED = "perstore_search";

/**
 * The model's own `fullText`, checked: every field a string property of the
 * model, declared on a root model only, and no property named `perstore_search`.
 */
export function fullTextOf(
  m: ModelSource,
  properties: readonly PropertyIR[],
  isSubModel: boolean,
  diagnostics: Diagnostics,
): FullTextIR | undefined {
  const declared = m.normalized["fullText"] as { fields?: unknown; language?: unknown } | undefined;
  if (declared === undefined || declared === null || !Array.isArray(declared.fields))
    return undefined;
  let ok = true;
  if (isSubModel) {
    diagnostics.error(
      "SCHEMA_FULLTEXT_ON_SUBMODEL",
      `${m.name} is stored in its base model's table: declare fullText on the base model`,
      m.file,
      "/fullText",
    );
    ok = false;
  }
  (declared.fields as string[]).forEach((field, i) => {
    const property = properties.find((p) => p.name === field);
    if (property === undefined || property.type !== "string") {
      diagnostics.error(
        "SCHEMA_FULLTEXT_FIELD",
        property === undefined
          ? `fullText field ${field} is not a property of ${m.name}`
          : `fullText field ${field} is ${property.type}, not a string`,
        m.file,
        `/fullText/fields/${i}`,
      );
      ok = false;
    }
  });
  const reserved = properties.find((p) => p.name === RESERVED);
  if (reserved !== undefined) {
    diagnostics.error(
      "SCHEMA_RESERVED_PROPERTY",
      `"${RESERVED}" is reserved for the full-text column`,
      m.file,
      reserved.pointer,
    );
    ok = false;
  }
  if (!ok) return undefined;
  const language = typeof declared.language === "string" ? declared.language : "simple";
  return { fields: [...(declared.fields as string[])], language };
}
