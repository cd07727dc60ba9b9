/**
 * What one audience (a facet, or a whole-model grant) hears of a store's
 * change: a facet hears of a change only when something it can see changed,
 * that is its projection of the record (declared properties it does not hide)
 * differs, or the record entered or left its row filter. Otherwise a change
 * to a hidden property would still reach its listeners as an empty-looking
 * event that tells them a hidden value changed, and when.
 */
import { DISCRIMINATOR } from "../model/hierarchy-store.js";
import type { Model, ModelMethods } from "../model/index.js";
import { matches } from "../query/index.js";
import type { FilterNode } from "../query/ast.js";
import type { Id } from "../store/types.js";
import { facetOf, facetScopesOf } from "./access.js";

type Row = Record<string, unknown>;

/** One change of one record, as the store reported it (with the record before, where known). */
export interface StoreChange {
  readonly type: "add" | "change" | "remove" | "clear";
  readonly id?: Id;
  /** The record after an add or change; the removed record of a remove, where the store gives it. */
  readonly record?: Row;
  /** The record before a change or remove, where known. */
  readonly previous?: Row;
}

/** A change as an audience hears it. */
export interface SeenChange {
  readonly type: "add" | "change" | "remove" | "clear";
  readonly id?: Id;
  /** What the audience shows of the record after an add or change. */
  readonly record?: Row;
  /** What the audience showed of a removed record (never sent: a stream's query is tested on it). */
  readonly removed?: Row;
}

/** Who hears changes: `key` names it within one model ("*" for the whole model, else the facet). */
export interface Audience {
  readonly key: string;
  see(change: StoreChange): SeenChange | undefined;
}

/** The whole model: every change, every property. */
const WHOLE: Audience = {
  key: "*",
  see(change) {
    if (change.type === "clear") return { type: "clear" };
    const record = change.record ?? (change.type === "remove" ? change.previous : undefined);
    if (change.type === "remove")
      return { type: "remove", id: change.id, ...(record ? { removed: record } : {}) };
    return record === undefined ? undefined : { type: change.type, id: change.id, record };
  },
};

/** The audience key of `view` over `model`: its facet's name, or "*" for a whole-model grant. */
export function audienceKey(
  model: Model<any, any, any>,
  view: ModelMethods<any, any, any>,
): string {
  return facetOf(model, view)?.name ?? WHOLE.key;
}

/** The audience `view` (the request's grant) is of `model`. */
export function audienceOf(
  model: Model<any, any, any>,
  view: ModelMethods<any, any, any>,
  models: Readonly<Record<string, Model<any, any, any>>>,
): Audience {
  const facet = facetOf(model, view);
  const scopes = facetScopesOf(model, view, models);
  if (facet === undefined || scopes === undefined) return WHOLE;
  const filter: FilterNode | undefined = facet.definition.filter?.filter;
  const inside = (record: Row | undefined): record is Row =>
    record !== undefined && (filter === undefined || matches(filter, record, []));
  /** The properties the facet shows of `record` (its model's scope), and the model it belongs to. */
  const shown = (record: Row): Row => {
    const { visible } = scopes.ofRecord(record);
    const out: Row = {};
    for (const [key, value] of Object.entries(record))
      if (visible.has(key) || key === DISCRIMINATOR) out[key] = value;
    return out;
  };
  return {
    key: facet.name,
    see(change) {
      const { type, id, record, previous } = change;
      if (type === "clear") return { type };
      if (type === "remove") {
        const gone = record ?? previous;
        // Removed by id alone and not known: only a facet without a row filter can be told.
        if (gone === undefined) return filter === undefined ? { type, id } : undefined;
        return inside(gone) ? { type, id, removed: shown(gone) } : undefined;
      }
      const now = inside(record) ? shown(record) : undefined;
      if (type === "add") return now && { type, id, record: now };
      // The store did not say what the record was: as before, any change inside the filter is told.
      if (previous === undefined) return now && { type, id, record: now };
      const before = inside(previous) ? shown(previous) : undefined;
      if (now !== undefined)
        return before !== undefined && sameValue(before, now)
          ? undefined
          : { type, id, record: now };
      // It left the filter: for this facet the record is gone.
      return before && { type: "remove", id, removed: before };
    },
  };
}

/** Whether two stored values (JSON data) are equal, whatever the order of their keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Anything but plain data (a Date, say) counts as changed: both values are ones the audience sees.
  if (!isPlain(a) || !isPlain(b)) return false;
  const left = a as Row;
  const right = b as Row;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]));
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === Array.prototype || prototype === null;
}
