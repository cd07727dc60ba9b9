/** A model's named `queries`, parsed and checked against its query schema. */
import type { JsonQuery, QuerySchema } from "../../query/ast.js";
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import { parseChecked } from "./parse-checked.js";
import { queryParameters, type ParameterHints } from "./query-parameters.js";
import type { NamedQueryIR } from "./types.js";

/** One query bound to a model's schema, or undefined after `report`ing why it does not check. */
export function checkedQuery(
  name: string,
  source: unknown,
  schema: QuerySchema,
  hints: ParameterHints,
  report: (code: string, message: string) => void,
): NamedQueryIR | undefined {
  const query = parseChecked(source, schema, (code, message) =>
    report(code, `query ${name}: ${message}`),
  );
  if (!query) return undefined;
  try {
    return {
      name,
      source: structuredClone(source) as string | JsonQuery,
      query,
      parameters: queryParameters(query, schema, hints),
    };
  } catch (error) {
    report("SCHEMA_BAD_QUERY", `query ${name}: ${(error as Error).message}`);
    return undefined;
  }
}

/** The named queries `m` declares itself, sorted by name; one that does not check is reported and left out. */
export function queriesOf(
  m: ModelSource,
  schema: QuerySchema,
  hints: ParameterHints,
  diagnostics: Diagnostics,
): NamedQueryIR[] {
  const declared = m.normalized["queries"];
  if (declared === null || typeof declared !== "object") return [];
  const out: NamedQueryIR[] = [];
  for (const [name, source] of Object.entries(declared as Record<string, unknown>)) {
    const query = checkedQuery(name, source, schema, hints, (code, message) =>
      diagnostics.error(code, message, m.file, `/queries/${name}`),
    );
    if (query) out.push(query);
  }
  return out.sort(byName);
}

/**
 * A sub-model's queries: its ancestors' (root first, nearer ones overriding),
 * re-bound to the sub-model's own schema, then its own, which override all.
 * An inherited query that checked on its ancestor but not on the sub-model
 * (a property redefined) is reported on the sub-model.
 */
export function withInheritedQueries(
  m: ModelSource,
  own: readonly NamedQueryIR[],
  ancestors: readonly { readonly name: string; readonly queries: readonly NamedQueryIR[] }[],
  schema: QuerySchema,
  hints: ParameterHints,
  diagnostics: Diagnostics,
): NamedQueryIR[] {
  const byQueryName = new Map<string, NamedQueryIR>();
  for (const ancestor of ancestors) {
    for (const q of ancestor.queries) {
      if (q.inheritedFrom !== undefined || declares(m, q.name)) continue;
      const rebound = checkedQuery(q.name, q.source, schema, hints, (code, message) =>
        diagnostics.error(code, `${message} (inherited from ${ancestor.name})`, m.file, ""),
      );
      if (rebound) byQueryName.set(q.name, { ...rebound, inheritedFrom: ancestor.name });
      else byQueryName.delete(q.name);
    }
  }
  for (const q of own) byQueryName.set(q.name, q);
  return [...byQueryName.values()].sort(byName);
}

/** True when `m`'s own `queries` has this name (even one that does not check). */
function declares(m: ModelSource, name: string): boolean {
  const declared = m.normalized["queries"];
  return declared !== null && typeof declared === "object" && Object.hasOwn(declared, name);
}

function byName(a: NamedQueryIR, b: NamedQueryIR): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
