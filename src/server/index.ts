/**
 * perstore's REST server: models over HTTP, with facets as the only way in.
 *
 * @module perstore-runtime/server
 */
export { createHandler } from "./create-handler.js";
export type { CorsOptions, Handler, HandlerOptions } from "./create-handler.js";
export { hashToken } from "./access.js";
export type { AccessConfig, Grant } from "./access.js";
export { HttpError } from "./http-error.js";
export { serveNode } from "./serve-node.js";
export type { NodeServer, ServeNodeOptions } from "./serve-node.js";
export { parseServerConfig } from "./server-config.js";
export type { ServerConfig } from "./server-config.js";
