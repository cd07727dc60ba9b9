/**
 * `$ref` resolution over normalized model sources, where every reference is
 * already in `Model#/pointer` form (see model-sources.ts).
 */
import { getByPointer } from "./json-pointer.js";
import type { ModelSource } from "./model-sources.js";
import type { Deref } from "./property-ir.js";

/**
 * A `Deref` for schemas inside `from`: follows `$ref` chains (at most 32
 * hops, so a reference loop cannot hang the build) and stops at the last
 * schema it could resolve.
 */
export function derefFrom(byName: ReadonlyMap<string, ModelSource>, from: ModelSource): Deref {
  return (schema) => {
    let current = schema;
    let owner = from;
    for (let hops = 0; hops < 32 && typeof current["$ref"] === "string"; hops++) {
      const ref = current["$ref"];
      const hash = ref.indexOf("#");
      const target = hash < 0 ? ref : ref.slice(0, hash);
      // A schema outside the project (the draft 2020-12 meta-schema) is not followed.
      const next = target === "" ? owner : byName.get(target);
      if (next === undefined) return current;
      owner = next;
      const found = getByPointer(owner.normalized, hash < 0 ? "" : ref.slice(hash + 1));
      if (found === null || typeof found !== "object") return current;
      current = found as Record<string, unknown>;
    }
    return current;
  };
}
