/**
 * The totalCount of a page whose count is capped (`limit()`'s third argument,
 * or `QueryOptions.maxCount`: a server asked for `Prefer: count=none`), found
 * without counting the table: the page is read with one row more than it
 * shows, so a full page tells "at least offset + count + 1" and a short one
 * tells the exact number. Only when neither settles it (an empty page past
 * its start, or a cap further out than the peeked row) does a count run, and
 * it stops at the cap (`select count(*) from (select 1 ... limit cap)`).
 * An exact count instead reads every matching row, on every page.
 */
import { sql, type QueryExecutorProvider, type RawBuilder } from "kysely";
import type { Page } from "./compile-query.js";

type Sql = RawBuilder<unknown>;

/** Whether a page's total can be capped: a bounded page with a cap. */
export function cappedCount(page: Page): page is Page & { count: number; maxCount: number } {
  return page.count !== undefined && page.maxCount !== undefined;
}

/** The page to read for a capped count: one row past the page. */
export function peekPage(page: Page & { count: number }): Page {
  return { ...page, count: page.count + 1 };
}

/**
 * min(matches, maxCount), given `fetched`: how many rows the peeked page
 * (`peekPage`) returned from `source where where`.
 */
export async function cappedTotal(
  db: QueryExecutorProvider,
  source: Sql,
  where: Sql,
  page: Page & { count: number; maxCount: number },
  fetched: number,
): Promise<number> {
  const { offset, count, maxCount } = page;
  // A short page, not empty past its start: the matches end on it.
  if (fetched <= count && (fetched > 0 || offset === 0))
    return Math.min(offset + fetched, maxCount);
  // A full page with a row to spare: at least offset + count + 1 match.
  if (fetched > count && offset + count + 1 >= maxCount) return maxCount;
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::float8 as n from (select 1 from ${source} where ${where} limit ${maxCount}) capped`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}
