/**
 * `createHandler(options)`: a project's models over HTTP as one web-standard
 * `(request: Request) => Promise<Response>`, so the same server runs on Node
 * (`perstore serve`, through `serveNode`), Deno, Bun or an edge worker. The
 * request's token selects a role and the role a facet per model: the facet is
 * the only way in. Nothing on this path generates code from strings.
 */
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { PerstoreError } from "../errors/index.js";
import type { Model } from "../model/index.js";
import { createAccess, type AccessConfig } from "./access.js";
import { applyChanges } from "./change-set-route.js";
import { EventHub } from "./event-hub.js";
import { streamEvents } from "./event-stream-route.js";
import { errorResponse, HttpError } from "./http-error.js";
import { KeyedLock } from "./keyed-lock.js";
import { openApiForRole } from "./openapi-for-role.js";
import {
  createRecord,
  deleteRecord,
  followLink,
  getRecord,
  patchRecord,
  putRecord,
  queryRecords,
  type RouteContext,
} from "./record-routes.js";

/** Cross-origin access: the origins allowed, and whether they may send credentials. */
export interface CorsOptions {
  readonly origins: readonly string[];
  readonly credentials?: boolean;
}

export interface HandlerOptions {
  /** The models to serve, by name (what `createModels()` returns). */
  readonly models: Readonly<Record<string, Model<any, any, any>>>;
  /** Roles, tokens and the anonymous role (see `AccessConfig`). */
  readonly access: AccessConfig;
  /** Largest request body accepted, in bytes (default 1 MiB); larger: 413. */
  readonly maxBodyBytes?: number;
  /** A request that takes longer is answered 503 (default 30 s). */
  readonly timeoutMs?: number;
  /** CORS; omitted: no cross-origin access. */
  readonly cors?: CorsOptions;
  /** Serve under a path prefix, e.g. "/api" (default: the root). */
  readonly basePath?: string;
  /** The project's OpenAPI document (`openapi` from generated/index.ts), served per role at /openapi.json. */
  readonly openapi?: Readonly<Record<string, unknown>>;
  /** Hears about unexpected errors (the 500s), which the response never describes. */
  readonly onError?: (error: unknown) => void;
}

/** A web-standard request handler; `close()` ends its event streams (for a graceful shutdown). */
export interface Handler {
  (request: Request): Promise<Response>;
  close(): void;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const DEFAULT_TIMEOUT = 30_000;

/** Builds the handler; throws SERVER_CONFIG at once when the options are wrong. */
export function createHandler(options: HandlerOptions): Handler {
  const authorize = createAccess(options.access, options.models);
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  const locks = new KeyedLock();
  const hubs = new Map<string, EventHub>();
  const hubOf = (name: string): EventHub => {
    let hub = hubs.get(name);
    if (!hub) hubs.set(name, (hub = new EventHub(options.models[name]!)));
    return hub;
  };
  const streams = new Set<() => void>();
  const app = basePath === "" ? new Hono() : new Hono().basePath(basePath);

  if (options.cors) app.use("*", corsMiddleware(options.cors));

  const route =
    (fn: (context: RouteContext, params: Record<string, string>) => Promise<Response>) =>
    async (c: Context) => {
      const grant = await authorize(c.req.raw);
      const context: RouteContext = {
        request: c.req.raw,
        grant,
        models: options.models,
        maxBodyBytes,
        locks,
        basePath,
      };
      const params = c.req.param() as Record<string, string>;
      const response = await fn(context, params);
      // After a write, the revision its events got: a client listening to the
      // event stream waits for it, so it sees its own writes' events in order.
      const hub = c.req.method === "GET" ? undefined : hubs.get(params.model ?? "");
      if (hub?.revision) response.headers.set("perstore-revision", String(hub.revision));
      return response;
    };

  app.get("/openapi.json", async (c) => {
    if (!options.openapi)
      throw new HttpError(404, "HTTP_NOT_FOUND", "this server has no OpenAPI document");
    const grant = await authorize(c.req.raw);
    return c.json(
      openApiForRole(options.openapi as Record<string, unknown>, grant, options.models, basePath),
    );
  });

  for (const collection of ["/:model/", "/:model"]) {
    app.get(
      collection,
      route((ctx, p) =>
        /\btext\/event-stream\b/.test(ctx.request.headers.get("accept") ?? "")
          ? streamEvents(ctx, p.model!, hubOf, streams)
          : queryRecords(ctx, p.model!),
      ),
    );
    app.post(
      collection,
      route((ctx, p) => createRecord(ctx, p.model!)),
    );
  }
  app.post(
    "/:model/_changes",
    route((ctx, p) => applyChanges(ctx, p.model!)),
  );
  app.get(
    "/:model/:id",
    route((ctx, p) => getRecord(ctx, p.model!, p.id!)),
  );
  app.put(
    "/:model/:id",
    route((ctx, p) => putRecord(ctx, p.model!, p.id!)),
  );
  app.patch(
    "/:model/:id",
    route((ctx, p) => patchRecord(ctx, p.model!, p.id!)),
  );
  app.delete(
    "/:model/:id",
    route((ctx, p) => deleteRecord(ctx, p.model!, p.id!)),
  );
  app.get(
    "/:model/:id/:rel",
    route((ctx, p) => followLink(ctx, p.model!, p.id!, p.rel!)),
  );

  app.notFound(() => errorResponse(new HttpError(404, "HTTP_NOT_FOUND", "no such endpoint")));
  app.onError((error) => errorResponse(error, options.onError));

  const handle = async (request: Request): Promise<Response> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Response>((resolve) => {
      timer = setTimeout(
        () =>
          resolve(
            errorResponse(
              new HttpError(503, "HTTP_TIMEOUT", `the request took longer than ${timeoutMs} ms`),
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.resolve(app.fetch(request)), timeout]);
    } catch (error) {
      return errorResponse(error, options.onError);
    } finally {
      clearTimeout(timer);
    }
  };
  return Object.assign(handle, {
    close() {
      for (const close of [...streams]) close();
      for (const hub of hubs.values()) hub.close();
    },
  });
}

function corsMiddleware(options: CorsOptions) {
  if (options.origins.includes("*") && options.credentials)
    throw new PerstoreError(
      "SERVER_CONFIG",
      "CORS: a wildcard origin cannot be combined with credentials; list the origins",
    );
  const allowed = new Set(options.origins);
  return cors({
    origin: (origin) => (allowed.has("*") ? "*" : allowed.has(origin) ? origin : null),
    credentials: options.credentials ?? false,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: [
      "Authorization",
      "Content-Type",
      "If-Match",
      "If-None-Match",
      "Range",
      "Last-Event-ID",
      "Perstore-Parameters",
    ],
    exposeHeaders: ["Content-Range", "ETag", "Location", "Perstore-Revision"],
  });
}
