/**
 * Dates in the record form. A `date` is a date input's own text
 * (YYYY-MM-DD). A `date-time` is an instant with an offset; the form shows it
 * in a datetime-local input in the browser's time zone and turns an edited
 * local time back into an instant (UTC, `Z`). An untouched field gives back
 * the stored text itself (form.ts), so a stored offset or precision the input
 * cannot show is never rewritten.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/** The date input's text for a stored date; undefined when it is not one. */
export function dateInputText(value: unknown): string | undefined {
  return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value))
    ? value
    : undefined;
}

/**
 * The datetime-local text for a stored instant, in the browser's time zone
 * (seconds always, milliseconds when there are any); undefined when the value
 * is not an instant with an offset.
 */
export function localInputText(value: unknown): string | undefined {
  if (typeof value !== "string" || !DATE_TIME.test(value)) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getFullYear();
  if (year < 1 || year > 9999) return undefined;
  const ms = date.getMilliseconds();
  return (
    `${pad(year, 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    (ms === 0 ? "" : `.${pad(ms, 3)}`)
  );
}

/** The instant a datetime-local text names in the browser's time zone, as ISO 8601 UTC; undefined if none. */
export function instantOfLocal(text: string): string | undefined {
  // A date-time without an offset is local time (ECMA-262 Date.parse).
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The browser's time zone, named for the field's hint ("Europe/Berlin"). */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}
