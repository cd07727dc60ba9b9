/**
 * The migrations workflow as a user runs it, through the CLI (in-process):
 * `migrate status` names its database, creates none, and reports drift (schema
 * changes without a migration, edited or missing applied migrations) with
 * --exit-code and --json; `migrate create` rebuilds generated/; `create
 * --empty`; `perstore seed`; `migrate reset` and its guard. One project per
 * database, its tests in order: embedded PGlite always, and a fresh database on
 * the PostgreSQL server (dropped afterwards) when DATABASE_URL is set.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, symlink, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/store/sql/open-database.js";
import { runCli, tempFolder } from "../../cli/run-cli.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
/** Generous: a PGlite folder's first start has taken 35 s on the shared 2-core machine. */
const SLOW = 240_000;
const serverUrl = process.env.DATABASE_URL;

const NOTE_SCHEMA = {
  title: "Note",
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    title: { type: "string", maxLength: 200 },
  },
  required: ["id", "title"],
  additionalProperties: false,
};

/** Seeds one note through the project's models, and counts what the database held before. */
const SEED = `
export default async function seed({ db, models }) {
  await models.Note.create({ id: "00000000-0000-4000-8000-000000000001", title: "seeded" });
}
`;

interface Target {
  readonly name: string;
  /** The config's "database", or undefined to use DATABASE_URL. */
  readonly configDatabase?: string;
  /** Sets up the database; returns DATABASE_URL for the commands (or undefined) and a cleanup. */
  setup(): Promise<{ env?: string; cleanup(): Promise<void> }>;
}

const TARGETS: Target[] = [
  {
    name: "embedded PGlite",
    configDatabase: "pglite:.perstore/db",
    async setup() {
      return { async cleanup() {} };
    },
  },
  ...(serverUrl?.startsWith("postgres") === true
    ? [
        {
          name: "the PostgreSQL server",
          async setup() {
            const name = `perstore_wf_${randomBytes(6).toString("hex")}`;
            const admin = new pg.Client({ connectionString: serverUrl });
            await admin.connect();
            await admin.query(`create database "${name}"`);
            const url = new URL(serverUrl);
            url.pathname = `/${name}`;
            return {
              env: url.toString(),
              async cleanup() {
                await admin.query(`drop database if exists "${name}" with (force)`);
                await admin.end();
              },
            };
          },
        },
      ]
    : []),
];

for (const target of TARGETS) {
  describe(`the migrations workflow through the CLI on ${target.name}`, () => {
    let root: string;
    let env: string | undefined;
    let cleanup: () => Promise<void> = async () => {};
    const saved = process.env.DATABASE_URL;
    const run = (...argv: string[]) => runCli(root, argv);
    const notesFile = () => join(root, "schemas/note.schema.json");
    const migrationsDir = () => join(root, "generated/migrations");
    /** Runs `fn` on the project's database (the CLI has released it). */
    async function query<T>(fn: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
      const db = openDatabase(env ?? `pglite:${join(root, ".perstore/db")}`);
      try {
        return await fn(db);
      } finally {
        await db.destroy();
      }
    }
    const noteTitles = () =>
      query(async (db) =>
        (
          await sql<{ title: string }>`select "title" from "note" order by "title"`.execute(db)
        ).rows.map((r) => r.title),
      );
    async function changeSchema(extra: Record<string, unknown>): Promise<void> {
      const schema = JSON.parse(await readFile(notesFile(), "utf8"));
      schema.properties = { ...schema.properties, ...extra };
      await writeFile(notesFile(), JSON.stringify(schema, null, 2));
    }

    beforeAll(async () => {
      const set = await target.setup();
      env = set.env;
      cleanup = set.cleanup;
      if (env === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = env;
      root = await tempFolder("perstore-migrate-workflow-");
      // The seed and the generated models load through the repository's tsx and packages.
      await symlink(join(REPO, "node_modules"), join(root, "node_modules"), "dir");
      await mkdir(join(root, "schemas"));
      await writeFile(notesFile(), JSON.stringify(NOTE_SCHEMA, null, 2));
      await writeFile(join(root, "seed.ts"), SEED);
      await writeFile(
        join(root, "perstore.config.json"),
        JSON.stringify({
          ...(target.configDatabase === undefined ? {} : { database: target.configDatabase }),
          prettier: false,
          seed: "seed.ts",
        }),
      );
      const init = await run("migrate", "create", "init");
      expect(init).toMatchObject({ code: 0, stderr: "" });
      expect(init.stdout).toMatch(/wrote generated\/migrations\/\d{14}_[0-9a-f]{8}_init\.sql/);
      expect(init.stdout).toMatch(/rebuilt generated\/: \d+ files written/);
    }, SLOW);
    afterAll(async () => {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      await cleanup();
    });

    it(
      "status before any migration is applied: names the database, creates nothing, lists what is pending",
      async () => {
        const status = await run("migrate", "status");
        expect(status).toMatchObject({ code: 0, stderr: "" });
        if (env === undefined) {
          expect(status.stdout).toContain(
            'database: embedded PGlite folder .perstore/db (from perstore.config.json "database"), not created yet\n',
          );
          expect(status.stdout).toContain("1 pending (`perstore migrate up` creates the database)");
          expect(existsSync(join(root, ".perstore/db"))).toBe(false);
        } else {
          const shown = env.replace(/:[^:@/]*@/, ":***@");
          expect(status.stdout).toContain(`database: ${shown} (from DATABASE_URL)\n`);
          expect(status.stdout).toContain("1 pending\n");
          const tables = await query(
            async (db) =>
              (await sql`select 1 from pg_tables where schemaname = current_schema()`.execute(db))
                .rows,
          );
          expect(tables).toEqual([]); // not even perstore_migrations
        }
        expect(status.stdout).toMatch(/^ {2}pending {2}\d{14}_[0-9a-f]{8}_init$/m);
        // For CI: anything pending is a failure with --exit-code.
        expect((await run("migrate", "status", "--exit-code")).code).toBe(1);
        const json = await run("migrate", "status", "--json");
        expect(json.code).toBe(0);
        const report = JSON.parse(json.stdout);
        expect(report).toMatchObject({
          ok: true,
          database: {
            source: env === undefined ? "config" : "DATABASE_URL",
            kind: env === undefined ? "pglite" : "postgres",
            exists: env !== undefined,
            local: true,
          },
          schemaChanges: [],
          problems: [],
          upToDate: false,
        });
        expect(report.pending).toHaveLength(1);
        if (env === undefined) expect(existsSync(join(root, ".perstore/db"))).toBe(false);
      },
      SLOW,
    );

    it(
      "after up, status is clean and --exit-code exits 0",
      async () => {
        expect((await run("migrate", "up")).code).toBe(0);
        const status = await run("migrate", "status", "--exit-code");
        expect(status).toMatchObject({ code: 0, stderr: "" });
        expect(status.stdout).toMatch(/^ {2}applied {2}\d{14}_[0-9a-f]{8}_init {2}\(applied /m);
        expect(status.stdout).toContain("0 pending\n");
        if (env === undefined) expect(status.stdout).not.toContain("not created yet");
      },
      SLOW,
    );

    it(
      "a schema changed and built without `migrate create`: status names the change instead of a clean '0 pending'",
      async () => {
        await changeSchema({ pinned: { type: "boolean" } });
        expect((await run("build")).code).toBe(0);
        const status = await run("migrate", "status");
        expect(status.code).toBe(0);
        expect(status.stdout).toContain(
          "the schemas differ from the last migration's snapshot (generated/migrations/snapshot.json); run `perstore migrate create <name>` for:\n" +
            '  adds column "note"."pinned"\n',
        );
        expect((await run("migrate", "status", "--exit-code")).code).toBe(1);
        const json = await run("migrate", "status", "--json", "--exit-code");
        expect(json.code).toBe(1);
        const report = JSON.parse(json.stdout);
        expect(report).toMatchObject({
          ok: false, // as the exit code says
          pending: [],
          schemaChanges: ['adds column "note"."pinned"'],
          upToDate: false,
        });
      },
      SLOW,
    );

    it(
      "migrate create rebuilds generated/, so `build --check` passes right after",
      async () => {
        await changeSchema({ rank: { type: "integer" } }); // not built
        expect((await run("build", "--check")).code).toBe(1);
        const created = await run("migrate", "create", "pinned_rank");
        expect(created).toMatchObject({ code: 0, stderr: "" });
        expect(created.stdout).toMatch(
          /wrote generated\/migrations\/\d{14}_[0-9a-f]{8}_pinned_rank\.sql \(2 steps\)/,
        );
        expect(created.stdout).toMatch(/rebuilt generated\/: [1-9]\d* files? written/);
        expect(await run("build", "--check")).toMatchObject({ code: 0, stderr: "" });
        const status = await run("migrate", "status", "--exit-code");
        expect(status.code).toBe(1); // pending, but the schemas agree with the last migration now
        expect(status.stdout).not.toContain("the schemas differ");
        expect(status.stdout).toContain("1 pending\n");
        expect((await run("migrate", "up")).code).toBe(0);
        expect((await run("migrate", "status", "--exit-code")).code).toBe(0);
      },
      SLOW,
    );

    it(
      "applied migrations that differ from the files: edited (by checksum) and missing are problems, exit 1",
      async () => {
        const initFile = (await readdir(migrationsDir())).find((f) => f.endsWith("_init.sql"))!;
        const path = join(migrationsDir(), initFile);
        const text = await readFile(path, "utf8");
        await writeFile(path, `${text}-- an afterthought\n`);
        const edited = await run("migrate", "status");
        expect(edited.code).toBe(1);
        expect(edited.stderr).toContain(
          `problem: ${initFile.replace(/_init\.sql$/, "")} was edited after it was applied (checksum mismatch)`,
        );
        expect(edited.stdout).toMatch(/^ {2}edited {3}\d{14}_[0-9a-f]{8}_init/m);
        await writeFile(path, text);
        await rename(path, `${path}.away`);
        try {
          const missing = await run("migrate", "status", "--json");
          expect(missing.code).toBe(1);
          const report = JSON.parse(missing.stdout);
          expect(report.problems).toEqual([
            expect.objectContaining({
              kind: "missing",
              message: expect.stringContaining(
                "is applied but has no file in generated/migrations",
              ),
            }),
            // the next migration now follows one that is not in the line of history
            expect.objectContaining({ kind: "parallel" }),
          ]);
        } finally {
          await rename(`${path}.away`, path);
        }
        expect((await run("migrate", "status")).code).toBe(0);
      },
      SLOW,
    );

    it(
      "create --empty writes a hand-written migration that up applies",
      async () => {
        const created = await run("migrate", "create", "--empty", "backfill");
        expect(created).toMatchObject({ code: 0, stderr: "" });
        const file = /wrote generated\/migrations\/(\d{14}_[0-9a-f]{8}_backfill\.sql)/.exec(
          created.stdout,
        )![1]!;
        const path = join(migrationsDir(), file);
        const text = await readFile(path, "utf8");
        await writeFile(
          path,
          text.replace(
            "-- down\n",
            `insert into "note" ("id", "title") values ('00000000-0000-4000-8000-0000000000b1', 'backfilled');\n-- down\n`,
          ),
        );
        const up = await run("migrate", "up");
        expect(up).toMatchObject({ code: 0, stderr: "" });
        expect(up.stdout).toMatch(/^database: .*\n/);
        expect(up.stdout).toContain(`  applied ${file}\napplied 1 migration\n`);
        expect(await noteTitles()).toEqual(["backfilled"]);
        expect((await run("migrate", "status", "--exit-code")).code).toBe(0);
      },
      SLOW,
    );

    it(
      "perstore seed runs the config's seed module; reset drops everything, re-applies and seeds again",
      async () => {
        const seeded = await run("seed");
        expect(seeded).toMatchObject({ code: 0, stderr: "" });
        expect(seeded.stdout).toContain("seeded the database with seed.ts\n");
        expect(await noteTitles()).toEqual(["backfilled", "seeded"]);
        await query((db) => sql`create table "scratch" ("x" integer)`.execute(db));

        const reset = await run("migrate", "reset");
        expect(reset).toMatchObject({ code: 0, stderr: "" });
        expect(reset.stdout).toMatch(/ {2}dropped \d+ objects/);
        expect(reset.stdout).toContain("applied 3 migrations\n");
        expect(reset.stdout).toContain("seeded the database with seed.ts\n");
        // The backfill migration ran again and the seed once: the scratch table is gone.
        expect(await noteTitles()).toEqual(["backfilled", "seeded"]);
        const scratch = await query(
          async (db) =>
            (
              await sql`select 1 from pg_tables where tablename = 'scratch' and schemaname = current_schema()`.execute(
                db,
              )
            ).rows,
        );
        expect(scratch).toEqual([]);

        const unseeded = await run("migrate", "reset", "--skip-seed");
        expect(unseeded.code).toBe(0);
        expect(unseeded.stdout).not.toContain("seeded");
        expect(await noteTitles()).toEqual(["backfilled"]);
        expect((await run("migrate", "status", "--exit-code")).code).toBe(0);
      },
      SLOW,
    );

    it(
      "seed errors: a module without a default function, and no seed in the config, change nothing",
      async () => {
        await writeFile(join(root, "bad-seed.ts"), "export const seed = 1;\n");
        const config = JSON.parse(await readFile(join(root, "perstore.config.json"), "utf8"));
        try {
          await writeFile(
            join(root, "perstore.config.json"),
            JSON.stringify({ ...config, seed: "bad-seed.ts" }),
          );
          const bad = await run("seed");
          expect(bad.code).toBe(1);
          expect(bad.stderr).toContain("bad-seed.ts must export a default function");
          expect(bad.stderr).toContain("[CLI_SEED_INVALID]");
          // reset checks the seed before dropping anything
          expect((await run("migrate", "reset")).code).toBe(1);
          expect(await noteTitles()).toEqual(["backfilled"]);
          const { seed: _none, ...withoutSeed } = config;
          await writeFile(join(root, "perstore.config.json"), JSON.stringify(withoutSeed));
          const none = await run("seed");
          expect(none.code).toBe(1);
          expect(none.stderr).toContain(
            'no seed module: add "seed": "seed.ts" to perstore.config.json',
          );
        } finally {
          await writeFile(join(root, "perstore.config.json"), JSON.stringify(config));
        }
      },
      SLOW,
    );
  });
}

describe("status, reset and usage without a database to open", () => {
  const saved = process.env.DATABASE_URL;
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it("reset refuses a remote server without --force, naming it with the password hidden", async () => {
    const root = await tempFolder("perstore-migrate-remote-");
    await mkdir(join(root, "schemas"));
    await writeFile(join(root, "schemas/note.schema.json"), JSON.stringify(NOTE_SCHEMA));
    process.env.DATABASE_URL = "postgres://app:s3cret@db.example.com:5432/app";
    const reset = await runCli(root, ["migrate", "reset"]);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain(
      "refusing to reset postgres://app:***@db.example.com:5432/app (from DATABASE_URL): it is not a local database",
    );
    expect(reset.stderr).toContain("pass --force");
    expect(reset.stderr).not.toContain("s3cret");
    expect(reset.stdout).toBe(""); // refused before connecting
  });

  it("status on a server that refuses connections names the URL's source, password hidden", async () => {
    const root = await tempFolder("perstore-migrate-unreachable-");
    await mkdir(join(root, "schemas"));
    await writeFile(join(root, "schemas/note.schema.json"), JSON.stringify(NOTE_SCHEMA));
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    process.env.DATABASE_URL = "postgres://app:s3cret@127.0.0.1:1/app";
    const status = await runCli(root, ["migrate", "status"]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(
      "cannot use the database postgres://app:***@127.0.0.1:1/app (from DATABASE_URL):",
    );
    expect(status.stderr).toContain("[CLI_DATABASE_UNREACHABLE]");
    expect(status.stderr).not.toContain("s3cret");
  });

  it("status in a new project: no migration yet, the tables a first one would create; broken schemas are a problem", async () => {
    delete process.env.DATABASE_URL;
    const root = await tempFolder("perstore-migrate-new-");
    await mkdir(join(root, "schemas"));
    await writeFile(join(root, "schemas/note.schema.json"), JSON.stringify(NOTE_SCHEMA));
    const status = await runCli(root, ["migrate", "status"]);
    expect(status).toMatchObject({ code: 0, stderr: "" });
    expect(status.stdout).toBe(
      "database: embedded PGlite folder .perstore/db (the default), not created yet\n" +
        "no migrations\n" +
        "no migration holds the schemas yet; run `perstore migrate create <name>` for:\n" +
        '  adds table "note"\n' +
        "0 pending\n",
    );
    expect(existsSync(join(root, ".perstore"))).toBe(false);
    // down has nothing to revert, and does not create the database to find that out
    const down = await runCli(root, ["migrate", "down"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(
      "does not exist, so none is applied; nothing was reverted [MIGRATION_DOWN_TOO_MANY]",
    );
    expect(existsSync(join(root, ".perstore"))).toBe(false);
    await writeFile(join(root, "schemas/note.schema.json"), '{ "title": "Note", "type": "nope" }');
    const broken = await runCli(root, ["migrate", "status", "--json"]);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).problems).toEqual([
      {
        kind: "schemas",
        message: expect.stringMatching(
          /^the schemas do not compile \(\d+ errors?; run `perstore build`\)/,
        ),
      },
    ]);
  });

  it(
    "create after merging two branches that each added a migration: refused with how to resolve it; status names the fork",
    async () => {
      delete process.env.DATABASE_URL;
      const root = await tempFolder("perstore-migrate-merge-");
      const schemaFile = join(root, "schemas/note.schema.json");
      const dir = join(root, "generated/migrations");
      const withProps = (extra: Record<string, unknown>) =>
        JSON.stringify({ ...NOTE_SCHEMA, properties: { ...NOTE_SCHEMA.properties, ...extra } });
      await mkdir(join(root, "schemas"));
      await writeFile(join(root, "perstore.config.json"), JSON.stringify({ prettier: false }));
      await writeFile(schemaFile, withProps({}));
      expect((await runCli(root, ["migrate", "create", "init"])).code).toBe(0);
      const base = await readFile(join(dir, "snapshot.json"), "utf8");
      // Branch a adds "a"; branch b, from the same point, adds "b".
      await writeFile(schemaFile, withProps({ a: { type: "integer" } }));
      expect((await runCli(root, ["migrate", "create", "add_a"])).code).toBe(0);
      const fileA = (await readdir(dir)).find((f) => f.endsWith("_add_a.sql"))!;
      const textA = await readFile(join(dir, fileA), "utf8");
      await unlink(join(dir, fileA));
      await writeFile(join(dir, "snapshot.json"), base);
      await writeFile(schemaFile, withProps({ b: { type: "integer" } }));
      expect((await runCli(root, ["migrate", "create", "add_b"])).code).toBe(0);
      // The merge: both files, both properties, the snapshot of the branch whose migration is newest.
      await writeFile(join(dir, fileA), textA);
      await writeFile(schemaFile, withProps({ a: { type: "integer" }, b: { type: "integer" } }));
      const files = (await readdir(dir)).sort();
      const refused = await runCli(root, ["migrate", "create", "next"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        "would repeat the other branch's changes; nothing was written",
      );
      expect(refused.stderr).toMatch(
        /1\. delete generated\/migrations\/\d{14}_[0-9a-f]{8}_add_[ab]\.sql/,
      );
      expect(refused.stderr).toMatch(/3\. run `perstore migrate create add_[ab]` again/);
      expect(refused.stderr).toContain("[MIGRATION_PARALLEL]");
      expect((await readdir(dir)).sort()).toEqual(files);
      const status = await runCli(root, ["migrate", "status", "--json"]);
      expect(status.code).toBe(1);
      expect(JSON.parse(status.stdout).problems).toEqual([
        expect.objectContaining({ kind: "parallel" }),
      ]);
    },
    SLOW,
  );

  it("bad usage exits 2 with one line", async () => {
    const root = await tempFolder("perstore-migrate-usage-");
    // Options belong to their action: reset's --force is unknown to status.
    const wrong = await runCli(root, ["migrate", "status", "--force"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("unknown option --force");
    expect((await runCli(root, ["migrate", "create", "--empty"])).code).toBe(2);
    expect(
      (await runCli(root, ["migrate", "create", "x", "--empty", "--allow-destructive"])).code,
    ).toBe(2);
    expect((await runCli(root, ["migrate", "reset", "now"])).code).toBe(2);
  });
});
