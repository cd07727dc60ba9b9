import type { AggregateClause, AggregateFunction, Path } from "./ast.js";
import { compareValues } from "./compare.js";
import { typedKey } from "./distinct-values.js";
import { getPath } from "./path.js";

/** `count`, `sum`, `mean`, `min`, `max` over the values at `path`; null and missing values are skipped. */
export function aggregateValues(
  fn: AggregateFunction,
  items: readonly unknown[],
  path: Path | undefined,
): unknown {
  if (fn === "count") return items.length;
  const values = items.map((item) => getPath(item, path ?? [])).filter((v) => v != null);
  switch (fn) {
    case "sum":
    case "mean": {
      let total = 0;
      let n = 0;
      for (const v of values) {
        if (typeof v === "number") {
          total += v;
          n++;
        }
      }
      if (fn === "sum") return total;
      return n === 0 ? undefined : total / n;
    }
    case "min":
    case "max": {
      let best: unknown;
      for (const v of values) {
        if (best === undefined) best = v;
        else {
          const c = compareValues(v, best);
          if (fn === "min" ? c < 0 : c > 0) best = v;
        }
      }
      return best;
    }
  }
}

/**
 * The property names `aggregate()` gives its rows, in order: each group path
 * joined by "/" (`a/b` is the one name "a/b"), then each aggregate's name
 * (`count`, `sum_price`, `max_a/b`). What sort, projections and result
 * operators after `aggregate()` refer to.
 */
export function aggregateOutputNames(clause: AggregateClause): string[] {
  return [
    ...clause.groupBy.map((path) => path.join("/")),
    ...clause.aggregates.map((spec) => spec.name),
  ];
}

/** Sets an own data property, even for names such as `__proto__` (plain assignment would set the prototype). */
function setOwn(row: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `aggregate(a, b, count(), sum(x))`: one plain object per group (groups in
 * order of first appearance), holding the group's values and aggregates as
 * own properties named by `aggregateOutputNames`.
 */
export function aggregateRecords(
  items: readonly unknown[],
  clause: AggregateClause,
): Record<string, unknown>[] {
  const groups = new Map<string, { values: unknown[]; members: unknown[] }>();
  for (const item of items) {
    const values = clause.groupBy.map((path) => getPath(item, path));
    const key = typedKey(values);
    let group = groups.get(key);
    if (!group) {
      group = { values, members: [] };
      groups.set(key, group);
    }
    group.members.push(item);
  }
  if (groups.size === 0 && clause.groupBy.length === 0) groups.set("", { values: [], members: [] });
  const out: Record<string, unknown>[] = [];
  for (const { values, members } of groups.values()) {
    const row: Record<string, unknown> = {};
    clause.groupBy.forEach((path, i) => setOwn(row, path.join("/"), values[i]));
    for (const spec of clause.aggregates)
      setOwn(row, spec.name, aggregateValues(spec.fn, members, spec.path));
    out.push(row);
  }
  return out;
}
