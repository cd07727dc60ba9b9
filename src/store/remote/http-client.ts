/**
 * One request to a perstore server, with the bearer token, a timeout, and
 * retries for idempotent methods only (GET, PUT, DELETE), when the failure
 * says nothing was done: the network failed, the request timed out, or the
 * server answered 502/503/504.
 */
import { StoreError } from "../../errors/index.js";

export interface HttpClientOptions {
  readonly token?: string;
  /** Milliseconds before a request is abandoned (default 10 000). */
  readonly timeout?: number;
  /** Extra attempts for idempotent requests (default 2). */
  readonly retries?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const RETRY_STATUSES = new Set([502, 503, 504]);

export class HttpClient {
  readonly #options: HttpClientOptions;

  constructor(options: HttpClientOptions = {}) {
    this.#options = options;
  }

  /** Sends the request; resolves to the response whatever its status, rejects with StoreError when none came. */
  async send(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    if (this.#options.token !== undefined) headers.authorization = `Bearer ${this.#options.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    const attempts = IDEMPOTENT.has(method) ? 1 + (this.#options.retries ?? 2) : 1;
    const timeout = this.#options.timeout ?? 10_000;
    const doFetch = this.#options.fetch ?? fetch;
    for (let attempt = 1; ; attempt++) {
      const signal = init.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeout)])
        : AbortSignal.timeout(timeout);
      let failure: StoreError;
      try {
        const response = await doFetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal,
        });
        if (!RETRY_STATUSES.has(response.status) || attempt >= attempts) return response;
        await response.body?.cancel();
        failure = new StoreError(
          "REMOTE_UNAVAILABLE",
          `${method} ${url}: HTTP ${response.status}`,
          { retryable: true },
        );
      } catch (error) {
        if (init.signal?.aborted) throw error;
        const timedOut = (error as Error)?.name === "TimeoutError";
        failure = new StoreError(
          timedOut ? "REMOTE_TIMEOUT" : "REMOTE_UNREACHABLE",
          `${method} ${url}: ${timedOut ? `no answer within ${timeout} ms` : ((error as Error)?.message ?? String(error))}`,
          { cause: error, retryable: true },
        );
      }
      if (attempt >= attempts) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 1)));
    }
  }
}
