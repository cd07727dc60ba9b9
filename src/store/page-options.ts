/**
 * The caller's page (`query(q, { start, end, maxCount })`), checked once for
 * every store so each gives the same answer: `start` a finite number >= 0,
 * `end` and `maxCount` numbers >= 0 (Infinity: no end, no cap), fractions
 * rounded down; anything else is QueryError QUERY_BAD_VALUE. An `end` at or
 * before `start` is an empty page.
 */
import { QueryError } from "../errors/index.js";
import type { QueryOptions } from "./types.js";

/** The checked `start`/`end`/`maxCount` of `options` (undefined where not given). */
export function pageOptions(
  options: Pick<QueryOptions, "start" | "end" | "maxCount"> | undefined,
): {
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly maxCount: number | undefined;
} {
  const start = options?.start;
  const end = options?.end;
  const maxCount = options?.maxCount;
  return {
    start: start === undefined ? undefined : pageBound(start, "start", false),
    end: end === undefined ? undefined : pageBound(end, "end", true),
    maxCount: maxCount === undefined ? undefined : pageBound(maxCount, "maxCount", true),
  };
}

function pageBound(value: unknown, what: string, infinite: boolean): number {
  if (typeof value !== "number" || !(value >= 0) || (!infinite && value === Infinity)) {
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `the ${what} option must be a ${infinite ? "" : "finite "}number >= 0, not ${describe(value)}`,
    );
  }
  return Math.floor(value);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  return typeof value;
}
