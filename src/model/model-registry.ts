/**
 * `createModelRegistry`: one `Model` per definition, wired together so links
 * resolve to the target model's store. Each model keeps its records in
 * `stores[Name]`, else a `SqlStore` over `db` (its module is imported on
 * first use), else a new `MemoryStore` with the model's indexes.
 *
 * Sub-models (`allOf`) share one store per hierarchy, so a base-model query
 * returns sub-model records (as sub-model instances): on SQL each model's
 * table spec names the base table with a `perstore_type` discriminator; in
 * memory (no `db`) the hierarchy's models are views of one store (the root
 * model's `stores` entry, else one `MemoryStore` with every member's
 * indexes) with the same discriminator. A sub-model given its own entry in
 * `stores` keeps its records there, and the models above it read that store
 * too, through `inherited` (see split-hierarchy.ts).
 */
import type { Kysely } from "kysely";
import { StoreError } from "../errors/index.js";
import { toStore } from "../store/adapt-store.js";
import { MemoryStore } from "../store/memory/memory-store.js";
import { fullText } from "../wrappers/full-text/index.js";
import type { Store } from "../store/types.js";
import type {
  ModelDefinition,
  ModelDefinitions,
  ModelRegistry,
  ModelRegistryOptions,
  RemoteModelsOptions,
} from "./definition.js";
import type { AnyInstance } from "./model-instance.js";
import { hierarchyStore } from "./hierarchy-store.js";
import { hasOwnSubStores, splitHierarchySources } from "./split-hierarchy.js";
import { BoundModel, type ModelContext } from "./model.js";

type AnyDefinition = ModelDefinition<any, any, any>;

async function sqlStore(db: Kysely<any>, definition: AnyDefinition): Promise<Store<any>> {
  if (!definition.sql) {
    throw new StoreError(
      "MODEL_NO_TABLE",
      `model ${definition.name} has no SQL table spec; rebuild with perstore build`,
    );
  }
  // Loaded on first use: a memory-only program never loads the SQL layer.
  const { SqlStore } = await import("../store/sql/sql-store.js");
  return new SqlStore({
    db,
    table: definition.sql,
    querySchema: definition.querySchema,
  }) as unknown as Store<any>;
}

/** Each model's RemoteStore on the server at `remote`, created on first use. */
function remoteSource(
  definition: AnyDefinition,
  remote: string | RemoteModelsOptions,
  token: string | undefined,
): () => Promise<Store<any>> {
  const { url, ...client } = typeof remote === "string" ? { url: remote } : remote;
  let pending: Promise<Store<any>> | undefined;
  return () =>
    (pending ??= import("../store/remote/remote-store.js").then(
      ({ RemoteStore }) =>
        new RemoteStore({
          ...(token !== undefined ? { token } : {}),
          ...client,
          url: `${url.replace(/\/+$/, "")}/${encodeURIComponent(definition.name)}/`,
          idProperty: definition.primaryKey,
          querySchema: definition.querySchema,
        }) as unknown as Store<any>,
    ));
}

function memoryStore(primaryKey: string, definitions: readonly AnyDefinition[]): Store<any> {
  const indexes = new Map<string, { fields: string[]; unique: boolean }>();
  for (const index of definitions.flatMap((d) => d.indexes ?? [])) {
    const key = JSON.stringify([index.fields, index.unique === true]);
    indexes.set(key, { fields: [...index.fields], unique: index.unique === true });
  }
  const store = new MemoryStore<Record<string, unknown>>({
    idProperty: primaryKey,
    indexes: [...indexes.values()],
  }) as unknown as Store<any>;
  // A model whose schema declares fullText answers search() in memory too, from the wrapper's index.
  const text = definitions[0]?.sql?.fullText;
  return text === undefined
    ? store
    : fullText(store, { fields: text.fields, language: text.language });
}

/** The models of each hierarchy: root name -> its members (root first), from the definitions' `base`. */
function hierarchies(definitions: readonly AnyDefinition[]): Map<string, AnyDefinition[]> {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const rootOf = (d: AnyDefinition): string => {
    const seen = new Set<string>();
    let current = d;
    while (current.base !== undefined && byName.has(current.base) && !seen.has(current.name)) {
      seen.add(current.name);
      current = byName.get(current.base)!;
    }
    return current.name;
  };
  const out = new Map<string, AnyDefinition[]>();
  for (const d of definitions) {
    const root = rootOf(d);
    const members = out.get(root) ?? [];
    if (d.name === root) members.unshift(d);
    else members.push(d);
    out.set(root, members);
  }
  return out;
}

/** `name` and every model below it. */
function descendants(name: string, members: readonly AnyDefinition[]): string[] {
  const out = [name];
  for (let i = 0; i < out.length; i++) {
    for (const d of members) if (d.base === out[i] && !out.includes(d.name)) out.push(d.name);
  }
  return out;
}

/** Each model's store, resolved once on first use. */
function storeSources(
  definitions: readonly AnyDefinition[],
  options: ModelRegistryOptions,
): Map<string, () => Promise<Store<any>>> {
  const sources = new Map<string, () => Promise<Store<any>>>();
  const db = options.db;
  const remote = options.remote;
  if (remote !== undefined) {
    if (db !== undefined)
      throw new StoreError("STORE_BAD_OPTION", "createModels: give db or remote, not both");
    const url = typeof remote === "string" ? remote : remote?.url;
    if (typeof url !== "string" || !/^https?:\/\//i.test(url))
      throw new StoreError(
        "STORE_BAD_OPTION",
        `createModels: remote must be an http(s) URL, not ${JSON.stringify(url)}`,
      );
    // The server keeps each hierarchy together: every model is its own collection there.
    for (const definition of definitions) {
      const given = options.stores?.[definition.name];
      sources.set(
        definition.name,
        given ? () => Promise.resolve(given) : remoteSource(definition, remote, options.token),
      );
    }
    return sources;
  }
  for (const [root, members] of hierarchies(definitions)) {
    if (hasOwnSubStores(root, members, options.stores)) {
      // Sub-models with stores of their own: each model reads them through `inherited`.
      const rootStorage = db
        ? { perModel: (definition: AnyDefinition) => sqlStore(db, definition) }
        : { shared: () => memoryStore(members[0]!.primaryKey, members) };
      splitHierarchySources(root, members, options.stores!, rootStorage, sources);
      continue;
    }
    const shared =
      members.length > 1 && !db
        ? (options.stores?.[root] ?? memoryStore(members[0]!.primaryKey, members))
        : undefined;
    for (const definition of members) {
      const given = options.stores?.[definition.name];
      if (shared && (definition.name === root || !given)) {
        const view = Promise.resolve(
          hierarchyStore(shared, definition.name, root, descendants(definition.name, members)),
        );
        sources.set(definition.name, () => view);
      } else if (given) {
        sources.set(definition.name, () => Promise.resolve(given));
      } else if (db) {
        let pending: Promise<Store<any>> | undefined;
        sources.set(definition.name, () => {
          pending ??= sqlStore(db, definition).catch((error: unknown) => {
            pending = undefined; // let a later call retry
            throw error;
          });
          return pending;
        });
      } else {
        const memory = Promise.resolve(memoryStore(definition.primaryKey, [definition]));
        sources.set(definition.name, () => memory);
      }
    }
  }
  return sources;
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
  // Every store handed in goes through the one door (an original Perstore store is adapted there).
  const given = options.stores ?? {};
  const stores = Object.fromEntries(
    Object.entries(given).map(([name, store]) => [name, store && toStore(store)]),
  );
  const sources = storeSources(Object.values(definitions), {
    ...options,
    stores,
  } as ModelRegistryOptions);
  for (const key of Object.keys(definitions)) {
    const definition = definitions[key] as ModelDefinition<object, AnyInstance, any>;
    const model = new BoundModel(definition, sources.get(definition.name)!, context);
    models.set(definition.name, model);
    registry[key] = model;
  }
  return Object.freeze(registry) as unknown as ModelRegistry<D>;
}
