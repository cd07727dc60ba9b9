/** A model's named `queries`, parsed and checked against its query schema. */
import type { FieldType, JsonQuery, QuerySchema } from "../../query/ast.js";
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import { parseChecked } from "./parse-checked.js";
import { queryParameters } from "./query-parameters.js";
import type { NamedQueryIR } from "./types.js";

/** The named queries of `m`, sorted by name; one that does not check is reported and left out. */
export function queriesOf(
  m: ModelSource,
  schema: QuerySchema,
  itemTypes: ReadonlyMap<string, FieldType>,
  diagnostics: Diagnostics,
): NamedQueryIR[] {
  const declared = m.normalized["queries"];
  if (declared === null || typeof declared !== "object") return [];
  const out: NamedQueryIR[] = [];
  for (const [name, source] of Object.entries(declared as Record<string, unknown>)) {
    const at = `/queries/${name}`;
    const query = parseChecked(source, schema, (code, message) =>
      diagnostics.error(code, `query ${name}: ${message}`, m.file, at),
    );
    if (!query) continue;
    try {
      out.push({
        name,
        source: structuredClone(source) as string | JsonQuery,
        query,
        parameters: queryParameters(query, schema, itemTypes),
      });
    } catch (error) {
      diagnostics.error(
        "SCHEMA_BAD_QUERY",
        `query ${name}: ${(error as Error).message}`,
        m.file,
        at,
      );
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
