import type { SortKey } from "./ast.js";
import { compareValues } from "./compare.js";
import { getPath } from "./path.js";

/**
 * A new array sorted by `keys` with the one ordering (`compareValues`): null
 * and missing first ascending, last descending; ties broken by the primary
 * key, so every store gives the same order. The input is not changed.
 */
export function sortRecords<T>(records: readonly T[], keys: readonly SortKey[], idProperty = "id"): T[] {
  if (keys.length === 0) return records.slice();
  const paths = keys.map((k) => k.path);
  const signs = keys.map((k) => (k.descending ? -1 : 1));
  const idPath = [idProperty];
  // Decorate once so each record's sort values are read once, not per comparison.
  const rows = records.map((record, index) => ({ record, index, values: paths.map((p) => getPath(record, p)) }));
  rows.sort((a, b) => {
    for (let i = 0; i < paths.length; i++) {
      const c = compareValues(a.values[i], b.values[i]);
      if (c !== 0) return c * signs[i]!;
    }
    const c = compareValues(getPath(a.record, idPath), getPath(b.record, idPath));
    return c !== 0 ? c : a.index - b.index;
  });
  return rows.map((row) => row.record);
}
