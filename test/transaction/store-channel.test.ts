import { describe, expect, it } from "vitest";
import { MemoryStore, storeChannel, type Id, type Store } from "perstore";

type R = { id?: Id; name?: string; n?: number; createdBy?: string };

describe("storeChannel", () => {
  it("commits a memory store into another store in every mode", async () => {
    const remote = new MemoryStore<R>({
      data: [
        { id: 1, name: "one" },
        { id: 2, name: "two" },
      ],
    });
    const local = new MemoryStore<R>({ channel: storeChannel(remote) });
    await local.load();
    expect([...local.find()]).toEqual([...remote.find()]);
    local.insert([{ id: 3, name: "three" }]);
    local.update({ n: 1 }, "id=1");
    local.delete(2);
    await local.commit({ mode: "condensed" });
    expect([...remote.find()]).toEqual([
      { id: 1, name: "one", n: 1 },
      { id: 3, name: "three" },
    ]);
    local.removeAll();
    local.insert([{ id: 9 }]);
    await local.commit({ mode: "update" });
    expect([...remote.find()]).toEqual([{ id: 9 }]);
    local.insert([{ id: 10 }]);
    await local.commit({ mode: "replace" });
    expect([...remote.find()]).toEqual([{ id: 9 }, { id: 10 }]);
  });

  it("returns assigned ids and server values, which the committing store applies", async () => {
    // A target store that assigns its own ids and stamps records, like a database would.
    const inner = new MemoryStore<R>();
    let next = 100;
    const target: Store<R> = {
      idProperty: "id",
      get: (id) => inner.get(id),
      add: (record) => inner.add({ ...record, id: next++, createdBy: "server" }),
      put: (record, options) => inner.put(record, options),
      delete: (id) => inner.delete(id),
      query: (q, o) => inner.query(q, o),
    };
    const local = new MemoryStore<R>({ channel: storeChannel(target), indexes: ["name"] });
    local.insert([{ id: "tmp", name: "x" }]);
    await local.commit();
    expect([...local.find()]).toEqual([{ id: 100, name: "x", createdBy: "server" }]);
    expect(local.find("name=x").map((r) => r.id)).toEqual([100]);
  });

  it("applies a change set atomically inside the target's transaction", async () => {
    const remote = new MemoryStore<R>({ data: [{ id: 1 }] });
    const local = new MemoryStore<R>({ channel: storeChannel(remote) });
    local.insert([{ id: 2 }, { id: 1 }]); // id 2 is new remotely, id 1 conflicts there
    await expect(local.commit()).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    expect([...remote.find()]).toEqual([{ id: 1 }]);
    expect(remote.journal).toHaveLength(0);
    expect(local.journal).toHaveLength(1);
  });
});
