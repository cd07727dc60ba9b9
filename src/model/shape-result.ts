/**
 * Shaping a store's answer to a model query: records become instances of
 * the model they belong to; projections, aggregates and values stay plain
 * (copied), and never show a hierarchy's internal discriminator.
 */
import type { Query } from "../query/ast.js";
import { copyRecord } from "../store/copy.js";
import type { Results } from "../store/types.js";
import { DISCRIMINATOR } from "./hierarchy-store.js";
import type { DataRecord } from "./instantiate.js";
import type { AnyInstance } from "./model-instance.js";
import type { BindingChoice, BoundModel, HiddenChoice, KeySet } from "./model.js";
import { inHierarchy } from "./record-model.js";

/** `result` (the store's answer to `query`) as `model` hands it out. */
export function shapeResult(
  model: BoundModel<AnyInstance, object>,
  query: Query,
  result: unknown,
  binding: BindingChoice,
  omit?: HiddenChoice,
): unknown {
  const plain = query.projection !== undefined || query.aggregate !== undefined;
  // A projected row no longer says its model: it leaves out what any record hides.
  const anyHidden = typeof omit === "function" ? omit() : omit;
  const hide: KeySet | undefined =
    plain && inHierarchy(model)
      ? { has: (key) => key === DISCRIMINATOR || anyHidden?.has(key) === true }
      : anyHidden;
  if (query.result && query.result.kind !== "first" && query.result.kind !== "one") return result;
  if (query.result) {
    if (result === undefined || result === null || typeof result !== "object") return result;
    return plain
      ? stripKeys(copyRecord(result as DataRecord), hide)
      : model.toInstance(result as DataRecord, binding, omit);
  }
  const rows = Array.isArray(result) ? result : [];
  const out = rows.map((row: unknown) =>
    plain || row === null || typeof row !== "object" || Array.isArray(row)
      ? stripKeys(copyRecord(row), hide)
      : model.toInstance(row as DataRecord, binding, omit),
  ) as Results<unknown>;
  const total = (result as { totalCount?: unknown } | undefined)?.totalCount;
  out.totalCount = typeof total === "number" ? total : out.length;
  return out;
}

function stripKeys<T>(value: T, keys: KeySet | undefined): T {
  if (!keys || value === null || typeof value !== "object" || Array.isArray(value)) return value;
  for (const key of Object.keys(value)) if (keys.has(key)) delete (value as DataRecord)[key];
  return value;
}
