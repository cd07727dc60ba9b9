/**
 * JSON Merge Patch (RFC 7396): objects merge key by key, `null` removes a
 * key, anything else replaces. Pure: neither input is changed.
 */
import { isPrototypeKey } from "../store/copy.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `target` with `patch` applied. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (isPrototypeKey(key)) continue;
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/**
 * The top-level changes a merge patch makes to `current`, in the form
 * `Model.patch` takes: a removed key maps to `undefined`.
 */
export function mergePatchChanges(
  current: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (isPrototypeKey(key)) continue;
    changes[key] = value === null ? undefined : applyMergePatch(current[key], value);
  }
  return changes;
}
