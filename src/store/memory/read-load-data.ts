/**
 * Reading the data `load` accepts: JSON text or an already parsed value, either
 * a bare array of records or JSORM's wrapped form
 * `{ meta: { id: "id", root: "data" }, data: [...] }`, where `meta.id` names the
 * id property and `meta.root` the property holding the records.
 */
import { StoreError } from "../../errors/index.js";
import { isPrototypeKey } from "../copy.js";

/** What a load will store: the records and, when the data says so, the id property. */
export interface LoadData {
  readonly records: readonly unknown[];
  readonly idProperty?: string;
}

/** Parses and checks load data; a StoreError (STORE_BAD_DATA) says what is wrong. */
export function readLoadData(data: unknown): LoadData {
  const value = typeof data === "string" ? parseJson(data) : data;
  if (Array.isArray(value)) return { records: value };
  if (value === null || typeof value !== "object" || !Object.hasOwn(value, "meta")) {
    throw badData("expected an array of records or { meta: { id, root }, <root>: [...] }");
  }
  const meta = (value as { meta: unknown }).meta;
  if (meta === null || typeof meta !== "object") throw badData("`meta` must be an object");
  const root = own(meta, "root") ?? "data";
  const id = own(meta, "id");
  if (typeof root !== "string") throw badData("`meta.root` must be a property name");
  if (id !== undefined && (typeof id !== "string" || id === "" || isPrototypeKey(id))) {
    throw badData(
      "`meta.id` must be a property name other than __proto__, constructor or prototype",
    );
  }
  const records = own(value, root);
  if (!Array.isArray(records)) throw badData(`\`${root}\` (meta.root) must be an array of records`);
  return id === undefined ? { records } : { records, idProperty: id };
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
