/** A model's indexes: those declared under `indexes`, then one per own unique or indexed property. */
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import type { IndexIR, PropertyIR } from "./types.js";

/**
 * Indexes are named `<table>_<fields>_key` (unique) or `_idx`; a second index
 * of the same name is dropped. Unknown fields are SCHEMA_UNKNOWN_INDEX_FIELD.
 */
export function indexesOf(
  m: ModelSource,
  table: string,
  properties: readonly PropertyIR[],
  diagnostics: Diagnostics,
): IndexIR[] {
  const out: IndexIR[] = [];
  const add = (fields: readonly string[], unique: boolean): void => {
    const name = `${table}_${fields.join("_")}_${unique ? "key" : "idx"}`;
    if (!out.some((i) => i.name === name)) out.push({ name, fields: [...fields], unique });
  };
  const declared = m.normalized["indexes"];
  if (Array.isArray(declared)) {
    declared.forEach((index: { fields?: unknown; unique?: unknown }, i) => {
      if (!Array.isArray(index?.fields)) return;
      const fields = index.fields as string[];
      const unknown = fields.filter((f) => !properties.some((p) => p.name === f));
      unknown.forEach((f) =>
        diagnostics.error(
          "SCHEMA_UNKNOWN_INDEX_FIELD",
          `index field ${f} is not a property of ${m.name}`,
          m.file,
          `/indexes/${i}/fields/${fields.indexOf(f)}`,
        ),
      );
      if (unknown.length === 0) add(fields, index.unique === true);
    });
  }
  for (const p of properties) {
    if (p.inheritedFrom !== undefined) continue;
    if (p.unique) add([p.name], true);
    else if (p.indexed) add([p.name], false);
  }
  return out;
}
