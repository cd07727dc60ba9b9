/**
 * `GET /<Model>/?<rql>` with `Accept: text/event-stream`: server-sent events
 * (`add`, `change`, `remove`, `clear`) for records matching the query, as the
 * request's facet sees them: rows outside the facet's filter never appear,
 * only the properties it shows are sent, and a change it cannot see is no
 * event at all (event-audience.ts). Each event's id is its audience's
 * revision, so a client reconnecting with `Last-Event-ID` resumes where it stopped.
 */
import { matches, parseQuery } from "../query/index.js";
import { audienceOf } from "./event-audience.js";
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
  // What the facet hears of each change (see event-audience.ts); the query then narrows it.
  const audience = audienceOf(model, view, context.models);
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
        const data = wanted(event);
        if (data !== undefined)
          send(`id: ${event.revision}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      /** The event's data when the stream's query wants it (tested on what the audience sees). */
      const wanted = (event: HubEvent): object | undefined => {
        if (event.type === "clear") return { type: "clear" };
        if (event.type === "remove")
          return event.removed === undefined || matches(filter, event.removed, [])
            ? { type: "remove", id: event.id }
            : undefined;
        if (event.record === undefined || !matches(filter, event.record, [])) return undefined;
        return { type: event.type, id: event.id, record: event.record };
      };
      // `ready` tells the client it is subscribed, and from which revision.
      // Replayed events are held until `ready` is sent, so they follow it.
      const held: HubEvent[] = [];
      let holding = true;
      const listening = hub.listen(
        audience,
        (event) => (holding ? held.push(event) : deliver(event)),
        after,
      );
      send(`retry: 2000\nevent: ready\ndata: {"revision":${listening.revision}}\n\n`);
      if (listening.missed)
        send(`id: ${listening.revision}\nevent: reset\ndata: {"type":"reset"}\n\n`);
      holding = false;
      for (const event of held) deliver(event);
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
