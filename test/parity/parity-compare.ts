/**
 * How parity tests run a generated query and compare answers: the query's
 * text (an unsorted page is pinned by id), settling a call into a value or an
 * error code, and turning each answer into plain data that `toEqual` compares
 * (records, their order when sorted, totalCount, or a result operator's value).
 */
import type { Results } from "../../src/store/types.js";
import type { ParityQuery } from "./parity-arbitraries.js";

/** A query's text, and how its answer is compared. */
export interface ParityQueryText {
  readonly text: string;
  /** Records in a store-defined order: compared ordered by id. */
  readonly unordered: boolean;
  /** A result operator (count(), sum(), first() ...): its value is compared. */
  readonly value: boolean;
}

/** The RQL text of a generated query. */
export function parityQueryText(q: ParityQuery): ParityQueryText {
  const sorted = q.sort.length > 0;
  const sortText = sorted ? `&sort(${q.sort.join(",")})` : "";
  // A page or first() of an unsorted query depends on each store's natural order; pin it by id.
  const needsOrder =
    !sorted &&
    (q.tail.text.includes("limit") ||
      q.tail.text.includes("first") ||
      q.tail.text.includes("values") ||
      q.tail.text.includes("select"));
  return {
    text: `${q.filter}${sortText}${needsOrder ? "&sort(+id)" : ""}${q.tail.text}`,
    unordered: q.tail.kind === "records" && !sorted && !needsOrder,
    value: q.tail.kind === "value",
  };
}

export type Settled = { ok: true; value: unknown } | { ok: false; code: string };

/** Runs `fn`, giving its value or its error's code. */
export async function settle(fn: () => unknown): Promise<Settled> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
}

/** An answer as plain data to compare with `toEqual`. */
export function comparable(result: Settled, query: ParityQueryText): unknown {
  return query.value ? plainValue(result) : normalise(result, query.unordered);
}

/** Plain data to compare: arrays keep totalCount; unordered results are ordered by id. */
export function normalise(result: Settled, unordered: boolean): unknown {
  if (!result.ok) return result;
  const value = result.value;
  if (!Array.isArray(value)) return { value };
  const rows = [...value] as unknown[];
  if (unordered)
    rows.sort((a, b) => Number((a as { id: unknown }).id) - Number((b as { id: unknown }).id));
  return { rows, totalCount: (value as Results<unknown>).totalCount };
}

/**
 * A result operator's value as plain data: an array value (`min(tags)`) is a
 * value, not a page, so no `totalCount` is compared (the memory store tags
 * every array it returns with one).
 */
export function plainValue(result: Settled): Settled {
  if (!result.ok || !Array.isArray(result.value)) return result;
  return { ok: true, value: [...(result.value as unknown[])] };
}
