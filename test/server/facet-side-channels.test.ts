/**
 * What a facet must not learn sideways, over HTTP, on a small hierarchy
 * defined here (Staff, and Contractor below it, whose facet of the same name
 * also hides the `mentor` link's property):
 * - a change to what it cannot see (a hidden property, an undeclared key) is
 *   no event, no gap in its events' revisions and no step in the
 *   `Perstore-Revision` of its own writes; a record leaving its filter is a
 *   `remove`, entering it a `change`;
 * - following a link answers 403 where reading the record hides the link's
 *   property (a sub-model's own facet governs its records), and the same
 *   answer for a record outside the filter as for one that does not exist;
 * - keys a stored record carries that the schema does not declare are never
 *   shown, written or dropped through a facet (deny by default).
 */
import type { Kysely } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { defineModels, type RuntimeSchema } from "../../src/compiler/index.js";
import { ddlOf } from "../../src/compiler/emit/ddl/emit-ddl.js";
import { irOfSchemas } from "../../src/compiler/define/index.js";
import { runSqlScript } from "../../src/compiler/migrate/index.js";
import { closeDatabases, DATABASES } from "../compiler/migrate/databases.js";
import { DISCRIMINATOR } from "../../src/model/hierarchy-store.js";
import { createHandler, hashToken, type Handler } from "../../src/server/index.js";

const DIRECTORY = "directory-token";
const EDITOR = "editor-token";
const BLIND = "blind-token";
const ADMIN = "admin-token";
const SECRET = "undeclared-secret-value";

type Row = Record<string, unknown>;

const STAFF_SCHEMAS = {
  Staff: {
    properties: { name: String, team: String, mentorId: String, salary: Number },
    links: [{ rel: "mentor", href: "Staff/{mentorId}" }],
    facets: {
      directory: { methods: ["get", "query"], hidden: ["salary"], filter: "eq(team,public)" },
      editor: { methods: ["get", "query", "put", "patch"], hidden: ["salary"] },
      blind: {
        methods: ["get", "query"],
        hidden: ["salary", "mentorId"],
        filter: "eq(team,public)",
      },
    },
  },
  Contractor: {
    allOf: [{ $ref: "Staff" }],
    properties: { agency: String, rate: Number },
    facets: {
      directory: { methods: ["get", "query"], hidden: ["salary", "mentorId", "rate"] },
      editor: { methods: ["get", "query", "put", "patch"], hidden: ["salary", "rate"] },
    },
  },
} as const;

/** The models on memory stores, or on SQL tables in `db` (created here). */
async function defineStaff(db?: Kysely<any>) {
  const schemas = STAFF_SCHEMAS as unknown as Record<string, RuntimeSchema>;
  if (db !== undefined) await runSqlScript(db, ddlOf(irOfSchemas(schemas)));
  return defineModels(schemas, db === undefined ? {} : { db }) as unknown as Record<
    "Staff" | "Contractor",
    any
  >;
}

let handler: Handler | undefined;
afterEach(() => handler?.close());

/** Staff a (public), b (public, a's mentor), d (private), contractor c (public, mentored by b). */
async function serve(db?: Kysely<any>) {
  const models = await defineStaff(db);
  const { Staff, Contractor } = models;
  const b = await Staff.create({ name: "B", team: "public", salary: 900001 });
  const a = await Staff.create({ name: "A", team: "public", mentorId: b.id, salary: 900002 });
  const d = await Staff.create({ name: "D", team: "private", mentorId: b.id, salary: 900003 });
  const c = await Contractor.create({
    name: "C",
    team: "public",
    mentorId: b.id,
    agency: "Acme",
    rate: 900004,
  });
  handler = createHandler({
    models,
    access: {
      roles: {
        directory: { Staff: "directory", Contractor: "directory" },
        editor: { Staff: "editor", Contractor: "editor" },
        blind: { Staff: "blind" },
        admin: { "*": "*" },
      },
      tokens: [
        { role: "directory", sha256: await hashToken(DIRECTORY) },
        { role: "editor", sha256: await hashToken(EDITOR) },
        { role: "blind", sha256: await hashToken(BLIND) },
        { role: "admin", sha256: await hashToken(ADMIN) },
      ],
    },
  });
  const served = handler;
  const call = (
    method: string,
    path: string,
    token: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    served(
      new Request(`http://localhost${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      }),
    );
  /** Writes `changes` into a stored record through the store itself (no schema, no facet). */
  const writeRaw = async (id: string, changes: Row) => {
    const store = await Staff.store();
    const stored = (await store.get(id)) as Row;
    await store.put({ ...stored, ...changes }, { id });
  };
  return { models, a, b, c, d, call, writeRaw };
}

interface SseEvent {
  id?: number;
  event?: string;
  data?: { type?: string; id?: unknown; record?: Row; revision?: number };
}

/** Reads a text/event-stream body event by event (the `ready` event included). */
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
            if (field === "id") event.id = Number(value);
            if (field === "event") event.event = value;
            if (field === "data") event.data = JSON.parse(value) as SseEvent["data"];
          }
          if (event.event !== undefined) return event;
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

async function subscribe(call: Awaited<ReturnType<typeof serve>>["call"], token: string) {
  const res = await call("GET", "/Staff/", token, { headers: { accept: "text/event-stream" } });
  expect(res.status).toBe(200);
  const events = eventReader(res);
  const ready = await events.next();
  expect(ready.event).toBe("ready");
  return { events, revision: ready.data!.revision! };
}

describe("a facet hears only of changes it can see", () => {
  it("hidden-only and undeclared-only changes are no event and leave no gap in the revisions", async () => {
    const { models, a, b, c, call, writeRaw } = await serve();
    const { events, revision } = await subscribe(call, DIRECTORY);
    await models.Staff.patch(a.id, { salary: 1 }); // hidden by the base facet
    await models.Contractor.patch(c.id, { rate: 2, mentorId: a.id }); // hidden by Contractor's own facet
    await writeRaw(b.id, { [SECRET]: SECRET, nickname: SECRET }); // keys no schema declares
    await models.Staff.put({ ...(await models.Staff.get(a.id)) }); // a write that changes nothing
    await models.Staff.patch(b.id, { name: "Marker" });
    const marker = await events.next();
    expect(marker).toMatchObject({
      event: "change",
      data: { id: b.id, record: { name: "Marker" } },
    });
    // The first event it heard, numbered right after `ready`: nothing it could not see counted.
    expect(marker.id).toBe(revision + 1);
    expect(JSON.stringify(marker)).not.toContain(SECRET);
    expect(Object.keys(marker.data!.record!).sort()).toEqual(
      ["id", "name", "team", DISCRIMINATOR].sort(),
    );
    // A visible change of a sub-model's record shows what its own facet does.
    await models.Contractor.patch(c.id, { agency: "Other" });
    const sub = await events.next();
    expect(sub).toMatchObject({
      id: revision + 2,
      data: { id: c.id, record: { agency: "Other" } },
    });
    expect(Object.keys(sub.data!.record!).sort()).toEqual(
      ["agency", "id", "name", "team", DISCRIMINATOR].sort(),
    );
    await events.cancel();
  });

  it("a record leaving the filter is a remove, entering it a change; outside it, nothing", async () => {
    const { models, a, d, call } = await serve();
    const { events } = await subscribe(call, DIRECTORY);
    await models.Staff.patch(d.id, { name: "Unseen" }); // outside the filter all along
    await models.Staff.patch(a.id, { team: "private" });
    expect(await events.next()).toMatchObject({
      event: "remove",
      data: { type: "remove", id: a.id },
    });
    await models.Staff.patch(a.id, { name: "Back", team: "public" });
    expect(await events.next()).toMatchObject({
      event: "change",
      data: { id: a.id, record: { name: "Back", team: "public" } },
    });
    await events.cancel();
  });

  it("the whole model's audience hears every change, its own revisions apart from the facet's", async () => {
    const { models, a, call } = await serve();
    const admin = await subscribe(call, ADMIN);
    const directory = await subscribe(call, DIRECTORY);
    await models.Staff.patch(a.id, { salary: 7 });
    await models.Staff.patch(a.id, { name: "Seen" });
    expect(await admin.events.next()).toMatchObject({ data: { record: { salary: 7 } } });
    expect(await admin.events.next()).toMatchObject({ data: { record: { name: "Seen" } } });
    expect(await directory.events.next()).toMatchObject({
      id: directory.revision + 1,
      data: { record: { name: "Seen" } },
    });
    await admin.events.cancel();
    await directory.events.cancel();
  });

  it("Perstore-Revision after a facet's write is its own audience's: invisible changes do not move it", async () => {
    const { models, a, b, call, writeRaw } = await serve();
    const { events, revision } = await subscribe(call, EDITOR);
    const patch = (id: string, body: Row) =>
      call("PATCH", `/Staff/${id}`, EDITOR, {
        body,
        headers: { "content-type": "application/merge-patch+json" },
      });
    const first = await patch(a.id, { name: "One" });
    expect(first.status).toBe(200);
    expect(first.headers.get("perstore-revision")).toBe(String(revision + 1));
    // Others change what the editor cannot see, many times.
    for (let i = 0; i < 5; i++) await models.Staff.patch(b.id, { salary: i });
    await writeRaw(b.id, { [SECRET]: SECRET });
    const second = await patch(a.id, { name: "Two" });
    expect(second.headers.get("perstore-revision")).toBe(String(revision + 2));
    expect((await events.next()).id).toBe(revision + 1);
    expect((await events.next()).id).toBe(revision + 2);
    await events.cancel();
  });

  it("a change set through a facet answers with what the facet shows, and its events follow the rule", async () => {
    const { a, b, call, writeRaw } = await serve();
    await writeRaw(a.id, { [SECRET]: SECRET });
    const { events, revision } = await subscribe(call, EDITOR);
    const current = (await (await call("GET", `/Staff/${a.id}`, EDITOR)).json()) as Row;
    const res = await call("POST", "/Staff/_changes", EDITOR, {
      body: {
        mode: "update",
        changes: [
          // Unchanged (the editor's view of it as is), then a real change.
          { type: "change", id: a.id, changes: {}, record: current },
          {
            type: "change",
            id: b.id,
            changes: { name: "Batch" },
            record: { id: b.id, name: "Batch", team: "public" },
          },
        ],
      },
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(SECRET);
    expect(res.headers.get("perstore-revision")).toBe(String(revision + 1));
    expect(await events.next()).toMatchObject({ id: revision + 1, data: { id: b.id } });
    await events.cancel();
  });
});

describe("on SQL, whose change events say what a record was", () => {
  afterAll(() => closeDatabases());
  for (const target of DATABASES) {
    it(`${target.name}: a hidden-only change of a record written before subscribing is no event`, async () => {
      const database = await target.open();
      try {
        const { models, a, b, d, call } = await serve(database.db);
        const { events, revision } = await subscribe(call, DIRECTORY);
        // a, d were never reported to the server's hub: only the store can say what they were.
        await models.Staff.patch(a.id, { salary: 12345 }); // hidden by the directory facet
        await models.Staff.put({ ...(await models.Staff.get(a.id)), salary: 54321 });
        await models.Staff.patch(d.id, { name: "Unseen" }); // outside the filter before and after
        await models.Staff.patch(a.id, { name: "Marker" });
        const marker = await events.next();
        expect(marker).toMatchObject({
          id: revision + 1,
          event: "change",
          data: { id: a.id, record: { name: "Marker" } },
        });
        expect(JSON.stringify(marker)).not.toContain("12345");
        // A record written before subscribing and removed: the facet is told what it saw of it.
        await models.Staff.delete(a.id);
        const removed = await events.next();
        expect(removed).toMatchObject({ id: revision + 2, event: "remove", data: { id: a.id } });
        expect(JSON.stringify(removed)).not.toContain("54321");
        await models.Staff.delete(d.id); // outside the filter: nothing
        await models.Staff.patch(b.id, { name: "Last" });
        expect(await events.next()).toMatchObject({ id: revision + 3, data: { id: b.id } });
        await events.cancel();
      } finally {
        handler?.close();
        handler = undefined;
        await database.close();
      }
    }, 120_000);

    it(`${target.name}: a record leaving and entering the filter is a remove and a change`, async () => {
      const database = await target.open();
      try {
        const { models, call } = await serve(database.db);
        const { events, revision } = await subscribe(call, DIRECTORY);
        const e = await models.Staff.create({ name: "E", team: "public", salary: 1 });
        expect(await events.next()).toMatchObject({ id: revision + 1, event: "add" });
        await models.Staff.patch(e.id, { salary: 2 });
        await models.Staff.patch(e.id, { team: "private" });
        expect(await events.next()).toMatchObject({
          id: revision + 2,
          event: "remove",
          data: { id: e.id },
        });
        await models.Staff.patch(e.id, { team: "public" });
        await models.Staff.patch(e.id, { name: "Marker" });
        expect(await events.next()).toMatchObject({ id: revision + 3, data: { id: e.id } });
        expect(await events.next()).toMatchObject({
          id: revision + 4,
          data: { record: { name: "Marker" } },
        });
        await events.cancel();
      } finally {
        handler?.close();
        handler = undefined;
        await database.close();
      }
    }, 120_000);
  }
});

describe("following a link through a facet", () => {
  it("a sub-model record's own facet governs the link's property, as when reading the record", async () => {
    const { a, b, c, call } = await serve();
    const mentor = await call("GET", `/Staff/${a.id}/mentor`, DIRECTORY);
    expect(mentor.status).toBe(200);
    expect(((await mentor.json()) as Row).id).toBe(b.id);
    // Contractor's directory hides mentorId: reading C shows none, and following it is refused the same way.
    const read = (await (await call("GET", `/Staff/${c.id}`, DIRECTORY)).json()) as Row;
    expect(read).not.toHaveProperty("mentorId");
    const followed = await call("GET", `/Staff/${c.id}/mentor`, DIRECTORY);
    expect(followed.status).toBe(403);
    expect(((await followed.json()) as Row).code).toBe("ACCESS_PROPERTY");
    const direct = await call("GET", `/Contractor/${c.id}/mentor`, DIRECTORY);
    expect(direct.status).toBe(403);
    await direct.body?.cancel();
  });

  it("a record outside the filter and one that does not exist get the same answer", async () => {
    const { d, call } = await serve();
    const answer = async (token: string, id: string) => {
      const res = await call("GET", `/Staff/${id}/mentor`, token);
      const body = (await res.json()) as Row;
      return { status: res.status, code: body.code };
    };
    for (const token of [DIRECTORY, BLIND]) {
      const outside = await answer(token, d.id);
      expect(outside).toEqual(await answer(token, "no-such-staff"));
      // directory: the record does not exist for it; blind hides the link's property from every record.
      expect(outside.status).toBe(token === DIRECTORY ? 404 : 403);
    }
  });
});

describe("undeclared keys in stored records (deny by default)", () => {
  it("are not shown through a facet: records, pages, links, sub-model records", async () => {
    const { a, b, c, call, writeRaw } = await serve();
    for (const id of [a.id, b.id, c.id]) await writeRaw(id, { [SECRET]: SECRET, nickname: SECRET });
    const paths = [
      `/Staff/${a.id}`,
      `/Staff/${c.id}`,
      `/Contractor/${c.id}`,
      `/Staff/${a.id}/mentor`,
      "/Staff/",
      "/Contractor/",
    ];
    for (const token of [DIRECTORY, EDITOR])
      for (const path of paths) {
        const res = await call("GET", path, token);
        const text = await res.text();
        expect(res.status, `${path}: ${text}`).toBe(200);
        expect(text, path).not.toContain(SECRET);
      }
    // The whole model shows what is stored.
    expect(await (await call("GET", `/Staff/${c.id}`, ADMIN)).text()).toContain(SECRET);
  });

  it("are neither written nor dropped through a facet", async () => {
    const { models, a, c, call, writeRaw } = await serve();
    await writeRaw(a.id, { [SECRET]: SECRET });
    const patched = await call("PATCH", `/Staff/${a.id}`, EDITOR, {
      body: { nickname: "new" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(403);
    expect(((await patched.json()) as Row).code).toBe("ACCESS_PROPERTY");
    const created = await call("PUT", `/Staff/${a.id}`, EDITOR, {
      body: { id: a.id, name: "Replaced", team: "public", [SECRET]: "overwrite" },
    });
    expect(created.status).toBe(403);
    await created.body?.cancel();
    // A full replace with what the facet shows keeps what it does not.
    const replaced = await call("PUT", `/Staff/${a.id}`, EDITOR, {
      body: { id: a.id, name: "Replaced", team: "public", mentorId: a.mentorId },
    });
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    const stored = (await (await models.Staff.store()).get(a.id)) as Row;
    expect(stored).toMatchObject({ name: "Replaced", salary: 900002, [SECRET]: SECRET });
    // A sub-model record replaced through the base facet keeps its hidden and undeclared keys too.
    await writeRaw(c.id, { [SECRET]: SECRET });
    const sub = (await (await call("GET", `/Staff/${c.id}`, EDITOR)).json()) as Row;
    const put = await call("PUT", `/Staff/${c.id}`, EDITOR, { body: { ...sub, name: "C2" } });
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await (await models.Staff.store()).get(c.id)) as Row).toMatchObject({
      name: "C2",
      rate: 900004,
      [SECRET]: SECRET,
      [DISCRIMINATOR]: "Contractor",
    });
  });
});
