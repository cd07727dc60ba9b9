/**
 * Paging with `Range: items=a-b` (Dojo's and Persevere's convention, as
 * PostgREST does it): `a-b` inclusive, `a-` open-ended. The answer is `206`
 * with `Content-Range: items a-b/total`; a start past the end is `416`.
 *
 * Counting every match costs as much as the query itself on a large table,
 * so a client that already knows the total (or does not need it) sends
 * `Prefer: count=none` (RFC 7240) with a bounded range: the store then
 * counts only up to one past the page, and the total reads `*` (RFC 7233's
 * "unknown") when more items follow the page — `items 20-39/*` — or the
 * exact number when the page reaches the end. The answer says so with
 * `Preference-Applied: count=none`. Without the preference every answer
 * carries the exact total, as before.
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

/**
 * Whether the request's `Prefer` header holds `count=none` (any other
 * preference, or parameters after `;`, are ignored).
 */
export function prefersNoCount(header: string | null): boolean {
  if (header === null) return false;
  return header.split(",").some((preference) => {
    const [name, value] = (preference.split(";")[0] ?? "").split("=");
    return (
      name?.trim().toLowerCase() === "count" &&
      value
        ?.trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase() === "none"
    );
  });
}

/**
 * The count the store may stop at for a page whose client sent `Prefer:
 * count=none`: one past the page's end, so a total that reaches it means
 * "more items follow". Undefined (count them all) without the preference or
 * for an open-ended range, whose last item only the total tells.
 */
export function countLimit(
  range: ItemsRange | undefined,
  prefer: string | null,
): number | undefined {
  return range?.end !== undefined && prefersNoCount(prefer) ? range.end + 1 : undefined;
}

/**
 * `Content-Range` for `count` items from `start` out of `total`; 416 when the
 * range starts past the end. With `limit` (see `countLimit`), a total at the
 * limit is only "at least": it reads `*`.
 */
export function contentRange(
  range: ItemsRange,
  count: number,
  total: number,
  limit?: number,
): string {
  if (limit !== undefined && total >= limit && count > 0)
    return `items ${range.start}-${range.start + count - 1}/*`;
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
