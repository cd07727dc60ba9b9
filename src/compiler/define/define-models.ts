/**
 * Models defined at run time: the schemas go through the compiler's own load
 * and IR steps (the same keyword checks and diagnostics as schema files),
 * then each model's definition is built from the IR as `perstore build`
 * would emit it, with its validator compiled by ajv now, and bound to stores
 * by the same `createModelRegistry` generated code calls.
 */
import { SchemaError, SchemaErrors } from "../../errors/index.js";
import { createModelRegistry, type ModelClass, type ModelDefinition } from "../../model/index.js";
import { tableSpecsFromIR } from "../emit/ddl/table-specs-from-ir.js";
import { buildProjectIR } from "../ir/build-ir.js";
import { kebabCase } from "../ir/names.js";
import type { SchemaSource } from "../ir/model-sources.js";
import type { ModelIR, ProjectIR } from "../ir/types.js";
import { assertCodeGeneration } from "./code-generation.js";
import { definitionFromIR } from "./definition-from-ir.js";
import { instanceClass } from "./instance-class.js";
import { runtimeValidators } from "./runtime-validators.js";
import { expandSchema, type PrototypeMethods } from "./shorthand.js";
import type {
  DataFor,
  DefinedModel,
  DefinedModels,
  DefineModelOptions,
  DefineModelsOptions,
  RuntimeSchema,
  RuntimeStore,
  WithThis,
  WithThisIn,
} from "./types.js";

/** The file name a run-time model's diagnostics name (and file-style `$ref`s such as `company.schema.json#/$defs/Address` resolve to). */
function fileOf(name: string): string {
  return `${kebabCase(name)}.schema.json`;
}

/**
 * What Perstore's models took for granted: a record is an object (`type`
 * defaults to "object"), and a model that names no primary key and has no
 * `id` property gets `id: String` (generated on create when absent); a
 * sub-model (`allOf`) has its base's.
 */
function withPerstoreDefaults(json: Record<string, unknown>): void {
  json["type"] ??= "object";
  if (json["primaryKey"] !== undefined || json["allOf"] !== undefined) return;
  const properties = json["properties"];
  if (properties === undefined) {
    json["properties"] = { id: { type: "string" } };
  } else if (
    properties !== null &&
    typeof properties === "object" &&
    !Object.hasOwn(properties, "id")
  ) {
    json["properties"] = { id: { type: "string" }, ...properties };
  }
}

/** Expand every schema; throws SchemaErrors with every shorthand or prototype problem. */
function expandAll(schemas: Readonly<Record<string, unknown>>): {
  sources: SchemaSource[];
  prototypes: Map<string, PrototypeMethods>;
} {
  const errors: SchemaError[] = [];
  const sources: SchemaSource[] = [];
  const prototypes = new Map<string, PrototypeMethods>();
  const files = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const file = fileOf(name);
    const clash = files.get(file);
    if (clash !== undefined) {
      errors.push(
        new SchemaError(
          "SCHEMA_DUPLICATE_MODEL",
          `model ${name} has the same file name as ${clash}`,
          {
            file,
            pointer: "",
          },
        ),
      );
      continue;
    }
    files.set(file, name);
    const { json, prototype, issues } = expandSchema(schemas[name]);
    for (const issue of issues)
      errors.push(new SchemaError(issue.code, issue.message, { file, pointer: issue.pointer }));
    prototypes.set(name, prototype);
    withPerstoreDefaults(json);
    // The key is the model's name, whatever the schema's title says.
    sources.push({ file, text: JSON.stringify({ ...json, title: name }, null, 2) });
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return { sources, prototypes };
}

function buildRuntimeIR(sources: readonly SchemaSource[]): ProjectIR {
  // A run-time prototype is an object, never a module: there is nothing to read.
  return buildProjectIR(sources, { readMixins: () => new Map() });
}

/**
 * The compiler IR of run-time schemas (what `defineModels` builds its
 * models from), for the compiler's other outputs: `ddlOf(irOfSchemas(schemas))`
 * is the SQL that creates their tables. Throws SchemaErrors as
 * `defineModels` does.
 *
 * @example
 * ```ts
 * await runSqlScript(db, ddlOf(irOfSchemas(schemas)));
 * const models = defineModels(schemas, { db });
 * ```
 */
export function irOfSchemas(schemas: { readonly [name: string]: RuntimeSchema }): ProjectIR {
  return buildRuntimeIR(expandAll(schemas).sources);
}

/** Every model's definition, bases before their sub-models (a sub-model's class extends its base's). */
function definitionsOf(
  ir: ProjectIR,
  prototypes: ReadonlyMap<string, PrototypeMethods>,
): Map<string, ModelDefinition<any, any, any>> {
  const validators = runtimeValidators(ir);
  const specs = tableSpecsFromIR(ir);
  const byName = new Map(ir.models.map((m, i) => [m.name, { ir: m, sql: specs[i]! }]));
  const classes = new Map<string, ModelClass<any>>();
  const classOf = (model: ModelIR): ModelClass<any> => {
    let made = classes.get(model.name);
    if (made === undefined) {
      const base = model.base === undefined ? undefined : byName.get(model.base)!.ir;
      made = instanceClass(
        model,
        prototypes.get(model.name) ?? {},
        base && { ir: base, instanceClass: classOf(base) },
      );
      classes.set(model.name, made);
    }
    return made;
  };
  const definitions = new Map<string, ModelDefinition<any, any, any>>();
  for (const { ir: model, sql } of byName.values()) {
    definitions.set(
      model.name,
      definitionFromIR(model, {
        instanceClass: classOf(model),
        validate: validators.get(model.name)!,
        sql,
      }),
    );
  }
  return definitions;
}

/**
 * Define several models at run time, wired together for links and
 * sub-models (`allOf: [{ "$ref": "Base" }]`), as `createModels()` wires
 * generated ones. Each schema is what a schema file holds, plus Perstore's
 * shorthand (`String`, `Number`, `Boolean`, `Date` (a date-time string),
 * `Array`, `Object` as a property's value) and `prototype` as an object of
 * methods. Throws SchemaErrors (every problem, each with its JSON pointer)
 * for a bad schema, and MODEL_CODE_GENERATION_DISALLOWED where `new
 * Function` is banned.
 *
 * @example
 * ```ts
 * const { Author, Book } = defineModels({
 *   Author: { properties: { id: String, name: String }, required: ["name"] },
 *   Book: {
 *     properties: { id: String, title: String, authorId: String },
 *     links: [{ rel: "author", href: "Author/{authorId}" }],
 *   },
 * });
 * const book = await Book.create({ title: "Dune", authorId: (await Author.create({ name: "Frank" })).id });
 * await book.author(); // the Author instance
 * ```
 */
export function defineModels<const M extends { readonly [name: string]: RuntimeSchema }>(
  schemas: M & WithThisIn<M>,
  options: DefineModelsOptions<keyof M> = {},
): DefinedModels<M> {
  assertCodeGeneration();
  const { sources, prototypes } = expandAll(schemas);
  const ir = buildRuntimeIR(sources);
  const definitions = definitionsOf(ir, prototypes);
  const ordered = Object.fromEntries(Object.keys(schemas).map((n) => [n, definitions.get(n)!]));
  return createModelRegistry(ordered, {
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.stores === undefined ? {} : { stores: options.stores as never }),
  }) as unknown as DefinedModels<M>;
}

/**
 * Define one model at run time (Perstore's `Model(name, store, schema)`):
 * the same `Model` generated code builds, validating every write.
 * `store` may be any perstore store or one written to the original Perstore
 * contract; without one, a SqlStore over `options.db`, else a new
 * MemoryStore. For links between models, use `defineModels`.
 *
 * @example
 * ```ts
 * const Example = defineModel("Example", new MemoryStore(), {
 *   properties: { foo: String },
 *   prototype: { getFoo() { return this.foo; } },
 * });
 * const example = await Example.create({ foo: "bar" });
 * example.getFoo(); // "bar"
 * ```
 */
export function defineModel<
  TData extends object = never,
  const S extends RuntimeSchema = RuntimeSchema,
>(
  name: string,
  store: RuntimeStore | null | undefined,
  schema: WithThis<S, DataFor<TData, S> & object>,
  options: DefineModelOptions = {},
): DefinedModel<DataFor<TData, S> & object, S> {
  const models = defineModels({ [name]: schema } as Record<string, RuntimeSchema>, {
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(store == null ? {} : { stores: { [name]: store } }),
  });
  return models[name] as unknown as DefinedModel<DataFor<TData, S> & object, S>;
}
