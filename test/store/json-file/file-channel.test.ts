/**
 * A MemoryStore committing into a JsonFileStore through `storeChannel`, on
 * both file formats: journal, `reject(n)`, every commit mode, and a failed
 * commit that leaves file, data and journal as they were. The file is read
 * back by a fresh instance each time.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonFileStore, MemoryStore, storeChannel, type Id } from "../../../src/index.js";

type R = { id: Id; name?: string; n?: number };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "perstore-file-channel-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const format of ["log", "json"] as const) {
  describe(`a memory store committing into a JsonFileStore (format ${format})`, () => {
    const path = () => join(dir, "data");
    const file = () => new JsonFileStore<R>({ path: path(), format });
    const onDisk = async () => [...((await file().query("sort(+id)")) as R[])];

    it("keeps the journal, rejects entries and commits in every mode", async () => {
      await file().put({ id: 1, name: "one" });
      await file().put({ id: 2, name: "two" });
      const local = new MemoryStore<R>({ channel: storeChannel(file()) });
      await local.load();
      expect([...local.find()]).toEqual(await onDisk());
      local.insert([{ id: 3, name: "three" }]);
      local.update({ n: 1 }, "id=1");
      local.delete(2);
      local.insert([{ id: 4 }]);
      expect(local.journal.map((e) => e.type)).toEqual(["add", "change", "remove", "add"]);
      expect(local.reject(1)).toBe(1);
      await local.commit({ mode: "condensed" });
      expect(local.journal).toEqual([]);
      expect(await onDisk()).toEqual([
        { id: 1, name: "one", n: 1 },
        { id: 3, name: "three" },
      ]);
      local.removeAll();
      local.insert([{ id: 9 }]);
      await local.commit({ mode: "update" });
      expect(await onDisk()).toEqual([{ id: 9 }]);
      local.insert([{ id: 10 }]);
      await local.commit({ mode: "replace" });
      expect(await onDisk()).toEqual([{ id: 9 }, { id: 10 }]);
    });

    it("leaves file, data and journal as they were when a commit fails", async () => {
      await file().put({ id: 1, name: "taken" });
      const before = await readFile(path(), "utf8");
      const local = new MemoryStore<R>({ channel: storeChannel(file()) });
      local.insert([{ id: 2 }]);
      local.insert([{ id: 1, name: "again" }]); // conflicts in the file
      const journal = local.journal;
      await expect(local.commit({ mode: "update" })).rejects.toMatchObject({
        code: "STORE_CONFLICT",
      });
      expect(local.journal).toEqual(journal);
      expect(await readFile(path(), "utf8")).toBe(before);
      expect(await onDisk()).toEqual([{ id: 1, name: "taken" }]);
    });
  });
}
