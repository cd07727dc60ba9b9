/**
 * The parts of an aggregate store: which part holds which property, how a
 * record is split into one row per part, and how rows join back into one.
 */
import { StoreError, ValidationError } from "../../errors/index.js";
import { toStore, type LegacyStore } from "../../store/adapt-store.js";
import { isPrototypeKey } from "../../store/copy.js";
import type { Id, Store } from "../../store/types.js";

/** One vertical partition: a store and the properties it holds (`"rest"`: every property no other part names). */
export interface AggregatePart<T extends object = Record<string, unknown>> {
  readonly store: Store<any> | LegacyStore;
  readonly properties: readonly string[] | "rest";
}

/** The checked parts, with the lookups the wrapper needs. */
export interface Parts {
  readonly stores: readonly Store<any>[];
  readonly idProperty: string;
  /** The part holding each named property. */
  readonly owner: ReadonlyMap<string, number>;
  /** The index of the "rest" part, if any. */
  readonly rest: number | undefined;
}

/** Checks `parts` (AGGREGATE_BAD_PARTS) and adapts each store through `toStore`. */
export function checkParts(parts: readonly AggregatePart[]): Parts {
  const bad = (message: string) => new StoreError("AGGREGATE_BAD_PARTS", `aggregate: ${message}`);
  if (!Array.isArray(parts) || parts.length === 0) throw bad("give at least one part");
  const stores = parts.map((part, i) => {
    if (part === null || typeof part !== "object")
      throw bad(`part ${i} must be { store, properties }`);
    return toStore(part.store as Store<any>);
  });
  const idProperty = stores[0]!.idProperty ?? "id";
  const owner = new Map<string, number>();
  let rest: number | undefined;
  parts.forEach((part, i) => {
    if ((stores[i]!.idProperty ?? "id") !== idProperty)
      throw bad(`part ${i}'s id property "${stores[i]!.idProperty}" is not "${idProperty}"`);
    if (part.properties === "rest") {
      if (rest !== undefined) throw bad(`parts ${rest} and ${i} both hold "rest"`);
      rest = i;
      return;
    }
    if (!Array.isArray(part.properties))
      throw bad(`part ${i}'s properties must be an array of names or "rest"`);
    for (const name of part.properties) {
      if (typeof name !== "string" || name === idProperty)
        throw bad(
          `part ${i} lists ${JSON.stringify(name)}, which is not a property name (the id is in every part)`,
        );
      if (owner.has(name)) throw bad(`"${name}" is listed by parts ${owner.get(name)} and ${i}`);
      owner.set(name, i);
    }
  });
  return { stores, idProperty, owner, rest };
}

/** The part holding `property` (the id: part 0), or undefined when no part holds it. */
export function partOf(parts: Parts, property: string): number | undefined {
  if (property === parts.idProperty) return 0;
  return parts.owner.get(property) ?? parts.rest;
}

/** One row per part, each with the id; ValidationError AGGREGATE_UNKNOWN_PROPERTY for a property no part holds. */
export function splitRecord(parts: Parts, record: Record<string, unknown>, id: Id | undefined) {
  const rows: Record<string, unknown>[] = parts.stores.map(() =>
    id === undefined ? {} : { [parts.idProperty]: id },
  );
  const unknown: string[] = [];
  for (const key of Object.keys(record)) {
    // A prototype key is never stored (every store drops it); assigning it would reach the row's prototype.
    if (key === parts.idProperty || isPrototypeKey(key)) continue;
    const part = partOf(parts, key);
    if (part === undefined) unknown.push(key);
    else rows[part]![key] = record[key];
  }
  if (unknown.length > 0)
    throw new ValidationError(
      unknown.map((key) => ({
        pointer: `/${key}`,
        message: "no part holds this property",
        keyword: "aggregate",
      })),
      `aggregate: no part holds ${unknown.map((k) => JSON.stringify(k)).join(", ")}`,
      "AGGREGATE_UNKNOWN_PROPERTY",
    );
  return rows;
}

/** The parts' rows of one record joined into one (undefined when no part has it). */
export function joinRows(
  parts: Parts,
  rows: readonly (Record<string, unknown> | undefined)[],
): Record<string, unknown> | undefined {
  let joined: Record<string, unknown> | undefined;
  rows.forEach((row, i) => {
    if (row === undefined || row === null) return;
    joined ??= {};
    for (const key of Object.keys(row)) {
      // A part contributes its own properties (and the id); anything else in its row is not its to give.
      if (key === parts.idProperty || partOf(parts, key) === i) joined[key] = row[key];
    }
  });
  return joined;
}
