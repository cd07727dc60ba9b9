/**
 * `httpChannel`: a memory store loads from a perstore server on loopback and
 * commits its journal back in each of the three modes; the server ends up
 * holding what the memory store holds, a refused change set changes nothing
 * on either side, and the role's facet applies to commits.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createModels } from "../../../generated/index.js";
import { createHandler, hashToken, serveNode, type NodeServer } from "../../../src/server/index.js";
import { MemoryStore } from "../../../src/store/memory/index.js";
import { httpChannel } from "../../../src/store/remote/index.js";

const ADMIN = "channel-admin";
const READER = "channel-reader";
type Row = Record<string, unknown>;

let server: NodeServer;
let models: ReturnType<typeof createModels>;

beforeAll(async () => {
  models = createModels();
  const handler = createHandler({
    models,
    access: {
      roles: { admin: { "*": "*" }, reader: { Book: "catalog" } },
      tokens: [
        { role: "admin", sha256: await hashToken(ADMIN) },
        { role: "reader", sha256: await hashToken(READER) },
      ],
    },
  });
  server = await serveNode(handler, { port: 0 });
});
afterAll(async () => {
  await server?.close();
});

const ids = [randomUUID(), randomUUID(), randomUUID()];
beforeEach(async () => {
  for (const author of await models.Author.query("")) await models.Author.delete(author.id);
  for (const [i, id] of ids.entries()) await models.Author.create({ id, name: `Author ${i}` });
});

/** What the server holds, as plain records sorted by id. */
const onServer = async () =>
  JSON.parse(JSON.stringify(await models.Author.query("sort(+id)"))) as Row[];

/** A memory store loaded from the server's Author collection. */
async function loaded(token = ADMIN) {
  const local = new MemoryStore<Row>({
    idProperty: "id",
    channel: httpChannel(`${server.url}/Author/`, { token }),
  });
  await local.load();
  return local;
}

const sorted = (rows: readonly Row[]) =>
  [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe("httpChannel", () => {
  for (const mode of ["update", "condensed", "replace"] as const) {
    it(`commits add, change and remove in ${mode} mode; the server holds what the store holds`, async () => {
      const local = await loaded();
      expect(local.query("count()")).toBe(3);
      const added = local.add({ name: "New author" }); // the store assigns the id
      local.update({ bio: "Changed" }, `id=string:${ids[0]}`);
      local.put({ ...local.get(ids[1]!)!, name: "Renamed" });
      local.delete(ids[2]!);
      await local.commit({ mode });
      const server = await onServer();
      expect(server.map((row) => row.id)).toEqual([...ids.slice(0, 2), added].sort());
      expect(server.find((row) => row.id === ids[0])).toMatchObject({ bio: "Changed" });
      expect(server.find((row) => row.id === ids[1])).toMatchObject({ name: "Renamed" });
      // The server's values come back into the store: an add's defaults; in replace mode its whole data set.
      if (mode !== "replace")
        expect(local.get(added)).toMatchObject({ name: "New author", active: true });
      expect(sorted(local.query("") as Row[])).toEqual(server);
    });
  }

  it("a change set the server refuses changes nothing there, and the store keeps its journal", async () => {
    const before = await onServer();
    const local = await loaded();
    local.delete(ids[0]!);
    local.put({ id: ids[1], name: "x".repeat(500) }); // longer than the schema's maxLength
    await expect(local.commit({ mode: "condensed" })).rejects.toMatchObject({
      name: "ValidationError",
      code: "VALIDATION_FAILED",
    });
    expect(await onServer()).toEqual(before);
    expect(local.get(ids[0]!)).toBeUndefined(); // still pending in the journal, not undone
    expect(local.query("count()")).toBe(2);
  });

  it("commits go through the role's facet: a read-only role writes nothing", async () => {
    const before = JSON.stringify(await models.Book.query(""));
    const books = new MemoryStore<Row>({
      idProperty: "isbn",
      channel: httpChannel(`${server.url}/Book/`, { token: READER }),
    });
    books.put({ isbn: "9780000000801", title: "t", authorId: ids[0], status: "published" });
    for (const mode of ["update", "condensed", "replace"] as const)
      await expect(books.commit({ mode })).rejects.toMatchObject({
        name: "AccessError",
        code: expect.stringMatching(/^ACCESS_/),
      });
    expect(JSON.stringify(await models.Book.query(""))).toBe(before);
  });
});
