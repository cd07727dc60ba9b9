import type { ModelIR, ProjectIR } from "../ir/types.js";
import type { EmitContext } from "./emitters.js";

/** The models whose per-model files `context` asks for (every model unless `context.models` is set). */
export function selectedModels(
  ir: ProjectIR,
  context: Pick<EmitContext, "models"> = {},
): readonly ModelIR[] {
  const only = context.models;
  return only === undefined ? ir.models : ir.models.filter((m) => only.has(m.name));
}
