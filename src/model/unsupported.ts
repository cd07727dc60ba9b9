/** The error for a model method its store cannot serve. */
import { PerstoreError } from "../errors/index.js";

/** MODEL_UNSUPPORTED: the store of `model` has no `method`. */
export function unsupported(model: string, method: string): PerstoreError {
  return new PerstoreError("MODEL_UNSUPPORTED", `the store of ${model} has no ${method}()`);
}
