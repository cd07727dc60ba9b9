/**
 * Following schema links through the registry to the target model's store:
 * to-one links give the target instance or undefined; to-many links (an
 * array of ids, or a reverse link such as `Book?authorId={id}`) give an array.
 */
import { PerstoreError } from "../errors/index.js";
import type { Results } from "../store/types.js";
import type { AnyInstance } from "./model-instance.js";
import type { BindingChoice, BoundModel, ModelContext } from "./model.js";
import { conditionQuery } from "./query-helpers.js";

/** Resolve `rel` of `instance` (of `model`); target instances get the target's `binding`. */
export async function resolveLink(
  model: BoundModel<AnyInstance, object>,
  instance: AnyInstance,
  rel: string,
  binding: BindingChoice,
  context: ModelContext,
): Promise<AnyInstance | AnyInstance[] | undefined> {
  const link = model.definition.links?.find((candidate) => candidate.rel === rel);
  if (!link) throw new PerstoreError("MODEL_UNKNOWN_LINK", `${model.name} has no link "${rel}"`);
  const target = context.model(link.target);
  if (!target)
    throw new PerstoreError(
      "MODEL_UNKNOWN_LINK",
      `link "${rel}" of ${model.name} targets unknown model ${link.target}`,
    );
  const value: unknown = Object.hasOwn(instance, link.property)
    ? (instance as unknown as Record<string, unknown>)[link.property]
    : undefined;

  if (!link.many) {
    if (value === undefined || value === null) return undefined;
    if (
      link.targetProperty === target.primaryKey &&
      (typeof value === "string" || typeof value === "number")
    ) {
      const record = await target.fetch(value);
      return record && target.toInstance(record, binding);
    }
    const found = await lookup(target, link.targetProperty, "eq", value, binding);
    return found[0];
  }

  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return lookup(target, link.targetProperty, "eq", value, binding);
  // An array of ids: answer in the array's order, skipping ids with no record.
  const found = await lookup(target, link.targetProperty, "in", value, binding);
  const byKey = new Map<unknown, AnyInstance>();
  for (const item of found)
    byKey.set((item as unknown as Record<string, unknown>)[link.targetProperty], item);
  return value.flatMap((key: unknown) => {
    const item = byKey.get(key);
    return item ? [item] : [];
  });
}

async function lookup(
  target: BoundModel<AnyInstance, object>,
  property: string,
  op: "eq" | "in",
  value: unknown,
  binding: BindingChoice,
): Promise<AnyInstance[]> {
  const query = conditionQuery(property, op);
  const result = await target.run(query, { parameters: [value] });
  return [...(target.shape(query, result, binding) as Results<AnyInstance>)];
}
