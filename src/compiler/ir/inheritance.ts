/**
 * Model inheritance: a model extends the model its first whole-model `allOf`
 * `$ref` names. Cycles and second bases are reported, and the model is then
 * treated as having no (further) base so the rest of the build can go on.
 */
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";

/** Each model's base, its chain of ancestors and its sub-models. */
export interface Inheritance {
  /** The direct base of each model that has one. */
  readonly bases: ReadonlyMap<string, string>;
  /** A model's ancestors, root base first (empty for none). */
  readonly chain: (name: string) => readonly string[];
  /** The models that have this one somewhere in their chain. */
  readonly subModelsOf: ReadonlyMap<string, readonly string[]>;
}

/** Resolves every model's base; reports SCHEMA_MULTIPLE_BASES and SCHEMA_INHERITANCE_CYCLE. */
export function resolveInheritance(
  models: readonly ModelSource[],
  byName: ReadonlyMap<string, ModelSource>,
  diagnostics: Diagnostics,
): Inheritance {
  // The first allOf entry that references a whole model.
  const bases = new Map<string, string>();
  for (const m of models) {
    const allOf = m.normalized["allOf"];
    if (!Array.isArray(allOf)) continue;
    allOf.forEach((entry: unknown, i) => {
      const ref = (entry as Record<string, unknown> | null)?.["$ref"];
      if (typeof ref !== "string" || ref.includes("#") || !byName.has(ref)) return;
      if (bases.has(m.name)) {
        diagnostics.error(
          "SCHEMA_MULTIPLE_BASES",
          `a model has one base; ${m.name} already extends ${bases.get(m.name)}`,
          m.file,
          `/allOf/${i}/$ref`,
        );
      } else bases.set(m.name, ref);
    });
  }
  for (const m of models) {
    const seen = [m.name];
    for (let b = bases.get(m.name); b !== undefined; b = bases.get(b)) {
      if (b === m.name) {
        diagnostics.error(
          "SCHEMA_INHERITANCE_CYCLE",
          `inheritance cycle: ${[...seen, b].join(" -> ")}`,
          m.file,
          baseRefPointer(m),
        );
        bases.delete(m.name);
        break;
      }
      if (seen.includes(b)) break; // a cycle further up; reported on its own members
      seen.push(b);
    }
  }
  const chains = new Map<string, string[]>();
  const chain = (name: string): string[] => {
    let out = chains.get(name);
    if (out) return out;
    out = [];
    for (
      let b = bases.get(name);
      b !== undefined && !out.includes(b) && b !== name;
      b = bases.get(b)
    )
      out.unshift(b);
    chains.set(name, out);
    return out;
  };
  // Sub-models of each model, from every model's chain once (not a scan per model).
  const subModelsOf = new Map<string, string[]>();
  for (const m of models)
    for (const b of chain(m.name)) subModelsOf.set(b, [...(subModelsOf.get(b) ?? []), m.name]);
  return { bases, chain, subModelsOf };
}

function baseRefPointer(m: ModelSource): string {
  const allOf = m.normalized["allOf"] as unknown[];
  const i = allOf.findIndex(
    (e) => typeof (e as Record<string, unknown> | null)?.["$ref"] === "string",
  );
  return `/allOf/${i}/$ref`;
}
