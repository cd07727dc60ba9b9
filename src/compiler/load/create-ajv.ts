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
