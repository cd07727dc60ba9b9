import type { SortKey } from "./ast.js";
import { compareValues } from "./compare.js";
import { getPath, queryOwn } from "./path.js";

interface Row<T> {
  readonly record: T;
  readonly index: number;
  readonly values: readonly unknown[];
  readonly id: unknown;
}

/** The one record order: the keys with `compareValues`, then the primary key, then the input position. */
function rowOrder(keys: readonly SortKey[]): (a: Row<unknown>, b: Row<unknown>) => number {
  const signs = keys.map((k) => (k.descending ? -1 : 1));
  return (a, b) => {
    for (let i = 0; i < signs.length; i++) {
      const c = compareValues(a.values[i], b.values[i]);
      if (c !== 0) return c * signs[i]!;
    }
    const c = compareValues(a.id, b.id);
    return c !== 0 ? c : a.index - b.index;
  };
}

function toRow<T>(
  record: T,
  index: number,
  keys: readonly SortKey[],
  idPath: readonly string[],
): Row<T> {
  return {
    record,
    index,
    values: keys.map((k) => getPath(record, k.path)),
    id: getPath(record, idPath),
  };
}

/**
 * A new array sorted by `keys` with the one ordering (`compareValues`): null
 * and missing first ascending, last descending; ties broken by the primary
 * key, so every store gives the same order. The input is not changed.
 */
export function sortRecords<T>(
  records: readonly T[],
  keys: readonly SortKey[],
  idProperty = "id",
): T[] {
  if (keys.length === 0) return records.slice();
  const idPath = [idProperty];
  // Decorate once so each record's sort values are read once, not per comparison.
  const rows = records.map((record, index) => toRow(record, index, keys, idPath));
  rows.sort(rowOrder(keys));
  return rows.map((row) => row.record);
}

/**
 * The first `count` records of `sortRecords(records, keys, idProperty)`,
 * found without sorting the rest: a bounded max-heap of the best rows so
 * far, O(n log count). What a sorted page (`sort(...)&limit(50,1000)`) needs.
 * A record whose first key already sorts after the heap's worst row is
 * passed over on that one comparison (most of them, on a large array), so
 * only records that may enter the page are decorated.
 */
export function firstSorted<T>(
  records: readonly T[],
  keys: readonly SortKey[],
  idProperty: string,
  count: number,
): T[] {
  if (count >= records.length || keys.length === 0)
    return sortRecords(records, keys, idProperty).slice(0, count);
  if (count <= 0) return [];
  const order = rowOrder(keys);
  const idPath = [idProperty];
  const firstPath = keys[0]!.path;
  const firstSign = keys[0]!.descending ? -1 : 1;
  // heap[0] is the worst of the best `count` rows seen so far.
  const heap: Row<T>[] = [];
  const up = (i: number) => {
    const row = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (order(heap[parent]!, row) >= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = row;
  };
  const down = (row: Row<T>) => {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && order(heap[child + 1]!, heap[child]!) > 0) child++;
      if (order(heap[child]!, row) <= 0) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = row;
  };
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (heap.length < count) {
      heap.push(toRow(record, index, keys, idPath));
      up(heap.length - 1);
      continue;
    }
    // Strictly after the worst row on the first key: it cannot enter (ties go to the full order).
    const value =
      firstPath.length === 1 ? queryOwn(record, firstPath[0]!) : getPath(record, firstPath);
    const worst = heap[0]!.values[0];
    if (
      typeof value === "number" &&
      typeof worst === "number" &&
      value === value &&
      worst === worst
    ) {
      if ((value - worst) * firstSign > 0) continue;
    } else if (compareValues(value, worst) * firstSign > 0) continue;
    const row = toRow(record, index, keys, idPath);
    if (order(row, heap[0]!) < 0) down(row);
  }
  return heap.sort(order).map((row) => row.record);
}
