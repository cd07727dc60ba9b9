/**
 * `GET /openapi.json`: the project's OpenAPI document (emitted by `perstore
 * build` as `generated/openapi.ts`) cut down to what the caller's role may
 * use: only the models it can see, only the operations its facet allows, and
 * each model's schema replaced by its facet's (hidden properties absent), with
 * every schema no remaining operation uses removed.
 */
import type { Model, ModelMethods } from "../model/index.js";
import { facetOf, type Grant } from "./access.js";

type Json = Record<string, unknown>;

/** Facet method names, and the names in `methods` that grant each (as the model runtime reads them). */
const GRANTS: Readonly<Record<string, readonly string[]>> = {
  get: ["get"],
  query: ["query"],
  create: ["create", "add"],
  put: ["put", "save"],
  patch: ["patch"],
  delete: ["delete"],
  changes: ["create", "add", "put", "save", "patch", "delete"],
};

const METHODS = ["get", "put", "post", "patch", "delete"];

/** The document `grant` may see, served under `basePath`. */
export function openApiForRole(
  document: Json,
  grant: Grant,
  models: Readonly<Record<string, Model<any, any, any>>>,
  basePath: string,
): Json {
  const grantedView = (
    name: string,
  ):
    | { view: ModelMethods<any, any, any>; methods?: ReadonlySet<string>; schema: string }
    | undefined => {
    const view = grant.view(name);
    if (!view) return undefined;
    const facet = facetOf(models[name]!, view);
    if (!facet) return { view, schema: name };
    return { view, methods: new Set(facet.definition.methods), schema: `${name}.${facet.name}` };
  };
  const paths: Json = {};
  for (const [path, item] of Object.entries(document.paths as Json)) {
    const pathItem = item as Json;
    const name = pathItem["x-perstore-model"] as string;
    const source = grantedView(name);
    const linked = pathItem["x-perstore-link"] as string | undefined;
    const target = linked === undefined ? undefined : grantedView(linked);
    if (!source || (linked !== undefined && !target)) continue;
    const kept: Json = {};
    for (const [key, value] of Object.entries(pathItem)) {
      if (!METHODS.includes(key)) {
        if (!key.startsWith("x-")) kept[key] = value;
        continue;
      }
      const method = (value as Json)["x-perstore-method"] as string;
      const allowed =
        source.methods === undefined ||
        (GRANTS[method] ?? [method]).some((g) => source.methods!.has(g));
      if (allowed) kept[key] = value;
    }
    if (!METHODS.some((m) => m in kept)) continue;
    let text = JSON.stringify(kept).replaceAll(
      `"#/components/schemas/${name}"`,
      `"#/components/schemas/${source.schema}"`,
    );
    if (linked !== undefined)
      text = text.replaceAll(
        `"#/components/schemas/${linked}"`,
        `"#/components/schemas/${target!.schema}"`,
      );
    paths[path] = JSON.parse(text);
  }
  const components = document.components as Json;
  const used = new Set(
    ["Error", ...JSON.stringify(paths).matchAll(/#\/components\/schemas\/([^"]+)"/g)].map((m) =>
      typeof m === "string" ? m : m[1]!,
    ),
  );
  const schemas = Object.fromEntries(
    Object.entries(components.schemas as Json).filter(([key]) => used.has(key)),
  );
  return {
    ...document,
    servers: [{ url: basePath === "" ? "/" : basePath }],
    paths,
    components: { ...components, schemas },
  };
}
