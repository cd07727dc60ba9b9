/**
 * perstore studio's query plan and migration status in a real browser
 * (chromium, playwright-core; see studio-browser-harness.ts):
 * - the table shows the time its page took (the request, and the server's
 *   own from Server-Timing); its "Index plan (explain)" shows how the store
 *   answers the RQL bar's query (index, terms it narrows by, residual
 *   filter, candidates) with the time the explain took; "As a JSON query
 *   object" shows the same filter in the other syntax;
 * - a role whose facet filters rows sees its filter in the plan and no
 *   counts; a query its facet refuses cannot be explained either;
 * - the migration status of the database (this repository's migrations, the
 *   first applied to an embedded database, the second pending) is a screen
 *   for the privileged admin only: the reader has no link to it and reads
 *   the server's refusal when going there anyway.
 * STUDIO_SCREENSHOTS=<dir> saves docs/studio-explain.png and docs/studio-migrations.png there.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/compiler/config.js";
import { loadMigrations } from "../../src/compiler/migrate/load-migrations.js";
import { migrateUp } from "../../src/compiler/migrate/migration-runner.js";
import { databaseTarget } from "../../src/cli/commands/migrate-database.js";
import { servedDatabaseStatus } from "../../src/cli/commands/migrate-status.js";
import { createModels, openapi } from "../../generated/index.js";
import { runSqlScript } from "../../src/compiler/migrate/run-sql-script.js";
import { createHandler, hashToken, serveNode } from "../../src/server/index.js";
import { openDatabase } from "../../src/store/sql/open-database.js";
import { withStudio } from "../../src/studio/index.js";
import {
  browserSuiteTitle,
  hasChromium,
  launchChromium,
  signIn,
  studioPage,
} from "./studio-browser-harness.js";
import {
  ADMIN_TOKEN,
  AUTHOR,
  book,
  BOOKS,
  buildStudioAssets,
  READER_TOKEN,
  startStudio,
} from "./studio-fixture.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const screenshots = process.env.STUDIO_SCREENSHOTS;
const title = browserSuiteTitle("perstore studio's query plan and migration status in chromium");

describe.skipIf(!hasChromium)(title, { timeout: 120_000 }, () => {
  const db = openDatabase("memory:");
  let assets: ReturnType<typeof buildStudioAssets>;
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Browser;
  let page: Page;
  let migrationIds: string[];

  beforeAll(async () => {
    assets = buildStudioAssets();
    const config = await loadConfig(REPO, {});
    const files = await loadMigrations(join(REPO, config.out, "migrations"));
    migrationIds = files.map((file) => file.id);
    // The first migration applied, the rest pending: what `perstore migrate status` would list.
    await migrateUp(db, files.slice(0, 1));
    // What `perstore studio` hands the server: the status of the database it serves.
    const target = databaseTarget({ ...config, database: "memory:" }, { DATABASE_URL: "memory:" });
    studio = await startStudio(assets.dir, {
      migrations: () => servedDatabaseStatus(config, target, db),
    });
    browser = await launchChromium();
    page = await studioPage(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    assets?.remove();
    await db.destroy();
  });

  const fact = (name: string) => page.locator(`.plan-facts dd[data-fact="${name}"]`);
  /** Opens the plan and waits for it (or, with `until`, for what else it shows). */
  const openPlan = async (until = page.locator(".plan-time")) => {
    await page.locator("details.plan summary").click();
    await until.waitFor();
  };
  const runQuery = async (rql: string) => {
    await page.getByLabel("RQL query").fill(rql);
    await page.getByLabel("RQL query").press("Enter");
  };

  it("shows the page's time, the request's and the server's", async () => {
    await signIn(page, studio.url, ADMIN_TOKEN);
    await page.getByRole("link", { name: "Book", exact: true }).first().click();
    await page.locator(".page-status", { hasText: `1–20 of ${BOOKS}` }).waitFor();
    expect(await page.locator(".page-status .took").textContent()).toMatch(
      /^ · \d+ ms \(server \d+(\.\d+)? ms\)$/,
    );
  });

  it("explains the RQL bar's query: the index, the terms it narrows by, the residual filter, the candidates", async () => {
    await runQuery(`authorId=${AUTHOR}&year>=1990`);
    await page.locator(".page-status", { hasText: "1–16 of 16" }).waitFor();
    await openPlan();
    expect(await fact("store").textContent()).toBe("memory");
    expect(await fact("index").textContent()).toBe("hash lookup on authorId (1 value)");
    expect(await fact("candidates").textContent()).toBe(`${BOOKS} of ${BOOKS} records`);
    expect(await fact("indexed").textContent()).toBe(`eq(authorId,${AUTHOR})`);
    expect(await fact("residual").textContent()).toBe("ge(year,1990)");
    expect(await page.locator(".plan-time").textContent()).toMatch(
      /^Explained in \d+ ms \(server \d+(\.\d+)? ms\)$/,
    );
    // The same filter as a JSON query object.
    await page.locator("details.as-json summary").click();
    expect(JSON.parse((await page.locator("details.as-json pre").textContent())!)).toEqual({
      join: "and",
      terms: [
        { field: "authorId", compare: "equals", value: AUTHOR },
        { field: "year", compare: "ge", value: 1990 },
      ],
    });
    if (screenshots) await page.screenshot({ path: join(screenshots, "studio-explain.png") });
  });

  it("explains again for a new query: the key's index narrows to the records asked for", async () => {
    await runQuery("isbn=in=(9780000000003,9780000000004)&status=published");
    await page.locator(".page-status", { hasText: "1–2 of 2" }).waitFor();
    await openPlan();
    expect(await fact("index").textContent()).toBe("hash lookup on isbn (2 values)");
    expect(await fact("candidates").textContent()).toBe(`2 of ${BOOKS} records`);
    expect(await fact("residual").textContent()).toBe("eq(status,published)");
  });

  it("shows the migration status to the privileged admin: applied and pending migrations", async () => {
    await page.getByRole("link", { name: "Migrations" }).click();
    await page.locator("table.migrations").waitFor();
    const rows = page.locator("table.migrations tbody tr");
    expect(await rows.locator("th").allTextContents()).toEqual(migrationIds);
    const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-state")));
    expect(states).toEqual(migrationIds.map((_, i) => (i === 0 ? "applied" : "pending")));
    expect(await rows.first().locator("td.state").textContent()).toBe("applied");
    expect(await page.locator("p.database").textContent()).toBe(
      "Database: memory: (memory, from DATABASE_URL)",
    );
    expect(await page.locator(".migration-summary").textContent()).toContain(
      `${migrationIds.length - 1} pending`,
    );
    if (screenshots) await page.screenshot({ path: join(screenshots, "studio-migrations.png") });
  });

  it("a row filter's role sees its filter in the plan and no counts, cannot explain what it may not query, and has no migration screen", async () => {
    await signIn(page, studio.url, READER_TOKEN);
    await page.locator("nav.model-nav a", { hasText: "Book" }).waitFor();
    expect(await page.getByRole("link", { name: "Migrations" }).count()).toBe(0);
    await page.getByRole("link", { name: "Book", exact: true }).first().click();
    await runQuery("year>=1990");
    await page.locator(".page-status", { hasText: "of " }).waitFor();
    await openPlan();
    expect(await fact("residual").textContent()).toBe("eq(status,published)ge(year,1990)");
    expect(await page.locator(".plan-facts code.term").allTextContents()).toEqual([
      "eq(status,published)",
      "ge(year,1990)",
    ]);
    expect(await fact("candidates").textContent()).toMatch(/^withheld/);
    // price is hidden from the reader: the query is refused, and so is its plan.
    await runQuery("price=20");
    await page.locator(".query-error", { hasText: "ACCESS_PROPERTY" }).waitFor();
    await openPlan(page.locator(".plan-body .error", { hasText: "ACCESS_PROPERTY" }));
    // The migration screen by its address: the server's refusal.
    await page.goto(`${studio.url}/_studio/#/migrations`);
    await page.locator("main .error", { hasText: "ACCESS_PRIVILEGED" }).waitFor();
    expect(await page.locator("table.migrations").count()).toBe(0);
  });
});

describe.skipIf(!hasChromium)(`${title}: on the SQL store`, { timeout: 120_000 }, () => {
  const db = openDatabase("memory:");
  let assets: ReturnType<typeof buildStudioAssets>;
  let server: Awaited<ReturnType<typeof serveNode>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assets = buildStudioAssets();
    await runSqlScript(db, await readFile(join(REPO, "generated/schema.sql"), "utf8"));
    const models = createModels({ db });
    await models.Author.create({ id: AUTHOR, name: "Frank Herbert" });
    for (let n = 1; n <= 12; n++) await models.Book.create(book(n) as never);
    const handler = createHandler({
      models,
      openapi,
      access: {
        roles: { admin: { "*": "*" } },
        tokens: [{ role: "admin", sha256: await hashToken(ADMIN_TOKEN) }],
      },
    });
    server = await serveNode(withStudio(handler, { assetsDir: assets.dir }), { port: 0 });
    browser = await launchChromium();
    page = await studioPage(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    assets?.remove();
    await db.destroy();
  });

  it("shows the statement with its placeholders and PostgreSQL's plan as a tree, never a value", async () => {
    await signIn(page, server.url, ADMIN_TOKEN);
    await page.goto(`${server.url}/_studio/#/m/Book?q=year%3E%3D1965%26title%3DBook%207`);
    await page.locator(".page-status", { hasText: "1–1 of 1" }).waitFor();
    await page.locator("details.plan summary").click();
    await page.locator(".plan-time").waitFor();
    expect(await page.locator('.plan-facts dd[data-fact="store"]').textContent()).toBe("SQL");
    const statement = (await page.getByLabel("SQL statement").textContent())!;
    expect(statement).toMatch(/^select .* from "book" where .*\$1/);
    const tree = (await page.getByLabel("PostgreSQL plan").textContent())!;
    expect(tree).toMatch(/(Scan|Limit|Sort|WindowAgg)/);
    expect(tree).toMatch(/\$\d/);
    // Neither the values of the filter nor the page's bounds are in what the page shows.
    expect(`${statement}\n${tree}`).not.toMatch(/1965|Book 7/);
    // The bar's text as the server reads it (the space sent as %20), in the other syntax too.
    await page.locator("details.as-json summary").click();
    expect(JSON.parse((await page.locator("details.as-json pre").textContent())!)).toEqual({
      join: "and",
      terms: [
        { field: "year", compare: "ge", value: 1965 },
        { field: "title", compare: "equals", value: "Book 7" },
      ],
    });
    await page.locator("details.as-json summary").click();
    if (screenshots) await page.screenshot({ path: join(screenshots, "studio-explain-sql.png") });
  });
});
