import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { watchBuild } from "../../src/cli/commands/build.js";
import { compile, type SessionBuildResult } from "perstore/compiler";
import { tempFolder } from "./run-cli.js";

const schema = (title: string, maxLength: number, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ title, type: "object", properties: { id: { type: "string" }, name: { type: "string", maxLength }, noteId: { type: "string" } }, required: ["id"], ...extra }, null, 2)}\n`;

describe("perstore build --watch", () => {
  it("rebuilds only the models a change affects, then stops when asked", async () => {
    const dir = await tempFolder("perstore-watch-");
    await mkdir(join(dir, "schemas"));
    await writeFile(join(dir, "perstore.config.json"), "{}\n");
    await writeFile(join(dir, "schemas/note.schema.json"), schema("Note", 200));
    await writeFile(
      join(dir, "schemas/tag.schema.json"),
      schema("Tag", 40, { links: [{ rel: "note", href: "Note/{noteId}" }] }),
    );
    let out = "";
    const io = {
      cwd: dir,
      stdout: new Writable({
        write(c, _e, cb) {
          out += String(c);
          cb();
        },
      }),
      stderr: new Writable({
        write(c, _e, cb) {
          out += String(c);
          cb();
        },
      }),
    };

    const stop = new AbortController();
    const rebuilds: (SessionBuildResult | undefined)[] = [];
    let rebuilt: () => void = () => {};
    const watching = watchBuild(io, {
      signal: stop.signal,
      debounceMs: 20,
      onRebuild: (result) => {
        rebuilds.push(result);
        rebuilt();
      },
    });
    try {
      // The first build is done once the watch has started.
      for (let i = 0; i < 200 && !out.includes("watching schemas/"); i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/compiled 2 models: \d+ files written/);
      // Whatever form the validator takes (.js with .d.ts, or .ts): every file of Tag's.
      const tagFiles = (await readdir(join(dir, "generated"))).filter((f) => f.startsWith("tag."));
      expect(tagFiles.length).toBeGreaterThanOrEqual(3);
      const before = await Promise.all(
        tagFiles.map(async (f) => (await stat(join(dir, "generated", f))).mtimeMs),
      );

      const next = new Promise<void>((resolve) => (rebuilt = resolve));
      await writeFile(join(dir, "schemas/note.schema.json"), schema("Note", 120));
      await next;
      const result = rebuilds.at(-1)!;
      expect(result.emittedModels).toEqual(["Note"]);
      expect(result.written.some((f) => f.startsWith("note.validator."))).toBe(true);
      // Note's own files and project-level files (index.ts, db.ts, ...), nothing of Tag's.
      expect(result.written.filter((file) => file.startsWith("tag."))).toEqual([]);
      expect(result.written).toContain("note.ts");
      const after = await Promise.all(
        tagFiles.map(async (f) => (await stat(join(dir, "generated", f))).mtimeMs),
      );
      expect(after).toEqual(before);
      expect(out).toMatch(/rebuilt 1 of 2 models \(Note\)/);
      // What the watch wrote is what a fresh build writes.
      const fresh = await compile({ root: dir });
      for (const file of fresh.files)
        expect(await readFile(join(dir, "generated", file.path), "utf8"), file.path).toBe(
          file.contents,
        );
    } finally {
      stop.abort();
    }
    expect(await watching, out).toBe(0);
    // Stopped: a change now triggers nothing.
    const count = rebuilds.length;
    await writeFile(join(dir, "schemas/tag.schema.json"), schema("Tag", 41));
    await new Promise((r) => setTimeout(r, 150));
    expect(rebuilds.length).toBe(count);
  });
});
