/**
 * The studio's only way to the data: perstore's REST endpoints, with the
 * signed-in token as `Authorization: Bearer`. Nothing here knows a model: what
 * a role may see and do comes from the server's /openapi.json for that role.
 */
import type { QueryPlan } from "../../model/query-plan.js";

/** How the store would answer a query: the server's explain (the page never imports its code). */
export type { QueryPlan };

/** An error answer of the server: `{ code, message, details }` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { errors?: readonly { pointer: string; message: string }[] },
  ) {
    super(message);
  }
}

/** A page of a query: its records and the total `Content-Range` reports. */
export interface Page {
  readonly records: Record<string, unknown>[];
  readonly start: number;
  /** Undefined when the page was asked for without a count and more records follow it (`/*`). */
  readonly total: number | undefined;
  /** The server's time for the query (its `Server-Timing`), in ms, when it says. */
  readonly serverMs?: number;
}

/** A plan, with the request's time as the page measured it and the server's own. */
export interface Explained {
  readonly plan: QueryPlan;
  readonly requestMs: number;
  readonly serverMs?: number;
}

/** `perstore migrate status --json`'s report, as /migrations.json serves it. */
export interface MigrationStatus {
  readonly database?: { readonly url: string; readonly kind: string; readonly source: string };
  readonly migrations: readonly {
    readonly id: string;
    readonly name: string;
    readonly state: string;
    readonly appliedAt?: string;
  }[];
  readonly pending: readonly string[];
  readonly schemaChanges: readonly string[];
  readonly problems: readonly { readonly kind: string; readonly message: string }[];
  readonly upToDate: boolean;
}

/** What asks the server for a query's plan instead of its records. */
const EXPLAIN_TYPE = "application/vnd.perstore.explain+json";

/** A record and the ETag it was read with (sent back as `If-Match`). */
export interface Tagged {
  readonly record: Record<string, unknown>;
  readonly etag: string | null;
}

const TOKEN_KEY = "perstore-studio-token";

export class Api {
  /** `root`: the URL the REST endpoints hang from, ending in "/". */
  constructor(readonly root: string) {}

  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  set token(token: string | null) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  /** Sends a request; throws `ApiError` for any answer that is not 2xx. */
  async send(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    const token = this.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(this.root + path, {
      method,
      headers,
      body,
      cache: "no-store",
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (response.ok) return response;
    let answer: { code?: string; message?: string; details?: ApiError["details"] } = {};
    try {
      answer = await response.json();
    } catch {
      // Not JSON (a proxy's page): the status says enough.
    }
    throw new ApiError(
      response.status,
      answer.code ?? `HTTP_${response.status}`,
      answer.message ?? response.statusText,
      answer.details,
    );
  }

  /** The OpenAPI document of the signed-in role. */
  async openapi(): Promise<Record<string, any>> {
    return (await this.send("GET", "openapi.json")).json();
  }

  /**
   * One page of `GET /<model>/?<rql>`: `Range: items=start-(start+size-1)`,
   * never more. `count: false` (`Prefer: count=none`) spares the server
   * counting every match when the total is known already.
   */
  async page(
    model: string,
    rql: string,
    start: number,
    size: number,
    { count = true }: { count?: boolean } = {},
  ): Promise<Page> {
    const range = `items=${start}-${start + size - 1}`;
    const response = await this.send(
      "GET",
      `${encodeURIComponent(model)}/${rql ? `?${rql}` : ""}`,
      { headers: count ? { range } : { range, prefer: "count=none" } },
    );
    const records = response.status === 204 ? [] : await response.json();
    if (!Array.isArray(records))
      throw new ApiError(400, "STUDIO_NOT_A_LIST", "the query's result is not a list of records");
    const serverMs = timingOf(response.headers.get("server-timing"), "query");
    return {
      records,
      start,
      total: totalOf(response.headers.get("content-range"), records.length),
      ...(serverMs === undefined ? {} : { serverMs }),
    };
  }

  /** The plan of the query `page` would run for the same page (the same facet decides). */
  async explain(model: string, rql: string, start: number, size: number): Promise<Explained> {
    const started = performance.now();
    const response = await this.send(
      "GET",
      `${encodeURIComponent(model)}/${rql ? `?${rql}` : ""}`,
      { headers: { accept: EXPLAIN_TYPE, range: `items=${start}-${start + size - 1}` } },
    );
    const plan = (await response.json()) as QueryPlan;
    const serverMs = timingOf(response.headers.get("server-timing"), "explain");
    return {
      plan,
      requestMs: Math.round(performance.now() - started),
      ...(serverMs === undefined ? {} : { serverMs }),
    };
  }

  /** Whether the signed-in role may read the migration status (a HEAD: nothing is computed). */
  async canReadMigrations(): Promise<boolean> {
    try {
      await this.send("HEAD", "migrations.json");
      return true;
    } catch {
      return false;
    }
  }

  /** The database's migration status (privileged roles only). */
  async migrations(): Promise<MigrationStatus> {
    return (await this.send("GET", "migrations.json")).json();
  }

  /** A model's record count: the total of `Range: items=0-0`. */
  async count(model: string): Promise<number> {
    return (await this.page(model, "", 0, 1)).total ?? 0;
  }

  /**
   * The server's event stream for a query (`Accept: text/event-stream`, read
   * with fetch: EventSource cannot send the token); calls `onEvent` with each
   * event's type (`ready`, `add`, `change`, `remove`, `clear`, `reset`) until
   * `signal` aborts or the stream ends.
   */
  async listen(
    model: string,
    rql: string,
    onEvent: (type: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await this.send(
      "GET",
      `${encodeURIComponent(model)}/${rql ? `?${rql}` : ""}`,
      {
        headers: { accept: "text/event-stream" },
        signal,
      },
    );
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const type = /^event: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (type) onEvent(type);
      }
    }
  }

  async get(model: string, id: string): Promise<Tagged> {
    const response = await this.send("GET", recordPath(model, id));
    return { record: await response.json(), etag: response.headers.get("etag") };
  }

  /** Replaces a record only if it is still the version read (`If-Match`): a 412 otherwise. */
  async put(model: string, id: string, record: unknown, etag: string | null): Promise<Tagged> {
    const response = await this.send("PUT", recordPath(model, id), {
      body: record,
      headers: etag ? { "if-match": etag } : {},
    });
    return { record: await response.json(), etag: response.headers.get("etag") };
  }

  async create(model: string, record: unknown): Promise<Tagged> {
    const response = await this.send("POST", `${encodeURIComponent(model)}/`, { body: record });
    return { record: await response.json(), etag: response.headers.get("etag") };
  }

  async delete(model: string, id: string, etag: string | null): Promise<void> {
    await this.send("DELETE", recordPath(model, id), { headers: etag ? { "if-match": etag } : {} });
  }
}

function recordPath(model: string, id: string): string {
  return `${encodeURIComponent(model)}/${encodeURIComponent(id)}`;
}

/** The duration `name` has in a `Server-Timing` header (`query;dur=3.2`), in ms. */
function timingOf(header: string | null, name: string): number | undefined {
  for (const entry of (header ?? "").split(",")) {
    const [metric, ...params] = entry.split(";").map((part) => part.trim());
    if (metric !== name) continue;
    const duration = params.find((param) => param.startsWith("dur="));
    if (duration !== undefined) return Number(duration.slice(4));
  }
  return undefined;
}

/** The total of `Content-Range: items a-b/total` (or `items * /total`); undefined for `/*`. */
function totalOf(header: string | null, fallback: number): number | undefined {
  if (header !== null && /\/\*\s*$/.test(header)) return undefined;
  const match = header ? /\/(\d+)\s*$/.exec(header) : null;
  return match ? Number(match[1]) : fallback;
}
