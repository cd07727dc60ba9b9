/** A model's `facets`: restricted views with hidden/readonly properties, a filter and limits. */
import type { QuerySchema } from "../../query/ast.js";
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import { CLAUSES, CONDITION_OPERATORS } from "../../query/parse/rql-operators.js";
import { facetQueryEntries } from "./facet-queries.js";
import { parseChecked } from "./parse-checked.js";
import type { FacetIR } from "./types.js";

/** Every operator a facet's `operators` may list: the query language's own tables. */
export const QUERY_OPERATORS: readonly string[] = [
  ...CONDITION_OPERATORS,
  "and",
  "or",
  "not",
  "search",
  ...CLAUSES,
];

/**
 * The facets of `m`, sorted by name; unknown properties and operators, and
 * filters that do not parse, are reported (their `queries` are checked once
 * the model's inherited queries are known: see facet-queries.ts).
 */
export function facetsOf(
  m: ModelSource,
  schema: QuerySchema,
  has: (name: string) => boolean,
  diagnostics: Diagnostics,
): FacetIR[] {
  const declared = m.normalized["facets"];
  if (declared === null || typeof declared !== "object") return [];
  const out: FacetIR[] = [];
  for (const [name, spec] of Object.entries(declared as Record<string, Record<string, unknown>>)) {
    const at = `/facets/${name}`;
    const list = (key: string): string[] =>
      Array.isArray(spec[key]) ? (spec[key] as string[]) : [];
    for (const key of ["hidden", "readonly"]) {
      list(key).forEach((p, i) => {
        if (!has(p))
          diagnostics.error(
            "SCHEMA_UNKNOWN_FACET_PROPERTY",
            `facet ${name}: ${p} is not a property of ${m.name}`,
            m.file,
            `${at}/${key}/${i}`,
          );
      });
    }
    list("operators").forEach((op, i) => {
      if (!QUERY_OPERATORS.includes(op))
        diagnostics.error(
          "SCHEMA_UNKNOWN_OPERATOR",
          `facet ${name}: unknown query operator ${op}`,
          m.file,
          `${at}/operators/${i}`,
        );
    });
    const facet: { -readonly [K in keyof FacetIR]: FacetIR[K] } = {
      name,
      methods: list("methods"),
      hidden: list("hidden"),
      readonly: list("readonly"),
      queries: facetQueryEntries(m, name, spec, list("hidden"), diagnostics),
    };
    if (spec["filter"] !== undefined) {
      const filter = parseChecked(spec["filter"], schema, (code, message) =>
        diagnostics.error(code, `facet ${name} filter: ${message}`, m.file, `${at}/filter`),
      );
      if (filter) facet.filter = filter;
    }
    if (typeof spec["maxLimit"] === "number") facet.maxLimit = spec["maxLimit"];
    if (Array.isArray(spec["operators"])) facet.operators = list("operators");
    out.push(facet);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
