/**
 * `GET /<Model>/?<rql>` with `Accept: text/event-stream`: server-sent events
 * (`add`, `change`, `remove`, `clear`) for records matching the query, as the
 * request's facet sees them: rows outside the facet's filter never appear and
 * hidden properties are removed. Each event's id is its revision, so a client
 * reconnecting with `Last-Event-ID` resumes where it stopped.
 */
import { matches, parseQuery } from "../query/index.js";
import type { FilterNode } from "../query/ast.js";
import { facetOf, facetScopesOf } from "./access.js";
import type { EventHub, HubEvent } from "./event-hub.js";
import { HttpError } from "./http-error.js";
import { viewOf, type RouteContext } from "./record-routes.js";

/** How often an idle stream sends a comment, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

export async function streamEvents(
  context: RouteContext,
  name: string,
  hubOf: (name: string) => EventHub,
  streams: Set<() => void>,
): Promise<Response> {
  const { model, view } = viewOf(context, name);
  const url = context.request.url;
  const mark = url.indexOf("?");
  const rql = mark === -1 ? "" : url.slice(mark + 1);
  // Runs the facet's checks (methods, hidden properties, operators, limits) on the query.
  await view.query(rql, { start: 0, end: 0 });
  const filter = parseQuery(rql, { schema: model.definition.querySchema }).filter;
  const facet = facetOf(model, view)?.definition;
  const facetFilter: FilterNode | undefined = facet?.filter?.filter;
  // By the record's model: a sub-model's record shows what its own facet of the same name does.
  const scopes = facetScopesOf(model, view, context.models);
  const hub = hubOf(name);
  if (!(await hub.start()))
    throw new HttpError(501, "HTTP_NO_EVENTS", `the store of ${name} does not report changes`);

  const lastEventId = context.request.headers.get("last-event-id");
  const after = lastEventId !== null && /^\d+$/.test(lastEventId) ? Number(lastEventId) : undefined;
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const deliver = (event: HubEvent) => {
        const data = visible(event);
        if (data !== undefined)
          send(`id: ${event.revision}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const visible = (event: HubEvent): object | undefined => {
        if (event.type === "clear") return { type: "clear" };
        const record = event.record;
        // Removed by id alone: the record cannot be checked, so only views without a row filter hear of it.
        if (record === undefined)
          return event.type === "remove" && !facetFilter
            ? { type: "remove", id: event.id }
            : undefined;
        if (facetFilter && !matches(facetFilter, record, [])) return undefined;
        if (!matches(filter, record, [])) return undefined;
        if (event.type === "remove") return { type: "remove", id: event.id };
        const hidden = scopes?.ofRecord(record).hidden;
        const shown: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(record))
          if (!hidden?.has(key)) shown[key] = value;
        return { type: event.type, id: event.id, record: shown };
      };
      // `ready` tells the client it is subscribed, and from which revision.
      send(`retry: 2000\nevent: ready\ndata: {"revision":${hub.revision}}\n\n`);
      const listening = hub.listen(deliver, after);
      if (listening.missed) send(`id: ${hub.revision}\nevent: reset\ndata: {"type":"reset"}\n\n`);
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      stop = () => {
        clearInterval(heartbeat);
        listening.stop();
        streams.delete(close);
      };
      const close = () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      streams.add(close);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
