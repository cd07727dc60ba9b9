/**
 * `GET /openapi.json`: the project's OpenAPI document (emitted by `perstore
 * build` as `generated/openapi.ts`) cut down to what the caller's role may
 * use: only the models it can see, only the operations its facet allows, and
 * each model's schema replaced by its facet's (hidden properties absent), with
 * every schema no remaining operation uses removed. A model with sub-models
 * answers with their records too (`GET /Person/` finds Employees): its
 * responses name `<schema>.served`, any of its own schema or, per sub-model,
 * what the facet shows of that sub-model's records (the sub-model's facet of
 * the same name, else the base's schema) with `perstore_type`. A schema's
 * `x-perstore-links` keep only the links whose path the role kept.
 */
import { DISCRIMINATOR } from "../model/hierarchy-store.js";
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
  /** The `.served` schemas the responses name: the model and the schema of its own records. */
  const served = new Map<string, { model: string; schema: string }>();
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
    for (const key of METHODS) {
      const operation = kept[key] as Json | undefined;
      if (operation?.["responses"] === undefined) continue;
      // Records answered may be sub-models' (the request body stays the model's own schema).
      let responses = JSON.stringify(operation["responses"]);
      const answering: [string, string][] = [[name, source.schema]];
      if (linked !== undefined) answering.push([linked, target!.schema]);
      for (const [model, schema] of answering)
        if (descendants(model, models).length > 0) {
          responses = responses.replaceAll(
            `"#/components/schemas/${model}"`,
            `"#/components/schemas/${schema}.served"`,
          );
          served.set(`${schema}.served`, { model, schema });
        }
      kept[key] = { ...operation, responses: JSON.parse(responses) };
    }
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
  const all = { ...(components.schemas as Json) };
  for (const [servedName, { model, schema }] of served) {
    const facet = schema === model ? undefined : schema.slice(model.length + 1);
    const variants = descendants(model, models).map((sub) => {
      const own = facet === undefined ? sub : `${sub}.${facet}`;
      return {
        allOf: [{ $ref: `#/components/schemas/${Object.hasOwn(all, own) ? own : schema}` }],
        properties: { [DISCRIMINATOR]: { const: sub } },
        required: [DISCRIMINATOR],
      };
    });
    all[servedName] = { anyOf: [{ $ref: `#/components/schemas/${schema}` }, ...variants] };
  }
  // The schemas the paths name, and those they name in turn (a `.served` schema names its variants').
  const used = new Set<string>(["Error"]);
  const refsIn = (value: unknown) => {
    for (const m of JSON.stringify(value).matchAll(/#\/components\/schemas\/([^"]+)"/g))
      if (!used.has(m[1]!)) {
        used.add(m[1]!);
        refsIn(all[m[1]!]);
      }
  };
  refsIn(paths);
  const schemas = Object.fromEntries(
    Object.entries(all)
      .filter(([key]) => used.has(key))
      .map(([key, schema]) => [key, withFollowableLinks(schema as Json, paths)]),
  );
  return {
    ...document,
    servers: [{ url: basePath === "" ? "/" : basePath }],
    paths,
    components: { ...components, schemas },
  };
}

/**
 * A record schema's `x-perstore-links` (see emit/openapi-extensions.ts) cut to
 * the links the role may follow: those whose path it kept.
 */
function withFollowableLinks(schema: Json, paths: Json): Json {
  const links = schema["x-perstore-links"];
  const model = schema["x-perstore-model"];
  if (!Array.isArray(links) || typeof model !== "string") return schema;
  return {
    ...schema,
    "x-perstore-links": links.filter((link: Json) =>
      Object.hasOwn(paths, `/${model}/{id}/${String(link["rel"])}`),
    ),
  };
}

/** The sub-models of `name`, at any depth. */
function descendants(
  name: string,
  models: Readonly<Record<string, Model<any, any, any>>>,
): string[] {
  const out: string[] = [];
  const pending = [...(models[name]?.definition.subModels ?? [])];
  while (pending.length > 0) {
    const sub = pending.shift()!;
    if (out.includes(sub) || sub === name) continue;
    out.push(sub);
    pending.push(...(models[sub]?.definition.subModels ?? []));
  }
  return out;
}
