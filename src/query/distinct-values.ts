/**
 * `distinct()`: drops duplicates by value and type (`1` and `"1"` differ,
 * dates by instant, objects by content whatever their key order).
 */
export function distinctValues<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = typedKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** A string that is equal for two values exactly when they are equal by value and type. */
export function typedKey(value: unknown): string {
  if (value === null || value === undefined) return "n";
  switch (typeof value) {
    case "string":
      return `s${JSON.stringify(value)}`;
    case "number":
      return Object.is(value, -0) ? "d0" : `d${String(value)}`;
    case "boolean":
      return value ? "bt" : "bf";
    case "bigint":
      return `i${String(value)}`;
    case "object":
      break;
    default:
      return `?${String(value)}`;
  }
  if (value instanceof Date) return `t${String(value.getTime())}`;
  if (value instanceof RegExp) return `r${JSON.stringify([value.source, value.flags])}`;
  if (Array.isArray(value)) return `[${value.map(typedKey).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${typedKey((value as Record<string, unknown>)[k])}`).join(",")}}`;
}
