/**
 * The small ajv runtime that generated standalone validators need. ajv's
 * standalone output `require`s these from `ajv/dist/runtime/*` and
 * `ajv-formats`; the compiler rewrites those requires into imports of the
 * names below from `perstore`, so generated validators are real ESM that
 * import only `perstore`.
 */
import equalModule from "ajv/dist/runtime/equal.js";
import ucs2lengthModule from "ajv/dist/runtime/ucs2length.js";
import uriModule from "ajv/dist/runtime/uri.js";
import validationErrorModule from "ajv/dist/runtime/validation_error.js";
import { fullFormats } from "ajv-formats/dist/formats.js";

// CommonJS interop: under NodeNext the default import is module.exports.
function interop<T>(module: T): T extends { default: infer D } ? D : T {
  return ((module as { default?: unknown }).default ?? module) as T extends { default: infer D }
    ? D
    : T;
}

/** Deep equality used by `const`, `enum` and `uniqueItems`. */
export const ajvEqual: (a: unknown, b: unknown) => boolean = interop(equalModule) as unknown as (
  a: unknown,
  b: unknown,
) => boolean;
/** String length in Unicode code points (`maxLength`, `minLength`). */
export const ajvUcs2length: (s: string) => number = interop(ucs2lengthModule) as (
  s: string,
) => number;
/** The URI parser used by `format: uri` and friends. */
export const ajvUri: unknown = interop(uriModule);
/** The error class async validators throw. */
export const AjvValidationError: unknown = interop(validationErrorModule);
/** ajv-formats' full format table (`email`, `date-time`, `uuid`, `date`, `uri`, ...). */
export const ajvFormats: Readonly<Record<string, unknown>> = fullFormats as Readonly<
  Record<string, unknown>
>;

/** Which perstore export replaces each `ajv/dist/runtime/<name>` module. */
export const AJV_RUNTIME_EXPORTS: Readonly<Record<string, string>> = {
  equal: "ajvEqual",
  ucs2length: "ajvUcs2length",
  uri: "ajvUri",
  validation_error: "AjvValidationError",
};
