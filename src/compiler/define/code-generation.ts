/**
 * `defineModel` compiles validators (ajv) and query predicates at run time,
 * which needs `new Function`. Where code generation from strings is banned
 * (`node --disallow-code-generation-from-strings`, a CSP without
 * `unsafe-eval`), it says so at once rather than on the first write; the
 * models `perstore build` emits need no code generation and run there.
 */
import { PerstoreError } from "../../errors/index.js";

let allowed: boolean | undefined;

function codeGenerationAllowed(): boolean {
  if (allowed !== undefined) return allowed;
  try {
    allowed = (new Function("return true") as () => boolean)();
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    allowed = false;
  }
  return allowed;
}

/** Throws MODEL_CODE_GENERATION_DISALLOWED where `new Function` is banned. */
export function assertCodeGeneration(): void {
  if (codeGenerationAllowed()) return;
  throw new PerstoreError(
    "MODEL_CODE_GENERATION_DISALLOWED",
    "defineModel compiles validators at run time, and code generation from strings is disallowed here " +
      "(--disallow-code-generation-from-strings or a Content-Security-Policy without unsafe-eval); " +
      "build the models ahead of time with `perstore build` and use createModels() from the generated output",
  );
}
