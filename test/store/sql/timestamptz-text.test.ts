/**
 * isoOfTimestamptzText: PostgreSQL's ISO text of a timestamptz, straight to
 * the record's ISO text, for the shapes it reads; every other shape is left
 * to pg's own parser (undefined). Checked against literals and against pg's
 * parser + toISOString, the path it replaces.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { isoOfTimestamptzText } from "../../../src/store/sql/timestamptz-text.js";

const parseDate = pg.types.getTypeParser(1184, "text") as (text: string) => unknown;

/** What the store made of the cell before: pg's Date, then toISOString. */
function viaDate(text: string): string {
  const date = parseDate(text);
  if (!(date instanceof Date)) throw new Error(`pg gave no Date for ${text}`);
  return date.toISOString();
}

describe("isoOfTimestamptzText", () => {
  it.each([
    ["2026-12-03 19:04:52+00", "2026-12-03T19:04:52.000Z"],
    ["2026-12-03 19:04:52.1+00", "2026-12-03T19:04:52.100Z"],
    ["2026-12-03 19:04:52.12+00", "2026-12-03T19:04:52.120Z"],
    ["2026-12-03 19:04:52.123+00", "2026-12-03T19:04:52.123Z"],
    // Microseconds are cut to milliseconds, as a Date cuts them.
    ["2026-12-03 19:04:52.999999+00", "2026-12-03T19:04:52.999Z"],
    ["1969-12-31 23:59:59.9995+00", "1969-12-31T23:59:59.999Z"],
    ["2026-12-03 19:04:52.5+05:30", "2026-12-03T13:34:52.500Z"],
    ["2026-01-01 00:30:00+01", "2025-12-31T23:30:00.000Z"],
    ["2026-12-31 21:00:00-03", "2027-01-01T00:00:00.000Z"],
    ["2024-02-29 23:00:00-01", "2024-03-01T00:00:00.000Z"],
    ["2023-03-01 00:15:00+00:30", "2023-02-28T23:45:00.000Z"],
    // Local mean time offsets carry seconds (Europe/Dublin before 1916).
    ["1900-06-01 12:00:00-00:25:21", "1900-06-01T12:25:21.000Z"],
    ["1900-06-01 12:00:00+14", "1900-05-31T22:00:00.000Z"],
    ["0050-06-01 00:00:00+00", "0050-06-01T00:00:00.000Z"],
    ["0001-01-01 00:30:00+01", "0000-12-31T23:30:00.000Z"],
    ["9999-12-31 23:30:00-01", "+010000-01-01T00:30:00.000Z"],
  ])("%s -> %s, as pg's Date gives it", (text, iso) => {
    expect(isoOfTimestamptzText(text)).toBe(iso);
    expect(viaDate(text)).toBe(iso);
  });

  it.each([
    "infinity",
    "-infinity",
    "0044-03-15 12:00:00+00 BC",
    "10000-01-01 00:00:00+00",
    "2026-12-03 19:04:52.1234567+00",
    "2026-12-03 19:04:52.+00",
    "2026-12-03 19:04:52",
    "2026-12-03 19:04:52+5",
    "2026-12-03 19:04:52+05:3",
    "2026-12-03 19:04:52+05:x0",
    "2026-12-03 19:04:52+05:30:1",
    "2026-12-03T19:04:52+00",
    "2026-12-03",
    "Thu Dec 03 19:04:52.123 2026 UTC",
    "12/03/2026 19:04:52.123 UTC",
    "03.12.2026 19:04:52.123 UTC",
  ])("leaves %s to pg's parser", (text) => {
    expect(isoOfTimestamptzText(text)).toBeUndefined();
  });

  it("agrees with pg's Date on fixed-seed texts of every fraction length and offset form", () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const two = (n: number) => String(n).padStart(2, "0");
    for (let i = 0; i < 20000; i++) {
      const year = [random(100), 1000 + random(2000), 9900 + random(100)][random(3)]!;
      const month = 1 + random(12);
      let text = `${String(year).padStart(4, "0")}-${two(month)}-${two(1 + random(28))} ${two(random(24))}:${two(random(60))}:${two(random(60))}`;
      const digits = random(7);
      if (digits > 0) text += `.${String(random(10 ** digits)).padStart(digits, "0")}`;
      const form = random(4);
      text +=
        form === 0
          ? "+00"
          : `${random(2) === 0 ? "+" : "-"}${two(random(16))}` +
            (form >= 2 ? `:${two(random(60))}` : "") +
            (form === 3 ? `:${two(random(60))}` : "");
      expect(isoOfTimestamptzText(text), text).toBe(viaDate(text));
    }
  });
});
