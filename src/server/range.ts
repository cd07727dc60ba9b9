/**
 * Paging with `Range: items=a-b` (Dojo's and Persevere's convention, as
 * PostgREST does it): `a-b` inclusive, `a-` open-ended. The answer is `206`
 * with `Content-Range: items a-b/total`; a start past the end is `416`.
 */
import { HttpError } from "./http-error.js";

/** A requested page: `start` inclusive, `end` exclusive (undefined: to the end). */
export interface ItemsRange {
  readonly start: number;
  readonly end?: number;
}

/** The page a `Range` header asks for; undefined when there is none; 416 for a malformed one. */
export function parseItemsRange(header: string | null): ItemsRange | undefined {
  if (header === null) return undefined;
  const match = /^\s*items\s*=\s*(\d{1,15})\s*-\s*(\d{1,15})?\s*$/.exec(header);
  if (!match) {
    throw new HttpError(
      416,
      "HTTP_BAD_RANGE",
      `Range must be "items=a-b" or "items=a-", got "${header}"`,
    );
  }
  const start = Number(match[1]);
  if (match[2] === undefined) return { start };
  const last = Number(match[2]);
  if (last < start)
    throw new HttpError(416, "HTTP_BAD_RANGE", `Range ${header} ends before it starts`);
  return { start, end: last + 1 };
}

/** `Content-Range` for `count` items from `start` out of `total`; 416 when the range starts past the end. */
export function contentRange(range: ItemsRange, count: number, total: number): string {
  if (count === 0) {
    if (range.start > 0 && range.start >= total) {
      throw new HttpError(
        416,
        "HTTP_RANGE_NOT_SATISFIABLE",
        `items ${range.start}- is past the end (${total} items)`,
        { "content-range": `items */${total}` },
      );
    }
    return `items */${total}`;
  }
  return `items ${range.start}-${range.start + count - 1}/${total}`;
}
