import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/index.js";
import { openDatabase } from "../../../src/store/sql/open-database.js";
import { catalogColumns } from "./databases.js";

const REPO = join(import.meta.dirname, "../../..");

async function run(cwd: string, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const sink = (write: (s: string) => void) =>
    new Writable({ write: (chunk, _enc, done) => (write(String(chunk)), done()) });
  const code = await main(argv, {
    cwd,
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}

describe("perstore migrate (end to end on a copy of the example project, embedded PGlite)", () => {
  let root: string;
  const saved = process.env.DATABASE_URL;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "perstore-cli-"));
    await cp(join(REPO, "schemas"), join(root, "schemas"), { recursive: true });
    await writeFile(
      join(root, "perstore.config.json"),
      JSON.stringify({
        schemas: "schemas",
        out: "generated",
        database: "pglite:.perstore/db",
        prettier: false,
      }),
    );
    delete process.env.DATABASE_URL; // the project's own embedded database
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
    await rm(root, { recursive: true, force: true });
  });

  it("create init && up, then a rename, a refused destructive change, status and down", async () => {
    const init = await run(root, "migrate", "create", "init");
    expect(init).toMatchObject({ code: 0, stderr: "" });
    expect(init.stdout).toMatch(/wrote generated\/migrations\/\d{14}_[0-9a-f]{8}_init\.sql/);
    expect(await run(root, "migrate", "create", "again")).toMatchObject({
      code: 0,
      stdout: "no schema changes since the last migration; nothing written\n",
    });

    const up = await run(root, "migrate", "up");
    expect(up).toMatchObject({ code: 0 });
    expect(up.stdout).toContain("applied 1 migration");

    // Rename Review.body -> text (renamedFrom), and drop Company.tags (destructive).
    const reviewFile = join(root, "schemas/review.schema.json");
    const review = JSON.parse(await readFile(reviewFile, "utf8"));
    review.properties.text = { ...review.properties.body, renamedFrom: "body" };
    delete review.properties.body;
    await writeFile(reviewFile, JSON.stringify(review, null, 2));
    const companyFile = join(root, "schemas/company.schema.json");
    const company = JSON.parse(await readFile(companyFile, "utf8"));
    delete company.properties.tags;
    await writeFile(companyFile, JSON.stringify(company, null, 2));

    const refused = await run(root, "migrate", "create", "tidy");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('drops column "company"."tags" and its data');
    expect(refused.stderr).toContain("[MIGRATION_DESTRUCTIVE]");
    expect(
      (await readdir(join(root, "generated/migrations"))).filter((f) => f.endsWith(".sql")),
    ).toHaveLength(1);

    const tidy = await run(root, "migrate", "create", "tidy", "--allow-destructive");
    expect(tidy.code).toBe(0);
    expect(tidy.stdout).toContain(
      'destructive (allowed): drops column "company"."tags" and its data',
    );
    const file = (await readdir(join(root, "generated/migrations"))).find((f) =>
      f.endsWith("_tidy.sql"),
    )!;
    const text = await readFile(join(root, "generated/migrations", file), "utf8");
    expect(text).toContain(`alter table "review" rename column "body" to "text";`);

    expect(await run(root, "migrate", "up")).toMatchObject({ code: 0 });
    const status = await run(root, "migrate", "status");
    expect(status.code).toBe(0);
    expect(status.stdout.match(/ applied /g)).toHaveLength(2);

    expect(await run(root, "migrate", "down")).toMatchObject({ code: 0 });
    const db = openDatabase(`pglite:${join(root, ".perstore/db")}`);
    try {
      const columns = await catalogColumns(db);
      expect(columns.some((c) => c.table === "review" && c.column === "body")).toBe(true);
      expect(columns.some((c) => c.table === "company" && c.column === "tags")).toBe(true);
    } finally {
      await db.destroy();
    }
    expect((await run(root, "migrate", "status")).stdout).toContain("1 pending");
  });

  it("rejects bad usage with exit code 2", async () => {
    expect((await run(root, "migrate")).code).toBe(2);
    expect((await run(root, "migrate", "sideways")).code).toBe(2);
    expect((await run(root, "migrate", "up", "--allow-destructive")).code).toBe(2);
    expect((await run(root, "migrate", "down", "0")).code).toBe(2);
  });
});
