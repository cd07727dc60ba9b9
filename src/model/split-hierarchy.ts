/**
 * A model hierarchy whose sub-models keep their records in stores of their
 * own (`createModels({ stores: { Person: memA, Employee: sqlB } })`): each
 * model reads its own store plus the stores of the sub-models below it,
 * through `inherited`, so `Person.query()` merges Persons and Employees with
 * one sort and page, `Person.get(id)` finds an Employee in its store, and
 * each record comes back as an instance of its own model (the discriminator
 * says which). A model without an entry shares the store of its nearest
 * ancestor that has one (the root's: `stores[root]`, else the SQL table of
 * the hierarchy, else one MemoryStore).
 */
import type { Store } from "../store/types.js";
import { inherited } from "../wrappers/inherited/index.js";
import type { ModelDefinition } from "./definition.js";
import { DISCRIMINATOR, hierarchyStore } from "./hierarchy-store.js";

type AnyDefinition = ModelDefinition<any, any, any>;
type Source = () => Promise<Store<any>>;

/** Whether some sub-model of the hierarchy has a store of its own. */
export function hasOwnSubStores(
  root: string,
  members: readonly AnyDefinition[],
  stores: Readonly<Record<string, Store<any> | undefined>> | undefined,
): boolean {
  return members.some((d) => d.name !== root && stores?.[d.name] !== undefined);
}

/** How the root's group is stored when `stores[root]` is not given. */
export interface RootStorage {
  /** One store for the whole group (memory), made once. */
  readonly shared?: () => Store<any>;
  /** One store per model (SQL: each over its table spec with its discriminator values). */
  readonly perModel?: (definition: AnyDefinition) => Promise<Store<any>>;
}

/** Sets `sources` for every member of a hierarchy split over several stores. */
export function splitHierarchySources(
  root: string,
  members: readonly AnyDefinition[],
  stores: Readonly<Record<string, Store<any> | undefined>>,
  rootStorage: RootStorage,
  sources: Map<string, Source>,
): void {
  const byName = new Map(members.map((d) => [d.name, d]));
  const owners = new Set([
    root,
    ...members.filter((d) => stores[d.name] !== undefined).map((d) => d.name),
  ]);
  const below = (name: string): string[] => {
    const out = [name];
    for (let i = 0; i < out.length; i++)
      for (const d of members) if (d.base === out[i] && !out.includes(d.name)) out.push(d.name);
    return out;
  };
  const groupOf = (name: string): string => {
    let current = name;
    while (!owners.has(current)) current = byName.get(current)!.base!;
    return current;
  };
  let shared: Store<any> | undefined;
  const groupStore = (group: string): Store<any> =>
    stores[group] ?? (shared ??= rootStorage.shared!());
  const own = async (definition: AnyDefinition): Promise<Store<any>> => {
    const group = groupOf(definition.name);
    if (group === root && stores[root] === undefined && rootStorage.perModel)
      return rootStorage.perModel(definition);
    return hierarchyStore(groupStore(group), definition.name, group, below(definition.name));
  };
  for (const definition of members) {
    const group = groupOf(definition.name);
    const subOwners = [...owners].filter(
      (o) => o !== group && o !== definition.name && below(definition.name).includes(o),
    );
    let pending: Promise<Store<any>> | undefined;
    const make = async () => {
      const base = await own(definition);
      if (subOwners.length === 0) return base;
      const subs = Object.fromEntries(
        subOwners.map((o) => [o, hierarchyStore(stores[o]!, o, o, below(o))]),
      );
      return inherited(base, subs, { discriminator: DISCRIMINATOR });
    };
    sources.set(definition.name, () => {
      pending ??= make().catch((error: unknown) => {
        pending = undefined; // let a later call retry
        throw error;
      });
      return pending;
    });
  }
}
