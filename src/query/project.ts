import type { Path, Projection } from "./ast.js";
import { getPath } from "./path.js";

const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Sets `path` in a fresh plain object tree, skipping keys that could reach a prototype. */
function setPath(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (PROTOTYPE_KEYS.has(key)) return;
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (next === null || typeof next !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined && !PROTOTYPE_KEYS.has(last)) node[last] = value;
}

/** A shallow copy of `record` without the first-level keys in `paths` (nested paths are copied down to them). */
function unselect(record: unknown, paths: readonly Path[]): unknown {
  if (record === null || typeof record !== "object") return record;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!PROTOTYPE_KEYS.has(key)) out[key] = (record as Record<string, unknown>)[key];
  }
  for (const path of paths) {
    let node = out;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      if (!Object.prototype.hasOwnProperty.call(node, key)) break;
      if (i === path.length - 1) {
        delete node[key];
        break;
      }
      const child = node[key];
      if (child === null || typeof child !== "object" || Array.isArray(child)) break;
      const copy: Record<string, unknown> = { ...(child as Record<string, unknown>) };
      node[key] = copy;
      node = copy;
    }
  }
  return out;
}

/**
 * `select` (keep these properties, in a new object), `unselect` (drop them)
 * and `values` (one value per record, or a tuple for several paths).
 * Never changes the records.
 */
export function project(items: readonly unknown[], projection: Projection): unknown[] {
  const { paths } = projection;
  switch (projection.kind) {
    case "select":
      return items.map((record) => {
        const out: Record<string, unknown> = {};
        for (const path of paths) {
          const value = getPath(record, path);
          if (value !== undefined) setPath(out, path, value);
        }
        return out;
      });
    case "unselect":
      return items.map((record) => unselect(record, paths));
    case "values":
      return paths.length === 1
        ? items.map((record) => getPath(record, paths[0]!))
        : items.map((record) => paths.map((path) => getPath(record, path)));
  }
}
