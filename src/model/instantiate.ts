/**
 * Building instances from stored records and reading records back out of
 * instances. Instances are made with `Object.create(class.prototype)` (no
 * constructor runs) and get own copies of the data, defined rather than
 * assigned, so no key (`__proto__`, a setter on the prototype) can reach the
 * prototype chain. A record's own `$schema` or `__proto__` never chooses the
 * class: the model does.
 */
import { copyRecord } from "../store/copy.js";
import { bindInstance, type AnyInstance, type InstanceBinding } from "./model-instance.js";

export type DataRecord = Record<string, unknown>;

/** The keys an instance leaves out (a facet's test, or a set). */
type KeySet = Pick<ReadonlySet<string>, "has">;
const NONE: KeySet = new Set<string>();

/** A fresh instance of `prototype`'s class holding a copy of `record` minus `omit`. */
export function instantiate<T extends AnyInstance>(
  prototype: T,
  record: DataRecord,
  binding: InstanceBinding,
  omit: KeySet = NONE,
): T {
  const instance = Object.create(prototype as object) as T;
  setInstanceData(instance, record, omit);
  bindInstance(instance, binding);
  return instance;
}

/** Replace an instance's own data with a copy of `record` (used after `save()` so the caller's object is current). */
function setInstanceData(instance: AnyInstance, record: DataRecord, omit: KeySet = NONE): void {
  for (const key of Object.keys(instance)) delete (instance as unknown as DataRecord)[key];
  const data = copyRecord(record);
  for (const key of Object.keys(data)) {
    if (omit.has(key)) continue;
    Object.defineProperty(instance, key, {
      value: data[key],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}

/** `instance.save()`: store the instance with `put`, then make its data what the store holds (so the caller's object is current). */
export async function saveInstance<T extends AnyInstance>(
  instance: T,
  put: (data: T) => Promise<AnyInstance>,
): Promise<T> {
  setInstanceData(instance, { ...(await put(instance)) });
  return instance;
}

/** A plain copy of the data an instance (or any object) holds in its own enumerable properties. */
export function recordOf(value: object): DataRecord {
  return copyRecord({ ...(value as DataRecord) });
}
