/**
 * What a model's generated files depend on, as one hash per model: its own
 * IR plus the IR of every model its per-model emitters read, the closure
 * over `$ref` targets (a validator inlines the schemas it references, a
 * data interface names their types) and the inheritance hierarchy (a class
 * inherits its base's link accessors, and the SQL table spec of a hierarchy
 * holds every member's columns). Link targets need no edge: the class uses
 * only their names and key properties, which are in the model's own LinkIR.
 * A watch-mode rebuild re-emits exactly the models whose hash changed.
 */
import { createHash } from "node:crypto";
import { toCode } from "../emit/to-code.js";
import type { ModelIR, ProjectIR } from "./types.js";

/** Model name -> hash of everything its per-model files are generated from. */
export function modelFingerprints(ir: ProjectIR): Map<string, string> {
  const byName = new Map(ir.models.map((m) => [m.name, m]));
  const own = new Map(
    ir.models.map((m) => [m.name, createHash("sha1").update(toCode(m)).digest("base64")]),
  );
  const edges = new Map(ir.models.map((m) => [m.name, directDependencies(m, byName)]));
  const out = new Map<string, string>();
  for (const model of ir.models) {
    const closure = new Set<string>([model.name]);
    const queue = [model.name];
    while (queue.length > 0) {
      for (const next of edges.get(queue.pop()!) ?? []) {
        if (closure.has(next)) continue;
        closure.add(next);
        queue.push(next);
      }
    }
    const hash = createHash("sha1").update(own.get(model.name)!);
    for (const name of [...closure].sort())
      if (name !== model.name) hash.update(`\0${name}\0${own.get(name)}`);
    out.set(model.name, hash.digest("base64"));
  }
  return out;
}

/** `$ref` targets (IR schemas hold refs as `Model` or `Model#/pointer`), base and sub-models. */
function directDependencies(model: ModelIR, byName: ReadonlyMap<string, ModelIR>): Set<string> {
  const out = new Set<string>(model.subModels);
  if (model.base !== undefined) out.add(model.base);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const target = value.split("#")[0]!;
        if (target !== "" && byName.has(target)) out.add(target);
      } else visit(value);
    }
  };
  visit(model.schema);
  out.delete(model.name);
  return out;
}
