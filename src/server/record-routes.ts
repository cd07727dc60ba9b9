/**
 * The record endpoints of one model, each going through the request's facet:
 * `GET/PUT/PATCH/DELETE /<Model>/<id>`, `POST /<Model>/`, `GET /<Model>/?<rql>`
 * and `GET /<Model>/<id>/<rel>`. Ids are opaque path segments, decoded once and
 * typed by the model's primary key.
 */
import { AccessError, NotFoundError } from "../errors/index.js";
import { decodeParameters, PARAMETERS_HEADER } from "../query/index.js";
import type { Model, ModelMethods } from "../model/index.js";
import type { Id } from "../store/types.js";
import { facetScopesOf, modelNameOf, type Grant } from "./access.js";
import { checkPreconditions, etagOf } from "./etag.js";
import { HttpError } from "./http-error.js";
import { instanceJson } from "./instance-json.js";
import type { KeyedLock } from "./keyed-lock.js";
import { mergePatchChanges } from "./merge-patch.js";
import { contentRange, countLimit, parseItemsRange } from "./range.js";
import { readJsonBody } from "./read-body.js";
import { subModelReplacer } from "./sub-model-json.js";

type View = ModelMethods<any, any, any>;

/** What every record route needs from the handler. */
export interface RouteContext {
  readonly request: Request;
  readonly grant: Grant;
  readonly models: Readonly<Record<string, Model<any, any, any>>>;
  readonly maxBodyBytes: number;
  readonly locks: KeyedLock;
  /** The URL path prefix models are served under ("" or e.g. "/api"). */
  readonly basePath: string;
}

const MERGE_PATCH = /^application\/(?:merge-patch\+json|json)\s*(?:;|$)/i;

/** The model and the request's view of it: 404 for an unknown model, 403 for one the role cannot see. */
export function viewOf(
  context: RouteContext,
  name: string,
): { model: Model<any, any, any>; view: View } {
  const model = Object.hasOwn(context.models, name) ? context.models[name] : undefined;
  if (!model) throw new HttpError(404, "HTTP_UNKNOWN_MODEL", `there is no model ${name}`);
  const view = context.grant.view(name);
  if (!view)
    throw new AccessError(`role ${context.grant.role} has no access to ${name}`, "ACCESS_MODEL");
  return { model, view };
}

/** The id a path segment names, typed by the primary key (a numeric key takes canonical numbers only). */
export function idOf(model: Model<any, any, any>, segment: string): Id {
  const { primaryKey, fields } = model.definition.querySchema;
  const type = fields[primaryKey];
  if (type !== "number" && type !== "integer") return segment;
  const n = Number(segment);
  if (segment === "" || String(n) !== segment)
    throw new NotFoundError(`${model.name} ${segment} does not exist`);
  return n;
}

/** A record's JSON: a sub-model's record read through its base names its model (see sub-model-json.ts). */
const recordJson = (context: RouteContext, model: Model<any, any, any>, value: unknown): string => {
  const replacer = subModelReplacer(model, context.models);
  return replacer ? JSON.stringify(value ?? null, replacer as never) : instanceJson(value);
};

async function recordResponse(
  record: object,
  status = 200,
  extra: Record<string, string> = {},
  text = JSON.stringify(record),
): Promise<Response> {
  const json = text;
  return new Response(json, {
    status,
    headers: { "content-type": "application/json", etag: await etagOf(json), ...extra },
  });
}

const json = (
  value: unknown,
  status = 200,
  headers: Record<string, string> = {},
  text = JSON.stringify(value ?? null),
) =>
  new Response(text, {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** The current tag of a record as `view` shows it, or undefined when absent. */
async function currentTag(
  context: RouteContext,
  model: Model<any, any, any>,
  view: View,
  id: Id,
): Promise<string | undefined> {
  const record = await view.get(id);
  return record === undefined ? undefined : etagOf(recordJson(context, model, record));
}

/** `GET /<Model>/<id>`. */
export async function getRecord(
  context: RouteContext,
  name: string,
  segment: string,
): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const id = idOf(model, segment);
  const record = await view.get(id);
  if (record === undefined) throw new NotFoundError(`${name} ${segment} does not exist`);
  return recordResponse(record, 200, {}, recordJson(context, model, record));
}

/** `GET /<Model>/?<rql>`: the raw query string is the query; `Range: items=a-b` pages it. */
export async function queryRecords(context: RouteContext, name: string): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const url = context.request.url;
  const mark = url.indexOf("?");
  const rql = mark === -1 ? "" : url.slice(mark + 1);
  const range = parseItemsRange(context.request.headers.get("range"));
  // `Prefer: count=none`: the store counts only up to one past the page (see range.ts).
  const limit = countLimit(range, context.request.headers.get("prefer"));
  const options = range
    ? {
        start: range.start,
        ...(range.end !== undefined ? { end: range.end } : {}),
        ...(limit !== undefined ? { maxCount: limit } : {}),
      }
    : {};
  const sent = context.request.headers.get(PARAMETERS_HEADER);
  const parameters = sent === null ? {} : { parameters: decodeParameters(sent) };
  const started = performance.now();
  const result = await view.query<unknown>(rql, { ...options, ...parameters });
  // The store's time, for the studio beside the request's own (Server-Timing). The answer
  // depends on Prefer (count=none) and on Accept (the explain type answers a plan instead,
  // see explain-route.ts): a shared cache must keep one per value (CORS appends Origin).
  const timing = {
    "server-timing": `query;dur=${(performance.now() - started).toFixed(1)}`,
    vary: "accept, prefer",
  };
  // No value (first() of nothing, mean() of nothing): 204, which a client reads back as undefined.
  if (result === undefined) return new Response(null, { status: 204, headers: timing });
  if (!Array.isArray(result) || typeof (result as { totalCount?: unknown }).totalCount !== "number")
    return json(result, 200, timing, recordJson(context, model, result));
  const total = (result as unknown as { totalCount: number }).totalCount;
  const header = contentRange(range ?? { start: 0 }, result.length, total, limit);
  const applied: Record<string, string> =
    limit !== undefined ? { "preference-applied": "count=none" } : {};
  return json(
    result,
    range ? 206 : 200,
    { "content-range": header, ...applied, ...timing },
    recordJson(context, model, result),
  );
}

/** `POST /<Model>/`: create; `201` with `Location`. */
export async function createRecord(context: RouteContext, name: string): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const body = await readObjectBody(context);
  const created = (await view.create(body)) as Record<string, unknown>;
  const id = created[model.definition.primaryKey];
  return recordResponse(
    created,
    201,
    {
      location: `${context.basePath}/${encodeURIComponent(name)}/${encodeURIComponent(String(id))}`,
    },
    recordJson(context, model, created),
  );
}

/** `PUT /<Model>/<id>`: full replace (or create); `If-Match` / `If-None-Match: *` make it conditional. */
export async function putRecord(
  context: RouteContext,
  name: string,
  segment: string,
): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const id = idOf(model, segment);
  const body = await readObjectBody(context);
  const key = model.definition.primaryKey;
  if (Object.hasOwn(body, key) && body[key] !== id)
    throw new HttpError(
      400,
      "HTTP_ID_MISMATCH",
      `the body's ${key} differs from the id in the URL`,
    );
  return context.locks.run(`${name}\u0000${segment}`, async () => {
    const before = await currentTag(context, model, view, id);
    checkPreconditions(context.request, before);
    const createOnly = context.request.headers.get("if-none-match")?.trim() === "*";
    const record = { ...body, [key]: id };
    const saved = createOnly ? await view.create(record) : await view.put(record);
    return recordResponse(
      saved,
      before === undefined ? 201 : 200,
      {},
      recordJson(context, model, saved),
    );
  });
}

/** `PATCH /<Model>/<id>`: a JSON Merge Patch. */
export async function patchRecord(
  context: RouteContext,
  name: string,
  segment: string,
): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const id = idOf(model, segment);
  const patch = (await readJsonBody(context.request, context.maxBodyBytes, MERGE_PATCH)) as unknown;
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    throw new HttpError(400, "HTTP_BAD_BODY", "a merge patch must be a JSON object");
  const key = model.definition.primaryKey;
  if (Object.hasOwn(patch, key) && (patch as Record<string, unknown>)[key] !== id)
    throw new HttpError(400, "HTTP_ID_MISMATCH", `a patch cannot change ${key}`);
  return context.locks.run(`${name}\u0000${segment}`, async () => {
    const current = await view.get(id);
    if (current === undefined) throw new NotFoundError(`${name} ${segment} does not exist`);
    checkPreconditions(context.request, await etagOf(recordJson(context, model, current)));
    const changes = mergePatchChanges({ ...current }, patch as Record<string, unknown>);
    const patched = await view.patch(id, changes);
    return recordResponse(patched, 200, {}, recordJson(context, model, patched));
  });
}

/** `DELETE /<Model>/<id>`: `204`, or `404` when there was nothing to delete. */
export async function deleteRecord(
  context: RouteContext,
  name: string,
  segment: string,
): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const id = idOf(model, segment);
  return context.locks.run(`${name}\u0000${segment}`, async () => {
    if (context.request.headers.has("if-match"))
      checkPreconditions(context.request, await currentTag(context, model, view, id));
    if (!(await view.delete(id))) throw new NotFoundError(`${name} ${segment} does not exist`);
    return new Response(null, { status: 204 });
  });
}

/** `GET /<Model>/<id>/<rel>`: the link's target through the role's view of the target model. */
export async function followLink(
  context: RouteContext,
  name: string,
  segment: string,
  rel: string,
): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const link = model.definition.links?.find((candidate) => candidate.rel === rel);
  if (!link) throw new HttpError(404, "MODEL_UNKNOWN_LINK", `${name} has no link "${rel}"`);
  // Hidden by the facet for every record it serves: 403 whatever the id, so the answer tells nothing of the record.
  if (linkHidden(context, model, view, undefined, link.property))
    throw hiddenLink(name, link.property);
  const source = (await view.get(idOf(model, segment))) as Record<string, unknown> | undefined;
  if (source === undefined) throw new NotFoundError(`${name} ${segment} does not exist`);
  // A record the caller sees: its own model's scope (a sub-model's facet of the same name) governs, as for reading it.
  if (linkHidden(context, model, view, source, link.property))
    throw hiddenLink(name, link.property);
  const target = viewOf(context, link.target);
  const value = source[link.property];
  const targetKey = target.model.definition.primaryKey;
  if (!link.many) {
    if (value === undefined || value === null)
      throw new NotFoundError(`${name} ${segment} has no ${rel}`);
    const found =
      link.targetProperty === targetKey && (typeof value === "string" || typeof value === "number")
        ? await target.view.get(value)
        : (
            await target.view.query<unknown[]>({
              field: link.targetProperty,
              compare: "equals",
              value,
            })
          )[0];
    if (found === undefined) throw new NotFoundError(`${name} ${segment} has no ${rel}`);
    return recordResponse(found as object, 200, {}, recordJson(context, target.model, found));
  }
  if (value === undefined || value === null) return json([]);
  const compare = Array.isArray(value) ? "in" : "equals";
  const found = await target.view.query({ field: link.targetProperty, compare, value } as never);
  return json(found, 200, {}, recordJson(context, target.model, found));
}

/** Whether `view` does not show `property` of `record` (of any record it serves, for undefined). */
function linkHidden(
  context: RouteContext,
  model: Model<any, any, any>,
  view: View,
  record: object | undefined,
  property: string,
): boolean {
  const scopes = facetScopesOf(model, view, context.models);
  if (scopes === undefined) return false;
  const owner = record === undefined ? model.name : modelNameOf(record, context.models);
  return scopes.of(owner ?? model.name).omitted.has(property);
}

const hiddenLink = (name: string, property: string) =>
  new AccessError(`${name}.${property} is hidden from this role`, "ACCESS_PROPERTY");

async function readObjectBody(context: RouteContext): Promise<Record<string, unknown>> {
  const body = await readJsonBody(context.request, context.maxBodyBytes);
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new HttpError(400, "HTTP_BAD_BODY", "the body must be a JSON object (one record)");
  return body as Record<string, unknown>;
}
