/**
 * The emitters, in order. Each is a pure function of the IR; add one line to
 * emit more (DDL, snapshots and migrations come from `./ddl/`). Per-model
 * emitters tag their files with `model` and, when `context.models` is set,
 * emit only those models' files (what a watch-mode rebuild needs);
 * project-level emitters always emit everything.
 */
import type { ProjectIR } from "../ir/types.js";
import { emitDdl } from "./ddl/emit-ddl.js";
import { emitDataTypes } from "./emit-data-types.js";
import { emitDatabase } from "./emit-database.js";
import { emitIndex } from "./emit-index.js";
import { emitModelClasses } from "./emit-model-classes.js";
import { emitOpenApi } from "./emit-openapi.js";
import { emitValidators } from "./emit-validators.js";
import type { EmittedFile } from "./emitted-file.js";

export interface EmitContext {
  /** Output folder relative to the project root (posix). */
  readonly outDir: string;
  /** Emit per-model files only for these models (default: every model). */
  readonly models?: ReadonlySet<string>;
}

export type Emitter = (
  ir: ProjectIR,
  context: EmitContext,
) => EmittedFile[] | Promise<EmittedFile[]>;

export const EMITTERS: readonly Emitter[] = [
  emitDataTypes,
  emitValidators,
  emitModelClasses,
  emitDatabase,
  emitIndex,
  emitDdl,
  emitOpenApi,
];

/**
 * The per-model emitters (files tagged with `model`, only for `context.models`),
 * largest output first: a build runs them a batch of models at a time so
 * prettier can start on the first files while later ones are emitted.
 */
export const MODEL_EMITTERS: readonly Emitter[] = [emitValidators, emitModelClasses, emitDataTypes];

/** The project-level emitters (every file, whatever `context.models` says). */
export const PROJECT_EMITTERS: readonly Emitter[] = EMITTERS.filter(
  (e) => !MODEL_EMITTERS.includes(e),
);
