/**
 * `GET /<Model>/?<rql>` with `Accept: application/vnd.perstore.explain+json`:
 * the plan the store would use for that query (see model/query-plan.ts)
 * instead of its records. It is asked of the request's view exactly as the
 * query is: the same facet, the same checks (operators, indexed properties,
 * maxLimit against the `Range` page), the facet's filter added and what the
 * facet hides redacted, so a caller who may not run a query cannot explain it.
 */
import { decodeParameters, PARAMETERS_HEADER } from "../query/index.js";
import { parseItemsRange } from "./range.js";
import { viewOf, type RouteContext } from "./record-routes.js";

/** The media type that asks for a query's plan. */
export const EXPLAIN_TYPE = "application/vnd.perstore.explain+json";

/** Whether a request's Accept asks for the plan. */
export function wantsExplain(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes(EXPLAIN_TYPE);
}

/** The plan of the query a `GET /<Model>/?<rql>` would run, with the time it took in `Server-Timing`. */
export async function explainRecords(context: RouteContext, name: string): Promise<Response> {
  const started = performance.now();
  const { view } = viewOf(context, name);
  const url = context.request.url;
  const mark = url.indexOf("?");
  const rql = mark === -1 ? "" : url.slice(mark + 1);
  const range = parseItemsRange(context.request.headers.get("range"));
  const sent = context.request.headers.get(PARAMETERS_HEADER);
  const plan = await view.explain(rql, {
    ...(range
      ? { start: range.start, ...(range.end !== undefined ? { end: range.end } : {}) }
      : {}),
    ...(sent === null ? {} : { parameters: decodeParameters(sent) }),
  });
  const took = performance.now() - started;
  return new Response(JSON.stringify({ model: name, ...plan }), {
    headers: {
      "content-type": EXPLAIN_TYPE,
      "server-timing": `explain;dur=${took.toFixed(1)}`,
      vary: "accept",
    },
  });
}
