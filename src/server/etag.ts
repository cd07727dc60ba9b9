/**
 * Entity tags for optimistic concurrency: a strong tag from the record as the
 * client sees it (its facet's view), so a property the client cannot see
 * never shows through the tag.
 */
import { HttpError } from "./http-error.js";
import { sha256 } from "./sha256.js";

/** A tag from a digest: its first 18 bytes (24 base64url characters), quoted. */
const tagOf = (digest: string) => `"${digest.slice(0, 24)}"`;

/** The ETag of a record's JSON text: synchronous where the runtime hashes synchronously. */
export function etagOf(json: string): string | Promise<string> {
  const digest = sha256(json, "base64url");
  return typeof digest === "string" ? tagOf(digest) : digest.then(tagOf);
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
