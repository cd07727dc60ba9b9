/**
 * How a stored record reads back: which model of an `allOf` hierarchy it
 * belongs to (its discriminator names a sub-model), and which `null`s stand
 * for absent properties.
 */
import type { AnyInstance } from "./model-instance.js";
import type { BoundModel } from "./model.js";
import type { DataRecord } from "./instantiate.js";
import { DISCRIMINATOR } from "./hierarchy-store.js";

type AnyModel = BoundModel<AnyInstance, object>;

/** The model a stored record belongs to: the sub-model its discriminator names, else `model`. */
export function recordModel(model: AnyModel, record: DataRecord): AnyModel {
  const type = record[DISCRIMINATOR];
  return typeof type === "string" && type !== model.name && isBaseOf(model, type)
    ? (model.context.model(type) ?? model)
    : model;
}

/** Whether `model` is part of an `allOf` hierarchy, whose stored records carry the discriminator. */
export function inHierarchy(model: AnyModel): boolean {
  return model.definition.base !== undefined || (model.definition.subModels?.length ?? 0) > 0;
}

/**
 * Drops the `null`s `model`'s schema does not admit: they are how SQL says
 * "absent". Mutates `record`, a private copy.
 */
export function dropAbsentNulls(model: AnyModel, record: DataRecord): DataRecord {
  const nullable = model.definition.nullableProperties;
  if (!nullable) return record;
  for (const key of Object.keys(record)) {
    if (record[key] === null && !nullable.includes(key)) delete record[key];
  }
  return record;
}

/** Whether `model` is an ancestor of the model called `name`. */
function isBaseOf(model: AnyModel, name: string): boolean {
  const { context } = model;
  for (
    let other = context.model(name);
    other;
    other = other.definition.base ? context.model(other.definition.base) : undefined
  ) {
    if (other.definition.base === model.name) return true;
  }
  return false;
}
