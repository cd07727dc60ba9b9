/**
 * The JSON of records read through a base model of an `allOf` hierarchy
 * (`GET /Person/` finds Employees): each sub-model record names its model in
 * `perstore_type`, as the hierarchy's stores do, so a client (a RemoteStore
 * under `createModels({ remote })`) builds the sub-model instance a local
 * store would. Models without sub-models get no replacer: their JSON is
 * `JSON.stringify`'s, at no cost.
 */
import { DISCRIMINATOR } from "../model/hierarchy-store.js";
import type { Model } from "../model/index.js";

type AnyModel = Model<any, any, any>;
type Replacer = (this: unknown, key: string, value: unknown) => unknown;

const replacers = new WeakMap<AnyModel, Replacer | undefined>();

/** The `JSON.stringify` replacer for records of `model` (undefined when it has no sub-models). */
export function subModelReplacer(
  model: AnyModel,
  models: Readonly<Record<string, AnyModel>>,
): Replacer | undefined {
  if (replacers.has(model)) return replacers.get(model);
  const names = new Map<object, string>();
  for (const other of Object.values(models))
    if (other !== model && isBelow(other, model, models))
      names.set(other.definition.instanceClass.prototype as object, other.name);
  const replacer: Replacer | undefined =
    names.size === 0
      ? undefined
      : function (this: unknown, key, value) {
          // `this[key]` is the instance itself (value is what its toJSON gave).
          const original = (this as Record<string, unknown>)[key];
          if (original === null || typeof original !== "object") return value;
          const name = names.get(Object.getPrototypeOf(original) as object);
          return name === undefined ? value : { ...(value as object), [DISCRIMINATOR]: name };
        };
  replacers.set(model, replacer);
  return replacer;
}

/** Whether `model` is a sub-model (at any depth) of `base`. */
function isBelow(
  model: AnyModel,
  base: AnyModel,
  models: Readonly<Record<string, AnyModel>>,
): boolean {
  const seen = new Set<string>();
  for (let name = model.definition.base; name !== undefined && !seen.has(name);) {
    if (name === base.name) return true;
    seen.add(name);
    name = models[name]?.definition.base;
  }
  return false;
}
