/**
 * A facet's `queries`: the named queries it exposes, deny by default. A
 * listed query must exist, and may name a property the facet hides only
 * when its entry says so (`{ "name": "bornBefore", "reveals": ["birthDate"] }`):
 * every call would otherwise tell the caller something about the hidden value.
 */
import type { Diagnostics } from "../load/diagnostics.js";
import { propertiesUsed } from "../../query/properties-used.js";
import type { ModelSource } from "./model-sources.js";
import type { FacetIR, FacetQueryIR, NamedQueryIR } from "./types.js";

/** The `queries` entries of one facet spec, as IR; a `reveals` the facet does not hide is reported. */
export function facetQueryEntries(
  m: ModelSource,
  facet: string,
  spec: Record<string, unknown>,
  hidden: readonly string[],
  diagnostics: Diagnostics,
): FacetQueryIR[] {
  const entries = Array.isArray(spec["queries"]) ? (spec["queries"] as unknown[]) : [];
  return entries.flatMap((entry, i): FacetQueryIR[] => {
    if (typeof entry === "string") return [{ name: entry, reveals: [] }];
    const { name, reveals } = (entry ?? {}) as { name?: unknown; reveals?: unknown };
    if (typeof name !== "string" || !Array.isArray(reveals)) return []; // the meta-schema said why
    reveals.forEach((property: unknown, j) => {
      if (typeof property === "string" && !hidden.includes(property))
        diagnostics.error(
          "SCHEMA_FACET_REVEALS",
          `facet ${facet}: query ${name} reveals ${property}, which the facet does not hide`,
          m.file,
          `/facets/${facet}/queries/${i}/reveals/${j}`,
        );
    });
    return [{ name, reveals: reveals.filter((p): p is string => typeof p === "string") }];
  });
}

/**
 * Check every facet's `queries` against the model's named queries (its own
 * and inherited ones): SCHEMA_UNKNOWN_FACET_QUERY for a name that is not one,
 * SCHEMA_FACET_HIDDEN_QUERY for a query that names a hidden property its
 * entry does not list in `reveals`.
 */
export function checkFacetQueries(
  m: ModelSource,
  facets: readonly FacetIR[],
  queries: readonly NamedQueryIR[],
  diagnostics: Diagnostics,
): void {
  const byName = new Map(queries.map((q) => [q.name, q]));
  for (const facet of facets) {
    facet.queries.forEach((entry, i) => {
      const at = `/facets/${facet.name}/queries/${i}`;
      const query = byName.get(entry.name);
      if (query === undefined) {
        diagnostics.error(
          "SCHEMA_UNKNOWN_FACET_QUERY",
          `facet ${facet.name}: ${m.name} has no named query ${entry.name}`,
          m.file,
          at,
        );
        return;
      }
      const unacknowledged = propertiesUsed(query.query).filter(
        (p) => facet.hidden.includes(p) && !entry.reveals.includes(p),
      );
      if (unacknowledged.length > 0) {
        const list = unacknowledged.join(", ");
        diagnostics.error(
          "SCHEMA_FACET_HIDDEN_QUERY",
          `facet ${facet.name} hides ${list}, which query ${entry.name} reads: every call would reveal something about ${unacknowledged.length === 1 ? "it" : "them"}. Remove the query from the facet, or list it as { "name": ${JSON.stringify(entry.name)}, "reveals": ${JSON.stringify(unacknowledged)} } to accept that`,
          m.file,
          at,
        );
      }
    });
  }
}
