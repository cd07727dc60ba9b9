/**
 * Reading the data `load` accepts: JSON text or an already parsed value, either
 * a bare array of records or JSORM's wrapped form
 * `{ meta: { id: "id", root: "data" }, data: [...] }`, where `meta.id` names the
 * id property and `meta.root` the property holding the records; or (JSORM's
 * third form) data without `meta` whose root and id the load options give.
 */
import { StoreError } from "../../errors/index.js";
import { isPrototypeKey } from "../copy.js";

/** What a load will store: the records and, when the data says so, the id property. */
export interface LoadData {
  readonly records: readonly unknown[];
  readonly idProperty?: string;
}

/** The root and id a load's options give data that has no `meta`. */
export interface LoadShape {
  readonly root?: unknown;
  readonly id?: unknown;
}

/** Parses and checks load data; a StoreError (STORE_BAD_DATA) says what is wrong. */
export function readLoadData(data: unknown, shape: LoadShape = {}): LoadData {
  const value = typeof data === "string" ? parseJson(data) : data;
  const given = shape.root !== undefined || shape.id !== undefined;
  if (Array.isArray(value) && !given) return { records: value };
  const meta = Array.isArray(value)
    ? { id: shape.id }
    : value !== null && typeof value === "object" && Object.hasOwn(value, "meta")
      ? (value as { meta: unknown }).meta
      : given
        ? shape
        : undefined;
  if (value === null || typeof value !== "object" || meta === undefined) {
    throw badData(
      "expected an array of records, { meta: { id, root }, <root>: [...] }, or the root and id options",
    );
  }
  if (meta === null || typeof meta !== "object") throw badData("`meta` must be an object");
  if (Array.isArray(value)) return readShape(value, own(meta, "id"));
  const root = own(meta, "root") ?? "data";
  const id = own(meta, "id");
  if (typeof root !== "string") throw badData("`meta.root` must be a property name");
  checkId(id);
  const records = own(value, root);
  if (!Array.isArray(records)) throw badData(`\`${root}\` (meta.root) must be an array of records`);
  return id === undefined ? { records } : { records, idProperty: id as string };
}

/** A bare array whose records use the id property `id` (checked as meta.id is). */
function readShape(records: readonly unknown[], id: unknown): LoadData {
  checkId(id);
  return id === undefined ? { records } : { records, idProperty: id as string };
}

function checkId(id: unknown): void {
  if (id !== undefined && (typeof id !== "string" || id === "" || isPrototypeKey(id))) {
    throw badData(
      "`meta.id` must be a property name other than __proto__, constructor or prototype",
    );
  }
}

function own(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badData(`not valid JSON (${(error as Error).message})`, error);
  }
}

function badData(message: string, cause?: unknown): StoreError {
  return new StoreError("STORE_BAD_DATA", `load: ${message}`, cause === undefined ? {} : { cause });
}
