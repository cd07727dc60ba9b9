/**
 * `withStudio(handler)`: the REST handler plus perstore studio's page at
 * `/_studio/`. The page and its assets are public (they hold no data); every
 * record the page shows comes through the handler's REST endpoints, so the
 * caller's token and its role's facets decide what it sees and may do.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PerstoreError } from "../errors/index.js";
import type { Handler } from "../server/index.js";

export interface StudioOptions {
  /** The bundled assets (default: dist/studio/assets, made by `npm run build`). */
  readonly assetsDir?: string;
}

/** Where the studio is served, under the handler's root. */
export const STUDIO_PATH = "/_studio/";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Only the page's own script, style and fetches to this server: nothing from elsewhere. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

/** Serves the studio at /_studio/ and everything else through `handler`; throws STUDIO_ASSETS_MISSING when there is no bundle. */
export function withStudio(handler: Handler, options: StudioOptions = {}): Handler {
  const assets = loadAssets(
    options.assetsDir ?? fileURLToPath(new URL("./assets/", import.meta.url)),
  );
  const answer = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === STUDIO_PATH.slice(0, -1))
      return new Response(null, { status: 308, headers: { location: STUDIO_PATH } });
    if (!path.startsWith(STUDIO_PATH)) return handler(request);
    const name = path.slice(STUDIO_PATH.length) || "index.html";
    const asset = assets.get(name);
    if (!asset || (request.method !== "GET" && request.method !== "HEAD"))
      return new Response(JSON.stringify({ code: "HTTP_NOT_FOUND", message: "no such endpoint" }), {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    return new Response(request.method === "HEAD" ? null : asset.body, {
      headers: { "content-type": asset.type, ...SECURITY_HEADERS },
    });
  };
  return Object.assign(answer, { close: () => handler.close() });
}

/** Reads the bundle once: a fixed set of files, so no request path ever reaches the file system. */
function loadAssets(dir: string): Map<string, { body: Uint8Array; type: string }> {
  if (!existsSync(join(dir, "index.html")))
    throw new PerstoreError(
      "STUDIO_ASSETS_MISSING",
      `perstore studio's page is not built (no ${join(dir, "index.html")}): run \`npm run build\``,
    );
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return assets;
}
