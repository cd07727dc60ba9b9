/** `POST /<Model>/_changes`: a memory store's journal applied all or nothing, through the facet. */
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, EDITOR_TOKEN, serveExample } from "./serve-fixture.js";

const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const book = (isbn: string, extra: Record<string, unknown> = {}) => ({
  isbn,
  title: `Book ${isbn.slice(-3)}`,
  authorId: AUTHOR,
  status: "published",
  ...extra,
});

let server: Awaited<ReturnType<typeof serveExample>>;
const snapshot = async () => JSON.stringify(await server.models.Book.query("sort(+isbn)"));
beforeEach(async () => {
  server = await serveExample();
  await server.models.Book.create(book("9780000000001") as never);
  await server.models.Book.create(book("9780000000002") as never);
});

describe("the change-set endpoint", () => {
  it("applies a condensed change set (add, change, remove) and answers with the stored records", async () => {
    const res = await server.call("POST", "/Book/_changes", {
      token: ADMIN_TOKEN,
      body: {
        mode: "condensed",
        changes: [
          { type: "add", id: "9780000000003", record: book("9780000000003") },
          {
            type: "change",
            id: "9780000000001",
            changes: { title: "Renamed" },
            record: book("9780000000001", { title: "Renamed" }),
          },
          { type: "remove", id: "9780000000002" },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ids: object; records: { isbn: string }[] };
    expect(body.ids).toEqual({});
    expect(body.records.map((r) => r.isbn).sort()).toEqual(["9780000000001", "9780000000003"]);
    const isbns = (await server.models.Book.query("sort(+isbn)")).map((b) => b.isbn);
    expect(isbns).toEqual(["9780000000001", "9780000000003"]);
    expect((await server.models.Book.get("9780000000001"))!.title).toBe("Renamed");
  });

  it("a change that fails undoes the ones before it: nothing is written", async () => {
    const before = await snapshot();
    const res = await server.call("POST", "/Book/_changes", {
      token: ADMIN_TOKEN,
      body: {
        mode: "update",
        changes: [
          { type: "add", id: "9780000000004", record: book("9780000000004") },
          { type: "remove", id: "9780000000001" },
          {
            type: "change",
            id: "9780000000002",
            changes: {},
            record: book("9780000000002", { year: "soon" }),
          },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await snapshot()).toBe(before);
  });

  it("goes through the facet: a read-only role writes nothing, a facet's read-only property refuses the set", async () => {
    const before = await snapshot();
    const anonymous = await server.call("POST", "/Book/_changes", {
      body: { mode: "update", changes: [{ type: "remove", id: "9780000000001" }] },
    });
    expect(anonymous.status).toBe(403);
    const editor = await server.call("POST", "/Book/_changes", {
      token: EDITOR_TOKEN,
      body: {
        mode: "update",
        changes: [
          {
            type: "change",
            id: "9780000000001",
            changes: { title: "ok" },
            record: book("9780000000001", { title: "ok" }),
          },
          {
            type: "change",
            id: "9780000000002",
            changes: { authorId: "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a12" },
            record: book("9780000000002", { authorId: "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a12" }),
          },
        ],
      },
    });
    expect(editor.status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it("a malformed change set is 400 and names what is wrong", async () => {
    for (const body of [
      [],
      { mode: "sideways", changes: [] },
      { mode: "update", changes: [{ type: "add", id: {} }] },
    ]) {
      const res = await server.call("POST", "/Book/_changes", { token: ADMIN_TOKEN, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "HTTP_BAD_CHANGE_SET" });
    }
  });
});
