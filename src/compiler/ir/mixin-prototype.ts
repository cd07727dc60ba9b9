/**
 * Mixins: a model's `prototype` names a TypeScript module (a path from the
 * schema file) whose exported functions become methods of the model class.
 */
import { posix } from "node:path";
import type { Diagnostics } from "../load/diagnostics.js";
import type { ModelSource } from "./model-sources.js";
import type { ModelIR } from "./types.js";

/** Each model's mixin module, as a root-relative path, for the models that have one. */
export function mixinModulesOf(models: readonly ModelSource[]): Map<string, string> {
  const mixinModules = new Map<string, string>();
  for (const m of models) {
    const spec = m.normalized["prototype"];
    const module =
      typeof spec === "string" ? spec : (spec as { module?: unknown } | undefined)?.module;
    if (typeof module === "string") mixinModules.set(m.name, mixinPath(m.file, module));
  }
  return mixinModules;
}

/**
 * The model's prototype: the exports it claims (or, when it claims none, all
 * the module exports), sorted. Undefined, after a diagnostic, when the module
 * does not exist; missing exports are reported but do not drop the prototype.
 */
export function mixinPrototype(
  m: ModelSource,
  module: string,
  exported: readonly string[] | undefined,
  diagnostics: Diagnostics,
): ModelIR["prototype"] {
  const spec = m.normalized["prototype"];
  const claimed =
    typeof spec === "object" && spec !== null
      ? (spec as { exports?: string[] }).exports
      : undefined;
  if (exported === undefined) {
    diagnostics.error(
      "SCHEMA_MIXIN_NOT_FOUND",
      `prototype module ${module} does not exist`,
      m.file,
      "/prototype",
    );
    return undefined;
  }
  const missing = (claimed ?? []).filter((name) => !exported.includes(name));
  missing.forEach((name) =>
    diagnostics.error(
      "SCHEMA_MIXIN_MISSING_EXPORT",
      `prototype module ${module} does not export a function ${name}`,
      m.file,
      `/prototype/exports/${claimed!.indexOf(name)}`,
    ),
  );
  if (claimed === undefined && exported.length === 0) {
    diagnostics.error(
      "SCHEMA_MIXIN_MISSING_EXPORT",
      `prototype module ${module} exports no functions`,
      m.file,
      "/prototype",
    );
  }
  return { module, exports: [...(claimed ?? exported)].sort() };
}

/** A mixin path from the schema file's folder, made root-relative; `.js` names the `.ts` source. */
function mixinPath(schemaFile: string, module: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(schemaFile), module));
  return joined.endsWith(".js") ? `${joined.slice(0, -3)}.ts` : joined;
}
