import { describe, expect, it } from "vitest";
import { buildChangeSet, condenseJournal, journalChanges, type JournalEntry } from "perstore";

type R = { id: number; v?: number; w?: number };
const r = (id: number, v?: number): R => (v === undefined ? { id } : { id, v });

describe("condenseJournal", () => {
  it("nets each record's changes", () => {
    const entries: JournalEntry<R>[] = [
      {
        type: "add",
        records: [
          { id: 1, record: r(1, 1) },
          { id: 2, record: r(2, 1) },
        ],
      },
      {
        type: "change",
        changes: { v: 2 },
        records: [
          { id: 1, before: r(1, 1), after: r(1, 2) },
          { id: 3, before: r(3), after: r(3, 2) },
        ],
      },
      {
        type: "change",
        changes: { w: 5 },
        records: [{ id: 3, before: r(3, 2), after: { id: 3, v: 2, w: 5 } }],
      },
      { type: "remove", records: [{ id: 2, record: r(2, 1) }] },
      { type: "change", changes: { v: 9 }, records: [{ id: 4, before: r(4), after: r(4, 9) }] },
      {
        type: "remove",
        records: [
          { id: 4, record: r(4, 9) },
          { id: 5, record: r(5) },
        ],
      },
    ];
    expect(condenseJournal(entries)).toEqual([
      { type: "add", id: 1, record: r(1, 2) },
      { type: "change", id: 3, changes: { v: 2, w: 5 }, record: { id: 3, v: 2, w: 5 } },
      { type: "remove", id: 4 },
      { type: "remove", id: 5 },
    ]);
  });

  it("starts over after a clear or load", () => {
    const entries: JournalEntry<R>[] = [
      { type: "add", records: [{ id: 1, record: r(1) }] },
      { type: "load", count: 1, records: [{ id: 2, record: r(2) }] },
      { type: "change", changes: { v: 1 }, records: [{ id: 2, before: r(2), after: r(2, 1) }] },
    ];
    expect(condenseJournal(entries)).toEqual([
      { type: "clear" },
      { type: "add", id: 2, record: r(2, 1) },
    ]);
    expect(journalChanges(entries).map((c) => c.type)).toEqual(["add", "clear", "add", "change"]);
  });

  it("builds change sets of copies in every mode", () => {
    const record = r(1, 1);
    const entries: JournalEntry<R>[] = [{ type: "add", records: [{ id: 1, record }] }];
    const update = buildChangeSet(entries, "update", () => []);
    expect(update).toEqual({ mode: "update", changes: [{ type: "add", id: 1, record: r(1, 1) }] });
    expect((update.changes[0] as { record: R }).record).not.toBe(record);
    const replace = buildChangeSet(entries, "replace", () => [record]);
    expect(replace).toEqual({ mode: "replace", changes: [], records: [r(1, 1)] });
    expect(replace.records![0]).not.toBe(record);
  });
});
