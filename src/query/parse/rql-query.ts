/**
 * Turns the RQL syntax tree into the query AST: looks operator names up in
 * perstore's own tables (never on a prototype), reads values, and gathers
 * the result operators (`sort`, `limit`, `select`, ...) from the top level.
 * Conditions are read in rql-filter.ts, clauses in rql-clauses.ts.
 */
import { QueryError } from "../../errors/index.js";
import type { AggregateClause, FilterNode, Path, Query } from "../ast.js";
import { aggregateOutputNames } from "../aggregate-records.js";
import { at, nodePositions, positionOf } from "./positions.js";
import { addClause, type Mutable } from "./rql-clauses.js";
import { toFilter } from "./rql-filter.js";
import { CLAUSES, CONDITION_OPERATORS } from "./rql-operators.js";
import { parseRqlSyntax } from "./rql-syntax.js";

/** Parses an RQL / URL query string into a (not yet frozen) Query. */
export function parseRql(input: string): Query {
  const top = parseRqlSyntax(input);
  const query: Mutable<Query> = {
    kind: "query",
    filter: { kind: "and", terms: [] },
    sort: [],
    distinct: false,
  };
  const terms: FilterNode[] = [];
  const items = top.join === "and" ? top.items : [top];
  for (const item of items) {
    if (item.t === "call" && CLAUSES.has(item.name) && !CONDITION_OPERATORS.has(item.name)) {
      addClause(query, item);
    } else {
      terms.push(toFilter(item));
    }
  }
  query.filter = terms.length === 1 ? terms[0]! : { kind: "and", terms };
  if (query.aggregate) nameAggregateOutputs(query, query.aggregate);
  return query;
}

/**
 * Sort, projection and result operators run after `aggregate()`, on its rows:
 * their paths must name its outputs, and become those single names (so
 * `sort(max_a/b)` is the output "max_a/b", not a path into it).
 */
function nameAggregateOutputs(query: Mutable<Query>, clause: AggregateClause): void {
  const outputs = new Set(aggregateOutputNames(clause));
  const output = (path: Path, node: object): Path => {
    const name = path.join("/");
    if (!outputs.has(name)) {
      throw new QueryError(
        "QUERY_UNKNOWN_PROPERTY",
        `${JSON.stringify(name)} is not an output of aggregate() (it gives ${[...outputs].map((o) => JSON.stringify(o)).join(", ")})`,
        positionOf(node),
      );
    }
    return [name];
  };
  query.sort = query.sort.map((key) =>
    moved(key, { path: output(key.path, key), descending: key.descending }),
  );
  const { projection, result } = query;
  if (projection)
    query.projection = moved(projection, {
      kind: projection.kind,
      paths: projection.paths.map((p) => output(p, projection)),
    });
  if (result && "path" in result)
    query.result = moved(result, { kind: result.kind, path: output(result.path, result) });
}

/** `replacement`, keeping the position recorded for `node`. */
function moved<T extends object>(node: object, replacement: T): T {
  const position = nodePositions.get(node);
  return position === undefined ? replacement : at(replacement, position);
}
