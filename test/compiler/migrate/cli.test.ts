/**
 * `perstore migrate` end to end on one copy of the example project and its
 * embedded PGlite folder, shared by the tests below in order (a PGlite folder's
 * first start takes many seconds on a loaded machine: it happens once, in the
 * first test). Commands run in-process, except where two real processes are
 * the point.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempFolder } from "../../cli/run-cli.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const TSX = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
const CLI = join(REPO, "src/cli/index.ts");
/** Generous: a PGlite first start alone has taken 35 s on the shared 2-core machine. */
const PROCESS_TIMEOUT = 240_000;

interface ProcessRun {
  readonly pid: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx <src/cli/index.ts> ...argv` in `cwd`. */
function spawnNode(cwd: string, argv: readonly string[]) {
  const env = { ...process.env };
  delete env.DATABASE_URL; // the project's own embedded database
  const child = spawn(process.execPath, ["--import", TSX, ...argv], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const done = new Promise<ProcessRun>((resolve) =>
    child.on("exit", (code) => resolve({ pid: child.pid!, code, stdout, stderr })),
  );
  return { child, done, stdout: () => stdout };
}

describe("perstore migrate (one copy of the example project, embedded PGlite)", () => {
  let root: string;
  const saved = process.env.DATABASE_URL;
  const lockFile = () => join(root, ".perstore/db/perstore.lock");
  const migrate = (...argv: string[]) => runCli(root, ["migrate", ...argv]);

  beforeAll(async () => {
    delete process.env.DATABASE_URL; // the project's own embedded database
    root = await tempFolder("perstore-migrate-cli-");
    await cp(join(REPO, "schemas"), join(root, "schemas"), { recursive: true });
    await writeFile(
      join(root, "perstore.config.json"),
      JSON.stringify({ database: "pglite:.perstore/db", prettier: false }),
    );
    const init = await migrate("create", "init");
    expect(init).toMatchObject({ code: 0, stderr: "" });
    expect(init.stdout).toMatch(/wrote generated\/migrations\/\d{14}_[0-9a-f]{8}_init\.sql/);
    expect(init.stdout).toContain(
      'destructive down (needs --allow-destructive to revert): drops table "author" and all its rows',
    );
  }, PROCESS_TIMEOUT);
  afterAll(() => {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  });

  it(
    "two `migrate up` processes at once on a new folder: one applies, the other fails at once naming it",
    async () => {
      const [a, b] = await Promise.all([
        spawnNode(root, [CLI, "migrate", "up"]).done,
        spawnNode(root, [CLI, "migrate", "up"]).done,
      ]);
      const applied = [a, b].filter(
        (r) => r.code === 0 && r.stdout.includes("applied 1 migration"),
      );
      expect(applied, JSON.stringify([a, b])).toHaveLength(1);
      const winner = applied[0]!;
      const other = winner === a ? b : a;
      if (other.code === 0) {
        // It started after the first had finished: nothing left to do.
        expect(other.stdout).toContain("the database is up to date");
      } else {
        expect(other.code).toBe(1);
        expect(other.stdout).toMatch(/^database: embedded PGlite folder [^\n]*\n$/); // and nothing applied
        expect(other.stderr).toContain(`is in use by process ${winner.pid};`);
        expect(other.stderr).toContain("[STORE_LOCKED]");
      }
      expect(existsSync(lockFile())).toBe(false); // released on exit
      const status = await migrate("status");
      expect(status).toMatchObject({ code: 0, stderr: "" });
      expect(status.stdout).toMatch(/^ {2}applied .*_init/m);
      expect(status.stdout).toContain("0 pending");
    },
    PROCESS_TIMEOUT,
  );

  it(
    "a process holding the folder refuses others; killed with SIGKILL, the next command takes over at once",
    async () => {
      const url = pathToFileURL(join(REPO, "src/store/sql/open-database.ts")).href;
      const holder = spawnNode(root, [
        "--input-type=module",
        "-e",
        `import { openDatabase } from ${JSON.stringify(url)};
         const db = openDatabase(${JSON.stringify(`pglite:${join(root, ".perstore/db")}`)});
         await db.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
         console.log("ready");
         setInterval(() => {}, 1000);`,
      ]);
      try {
        while (!holder.stdout().includes("ready")) {
          const exited = await Promise.race([
            holder.done,
            new Promise((resolve) => setTimeout(resolve, 100)),
          ]);
          if (exited !== undefined) throw new Error(`holder exited: ${JSON.stringify(exited)}`);
        }
        const refused = await migrate("status");
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`is in use by process ${holder.child.pid};`);
        expect(refused.stderr).toContain("[STORE_LOCKED]");
      } finally {
        holder.child.kill("SIGKILL");
      }
      expect((await holder.done).code).toBe(null);
      expect(existsSync(lockFile())).toBe(true); // left behind by the killed holder
      const status = await migrate("status");
      expect(status).toMatchObject({ code: 0, stderr: "" });
      expect(status.stdout).toContain("0 pending");
    },
    PROCESS_TIMEOUT,
  );

  it(
    "create with a rename and a refused destructive change, up, then down: count and destructive guards",
    async () => {
      expect(await migrate("create", "again")).toMatchObject({
        code: 0,
        stdout: "no schema changes since the last migration; nothing written\n",
      });
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

      const refused = await migrate("create", "tidy");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('drops column "company"."tags" and its data');
      expect(refused.stderr).toContain("[MIGRATION_DESTRUCTIVE]");
      const sqlFiles = async () =>
        (await readdir(join(root, "generated/migrations"))).filter((f) => f.endsWith(".sql"));
      expect(await sqlFiles()).toHaveLength(1);

      const tidy = await migrate("create", "tidy", "--allow-destructive");
      expect(tidy.code).toBe(0);
      expect(tidy.stdout).toContain(
        'destructive (allowed): drops column "company"."tags" and its data',
      );
      const file = (await sqlFiles()).find((f) => f.endsWith("_tidy.sql"))!;
      const text = await readFile(join(root, "generated/migrations", file), "utf8");
      expect(text).toContain(`alter table "review" rename column "body" to "text";`);
      expect(text).toContain("-- destructive down: none"); // its down part adds the column back

      expect(await migrate("up")).toMatchObject({
        code: 0,
        stdout: `database: embedded PGlite folder .perstore/db (from perstore.config.json "database")\n  applied ${file}\napplied 1 migration\n`,
      });

      // More than are applied: an error, and nothing reverted.
      const tooMany = await migrate("down", "5");
      expect(tooMany.code).toBe(1);
      expect(tooMany.stderr).toBe(
        "perstore migrate down: cannot revert 5 migrations: only 2 are applied; nothing was reverted [MIGRATION_DOWN_TOO_MANY]\n",
      );
      // Reverting init would drop every table and its rows: refused without --allow-destructive.
      const destructive = await migrate("down", "2");
      expect(destructive.code).toBe(1);
      expect(destructive.stderr).toContain('_init.sql: drops table "book" and all its rows');
      expect(destructive.stderr).toContain("[MIGRATION_DESTRUCTIVE]");

      expect(await migrate("down")).toMatchObject({
        code: 0,
        stdout: `database: embedded PGlite folder .perstore/db (from perstore.config.json "database")\n  reverted ${file}\nreverted 1 migration\n`,
      });
      // Only init is left (each command opens PGlite again: status is left out to keep this lean).
      // With the flag, init's down part runs: every table goes.
      const all = await migrate("down", "--allow-destructive");
      expect(all).toMatchObject({ code: 0, stderr: "" });
      expect(all.stdout).toMatch(
        /^database: embedded PGlite folder \.perstore\/db \(from perstore\.config\.json "database"\)\n {2}reverted \d{14}_[0-9a-f]{8}_init\.sql\nreverted 1 migration\n$/,
      );
    },
    PROCESS_TIMEOUT,
  );

  it("rejects bad usage with exit code 2", async () => {
    expect((await migrate()).code).toBe(2);
    expect((await migrate("sideways")).code).toBe(2);
    expect((await migrate("up", "--allow-destructive")).code).toBe(2);
    expect((await migrate("down", "0")).code).toBe(2);
  });
});
