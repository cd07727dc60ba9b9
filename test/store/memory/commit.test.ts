import { describe, expect, it, vi } from "vitest";
import {
  MemoryStore,
  type Change,
  type ChangeSet,
  type Channel,
  type ChannelResponse,
  type CommitMode,
} from "perstore";
import { expectIndexesAgree, INDEX_QUERIES, people, snapshot, type Person } from "./helpers.js";
import { countCalls, FULL_SCANS, totalCalls } from "./work-counter.js";

// Every record copy is counted (the copy is unchanged): cost is measured in operations, not time.
const counter = vi.hoisted(() => ({ copies: 0 }));
vi.mock("../../../src/store/copy.js", async (importOriginal) =>
  (await import("./work-counter.js")).countingCopy(await importOriginal(), counter),
);

/** A channel that records what it receives and answers with `respond`. */
function recordingChannel(
  respond: (set: ChangeSet<Person>) => ChannelResponse<Person> | void = () => undefined,
) {
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
    store.insert([
      { id: 6, name: "F" },
      { id: 7, name: "G" },
    ]); // 6: add+change -> add; 7: add+remove -> nothing
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
      {
        type: "change",
        id: 1,
        changes: { age: 1, name: "A" },
        record: { ...people()[0], age: 1, name: "A" },
      },
      { type: "remove", id: 2 },
      {
        type: "change",
        id: 3,
        changes: { id: 3, name: "new 3" },
        record: { id: 3, name: "new 3" },
      },
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
    expect(writes[0]!.set.changes).toEqual([
      { type: "clear" },
      { type: "add", id: 9, record: { id: 9, name: "nine" } },
    ]);
    store.insert([{ id: 10 }], { append: false });
    store.delete(10);
    await store.commit({ mode: "condensed" });
    expect(writes[1]!.set.changes).toEqual([{ type: "clear" }]);
  });

  it("replace mode sends the whole data set and takes the channel's data", async () => {
    const { channel, writes } = recordingChannel((set) => ({
      data: [...set.records!, { id: 100, name: "server" }],
    }));
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
      return {
        ids,
        records: [
          { id: 1000, createdBy: "server" },
          { id: 2, age: 18 },
        ],
      };
    });
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.insert([
      { id: "tmp-a", name: "New A", country: "CA", email: "new@x.org" },
      { id: "tmp-b", name: "New B" },
    ]);
    await store.commit();
    expect(store.get("tmp-a")).toBeUndefined();
    expect(store.get(1000)).toEqual({
      id: 1000,
      name: "New A",
      country: "CA",
      email: "new@x.org",
      createdBy: "server",
    });
    expect(store.get(1001)).toEqual({ id: 1001, name: "New B" });
    expect(store.get(2)!.age).toBe(18);
    expect(store.find().map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 1000, 1001]);
    expectIndexesAgree(store, [...INDEX_QUERIES, "email=new%40x.org", "id=1000", "id>=1000"]);
    expect(() => store.insert([{ id: 7, email: "new@x.org" }])).toThrow(
      expect.objectContaining({ code: "STORE_CONFLICT" }),
    );
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
    await expect(store.commit({ mode: "condensed" })).rejects.toMatchObject({
      code: "STORE_CHANNEL_FAILED",
    });
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
    expect(received.map((changes) => changes.map((c) => c.type === "add" && c.id))).toEqual([
      [1],
      [2],
    ]);
  });

  /** A channel whose write waits until the test calls `respond(response)`. */
  const heldChannel = () => {
    const held: {
      respond?: (response: ChannelResponse<Person> | void) => void;
      sets: ChangeSet<Person>[];
    } = { sets: [] };
    const channel: Channel<Person> = {
      write(set) {
        held.sets.push(set);
        return new Promise((resolve) => (held.respond = resolve));
      },
    };
    return { channel, held };
  };

  it("re-keys and rebases entries made while a commit is in flight", async () => {
    const { channel, held } = heldChannel();
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.insert([{ id: "tmp", name: "T", country: "CA", email: "t@x.org" }]);
    const committing = store.commit();
    store.update({ name: "T2", age: 5 }, "id=tmp"); // made in flight, on the temporary id
    store.update({ note: "later" }, "id=2");
    held.respond!({
      ids: { tmp: 1000 },
      records: [
        { id: 1000, createdBy: "server", name: "server name" },
        { id: 2, age: 18 },
      ],
    });
    await committing;
    // The later change is replayed on the server's record: its own fields win, the server's others stay.
    expect(store.get("tmp")).toBeUndefined();
    expect(store.get(1000)).toEqual({
      id: 1000,
      name: "T2",
      age: 5,
      country: "CA",
      email: "t@x.org",
      createdBy: "server",
    });
    expect(store.get(2)).toEqual({ ...people()[1], age: 18, note: "later" });
    expect(store.journal.map((e) => e.type === "change" && e.records.map((r) => r.id))).toEqual([
      [1000],
      [2],
    ]);
    expectIndexesAgree(store, [
      ...INDEX_QUERIES,
      "id=1000",
      "email=t%40x.org",
      "country=CA&age<10",
    ]);
    // The next commit speaks of the assigned id, and undoing the later entries gives the committed values.
    const next = store.commit({ mode: "condensed" });
    held.respond!();
    await next;
    expect(held.sets[1]!.changes.map((c) => c.type !== "clear" && c.id)).toEqual([1000, 2]);
    store.update({ name: "again" }, "id=1000");
    store.reject();
    expect(store.get(1000)!.name).toBe("T2");
  });

  it("reject restores the committed values (server values included) under entries rebased in flight", async () => {
    const { channel, held } = heldChannel();
    const store = new MemoryStore<Person>({ channel });
    store.insert([{ id: "tmp", name: "T" }]);
    const committing = store.commit();
    store.update({ name: "local" }, "id=tmp");
    store.delete("tmp");
    held.respond!({ ids: new Map([["tmp", 7]]), records: [{ id: 7, stamp: 1 }] });
    await committing;
    expect(store.size).toBe(0);
    expect(store.journal.map((e) => e.type)).toEqual(["change", "remove"]);
    store.reject();
    expect(snapshot(store)).toEqual([{ id: 7, name: "T", stamp: 1 }]);
    expect(store.journal).toEqual([]);
  });

  it("replace mode keeps entries made in flight, replayed on the channel's data", async () => {
    const { channel, held } = heldChannel();
    const store = new MemoryStore<Person>({ data: [{ id: 1 }], channel, indexes });
    store.insert([{ id: 2 }]);
    const committing = store.commit({ mode: "replace" });
    store.update({ x: 1 }, "id=1");
    store.insert([{ id: 3, country: "CA" }]);
    held.respond!({
      data: [
        { id: 1, v: "server" },
        { id: 2, v: "server" },
      ],
    });
    await committing;
    expect(snapshot(store)).toEqual([
      { id: 1, v: "server", x: 1 },
      { id: 2, v: "server" },
      { id: 3, country: "CA" },
    ]);
    expect(store.journal.map((e) => e.type)).toEqual(["change", "add"]);
    expectIndexesAgree(store, INDEX_QUERIES);
    store.reject();
    expect(snapshot(store)).toEqual([
      { id: 1, v: "server" },
      { id: 2, v: "server" },
    ]);
  });

  it("a response the in-flight entries cannot be replayed on changes nothing", async () => {
    const { channel, held } = heldChannel();
    const store = new MemoryStore<Person>({ data: people(), channel, indexes });
    store.insert([{ id: 6, email: "six@x.org" }]);
    const committing = store.commit({ mode: "replace" });
    store.update({ age: 1 }, "id=1");
    store.remove("id=2");
    store.insert([{ id: 7, email: "seven@x.org" }]);
    const data = snapshot(store);
    const journal = store.journal;
    // The server's data already holds id 7: the later add cannot be replayed.
    held.respond!({
      data: [...people(), { id: 6, email: "six@x.org" }, { id: 7, email: "z@x.org" }],
    });
    await expect(committing).rejects.toMatchObject({ code: "STORE_CHANNEL_RESPONSE" });
    expect(snapshot(store)).toEqual(data);
    expect(store.journal).toEqual(journal); // the committed entry and the later ones, unchanged
    expectIndexesAgree(store, [...INDEX_QUERIES, "email=seven%40x.org"]);
    store.reject();
    expect(snapshot(store)).toEqual(people());
    expectIndexesAgree(store, INDEX_QUERIES);
  });

  it("reject cannot undo entries a commit is writing, only those made since", async () => {
    const { channel, held } = heldChannel();
    const store = new MemoryStore<Person>({ channel });
    store.insert([{ id: 1 }]);
    const committing = store.commit();
    store.insert([{ id: 2 }]);
    expect(() => store.reject()).toThrow(
      expect.objectContaining({ code: "STORE_COMMIT_IN_FLIGHT" }),
    );
    expect(() => store.reject(2)).toThrow(
      expect.objectContaining({ code: "STORE_COMMIT_IN_FLIGHT" }),
    );
    expect(store.size).toBe(2);
    expect(store.reject(1)).toBe(1);
    held.respond!();
    await committing;
    expect(snapshot(store)).toEqual([{ id: 1 }]);
    expect(store.journal).toEqual([]);
  });

  it("a load while a commit is in flight wins over the commit's response", async () => {
    const { channel, held } = heldChannel();
    const store = new MemoryStore<Person>({ channel });
    store.insert([{ id: "tmp" }]);
    const committing = store.commit();
    await store.load({ data: [{ id: "tmp", loaded: true }] });
    held.respond!({ ids: { tmp: 9 } });
    await committing;
    expect(snapshot(store)).toEqual([{ id: "tmp", loaded: true }]);
    expect(store.journal).toEqual([]);
  });

  it("commit cost depends on the journal, not the data size", async () => {
    /** Data-structure calls and record copies of `rounds` put/update/delete/commit rounds over `size` records. */
    const work = async (size: number, rounds: number, mode: CommitMode) => {
      const { channel } = recordingChannel();
      const store = new MemoryStore<Person>({ channel, indexes: ["country"] });
      store.insert(Array.from({ length: size }, (_, i) => ({ id: i, country: `c${i % 30}` })));
      await store.commit({ mode: "condensed" });
      counter.copies = 0;
      const calls = await countCalls(async () => {
        for (let round = 0; round < rounds; round++) {
          store.put({ id: -1 - round, country: "c1" });
          store.update({ x: round }, "id=5");
          store.delete(-1 - round);
          await store.commit({ mode });
        }
      });
      const scans = Object.keys(calls).filter((name) => FULL_SCANS.includes(name));
      return { calls: totalCalls(calls), copies: counter.copies, scans };
    };
    for (const mode of ["condensed", "update"] as const) {
      const small = await work(1_000, 10, mode);
      expect(small.calls).toBeGreaterThan(0);
      expect(small.copies).toBeGreaterThan(0);
      // 20 times the data: exactly the same work.
      expect(await work(20_000, 10, mode)).toEqual(small);
      // Each 10 more rounds (journal entries) cost the same again.
      const [w20, w30] = [await work(1_000, 20, mode), await work(1_000, 30, mode)];
      expect(w30.calls - w20.calls).toBe(w20.calls - small.calls);
      expect(w30.copies - w20.copies).toBe(w20.copies - small.copies);
      expect(w30.scans).toEqual([]); // never walks the whole data set
      expect(w20.calls).toBeGreaterThan(small.calls);
    }
    // The counter does see data-size work: a replace commit copies every record.
    const replaceSmall = await work(1_000, 10, "replace");
    const replaceLarge = await work(20_000, 10, "replace");
    expect(replaceLarge.copies - replaceSmall.copies).toBe(10 * 19_000);
    expect(replaceLarge.scans).toContain("MemoryState.allRecords");
  });
});
