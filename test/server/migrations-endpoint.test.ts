/**
 * `GET /migrations.json`: the migration status `perstore migrate status`
 * reports (the same code: compiler/migrate/status-report.ts), of this
 * repository's project (its generated/migrations and schemas) against an
 * embedded database, for the access config's `privileged` roles only. The
 * anonymous role, an ordinary token and a bad token are refused like any
 * other denied request; a server that was not handed the migrations has no
 * such endpoint.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModels } from "../../generated/index.js";
import { loadConfig, type PerstoreConfig } from "../../src/compiler/config.js";
import { loadMigrations } from "../../src/compiler/migrate/load-migrations.js";
import { migrateUp, migrationStatus } from "../../src/compiler/migrate/migration-runner.js";
import { migrationReport } from "../../src/compiler/migrate/status-report.js";
import { createHandler, hashToken, type Handler } from "../../src/server/index.js";
import { parseServerConfig } from "../../src/server/server-config.js";
import { openDatabase } from "../../src/store/sql/open-database.js";

/** A JSON answer, as the assertions read it. */
const read = (res: Response): Promise<any> => res.json();

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const ADMIN = "privileged-admin-token";
const EDITOR = "ordinary-editor-token";

const access = async (privileged?: string[]) => ({
  anonymous: "reader",
  roles: { admin: { "*": "*" }, editor: { Book: "editor" }, reader: { Book: "catalog" } },
  tokens: [
    { role: "admin", sha256: await hashToken(ADMIN) },
    { role: "editor", sha256: await hashToken(EDITOR) },
  ],
  ...(privileged ? { privileged } : {}),
});

const call = (handler: Handler, method: string, token?: string) =>
  handler(
    new Request("http://localhost/migrations.json", {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }),
  );

describe("GET /migrations.json", () => {
  const db = openDatabase("memory:");
  let config: PerstoreConfig;
  let handler: Handler;
  let ids: string[];

  beforeAll(async () => {
    config = await loadConfig(REPO, {});
    ids = (await loadMigrations(`${REPO}/${config.out}/migrations`)).map((m) => m.id);
    // The embedded database starts before the first request (seconds on a busy machine).
    await migrationStatus(db, []);
    handler = createHandler({
      models: createModels(),
      access: await access(["admin"]),
      timeoutMs: 120_000,
      migrations: () => migrationReport(config, (files) => migrationStatus(db, files)),
    });
  }, 120_000);
  afterAll(async () => {
    handler?.close();
    await db.destroy();
  });

  it("answers a privileged role what `migrate status` reports: every migration pending on a new database", async () => {
    const res = await call(handler, "GET", ADMIN);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("server-timing")).toMatch(/^migrations;dur=/);
    const report = await read(res);
    expect(Object.keys(report).sort()).toEqual(
      ["migrations", "pending", "problems", "schemaChanges", "upToDate"].sort(),
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(report.pending).toEqual(ids);
    expect(report.migrations.map((m: { state: string }) => m.state)).toEqual(
      ids.map(() => "pending"),
    );
    expect(report.upToDate).toBe(false);
  }, 120_000);

  it("then, once migrated, every migration applied with its time", async () => {
    await migrateUp(db, await loadMigrations(`${REPO}/${config.out}/migrations`));
    const report = await read(await call(handler, "GET", ADMIN));
    expect(report.pending).toEqual([]);
    for (const entry of report.migrations) {
      expect(entry.state).toBe("applied");
      expect(Number.isNaN(Date.parse(entry.appliedAt))).toBe(false);
    }
    expect(report.migrations.map((m: { id: string }) => m.id)).toEqual(ids);
  }, 120_000);

  it("refuses the anonymous role and an ordinary token (403), a bad token (401); HEAD asks without computing", async () => {
    const anonymous = await call(handler, "GET");
    expect(anonymous.status).toBe(403);
    expect(await read(anonymous)).toMatchObject({ code: "ACCESS_PRIVILEGED" });
    const editor = await call(handler, "GET", EDITOR);
    expect(editor.status).toBe(403);
    expect((await call(handler, "GET", "not-a-token")).status).toBe(401);
    const head = await call(handler, "HEAD", ADMIN);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await call(handler, "HEAD", EDITOR)).status).toBe(403);
    expect((await call(handler, "POST", ADMIN)).status).toBe(404);
  });

  it("is 404 on a server without the project's migrations, and for no role without privileged", async () => {
    const without = createHandler({ models: createModels(), access: await access(["admin"]) });
    const unmarked = createHandler({
      models: createModels(),
      access: await access(),
      migrations: () => Promise.resolve({}),
    });
    try {
      const res = await call(without, "GET", ADMIN);
      expect(res.status).toBe(404);
      expect(await read(res)).toMatchObject({ code: "HTTP_NOT_FOUND" });
      expect((await call(unmarked, "GET", ADMIN)).status).toBe(403);
    } finally {
      without.close();
      unmarked.close();
    }
  });

  it("authorizes before it says the endpoint is absent: a caller who may not read it cannot tell", async () => {
    const without = createHandler({ models: createModels(), access: await access(["admin"]) });
    try {
      const anonymous = await call(without, "GET");
      expect(anonymous.status).toBe(403);
      expect(await read(anonymous)).toMatchObject({ code: "ACCESS_PRIVILEGED" });
      expect((await call(without, "GET", EDITOR)).status).toBe(403);
      expect((await call(without, "HEAD", EDITOR)).status).toBe(403);
      expect((await call(without, "GET", "not-a-token")).status).toBe(401);
      expect((await call(without, "HEAD", ADMIN)).status).toBe(404);
    } finally {
      without.close();
    }
  });

  it("checks `privileged` in the config: an array of known role names", async () => {
    expect(() =>
      createHandler({
        models: createModels(),
        access: { roles: { admin: { "*": "*" } }, privileged: ["root"] },
      }),
    ).toThrow(/privileged\[0\] names role "root"/);
    const parsed = await parseServerConfig({
      access: { roles: { admin: { "*": "*" } }, privileged: ["admin"] },
    });
    expect(parsed.access.privileged).toEqual(["admin"]);
    await expect(
      parseServerConfig({ access: { roles: { admin: { "*": "*" } }, privileged: "admin" } }),
    ).rejects.toMatchObject({ code: "SERVER_CONFIG" });
  });
});
