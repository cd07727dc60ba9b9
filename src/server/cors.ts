/**
 * Cross-origin access: listed origins (or "*") may read responses, including
 * `Content-Range` and `ETag`; a preflight (`OPTIONS`) is answered at once,
 * before authentication. A wildcard origin never goes with credentials.
 */
import { PerstoreError } from "../errors/index.js";

/** Cross-origin access: the origins allowed, and whether they may send credentials. */
export interface CorsOptions {
  readonly origins: readonly string[];
  readonly credentials?: boolean;
}

const ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";
const ALLOW_HEADERS =
  "Authorization,Content-Type,If-Match,If-None-Match,Range,Prefer,Last-Event-ID,Perstore-Parameters";
const EXPOSE_HEADERS = "Content-Range,ETag,Location,Perstore-Revision,Preference-Applied";

/** What the handler needs: a preflight answer, and the headers every other response gets. */
export interface Cors {
  /** The `204` answer to an `OPTIONS` request. */
  preflight(request: Request): Response;
  /** Adds the CORS headers for the request's origin to `response` (in place). */
  apply(request: Request, response: Response): Response;
}

/** Builds the CORS rules once; throws SERVER_CONFIG for a wildcard origin with credentials. */
export function createCors(options: CorsOptions): Cors {
  if (options.origins.includes("*") && options.credentials)
    throw new PerstoreError(
      "SERVER_CONFIG",
      "CORS: a wildcard origin cannot be combined with credentials; list the origins",
    );
  const wildcard = options.origins.includes("*");
  const allowed = new Set(options.origins);
  const credentials = options.credentials ?? false;
  const allowOrigin = (request: Request): string | undefined => {
    if (wildcard) return "*";
    const origin = request.headers.get("origin");
    return origin !== null && allowed.has(origin) ? origin : undefined;
  };
  const setOrigin = (headers: Headers, origin: string | undefined) => {
    // The answer depends on the Origin header: caches must keep one per origin.
    if (!wildcard) headers.append("vary", "Origin");
    if (origin === undefined) return;
    headers.set("access-control-allow-origin", origin);
    if (credentials) headers.set("access-control-allow-credentials", "true");
  };
  return {
    preflight(request) {
      const headers = new Headers();
      const origin = allowOrigin(request);
      setOrigin(headers, origin);
      if (origin !== undefined) {
        headers.set("access-control-allow-methods", ALLOW_METHODS);
        headers.set("access-control-allow-headers", ALLOW_HEADERS);
        headers.set("access-control-expose-headers", EXPOSE_HEADERS);
      }
      return new Response(null, { status: 204, headers });
    },
    apply(request, response) {
      const origin = allowOrigin(request);
      setOrigin(response.headers, origin);
      if (origin !== undefined)
        response.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
      return response;
    },
  };
}
