/**
 * One line for anything a command threw. Not every throw is an `Error`:
 * PGlite and other WebAssembly code can reject with plain objects or strings,
 * which `String(value)` prints as `[object Object]`.
 */
import { PerstoreError } from "./index.js";

/**
 * The message of a thrown value, with its code when it has one.
 *
 * @example
 * describeThrown(new StoreError("STORE_LOCKED", "in use")) // "in use [STORE_LOCKED]"
 * describeThrown({ message: "Aborted()" })                 // "Aborted()"
 * describeThrown({ status: 3 })                            // 'non-Error thrown: {"status":3}'
 */
export function describeThrown(value: unknown): string {
  if (value instanceof PerstoreError) return `${value.message} [${value.code}]`;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const text = value.message === "" ? value.name : value.message;
    return typeof code === "string" && code !== "" ? `${text} [${code}]` : text;
  }
  if (typeof value === "string")
    return value === "" ? "unknown error (an empty string was thrown)" : value;
  if (typeof value === "object" && value !== null) {
    const { message, code } = value as { message?: unknown; code?: unknown };
    if (typeof message === "string" && message !== "")
      return typeof code === "string" && code !== "" ? `${message} [${code}]` : message;
  }
  return `non-Error thrown: ${toJson(value)}`;
}

function toJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    if (text !== undefined) return text;
  } catch {
    // A cycle, or a getter that throws: fall back to the type name.
  }
  return typeof value === "object" && value !== null
    ? `[${value.constructor?.name ?? "Object"} that cannot be shown as JSON]`
    : String(value);
}
