/**
 * What the studio's browser tests share: Debian's chromium driven by
 * playwright-core, a page the size the studio is read at (1280x800), and
 * signing in with a token. The suites skip themselves, saying why in their
 * title, only when /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/** The suite's title, or the title saying why it is skipped. */
export function browserSuiteTitle(title: string): string {
  return hasChromium
    ? title
    : `${title} (SKIPPED: ${CHROMIUM} is missing; apt-get install -y chromium)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Chromium's sandbox cannot start as root (CI containers).
    args: ["--no-sandbox"],
  });
}

/** A new page at 1280x800 in a context of its own (`options`: e.g. its time zone). */
export async function studioPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  // A step that waits in vain fails by itself, naming what it waited for, before the test's own timeout.
  page.setDefaultTimeout(20_000);
  return page;
}

/** Opens the studio at `url` and signs in with `token` (signing out first when signed in). */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/_studio/`);
  const signOut = page.getByRole("button", { name: "Sign out" });
  if (await signOut.isVisible()) await signOut.click();
  await page.getByLabel("Token").fill(token);
  await page.getByLabel("Token").press("Enter");
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}
