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
    `invalid id ${String(id)}: an id ${why}`,
    "STORE_INVALID_ID",
  );
}

/** The id a record is stored under: the option, then its id property, else a new UUID. */
export function recordId(record: object, idProperty: string, option: Id | undefined): Id {
  const own = Object.hasOwn(record, idProperty)
    ? (record as Record<string, unknown>)[idProperty]
    : undefined;
  const id = option ?? (own === null ? undefined : own) ?? randomUUID();
  if (isId(id)) return id;
  throw invalidIdError(id, idProperty);
}
