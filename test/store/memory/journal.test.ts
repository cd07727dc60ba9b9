import { describe, expect, it, vi } from "vitest";
import { MemoryStore, type StoreEvent } from "perstore";
import { expectIndexesAgree, INDEX_QUERIES, people, snapshot, type Person } from "./helpers.js";
import { countCalls, FULL_SCANS, totalCalls } from "./work-counter.js";

// Every record copy is counted (the copy is unchanged): cost is measured in operations, not time.
const counter = vi.hoisted(() => ({ copies: 0 }));
vi.mock("../../../src/store/copy.js", async (importOriginal) =>
  (await import("./work-counter.js")).countingCopy(await importOriginal(), counter),
);

const indexes = [
  "country",
  "age",
  "name",
  { fields: ["email"], unique: true },
  { fields: ["country", "name"] },
] as const;
const make = () => new MemoryStore<Person>({ data: people(), indexes: [...indexes] });

describe("MemoryStore journal", () => {
  it("writes one entry per mutation, however many records it touches", () => {
    const store = make();
    store.insert([{ id: 6 }, { id: 7 }]);
    store.update({ age: 50 }, "country=CA");
    store.remove("country=IN");
    store.put({ id: 1, name: "Ann" });
    store.delete(6);
    store.removeAll();
    store.insert([{ id: 8 }], { append: false });
    const journal = store.journal;
    expect(journal.map((e) => e.type)).toEqual([
      "add",
      "change",
      "remove",
      "change",
      "remove",
      "clear",
      "load",
    ]);
    expect(journal[0]).toEqual({
      type: "add",
      records: [
        { id: 6, record: { id: 6 } },
        { id: 7, record: { id: 7 } },
      ],
    });
    expect(journal[1]).toMatchObject({ type: "change", changes: { age: 50 } });
    expect(
      journal[1]!.type === "change" &&
        journal[1]!.records.map((r) => [r.id, r.before.age, r.after.age]),
    ).toEqual([
      [1, 31, 50],
      [3, 45, 50],
    ]);
    expect(journal[5]).toEqual({ type: "clear", count: 4 });
    expect(journal[6]).toEqual({ type: "load", count: 0, records: [{ id: 8, record: { id: 8 } }] });
  });

  it("is a read-only view: changing it changes nothing", () => {
    const store = make();
    store.update({ age: 1 }, "id=1");
    const view = store.journal as unknown as { records: { after: Person }[] }[];
    expect(Object.isFrozen(view)).toBe(true);
    view[0]!.records[0]!.after.age = 99;
    expect(store.journal[0]).toMatchObject({ records: [{ after: { age: 1 } }] });
    expect(store.get(1)!.age).toBe(1);
  });

  it("reject undoes every kind of entry exactly, indexes and natural order included", () => {
    const store = make();
    const states = [snapshot(store)];
    const steps: Array<() => void> = [
      () =>
        store.insert([
          { id: 6, name: "Fay", country: "CA", age: 20, email: "fay@x.org" },
          { id: "__proto__", name: "P" },
        ]),
      () => store.update({ country: "FR", added: "new field", age: 70 }, "country=CA"),
      () => store.remove("age<40"),
      () => store.put({ id: 3, name: "Replaced" }),
      () => store.delete(4),
      () => store.removeAll(),
      () =>
        store.insert([{ id: 9, name: "Zed", country: "CA", email: "ann@x.org" }], {
          append: false,
        }),
      () => store.update({ email: "cid@x.org" }, "id=9"),
    ];
    for (const step of steps) {
      step();
      states.push(snapshot(store));
      expectIndexesAgree(store, INDEX_QUERIES);
    }
    for (let i = steps.length - 1; i >= 0; i--) {
      expect(store.reject(1)).toBe(1);
      expect(snapshot(store)).toEqual(states[i]);
      expectIndexesAgree(store, INDEX_QUERIES);
    }
    expect(store.journal).toEqual([]);
    // Unique values freed by undo are usable again, and taken ones are enforced again.
    expect(() => store.insert([{ id: 10, email: "ann@x.org" }])).toThrow(
      expect.objectContaining({ code: "STORE_CONFLICT" }),
    );
  });

  it("reject removes fields an update added and restores fields a put dropped", () => {
    const store = make();
    store.update({ nickname: "A" }, "id=1");
    store.put({ id: 2, name: "Bob only" });
    store.reject();
    expect(store.get(1)).toEqual(people()[0]);
    expect(Object.hasOwn(store.get(1)!, "nickname")).toBe(false);
    expect(store.get(2)).toEqual(people()[1]);
  });

  it("reject() with no count undoes everything since the last commit; reject(0) nothing", async () => {
    const store = make();
    store.insert([{ id: 6 }]);
    await store.commit();
    store.delete(1);
    store.update({ age: 2 }, "id=2");
    expect(store.reject(0)).toBe(0);
    expect(store.journal).toHaveLength(2);
    expect(store.reject(10)).toBe(2);
    expect(store.get(1)).toEqual(people()[0]);
    expect(store.get(6)).toEqual({ id: 6 });
    expect(() => store.reject(-1)).toThrow(expect.objectContaining({ code: "STORE_BAD_ARGUMENT" }));
    expect(() => store.reject(1.5)).toThrow(
      expect.objectContaining({ code: "STORE_BAD_ARGUMENT" }),
    );
  });

  it("emits reject and commit events with counts", async () => {
    const store = make();
    const events: StoreEvent<Person>[] = [];
    store.on("reject", (e) => events.push(e));
    store.on("commit", (e) => events.push(e));
    store.on("clear", (e) => events.push(e));
    store.insert([{ id: 6 }]);
    store.removeAll();
    store.reject(1);
    await store.commit();
    expect(events).toEqual([
      { type: "clear", count: 6 },
      { type: "reject", count: 1 },
      { type: "commit", count: 1 },
    ]);
  });

  it("captures values at the time of the operation: later changes to inputs, the store or event payloads do not reach it", async () => {
    const sets: unknown[] = [];
    const store = new MemoryStore<Person>({
      data: people(),
      channel: { write: async (set) => void sets.push(set) },
    });
    const input: Person = { id: 6, name: "F", tags: ["x"] };
    const changes: Partial<Person> = { tags: ["y"], age: 40 };
    store.on("add", (e) => (e.records![0]!.tags!.push("from listener"), undefined));
    store.on("change", (e) => void ((e.changes as Record<string, unknown>).age = -1));
    store.insert([input]);
    store.update(changes, "id=6");
    input.tags!.push("mutated");
    changes.tags!.push("mutated");
    store.update({ age: 41 }, "id=6"); // a later operation on the same record
    expect(store.journal).toEqual([
      { type: "add", records: [{ id: 6, record: { id: 6, name: "F", tags: ["x"] } }] },
      {
        type: "change",
        changes: { tags: ["y"], age: 40 },
        records: [
          {
            id: 6,
            before: { id: 6, name: "F", tags: ["x"] },
            after: { id: 6, name: "F", tags: ["y"], age: 40 },
          },
        ],
      },
      {
        type: "change",
        changes: { age: 41 },
        records: [
          {
            id: 6,
            before: { id: 6, name: "F", tags: ["y"], age: 40 },
            after: { id: 6, name: "F", tags: ["y"], age: 41 },
          },
        ],
      },
    ]);
    await store.commit({ mode: "update" });
    expect(sets).toEqual([
      {
        mode: "update",
        changes: [
          { type: "add", id: 6, record: { id: 6, name: "F", tags: ["x"] } },
          {
            type: "change",
            id: 6,
            changes: { tags: ["y"], age: 40 },
            record: { id: 6, name: "F", tags: ["y"], age: 40 },
          },
          {
            type: "change",
            id: 6,
            changes: { age: 41 },
            record: { id: 6, name: "F", tags: ["y"], age: 41 },
          },
        ],
      },
    ]);
    expect(store.get(6)).toEqual({ id: 6, name: "F", tags: ["y"], age: 41 });
  });

  it("emits every event type, each listener with its own copies", async () => {
    const store = new MemoryStore<Person>({ data: people() });
    const seen: string[] = [];
    for (const type of ["add", "change", "remove", "clear", "load", "commit", "reject"] as const) {
      store.on(type, (e) => {
        seen.push(e.type);
        for (const record of e.records ?? []) record.name = "listener";
      });
    }
    store.insert([{ id: 6, name: "F" }]);
    store.update({ age: 1 }, "id=6");
    store.remove("id=6");
    store.removeAll();
    store.reject(1);
    await store.commit();
    await store.load({ data: [{ id: 1, name: "L" }] });
    store.insert([{ id: 2, name: "M" }], { append: false });
    expect(seen).toEqual(["add", "change", "remove", "clear", "reject", "commit", "load", "load"]);
    expect(store.find()).toEqual(Object.assign([{ id: 2, name: "M" }], { totalCount: 1 }));
    expect(store.journal).toEqual([
      { type: "load", count: 1, records: [{ id: 2, record: { id: 2, name: "M" } }] },
    ]);
  });

  it("reject costs what the entries touched, not the data size", async () => {
    /** Data-structure calls and record copies of `rounds` write-and-reject rounds over `size` records. */
    const work = async (size: number, rounds: number) => {
      const store = new MemoryStore<Person>({ indexes: ["country"] });
      store.insert(Array.from({ length: size }, (_, i) => ({ id: i, country: `c${i % 30}` })));
      void store.commit();
      counter.copies = 0;
      const calls = await countCalls(() => {
        for (let round = 0; round < rounds; round++) {
          store.put({ id: -1, country: "c1" });
          store.update({ x: round }, "id=5");
          store.delete(7);
          store.reject(3);
        }
      });
      const scans = Object.keys(calls).filter((name) => FULL_SCANS.includes(name));
      expect(store.size).toBe(size);
      return { calls: totalCalls(calls), copies: counter.copies, scans };
    };
    const small = await work(1_000, 10);
    expect(small.calls).toBeGreaterThan(0);
    // 20 times the data: exactly the same work, and no walk over the whole data set.
    expect(await work(20_000, 10)).toEqual(small);
    expect(small.scans).toEqual([]);
    // Each 10 more rounds cost the same again.
    const [w20, w30] = [await work(1_000, 20), await work(1_000, 30)];
    expect(w30.calls - w20.calls).toBe(w20.calls - small.calls);
    expect(w30.copies - w20.copies).toBe(w20.copies - small.copies);
    // The counter does see work that grows with what the entries touched: undoing an update of size/30 records.
    const touched = async (size: number) => {
      const store = new MemoryStore<Person>({ indexes: ["country"] });
      store.insert(Array.from({ length: size }, (_, i) => ({ id: i, country: `c${i % 30}` })));
      void store.commit();
      return totalCalls(
        await countCalls(() => (store.update({ x: 1 }, "country=c1"), store.reject(1))),
      );
    };
    expect((await touched(3_000)) - (await touched(1_500))).toBeGreaterThanOrEqual(50);
  });
});
