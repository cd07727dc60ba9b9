/**
 * The Node adapter: serves a web-standard handler on `node:http` (through
 * `@hono/node-server`), logs one line per request, and closes gracefully:
 * `close()` stops accepting connections and resolves once in-flight requests
 * have finished. A connection that makes no progress for longer than the
 * request timeout (a client that stops sending its request, or stops reading
 * its answer) is closed, so a slow client holds nothing for long.
 */
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Handler } from "./create-handler.js";

export interface ServeNodeOptions {
  /** Port to listen on; 0 picks a free one (default 3000). */
  readonly port?: number;
  /** Interface to listen on (default 127.0.0.1: loopback only). */
  readonly host?: string;
  /** Receives one line per request: method, path, status, milliseconds. Never headers or bodies. */
  readonly log?: (line: string) => void;
  /**
   * The handler's request timeout (`timeoutMs`, default 30 s): a connection
   * idle for longer, plus a second's grace so a late 408 is still written, is
   * closed. Event streams, whose heartbeat comes every 15 s, get at least a minute.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT = 30_000;
const GRACE_MS = 1_000;
const EVENT_STREAM_IDLE_MS = 60_000;
const EVENT_STREAM = /\btext\/event-stream\b/i;

/** The socket under a request, as @hono/node-server hands it to the fetch callback. */
interface NodeEnv {
  readonly incoming?: { readonly socket?: { setTimeout(ms: number): unknown } };
}

/** A running server. */
export interface NodeServer {
  /** The URL it answers at, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** Stops accepting connections; resolves when in-flight requests are done. */
  close(): Promise<void>;
}

/** Starts serving `handler`; resolves once the server listens. */
export async function serveNode(
  handler: Handler,
  options: ServeNodeOptions = {},
): Promise<NodeServer> {
  const log = options.log;
  const idleMs = (options.timeoutMs ?? DEFAULT_TIMEOUT) + GRACE_MS;
  // An event stream is idle between events by design: its socket waits longer (heartbeats keep it alive).
  // Only a request that accepts one can get one; other answers go out untouched (reading their
  // headers would turn @hono/node-server's plain header object into a Headers on every request).
  const served = (request: Request, env?: NodeEnv): Promise<Response> => {
    const answer = handler(request);
    if (!EVENT_STREAM.test(request.headers.get("accept") ?? "")) return answer;
    return answer.then((response) => {
      if (response.headers.get("content-type") === "text/event-stream")
        env?.incoming?.socket?.setTimeout(Math.max(idleMs, EVENT_STREAM_IDLE_MS));
      return response;
    });
  };
  const logged = log
    ? async (request: Request, env?: NodeEnv) => {
        const started = performance.now();
        const response = await served(request, env);
        const path = new URL(request.url).pathname;
        log(
          `${request.method} ${path} ${response.status} ${(performance.now() - started).toFixed(1)}ms`,
        );
        return response;
      }
    : served;
  const server = createAdaptorServer({ fetch: logged });
  // Without a 'timeout' listener, Node destroys a socket idle for this long.
  server.setTimeout(idleMs);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Event streams never finish by themselves: end them, then wait for the rest.
        handler.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would hold close() open: end them; busy ones finish first.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}
