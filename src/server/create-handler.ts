/**
 * `createHandler(options)`: a project's models over HTTP as one web-standard
 * `(request: Request) => Promise<Response>`, so the same server runs on Node
 * (`perstore serve`, through `serveNode`), Deno, Bun or an edge worker. The
 * request's token selects a role and the role a facet per model: the facet is
 * the only way in. Nothing on this path generates code from strings.
 *
 * The routes are five path shapes, matched on the path's segments by hand
 * (route-path.ts): a general router (Hono's, before) cost more per GET than
 * the model's own work (bench/README.md, REST server).
 */
import type { Model } from "../model/index.js";
import { createAccess, type AccessConfig } from "./access.js";
import { applyChanges } from "./change-set-route.js";
import { createCors, type Cors, type CorsOptions } from "./cors.js";
import { Deadlines } from "./deadlines.js";
import { EventHub } from "./event-hub.js";
import { explainRecords, wantsExplain } from "./explain-route.js";
import { streamEvents } from "./event-stream-route.js";
import { errorResponse, HttpError } from "./http-error.js";
import { KeyedLock } from "./keyed-lock.js";
import { migrationsResponse, type MigrationStatusSource } from "./migrations-route.js";
import { openApiForRole } from "./openapi-for-role.js";
import { requestTimeout } from "./read-body.js";
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
import { pathSegments } from "./route-path.js";

export type { CorsOptions } from "./cors.js";

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
  /**
   * The database's migration status (what `perstore migrate status --json`
   * reports), served at /migrations.json to `access.privileged` roles only;
   * omitted: that path is 404.
   */
  readonly migrations?: MigrationStatusSource;
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
  const deadlines = new Deadlines(options.timeoutMs ?? DEFAULT_TIMEOUT);
  const cors: Cors | undefined = options.cors ? createCors(options.cors) : undefined;
  const locks = new KeyedLock();
  const hubs = new Map<string, EventHub>();
  const hubOf = (name: string): EventHub => {
    let hub = hubs.get(name);
    if (!hub) hubs.set(name, (hub = new EventHub(options.models[name]!)));
    return hub;
  };
  const streams = new Set<() => void>();
  const notFound = () => new HttpError(404, "HTTP_NOT_FOUND", "no such endpoint");

  /** Runs a model route with the request's grant (authentication first, always). */
  const withGrant = async (
    request: Request,
    model: string,
    route: (context: RouteContext) => Promise<Response>,
  ): Promise<Response> => {
    const grant = await authorize(request);
    const context: RouteContext = {
      request,
      grant,
      models: options.models,
      maxBodyBytes,
      locks,
      basePath,
    };
    const response = await route(context);
    // After a write, the revision its events got (the caller's audience's, as
    // its streams number them): a client listening to the event stream waits
    // for it, so it sees its own writes' events in order.
    const hub = request.method === "GET" ? undefined : hubs.get(model);
    const revision = hub?.revisionFor(grant.view(model));
    if (revision) response.headers.set("perstore-revision", String(revision));
    return response;
  };

  /** The route a method and path name; throws 404 for anything else. */
  const dispatch = (request: Request, method: string): Promise<Response> => {
    const segments = pathSegments(request.url, basePath);
    if (segments === undefined || segments[0] === "") throw notFound();
    const [model, id, rel] = segments as [string, string | undefined, string | undefined];
    const count = segments.length;
    if (count === 1 && model === "openapi.json" && method === "GET") return openApi(request);
    if (count === 1 && model === "migrations.json" && method === "GET")
      return migrationsResponse(request, authorize, options.access, options.migrations);
    if (count === 1 || (count === 2 && id === "")) {
      if (method === "GET")
        return withGrant(request, model, (ctx) =>
          /\btext\/event-stream\b/.test(request.headers.get("accept") ?? "")
            ? streamEvents(ctx, model, hubOf, streams)
            : wantsExplain(request)
              ? explainRecords(ctx, model)
              : queryRecords(ctx, model),
        );
      if (method === "POST") return withGrant(request, model, (ctx) => createRecord(ctx, model));
      throw notFound();
    }
    if (id === "" || (count === 3 && rel === "") || count > 3) throw notFound();
    if (count === 3) {
      if (method === "GET")
        return withGrant(request, model, (ctx) => followLink(ctx, model, id!, rel!));
      throw notFound();
    }
    if (id === "_changes" && method === "POST")
      return withGrant(request, model, (ctx) => applyChanges(ctx, model));
    switch (method) {
      case "GET":
        return withGrant(request, model, (ctx) => getRecord(ctx, model, id!));
      case "PUT":
        return withGrant(request, model, (ctx) => putRecord(ctx, model, id!));
      case "PATCH":
        return withGrant(request, model, (ctx) => patchRecord(ctx, model, id!));
      case "DELETE":
        return withGrant(request, model, (ctx) => deleteRecord(ctx, model, id!));
      default:
        throw notFound();
    }
  };

  const openApi = async (request: Request): Promise<Response> => {
    if (!options.openapi)
      throw new HttpError(404, "HTTP_NOT_FOUND", "this server has no OpenAPI document");
    const grant = await authorize(request);
    const document = openApiForRole(
      options.openapi as Record<string, unknown>,
      grant,
      options.models,
      basePath,
    );
    return new Response(JSON.stringify(document), {
      headers: { "content-type": "application/json" },
    });
  };

  /** The error a request that ran out of time answers with: 408 while its body is still arriving (see read-body.ts). */
  const timeoutError = (request: Request): HttpError => requestTimeout(request, deadlines.ms);

  const answer = async (request: Request): Promise<Response> => {
    if (cors && request.method === "OPTIONS") return cors.preflight(request);
    // HEAD is GET without the body.
    const head = request.method === "HEAD";
    let response: Response;
    try {
      response = await deadlines.run(dispatch(request, head ? "GET" : request.method), () =>
        errorResponse(timeoutError(request)),
      );
    } catch (error) {
      response = errorResponse(error, options.onError);
    }
    if (head) response = new Response(null, { status: response.status, headers: response.headers });
    return cors ? cors.apply(request, response) : response;
  };

  return Object.assign(answer, {
    close() {
      for (const close of [...streams]) close();
      for (const hub of hubs.values()) hub.close();
    },
  });
}
