/**
 * perstore studio in the browser on a large table: time to the first table
 * and to the next page, measured in Debian's chromium (playwright-core) from
 * the click to the drawn page status, over the example's Book model on
 * memory stores or on PGlite (in memory; the books inserted by one SQL
 * statement, the schema from generated/schema.sql).
 *
 *   npx tsx bench/studio.ts [--records 1000000] [--pages 5] [--store memory|pglite]
 *
 * Each page is one `Range: items=a-b` request of 20 records. The table
 * counts a filter's matches once and asks for the next pages with `Prefer:
 * count=none` (Content-Range `items 20-39/*`); the peer rows time, in the same
 * browser and process, the same page requested both ways (fetch from the
 * page, alternating), and, for the memory store, the server's sorted page
 * against sorting every record (CPU time of the Node process).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { chromium } from "playwright-core";
import { createModels, openapi } from "../generated/index.js";
import { createHandler, hashToken, serveNode } from "../src/server/index.js";
import { sortRecords } from "../src/query/sort-records.js";
import { MemoryStore } from "../src/store/memory/index.js";
import { openDatabase } from "../src/store/sql/open-database.js";
import { withStudio } from "../src/studio/index.js";
import { benchAuthors, benchBooks } from "./lib/server-data.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    pages: { type: "string", default: "5" },
    store: { type: "string", default: "memory" },
  },
});
const records = Number(values.records);
const pages = Number(values.pages);
const TOKEN = "bench-studio-token";
const root = fileURLToPath(new URL("..", import.meta.url));

const parent = mkdtempSync(join(tmpdir(), "perstore-bench-studio-"));
const assets = join(parent, "assets");
execFileSync(process.execPath, ["scripts/build-studio.mjs", "--out", assets], { cwd: root });

const store = values.store === "pglite" ? "pglite" : "memory";
let started = performance.now();
const db = store === "pglite" ? openDatabase("memory:") : undefined;
if (db) {
  const schema = readFileSync(join(root, "generated/schema.sql"), "utf8");
  for (const statement of schema.split(/;\s*\n/).filter((s) => s.trim() !== ""))
    await sql.raw(statement).execute(db);
}
const models = createModels(db ? { db } : {});
/** The memory store's books as created (the full-sort peer sorts them). */
let books: object[] = [];
for (const author of benchAuthors()) await models.Author.create(author as never);
if (db) {
  // One statement: the same books as benchBooks(), without a million round trips.
  await sql`insert into book (isbn, title, "authorId", year, price, status, genres)
    select '978' || lpad(i::text, 10, '0'), 'Book ' || i,
      ('00000000-0000-4000-8000-' || lpad(to_hex(i % 100), 12, '0'))::uuid,
      1950 + i % 70, 5 + i % 40, 'published', array['fiction']
    from generate_series(0, ${records - 1}) as i`.execute(db);
} else {
  books = benchBooks(records);
  for (const book of books) await models.Book.create(book as never);
}
console.log(
  `seeded ${records} books (${store}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const handler = createHandler({
  models,
  openapi,
  access: {
    roles: { admin: { "*": "*" } },
    tokens: [{ role: "admin", sha256: await hashToken(TOKEN) }],
  },
});
const server = await serveNode(withStudio(handler, { assetsDir: assets }), { port: 0 });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(
    `sessionStorage.setItem("perstore-studio-token", ${JSON.stringify(TOKEN)})`,
  );
  const status = (text: string) =>
    page.locator(".page-status", { hasText: text }).waitFor({ timeout: 120_000 });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  started = performance.now();
  await page.goto(`${server.url}/_studio/#/m/Book`);
  await status(` of ${records}`);
  const first = performance.now() - started;

  /** The page's own measure of its request (the table's "· N ms"). */
  const took = async () =>
    Number(/(\d+) ms/.exec((await page.locator(".took").textContent()) ?? "")?.[1]);
  /**
   * Click to drawn as the page itself sees it: the click and a MutationObserver
   * on the status, both in the page (the playwright wait polls, so its time is
   * rounded up by up to a polling interval).
   */
  // A string, not a function: tsx would wrap a function's inner closures in a helper the page lacks.
  const inPage = (selector: string, text: string) =>
    page.evaluate<number>(`new Promise((resolve) => {
      const started = performance.now();
      const observer = new MutationObserver(() => {
        if (!document.querySelector(".page-status")?.textContent?.includes(${JSON.stringify(text)})) return;
        observer.disconnect();
        resolve(performance.now() - started);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      document.querySelector(${JSON.stringify(selector)}).click();
    })`);
  const next: number[] = [];
  const nextRequest: number[] = [];
  const nextInPage: number[] = [];
  for (let i = 1; i <= pages; i++) {
    started = performance.now();
    await page.getByRole("button", { name: "Next →" }).click();
    await status(`${i * 20 + 1}–${i * 20 + 20} of ${records}`);
    next.push(performance.now() - started);
    nextRequest.push(await took());
  }
  // The same pages again, measured in the page (back to the first page, then forward).
  await page.goto(`${server.url}/_studio/#/m/Book`);
  await status(`1–20 of ${records}`);
  for (let i = 1; i <= pages; i++)
    nextInPage.push(await inPage("button.next", `${i * 20 + 1}–${i * 20 + 20} of ${records}`));

  started = performance.now();
  await page.locator('button.sort[data-column="year"]').click();
  await status(`1–20 of ${records}`);
  await page.locator('th[aria-sort="ascending"]').waitFor();
  const sorted = performance.now() - started;
  const sortedNext: number[] = [];
  const sortedRequest: number[] = [];
  for (let i = 1; i <= pages; i++) {
    started = performance.now();
    await page.getByRole("button", { name: "Next →" }).click();
    await status(`${i * 20 + 1}–${i * 20 + 20} of ${records}`);
    sortedNext.push(performance.now() - started);
    sortedRequest.push(await took());
  }

  /** The same page fetched from the page, counted and not, alternating: median ms of each. */
  const peer = async (query: string, start: number) => {
    const times = { counted: [] as number[], uncounted: [] as number[] };
    for (let i = 0; i < 2 * pages; i++) {
      const counted = i % 2 === 0;
      const ms = await page.evaluate(
        async ({ url, token, range, counted }) => {
          const started = performance.now();
          const headers: Record<string, string> = { authorization: `Bearer ${token}`, range };
          if (!counted) headers.prefer = "count=none";
          await (await fetch(url, { headers })).text();
          return performance.now() - started;
        },
        {
          url: `${server.url}/Book/${query}`,
          token: TOKEN,
          range: `items=${start}-${start + 19}`,
          counted,
        },
      );
      (counted ? times.counted : times.uncounted).push(ms);
    }
    return { counted: median(times.counted), uncounted: median(times.uncounted) };
  };
  const peerNext = await peer("", 100);
  const peerSorted = await peer("?sort(+year)", 100);

  console.log(`| ${records} records, ${store} | click to drawn, ms | its request, ms |`);
  console.log("| --- | ---: | ---: |");
  console.log(`| first table (page load, models, first page) | ${first.toFixed(0)} | |`);
  console.log(
    `| next page, click to drawn measured in the page (median of ${pages}) | ${median(nextInPage).toFixed(0)} | |`,
  );
  console.log(
    `| next page (median of ${pages}) | ${median(next).toFixed(0)} | ${median(nextRequest)} |`,
  );
  console.log(`| sort by year (first sorted page) | ${sorted.toFixed(0)} | |`);
  console.log(
    `| next sorted page (median of ${pages}) | ${median(sortedNext).toFixed(0)} | ${median(sortedRequest)} |`,
  );
  console.log("");
  console.log(
    "| same process, fetch from the page (median) | counted, ms | Prefer: count=none, ms |",
  );
  console.log("| --- | ---: | ---: |");
  console.log(
    `| next page (items=100-119) | ${peerNext.counted.toFixed(0)} | ${peerNext.uncounted.toFixed(0)} |`,
  );
  console.log(
    `| sorted by year (items=100-119) | ${peerSorted.counted.toFixed(0)} | ${peerSorted.uncounted.toFixed(0)} |`,
  );
  if (store === "memory") {
    // The server's sorted page against the full sort it replaced, CPU time in this process.
    const bound = models.Book as unknown as { store(): Promise<MemoryStore<object>> };
    const memory = await bound.store();
    const cpu = (run: () => unknown) => {
      const xs: number[] = [];
      for (let i = 0; i < pages; i++) {
        const before = process.cpuUsage();
        run();
        const used = process.cpuUsage(before);
        xs.push((used.user + used.system) / 1000);
      }
      return median(xs);
    };
    const keys = [{ path: ["year"], descending: false }];
    const topK = cpu(() => memory.query("sort(+year)", { start: 100, end: 120, maxCount: 121 }));
    const full = cpu(() => sortRecords(books, keys, "isbn").slice(100, 120));
    console.log("");
    console.log("| memory store, CPU ms (median) | store.query page | full sort + slice (peer) |");
    console.log("| --- | ---: | ---: |");
    console.log(`| sort(+year), items 100-119 | ${topK.toFixed(1)} | ${full.toFixed(1)} |`);
  }
} finally {
  await browser.close();
  await server.close();
  await db?.destroy();
  rmSync(parent, { recursive: true, force: true });
}
