/**
 * perstore studio's model list and record form in a real browser (chromium,
 * playwright-core; see studio-browser-harness.ts).
 *
 * The model list shows each model's key, links, indexes and facets, and a
 * facet's role learns of its own facet only, never of what it hides. The
 * record form, on run-time models made for it (studio-forms-fixture.ts) and
 * in New York's time zone: dates as date and datetime-local inputs whose
 * instants round-trip (untouched ones unchanged), nested objects as
 * fieldsets, arrays as add/remove lists (of values and of objects), errors
 * beside the nested field their JSON pointer names, read-only fields
 * disabled, all by keyboard, and nothing wider than 1280 pixels.
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserSuiteTitle,
  hasChromium,
  launchChromium,
  signIn,
  studioPage,
} from "./studio-browser-harness.js";
import { ADMIN_TOKEN, buildStudioAssets, READER_TOKEN, startStudio } from "./studio-fixture.js";
import { FORMS_ADMIN, FORMS_CLERK, startFormsStudio } from "./studio-forms-fixture.js";

/** STUDIO_SCREENSHOTS=<dir> saves the nested form with its errors there (docs/studio-form.png). */
const screenshots = process.env.STUDIO_SCREENSHOTS;
const title = browserSuiteTitle("perstore studio's model list and record form in chromium");

describe.skipIf(!hasChromium)(title, { timeout: 60_000 }, () => {
  let assets: ReturnType<typeof buildStudioAssets>;
  let example: Awaited<ReturnType<typeof startStudio>>;
  let forms: Awaited<ReturnType<typeof startFormsStudio>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    assets = buildStudioAssets();
    example = await startStudio(assets.dir);
    forms = await startFormsStudio(assets.dir);
    browser = await launchChromium();
    page = await studioPage(browser, { timezoneId: "America/New_York" });
  });

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    await forms?.close();
    assets?.remove();
  });

  const row = (model: string) => page.locator(`table.models tbody tr[data-model="${model}"]`);
  const texts = (locator: ReturnType<Page["locator"]>) => locator.allTextContents();
  const field = (pointer: string) =>
    page.locator(`.field[data-pointer="${pointer}"] :is(input, select, textarea)`);
  const errorAt = (pointer: string) => page.locator(`[data-pointer="${pointer}"] > .field-error`);
  /** No page-wide horizontal scroll bar at 1280 pixels. */
  const fitsWidth = async () =>
    expect(
      await page.evaluate(
        "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth",
      ),
    ).toBe(true);
  /** The JSON pointer of the field the keyboard is in. */
  const focusedPointer = () =>
    page.evaluate("document.activeElement?.closest('[data-pointer]')?.dataset.pointer");
  const openShipment = async (code: string) => {
    // A reload: the same hash again would not draw the screen anew.
    await page.goto(`${forms.url}/_studio/#/m/Shipment/r/${code}`);
    await page.reload();
    await page.getByRole("heading", { name: `Shipment ${code}` }).waitFor();
  };
  const save = async () => {
    await page.getByRole("button", { name: "Save" }).click();
  };
  const saved = () => page.locator(".status", { hasText: "Saved." }).waitFor();

  it("lists each model's key, links (to-one, to-many), indexes and every facet to a role that sees it whole", async () => {
    await signIn(page, example.url, ADMIN_TOKEN);
    await row("Book").locator("td.count").filter({ hasText: /^\d+$/ }).waitFor();
    const book = row("Book");
    expect(await book.locator('.property[data-property="isbn"] .key').count()).toBe(1);
    expect(await texts(book.locator(".index"))).toEqual([
      "authorId",
      "title, year",
      "title full text (simple)",
    ]);
    expect(await book.locator('.link[data-rel="reviews"]').textContent()).toBe(
      "reviews → Review (to-many)",
    );
    expect(await book.locator('.link[data-rel="author"]').textContent()).toBe("author → Author");
    expect(await texts(book.locator(".facet b"))).toEqual(["catalog", "editor"]);
    const catalog = await book.locator('.facet[data-facet="catalog"]').textContent();
    expect(catalog).toContain("hides price");
    expect(catalog).toContain("filter eq(status,published)");
    expect(catalog).toContain("at most 50 per query");
    expect(await book.locator(".facet .yours").count()).toBe(0);
    expect(await texts(row("Person").locator(".index"))).toEqual([
      "lastName, firstName",
      "email unique",
      "country",
    ]);
    await fitsWidth();
  });

  it("shows a facet's role only its own facet, and nothing that facet hides", async () => {
    await signIn(page, example.url, READER_TOKEN);
    await row("Book").locator("td.count").filter({ hasText: /^\d+$/ }).waitFor();
    const book = row("Book");
    expect(await texts(book.locator(".facet"))).toEqual([
      "catalog (yours): get, query · read-only isbn · filter eq(status,published) · at most 50 per query",
    ]);
    // The reader reaches neither Author nor Review: no link to follow.
    expect(await book.locator(".link").count()).toBe(0);
    const person = row("Person");
    expect(await texts(person.locator(".facet b"))).toEqual(["directory"]);
    expect(await texts(person.locator(".index"))).toEqual(["lastName, firstName", "country"]);
    const shown = (await page.locator("table.models").textContent()) ?? "";
    for (const hidden of ["price", "editor", "email", "birthDate", "address", "salary"])
      expect(shown).not.toContain(hidden);
  });

  it("shows dates as date and datetime-local inputs in the browser's zone; an untouched instant comes back unchanged", async () => {
    await forms.models.Shipment.create({
      code: "S1",
      title: "Spare parts",
      status: "open",
      shipOn: "2021-06-02",
      departsAt: "2021-06-01T12:00:00+02:00",
      createdAt: "2021-01-01T00:00:00.000Z",
      size: { lengthCm: 30, widthCm: 20 },
      labels: ["cold"],
      notes: ["by noon"],
      lines: [{ sku: "A-1", quantity: 2, packedAt: "2021-05-31T22:15:30.250Z" }],
    } as never);
    const before = JSON.parse(JSON.stringify(await forms.models.Shipment.get("S1")));
    await signIn(page, forms.url, FORMS_ADMIN);
    await openShipment("S1");
    expect(await field("/shipOn").getAttribute("type")).toBe("date");
    expect(await field("/shipOn").inputValue()).toBe("2021-06-02");
    // 10:00 UTC is 06:00 in New York in June (EDT, UTC-4).
    expect(await field("/departsAt").getAttribute("type")).toBe("datetime-local");
    expect(await field("/departsAt").inputValue()).toMatch(/^2021-06-01T06:00(:00)?$/);
    expect(await page.locator('[data-pointer="/departsAt"] .type').textContent()).toContain(
      "America/New_York",
    );
    expect(await field("/lines/0/packedAt").inputValue()).toBe("2021-05-31T18:15:30.25");
    expect(await field("/createdAt").isDisabled()).toBe(true);

    await field("/title").fill("Spare parts, boxed");
    await save();
    await saved();
    expect(JSON.parse(JSON.stringify(await forms.models.Shipment.get("S1")))).toEqual({
      ...before,
      title: "Spare parts, boxed",
    });

    // An edited local time is that instant: 18:30 in New York on 24 December (EST, UTC-5).
    await field("/departsAt").fill("2021-12-24T18:30");
    await save();
    await saved();
    const stored = JSON.parse(JSON.stringify(await forms.models.Shipment.get("S1")));
    expect(stored.departsAt).toBe("2021-12-24T23:30:00.000Z");
    expect(stored.lines[0].packedAt).toBe("2021-05-31T22:15:30.250Z");
  });

  it("places errors beside the nested field their pointer names, and writes nothing", async () => {
    await openShipment("S1");
    await field("/size/lengthCm").fill("0");
    await field("/notes/0").fill("far too long a note");
    await field("/lines/0/quantity").fill("0");
    await save();
    await errorAt("/size/lengthCm").filter({ hasText: ">= 1" }).waitFor();
    expect(await field("/size/lengthCm").getAttribute("aria-invalid")).toBe("true");
    // The keyboard is taken to the first error.
    expect(await focusedPointer()).toBe("/size/lengthCm");
    expect(await errorAt("/notes/0").textContent()).toContain("must NOT have more than 10");
    expect(await errorAt("/lines/0/quantity").textContent()).toContain(">= 1");
    expect(await field("/size/widthCm").getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator(".validation-errors li").count()).toBe(3);
    if (screenshots)
      await page.screenshot({ path: join(screenshots, "studio-form.png"), fullPage: true });
    let stored = (await forms.models.Shipment.get("S1")) as any;
    expect(stored.size.lengthCm).toBe(30);
    // Text that is no number is named at its field, and nothing is sent.
    await field("/size/widthCm").fill("");
    await field("/size/widthCm").focus();
    await page.keyboard.type("2e");
    await save();
    await errorAt("/size/widthCm").filter({ hasText: "not a number" }).waitFor();
    expect(await page.locator(".problems").textContent()).toContain("/size/widthCm: not a number");
    stored = (await forms.models.Shipment.get("S1")) as any;
    expect(stored.size.widthCm).toBe(20);
    await field("/size/widthCm").fill("20");
    expect(stored.notes).toEqual(["by noon"]);
    await field("/size/lengthCm").fill("31");
    await field("/notes/0").fill("by noon");
    await field("/lines/0/quantity").fill("3");
    await save();
    await saved();
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
    expect(((await forms.models.Shipment.get("S1")) as any).size).toEqual({
      lengthCm: 31,
      widthCm: 20,
    });
  });

  it("adds and removes array items (values and objects) from the keyboard", async () => {
    await openShipment("S1");
    // Add: the new item's control takes the focus.
    await page.getByRole("button", { name: "Add labels item" }).focus();
    await page.keyboard.press("Enter");
    expect(await focusedPointer()).toBe("/labels/1");
    await field("/labels/1").selectOption("urgent");
    await page.getByRole("button", { name: "Remove labels 1" }).focus();
    await page.keyboard.press("Enter");
    // The rest move up: urgent is labels 1 now, at /labels/0.
    expect(
      await page.locator('[data-pointer="/labels/0"] select option:checked').textContent(),
    ).toBe("urgent");
    expect(await page.getByLabel("labels 1", { exact: true }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Remove labels 2" }).count()).toBe(0);

    await page.getByRole("button", { name: "Add lines item" }).click();
    expect(await page.locator('fieldset[data-pointer="/lines/1"] legend').textContent()).toBe(
      "lines 2",
    );
    await field("/lines/1/sku").fill("B-2");
    await field("/lines/1/quantity").fill("1");
    await page.getByRole("button", { name: "Add notes item" }).click();
    await page.keyboard.type("fragile");
    await save();
    await saved();
    let stored = JSON.parse(JSON.stringify(await forms.models.Shipment.get("S1")));
    expect(stored.labels).toEqual(["urgent"]);
    expect(stored.notes).toEqual(["by noon", "fragile"]);
    expect(stored.lines).toEqual([
      { sku: "A-1", quantity: 3, packedAt: "2021-05-31T22:15:30.250Z" },
      { sku: "B-2", quantity: 1 },
    ]);

    await page.getByRole("button", { name: "Remove lines 1" }).click();
    expect(await field("/lines/0/sku").inputValue()).toBe("B-2");
    await page.getByRole("button", { name: "Remove notes 1" }).click();
    await page.getByRole("button", { name: "Remove notes 1" }).click();
    await save();
    await saved();
    stored = JSON.parse(JSON.stringify(await forms.models.Shipment.get("S1")));
    expect(stored.lines).toEqual([{ sku: "B-2", quantity: 1 }]);
    expect(stored.notes).toEqual([]);
    await fitsWidth();
  });

  it("creates a record with a nested object, lists and a date from the form", async () => {
    await page.goto(`${forms.url}/_studio/#/m/Shipment/new`);
    await page.getByRole("heading", { name: "New Shipment" }).waitFor();
    await field("/code").fill("S2");
    await field("/title").fill("Books");
    await field("/shipOn").fill("2022-03-04");
    await field("/size/widthCm").fill("12.5");
    await page.getByRole("button", { name: "Add lines item" }).click();
    await field("/lines/0/sku").fill("C-3");
    await field("/lines/0/quantity").fill("4");
    await field("/lines/0/packedAt").fill("2022-03-03T09:05");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "Shipment S2" }).waitFor();
    expect(JSON.parse(JSON.stringify(await forms.models.Shipment.get("S2")))).toEqual({
      code: "S2",
      title: "Books",
      shipOn: "2022-03-04",
      size: { widthCm: 12.5 },
      lines: [{ sku: "C-3", quantity: 4, packedAt: "2022-03-03T14:05:00.000Z" }],
    });
  });

  it("hides a column from the keyboard: the Columns menu opens with Enter and closes with Escape", async () => {
    await page.goto(`${forms.url}/_studio/#/m/Shipment`);
    await page.locator(".page-status", { hasText: " of " }).waitFor();
    const summary = page.getByText("Columns", { exact: true });
    await summary.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("checkbox", { name: "status" }).focus();
    await page.keyboard.press("Space");
    expect(await page.locator('thead th[data-col="status"]').isHidden()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await page.locator("details.columns").getAttribute("open")).toBeNull();
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Columns");
    await page.keyboard.press("Enter");
    await page.getByRole("checkbox", { name: "status" }).check();
    await page.keyboard.press("Escape");
    await fitsWidth();
  });

  it("signed in through a facet: its read-only fields disabled, its hidden ones absent, lists still editable", async () => {
    await signIn(page, forms.url, FORMS_CLERK);
    await row("Shipment").locator("td.count").filter({ hasText: /^\d+$/ }).waitFor();
    expect(await texts(row("Shipment").locator(".index"))).toEqual(["status, shipOn"]);
    expect(await row("Shipment").textContent()).not.toContain("cost");
    await openShipment("S1");
    for (const pointer of ["/code", "/title", "/createdAt"])
      expect(await field(pointer).isDisabled(), pointer).toBe(true);
    expect(await field("/size/lengthCm").isEnabled()).toBe(true);
    expect(await page.locator('[data-pointer="/cost"]').count()).toBe(0);
    await page.getByRole("button", { name: "Add labels item" }).click();
    await field("/labels/1").selectOption("fragile");
    await save();
    await saved();
    expect(((await forms.models.Shipment.get("S1")) as any).labels).toEqual(["urgent", "fragile"]);
    await fitsWidth();
  });
});
