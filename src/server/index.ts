/** perstore's REST server: models over HTTP, with facets as the only way in. */
export { createHandler } from "./create-handler.js";
export type { CorsOptions, Handler, HandlerOptions } from "./create-handler.js";
export { hashToken } from "./access.js";
export type { AccessConfig, Grant } from "./access.js";
export { HttpError } from "./http-error.js";
