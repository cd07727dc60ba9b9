/**
 * Checking records and ids on their way into a store, so every store refuses
 * the same bad input with the same code.
 */
import { randomUUID } from "node:crypto";
import { ValidationError } from "../errors/index.js";
import { escapePointer } from "../errors/json-pointer.js";
import type { Id } from "./types.js";

/** Throws STORE_INVALID_RECORD unless `value` is a plain record (an object, not an array). */
export function assertRecord(value: unknown): asserts value is object {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(
      [{ pointer: "", message: "must be an object", keyword: "type" }],
      "a record must be an object",
      "STORE_INVALID_RECORD",
    );
  }
}

/** True for the ids every store accepts in principle: strings and finite numbers. */
export function isId(value: unknown): value is Id {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/** STORE_INVALID_ID for `id`, pointing at the id property; `why` says what an id must be. */
export function invalidIdError(
  id: unknown,
  idProperty: string,
  why = "must be a string or a finite number",
): ValidationError {
  return new ValidationError(
    [{ pointer: `/${escapePointer(idProperty)}`, message: why, keyword: "type" }],
    `invalid id ${typeof id === "string" ? JSON.stringify(id) : String(id)}: an id ${why}`,
    "STORE_INVALID_ID",
  );
}

/**
 * The type of a store's ids, where the store knows it (SQL: its primary key
 * column; memory and JSON-file stores: their `idType` option). Every store
 * refuses a write under an id of another type with STORE_INVALID_ID and never
 * converts one (so `0` and `"0"` can never become one record), and `get` or
 * `delete` with one finds nothing.
 * - `"string"`: strings (text and uuid keys; a uuid key also wants the UUID form);
 * - `"integer"`: safe integers (an SQL integer key also takes the decimal
 *   string of an integer beyond 2^53, the form it gives such ids back in);
 * - `"number"`: finite numbers.
 * A store without one (a memory or JSON-file store with no `idType`) keeps an
 * id's JavaScript type: `0` and `"0"` are two records.
 */
export type IdType = "string" | "integer" | "number";

/** True when `id` is an id of `idType` (any id when the type is not known). */
export function hasIdType(id: Id, idType: IdType | undefined): boolean {
  switch (idType) {
    case undefined:
      return true;
    case "string":
      return typeof id === "string";
    case "integer":
      return Number.isSafeInteger(id);
    case "number":
      return typeof id === "number";
  }
}

/** What an id of `idType` must be, for STORE_INVALID_ID messages. */
export function idTypeRule(idType: IdType): string {
  return idType === "string"
    ? "must be a string"
    : idType === "integer"
      ? "must be an integer"
      : "must be a finite number";
}

/**
 * The id a record is stored under: the option, then its id property, else a
 * new UUID (only where ids are strings or of any type: a store of numeric ids
 * that generates none wants one given). Throws STORE_INVALID_ID for an id
 * that is not an id, or not of `idType`.
 */
export function recordId(
  record: object,
  idProperty: string,
  option: Id | undefined,
  idType?: IdType,
): Id {
  const own = Object.hasOwn(record, idProperty)
    ? (record as Record<string, unknown>)[idProperty]
    : undefined;
  let id = option ?? (own === null ? undefined : own);
  if (id === undefined) {
    if (idType === "integer" || idType === "number")
      throw invalidIdError(id, idProperty, `${idTypeRule(idType)}, and must be given`);
    id = randomUUID();
  }
  if (!isId(id)) throw invalidIdError(id, idProperty);
  if (!hasIdType(id, idType)) throw invalidIdError(id, idProperty, idTypeRule(idType!));
  return id;
}
