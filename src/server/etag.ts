/**
 * Entity tags for optimistic concurrency: a strong tag from the record as the
 * client sees it (its facet's view), so a property the client cannot see
 * never shows through the tag.
 */
import { HttpError } from "./http-error.js";

/** The ETag of a record's JSON text. */
export async function etagOf(json: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(json));
  const bytes = new Uint8Array(digest).subarray(0, 18);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `"${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_")}"`;
}

/** The tags an `If-Match` / `If-None-Match` header lists (`*` as itself), weak tags compared strongly. */
function listedTags(header: string): string[] {
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .filter((tag) => tag !== "");
}

/**
 * Checks the preconditions of a write against the current tag (undefined when
 * the record does not exist): 412 when `If-Match` or `If-None-Match` fails.
 */
export function checkPreconditions(request: Request, current: string | undefined): void {
  const ifMatch = request.headers.get("if-match");
  if (ifMatch !== null) {
    const tags = listedTags(ifMatch);
    const ok = current !== undefined && (tags.includes("*") || tags.includes(current));
    if (!ok)
      throw new HttpError(
        412,
        "HTTP_PRECONDITION_FAILED",
        current === undefined
          ? "If-Match: the record does not exist"
          : "If-Match: the record has changed since it was read",
      );
  }
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null && current !== undefined) {
    const tags = listedTags(ifNoneMatch);
    if (tags.includes("*") || tags.includes(current))
      throw new HttpError(
        412,
        "HTTP_PRECONDITION_FAILED",
        tags.includes("*")
          ? "If-None-Match: *: the record already exists"
          : "If-None-Match: the record matches",
      );
  }
}
