/**
 * The one rule every store keeps for text: a string a store cannot hold
 * exactly is refused, never altered. PostgreSQL text (and so the SQL store)
 * can hold neither U+0000 nor a lone UTF-16 surrogate (the driver would store
 * U+FFFD, so "\uD800" and "\uDC00" would become one id), so no store takes
 * them: in a record (ids, values and property names, nested ones included)
 * it is VALIDATION_FAILED; in a query (values, names and parameters) it is
 * QUERY_BAD_VALUE; an id given to `get` or `delete` that holds one names no
 * record.
 */
import { QueryError, ValidationError } from "../errors/index.js";
import { escapePointer } from "../errors/json-pointer.js";
import { MAX_RECORD_DEPTH, TOO_DEEP, tooDeepError } from "./record-depth.js";

/** U+0000, or a surrogate that is not half of a pair (with the `u` flag a pair is one code point). */
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

/** Why no store can keep `text` exactly, or undefined when every store can. */
export function textProblem(text: string): string | undefined {
  if (!UNSTORABLE.test(text)) return undefined;
  return text.includes("\u0000")
    ? "contains U+0000, which no store can keep"
    : "is not well-formed UTF-16 (it has a lone surrogate), which no store can keep";
}

/** True when every store can keep `text` exactly. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * Throws ValidationError VALIDATION_FAILED, pointing at the first string
 * (value or property name) of `record` that no store can keep.
 */
export function assertStorableRecord(record: object): void {
  // Most records are fine: check without building pointers, and find the pointer only for a bad one.
  if (!hasUnstorable(record)) return;
  const found = findUnstorable(record, "");
  if (found === undefined) return;
  if (found.problem === TOO_DEEP) throw tooDeepError(record, found.pointer);
  throw new ValidationError(
    [{ pointer: found.pointer, message: found.problem, keyword: "text" }],
    `${JSON.stringify(found.pointer || "/")}: the ${found.key ? "property name" : "string"} ${found.problem}`,
  );
}

/**
 * Throws QueryError QUERY_BAD_VALUE for a query (a parsed AST: values and
 * property names) or parameters holding a string no store can keep; such a
 * value could never match what a store holds, and SQL could not even send it.
 */
export function assertStorableQuery(query: object, parameters?: readonly unknown[]): void {
  if (!checkedQueries.has(query)) {
    const inQuery = findUnstorable(query, "");
    if (inQuery !== undefined)
      throw new QueryError("QUERY_BAD_VALUE", `a query value ${inQuery.problem}`);
    // Parsed queries are frozen and cached by the parser: walk each one once.
    if (Object.isFrozen(query)) checkedQueries.add(query);
  }
  const inParameters = parameters === undefined ? undefined : findUnstorable(parameters, "");
  if (inParameters !== undefined) {
    const index = Number(inParameters.pointer.split("/")[1]) + 1;
    throw new QueryError("QUERY_BAD_VALUE", `parameter $${index} ${inParameters.problem}`);
  }
}

const checkedQueries = new WeakSet<object>();

interface Found {
  readonly pointer: string;
  readonly problem: string;
  /** True when a property name (not a value) is at fault. */
  readonly key: boolean;
}

/** The first unstorable string in plain data (own enumerable keys, arrays), depth first. */
/** Whether `value` holds a string or property name `textProblem` refuses (no pointer work). */
function hasUnstorable(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return UNSTORABLE.test(value);
  if (value === null || typeof value !== "object" || value instanceof Date) return false;
  if (value instanceof RegExp) return false;
  // Too deep to walk (record-depth.ts): findUnstorable says where.
  if (depth > MAX_RECORD_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasUnstorable(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (UNSTORABLE.test(key) || hasUnstorable((value as Record<string, unknown>)[key], depth + 1))
      return true;
  }
  return false;
}

function findUnstorable(value: unknown, pointer: string, depth = 0): Found | undefined {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem === undefined ? undefined : { pointer, problem, key: false };
  }
  if (value === null || typeof value !== "object" || value instanceof Date) return undefined;
  // A pattern's source is the query language's business (match/re:), not stored text.
  if (value instanceof RegExp) return undefined;
  if (depth > MAX_RECORD_DEPTH) return { pointer, problem: TOO_DEEP, key: false };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${pointer}/${i}`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const at = `${pointer}/${escapePointer(key)}`;
    const problem = textProblem(key);
    if (problem !== undefined) return { pointer: at, problem, key: true };
    const found = findUnstorable((value as Record<string, unknown>)[key], at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
