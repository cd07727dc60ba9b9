/**
 * One stored form for `format: date-time` values: the instant as
 * `toISOString()` writes it ("2024-01-01T00:00:00.000Z"), which is what the
 * SQL store reads back from a timestamptz column. Writing that form on every
 * store makes the same input give the same stored string, and so the same
 * code-point order, on memory, JSON-file and SQL stores alike.
 */

/** `…:60` seconds (a leap second, which the JSON Schema format admits and `Date` does not). */
const LEAP_SECOND = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:)60(?=[.Zz+-])/;

/**
 * The normalised form of an ISO-8601 date-time string, or the string itself
 * when `Date` cannot read it (only valid values reach here: callers validate
 * first). A leap second counts as the next second, as PostgreSQL reads it.
 */
export function normalDateTime(value: string): string {
  const date = new Date(value);
  if (!Number.isNaN(date.getTime())) return date.toISOString();
  const leap = LEAP_SECOND.exec(value);
  if (leap) {
    const before = new Date(value.replace(LEAP_SECOND, (_, prefix: string) => `${prefix}59`));
    if (!Number.isNaN(before.getTime())) return new Date(before.getTime() + 1000).toISOString();
  }
  return value;
}
