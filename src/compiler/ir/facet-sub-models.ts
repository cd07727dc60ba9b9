/**
 * A base model's facet serves its sub-models' records too, and the
 * sub-model's facet of the same name decides what of them it shows (see
 * model/facet-scope.ts). So that facet may grant no more than the base's:
 * no method the base's withholds, no property the base's hides, none
 * writable that the base's keeps read-only (SCHEMA_FACET_WIDER_THAN_BASE).
 * Otherwise holding `Person.directory` would reveal more of an Employee than
 * of a Person.
 */
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import type { FacetIR, ModelIR } from "./types.js";

/** Facet method names, and the names in `methods` that grant each (as the model runtime reads them). */
const GRANTS: Readonly<Record<string, readonly string[]>> = {
  get: ["get"],
  query: ["query"],
  create: ["create", "add"],
  put: ["put", "save"],
  patch: ["patch"],
  delete: ["delete"],
};

/** The operations a facet's `methods` grant. */
function granted(facet: FacetIR): Set<string> {
  const out = new Set<string>();
  for (const [operation, names] of Object.entries(GRANTS))
    if (names.some((name) => facet.methods.includes(name))) out.add(operation);
  return out;
}

/** Report each sub-model facet that grants more than its ancestors' facets of the same name. */
export function checkSubModelFacets(
  irs: readonly ModelIR[],
  sources: ReadonlyMap<string, ModelSource>,
  chain: (name: string) => readonly string[],
  diagnostics: Diagnostics,
): void {
  const byName = new Map(irs.map((ir) => [ir.name, ir]));
  for (const ir of irs) {
    for (const facet of ir.facets) {
      for (const ancestor of chain(ir.name)) {
        const base = byName.get(ancestor)?.facets.find((f) => f.name === facet.name);
        if (base === undefined) continue;
        const wider: string[] = [];
        const theirs = `${ancestor}.${facet.name}`;
        const methods = granted(facet);
        const baseMethods = granted(base);
        for (const method of methods)
          if (!baseMethods.has(method)) wider.push(`allows ${method} (${theirs} does not)`);
        for (const property of base.hidden)
          if (!facet.hidden.includes(property))
            wider.push(`shows ${property} (${theirs} hides it)`);
        for (const property of base.readonly)
          if (!facet.readonly.includes(property) && !facet.hidden.includes(property))
            wider.push(`lets ${property} be written (${theirs} keeps it read-only)`);
        if (wider.length === 0) continue;
        const source = sources.get(ir.name);
        if (source === undefined) continue;
        diagnostics.error(
          "SCHEMA_FACET_WIDER_THAN_BASE",
          `facet ${ir.name}.${facet.name} grants more than ${theirs}, which serves ${ir.name} records through it: it ${wider.join("; ")}`,
          source.file,
          `/facets/${facet.name}`,
        );
      }
    }
  }
}
