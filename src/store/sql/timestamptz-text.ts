/**
 * A `timestamptz` cell as PostgreSQL sends it in text (DateStyle ISO:
 * `2026-12-03 19:04:52.123456+00`, `... +05:30`, `... -00:25:21`) turned
 * straight into the ISO text a record holds (`toISOString()` of the same
 * instant: `2026-12-03T19:04:52.123Z`), without the Date `pg` would build,
 * which the store used to turn back into text (a regex, a Date and a
 * `toISOString` per cell: a fifth of the client CPU of bench/sql-reads.ts's W1).
 *
 * Only the common shape is read here: a four-digit year AD, any UTC offset
 * the session's TimeZone gives. Anything else (BC, years past 9999,
 * `infinity`, another DateStyle) answers `undefined`, and the caller parses
 * the cell as `pg` always has, so those values read exactly as before.
 */

const MS_PER_DAY = 86_400_000;

/** The ISO text of a timestamptz in PostgreSQL's ISO output, or `undefined` when the text is not of that common shape. */
export function isoOfTimestamptzText(text: string): string | undefined {
  const n = text.length;
  if (
    n < 22 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 || // space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  )
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return undefined;
  // Fraction: up to six digits (microseconds); a record keeps milliseconds, cut (as Date does).
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    const start = ++at;
    while (at < n && isDigit(text.charCodeAt(at))) at++;
    const length = at - start;
    if (length === 0 || length > 6) return undefined;
    ms = digits(text, start, Math.min(length, 3)) * (length >= 3 ? 1 : length === 2 ? 10 : 100);
  }
  const offset = offsetSeconds(text, at);
  if (offset === undefined) return undefined;
  if (offset === 0) {
    // Same fields in UTC: only the separators change.
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${pad3(ms)}Z`;
  }
  const local =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    ms;
  return isoOfEpochMs(local - offset * 1000);
}

/** `±HH`, `±HH:MM` or `±HH:MM:SS` from `at` to the end of the text, in seconds east of UTC. */
function offsetSeconds(text: string, at: number): number | undefined {
  const sign = text.charCodeAt(at);
  if (sign !== 43 && sign !== 45) return undefined; // + -
  const rest = text.length - at - 1;
  if (rest !== 2 && rest !== 5 && rest !== 8) return undefined;
  const hours = digits(text, at + 1, 2);
  const minutes =
    rest >= 5 && text.charCodeAt(at + 3) === 58 ? digits(text, at + 4, 2) : rest >= 5 ? -1 : 0;
  const seconds =
    rest === 8 && text.charCodeAt(at + 6) === 58 ? digits(text, at + 7, 2) : rest === 8 ? -1 : 0;
  if ((hours | minutes | seconds) < 0) return undefined;
  const east = hours * 3600 + minutes * 60 + seconds;
  return sign === 45 ? -east : east;
}

/** The ISO text of an instant, for years 0000-9999 (others through Date, which writes ±YYYYYY). */
function isoOfEpochMs(time: number): string {
  const days = Math.floor(time / MS_PER_DAY);
  let rest = time - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  if (year < 0 || year > 9999) return new Date(time).toISOString();
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const ms = rest - second * 1000;
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(ms)}Z`;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The proleptic Gregorian date of a day count since 1970-01-01 (`civil_from_days`). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The decimal number of `count` digits at `at`, or -1 if one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => `${n}`.padStart(4, "0");
