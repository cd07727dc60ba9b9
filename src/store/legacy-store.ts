/**
 * A store written to the original Perstore contract, seen through this one.
 * Old Perstore stores took `put(object, id)` (the README's "the optional
 * second parameter defines the primary identifier") or `put(object,
 * directives)` with `directives.id`, created with `create(object)`, ran
 * transactions through `startTransaction()` / `commitTransaction()` /
 * `abortTransaction()` hooks, answered RQL strings only, and returned from
 * writes whatever they liked (`put` gave `isNew && id`, `delete` nothing).
 */
import { randomUUID } from "node:crypto";
import { ConflictError, NotFoundError, StoreError } from "../errors/index.js";
import { executeQuery } from "../query/execute-query.js";
import { copyRecord } from "./copy.js";
import { assertRecord, invalidIdError, isId } from "./record-id.js";
import type {
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Results,
  Store,
  StoreEventName,
  StoreListener,
} from "./types.js";

/** The original Perstore store contract: every method optional, as in this one. */
export interface LegacyStore {
  readonly idProperty?: string;
  get?(id: Id): unknown;
  /** `put(object, id)`, or `put(object, { id, overwrite })` (see `ToStoreOptions.putId`). */
  put?(object: object, idOrDirectives?: unknown): unknown;
  create?(object: object): unknown;
  delete?(id: Id): unknown;
  query?(query: string, directives?: QueryOptions): unknown;
  startTransaction?(): unknown;
  commitTransaction?(): unknown;
  abortTransaction?(): unknown;
  on?(event: StoreEventName, listener: StoreListener<any>): () => void;
}

/** The hooks only an original Perstore store has. */
export const LEGACY_ONLY_METHODS = [
  "create",
  "startTransaction",
  "commitTransaction",
  "abortTransaction",
] as const;

/**
 * `legacy` as a store of this contract. Records are copied in and out, ids
 * checked and generated here (the legacy store always receives one),
 * `overwrite` is checked with `get` first (so it needs `get`; the check and
 * the write are two calls, not one atomic step), `delete` says whether the
 * record existed by asking `get`, and a query that is not an RQL string (a
 * JSON query or a parsed `Query`, as models send) is answered by fetching the
 * store's records (`query("")`) and evaluating it here. `transaction(fn)`
 * exists where the hooks do: start, run `fn`, then commit, or abort and
 * rethrow; transactions through one adapter run one at a time.
 */
export function adaptLegacyStore<T extends object>(
  legacy: LegacyStore,
  putId: "argument" | "directives" = "argument",
): Store<T> {
  const idProperty = legacy.idProperty ?? "id";
  const store: {
    -readonly [K in keyof Store<T>]: Store<T>[K];
  } = { idProperty };
  const get = legacy.get === undefined ? undefined : async (id: Id) => legacy.get!(id);
  const exists = async (id: Id) => {
    if (get === undefined)
      throw new StoreError("STORE_UNSUPPORTED", "this legacy store has no get() to check ids with");
    const found = await get(id);
    return found !== undefined && found !== null;
  };
  /** The record to hand to the legacy store, and the id it is stored under. */
  const prepare = (object: T, options: PutOptions) => {
    assertRecord(object);
    const record = copyRecord(object) as Record<string, unknown>;
    const id = options.id ?? record[idProperty] ?? randomUUID();
    if (!isId(id)) throw invalidIdError(id, idProperty);
    record[idProperty] = id;
    return { record, id };
  };
  const idFrom = (returned: unknown, id: Id): Id => {
    if (isId(returned)) return returned;
    const own = (returned as Record<string, unknown> | null)?.[idProperty];
    return typeof returned === "object" && isId(own) ? own : id;
  };
  const checkOverwrite = async (id: Id, overwrite: boolean | undefined) => {
    if (overwrite === undefined) return;
    const present = await exists(id);
    if (overwrite === false && present)
      throw new ConflictError(`a record with id ${JSON.stringify(id)} already exists`);
    if (overwrite === true && !present)
      throw new NotFoundError(`no record with id ${JSON.stringify(id)} to overwrite`);
  };

  if (get !== undefined) {
    store.get = async (id: Id) => {
      const found = await get(id);
      return found === undefined || found === null ? undefined : (copyRecord(found) as T);
    };
  }
  if (legacy.put !== undefined) {
    const put = legacy.put;
    store.put = async (object: T, options: PutOptions = {}) => {
      const { record, id } = prepare(object, options);
      await checkOverwrite(id, options.overwrite);
      const second = putId === "argument" ? id : { id, overwrite: options.overwrite };
      return idFrom(await put.call(legacy, record, second), id);
    };
  }
  if (legacy.create !== undefined || legacy.put !== undefined) {
    store.add = async (object: T, options: Omit<PutOptions, "overwrite"> = {}) => {
      if (legacy.create === undefined) return store.put!(object, { ...options, overwrite: false });
      const { record, id } = prepare(object, options);
      await checkOverwrite(id, false);
      return idFrom(await legacy.create.call(legacy, record), id);
    };
  }
  if (legacy.delete !== undefined) {
    const remove = legacy.delete;
    store.delete = async (id: Id) => {
      const existed = get === undefined ? undefined : await exists(id);
      const returned = await remove.call(legacy, id);
      return typeof returned === "boolean" ? returned : (existed ?? true);
    };
  }
  if (legacy.query !== undefined) {
    const query = legacy.query;
    store.query = async (input: QueryInput, options: QueryOptions = {}) => {
      if (typeof input !== "string") {
        const all = await query.call(legacy, "", {});
        return executeQuery(copyOut(all) as T[], input, { ...options, idProperty });
      }
      return copyOut(await query.call(legacy, input, options));
    };
  }
  if (LEGACY_ONLY_METHODS.slice(1).some((hook) => typeof legacy[hook] === "function")) {
    let queue: Promise<unknown> = Promise.resolve();
    store.transaction = <R>(fn: (store: Store<T>) => MaybePromise<R>): Promise<R> => {
      const run = queue.then(async () => {
        await legacy.startTransaction?.();
        let result: R;
        try {
          result = await fn(store as Store<T>);
        } catch (error) {
          await legacy.abortTransaction?.();
          throw error;
        }
        await legacy.commitTransaction?.();
        return result;
      });
      queue = run.catch(() => undefined);
      return run;
    };
  }
  if (legacy.on !== undefined) store.on = legacy.on.bind(legacy);
  return store as Store<T>;
}

/** A legacy answer as this contract's: arrays (even array-likes) as `Results` of copies. */
function copyOut(value: unknown): unknown {
  if (Array.isArray(value)) {
    const totalCount = (value as { totalCount?: unknown }).totalCount;
    return Object.assign(value.map(copyRecord), {
      totalCount: typeof totalCount === "number" ? totalCount : value.length,
    }) as Results<unknown>;
  }
  return copyRecord(value);
}
