import type { Path } from "./ast.js";
import { getPath } from "./path.js";

/**
 * `recurse(p)`: each record followed, depth first, by every object reached
 * through property `p` (an array of children or a single child). Cycles are
 * visited once.
 */
export function recurseRecords(items: readonly unknown[], path: Path): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown) => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    out.push(node);
    const children = getPath(node, path);
    if (Array.isArray(children)) for (const child of children) visit(child);
    else visit(children);
  };
  for (const item of items) visit(item);
  return out;
}
