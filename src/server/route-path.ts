/**
 * The path of a request as the routes see it: its segments under the base
 * path, each percent-decoded once (so an id is an opaque segment: `a%2Fb` is
 * the id "a/b", never two segments). Sliced from `request.url` by hand: the
 * routes are few and fixed, and a URL parser or router per request costs
 * more than the rest of a GET by id (bench/README.md, REST server).
 */

/** Decodes a segment; a malformed escape is kept as it was sent (an id no store holds). */
function decodeSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The decoded segments of `url`'s path under `basePath` ("" or "/api"), or
 * undefined when the path is outside it. `/Book/` gives ["Book", ""].
 */
export function pathSegments(url: string, basePath: string): string[] | undefined {
  const scheme = url.indexOf("://");
  const start = url.indexOf("/", scheme === -1 ? 0 : scheme + 3);
  if (start === -1) return undefined;
  const query = url.indexOf("?", start);
  const fragment = url.indexOf("#", start);
  const end = Math.min(query === -1 ? url.length : query, fragment === -1 ? url.length : fragment);
  const path = url.slice(start, end);
  if (basePath !== "" && !(path.startsWith(basePath) && path[basePath.length] === "/"))
    return undefined;
  return path
    .slice(basePath.length + 1)
    .split("/")
    .map(decodeSegment);
}
