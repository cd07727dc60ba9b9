/**
 * `perstore serve` as a user runs it: the built CLI in its own process, under
 * `--disallow-code-generation-from-strings` (nothing on the server's path may
 * eval), answering over loopback, and exiting cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { httpChannel, MemoryStore, RemoteStore } from "../../src/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
});

/** Starts the server; resolves to its URL once it prints it. */
async function startServe(): Promise<{ url: string; output: () => string }> {
  child = spawn(
    process.execPath,
    [
      "--disallow-code-generation-from-strings",
      "bin/perstore.js",
      "serve",
      "--memory",
      "--port",
      "0",
    ],
    { cwd: root, env: { ...process.env, PERSTORE_ADMIN_TOKEN: "cli-test-token" }, stdio: "pipe" },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child!.stdout!.on("data", check);
    child!.once("exit", (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  return { url, output: () => output };
}

describe("perstore serve", () => {
  it("serves the example models with the configured roles, logs requests, and stops on SIGTERM", async () => {
    const { url, output } = await startServe();
    const admin = { authorization: "Bearer cli-test-token", "content-type": "application/json" };
    const author = { id: "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11", name: "Frank Herbert" };
    const created = await fetch(`${url}/Author/`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify(author),
    });
    expect(created.status).toBe(201);
    const book = {
      isbn: "9780441013593",
      title: "Dune",
      authorId: author.id,
      status: "published",
      price: 9.99,
    };
    expect(
      (await fetch(`${url}/Book/`, { method: "POST", headers: admin, body: JSON.stringify(book) }))
        .status,
    ).toBe(201);
    // Anonymous: the catalog facet (price hidden), an ad-hoc filter run without eval.
    const page = await fetch(`${url}/Book/?title=Dune&limit(10)`, {
      headers: { range: "items=0-9" },
    });
    expect(page.status).toBe(206);
    expect(page.headers.get("content-range")).toBe("items 0-0/1");
    expect(await page.json()).toEqual([
      { isbn: book.isbn, title: "Dune", authorId: author.id, status: "published" },
    ]);
    expect((await fetch(`${url}/Author/${author.id}`)).status).toBe(403);

    child!.kill("SIGTERM");
    const [code] = await once(child!, "exit");
    expect(code).toBe(0);
    expect(output()).toMatch(/^POST \/Author\/ 201 [\d.]+ms$/m);
    expect(output()).toMatch(/^GET \/Book\/ 206 [\d.]+ms$/m);
    expect(output()).not.toContain("cli-test-token");
  });

  it("a RemoteStore and an httpChannel in this process read, write and hear events through it", async () => {
    const { url } = await startServe();
    const token = "cli-test-token";
    const authors = new RemoteStore({ url: `${url}/Author/`, token });
    const books = new RemoteStore<Record<string, unknown>>({
      url: `${url}/Book/`,
      token,
      idProperty: "isbn",
    });
    const heard: string[] = [];
    const off = books.on("add", (event) => heard.push(...(event.ids ?? []).map(String)));
    const author = { id: "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11", name: "Frank Herbert" };
    await authors.add(author);
    const dune = { isbn: "9780441013593", title: "Dune", authorId: author.id, status: "published" };
    await books.put(dune);
    expect(heard).toEqual(["9780441013593"]); // the event arrived before put resolved
    expect(await books.get("9780441013593")).toMatchObject({ title: "Dune", status: "published" });
    const page = (await books.query("status=published", { start: 0, end: 10 })) as unknown[] & {
      totalCount: number;
    };
    expect(page.totalCount).toBe(1);
    await expect(books.add(dune)).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    off();

    // A journaled memory store loads from the server and commits its condensed journal back.
    const local = new MemoryStore<Record<string, unknown>>({
      idProperty: "isbn",
      channel: httpChannel(`${url}/Book/`, { token }),
    });
    await local.load();
    expect(local.find().map((b) => b.isbn)).toEqual(["9780441013593"]);
    local.insert(
      [{ isbn: "9780441172719", title: "Dune Messiah", authorId: author.id, status: "draft" }],
      { append: true },
    );
    local.update({ title: "Dune (1965)" }, "isbn=string:9780441013593");
    await local.commit({ mode: "condensed" });
    expect(await books.get("9780441172719")).toMatchObject({ title: "Dune Messiah" });
    expect(await books.get("9780441013593")).toMatchObject({ title: "Dune (1965)" });
    // A commit the server refuses (an invalid status) changes nothing there and keeps the journal.
    local.update({ status: "lost" }, "isbn=string:9780441172719");
    await expect(local.commit({ mode: "condensed" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(local.journal.length).toBe(1);
    expect(await books.get("9780441172719")).toMatchObject({ status: "draft" });
    books.close();
    child!.kill("SIGTERM");
    await once(child!, "exit");
  });
});
