import { QueryError } from "../../errors/index.js";

/** QUERY_UNSUPPORTED: the query is valid, but the SQL store has no faithful translation of it. */
export function unsupported(message: string): QueryError {
  return new QueryError("QUERY_UNSUPPORTED", message);
}
