/**
 * The SQL store's `change` events say what the record was (`previous`, read
 * in the write's own statement) and its `remove` events carry the removed
 * record, when someone listens; a server compares them to decide what a
 * facet may hear (see src/server/event-audience.ts).
 */
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import type { StoreEvent } from "../../../src/store/types.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

interface Person {
  id?: string;
  name: string;
  salary?: number | null;
  /** Named like the aliases the store reads the previous row with: they must not clash. */
  "previous 0"?: string | null;
}

const people: SqlTableSpec = {
  table: "person",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "salary", type: "integer", sqlType: "integer", nullable: true },
    { name: "previous 0", type: "string", sqlType: "text", nullable: true },
  ],
};

for (const target of testTargets()) {
  describe(`SqlStore change events carry the record before on ${target.name}`, () => {
    let database: TestDatabase;
    let store: SqlStore<Person>;
    let events: StoreEvent<Person>[];
    beforeAll(async () => {
      database = await openTestDatabase(target, "sqlprevious");
      await createTable(database.db, database.schema, people);
    });
    afterAll(async () => database?.close());
    beforeEach(async () => {
      await sql`truncate table ${sql.id(database.schema, "person")}`.execute(database.db);
      store = new SqlStore<Person>({ db: database.db, table: people, schema: database.schema });
      // Written before anyone listens: the store has never reported this record.
      await store.put({ id: "a", name: "Ada", salary: 1, "previous 0": "x" });
      events = [];
      for (const name of ["add", "change", "remove"] as const)
        store.on(name, (e) => events.push(e));
    });
    const ada = { id: "a", name: "Ada", salary: 1, "previous 0": "x" };

    it("patch: previous is the row as it was, records the row as it is", async () => {
      await store.patch("a", { salary: 2 });
      expect(events).toEqual([
        expect.objectContaining({
          type: "change",
          ids: ["a"],
          records: [{ ...ada, salary: 2 }],
          previous: [ada],
        }),
      ]);
      await expect(store.patch("missing", { salary: 3 })).rejects.toMatchObject({
        code: "STORE_NOT_FOUND",
      });
      expect(events).toHaveLength(1);
    });

    it("put over an existing record (overwrite or upsert) reports it before; a new record is an add without previous", async () => {
      await store.put({ id: "a", name: "Ada", salary: 5 }, { overwrite: true });
      await store.put({ id: "a", name: "Ada L.", salary: 6 });
      await store.put({ id: "b", name: "Bob" });
      expect(events.map((e) => [e.type, e.previous])).toEqual([
        ["change", [ada]],
        ["change", [{ ...ada, salary: 5, "previous 0": null }]],
        ["add", undefined],
      ]);
      expect(events[1]!.records).toEqual([
        { id: "a", name: "Ada L.", salary: 6, "previous 0": null },
      ]);
    });

    it("delete: the remove event carries the removed record", async () => {
      expect(await store.delete("a")).toBe(true);
      expect(await store.delete("a")).toBe(false);
      expect(events).toEqual([
        expect.objectContaining({ type: "remove", ids: ["a"], records: [ada] }),
      ]);
    });

    it("each listener gets its own copy of previous", async () => {
      const other: StoreEvent<Person>[] = [];
      store.on("change", (e) => other.push(e));
      await store.patch("a", { name: "Ada L." });
      (events[0]!.previous![0] as Person).name = "spoiled";
      expect(other[0]!.previous).toEqual([ada]);
    });
  });
}

describe("without listeners the SQL store writes as before", () => {
  it("patch, put and delete work and read nothing back", async () => {
    const [target] = testTargets();
    const database = await openTestDatabase(target!, "sqlprevious_quiet");
    try {
      await createTable(database.db, database.schema, people);
      const store = new SqlStore<Person>({
        db: database.db,
        table: people,
        schema: database.schema,
      });
      await store.put({ id: "a", name: "Ada" });
      await store.patch("a", { salary: 2 });
      await store.put({ id: "a", name: "Ada", salary: 3 }, { overwrite: true });
      expect(await store.get("a")).toEqual({ id: "a", name: "Ada", salary: 3, "previous 0": null });
      expect(await store.delete("a")).toBe(true);
      expect(await store.get("a")).toBeUndefined();
    } finally {
      await database.close();
    }
  });
});
