/**
 * How deep stored data may nest. Deeper data (or data that contains itself)
 * is refused with VALIDATION_FAILED before a recursive walk (a copy, a text
 * check, a driver's JSON) could run out of stack and fail with a bare
 * RangeError that names nothing. A thousand levels is far beyond any record
 * a schema describes, and far below what the stack holds.
 */
import { ValidationError } from "../errors/index.js";
import { escapePointer } from "../errors/json-pointer.js";

/** Levels below the record itself: `{ a: { b: 1 } }` nests 1 level deep. */
export const MAX_RECORD_DEPTH = 1000;

/** What is wrong with such data, in every error that refuses it. */
export const TOO_DEEP = `nests deeper than ${MAX_RECORD_DEPTH} levels (or contains itself)`;

/**
 * What a record that nests too deep is refused with, pointing at the first
 * object past the limit (found by walking `record`, unless the caller knows it).
 */
export function tooDeepError(
  record: unknown,
  pointer: string = tooDeepPointer(record) ?? "",
): ValidationError {
  const shown = pointer.length > 80 ? `${pointer.slice(0, 80)}…` : pointer || "/";
  return new ValidationError(
    [{ pointer, message: TOO_DEEP, keyword: "maxDepth" }],
    `${JSON.stringify(shown)}: the value ${TOO_DEEP}`,
  );
}

/** Whether `error` is `tooDeepError`'s (a copy of a field reports it against the field: re-point it). */
export function isTooDeepError(error: unknown): boolean {
  return error instanceof ValidationError && error.errors[0]?.keyword === "maxDepth";
}

/** The JSON pointer of the first object deeper than the limit, depth first; undefined if none. */
export function tooDeepPointer(root: unknown): string | undefined {
  if (!isNested(root)) return undefined;
  // An explicit stack: this walk must not be the one that runs out of stack.
  const path: string[] = [];
  const stack: { value: object; keys: string[]; next: number }[] = [
    { value: root, keys: Object.keys(root), next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.keys.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const key = top.keys[top.next++]!;
    const child: unknown = (top.value as Record<string, unknown>)[key];
    if (!isNested(child)) continue;
    path.push(key);
    if (stack.length > MAX_RECORD_DEPTH) return path.map((k) => `/${escapePointer(k)}`).join("");
    stack.push({ value: child, keys: Object.keys(child), next: 0 });
  }
  return undefined;
}

/** Objects and arrays nest; Dates and RegExps are values. */
function isNested(value: unknown): value is object {
  return (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !(value instanceof RegExp)
  );
}
