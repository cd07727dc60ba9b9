/** Parsing a query written in a schema (named query, facet filter) as a diagnostic, not a throw. */
import { QueryError } from "../../errors/index.js";
import type { JsonQuery, Query, QuerySchema } from "../../query/ast.js";
import { parseQuery } from "../../query/index.js";

/**
 * The parsed query, or undefined after reporting why it does not parse:
 * SCHEMA_QUERY_UNKNOWN_PROPERTY for an unknown property, SCHEMA_BAD_QUERY
 * otherwise. Errors that are not QueryErrors are bugs and propagate.
 */
export function parseChecked(
  source: unknown,
  schema: QuerySchema,
  report: (code: string, message: string) => void,
): Query | undefined {
  try {
    return parseQuery(source as string | JsonQuery, { schema });
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    report(
      error.code === "QUERY_UNKNOWN_PROPERTY"
        ? "SCHEMA_QUERY_UNKNOWN_PROPERTY"
        : "SCHEMA_BAD_QUERY",
      error.message,
    );
    return undefined;
  }
}
