/**
 * Record reads with ISO date-times (iso-times-tag.ts): on a pool that
 * openDatabase opened, a store's tagged statements get timestamptz cells as
 * ISO text and unquoted text[] cells split directly; the records must be
 * exactly those the store made from pg's Dates and arrays before, in every
 * session time zone and date style, for infinities, BC dates, years past
 * 9999, fractional seconds and NULLs. Users' own statements keep Dates.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISO_TIMES_TAG } from "../../../src/store/sql/iso-times-tag.js";
import { rowsToRecords, type DateTimeMode } from "../../../src/store/sql/sql-rows.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

const spec: SqlTableSpec = {
  table: "moment",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "at", type: "string", sqlType: "timestamptz", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
    { name: "names", type: "array", sqlType: "varchar(20)[]", nullable: true },
  ],
};

/** Every value is written as text with its own offset, so it is the same instant in any session. */
const times = [
  "2026-12-03 19:04:52+00",
  "2026-12-03 19:04:52.1+00",
  "2026-12-03 19:04:52.123456+00",
  "2024-02-29 23:59:59.999999+00",
  "1969-12-31 23:59:59.9995+00",
  "2026-06-15 12:00:00+05:30",
  "1900-06-01 12:00:00+00",
  "0050-06-01 00:00:00+00",
  "0001-01-01 00:30:00+00",
  "9999-12-31 23:30:00+00",
  "10000-01-01 00:00:00+00",
  "0044-03-15 12:00:00+00 BC",
  "4713-01-01 00:00:00+00 BC",
  "294276-12-31 23:59:59+00",
  "infinity",
  "-infinity",
  null,
];
const arrays = [
  "{}",
  "{a,b}",
  "{NULL,x}",
  '{"a b","NULL",""}',
  '{"x,y","q\\"uote","b\\\\s"}',
  null,
];

const zones = [
  "UTC",
  "Asia/Kolkata",
  "America/St_Johns",
  "Europe/Dublin", // local mean time before 1916: offsets with seconds
  "Pacific/Kiritimati",
  "America/Los_Angeles",
];
const dateStyles = ["ISO, MDY", "SQL, DMY", "Postgres, MDY", "German"];

for (const target of testTargets()) {
  describe(`SqlStore reads with ISO date-times (${target.name})`, () => {
    let database: TestDatabase;
    let db: Kysely<any>;

    beforeAll(async () => {
      database = await openTestDatabase(target, "iso_times");
      db = database.db;
      await createTable(db, database.schema, spec);
      const table = sql.id(database.schema, spec.table);
      for (let id = 0; id < times.length; id++) {
        const array = arrays[id % arrays.length] ?? null;
        await sql`insert into ${table} (id, at, tags, names) values (${id}, ${times[id]}::timestamptz, ${array}::text[], ${array}::varchar(20)[])`.execute(
          db,
        );
      }
    }, 60_000);
    afterAll(() => database?.close());

    /** Runs `check` in a transaction whose session has this time zone and date style. */
    async function inSession(
      zone: string,
      dateStyle: string,
      check: (trx: Transaction<any>) => Promise<void>,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await sql`select set_config('TimeZone', ${zone}, true), set_config('DateStyle', ${dateStyle}, true)`.execute(
          trx,
        );
        await check(trx);
      });
    }

    /** The records as the store made them from the driver's own values (an untagged statement). */
    async function fromDriverValues(trx: Transaction<any>, dates: DateTimeMode) {
      const { rows } = await sql<
        Record<string, unknown>
      >`select id, at, tags, names from ${sql.id(database.schema, spec.table)} order by id`.execute(
        trx,
      );
      return rowsToRecords(rows, spec.columns, dates);
    }

    for (const zone of zones)
      it(`query and get give the records the driver's values give, time zone ${zone}`, async () => {
        await inSession(zone, "ISO, MDY", async (trx) => {
          const expected = await fromDriverValues(trx, "string");
          const store = new SqlStore({ db: trx, table: spec, schema: database.schema });
          expect([...((await store.query("sort(+id)")) as unknown[])]).toEqual(expected);
          expect([...((await store.query("")) as unknown[])]).toEqual(
            expect.arrayContaining(expected),
          );
          for (const record of expected)
            expect(await store.get(record.id as number)).toEqual(record);
        });
      });

    for (const dateStyle of dateStyles)
      it(`date style ${dateStyle}: the same records as the driver's values give`, async () => {
        await inSession("America/St_Johns", dateStyle, async (trx) => {
          const store = new SqlStore({ db: trx, table: spec, schema: database.schema });
          expect([...((await store.query("sort(+id)")) as unknown[])]).toEqual(
            await fromDriverValues(trx, "string"),
          );
        });
      });

    it("the common shapes read as toISOString() of the instant, in any time zone", async () => {
      for (const zone of zones)
        await inSession(zone, "ISO, MDY", async (trx) => {
          const store = new SqlStore({ db: trx, table: spec, schema: database.schema });
          const records = (await store.query("sort(+id)")) as Record<string, unknown>[];
          expect(records.slice(0, 6).map((r) => r.at)).toEqual([
            "2026-12-03T19:04:52.000Z",
            "2026-12-03T19:04:52.100Z",
            "2026-12-03T19:04:52.123Z",
            "2024-02-29T23:59:59.999Z",
            "1969-12-31T23:59:59.999Z",
            "2026-06-15T06:30:00.000Z",
          ]);
          expect(records.slice(0, 6).map((r) => r.tags)).toEqual([
            [],
            ["a", "b"],
            [null, "x"],
            ["a b", "NULL", ""],
            ["x,y", 'q"uote', "b\\s"],
            null,
          ]);
        });
    });

    it("dates: 'Date' still gives the driver's Dates", async () => {
      await inSession("Asia/Kolkata", "ISO, MDY", async (trx) => {
        const store = new SqlStore({
          db: trx,
          table: spec,
          schema: database.schema,
          dates: "Date",
        });
        const records = (await store.query("sort(+id)")) as Record<string, unknown>[];
        expect([...records]).toEqual(await fromDriverValues(trx, "Date"));
        expect(records[0]!.at).toBeInstanceOf(Date);
      });
    });

    it("only tagged statements get ISO text; users' own statements keep Dates", async () => {
      const table = sql.id(database.schema, spec.table);
      const untagged = await sql<{ at: unknown }>`select at from ${table} where id = 0`.execute(db);
      expect(untagged.rows[0]!.at).toBeInstanceOf(Date);
      const tagged = await sql<{
        at: unknown;
      }>`${sql.raw(ISO_TIMES_TAG)}select at from ${table} where id = 0`.execute(db);
      // PGlite ignores the tag (the store's readers turn its Dates into the same text).
      if (target.name === "postgres") expect(tagged.rows[0]!.at).toBe("2026-12-03T19:04:52.000Z");
      else expect(tagged.rows[0]!.at).toBeInstanceOf(Date);
    });
  });
}
