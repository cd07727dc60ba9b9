/** Which database the migrate commands name: password hidden, source, local or not, exists or not. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  databaseTarget,
  describeTarget,
  redactDatabaseUrl,
} from "../../../src/cli/commands/migrate-database.js";
import { Writable } from "node:stream";
import { main } from "../../../src/cli/index.js";
import { loadConfig } from "../../../src/compiler/index.js";
import { tempFolder } from "../../cli/run-cli.js";

describe("the database a migrate command uses", () => {
  it("hides passwords in the user info and in a password= parameter", () => {
    expect(redactDatabaseUrl("postgres://app:s3cr@t%40x@db.example.com:5432/app")).toBe(
      "postgres://app:***@db.example.com:5432/app",
    );
    expect(redactDatabaseUrl("postgresql://db.example.com/app?user=a&password=s3cret&ssl=1")).toBe(
      "postgresql://db.example.com/app?user=a&password=***&ssl=1",
    );
    expect(redactDatabaseUrl("postgres://app@localhost/app")).toBe("postgres://app@localhost/app");
    expect(redactDatabaseUrl("pglite:.perstore/db")).toBe("pglite:.perstore/db");
  });

  it("knows a local server (loopback, a Unix socket) from a remote one", async () => {
    const root = await tempFolder("perstore-target-");
    const config = await loadConfig(root, {});
    const local = (url: string) =>
      databaseTarget({ ...config, database: url }, { DATABASE_URL: url }).local;
    for (const url of [
      "postgres://u:p@localhost/app",
      "postgres://u:p@127.0.0.1:5432/app",
      "postgres://u:p@127.3.2.1/app",
      "postgres://u:p@[::1]:5432/app",
      "postgres:///app?host=/var/run/postgresql",
      "postgresql://%2Fvar%2Frun%2Fpostgresql/app",
      "pglite:/tmp/somewhere",
      "memory:",
    ])
      expect(local(url), url).toBe(true);
    for (const url of [
      "postgres://u:p@db.example.com/app",
      "postgres://u:p@10.0.0.5/app",
      "postgres://u:p@127.0.0.1.example.com/app",
      "postgres:///app?host=db.internal",
    ])
      expect(local(url), url).toBe(false);
  });

  it("names where the URL came from, and whether an embedded folder exists yet", async () => {
    const root = await tempFolder("perstore-target-");
    const byDefault = databaseTarget(await loadConfig(root, {}), {});
    expect(byDefault).toMatchObject({
      source: "default",
      kind: "pglite",
      url: `pglite:${join(root, ".perstore/db")}`,
      exists: false,
    });
    expect(describeTarget(byDefault, root)).toBe(
      "embedded PGlite folder .perstore/db (the default), not created yet",
    );
    await writeFile(join(root, "perstore.config.json"), '{ "database": "pglite:data/db" }');
    await mkdir(join(root, "data/db"), { recursive: true });
    const empty = databaseTarget(await loadConfig(root, {}), {});
    expect(empty).toMatchObject({ source: "config", exists: false }); // a folder without a database
    await writeFile(join(root, "data/db/PG_VERSION"), "17\n");
    const configured = databaseTarget(await loadConfig(root, {}), {});
    expect(describeTarget(configured, root)).toBe(
      'embedded PGlite folder data/db (from perstore.config.json "database")',
    );
    const env = { DATABASE_URL: "postgres://app:s3cret@db.example.com/app" };
    const fromEnv = databaseTarget(await loadConfig(root, env), env);
    expect(describeTarget(fromEnv, root)).toBe(
      "postgres://app:***@db.example.com/app (from DATABASE_URL)",
    );
    expect(fromEnv).toMatchObject({ kind: "postgres", local: false, exists: true });
  });

  it("shows a spinner on a terminal's stderr while the database starts, nothing elsewhere (one PGlite start)", async () => {
    const root = await tempFolder("perstore-target-");
    await mkdir(join(root, "schemas"));
    await writeFile(
      join(root, "schemas/note.schema.json"),
      '{ "title": "Note", "type": "object", "properties": { "id": { "type": "string", "format": "uuid" } } }',
    );
    await writeFile(join(root, "perstore.config.json"), '{ "database": "memory:" }');
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const run = async (isTTY: boolean) => {
        let stdout = "";
        let stderr = "";
        const sink = (append: (s: string) => void) =>
          Object.assign(
            new Writable({
              write(chunk, _encoding, done) {
                append(String(chunk));
                done();
              },
            }),
            { isTTY },
          );
        const code = await main(["migrate", "status"], {
          cwd: root,
          stdout: sink((s) => (stdout += s)),
          stderr: sink((s) => (stderr += s)),
          env: { NO_COLOR: "1" },
        });
        return { code, stdout, stderr };
      };
      const terminal = await run(true);
      expect(terminal.code).toBe(0);
      expect(terminal.stderr).toContain("starting the embedded database");
      expect(terminal.stderr.endsWith("\r\x1b[K")).toBe(true); // the line is cleared once it has started
      expect(terminal.stdout).toContain("database: embedded PGlite in memory");
      // Off a terminal nothing is printed: the workflow tests check status's stderr is empty.
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  }, 120_000);
});
