/** The `sort` argument of `MemoryStore.find`, and its translation to query sort keys. */
import type { SortKey } from "../../query/ast.js";

/** A sort for `find`: fields (`"name"`, `"-age"`, `{ field, descending }`) or a comparison function. */
export type FindSort<T> =
  | string
  | readonly (string | { readonly field: string; readonly descending?: boolean })[]
  | ((a: T, b: T) => number);

/** The query sort keys of a field sort: `-` descends, `+` (or nothing) ascends, `/` separates a path. */
export function sortKeys(
  sort: Exclude<FindSort<unknown>, (a: unknown, b: unknown) => number>,
): SortKey[] {
  const list = typeof sort === "string" ? [sort] : sort;
  return list.map((key) => {
    if (typeof key !== "string")
      return { path: key.field.split("/"), descending: key.descending === true };
    const descending = key.startsWith("-");
    const field = key.startsWith("-") || key.startsWith("+") ? key.slice(1) : key;
    return { path: field.split("/"), descending };
  });
}
