/**
 * A model's instance class made at run time: what `perstore build` writes as
 * `class Book extends ModelInstance<BookData> { ... }` — the prototype's
 * methods, then one accessor per link the model declares itself (a
 * sub-model's class extends its base's, so it inherits both).
 */
import { ModelInstance, type ModelClass } from "../../model/index.js";
import type { ModelIR } from "../ir/types.js";
import type { PrototypeMethods } from "./shorthand.js";

type InstanceConstructor = abstract new (...args: never[]) => object;

/** The class of `model`'s instances, extending `base`'s when it is a sub-model. */
export function instanceClass(
  model: ModelIR,
  methods: PrototypeMethods,
  base: { readonly ir: ModelIR; readonly instanceClass: ModelClass<any> } | undefined,
): ModelClass<any> {
  const parent = (base?.instanceClass ?? ModelInstance) as unknown as InstanceConstructor;
  // A computed key names the class after the model (`instance.constructor.name`), as generated classes are.
  const made = { [model.name]: class extends parent {} }[model.name]!;
  const proto = made.prototype as Record<string, unknown>;
  // Defined like class methods: not enumerable, so they never mix with the record's data.
  for (const name of Object.keys(methods)) define(proto, name, methods[name]!);
  const inherited = new Set((base?.ir.links ?? []).map((l) => l.rel));
  for (const link of model.links) {
    if (inherited.has(link.rel)) continue;
    const rel = link.rel;
    const follow = {
      [rel](this: ModelInstance): Promise<unknown> {
        return this.$link(rel);
      },
    }[rel]!;
    define(proto, rel, follow);
  }
  return made as unknown as ModelClass<any>;
}

function define(proto: object, name: string, fn: (...args: any[]) => unknown): void {
  Object.defineProperty(proto, name, {
    value: fn,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
