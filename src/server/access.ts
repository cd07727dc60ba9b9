/**
 * Who may do what over HTTP: a request's bearer token selects a role, and a
 * role names, per model, the facet it sees. A facet is the only way in: a
 * model a role does not name is closed to it, and `"*"` as the facet (an
 * explicit grant in the config) means the whole model.
 */
import { AccessError, PerstoreError } from "../errors/index.js";
import { FacetScopes } from "../model/facet-scope.js";
import type { FacetDefinition, Model, ModelMethods } from "../model/index.js";
import { sha256 } from "./sha256.js";

/** The `server.access` section of `perstore.config.json`. */
export interface AccessConfig {
  /** The role of requests without a token; omitted: they are refused with 401. */
  readonly anonymous?: string;
  /** role -> model name (or "*" for every model) -> facet name (or "*" for the whole model). */
  readonly roles: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Bearer tokens, stored as the hex SHA-256 digest of the token (never the token itself). */
  readonly tokens?: readonly { readonly sha256: string; readonly role: string }[];
  /** Roles that may read what concerns the whole server rather than a model: the migration status. */
  readonly privileged?: readonly string[];
}

/** What one request may use: the methods of each model's facet, by model name. */
export interface Grant {
  readonly role: string;
  /** The facet (or model) a request uses for `model`, or undefined when the role has none. */
  view(model: string): ModelMethods<any, any, any> | undefined;
}

/** The hex SHA-256 of a token, as `tokens[].sha256` stores it (`perstore token` prints one). */
export async function hashToken(token: string): Promise<string> {
  return sha256(token, "hex");
}

/** Compares two equal-length hex digests without stopping at the first difference. */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Compares a presented token with a known one; the time depends on the presented token's length only. */
function sameSecret(presented: string, known: string): boolean {
  let difference = presented.length ^ known.length;
  // Past the known token's end, charCodeAt is NaN, which `^` reads as 0 (the lengths already differ).
  for (let i = 0; i < presented.length; i++)
    difference |= presented.charCodeAt(i) ^ known.charCodeAt(i);
  return difference === 0;
}

/** Checks the access config against the models once, so a typo fails at start-up, not per request. */
export function checkAccessConfig(
  config: AccessConfig,
  models: Readonly<Record<string, Model<any, any, any>>>,
): void {
  const fail = (message: string) => {
    throw new PerstoreError("SERVER_CONFIG", `server access config: ${message}`);
  };
  const roleNames = Object.keys(config.roles);
  const knownRole = (role: string, where: string) => {
    if (!Object.hasOwn(config.roles, role))
      fail(`${where} names role "${role}", which is not in roles (${roleNames.join(", ")})`);
  };
  if (config.anonymous !== undefined) knownRole(config.anonymous, "anonymous");
  for (const [i, role] of (config.privileged ?? []).entries()) knownRole(role, `privileged[${i}]`);
  for (const [i, token] of (config.tokens ?? []).entries()) {
    knownRole(token.role, `tokens[${i}]`);
    if (!/^[0-9a-f]{64}$/.test(token.sha256))
      fail(`tokens[${i}].sha256 must be a lowercase hex SHA-256 digest (64 characters)`);
  }
  for (const [role, views] of Object.entries(config.roles)) {
    for (const [model, facet] of Object.entries(views)) {
      if (model === "*") {
        if (facet !== "*") fail(`roles.${role}["*"] may only be "*" (every model, whole)`);
        continue;
      }
      const found = models[model];
      if (!found) fail(`roles.${role} names model "${model}", which does not exist`);
      else if (facet !== "*" && !Object.hasOwn(found.definition.facets ?? {}, facet))
        fail(`roles.${role}.${model} names facet "${facet}", which ${model} does not define`);
    }
  }
}

/** Resolves requests to grants; facets are built once per role and model. */
export function createAccess(
  config: AccessConfig,
  models: Readonly<Record<string, Model<any, any, any>>>,
): (request: Request) => Grant | Promise<Grant> {
  checkAccessConfig(config, models);
  const grants = new Map<string, Grant>();
  const grantOf = (role: string): Grant => {
    let grant = grants.get(role);
    if (!grant) {
      const views = config.roles[role] ?? {};
      const cache = new Map<string, ModelMethods<any, any, any> | undefined>();
      grant = {
        role,
        view(name) {
          if (cache.has(name)) return cache.get(name);
          const model = Object.hasOwn(models, name) ? models[name] : undefined;
          const facet = Object.hasOwn(views, name) ? views[name] : views["*"];
          const view =
            model === undefined || facet === undefined
              ? undefined
              : facet === "*"
                ? model
                : model.facet(facet);
          cache.set(name, view);
          return view;
        },
      };
      grants.set(role, grant);
    }
    return grant;
  };
  const tokens = config.tokens ?? [];
  // Each configured token, once a request has proven it by its digest: the next
  // request with it is recognised by a constant-time comparison instead of a
  // SHA-256. One entry per configured digest (only its own token can match it),
  // so nothing a caller sends can grow this; kept in memory only, never logged.
  const proven: (string | undefined)[] = tokens.map(() => undefined);
  const grantOfDigest = (token: string, digest: string): Grant => {
    // Compare with every stored digest, so timing does not tell which one matched.
    let role: string | undefined;
    for (let i = 0; i < tokens.length; i++)
      if (sameDigest(digest, tokens[i]!.sha256)) {
        role ??= tokens[i]!.role;
        proven[i] = token;
      }
    if (role === undefined) throw new AccessError("unknown token", "ACCESS_UNAUTHENTICATED");
    return grantOf(role);
  };
  const grantOfToken = (token: string): Grant | Promise<Grant> => {
    let role: string | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const known = proven[i];
      if (known !== undefined && sameSecret(token, known)) role ??= tokens[i]!.role;
    }
    if (role !== undefined) return grantOf(role);
    // Synchronous where the runtime hashes synchronously (node:crypto): no await per request.
    const digest = sha256(token, "hex");
    return typeof digest === "string"
      ? grantOfDigest(token, digest)
      : digest.then((hex) => grantOfDigest(token, hex));
  };
  return (request) => {
    const header = request.headers.get("authorization");
    if (header === null) {
      if (config.anonymous === undefined)
        throw new AccessError("this server needs a bearer token", "ACCESS_UNAUTHENTICATED");
      return grantOf(config.anonymous);
    }
    const match = /^Bearer +([^\s]+) *$/i.exec(header);
    if (!match)
      throw new AccessError("Authorization must be 'Bearer <token>'", "ACCESS_UNAUTHENTICATED");
    return grantOfToken(match[1]!);
  };
}

/** The facet `view` is of `model` (its name and definition), or undefined for a whole-model grant. */
export function facetOf(
  model: Model<any, any, any>,
  view: ModelMethods<any, any, any>,
): { readonly name: string; readonly definition: FacetDefinition } | undefined {
  const facet = view as unknown as { model?: unknown; name?: unknown };
  if (facet.model !== model.name || typeof facet.name !== "string") return undefined;
  const definition = model.definition.facets?.[facet.name];
  return definition === undefined ? undefined : { name: facet.name, definition };
}

const scopesByModel = new WeakMap<Model<any, any, any>, Map<string, FacetScopes>>();

/**
 * What `view` hides of each record of `model` it serves, by the record's model
 * (a sub-model's own properties unless its facet of the same name shows them;
 * see model/facet-scope.ts), or undefined for a whole-model grant.
 */
export function facetScopesOf(
  model: Model<any, any, any>,
  view: ModelMethods<any, any, any>,
  models: Readonly<Record<string, Model<any, any, any>>>,
): FacetScopes | undefined {
  const facet = facetOf(model, view);
  if (facet === undefined) return undefined;
  let byFacet = scopesByModel.get(model);
  if (!byFacet) scopesByModel.set(model, (byFacet = new Map()));
  let scopes = byFacet.get(facet.name);
  if (!scopes) {
    scopes = new FacetScopes(model.definition, facet.name, (name) =>
      Object.hasOwn(models, name) ? models[name]!.definition : undefined,
    );
    byFacet.set(facet.name, scopes);
  }
  return scopes;
}

/** The name of the model whose instance `instance` is (a sub-model's for its records), or undefined. */
export function modelNameOf(
  instance: object,
  models: Readonly<Record<string, Model<any, any, any>>>,
): string | undefined {
  const prototype = Object.getPrototypeOf(instance) as unknown;
  for (const model of Object.values(models))
    if (model.definition.instanceClass.prototype === prototype) return model.name;
  return undefined;
}
