/**
 * The studio's table pages without recounting (table-screen.ts): the first
 * page of a filter counts its matches, and while the table's live feed hears
 * no change the next pages, and other sorts of the same filter, ask with
 * `Prefer: count=none` and still show the total; a change heard, or another
 * filter, counts again. In Debian's chromium (skipped, saying why, without it).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserSuiteTitle,
  hasChromium,
  launchChromium,
  signIn,
  studioPage,
} from "./studio-browser-harness.js";
import { ADMIN_TOKEN, BOOKS, book, buildStudioAssets, startStudio } from "./studio-fixture.js";

const title = browserSuiteTitle("perstore studio pages without recounting");

describe.skipIf(!hasChromium)(title, { timeout: 60_000 }, () => {
  let assets: ReturnType<typeof buildStudioAssets>;
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Browser;
  let page: Page;
  /** Each query for records: its query string, Range, Prefer, and the Content-Range answered. */
  let queries: { query: string; range?: string; prefer?: string; contentRange?: string }[] = [];

  beforeAll(async () => {
    assets = buildStudioAssets();
    studio = await startStudio(assets.dir);
    browser = await launchChromium();
    page = await studioPage(browser);
    page.on("response", (response) => {
      const request = response.request();
      const url = new URL(request.url());
      if (!/^\/Book\/$/.test(url.pathname) || request.headers().accept === "text/event-stream")
        return;
      // The model list's record counts (`items=0-0`, api.count) are not the table's pages; one can
      // still be answered after the table's page has been asked for.
      if (request.headers().range === "items=0-0") return;
      queries.push({
        query: decodeURIComponent(url.search),
        range: request.headers().range,
        prefer: request.headers().prefer,
        contentRange: response.headers()["content-range"],
      });
    });
    await signIn(page, studio.url, ADMIN_TOKEN);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    assets?.remove();
  });

  const waitForStatus = (text: string) => page.locator(".page-status", { hasText: text }).waitFor();
  const next = () => page.getByRole("button", { name: "Next →" }).click();
  /** Waits for the `n`th query (1-based) to be answered, and returns it. */
  const answered = async (n: number) => {
    await expect.poll(() => queries.length).toBeGreaterThanOrEqual(n);
    return queries[n - 1]!;
  };

  it("counts the first page, then pages and sorts with Prefer: count=none, showing the total", async () => {
    queries = [];
    await page.goto(`${studio.url}/_studio/#/m/Book`);
    await waitForStatus(`1–20 of ${BOOKS}`);
    await page.locator('.live[data-state="on"]').waitFor();
    expect(await answered(1)).toMatchObject({ range: "items=0-19", prefer: undefined });
    expect((await answered(1)).contentRange).toBe(`items 0-19/${BOOKS}`);

    await next();
    await waitForStatus(`21–40 of ${BOOKS}`);
    expect(await answered(2)).toMatchObject({
      range: "items=20-39",
      prefer: "count=none",
      contentRange: "items 20-39/*",
    });
    await next();
    await waitForStatus(`41–45 of ${BOOKS}`);
    expect(await page.getByRole("button", { name: "Next →" }).isDisabled()).toBe(true);
    expect((await answered(3)).prefer).toBe("count=none");

    // Another sort of the same filter: the same total, not counted again.
    await page.locator('button.sort[data-column="year"]').click();
    await waitForStatus(`1–20 of ${BOOKS}`);
    expect(await answered(4)).toMatchObject({ query: "?sort(+year)", prefer: "count=none" });
    expect(queries).toHaveLength(4);
  });

  it("counts again after a change the live feed hears, and for another filter", async () => {
    queries = [];
    await page.goto(`${studio.url}/_studio/#/m/Book`);
    await waitForStatus(`1–20 of ${BOOKS}`);
    await page.locator('.live[data-state="on"]').waitFor();
    await next();
    await waitForStatus(`21–40 of ${BOOKS}`);
    const before = queries.length;

    await studio.models.Book.create(book(BOOKS + 1) as never);
    // The feed reloads the page shown, counting: the new total appears.
    await waitForStatus(`21–40 of ${BOOKS + 1}`);
    const reload = queries.slice(before);
    expect(reload.length).toBeGreaterThan(0);
    expect(reload.every((q) => q.prefer === undefined)).toBe(true);
    await next();
    await waitForStatus(`41–46 of ${BOOKS + 1}`);
    expect(queries.at(-1)!.prefer).toBe("count=none");

    const input = page.getByLabel("RQL query");
    await input.fill("year=gt=1990");
    await input.press("Enter");
    await waitForStatus("1–16 of 16");
    expect(queries.at(-1)).toMatchObject({ query: "?year=gt=1990", prefer: undefined });
  });
});
