/**
 * `POST /<Model>/_changes`: applies a memory store's committed journal (a
 * change set in `update`, `condensed` or `replace` mode) all or nothing,
 * through the request's facet, and answers with the ids the server assigned
 * and the records as stored: the server side of `httpChannel`.
 */
import { storeChannel } from "../store/channel.js";
import type { ChangeSet, CommitMode, Id } from "../store/types.js";
import { HttpError } from "./http-error.js";
import { readJsonBody } from "./read-body.js";
import { viewOf, type RouteContext } from "./record-routes.js";
import { viewStore } from "./view-store.js";

const MODES: readonly CommitMode[] = ["update", "condensed", "replace"];
const TYPES = ["add", "change", "remove", "clear"];

export async function applyChanges(context: RouteContext, name: string): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const changeSet = checkChangeSet(await readJsonBody(context.request, context.maxBodyBytes));
  // One change set at a time per model, so two never interleave their undo.
  const response = await context.locks.run(`${name}\u0000_changes`, () =>
    storeChannel(viewStore(model, view)).write(changeSet, changeSet.mode),
  );
  const ids: Record<string, Id> = {};
  const given = response?.ids;
  if (given instanceof Map) for (const [from, to] of given) ids[String(from)] = to;
  else if (given) Object.assign(ids, given);
  const body = {
    ids,
    ...(response?.records ? { records: response.records } : {}),
    ...(response?.data ? { data: response.data } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}

/** The body as a change set, or 400 saying what is wrong with it. */
function checkChangeSet(body: unknown): ChangeSet<Record<string, unknown>> {
  const bad = (message: string) => new HttpError(400, "HTTP_BAD_CHANGE_SET", message);
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw bad("a change set must be a JSON object { mode, changes, records? }");
  const { mode, changes, records } = body as Record<string, unknown>;
  if (!MODES.includes(mode as CommitMode)) throw bad(`mode must be one of ${MODES.join(", ")}`);
  if (mode === "replace") {
    if (!Array.isArray(records) || !records.every(isObject))
      throw bad("a replace change set needs records: an array of objects");
    return { mode, changes: [], records };
  }
  if (!Array.isArray(changes)) throw bad("changes must be an array");
  changes.forEach((change, i) => {
    if (!isObject(change) || !TYPES.includes(change.type as string))
      throw bad(`changes[${i}].type must be one of ${TYPES.join(", ")}`);
    if (change.type === "clear") return;
    if (typeof change.id !== "string" && typeof change.id !== "number")
      throw bad(`changes[${i}].id must be a string or a number`);
    if (change.type !== "remove" && !isObject(change.record))
      throw bad(`changes[${i}].record must be an object`);
  });
  return {
    mode: mode as CommitMode,
    changes: changes as ChangeSet<Record<string, unknown>>["changes"],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
