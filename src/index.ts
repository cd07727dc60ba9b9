/**
 * perstore's runtime entry: the public API, and the only module generated code imports.
 * Each area re-exports its public names from its own index.
 */
export * from "./errors/index.js";
export type * from "./query/ast.js";
export type * from "./store/types.js";
export { copyRecord } from "./store/copy.js";
export { ajvEqual, ajvUcs2length, ajvUri, AjvValidationError, ajvFormats } from "./runtime/ajv.js";
export * from "./model/definition.js";
export * from "./query/index.js";
