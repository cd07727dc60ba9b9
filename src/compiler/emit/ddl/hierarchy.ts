import type { ModelIR, ProjectIR } from "../../ir/types.js";

/** One SQL table: a model and, table-per-hierarchy, all of its sub-models. */
export interface Hierarchy {
  readonly root: ModelIR;
  /** The root first, then its sub-models sorted by name. */
  readonly models: readonly ModelIR[];
}

/** The root (topmost base) of every model, by model name. */
export function rootsOf(ir: ProjectIR): ReadonlyMap<string, ModelIR> {
  const byName = new Map(ir.models.map((model) => [model.name, model]));
  const roots = new Map<string, ModelIR>();
  for (const model of ir.models) {
    let root = model;
    const seen = new Set<string>();
    while (root.base !== undefined && !seen.has(root.name)) {
      seen.add(root.name);
      root = byName.get(root.base) ?? root;
    }
    roots.set(model.name, root);
  }
  return roots;
}

/** The hierarchies of a project, sorted by table name. */
export function hierarchiesOf(ir: ProjectIR): readonly Hierarchy[] {
  const byName = new Map(ir.models.map((model) => [model.name, model]));
  const roots = rootsOf(ir);
  const hierarchies: Hierarchy[] = [];
  for (const model of ir.models) {
    if (roots.get(model.name) !== model) continue;
    const subs = [...model.subModels]
      .sort()
      .map((name) => byName.get(name))
      .filter((sub): sub is ModelIR => sub !== undefined);
    hierarchies.push({ root: model, models: [model, ...subs] });
  }
  return hierarchies.sort((a, b) => compareText(a.root.table, b.root.table));
}

/** Code-point order, the same on every machine (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
