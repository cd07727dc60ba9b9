/** Run-time models: `defineModel` and `defineModels` (Perstore's `Model(name, store, schema)` without a build step). */
export { defineModel, defineModels, irOfSchemas } from "./define-models.js";
export { assertCodeGeneration } from "./code-generation.js";
export type {
  DataFor,
  DefinedInstance,
  DefinedModel,
  DefinedModels,
  InstanceIn,
  QueriesIn,
  DefineModelOptions,
  DefineModelsOptions,
  LinksOf,
  MethodsOf,
  PropertyValue,
  RecordIn,
  RecordOf,
  RuntimeSchema,
  RuntimeStore,
  ShorthandConstructor,
} from "./types.js";
