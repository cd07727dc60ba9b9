/**
 * The writes behind `create`, `put` and `patch` (and a facet's): the final
 * record is built, passed to the writer's `prepare`, checked whole and put
 * in stored form before the store sees it, so a refused write changes
 * nothing; the stored record is then read back as an instance.
 */
import { randomUUID } from "node:crypto";
import { NotFoundError } from "../errors/index.js";
import { copyRecord } from "../store/copy.js";
import type { Id } from "../store/types.js";
import { DISCRIMINATOR } from "./hierarchy-store.js";
import { recordOf, type DataRecord } from "./instantiate.js";
import type { AnyInstance } from "./model-instance.js";
import type { BoundModel, WriteVia } from "./model.js";
import { recordModel } from "./record-model.js";
import { unsupported } from "./unsupported.js";
import { assertReadonlyKept, assertValid, toStoredForm } from "./write-checks.js";

type AnyModel = BoundModel<AnyInstance, object>;

/** create(): defaults, an id when the key is a string, `prepare`, validation, add. */
export async function createRecord(
  model: AnyModel,
  data: object,
  via: WriteVia,
): Promise<AnyInstance> {
  let record = recordOf(data);
  delete record[DISCRIMINATOR];
  for (const [key, value] of Object.entries(model.definition.defaults ?? {})) {
    if (record[key] === undefined) record[key] = copyRecord(value);
  }
  const idType = model.definition.querySchema.fields[model.primaryKey];
  if (record[model.primaryKey] === undefined && (idType === "string" || idType === undefined)) {
    record[model.primaryKey] = randomUUID();
  }
  if (via.prepare) record = via.prepare(record, undefined);
  assertValid(model, record, record[model.primaryKey] === undefined);
  toStoredForm(model, record);
  const store = await model.store();
  if (!store.add && !store.put) throw unsupported(model.name, "add");
  const id = store.add ? await store.add(record) : await store.put!(record, { overwrite: false });
  return reread(model, id, record, via);
}

/**
 * put(): full replace (or create when absent), keeping read-only
 * properties. A stored sub-model record (an Employee put through Person)
 * is replaced as that sub-model: its validator and read-only properties
 * apply and the result is a sub-model instance.
 */
export async function putRecord(
  model: AnyModel,
  data: object,
  via: WriteVia,
): Promise<AnyInstance> {
  const record = recordOf(data);
  delete record[DISCRIMINATOR];
  const id = record[model.primaryKey];
  const existing =
    typeof id === "string" || typeof id === "number" ? await model.fetch(id) : undefined;
  const owner = existing ? recordModel(model, existing) : model;
  return replaceRecord(owner, record, existing, via);
}

/**
 * patch(): merge `changes` (an `undefined` value removes the property) into
 * the stored record, then as put(): a sub-model's record keeps its own
 * properties and is validated as the sub-model.
 */
export async function patchRecord(
  model: AnyModel,
  id: Id,
  changes: object,
  via: WriteVia,
): Promise<AnyInstance> {
  const existing = await model.fetch(id);
  if (!existing) throw new NotFoundError(`${model.name} ${String(id)} does not exist`);
  const record: DataRecord = { ...existing };
  for (const [key, value] of Object.entries(recordOf(changes))) {
    if (value === undefined) delete record[key];
    else record[key] = value;
  }
  delete record[DISCRIMINATOR];
  return replaceRecord(recordModel(model, existing), record, existing, via);
}

/**
 * Store `record` in place of `existing` (or as new): `prepare`, read-only
 * properties kept, validation, stored form. `model` is the model the stored
 * record belongs to, so a sub-model's record is checked as the sub-model.
 */
async function replaceRecord(
  model: AnyModel,
  record: DataRecord,
  existing: DataRecord | undefined,
  via: WriteVia,
): Promise<AnyInstance> {
  if (via.prepare) record = via.prepare(record, existing);
  if (existing) assertReadonlyKept(model, record, existing);
  assertValid(model, record, false);
  toStoredForm(model, record);
  const store = await model.store();
  if (!store.put) throw unsupported(model.name, "put");
  return reread(model, await store.put(record, existing ? { overwrite: true } : {}), record, via);
}

/** Read the stored record back after a write (stores may add values), as an instance. */
async function reread(
  model: AnyModel,
  id: Id,
  record: DataRecord,
  via: WriteVia,
): Promise<AnyInstance> {
  const stored = await model.fetch(id);
  return model.toInstance(
    stored ?? { ...record, [model.primaryKey]: id },
    via.binding ?? "binding",
    via.omit,
  );
}
