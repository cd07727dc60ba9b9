/**
 * `withStudio(handler)`: the page and its bundle at /_studio/ (a fixed set of
 * files, with a content security policy that allows nothing from elsewhere),
 * everything else through the REST handler and its facets; and
 * `perstore studio` as a user runs it (the built CLI, on loopback).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../src/server/index.js";
import { withStudio } from "../../src/studio/index.js";
import { ADMIN_TOKEN, buildStudioAssets, startStudio } from "./studio-fixture.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("withStudio", () => {
  let assets: ReturnType<typeof buildStudioAssets>;
  let studio: Awaited<ReturnType<typeof startStudio>>;
  beforeAll(async () => {
    assets = buildStudioAssets();
    studio = await startStudio(assets.dir);
  });
  afterAll(async () => {
    await studio?.close();
    assets?.remove();
  });

  it("serves the page and its bundle with a policy that allows nothing from elsewhere", async () => {
    const page = await fetch(`${studio.url}/_studio/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain("<perstore-studio>");
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${studio.url}/_studio/studio.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("perstore-studio");
    const redirect = await fetch(`${studio.url}/_studio`, { redirect: "manual" });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe("/_studio/");
  });

  it("answers 404 for any other file or method under /_studio/", async () => {
    for (const path of ["/_studio/missing.js", "/_studio/%2e%2e%2fpackage.json", "/_studio/app/"])
      expect((await fetch(`${studio.url}${path}`)).status, path).toBe(404);
    expect((await fetch(`${studio.url}/_studio/`, { method: "POST" })).status).toBe(404);
  });

  it("passes every other request to the REST handler, facets and all", async () => {
    expect((await fetch(`${studio.url}/Book/`)).status).toBe(401);
    const books = await fetch(`${studio.url}/Book/`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, range: "items=0-0" },
    });
    expect(books.status).toBe(206);
    expect(books.headers.get("content-range")).toBe("items 0-0/45");
  });

  it("refuses to start without a built page (STUDIO_ASSETS_MISSING)", () => {
    const empty = mkdtempSync(join(tmpdir(), "perstore-studio-empty-"));
    try {
      const handler = createHandler({ models: {}, access: { roles: {} } });
      expect(() => withStudio(handler, { assetsDir: empty })).toThrow(
        expect.objectContaining({ code: "STUDIO_ASSETS_MISSING" }),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("perstore studio", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    child = undefined;
  });

  it("serves the models and the studio on loopback, and stops on SIGTERM", async () => {
    child = spawn(process.execPath, ["bin/perstore.js", "studio", "--memory", "--port", "0"], {
      cwd: root,
      stdio: "pipe",
    });
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /perstore studio at (http:\/\/127\.0\.0\.1:\d+)\/_studio\//.exec(output);
        if (match) resolve(match[1]!);
      });
      child!.once("exit", (code) => reject(new Error(`studio exited (${code}):\n${output}`)));
    });
    const page = await fetch(`${url}/_studio/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<perstore-studio>");
    // The REST endpoints answer beside it, as the config's roles allow (anonymous = reader).
    const books = await fetch(`${url}/Book/`, { headers: { range: "items=0-0" } });
    expect(books.headers.get("content-range")).toBe("items */0");
    const exited = new Promise<number | null>((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
