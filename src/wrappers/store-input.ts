/**
 * Checks shared by the wrappers: that what they were handed is a store, and
 * the error they fail with when it is not.
 */
import { StoreError } from "../errors/index.js";
import type { Store } from "../store/types.js";

/** Throws WRAPPER_NOT_A_STORE unless `value` is an object (a store with any contract methods). */
export function assertStore<T extends object>(
  value: unknown,
  wrapper: string,
  role: string,
): asserts value is Store<T> {
  if (value === null || typeof value !== "object")
    throw new StoreError(
      "WRAPPER_NOT_A_STORE",
      `${wrapper}: the ${role} must be a store (an object with store methods), got ${value === null ? "null" : typeof value}`,
    );
}

/** Throws `code` unless `value` is undefined or a positive integer (`0` allowed with `allowZero`). */
export function checkCount(
  value: unknown,
  wrapper: string,
  name: string,
  code: string,
  allowZero = false,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1))
    throw new StoreError(
      code,
      `${wrapper}: option ${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${String(value)}`,
    );
  return value;
}
