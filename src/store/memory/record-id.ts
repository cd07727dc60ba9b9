/**
 * Checking records and ids on their way into a memory store.
 */
import { randomUUID } from "node:crypto";
import { ValidationError } from "../../errors/index.js";
import type { Id } from "../types.js";

/** Throws unless `value` is a plain record (an object, not an array). */
export function assertRecord(value: unknown): asserts value is object {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(
      [{ pointer: "", message: "must be an object", keyword: "type" }],
      "a record must be an object",
      "STORE_INVALID_RECORD",
    );
  }
}

/** The id a record is stored under: the option, then its id property, else a new UUID. */
export function recordId(record: object, idProperty: string, option: Id | undefined): Id {
  const own = Object.hasOwn(record, idProperty)
    ? (record as Record<string, unknown>)[idProperty]
    : undefined;
  const id = option ?? (own === null ? undefined : own) ?? randomUUID();
  if ((typeof id === "number" && Number.isFinite(id)) || typeof id === "string") return id;
  throw new ValidationError(
    [
      {
        pointer: `/${idProperty.replace(/~/g, "~0").replace(/\//g, "~1")}`,
        message: "must be a string or a finite number",
        keyword: "type",
      },
    ],
    `invalid id ${String(id)}: an id must be a string or a finite number`,
    "STORE_INVALID_ID",
  );
}
