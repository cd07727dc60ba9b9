/**
 * `$1…` values sent beside an RQL query, in the `Perstore-Parameters` header:
 * a percent-encoded JSON array, where `{"$date": iso}` is a Date and
 * `{"$regexp": [source, flags]}` a RegExp, so every parameter keeps its type
 * (inlined into the query text, a value would be re-typed by the schema).
 */
import { QueryError } from "../errors/index.js";

export const PARAMETERS_HEADER = "perstore-parameters";

/** The header value for `parameters`. */
export function encodeParameters(parameters: readonly unknown[]): string {
  return encodeURIComponent(
    JSON.stringify(parameters, function (key, value: unknown) {
      const original = (this as Record<string, unknown>)[key];
      if (original instanceof Date) return { $date: original.toISOString() };
      if (original instanceof RegExp) return { $regexp: [original.source, original.flags] };
      return value;
    }),
  );
}

/** The parameters a header holds; QUERY_BAD_VALUE when it is not such an array. */
export function decodeParameters(header: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(header), (_key, value: unknown) => {
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const tagged = value as { $date?: unknown; $regexp?: unknown };
        if (typeof tagged.$date === "string" && Object.keys(value).length === 1)
          return new Date(tagged.$date);
        if (Array.isArray(tagged.$regexp) && Object.keys(value).length === 1) {
          const [source, flags] = tagged.$regexp as [unknown, unknown];
          return new RegExp(String(source), String(flags ?? ""));
        }
      }
      return value;
    });
  } catch (cause) {
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `the ${PARAMETERS_HEADER} header is not percent-encoded JSON`,
      { cause },
    );
  }
  if (!Array.isArray(parsed))
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `the ${PARAMETERS_HEADER} header must hold a JSON array`,
    );
  return parsed;
}
