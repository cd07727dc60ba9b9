/** Option checks shared by the wrappers. */
import { StoreError } from "../errors/index.js";

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
