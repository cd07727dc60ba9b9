/**
 * The example application's models served by `createHandler` over memory
 * stores, with three roles: `admin` (every model, whole), `reader` (the
 * catalog and directory facets) and anonymous = reader.
 */
import { createModels, openapi } from "../../generated/index.js";
import {
  createHandler,
  hashToken,
  type Handler,
  type HandlerOptions,
} from "../../src/server/index.js";

export const ADMIN_TOKEN = "admin-secret-token";
export const EDITOR_TOKEN = "editor-secret-token";

export async function serveExample(overrides: Partial<HandlerOptions> = {}) {
  const models = createModels();
  const handler: Handler = createHandler({
    models,
    openapi,
    access: {
      anonymous: "reader",
      roles: {
        admin: { "*": "*" },
        reader: { Book: "catalog", Person: "directory" },
        editor: { Book: "editor", Author: "*" },
      },
      tokens: [
        { role: "admin", sha256: await hashToken(ADMIN_TOKEN) },
        { role: "editor", sha256: await hashToken(EDITOR_TOKEN) },
      ],
    },
    ...overrides,
  });
  const call = (
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    return handler(new Request(`http://localhost${path}`, { method, headers, body }));
  };
  return { models, handler, call };
}
