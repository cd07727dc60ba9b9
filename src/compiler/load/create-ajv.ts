/**
 * One place that builds the compiler's ajv instances: draft 2020-12, formats
 * from ajv-formats, and perstore's keyword vocabulary.
 */
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Options } from "ajv";
import { perstoreVocabulary } from "./vocabulary.js";

// ajv and ajv-formats are CommonJS; under NodeNext their default export is module.exports.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule.default;

export type CompilerAjv = InstanceType<typeof Ajv2020>;

/** A draft 2020-12 ajv with formats and the perstore vocabulary registered. */
export function createAjv(options: Options = {}): CompilerAjv {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, ...options });
  addFormats(ajv);
  ajv.addVocabulary(perstoreVocabulary);
  return ajv;
}

/**
 * The ajv that compiles model validators (at build time and in defineModel),
 * after the load step has checked every schema: against the meta-schema, and
 * for unknown keywords and formats, each reported with its location (ajv's
 * strict mode would throw on the first one only, with no location). A
 * type-specific keyword without `type` (`{"minimum": 0}`) means what JSON
 * Schema says, "numbers must be >= 0", so strictTypes and strictTuples are off.
 */
export function createValidatorAjv(options: Options = {}): CompilerAjv {
  return createAjv({
    allErrors: true,
    validateSchema: false,
    strict: false,
    // Still reject NaN and Infinity where a number is expected (part of what `strict` turned on).
    strictNumbers: true,
    logger: false,
    ...options,
  });
}
