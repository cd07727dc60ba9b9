/**
 * `createModelRegistry`: one `Model` per definition, wired together so links
 * resolve to the target model's store. Each model keeps its records in
 * `stores[Name]`, else a `SqlStore` over `db` (its module is imported on
 * first use), else a new `MemoryStore` with the model's indexes.
 *
 * Sub-models (`allOf`): on SQL each model's table spec already names the base
 * table with a `perstore_type` discriminator, so they share one table. In
 * memory each model gets its own store (a base-model query does not see
 * sub-model records); pass the same store in `stores` to share one.
 */
import type { Kysely } from "kysely";
import { StoreError } from "../errors/index.js";
import { MemoryStore } from "../store/memory/memory-store.js";
import type { Store } from "../store/types.js";
import type {
  ModelDefinition,
  ModelDefinitions,
  ModelRegistry,
  ModelRegistryOptions,
} from "./definition.js";
import type { AnyInstance } from "./model-instance.js";
import { BoundModel, type ModelContext } from "./model.js";

async function sqlStore(db: Kysely<any>, definition: ModelDefinition<any, any, any>): Promise<Store<any>> {
  if (!definition.sql) {
    throw new StoreError("MODEL_NO_TABLE", `model ${definition.name} has no SQL table spec; rebuild with perstore build`);
  }
  // Loaded on first use: a memory-only program never loads the SQL layer.
  const { SqlStore } = await import("../store/sql/sql-store.js");
  return new SqlStore({ db, table: definition.sql, querySchema: definition.querySchema }) as unknown as Store<any>;
}

/** Resolve each model's store once, on first use. */
function storeSource(
  definition: ModelDefinition<any, any, any>,
  options: ModelRegistryOptions,
): () => Promise<Store<any>> {
  const given = options.stores?.[definition.name];
  if (given) return () => Promise.resolve(given);
  const db = options.db;
  if (db) {
    let pending: Promise<Store<any>> | undefined;
    return () => {
      pending ??= sqlStore(db, definition).catch((error: unknown) => {
        pending = undefined; // let a later call retry
        throw error;
      });
      return pending;
    };
  }
  const memory = Promise.resolve(
    new MemoryStore<Record<string, unknown>>({
      idProperty: definition.primaryKey,
      indexes: (definition.indexes ?? []).map((index) => ({ fields: [...index.fields], unique: index.unique === true })),
    }) as unknown as Store<any>,
  );
  return () => memory;
}

/**
 * Build the models of a project from their definitions (keyed by model name).
 *
 * @example
 * ```ts
 * const models = createModelRegistry({ Person: PersonDefinition, Company: CompanyDefinition });
 * const ada = await models.Person.create({ name: "Ada", employerId: acme.id });
 * const employer = await ada.employer(); // a Company instance
 * ```
 */
export function createModelRegistry<const D extends ModelDefinitions>(
  definitions: D,
  options: ModelRegistryOptions<D> = {},
): ModelRegistry<D> {
  const models = new Map<string, BoundModel<AnyInstance, object>>();
  const context: ModelContext = { model: (name) => models.get(name) };
  const registry: Record<string, BoundModel<AnyInstance, object>> = {};
  for (const key of Object.keys(definitions)) {
    const definition = definitions[key] as ModelDefinition<object, AnyInstance, any>;
    const model = new BoundModel(definition, storeSource(definition, options as ModelRegistryOptions), context);
    models.set(definition.name, model);
    registry[key] = model;
  }
  return Object.freeze(registry) as unknown as ModelRegistry<D>;
}
