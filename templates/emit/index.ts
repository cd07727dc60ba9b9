import { createModelRegistry, type ModelRegistryOptions, type Store } from "{{runtime}}";
{{modelImports}}

{{modelExports}}
export type * from "./db.js";
export { openapi } from "./openapi.js";
{{typeExports}}

/** Every model's definition, by name. */
export const definitions = {
{{definitions}}
} as const;

/** Where models keep their records: `stores[Name]`, else a SqlStore over `db`, else a RemoteStore on the server at `remote`, else a MemoryStore (one per inheritance hierarchy, shared by its sub-models). */
export interface CreateModelsOptions {
  readonly db?: ModelRegistryOptions["db"];
  readonly stores?: {
{{stores}}
  };
  /** A perstore server that keeps the records (each model a RemoteStore on `<url>/<Model>/`). */
  readonly remote?: ModelRegistryOptions["remote"];
  /** The bearer token sent to `remote`. */
  readonly token?: ModelRegistryOptions["token"];
}

/** The models `createModels` returns, each typed with its facets (`Book.facet("catalog")`). */
export type Models = {
{{models}}
};

/** Bind every model to its store, wired together for links. */
export function createModels(options: CreateModelsOptions = {}): Models {
  return createModelRegistry(definitions, options) as unknown as Models;
}
