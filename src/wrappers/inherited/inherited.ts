/**
 * `inherited(base, subs)`: a model hierarchy across stores, as Perstore's
 * Inherited store. The base store holds base records (and any sub-type
 * without its own store); each sub-type named in `subs` keeps its records in
 * its own store. Records say their type in the discriminator property
 * (`perstore_type`, as the SQL table-per-hierarchy column and the models'
 * hierarchy views write it).
 */
import { ConflictError, NotFoundError, StoreError } from "../../errors/index.js";
import { toStore, type LegacyStore } from "../../store/adapt-store.js";
import { invalidIdError, isId } from "../../store/record-id.js";
import type {
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Store,
} from "../../store/types.js";
import { mergeQuery, type MergeSources } from "./merge-query.js";

/** Options of `inherited`. */
export interface InheritedOptions {
  /** The property naming a record's type (default `perstore_type`). */
  readonly discriminator?: string;
}

type Row = Record<string, unknown>;
type AnyStore = Store<any> | LegacyStore;

/**
 * One store over `base` and the sub-type stores `subs` (type name -> store).
 * `get` finds a record wherever it lives; `put`/`add` write to the store of
 * the record's type (its discriminator, else the store already holding its
 * id, else the base) and refuse, with STORE_CONFLICT, an id another store
 * holds under another type; `delete` removes it where it is; `query` merges
 * the stores' answers with global sort and paging (see merge-query.ts), a
 * sub-store's records tagged with their type where they lack it. A method
 * exists where every store has it; `get` is needed (INHERITED_NEEDS_GET).
 * @example
 * const people = inherited(personStore, { Employee: employeeStore });
 * await people.query("sort(+lastName)&limit(20,40)"); // Persons and Employees, one order
 */
export function inherited<T extends object = Record<string, unknown>>(
  base: AnyStore,
  subs: Readonly<Record<string, AnyStore>>,
  options: InheritedOptions = {},
): Store<T> {
  const bad = (code: string, message: string) => new StoreError(code, `inherited: ${message}`);
  if (subs === null || typeof subs !== "object")
    throw bad("INHERITED_BAD_SUBS", "subs must map sub-type names to stores");
  const types: (string | undefined)[] = [undefined, ...Object.keys(subs)];
  const stores = [
    toStore(base as Store<any>),
    ...Object.values(subs).map((s) => toStore(s as Store<any>)),
  ];
  const idProperty = stores[0]!.idProperty ?? "id";
  const discriminator = options.discriminator ?? "perstore_type";
  stores.forEach((store, i) => {
    const name = i === 0 ? "the base store" : `the store of ${types[i]}`;
    if (typeof store.get !== "function")
      throw bad("INHERITED_NEEDS_GET", `${name} has no get(), which finding a record by id needs`);
    if ((store.idProperty ?? "id") !== idProperty)
      throw bad("INHERITED_BAD_SUBS", `${name}'s id property is not "${idProperty}"`);
  });
  return build<T>({ stores, types, idProperty, discriminator });
}

interface Layout {
  readonly stores: readonly Store<any>[];
  readonly types: readonly (string | undefined)[];
  readonly idProperty: string;
  readonly discriminator: string;
}

function build<T extends object>(
  layout: Layout,
  journal?: Map<Id, { at: number; prior: Row | undefined }>,
): Store<T> {
  const { stores, types, idProperty, discriminator } = layout;
  const every = (method: keyof Store) => stores.every((s) => typeof s[method] === "function");
  const store: { -readonly [K in keyof Store<T>]: Store<T>[K] } = { idProperty };
  /** A sub-store's record says its type even where the store does not write it. */
  const tag = (record: Row, at: number): Row =>
    at === 0 || typeof record[discriminator] === "string"
      ? record
      : { ...record, [discriminator]: types[at] };
  /** Where `id` lives: the store's position and the record, or undefined. */
  const locate = async (id: Id) => {
    const found = await Promise.all(stores.map((s) => s.get!(id) as MaybePromise<Row | undefined>));
    const at = found.findIndex((r) => r !== undefined && r !== null);
    return at < 0 ? undefined : { at, raw: found[at]!, record: tag(found[at]!, at) };
  };
  const storeOfType = (type: unknown) => {
    const at = typeof type === "string" ? types.indexOf(type) : -1;
    return at > 0 ? at : 0;
  };

  store.get = async (id: Id) => (await locate(id))?.record as T | undefined;

  const write = async (object: T, options: PutOptions, method: "put" | "add"): Promise<Id> => {
    const record = object as Row;
    const id =
      options.id ??
      (record === null || typeof record !== "object" ? undefined : record[idProperty]);
    if (id === undefined) {
      const at = storeOfType(record?.[discriminator]);
      const created = await (method === "add"
        ? stores[at]!.add!(object, options)
        : stores[at]!.put!(object, options));
      if (journal !== undefined && !journal.has(created))
        journal.set(created, { at, prior: undefined });
      return created;
    }
    if (!isId(id)) throw invalidIdError(id, idProperty);
    const where = await locate(id);
    const type = record?.[discriminator];
    let at = storeOfType(type);
    if (where !== undefined) {
      if (options.overwrite === false)
        throw new ConflictError(`a record with id ${JSON.stringify(id)} already exists`);
      const typed = typeof type === "string" && types.includes(type);
      if (typed && at !== where.at)
        throw new ConflictError(
          `${JSON.stringify(id)} is a record of ${String(where.record[discriminator] ?? "the base type")}, ` +
            `which cannot become a ${String(type)} (it lives in another store)`,
          "STORE_CONFLICT",
        );
      at = where.at;
    } else if (options.overwrite === true) {
      throw new NotFoundError(`no record with id ${JSON.stringify(id)} to overwrite`);
    }
    if (journal !== undefined && !journal.has(id)) journal.set(id, { at, prior: where?.raw });
    return method === "add" ? stores[at]!.add!(object, options) : stores[at]!.put!(object, options);
  };
  if (every("put"))
    store.put = (object: T, options: PutOptions = {}) => write(object, options, "put");
  if (every("add"))
    store.add = (object: T, options: Omit<PutOptions, "overwrite"> = {}) =>
      write(object, { ...options, overwrite: false }, "add");
  if (every("delete")) {
    store.delete = async (id: Id) => {
      const where = await locate(id);
      if (where === undefined) return false;
      if (journal !== undefined && !journal.has(id))
        journal.set(id, { at: where.at, prior: where.raw });
      return stores[where.at]!.delete!(id);
    };
  }
  if (every("query")) {
    const sources: MergeSources = { stores, idProperty, tag };
    store.query = (query: QueryInput, options?: QueryOptions) =>
      mergeQuery(sources, query, options);
  }
  if (every("transaction")) {
    store.transaction = async <R>(fn: (tx: Store<T>) => MaybePromise<R>): Promise<R> => {
      // Each write touches one store; on a throw every written record is put back as it was.
      const log = new Map<Id, { at: number; prior: Row | undefined }>();
      try {
        return await fn(build<T>(layout, log));
      } catch (error) {
        for (const [id, { at, prior }] of [...log].reverse()) {
          const target = stores[at]!;
          if (prior === undefined) await target.delete?.(id);
          else await target.put?.(prior, { id });
        }
        throw error;
      }
    };
  }
  if (every("on")) {
    store.on = (event, listener) => {
      const offs = stores.map((s) => s.on!(event, listener as never));
      return () => offs.forEach((off) => off());
    };
  }
  return store as Store<T>;
}
