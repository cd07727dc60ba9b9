/**
 * Testing one value against a plan on one index, so an `and` can keep the
 * smallest term's candidates and check the other terms on each record
 * instead of building and probing sets.
 */
import type { IndexPlan } from "../../query/plan/index.js";
import { compareCodePoints, compareNumbers } from "./compare-keys.js";
import { isInstantString, keyOf } from "./field-index.js";

/** A plan that reads one index (no `and`/`or`). */
export type LeafPlan = Extract<IndexPlan, { kind: "lookup" | "range" | "prefix" | "compound" }>;

export function isLeaf(plan: IndexPlan): plan is LeafPlan {
  return (
    plan.kind === "lookup" ||
    plan.kind === "range" ||
    plan.kind === "prefix" ||
    plan.kind === "compound"
  );
}

/**
 * Whether a field index would list a value among a leaf plan's candidates:
 * the same test the index's buckets and ordered keys make, applied to one
 * value (values the index cannot hash are candidates of every plan).
 */
export function probeValue(
  plan: Exclude<LeafPlan, { kind: "compound" }>,
): (value: unknown) => boolean {
  const unhashable = (value: unknown) => keyOf(value) === undefined;
  switch (plan.kind) {
    case "lookup": {
      const nullish = plan.values.some((v) => v === null || v === undefined);
      const values = new Set<unknown>();
      const dates = new Set<number>();
      for (const v of plan.values) {
        const key = keyOf(v);
        if (key?.map === "dates") dates.add(key.key);
        else if (key) values.add(key.key);
      }
      return (value) => {
        if (value === null || value === undefined) return nullish;
        // A Date finds ISO date-time strings by instant: the engine decides which.
        if (dates.size > 0 && isInstantString(value)) return true;
        const key = keyOf(value);
        if (key === undefined) return true;
        return key.map === "dates" ? dates.has(key.key) : values.has(key.key);
      };
    }
    case "prefix":
      return (value) =>
        typeof value === "string" ? value.startsWith(plan.prefix) : unhashable(value);
    case "range": {
      const { lower, upper } = plan;
      const sample = (lower ?? upper)!.value;
      const type = sample instanceof Date ? "date" : typeof sample;
      const comparable = (v: number | string | Date) => (v instanceof Date ? v.getTime() : v);
      const compare = (a: number | string, b: number | string) =>
        typeof a === "string" ? compareCodePoints(a, b as string) : compareNumbers(a, b as number);
      return (value) => {
        if (value === null || value === undefined) return false;
        if (unhashable(value)) return true;
        let own: number | string;
        if (type === "date") {
          if (typeof value === "string") return isInstantString(value);
          if (!(value instanceof Date)) return false;
          own = value.getTime();
        } else if (typeof value === type) {
          own = value as number | string;
          if (typeof own === "number" && Number.isNaN(own)) return false;
        } else return false;
        if (lower) {
          const c = compare(own, comparable(lower.value));
          if (c < 0 || (c === 0 && !lower.inclusive)) return false;
        }
        if (upper) {
          const c = compare(own, comparable(upper.value));
          if (c > 0 || (c === 0 && !upper.inclusive)) return false;
        }
        return true;
      };
    }
  }
}
