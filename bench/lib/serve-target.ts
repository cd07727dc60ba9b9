/**
 * One server of bench/server.ts, in its own process so it has an event loop
 * of its own (the load generator runs in the parent):
 *
 *   node --import tsx bench/lib/serve-target.ts <memory|pglite|bare|json-server> <records>
 *
 * Loads the same books, listens on a free loopback port and prints
 * `READY <url>`. perstore serves them with createHandler + serveNode (the
 * admin token); `bare` is the floor (node:http, records in a Map); `json-server`
 * is the peer. Stopped by the parent with SIGTERM.
 */
import { createRequire } from "node:module";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { loadMigrations, migrateUp } from "../../src/compiler/index.js";
import { createHandler, hashToken, serveNode } from "../../src/server/index.js";
import { openDatabase } from "../../src/store/sql/open-database.js";
import type { SqlStore } from "../../src/store/sql/sql-store.js";
import { createModels, openapi } from "../../generated/index.js";
import { benchAuthors, benchBooks, BENCH_TOKEN, type BenchBook } from "./server-data.js";

const MIGRATIONS = fileURLToPath(new URL("../../generated/migrations", import.meta.url));
const kind = process.argv[2] ?? "";
const size = Number(process.argv[3] ?? 10_000);
const books = benchBooks(size);
const authors = benchAuthors();

async function servePerstore(pglite: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
  const db = pglite ? openDatabase("memory:") : undefined;
  if (db) await migrateUp(db, await loadMigrations(MIGRATIONS));
  const models = createModels(db ? { db } : {});
  const load = async (store: unknown, records: readonly object[]) =>
    (store as SqlStore<any>).applyChangeSet({ mode: "replace", changes: [], records });
  if (db) {
    await load(await models.Author.store(), authors);
    await load(await models.Book.store(), books);
  } else {
    for (const author of authors) await models.Author.create(author as never);
    for (const book of books) await models.Book.create(book as never);
  }
  const handler = createHandler({
    models,
    openapi,
    access: {
      roles: { admin: { "*": "*" } },
      tokens: [{ role: "admin", sha256: await hashToken(BENCH_TOKEN) }],
    },
  });
  const server = await serveNode(handler, { port: 0 });
  return { url: server.url, stop: async () => (await server.close(), await db?.destroy()) };
}

/** The floor: the same routes over a Map, doing the least work an answer needs. */
async function serveBare(): Promise<{ url: string; stop: () => Promise<void> }> {
  const byIsbn = new Map(books.map((book) => [book.isbn, book]));
  const byAuthor = new Map<string, string[]>();
  for (const book of books)
    byAuthor.set(book.authorId, [...(byAuthor.get(book.authorId) ?? []), book.isbn]);
  const send = (
    res: import("node:http").ServerResponse,
    status: number,
    body: unknown,
    headers = {},
  ) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const id = decodeURIComponent(url.pathname.slice("/Book/".length));
    if (req.method === "GET" && id === "") {
      const authorId = /authorId=([^&]+)/.exec(url.search)?.[1] ?? "";
      const matches = (byAuthor.get(authorId) ?? []).map((isbn) => byIsbn.get(isbn)!);
      matches.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
      const [, from, to] = /items=(\d+)-(\d+)/.exec(req.headers.range ?? "") ?? [
        0,
        0,
        matches.length - 1,
      ];
      const page = matches.slice(Number(from), Number(to) + 1);
      const range = `items ${from}-${Number(from) + page.length - 1}/${matches.length}`;
      return send(res, 206, page, { "content-range": range });
    }
    if (req.method === "GET") {
      const book = byIsbn.get(id);
      return book ? send(res, 200, book) : send(res, 404, { code: "NOT_FOUND" });
    }
    if (req.method === "PUT") {
      const book = JSON.parse(await readBody(req)) as BenchBook;
      byIsbn.set(id, { ...book, isbn: id });
      return send(res, 200, byIsbn.get(id));
    }
    send(res, 404, { code: "NOT_FOUND" });
  });
  return listen(server);
}

/** The peer: json-server 0.17 (Express + lowdb in memory), books keyed by isbn. */
async function serveJsonServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const jsonServer = createRequire(import.meta.url)("json-server");
  const app = jsonServer.create();
  const router = jsonServer.router({ books: books.map((book) => ({ ...book })) });
  router.db._.id = "isbn";
  app.use(jsonServer.defaults({ logger: false }));
  app.use(router);
  return listen(createServer(app));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function listen(server: Server): Promise<{ url: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
}

const starters: Record<string, () => Promise<{ url: string; stop: () => Promise<void> }>> = {
  memory: () => servePerstore(false),
  pglite: () => servePerstore(true),
  bare: serveBare,
  "json-server": serveJsonServer,
};
const start = starters[kind];
if (!start) {
  console.error(`serve-target: unknown kind "${kind}" (${Object.keys(starters).join(", ")})`);
  process.exit(2);
}
const running = await start();
process.once("SIGTERM", () => void running.stop().then(() => process.exit(0)));
console.log(`READY ${running.url}`);
