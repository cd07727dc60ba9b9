/**
 * Each model's properties: inherited ones first (root base down), then its
 * own; a redeclared property replaces the inherited one in place.
 */
import { escapePointer } from "../../errors/json-pointer.js";
import type { ModelSource } from "./model-sources.js";
import { propertyIR, type Deref } from "./property-ir.js";
import type { PropertyIR } from "./types.js";

/** Every model's property list, keyed by model name. */
export function propertiesOf(
  models: readonly ModelSource[],
  byName: ReadonlyMap<string, ModelSource>,
  chain: (name: string) => readonly string[],
  deref: (m: ModelSource) => Deref,
): Map<string, PropertyIR[]> {
  const propertiesByModel = new Map<string, PropertyIR[]>();
  for (const m of models) {
    const lineage = [...chain(m.name).map((n) => byName.get(n)!), m];
    // `required` anywhere in the lineage applies to the property wherever it is declared.
    const required = new Set(lineage.flatMap(requiredOf));
    const list: PropertyIR[] = [];
    for (const owner of lineage) {
      for (const p of ownProperties(owner, owner !== m, required, deref(owner))) {
        const at = list.findIndex((q) => q.name === p.name);
        if (at >= 0) list[at] = p;
        else list.push(p);
      }
    }
    propertiesByModel.set(m.name, list);
  }
  return propertiesByModel;
}

/** The properties `m` declares itself; inherited ones are never unique or indexed in a sub-model. */
function ownProperties(
  m: ModelSource,
  inherited: boolean,
  requiredAll: ReadonlySet<string>,
  deref: Deref,
): PropertyIR[] {
  const props = m.normalized["properties"];
  if (props === null || typeof props !== "object") return [];
  return Object.entries(props as Record<string, Record<string, unknown>>).map(([name, schema]) => {
    const p = propertyIR(
      name,
      schema,
      deref,
      `/properties/${escapePointer(name)}`,
      requiredAll.has(name),
    );
    return inherited ? { ...p, inheritedFrom: m.name, unique: false, indexed: false } : p;
  });
}

function requiredOf(m: ModelSource): string[] {
  return Array.isArray(m.normalized["required"]) ? (m.normalized["required"] as string[]) : [];
}
