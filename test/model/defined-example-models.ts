/**
 * The example application's models defined at run time: schemas/*.schema.json
 * as they are, with Person's prototype module path replaced by the module
 * itself (the run-time form of a mixin), through `defineModels`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  defineModels,
  type DefineModelsOptions,
  type RuntimeSchema,
} from "../../src/compiler/index.js";
import type { Models } from "../../generated/index.js";
import * as personMixin from "../../schemas/person.mixin.js";

const SCHEMAS = join(import.meta.dirname, "../../schemas");

/** Each example schema by model name (its title), the prototype path swapped for the module. */
export function exampleSchemas(): Record<string, RuntimeSchema> {
  const out: Record<string, RuntimeSchema> = {};
  for (const file of readdirSync(SCHEMAS)
    .filter((f) => f.endsWith(".schema.json"))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, file), "utf8")) as Record<string, unknown>;
    if (schema["prototype"] === "./person.mixin.ts") schema["prototype"] = personMixin;
    out[schema["title"] as string] = schema;
  }
  return out;
}

/** The example models defined at run time, typed as `createModels()`'s (they are the same models). */
export function defineExampleModels(options: DefineModelsOptions = {}): Models {
  return defineModels(exampleSchemas(), options) as unknown as Models;
}
