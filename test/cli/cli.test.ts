import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { describeThrown, main, type Command } from "../../src/cli/index.js";
import { StoreError } from "../../src/errors/index.js";
import { runCli, tempFolder } from "./run-cli.js";

function io(cwd: string) {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  return {
    io: { cwd, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) },
    out: () => out,
    err: () => err,
  };
}

describe("perstore CLI", () => {
  it("init, build, build again (unchanged), --check, stale --check, diagnostics", async () => {
    const dir = await tempFolder("perstore-cli-");
    const a = io(dir);
    expect(await main(["init"], a.io)).toBe(0);
    expect(a.out()).toContain("created perstore.config.json");

    const b = io(dir);
    expect(await main(["build"], b.io)).toBe(0);
    expect(b.out()).toMatch(/compiled 1 model: \d+ files written, 0 unchanged/);
    expect(await readFile(join(dir, "generated/note.ts"), "utf8")).toContain("export class Note");

    const c = io(dir);
    expect(await main(["build"], c.io)).toBe(0);
    expect(c.out()).toMatch(/0 files written, \d+ unchanged/);

    expect(await main(["build", "--check"], io(dir).io)).toBe(0);
    const schema = join(dir, "schemas/note.schema.json");
    await writeFile(
      schema,
      (await readFile(schema, "utf8")).replace('"maxLength": 200', '"maxLength": 100'),
    );
    const d = io(dir);
    expect(await main(["build", "--check"], d.io)).toBe(1);
    expect(d.err()).toMatch(/note\.validator\.(js|ts)/);
    const validator = (await readdir(join(dir, "generated"))).find((f) =>
      /^note\.validator\.[jt]s$/.test(f),
    )!;
    expect(await readFile(join(dir, "generated", validator), "utf8")).not.toContain("100");

    await writeFile(
      schema,
      '{ "title": "Note", "type": "object", "properties": { "id": {"type":"string"} }, "queries": { "q": "eq(nope,1)" } }',
    );
    const e = io(dir);
    expect(await main(["build"], e.io)).toBe(1);
    expect(e.err()).toContain("SCHEMA_QUERY_UNKNOWN_PROPERTY");
  });

  it("prints help for the CLI and every command; rejects unknown commands", async () => {
    const h = io(tmpdir());
    expect(await main(["--help"], h.io)).toBe(0);
    expect(h.out()).toContain("build");
    for (const command of ["init", "build"]) {
      const x = io(tmpdir());
      expect(await main([command, "--help"], x.io)).toBe(0);
      expect(x.out()).toContain(`Usage: perstore ${command}`);
    }
    expect(await main(["nope"], io(tmpdir()).io)).toBe(2);
  });
});

describe("perstore init and stale output", () => {
  it("init adds .perstore/ to .gitignore (created when missing), once", async () => {
    const fresh = await tempFolder("perstore-init-");
    const a = io(fresh);
    expect(await main(["init"], a.io)).toBe(0);
    expect(a.out()).toContain("created .gitignore");
    expect(await readFile(join(fresh, ".gitignore"), "utf8")).toBe(".perstore/\n");

    const existing = await tempFolder("perstore-init-");
    await writeFile(join(existing, ".gitignore"), "node_modules");
    expect(await main(["init"], io(existing).io)).toBe(0);
    expect(await readFile(join(existing, ".gitignore"), "utf8")).toBe("node_modules\n.perstore/\n");
    const again = io(existing);
    expect(await main(["init"], again.io)).toBe(0);
    expect(again.out()).not.toContain(".gitignore");
    expect(await readFile(join(existing, ".gitignore"), "utf8")).toBe("node_modules\n.perstore/\n");
  });

  it("build removes the output of a deleted schema (only generated files); --check reports it", async () => {
    const dir = await tempFolder("perstore-stale-");
    await main(["init"], io(dir).io);
    const tag =
      '{ "title": "Tag", "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] }\n';
    await writeFile(join(dir, "schemas/tag.schema.json"), tag);
    expect(await main(["build"], io(dir).io)).toBe(0);
    expect(await readdir(join(dir, "generated"))).toContain("tag.ts");
    await writeFile(join(dir, "generated/notes.md"), "mine\n");
    await rm(join(dir, "schemas/tag.schema.json"));

    const check = io(dir);
    expect(await main(["build", "--check"], check.io)).toBe(1);
    expect(check.err()).toContain("tag.ts (no longer generated)");
    expect(await readdir(join(dir, "generated"))).toContain("tag.ts");

    const b = io(dir);
    expect(await main(["build"], b.io)).toBe(0);
    expect(b.out()).toContain("removed generated/tag.ts");
    expect(b.out()).toMatch(/, [34] removed \(/); // tag.ts, tag.types.ts and its validator (.js + .d.ts, or .ts)
    const left = await readdir(join(dir, "generated"));
    expect(left.filter((f) => f.startsWith("tag."))).toEqual([]);
    expect(left).toContain("notes.md");
    expect(left).toContain("note.ts");
    expect(await main(["build", "--check"], io(dir).io)).toBe(0);
  });
});

describe("perstore build: configuration errors", () => {
  it("a missing schemas folder and a bad config value are coded, located diagnostics", async () => {
    const dir = await tempFolder("perstore-config-");
    const a = io(dir);
    expect(await main(["build"], a.io)).toBe(1);
    expect(a.err()).toContain("the schemas folder schemas/ does not exist");
    expect(a.err()).toContain("[CONFIG_NO_SCHEMAS]");

    await writeFile(join(dir, "perstore.config.json"), '{\n  "out": "gen",\n  "schemas": 3\n}\n');
    const b = io(dir);
    expect(await main(["build"], b.io)).toBe(1);
    expect(b.err()).toContain(
      'perstore.config.json:3:3 /schemas: "schemas" must be a non-empty string [CONFIG_INVALID]',
    );
  });
});

describe("perstore: what a command throws", () => {
  const throwing = (value: unknown): Command => ({
    name: "boom",
    summary: "throws",
    description: "",
    options: {},
    load: async () => () => Promise.reject(value),
  });

  it("prints the message or JSON of a non-Error throw, never [object Object], and exits 1", async () => {
    const cases: [unknown, string][] = [
      [{ message: "Aborted()", status: 1 }, "perstore boom: Aborted()\n"],
      [
        { status: 3, detail: ["x"] },
        'perstore boom: non-Error thrown: {"status":3,"detail":["x"]}\n',
      ],
      ["plain text", "perstore boom: plain text\n"],
      [
        new StoreError("STORE_LOCKED", "in use by process 7"),
        "perstore boom: in use by process 7 [STORE_LOCKED]\n",
      ],
      [
        Object.assign(new Error("disk full"), { code: "ENOSPC" }),
        "perstore boom: disk full [ENOSPC]\n",
      ],
    ];
    for (const [thrown, printed] of cases) {
      const run = await runCli(tmpdir(), ["boom"], [throwing(thrown)]);
      expect(run).toEqual({ code: 1, stdout: "", stderr: printed });
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeThrown(cyclic)).toBe("non-Error thrown: [Object that cannot be shown as JSON]");
    expect(describeThrown(undefined)).toBe("non-Error thrown: undefined");
    expect(describeThrown(12n)).toBe('non-Error thrown: "12n"');
  });
});
