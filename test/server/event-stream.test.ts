/** Change events over HTTP: server-sent events through the facet, resumable by Last-Event-ID. */
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, serveExample } from "./serve-fixture.js";

const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const book = (isbn: string, extra: Record<string, unknown> = {}) =>
  ({
    isbn,
    title: `Book ${isbn.slice(-3)}`,
    authorId: AUTHOR,
    status: "published",
    price: 5,
    ...extra,
  }) as never;

interface SseEvent {
  id?: string;
  event?: string;
  data?: unknown;
}

/** Reads a text/event-stream body event by event. */
function eventReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<SseEvent> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split("\n")) {
            const [field, ...rest] = line.split(": ");
            const value = rest.join(": ");
            if (field === "id") event.id = value;
            if (field === "event") event.event = value;
            if (field === "data") event.data = JSON.parse(value);
          }
          if (event.event !== undefined && event.event !== "ready") return event;
          continue;
        }
        const { done, value } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

let server: Awaited<ReturnType<typeof serveExample>>;
afterEach(() => server?.handler.close());

const subscribe = async (path: string, headers: Record<string, string> = {}) => {
  const res = await server.call("GET", path, {
    headers: { accept: "text/event-stream", ...headers },
  });
  return res;
};

describe("event streams", () => {
  it("streams add/change/remove of matching records as the facet sees them", async () => {
    server = await serveExample();
    const res = await subscribe("/Book/?limit(10)");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = eventReader(res);
    const { Book } = server.models;
    await Book.create(book("9780000000001", { status: "draft" })); // outside the catalog filter: never seen
    await Book.create(book("9780000000002"));
    await Book.patch("9780000000002", { title: "Renamed" });
    await Book.delete("9780000000002");
    const added = await events.next();
    expect(added).toMatchObject({ event: "add", data: { type: "add", id: "9780000000002" } });
    expect((added.data as { record: object }).record).not.toHaveProperty("price");
    expect(await events.next()).toMatchObject({
      event: "change",
      data: { record: { title: "Renamed" } },
    });
    expect(await events.next()).toMatchObject({ event: "remove", data: { id: "9780000000002" } });
    await events.cancel();
  });

  it("filters by the query, and resumes from Last-Event-ID", async () => {
    server = await serveExample();
    const res = await subscribe("/Book/?title=Wanted", { authorization: `Bearer ${ADMIN_TOKEN}` });
    const events = eventReader(res);
    const { Book } = server.models;
    await Book.create(book("9780000000003", { title: "Other" }));
    await Book.create(book("9780000000004", { title: "Wanted" }));
    const first = await events.next();
    expect(first).toMatchObject({ event: "add", data: { id: "9780000000004" } });
    await events.cancel();
    await Book.create(book("9780000000005", { title: "Wanted" }));
    await Book.create(book("9780000000006", { title: "Other" }));
    const resumed = eventReader(
      await subscribe("/Book/?title=Wanted", {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        "last-event-id": first.id!,
      }),
    );
    expect(await resumed.next()).toMatchObject({ event: "add", data: { id: "9780000000005" } });
    await resumed.cancel();
  });

  it("a role's denials hold for streams: closed models, hidden properties, no query right", async () => {
    server = await serveExample();
    expect((await subscribe("/Author/")).status).toBe(403);
    expect((await subscribe("/Book/?price=5&limit(10)")).status).toBe(403);
  });

  it("close() ends open streams", async () => {
    server = await serveExample();
    const events = eventReader(await subscribe("/Book/?limit(10)"));
    server.handler.close();
    await expect(events.next()).rejects.toThrow("stream ended");
  });
});
