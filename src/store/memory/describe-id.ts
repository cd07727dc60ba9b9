/** An id as error messages show it: strings quoted, so `"7"` and `7` read differently. */
import type { Id } from "../types.js";

export function describeId(id: Id): string {
  return typeof id === "string" ? JSON.stringify(id) : String(id);
}
