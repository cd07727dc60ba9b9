/**
 * Validators compiled at run time with the same ajv setup the build uses for
 * its standalone validators (emit-validators.ts): draft 2020-12, all errors,
 * ajv-formats, the perstore vocabulary, every model's resolved schema added
 * under its name so `$ref`s between models resolve.
 */
import { SchemaError, SchemaErrors } from "../../errors/index.js";
import type { ModelValidateFunction } from "../../model/index.js";
import { createValidatorAjv } from "../load/create-ajv.js";
import type { ProjectIR } from "../ir/types.js";

/** Each model's validator, by name, compiled now (so a schema ajv refuses fails at definition time). */
export function runtimeValidators(ir: ProjectIR): ReadonlyMap<string, ModelValidateFunction> {
  // The build's settings: the load step already checked every schema (meta-schema, unknown keywords).
  const ajv = createValidatorAjv();
  for (const model of ir.models) ajv.addSchema(structuredClone(model.schema) as object, model.name);
  const validators = new Map<string, ModelValidateFunction>();
  const errors: SchemaError[] = [];
  for (const model of ir.models) {
    try {
      validators.set(model.name, ajv.getSchema(model.name) as unknown as ModelValidateFunction);
    } catch (error) {
      // ajv's strict mode refuses what the build would refuse too (e.g. `properties` without `type: "object"`).
      const message = error instanceof Error ? error.message : String(error);
      errors.push(new SchemaError("SCHEMA_INVALID", message, { file: model.file, pointer: "" }));
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return validators;
}
