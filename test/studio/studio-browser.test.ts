/**
 * perstore studio in a real browser: Debian's chromium driven by
 * playwright-core. Browse, page, sort, query with an error, edit with a
 * validation error, save, conflict, create, delete, by keyboard where it
 * matters; then sign in as the read-only role and find no way to write.
 * Skipped (with the reason in its name) only when /usr/bin/chromium is absent;
 * .ci/run installs it (studio-browser-harness.ts). STUDIO_SCREENSHOTS=<dir>
 * saves the main screens there.
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserSuiteTitle,
  hasChromium,
  launchChromium,
  studioPage,
} from "./studio-browser-harness.js";
import {
  ADMIN_TOKEN,
  AUTHOR,
  BOOKS,
  book,
  buildStudioAssets,
  isbn,
  READER_TOKEN,
  startStudio,
} from "./studio-fixture.js";

const screenshots = process.env.STUDIO_SCREENSHOTS;
const title = browserSuiteTitle("perstore studio in chromium");

describe.skipIf(!hasChromium)(title, { timeout: 60_000 }, () => {
  let assets: ReturnType<typeof buildStudioAssets>;
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Browser;
  let page: Page;
  /** Every query for records the page made, with its Range header. */
  const queries: { path: string; range: string | undefined }[] = [];
  /** Every event stream the page opened, by path. */
  const streams: string[] = [];

  beforeAll(async () => {
    assets = buildStudioAssets();
    studio = await startStudio(assets.dir);
    browser = await launchChromium();
    page = await studioPage(browser);
    page.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      // Record queries only: the live event stream (Accept: text/event-stream) sends no records.
      const stream = request.headers().accept === "text/event-stream";
      if (stream) streams.push(path);
      if (/^\/[A-Z]\w*\/$/.test(path) && !stream)
        queries.push({ path, range: request.headers().range });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    assets?.remove();
  });

  const status = () => page.locator(".page-status");
  const waitForStatus = (text: string) => page.locator(".page-status", { hasText: text }).waitFor();
  const firstKey = () => page.locator("table.records tbody tr th a").first().textContent();
  const editor = () => page.getByLabel("Record JSON");
  const setTitle = async (value: unknown) => {
    const record = JSON.parse(await editor().inputValue());
    await editor().fill(JSON.stringify({ ...record, title: value }, null, 2));
  };

  it("asks for a token, then lists every model the token's role reaches with its record count", async () => {
    await page.goto(`${studio.url}/_studio/`);
    await page.getByText("Sign in with a token").waitFor();
    await page.getByLabel("Token").fill(ADMIN_TOKEN);
    await page.getByLabel("Token").press("Enter");
    await page.locator('td.count[data-model="Book"]', { hasText: String(BOOKS) }).waitFor();
    await page.locator('td.count[data-model="Author"]', { hasText: "1" }).waitFor();
    const names = await page.locator("table.models tbody th").allTextContents();
    expect(names).toEqual(["Author", "Book", "Company", "Employee", "Person", "Review"]);
    const overview = await page.locator("table.models").textContent();
    expect(overview).toContain("isbn");
    expect(overview).toContain("author → Author");
    // A model with sub-models (Person, served as anyOf) still shows its own properties.
    expect(await page.locator("table.models tbody tr").nth(4).textContent()).toContain("firstName");
    if (screenshots) await page.screenshot({ path: join(screenshots, "studio-models.png") });
  });

  it("pages a model's table with Range requests, never fetching more than a page", async () => {
    await page.getByRole("link", { name: "Book", exact: true }).first().click();
    await waitForStatus(`1–20 of ${BOOKS}`);
    expect(await page.locator("table.records tbody tr").count()).toBe(20);
    await page.getByRole("button", { name: "Next →" }).click();
    await waitForStatus(`21–40 of ${BOOKS}`);
    await page.getByRole("button", { name: "Next →" }).click();
    await waitForStatus(`41–45 of ${BOOKS}`);
    expect(await page.getByRole("button", { name: "Next →" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "← Previous" }).click();
    await waitForStatus(`21–40 of ${BOOKS}`);
    // One live stream for the table, kept open while paging.
    await page.locator('.live[data-state="on"]').waitFor();
    expect(streams).toEqual(["/Book/"]);
    expect(queries.length).toBeGreaterThan(0);
    for (const { range } of queries) {
      const match = /^items=(\d+)-(\d+)$/.exec(range ?? "");
      expect(match, `every query has a Range header, got ${range}`).not.toBeNull();
      expect(Number(match![2]) - Number(match![1]) + 1).toBeLessThanOrEqual(20);
    }
  });

  it("hides and resizes columns (from the keyboard too) and remembers both across a reload", async () => {
    const price = page.locator('thead th[data-col="price"]');
    const title = page.locator('thead th[data-col="title"]');
    const widthOf = async (cell: typeof title) => (await cell.boundingBox())!.width;
    const before = await widthOf(title);
    await page.getByRole("separator", { name: "Resize title" }).focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    const wider = await widthOf(title);
    expect(wider).toBeGreaterThan(before + 50);
    const firstTitle = page.locator('tbody td[data-col="title"]').first();
    expect(Math.abs((await widthOf(firstTitle)) - wider)).toBeLessThan(2);
    await page.getByText("Columns", { exact: true }).click();
    await page.getByRole("checkbox", { name: "price" }).uncheck();
    expect(await price.isHidden()).toBe(true);
    expect(await page.locator('tbody td[data-col="price"]:visible').count()).toBe(0);
    await page.reload();
    await waitForStatus(`21–40 of ${BOOKS}`);
    expect(await price.isHidden()).toBe(true);
    expect(await page.locator('tbody td[data-col="title"]:visible').count()).toBe(20);
    expect(Math.abs((await widthOf(title)) - wider)).toBeLessThan(2);
    await page.getByText("Columns", { exact: true }).click();
    await page.getByRole("checkbox", { name: "price" }).check();
    expect(await price.isVisible()).toBe(true);
    await page.getByText("Columns", { exact: true }).click();
  });

  it("sorts by a column header, from the keyboard too", async () => {
    const year = page.locator('button.sort[data-column="year"]');
    await year.click();
    await waitForStatus(`1–20 of ${BOOKS}`);
    await page.locator('th[aria-sort="ascending"] button[data-column="year"]').waitFor();
    expect(await firstKey()).toBe(isbn(1));
    await year.focus();
    await page.keyboard.press("Enter");
    await page.locator('th[aria-sort="descending"] button[data-column="year"]').waitFor();
    await page
      .locator("table.records tbody tr th a", { hasText: isbn(BOOKS) })
      .first()
      .waitFor();
    expect(await firstKey()).toBe(isbn(BOOKS));
    if (screenshots) await page.screenshot({ path: join(screenshots, "studio-table.png") });
  });

  it("shows the server's parse error at its position, then runs a good query typed from the keyboard", async () => {
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("/");
    // (A string: the test's own types have no DOM.)
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe(
      "RQL query",
    );
    // Completion: property names, then operators, from the keyboard.
    await page.keyboard.type("yea");
    await page.getByRole("option", { name: "year property" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.getByLabel("RQL query").inputValue()).toBe("year");
    expect(await page.getByRole("listbox").isHidden()).toBe(true);
    await page.keyboard.type("=ge=");
    await page.keyboard.press("Enter");
    const problem = page.locator(".query-error");
    await problem.locator("p").waitFor();
    expect(await problem.textContent()).toMatch(/QUERY_\w+: .*position \d+/);
    expect(await problem.locator("pre.query-where").textContent()).toMatch(/\^$/);
    await page.getByLabel("RQL query").fill("");
    await page.keyboard.type("st");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await page.getByRole("option", { selected: true }).textContent()).toBe(
      "starts operator",
    );
    await page.keyboard.press("Escape");
    await page.getByLabel("RQL query").fill("year=ge=2000");
    await page.getByLabel("RQL query").press("Enter");
    await waitForStatus("1–6 of 6");
    expect(await problem.textContent()).toBe("");
    await page.getByText("As a JSON query object").click();
    expect(JSON.parse((await page.locator("details.as-json pre").textContent()) ?? "")).toEqual({
      field: "year",
      compare: "ge",
      value: 2000,
    });
  });

  it("shows validation errors beside their fields and at their pointers, writes nothing; then saves", async () => {
    await page.getByRole("link", { name: isbn(BOOKS) }).click();
    const year = page.locator('.field[data-property="year"]');
    await year.locator("input").fill("1");
    await page.getByRole("button", { name: "Save" }).click();
    await year.locator(".field-error", { hasText: ">= 1000" }).waitFor();
    expect(await year.locator("input").getAttribute("aria-invalid")).toBe("true");
    if (screenshots) await page.screenshot({ path: join(screenshots, "studio-record.png") });
    expect((await studio.models.Book.get(isbn(BOOKS)))?.year).toBe(1960 + BOOKS);
    await year.locator("input").fill(String(1960 + BOOKS));
    // The same record as JSON: the form's edits come along.
    await page.getByRole("button", { name: "JSON" }).click();
    await editor().waitFor();
    expect(JSON.parse(await editor().inputValue()).year).toBe(1960 + BOOKS);
    await setTitle(5);
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".validation-errors li", { hasText: "/title" }).waitFor();
    expect(await page.locator(".validation-errors").textContent()).toContain("must be string");
    expect((await studio.models.Book.get(isbn(BOOKS)))?.title).toBe(`Book ${BOOKS}`);
    await setTitle("Dune Messiah");
    await editor().press("Control+s");
    await page.locator(".status", { hasText: "Saved." }).waitFor();
    expect((await studio.models.Book.get(isbn(BOOKS)))?.title).toBe("Dune Messiah");
  });

  it("reports a conflict (412) when someone else saved first, and does not overwrite it", async () => {
    await studio.models.Book.put(book(BOOKS, { title: "Their title" }) as never);
    await setTitle("My title");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".conflict").waitFor();
    expect(await page.locator(".conflict").textContent()).toContain("412");
    expect((await studio.models.Book.get(isbn(BOOKS)))?.title).toBe("Their title");
    expect(await editor().inputValue()).toContain("My title");
    await page.getByRole("button", { name: "Load their version" }).click();
    await page.locator(".status", { hasText: "Reloaded" }).waitFor();
    expect(await editor().inputValue()).toContain("Their title");
  });

  it("creates a record from the form (an enum as a select) and deletes it", async () => {
    await page.locator("p.crumbs a").click();
    await page.getByRole("link", { name: "New record" }).click();
    const field = (name: string) =>
      page.locator(`.field[data-property="${name}"] :is(input,select)`);
    await field("isbn").fill(isbn(999));
    await field("title").fill("Children of Dune");
    await field("authorId").fill(AUTHOR);
    await field("year").fill("1976");
    await field("status").selectOption("published");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: `Book ${isbn(999)}` }).waitFor();
    const created = await studio.models.Book.get(isbn(999));
    expect(created).toMatchObject({ title: "Children of Dune", year: 1976, status: "published" });
    // An existing record's key cannot be edited.
    expect(await field("isbn").isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Really delete" }).click();
    await waitForStatus(`1–20 of ${BOOKS}`);
    expect(await studio.models.Book.get(isbn(999))).toBeUndefined();
  });

  it("shows live changes while a table is open (the event stream, read with the token)", async () => {
    await page.goto(`${studio.url}/_studio/#/m/Book`);
    await waitForStatus(`1–20 of ${BOOKS}`);
    await page.locator('.live[data-state="on"]').waitFor();
    await studio.models.Book.create(book(998) as never);
    await waitForStatus(`1–20 of ${BOOKS + 1}`);
    await studio.models.Book.delete(isbn(998));
    await waitForStatus(`1–20 of ${BOOKS}`);
  });

  it("follows links both ways: to-one opens the record, to-many the filtered table", async () => {
    await page.goto(`${studio.url}/_studio/#/m/Book/r/${isbn(1)}`);
    await page.locator('a[data-rel="author"]').click();
    await page.getByRole("heading", { name: `Author ${AUTHOR}` }).waitFor();
    await page.locator('a[data-rel="books"]').click();
    await waitForStatus(`1–20 of ${BOOKS}`);
    expect(await page.getByLabel("RQL query").inputValue()).toBe(`eq(authorId,string:${AUTHOR})`);
    await page.getByRole("link", { name: isbn(1) }).click();
    await page.getByText("coAuthors → Author (none)").waitFor();
    await page.locator('a[data-rel="reviews"]').click();
    await waitForStatus("No records");
  });

  it("signed in as the read-only role: its models only, and no way to write", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Token").fill(READER_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "perstore studio" }).click();
    await page.locator('td.count[data-model="Book"]').filter({ hasText: /^\d+$/ }).waitFor();
    expect(await page.locator("table.models tbody th").allTextContents()).toEqual([
      "Book",
      "Person",
    ]);
    // The catalog facet hides drafts and the price.
    expect(await page.locator('td.count[data-model="Book"]').textContent()).toBe(
      String(BOOKS - Math.floor(BOOKS / 10)),
    );
    await page.getByRole("link", { name: "Book", exact: true }).first().click();
    await status().filter({ hasText: " of " }).waitFor();
    expect(await page.locator('button.sort[data-column="price"]').count()).toBe(0);
    expect(await page.locator("a.new-record").count()).toBe(0);
    await page.locator("table.records tbody tr th a").first().click();
    await page.locator(".record-form").waitFor();
    expect(await page.locator(".record-form :is(input, select, textarea):enabled").count()).toBe(0);
    await page.getByRole("button", { name: "JSON" }).click();
    expect(await editor().getAttribute("readonly")).not.toBeNull();
    expect(await page.locator("button.save, button.delete, button.confirm-delete").count()).toBe(0);
    await page.getByText("Read-only for this role.").waitFor();
  });
});
