/**
 * CPU time of perstore's web-standard handler alone, in process, per GET by id:
 * no sockets, so the machine's load moves it far less than req/s. Requests and
 * responses are @hono/node-server's (its globals, as under serveNode), the
 * books those of bench/server.ts (memory store, the admin token).
 *
 *   npx tsx bench/lib/handler-cpu.ts [--requests 20000] [--rounds 7]
 *
 * Prints the median over the rounds (the first two are warm-up) of the
 * process's CPU time (user + system) per `handler(new Request(...))`.
 */
import { parseArgs } from "node:util";
import { createAdaptorServer } from "@hono/node-server";
import { createHandler, hashToken } from "../../src/server/index.js";
import { createModels, openapi } from "../../generated/index.js";
import { benchAuthors, benchBooks, BENCH_TOKEN, isbnOf } from "./server-data.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    rounds: { type: "string", default: "7" },
  },
});
const REQUESTS = Number(values.requests);
const ROUNDS = Math.max(3, Number(values.rounds));
const BOOKS = 10_000;

const models = createModels({});
for (const author of benchAuthors()) await models.Author.create(author as never);
for (const book of benchBooks(BOOKS)) await models.Book.create(book as never);
const handler = createHandler({
  models,
  openapi,
  access: {
    roles: { admin: { "*": "*" } },
    tokens: [{ role: "admin", sha256: await hashToken(BENCH_TOKEN) }],
  },
});
// Installs @hono/node-server's Request/Response globals, as serveNode does (it never listens).
createAdaptorServer({ fetch: handler });
const headers = { authorization: `Bearer ${BENCH_TOKEN}` };

const check = await handler(new Request(`http://bench/Book/${isbnOf(42)}`, { headers }));
if (check.status !== 200 || ((await check.json()) as { isbn: string }).isbn !== isbnOf(42))
  throw new Error(`GET /Book/${isbnOf(42)} answered ${check.status}`);

const perRequest: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const before = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++)
    await handler(new Request(`http://bench/Book/${isbnOf((i * 7) % BOOKS)}`, { headers }));
  const used = process.cpuUsage(before);
  if (round >= 2) perRequest.push((used.user + used.system) / REQUESTS);
}
perRequest.sort((a, b) => a - b);
console.log(
  `handler GET by id: ${perRequest[Math.floor(perRequest.length / 2)]!.toFixed(1)} µs of CPU per request ` +
    `(median of ${perRequest.length} rounds of ${REQUESTS}; all: ${perRequest.map((n) => n.toFixed(1)).join(" ")})`,
);
