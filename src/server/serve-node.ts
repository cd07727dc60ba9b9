/**
 * The Node adapter: serves a web-standard handler on `node:http` (through
 * `@hono/node-server`), logs one line per request, and closes gracefully:
 * `close()` stops accepting connections and resolves once in-flight requests
 * have finished.
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
  const logged = log
    ? async (request: Request) => {
        const started = performance.now();
        const response = await handler(request);
        const path = new URL(request.url).pathname;
        log(
          `${request.method} ${path} ${response.status} ${(performance.now() - started).toFixed(1)}ms`,
        );
        return response;
      }
    : handler;
  const server = createAdaptorServer({ fetch: logged });
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
