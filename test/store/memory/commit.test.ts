import { describe, expect, it } from "vitest";
import { MemoryStore, type Change, type ChangeSet, type Channel, type ChannelResponse, type CommitMode } from "perstore";
import { expectIndexesAgree, INDEX_QUERIES, people, snapshot, type Person } from "./helpers.js";

/** A channel that records what it receives and answers with `respond`. */
function recordingChannel(respond: (set: ChangeSet<Person>) => ChannelResponse<Person> | void = () => undefined) {
  const writes: { set: ChangeSet<Person>; mode: CommitMode }[] = [];
  const channel: Channel<Person> = {
    async write(set, mode) {
      writes.push({ set, mode });
      return respond(set);
    },
  };
  return { channel, writes };
}

const indexes = ["country", "age", "name", { fields: ["email"], unique: true }];

describe("MemoryStore commit", () => {
  it("without a channel, commit clears the journal before it returns", () => {
    const store = new MemoryStore<Person>();
    store.insert([{ id: 1 }]);
    void store.commit();
    expect(store.journal).toEqual([]);
    expect(store.get(1)).toEqual({ id: 1 });
  });

  it("update mode sends every entry in order, as copies", async () => {
    const { channel, writes } = recordingChannel();
    const store = new MemoryStore<Person>({ data: people(), channel });
    store.insert([{ id: 6, name: "F" }]);
    store.update({ age: 1 }, "id=6");
    store.delete(6);
    store.removeAll();
    await store.commit({ mode: "update" });
    expect(writes).toHaveLength(1);
    expect(writes[0]!.mode).toBe("update");
    expect(writes[0]!.set.changes).toEqual([
      { type: "add", id: 6, record: { id: 6, name: "F" } },
      { type: "change", id: 6, changes: { age: 1 }, record: { id: 6, name: "F", age: 1 } },
      { type: "remove", id: 6 },
      { type: "clear" },
    ]);
    (writes[0]!.set.changes[0] as { record: Person }).record.name = "channel changed it";
    expect(store.journal).toEqual([]);
    store.reject();
    expect(store.size).toBe(0);
  });

  it("condensed mode sends one net change per record", async () => {
    const { channel, writes } = recordingChannel();
    const store = new MemoryStore<Person>({ data: people(), channel });
    store.insert([{ id: 6, name: "F" }, { id: 7, name: "G" }]); // 6: add+change -> add; 7: add+remove -> nothing
    store.update({ age: 60 }, "id=6");
    store.delete(7);
    store.update({ age: 1 }, "id=1"); // 1: change+change -> change
    store.update({ name: "A" }, "id=1");
    store.update({ age: 2 }, "id=2"); // 2: change+remove -> remove
    store.delete(2);
    store.delete(3); // 3: remove+add -> change with the whole new record
    store.insert([{ id: 3, name: "new 3" }]);
    await store.commit({ mode: "condensed" });
    expect(writes[0]!.set.changes).toEqual([
      { type: "add", id: 6, record: { id: 6, name: "F", age: 60 } },
      { type: "change", id: 1, changes: { age: 1, name: "A" }, record: { ...people()[0], age: 1, name: "A" } },
      { type: "remove", id: 2 },
      { type: "change", id: 3, changes: { id: 3, name: "new 3" }, record: { id: 3, name: "new 3" } },
    ]);
  });

  it("condensed mode after a clear or load starts with one clear", async () => {
    const { channel, writes } = recordingChannel();
    const store = new MemoryStore<Person>({ data: people(), channel });
    store.update({ age: 1 }, "id=1");
    store.removeAll();
    store.insert([{ id: 9 }]);
    store.update({ name: "nine" }, "id=9");
    await store.commit({ mode: "condensed" });
    expect(writes[0]!.set.changes).toEqual([{ type: "clear" }, { type: "add", id: 9, record: { id: 9, name: "nine" } }]);
    store.insert([{ id: 10 }], { append: false });
    store.delete(10);
    await store.commit({ mode: "condensed" });
    expect(writes[1]!.set.changes).toEqual([{ type: "clear" }]);
  });

  it("replace mode sends the whole data set and takes the channel's data", async () => {
    const { channel, writes } = recordingChannel((set) => ({ data: [...set.records!, { id: 100, name: "server" }] }));
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.delete(1);
    await store.commit({ mode: "replace" });
    expect(writes[0]!.set).toEqual({ mode: "replace", changes: [], records: people().slice(1) });
    expect(store.find().map((p) => p.id)).toEqual([2, 3, 4, 5, 100]);
    expect(store.journal).toEqual([]);
    expectIndexesAgree(store, INDEX_QUERIES);
  });

  it("applies assigned ids (re-keying records and indexes) and server values", async () => {
    const { channel } = recordingChannel((set) => {
      const ids: Record<string, number> = {};
      let next = 1000;
      for (const change of set.changes) if (change.type === "add") ids[String(change.id)] = next++;
      return { ids, records: [{ id: 1000, createdBy: "server" }, { id: 2, age: 18 }] };
    });
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.insert([{ id: "tmp-a", name: "New A", country: "CA", email: "new@x.org" }, { id: "tmp-b", name: "New B" }]);
    await store.commit();
    expect(store.get("tmp-a")).toBeUndefined();
    expect(store.get(1000)).toEqual({ id: 1000, name: "New A", country: "CA", email: "new@x.org", createdBy: "server" });
    expect(store.get(1001)).toEqual({ id: 1001, name: "New B" });
    expect(store.get(2)!.age).toBe(18);
    expect(store.find().map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 1000, 1001]);
    expectIndexesAgree(store, [...INDEX_QUERIES, "email=new%40x.org", "id=1000", "id>=1000"]);
    expect(() => store.insert([{ id: 7, email: "new@x.org" }])).toThrow(expect.objectContaining({ code: "STORE_CONFLICT" }));
    expect(store.journal).toEqual([]);
  });

  it("a failed channel write leaves data and journal unchanged", async () => {
    let fail = true;
    const channel: Channel<Person> = {
      async write() {
        if (fail) throw new Error("network down");
        return {};
      },
    };
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.update({ age: 99 }, "country=CA");
    store.delete(2);
    const data = snapshot(store);
    const journal = store.journal;
    await expect(store.commit({ mode: "condensed" })).rejects.toMatchObject({ code: "STORE_CHANNEL_FAILED" });
    expect(snapshot(store)).toEqual(data);
    expect(store.journal).toEqual(journal);
    fail = false;
    await store.commit({ mode: "condensed" });
    expect(store.journal).toEqual([]);
  });

  it("a response that cannot be applied changes nothing", async () => {
    const { channel } = recordingChannel(() => ({ ids: new Map([["tmp", 3]]) })); // 3 is taken
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.insert([{ id: "tmp", name: "T" }]);
    const data = snapshot(store);
    await expect(store.commit()).rejects.toMatchObject({ code: "STORE_CHANNEL_RESPONSE" });
    expect(snapshot(store)).toEqual(data);
    expect(store.journal).toHaveLength(1);
    expectIndexesAgree(store, INDEX_QUERIES);
  });

  it("keeps entries made while a commit is in flight", async () => {
    let release!: () => void;
    const received: Change<Person>[][] = [];
    const channel: Channel<Person> = {
      write(set) {
        received.push([...set.changes]);
        return new Promise((resolve) => (release = () => resolve()));
      },
    };
    const store = new MemoryStore<Person>({ channel });
    store.insert([{ id: 1 }]);
    const committing = store.commit();
    store.insert([{ id: 2 }]);
    await Promise.resolve();
    release();
    await committing;
    expect(store.journal.map((e) => e.type)).toEqual(["add"]);
    const second = store.commit();
    while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    await second;
    expect(received.map((changes) => changes.map((c) => c.type === "add" && c.id))).toEqual([[1], [2]]);
  });

  it("commit cost depends on the journal, not the data size", async () => {
    const time = async (size: number) => {
      const { channel } = recordingChannel();
      const store = new MemoryStore<Person>({ channel, indexes: ["country"] });
      store.insert(Array.from({ length: size }, (_, i) => ({ id: i, country: `c${i % 30}` })));
      await store.commit({ mode: "condensed" });
      const started = performance.now();
      for (let round = 0; round < 100; round++) {
        store.put({ id: -1 - round, country: "c1" });
        store.update({ x: round }, "id=5");
        store.delete(-1 - round);
        await store.commit({ mode: "condensed" });
      }
      return performance.now() - started;
    };
    await time(1000);
    const small = await time(1000);
    const large = await time(100_000);
    expect(large).toBeLessThan(small * 20 + 50);
  });
});
