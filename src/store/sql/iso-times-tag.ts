/**
 * The tag a store's record-reading statement starts with when its records
 * carry date-times as ISO text (`dates: "string"`, the default). A pool that
 * `openDatabase` opened (open-pg-pool.ts) reads the `timestamptz` cells of a
 * tagged statement straight into that text (timestamptz-text.ts) instead of
 * into the Date objects every other statement gets (users' own Kysely
 * queries keep their Dates). Any other driver ignores the comment and gives
 * Dates, which the store's row readers turn into the same text.
 */
import { sql, type RawBuilder } from "kysely";
import type { DateTimeMode } from "./sql-rows.js";

/** A plain SQL comment: PostgreSQL, logs and replica routing (read-statement.ts) skip it. */
export const ISO_TIMES_TAG = "/*perstore:iso-times*/";

/** The tag for a statement that reads records in this date mode (nothing for `dates: "Date"`). */
export function isoTimesTag(dates: DateTimeMode): RawBuilder<unknown> {
  return dates === "string" ? sql.raw(ISO_TIMES_TAG) : sql``;
}

/** Whether a statement's text asks for ISO text date-times. */
export function asksForIsoTimes(text: string): boolean {
  return text.startsWith(ISO_TIMES_TAG);
}

/** The statement as the query asked for it: without the tag, which is how the store reads, not what. */
export function withoutIsoTimesTag(text: string): string {
  return asksForIsoTimes(text) ? text.slice(ISO_TIMES_TAG.length) : text;
}
